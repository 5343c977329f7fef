"""The "Your garment" page through AppTest: a drawing delivered as the canvas sends it, and what the page makes of it."""

import base64
import io
import json

import numpy as np
import pytest
from apptest_pages import open_app
from hostile_pictures import scan_bomb_jpeg
from PIL import Image
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from ae_core import garment, latent, pictures, store, uploads
from ae_core.garment import prepare_upload
from ui.draw_canvas import MAX_DRAWING_CHARS
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


def send_canvas_value(at: AppTest, json_value: str) -> AppTest:
    """A message carrying `json_value` as the canvas component's state, as a browser (or a forged one) sends it."""
    [canvas] = [element.proto for element in at.main if getattr(element, "proto", None).__class__.__name__ == "BidiComponent"
                and element.proto.component_name == "ae_lab.draw_canvas"]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = canvas.id
    state.json_value = json_value
    return at._run(states)


def draw(at: AppTest, png: bytes | None, version: int = 1) -> AppTest:
    """What the canvas sends at the end of a stroke: its state, as the component's widget value."""
    url = "data:image/png;base64," + base64.b64encode(png).decode() if png is not None else ""
    return send_canvas_value(at, json.dumps({"drawing": {"png": url, "strokes": 3, "version": version}}))


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


def test_the_scan_bomb_sent_as_a_drawing_is_refused_without_decoding_and_once(model, monkeypatch):
    """The issue's canvas twin: the bomb's bytes in the canvas's PNG data URL (1.4 MB; 97 s of CPU a message before)."""
    bomb = scan_bomb_jpeg(repeats=100_000)
    assert len(base64.b64encode(bomb)) < MAX_DRAWING_CHARS
    checked = []
    read_upload = uploads.read_upload

    def counted(data):
        checked.append(len(data))
        return read_upload(data)

    def never(*args, **kwargs):
        raise AssertionError("Pillow was asked to open the bomb")

    garment.PREPARED.clear()
    monkeypatch.setattr(garment, "read_upload", counted)
    monkeypatch.setattr(uploads.Image, "open", never)
    at = draw(open_app("garment", "ko"), bomb)
    assert [error.value for error in at.error] == [t("garment.error.too_complex", "ko", format="JPEG")]
    assert not at.exception and not at.image
    at = at.run()  # another run of the page (any click): the refusal is remembered, not worked out again
    at = draw(at, bomb, version=2)
    assert [error.value for error in at.error] == [t("garment.error.too_complex", "ko", format="JPEG")]
    assert checked == [len(bomb)]


@pytest.mark.parametrize("value", [
    '{"drawing": ' + "[" * 100_000 + "]" * 100_000 + "}",  # deeper than Python's JSON parser recurses
    '{"drawing": {"png": "data:image/png;base64,',  # no JSON: cut short
    json.dumps({"drawing": {"png": 12, "strokes": 1, "version": 1}}),
    json.dumps({"drawing": {"png": "data:image/gif;base64,R0lGODlh", "strokes": 1, "version": 1}}),
    json.dumps({"drawing": {"png": "data:image/png;base64,not base64!", "strokes": 1, "version": 1}}),
    json.dumps({"drawing": ["png"]}),
], ids=["nested 100,000 deep", "not JSON", "png not text", "not a PNG data URL", "bad base64", "not an object"])
def test_a_canvas_value_the_canvas_never_sends_gets_the_apps_message(model, value):
    at = send_canvas_value(open_app("garment", "ko"), value)
    assert not at.exception
    assert [error.value for error in at.error] == [t("garment.error.unreadable_drawing", "ko")]
    assert not at.image
    at = at.run()  # and on the runs after it, until the canvas sends a drawing again
    assert [error.value for error in at.error] == [t("garment.error.unreadable_drawing", "ko")]
    at = draw(at, drawing_png())
    assert not at.error and not at.exception and at.image
