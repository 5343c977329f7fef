"""The Models & training page through AppTest: the table, choosing the active model, the form's errors (typed numbers
included) and its lesson variants, a stored model's curves, learning film and lecture code, and one real 1-epoch
training started from the form (with a second one queued behind it) that ends as a model in the sidebar, its film
shown."""

import errno
import json
import os
import pathlib
import shutil
import tempfile
import time

import pytest
from apptest_pages import open_app
from streamlit.testing.v1 import AppTest
from tiny_models import install, train_and_store

from ae_core import config, store
from ae_core.config import ModelConfig, TrainConfig
from ae_core.lecture_code import python_script
from ae_core.training import runners
from ae_core.training.request import request_problems
from ui import training
from ui.i18n import t
from ui.plain_text import literal


def open_page(language="en") -> AppTest:
    return open_app("models", language, model_name=None)


def fill_form(at: AppTest, name: str, latent_dim=64, epochs=10, batch_size=32, *, learning_rate="0.001") -> AppTest:
    at.text_input(key="models_name").input(name)
    at.number_input(key="models_latent_dim").set_value(latent_dim)
    at.number_input(key="models_epochs").set_value(epochs)
    at.selectbox(key="models_batch_size").set_value(batch_size)
    at.text_input(key="models_learning_rate").input(learning_rate)
    return at.button(key="models_start").click().run()


