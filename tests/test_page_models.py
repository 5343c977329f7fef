"""The Models & training page through AppTest: the table, choosing the active model, the form's errors, and one
real 1-epoch training started from the form (with a second one queued behind it) that ends as a model in the sidebar."""

import json
import time

import pytest
from apptest_pages import open_app
from streamlit.testing.v1 import AppTest

from ae_core import store


def open_page(language="en") -> AppTest:
    return open_app("models", language, model_name=None)


def fill_form(at: AppTest, name: str, latent_dim=64, epochs=10, batch_size=32) -> AppTest:
    at.text_input(key="models_name").input(name)
    at.number_input(key="models_latent_dim").set_value(latent_dim)
    at.number_input(key="models_epochs").set_value(epochs)
    at.selectbox(key="models_batch_size").set_value(batch_size)
    return at.button(key="models_start").click().run()


def test_the_page_shows_the_stored_models_and_the_training_form():
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Models & training"
    table = at.dataframe[0].value
    assert {"dense-64", "conv-64"} <= set(table["name"])
    assert table.set_index("name").loc["dense-64", "active"]
    assert 0 < table.set_index("name").loc["dense-64", "val_mse"] < 0.01
    assert at.text_input(key="models_name").value == ""
    assert [at.number_input(key=f"models_{key}").value for key in ("latent_dim", "epochs", "learning_rate", "seed")] == [
        64, 10, 0.001, 0]  # the lecture's recipe
    assert at.selectbox(key="models_arch_en").value == "dense" and at.selectbox(key="models_batch_size").value == 32
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
    assert "models_job_id" in at.session_state
    assert at.subheader[-1].value == "Training “page-model”"

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
    curves = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]  # the loss curves of the finished run
    assert [len(trace["y"]) for trace in curves] == [1, 1, 2]  # loss, val loss (one epoch), the reference line
    assert curves[2]["name"] == "lecture 0.0088" and curves[2]["y"] == [0.0088, 0.0088]

    at.button(key="models_use_new").click().run()
    assert at.sidebar.selectbox(key="model_name").value == "page-model"
