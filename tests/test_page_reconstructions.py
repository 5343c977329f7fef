"""The Reconstructions page through Streamlit's AppTest, on the shipped dense-64 model and the real test set."""

import re

import numpy as np
import pytest
from apptest_pages import open_app
from streamlit.testing.v1 import AppTest

from ae_core import store
from ae_core.reconstruction import per_image_errors
from ui.i18n import t

MODEL = "dense-64"


def class_names(language: str) -> list[str]:
    return [t(f"class.{index}", language) for index in range(10)]


def open_page() -> AppTest:
    at = open_app("reconstructions", language="ko", model_name=MODEL)
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at: AppTest) -> list[str]:
    return [caption for image in at.image for caption in image.captions]


def class_captions(at: AppTest, language: str = "ko") -> list[str]:
    names = set(class_names(language))
    return [caption for caption in captions(at) if caption in names]


def mse_captions(at: AppTest) -> list[float]:
    return [float(caption) for caption in captions(at) if re.fullmatch(r"\d+\.\d{4}", caption)]


def position(at: AppTest) -> str:
    return next(c.value for c in at.caption if "–" in c.value)


@pytest.fixture(scope="module")
def test_errors(fashion_mnist):
    """Per-image MSE of the shipped model over the whole test set, computed here without the page."""
    return per_image_errors(store.load_model(MODEL), fashion_mnist.x_test)


def test_page_shows_originals_reconstructions_and_mse(fashion_mnist):
    at = open_page()
    assert at.title[0].value == "재구성 결과"
    # 10 originals, 10 reconstructions, 10 error maps and the colour bar.
    assert len(at.image) == 31
    assert class_captions(at) == [class_names("ko")[label] for label in fashion_mnist.y_test[:10]]
    mse = mse_captions(at)
    assert len(mse) == 10 and all(0 < value < 0.1 for value in mse)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["강의 결과 MSE"] == "0.0088"
    assert 0.005 < float(metrics["테스트 MSE"]) < 0.012
    assert position(at).startswith("10,000장 중 1–10")


def test_class_filter_shows_only_that_class():
    at = open_page()
    before = class_captions(at)
    at.selectbox(key="recon_class").set_value(4).run()  # Coat
    assert not at.exception
    assert class_captions(at) == ["코트"] * 10
    assert class_captions(at) != before
    assert position(at).startswith("1,000장 중")


def test_sort_by_worst_puts_the_largest_mse_first(test_errors):
    at = open_page()
    at.radio(key="recon_order").set_value("worst").run()
    assert not at.exception
    mse = mse_captions(at)
    assert mse == sorted(mse, reverse=True)
    assert mse[0] == pytest.approx(test_errors.max(), abs=6e-5)  # captions have 4 decimals
    assert mse[-1] == pytest.approx(np.sort(test_errors)[-10], abs=6e-5)


def test_next_and_shuffle_change_the_images(fashion_mnist):
    at = open_page()
    at.button(key="recon_next").click().run()
    assert position(at).startswith("10,000장 중 11–20")
    assert class_captions(at) == [class_names("ko")[label] for label in fashion_mnist.y_test[10:20]]
    at.button(key="recon_previous").click().run()
    assert position(at).startswith("10,000장 중 1–10")
    at.button(key="recon_shuffle").click().run()
    assert at.radio(key="recon_order").value == "shuffled"
    assert class_captions(at) != [class_names("ko")[label] for label in fashion_mnist.y_test[:10]]


def test_noise_adds_a_noisy_input_row_and_raises_the_error():
    at = open_page()
    clean = mse_captions(at)
    at.slider(key="recon_noise").set_value(0.3).run()
    assert not at.exception
    assert len(at.image) == 41  # a noisy input joins each card's three pictures
    assert any("노이즈 입력" in caption.value for caption in at.caption)  # and the legend names it
    noisy = mse_captions(at)
    assert np.mean(noisy) > np.mean(clean)
    # Seeded: the same noise level gives the same picture again.
    at.slider(key="recon_noise").set_value(0.0).run()
    at.slider(key="recon_noise").set_value(0.3).run()
    assert mse_captions(at) == noisy


def test_forty_images_in_rows_of_ten():
    at = open_page()
    at.select_slider(key="recon_count").set_value(40).run()
    assert not at.exception
    assert len(class_captions(at)) == 40 and len(mse_captions(at)) == 40
    assert len(at.image) == 3 * 40 + 1


def test_english_changes_the_page_text():
    at = open_page()
    # The sidebar's language picker writes this key (AppTest loses the sidebar's widgets after switch_page()).
    at.session_state["language"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Reconstructions"
    assert class_captions(at, "en") and not class_captions(at, "ko")
    assert at.selectbox(key="recon_class").value == -1  # "All classes" survives the change of labels


def test_the_shown_reconstructions_can_be_downloaded():
    at = open_page()
    assert any(element.proto.id.endswith("recon_download") for element in at.get("download_button"))