def charts(at: AppTest) -> list[list[dict]]:
    """The traces of every plotly chart on the page, in order."""
    return [json.loads(chart.proto.spec)["data"] for chart in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def tiny_vae(tmp_path_factory, small_data):
    """A 2-D dense VAE trained for 3 epochs on 2,000 images (a few seconds), stored with its film."""
    folder, _ = train_and_store(tmp_path_factory.mktemp("models-page"), "tiny-vae", small_data,
                                ModelConfig("dense", 2, variational=True), TrainConfig(epochs=3, batch_size=64))
    return folder


def test_the_page_shows_the_stored_models_and_the_training_form():
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Models & training"
    table = at.dataframe[0].value
    assert {"dense-64", "conv-64"} <= set(table["name"])
    assert table.set_index("name").loc["dense-64", "active"]
    assert 0 < table.set_index("name").loc["dense-64", "val_mse"] < 0.01
    assert at.text_input(key="models_name").value == ""
    assert [at.number_input(key=f"models_{key}").value for key in ("latent_dim", "epochs", "seed")] == [64, 10, 0]
    assert at.text_input(key="models_learning_rate").value == "0.001"  # the lecture's recipe
    assert at.selectbox(key="models_arch_en").value == "dense" and at.selectbox(key="models_batch_size").value == 32
    # The lessons' variants start switched off: a plain autoencoder on all ten classes.
    assert not at.checkbox(key="models_variational").value and at.select_slider(key="models_noise_std").value == 0.0
    assert at.selectbox(key="models_exclude_class_en").value == "none"
    assert at.button(key="models_start").label == "Start training"


def test_choosing_a_model_on_the_page_makes_it_the_sidebars_active_model():
    at = open_page()
    at.selectbox(key="models_choice").set_value("conv-64").run()
    assert not at.exception
    assert at.session_state["model_name"] == "conv-64"
    assert at.sidebar.selectbox(key="model_name").value == "conv-64"
    assert at.dataframe[0].value.set_index("name").loc["conv-64", "active"]


@pytest.mark.parametrize("language,expected", [("en", "is not a valid name"), ("ko", "쓸 수 없는 이름입니다")])
def test_a_bad_name_shows_an_error_in_the_users_language_and_starts_nothing(language, expected):
    at = fill_form(open_page(language), "bad name!")
    assert not at.exception
    assert any(expected in error.value and "bad name!" in error.value for error in at.error)
    assert "models_job_id" not in at.session_state


def test_an_existing_name_is_refused():
    at = fill_form(open_page(), "dense-64")
    assert any("already exists" in error.value for error in at.error)
    assert "models_job_id" not in at.session_state


def test_a_one_epoch_training_started_from_the_page_produces_a_selectable_model(private_trained_dir):
    at = fill_form(open_page(), "page-model", latent_dim=8, epochs=1, batch_size=256)
    assert not at.exception and not at.error
    job = at.session_state["models_job_id"]
    assert at.subheader[-1].value == t("models.job_header", "en", name=literal("page-model"))
    assert at.query_params["job"] == job  # the URL holds the job, so that a refresh finds it
    # A refresh is a new session opened at that URL: the training, its progress and its Stop button are still there.
    refreshed = open_app("models", "en", model_name=None, query={"job": job})
    assert refreshed.session_state["models_job_id"] == job
    assert refreshed.subheader[-1].value == t("models.job_header", "en", name=literal("page-model")) and not refreshed.toast
    # A job id this server does not know (a forged one, or one from before a restart) adopts nothing
    # (tests/test_links.py: and says so).
    forged = open_app("models", "en", model_name=None, query={"job": job[:-1] + ("x" if job[-1] != "x" else "y")})
    assert "models_job_id" not in forged.session_state and "job" not in forged.query_params

    # Meanwhile another session's training waits for the one training slot, shows its place, and can be cancelled.
    other = fill_form(open_page("ko"), "queued-model", latent_dim=8, epochs=1, batch_size=256)
    assert any("대기열 1번째" in info.value for info in other.info)
    other.button(key="models_cancel").click().run()
    assert [warning.value for warning in other.warning] == ["시작하기 전에 취소했습니다."]

    deadline = time.monotonic() + 180
    while not at.success and time.monotonic() < deadline:
        assert not at.error, at.error[0].value
        time.sleep(1)
        at.run()
    assert at.success and "page-model" in at.success[0].value
    assert "page-model" in at.sidebar.selectbox(key="model_name").options
    assert "page-model" in [model.name for model in store.list_models()]
    assert (private_trained_dir / "page-model" / "metadata.json").is_file()
    *_, curves, film = charts(at)  # the finished run's loss curves and learning film, below the stored model's
    assert [len(trace["y"]) for trace in curves] == [1, 1, 2]  # loss, val loss (one epoch), the reference line
    assert curves[2]["name"] == "lecture 0.0088" and curves[2]["y"] == [0.0088, 0.0088]
    assert film[0]["type"] == "image"
    assert json.loads(at.get("plotly_chart")[-1].proto.spec)["layout"]["yaxis"]["ticktext"] == ["original", "epoch 1"]

    at.button(key="models_use_new").click().run()
    assert at.sidebar.selectbox(key="model_name").value == "page-model"


def disk_full() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def fail_reservation_write(monkeypatch, trained_dir):
    """The reservation's atomic write (its temporary file in the model's new folder) finds the disk full."""
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        if str(kwargs.get("dir", "")).startswith(str(trained_dir)):
            raise disk_full()
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def fail_job_folder(monkeypatch, trained_dir):
    """The job's work folder (made after the name is reserved) finds the disk full."""
    real_mkdir = pathlib.Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name.startswith("job-") and self.parent.parent.name == ".jobs":
            raise disk_full()
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)


@pytest.mark.parametrize("language,expected", [("en", "The server's disk is full"), ("ko", "서버 디스크가 가득 차서")])
@pytest.mark.parametrize("where", [fail_reservation_write, fail_job_folder], ids=["reservation", "job folder"])
def test_a_full_disk_at_the_start_says_so_and_reserves_nothing(private_trained_dir, monkeypatch, where, language,
                                                               expected):
    at = open_page(language)
    where(monkeypatch, private_trained_dir)
    at = fill_form(at, "full-disk-model", latent_dim=8, epochs=1, batch_size=256)
    assert not at.exception, at.exception
    assert [error.value for error in at.error] == [t("models.error.disk_full", language)]
    assert expected in at.error[0].value
    # The request changed nothing: no job, no reservation left in the store, the name still free.
    assert "models_job_id" not in at.session_state and "job" not in at.query_params
    assert not (private_trained_dir / "full-disk-model").exists()
    assert "full-disk-model" not in store.taken_names() | training.job_manager().taken_names()


