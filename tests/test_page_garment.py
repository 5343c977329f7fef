"""The "Your garment" page through AppTest: a drawing delivered as the canvas sends it, and what the page makes of it."""

import base64
import io
import json

import numpy as np
import pytest
from apptest_pages import open_app
from PIL import Image
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from ae_core import latent, pictures, store
from ae_core.garment import prepare_upload
from ui.i18n import t


def drawing_png(kind: str = "trousers") -> bytes:
    """White strokes on a transparent 280x280 canvas, as the browser's canvas.toDataURL gives them."""
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    if kind == "trousers":
        rgba[40:240, 90:130] = 255  # two legs joined at the waist
        rgba[40:240, 150:190] = 255
        rgba[40:80, 90:190] = 255
    elif kind == "dot":
        rgba[139:141, 139:141] = 255
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    return buffer.getvalue()


def draw(at: AppTest, png: bytes | None, version: int = 1) -> AppTest:
    """What the canvas sends at the end of a stroke: its state, as the component's widget value."""
    [canvas] = [element.proto for element in at.main if getattr(element, "proto", None).__class__.__name__ == "BidiComponent"
                and element.proto.component_name == "ae_lab.draw_canvas"]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = canvas.id
    url = "data:image/png;base64," + base64.b64encode(png).decode() if png is not None else ""
    state.json_value = json.dumps({"drawing": {"png": url, "strokes": 3, "version": version}})
    return at._run(states)


@pytest.fixture(scope="module")
def model():
    return store.load_model("dense-64")


def shows_image(at: AppTest, image: np.ndarray, factor: int) -> bool:
    file_id = _calculate_file_id(pictures.image_png(image, factor), "image/png")
    return any(file_id in url for element in at.image for url in element.value)


def test_an_empty_canvas_invites_a_drawing_and_a_drawing_is_reconstructed(model, fashion_mnist):
    at = open_app("garment", "ko")
    assert not at.exception and not at.error
    assert t("garment.empty", "ko") in [info.value for info in at.info]
    at = draw(at, drawing_png())
    assert not at.exception and not at.error
    prepared = prepare_upload(drawing_png())
    reconstruction = np.asarray(model(prepared.image[None]))[0]
    assert shows_image(at, prepared.image, 8) and shows_image(at, reconstruction, 8)
    mse = float(np.mean((reconstruction - prepared.image) ** 2))
    assert t("garment.reconstruction", "ko", mse=mse) in [caption for image in at.image for caption in image.captions]
    # The 5 nearest test images in latent space, nearest first.
    code = latent.encode(model, prepared.image[None])[0]
    nearest = latent.nearest_indices(latent.encode(model, fashion_mnist.x_test), code, 5)
    for index in nearest:
        assert shows_image(at, fashion_mnist.x_test[index], 4)


def test_a_drawing_with_nothing_in_it_gets_a_message_and_nothing_else(model):
    at = open_app("garment", "en")
    at = draw(at, drawing_png("blank"))
    assert [error.value for error in at.error] == [t("garment.error.blank", "en")]
    assert not at.exception
    assert not at.get("plotly_chart") and not at.image  # no map, no pictures: nothing but the message


def test_open_in_explorer_starts_the_explorer_at_the_drawings_code(model):
    at = draw(open_app("garment", "en"), drawing_png())
    at = at.button(key="garment_drawn_open_explorer").click().run()
    assert not at.exception
    code = latent.encode(model, prepare_upload(drawing_png()).image[None])[0]
    np.testing.assert_allclose(at.session_state["explorer_code"], code, atol=1e-5)
