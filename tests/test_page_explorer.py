"""The Latent explorer page through AppTest, on the shipped dense-64 model: sliders drive the decoded image."""

import numpy as np
import pytest
from apptest_pages import open_app
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from ae_core import latent, store, viz
from ui.i18n import t


@pytest.fixture(scope="module")
def model():
    return store.load_model("dense-64")


@pytest.fixture(scope="module")
def decoder(model):
    return latent.CompiledDecoder(model)  # what the page decodes with


def open_explorer(language: str = "en", index: int | None = None, **state) -> AppTest:
    return open_app("explorer", language, **({"explorer_index": index} if index is not None else {}), **state)


def decoded_image(at: AppTest):
    [image] = [image for image in at.image if image.captions == [t("explorer.decoded", at.session_state["language"])]]
    return image


def shows_decode_of(at: AppTest, decoder, code) -> bool:
    """Whether the decoded image on the page is exactly the PNG of decoding `code` (media URLs hash the bytes)."""
    png = viz.image_png(latent.decode(decoder, np.asarray(code, dtype=np.float32)), 8)
    return _calculate_file_id(png, "image/png") in decoded_image(at).value[0]


def test_page_renders_sliders_images_and_the_interpolation_strip(model, decoder, fashion_mnist):
    at = open_explorer()
    assert not at.exception
    assert at.title[0].value == "Latent explorer"
    keys = [slider.key for slider in at.slider]
    assert [key for key in keys if key.startswith("explorer_pc_")] == [f"explorer_pc_{k}" for k in range(5)]
    assert len([key for key in keys if key.startswith("explorer_dim_")]) == 4
    # Starts from test image 0: its code, decoded.
    code = at.session_state["explorer_code"]
    np.testing.assert_allclose(code, latent.encode(model, fashion_mnist.x_test[:1])[0], atol=1e-5)
    assert shows_decode_of(at, decoder, code)
    # The relu model's dimension sliders start at 0.
    assert all(slider.min == 0.0 for slider in at.slider if slider.key.startswith("explorer_dim_"))
    # Interpolation strip: two originals and 8 steps.
    captions = [image.captions[0] for image in at.image]
    assert captions.count("0.00") == 1 and captions.count("1.00") == 1
    assert len([c for c in captions if c[:1].isdigit()]) == 8


def test_moving_a_principal_slider_changes_the_decoded_image_and_every_slider(decoder):
    at = open_explorer()
    before_url = decoded_image(at).value[0]
    before_code = np.array(at.session_state["explorer_code"])
    pc0 = at.slider(key="explorer_pc_0")
    at = pc0.set_value(pc0.value + 4.0).run()
    assert not at.exception
    after_code = np.array(at.session_state["explorer_code"])
    assert decoded_image(at).value[0] != before_url
    assert shows_decode_of(at, decoder, after_code)
    # The code moved along the first principal axis only: 4 units, in that axis' direction.
    step = after_code - before_code
    assert np.linalg.norm(step) == pytest.approx(4.0, rel=1e-6)
    # Raw-dimension sliders follow the code (clipped to their ranges).
    for slider in at.slider:
        if slider.key.startswith("explorer_dim_"):
            dim = int(slider.key.removeprefix("explorer_dim_"))
            assert slider.value == pytest.approx(np.clip(after_code[dim], slider.min, slider.max))


def test_moving_a_dimension_slider_updates_the_code_and_the_principal_sliders(decoder):
    at = open_explorer()
    before_url = decoded_image(at).value[0]
    before_pcs = [at.slider(key=f"explorer_pc_{k}").value for k in range(5)]
    dim_slider = next(slider for slider in at.slider if slider.key.startswith("explorer_dim_"))
    dim = int(dim_slider.key.removeprefix("explorer_dim_"))
    target = round((dim_slider.min + dim_slider.max) * 0.8, 2)
    at = dim_slider.set_value(target).run()
    code = at.session_state["explorer_code"]
    assert code[dim] == pytest.approx(target)
    assert decoded_image(at).value[0] != before_url
    assert shows_decode_of(at, decoder, code)
    after_pcs = [at.slider(key=f"explorer_pc_{k}").value for k in range(5)]
    assert after_pcs != before_pcs


def test_buttons_reset_and_apply_a_class_mean(model, decoder, fashion_mnist):
    at = open_explorer()
    start = list(at.session_state["explorer_code"])
    at = at.slider(key="explorer_pc_1").set_value(3.0).run()
    assert at.session_state["explorer_code"] != start
    at = at.button(key="explorer_reset").click().run()
    np.testing.assert_allclose(at.session_state["explorer_code"], start)
    assert shows_decode_of(at, decoder, start)

    at = at.selectbox(key="explorer_preset_en").set_value(1).run()  # trousers
    at = at.button(key="explorer_apply_preset").click().run()
    trousers = fashion_mnist.x_test[fashion_mnist.y_test == 1]
    np.testing.assert_allclose(at.session_state["explorer_code"], latent.encode(model, trousers).mean(axis=0),
                               rtol=1e-4, atol=1e-4)

    at = at.button(key="explorer_random_sample").click().run()
    assert not at.exception
    assert shows_decode_of(at, decoder, at.session_state["explorer_code"])


def test_starts_from_the_index_the_map_chose_and_speaks_korean(model, fashion_mnist):
    at = open_explorer(language="ko", index=123)
    assert not at.exception
    assert at.title[0].value == "잠재 공간 탐색"
    label = t("explorer.original", "ko", index=123, label="")
    assert any(image.captions[0].startswith(label[:-2]) for image in at.image)
    np.testing.assert_allclose(at.session_state["explorer_code"],
                               latent.encode(model, fashion_mnist.x_test[123:124])[0], atol=1e-5)
    assert at.number_input(key="explorer_index_input").value == 123

    at = at.number_input(key="explorer_index_input").set_value(7).run()
    np.testing.assert_allclose(at.session_state["explorer_code"],
                               latent.encode(model, fashion_mnist.x_test[7:8])[0], atol=1e-5)



def test_class_pickers_survive_a_language_switch(fashion_mnist):
    # Selectboxes remember their choice by the option's text; translated options must not strand the old text.
    at = open_explorer()
    at = at.selectbox(key="explorer_class_en").set_value(3).run()
    at.session_state["language"] = "ko"  # the sidebar's language selectbox
    at = at.run()
    at = at.button(key="explorer_apply_preset").click().run()
    assert not at.exception
    at = at.selectbox(key="explorer_class_ko").set_value(8).run()
    at = at.button(key="explorer_random_of_class").click().run()
    assert not at.exception
    assert fashion_mnist.y_test[at.session_state["explorer_index"]] == 8


def test_a_code_opened_from_another_page_is_the_start_and_reset_goes_back_to_it(decoder):
    code = [0.5] * 64
    at = open_explorer(explorer_start_code=("dense-64", code))
    assert not at.exception
    np.testing.assert_allclose(at.session_state["explorer_code"], code)
    assert shows_decode_of(at, decoder, code)
    assert any(image.captions == [t("explorer.custom_start", "en")] for image in at.image)
    at = at.slider(key="explorer_pc_0").set_value(2.0).run()
    assert not np.allclose(at.session_state["explorer_code"], code)
    at = at.button(key="explorer_reset").click().run()
    np.testing.assert_allclose(at.session_state["explorer_code"], code)