def test_a_full_disk_when_the_training_starts_ends_it_with_that_reason(private_trained_dir, monkeypatch):
    def full_open(path, *args, **kwargs):  # the child's output files in its work folder
        raise disk_full()

    monkeypatch.setattr(runners, "open", full_open, raising=False)
    at = fill_form(open_page(), "no-room-model", latent_dim=8, epochs=1, batch_size=256)
    assert not at.exception, at.exception
    assert [error.value for error in at.error] == [t("models.end.disk_full", "en")]
    assert not (private_trained_dir / "no-room-model").exists()


@pytest.mark.parametrize("language,typed,expected", [
    ("en", "0.000001", "Learning rate must be between 1e-05 and 0.1 (got 1e-06)."),
    ("ko", "0", "학습률: 1e-05에서 0.1 사이의 값이어야 합니다 (입력값: 0.0)."),
    ("en", "fast", f"Learning rate: “{literal('fast')}” is not a number."),
    ("ko", "0.0o1", f"학습률: “{literal('0.0o1')}”은(는) 숫자가 아닙니다."),
])
def test_a_learning_rate_out_of_range_or_not_a_number_gets_a_message_and_starts_nothing(language, typed, expected):
    at = fill_form(open_page(language), "lr-model", learning_rate=typed)
    assert not at.exception
    assert any(error.value.startswith(expected) for error in at.error), [error.value for error in at.error]
    assert "models_job_id" not in at.session_state


@pytest.mark.parametrize("language,expected", [("en", "Latent dim must be between 2 and 256 (got 1000)."),
                                               ("ko", "잠재 차원: 2에서 256 사이의 값이어야 합니다 (입력값: 1000).")])
def test_a_latent_dim_typed_out_of_range_gets_a_message_in_the_users_language(language, expected):
    at = fill_form(open_page(language), "big-model", latent_dim=1000)
    assert not at.exception
    assert [error.value for error in at.error] == [expected]
    assert "models_job_id" not in at.session_state


def test_the_lesson_variants_reach_the_training_request(monkeypatch):
    requested = []
    monkeypatch.setattr(training, "start", requested.append)
    at = open_page("ko")
    at.checkbox(key="models_variational").check()
    at.text_input(key="models_beta").input("2,5")  # a decimal comma is read too
    at.select_slider(key="models_noise_std").set_value(0.3)
    at.selectbox(key="models_exclude_class_ko").set_value(5)
    at.text_input(key="models_learning_rate").input("2e-3")
    at = at.button(key="models_start").click().run()
    assert not at.exception and not at.error
    [request] = requested
    assert (request.variational, request.beta, request.noise_std, request.exclude_class, request.learning_rate) == (
        True, 2.5, 0.3, 5, 0.002)
    assert request.name == "vae-dense-64-1"  # an empty name: the model's kind and size


def test_the_untouched_form_asks_for_the_lecture_recipe(monkeypatch):
    requested = []
    monkeypatch.setattr(training, "start", requested.append)
    at = open_page().button(key="models_start").click().run()
    assert not at.exception and not at.error
    [request] = requested
    # The lecture's recipe (docs/design.md): Dense 784-64-784, 10 epochs of Adam at 1e-3, batch 32, all the data.
    assert (request.arch, request.latent_dim, request.epochs, request.batch_size, request.learning_rate,
            request.schedule, request.train_fraction, request.variational, request.noise_std, request.exclude_class) == (
        "dense", 64, 10, 32, 1e-3, "constant", 1.0, False, 0.0, None)
    assert request.settings() == config.defaults()  # every setting at its one default, the form's included
    assert request_problems(request, taken_names={"dense-64"}) == [] and request.name == "dense-64-1"


