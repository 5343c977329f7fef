"""The Latent explorer page through AppTest, on the shipped dense-64 model: sliders drive the decoded image."""

import json

import numpy as np
import pytest
from apptest_pages import open_app
from streamlit.testing.v1 import AppTest

from ae_core import latent, pictures, store
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
    """Whether the decoded image on the page is exactly the PNG of decoding `code` (it travels as a data URL)."""
    return decoded_image(at).value[0] == pictures.image_data_url(latent.decode(decoder, np.asarray(code, dtype=np.float32)), 8)


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


# ---------------------------------------------------------------------------------------------------------------
# The live tab (ui/live_decoder.py): two components, the weights' and the view's


def live_payloads(at: AppTest) -> tuple[dict, dict]:
    components = {element.proto.component_name: element.proto for element in at.main
                  if getattr(element, "proto", None).__class__.__name__ == "BidiComponent"}
    return (json.loads(components["ae_lab.decoder_weights"].json), json.loads(components["ae_lab.live_decoder"].json))


def release_live(at: AppTest, layout: str, values: list[float]) -> AppTest:
    """What the browser sends when a live slider is released: the component's state, as its widget value."""
    [view] = [element.proto for element in at.main if getattr(element, "proto", None).__class__.__name__ == "BidiComponent"
              and element.proto.component_name == "ae_lab.live_decoder"]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = view.id
    state.json_value = json.dumps({"position": {"layout": layout, "values": values}})
    return at._run(states)


def live_code(view: dict) -> np.ndarray:
    """The code the live tab's sliders stand for: origin + sum of value x direction."""
    return np.asarray(view["origin"]) + sum(slider["value"] * np.asarray(slider["direction"])
                                            for slider in view["sliders"])


def open_tab(at: AppTest, name: str) -> AppTest:
    """Open the explorer's "sliders" or "live" tab, as a click on it does (only the open tab is drawn)."""
    at.session_state["explorer_tab"] = t(f"explorer.tab_{name}", at.session_state["language"])
    return at.run()


def test_the_live_tab_starts_from_the_current_code_and_its_weights_never_change(fashion_mnist, model):
    at = open_tab(open_explorer(), "live")
    weights, view = live_payloads(at)
    np.testing.assert_allclose(live_code(view), at.session_state["explorer_code"], atol=1e-4)
    # A class mean applied on the sliders tab: the live tab shows it, and a drag moves from there.
    at = open_tab(at, "sliders")
    at = at.selectbox(key="explorer_preset_en").set_value(7).run()
    at = at.button(key="explorer_apply_preset").click().run()
    at = open_tab(at, "live")
    sneakers = latent.encode(model, fashion_mnist.x_test[fashion_mnist.y_test == 7]).mean(axis=0)
    weights_after, view = live_payloads(at)
    np.testing.assert_allclose(live_code(view), sneakers, atol=1e-3)
    # The decoder's weights are the same bytes on every rerun: the browser gets them once per model.
    assert weights_after == weights and weights["spec"]["latent_dim"] == 64
    assert "spec" not in view, "the view's data, resent on every change, must not carry the weights"

    # A release on the live tab: its values become the current code.
    values = [slider["value"] + 1.0 for slider in view["sliders"]]
    at = release_live(at, view["layout"], values)
    assert not at.exception
    expected = np.asarray(view["origin"]) + sum(value * np.asarray(slider["direction"])
                                                for value, slider in zip(values, view["sliders"], strict=True))
    np.testing.assert_allclose(at.session_state["explorer_code"], expected, atol=1e-4)
    np.testing.assert_allclose(live_code(live_payloads(at)[1]), expected, atol=1e-3)


def test_the_live_reset_returns_to_the_start(model, fashion_mnist):
    at = open_explorer()
    at = at.button(key="explorer_random_sample").click().run()
    at = open_tab(at, "live").button(key="explorer_live_reset").click().run()
    np.testing.assert_allclose(at.session_state["explorer_code"], latent.encode(model, fashion_mnist.x_test[:1])[0],
                               atol=1e-5)


# ---------------------------------------------------------------------------------------------------------------
# The dimension picker


def test_the_dimension_picker_has_no_select_all_and_at_most_eight_sliders():
    at = open_explorer(language="ko")
    picker = at.multiselect(key="explorer_dims")
    assert picker.proto.max_selections == 8
    assert picker.proto.select_all == 0, "select all would put 64 sliders on the page"
    assert picker.proto.placeholder == t("explorer.dims_placeholder", "ko")
    eight = [int(option.removeprefix("z")) for option in picker.options[:8]]
    at = picker.set_value(eight).run()
    assert not at.exception
    assert len([slider for slider in at.slider if slider.key.startswith("explorer_dim_")]) == 8
    assert any(caption.value == t("explorer.dims_cap", "ko", count=8) for caption in at.caption)


def test_more_dimensions_kept_from_an_earlier_visit_are_trimmed_to_eight():
    # A choice kept from before the cap (or written by hand) would make st.multiselect raise.
    at = open_explorer().switch_page("views/home.py").run()
    at.session_state["explorer_dims_saved"] = list(range(20))
    at = at.switch_page("views/explorer.py").run()
    assert not at.exception
    assert at.multiselect(key="explorer_dims").value == list(range(8))


def test_the_interpolation_can_be_taken_home_as_a_picture_and_an_animation():
    at = open_explorer()
    ids = [element.proto.id for element in at.get("download_button")]
    assert any(id_.endswith("explorer_interp_png") for id_ in ids) and any(id_.endswith("explorer_interp_gif") for id_ in ids)