def test_a_stored_vaes_curves_show_its_two_loss_terms_apart_from_the_test_mse(tiny_vae, private_trained_dir):
    install(tiny_vae, private_trained_dir)
    at = open_page()
    at = at.selectbox(key="models_detail").set_value("tiny-vae").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("name")
    assert table.loc["tiny-vae", "kind"] == "VAE (β = 1.0)" and table.loc["dense-64-denoise", "kind"] == "denoising (noise 0.3)"
    [curves, film] = charts(at)
    assert [trace["name"] for trace in curves] == ["reconstruction term (cross-entropy, per image)",
                                                   "KL term (divergence from N(0, 1))", "val loss (test images)",
                                                   "lecture 0.0088"]
    assert [trace["yaxis"] for trace in curves] == ["y", "y2", "y3", "y3"]  # each term and the MSE on its own axis
    history = store.find_model("tiny-vae").history
    assert curves[1]["y"] == list(history["kl"]) and min(history["kl"]) > 0
    # The learning film: the originals and one row per epoch (3 of 3 shown).
    assert json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["yaxis"]["ticktext"] == [
        "original", "epoch 1", "epoch 2", "epoch 3"]
    assert film[0]["type"] == "image"


def test_a_model_without_a_film_says_so():
    at = open_page("ko")
    at = at.selectbox(key="models_detail").set_value("conv-64").run()
    assert not at.exception
    assert any("학습 과정을 기록하기 전에" in info.value for info in at.info)


def test_the_chosen_model_and_the_latent_grid_can_be_downloaded():
    at = open_page()
    [button] = [element for element in at.get("download_button") if element.proto.id.endswith("models_download_model")]
    assert button.proto.label == f"Download {literal('dense-64')}.keras"
    at = open_app("latent_grid", "en")
    assert any(element.proto.id.endswith("grid_download") for element in at.get("download_button"))


def download_buttons(at: AppTest) -> dict:
    return {element.proto.id.rsplit("-", 1)[-1]: element.proto for element in at.get("download_button")}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_lecture_code_of_the_chosen_model_is_shown_and_offered_as_a_script_and_a_notebook(language):
    at = open_page(language)
    at = at.selectbox(key="models_detail").set_value("vae-conv-16").run()
    assert not at.exception
    assert [tab.label for tab in at.tabs][-1] == t("models.tab.code", language)
    [code] = at.code
    assert code.language == "python" and code.value.rstrip() == python_script(store.find_model("vae-conv-16"), language).rstrip()
    assert "class VariationalAutoencoder(Model):" in code.value and "latent_dim = 16" in code.value
    buttons = download_buttons(at)
    assert [buttons[key].label for key in ("models_download_model", "models_download_code", "models_download_notebook")
            ] == [t("models.download_model", language, name=literal("vae-conv-16")),
                  t("models.download_code", language), t("models.download_notebook", language)]
    assert buttons["models_download_code"].url.endswith(".py")  # the script is sent with the page; the notebook on click


def test_a_model_whose_recipe_no_training_could_have_gets_no_code_and_a_reason(private_trained_dir):
    folder = private_trained_dir / "hand-edited"
    shutil.copytree(store.find_model("dense-64").path, folder)
    metadata = json.loads((folder / "metadata.json").read_text())
    metadata["train_config"]["batch_size"] = 5000
    (folder / "metadata.json").write_text(json.dumps(metadata))
    at = open_page("ko")
    at = at.selectbox(key="models_detail").set_value("hand-edited").run()
    assert not at.exception and not at.code
    [warning] = at.warning
    assert f"{literal('hand-edited')} 모델의 코드를 만들 수 없습니다" in warning.value and "5000" in warning.value
    assert t("setting.batch_size", "ko") in warning.value
    assert set(download_buttons(at)) == {"models_download_model"}  # its model file is still there to take
