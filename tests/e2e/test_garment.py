"""Your garment in a real browser: a drawing made with real pointer events is reconstructed in the browser while it is
drawn and by the server at the stroke's end; an upload that isn't a picture gets a message in the user's language.

Uses the module's app server and Chromium from conftest.py; each test gets its own session.
Run: `.venv/bin/python -m pytest tests/e2e/test_garment.py -q`
"""

import io

import numpy as np
import pytest
from harness import (
    MAIN,
    TROUSERS,
    draw_strokes,
    error_texts,
    open_page,
    run_and_wait,
    wait_for_images,
    wait_for_text,
)
from hostile_pictures import scan_bomb_jpeg
from PIL import Image

from ui.i18n import t

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CANVAS = '[data-testid="draw-canvas"]'
PREVIEW = '[data-testid="draw-preview"]'


def image_captions(page) -> list[str]:
    return [caption.strip() for caption in page.locator(f'{MAIN} [data-testid="stImageCaption"]').all_inner_texts()]


def test_a_drawing_with_real_pointer_events_is_reconstructed_live_and_by_the_server(page, app_server):
    open_page(page, app_server, "garment")
    canvas = page.locator(CANVAS)
    canvas.wait_for()
    assert t("garment.empty", "ko") in page.locator(MAIN).inner_text()
    page.wait_for_function("() => globalThis.__aeLabLiveDecoder?.prepared.size >= 2", timeout=60_000)  # the weights
    page.get_by_test_id("draw-brush").fill("20")

    def preview_follows_the_first_stroke(number: int) -> None:  # before its button is up (in the shadow root)
        if number == 0:
            preview = page.locator(PREVIEW).element_handle()
            page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1", arg=preview)
            assert preview.evaluate("""(canvas) => canvas.getContext('2d').getImageData(0, 0, 28, 28).data
                                          .some((value, index) => index % 4 === 0 && value > 40)""")

    draw_strokes(page, canvas, TROUSERS, during=preview_follows_the_first_stroke)
    assert canvas.get_attribute("data-strokes") == str(len(TROUSERS))
    wait_for_images(page)
    captions = image_captions(page)
    assert any(caption.startswith(t("garment.reconstruction", "ko", mse=0.0)[:5]) for caption in captions), captions
    assert sum(caption.endswith(t("class.1", "ko")) for caption in captions) >= 3, f"nearest images: {captions}"
    assert error_texts(page) == [] and page.js_errors == []

    # A look at the other tab and back keeps the drawing.
    for tab in ("garment.tab_upload", "garment.tab_draw"):
        run_and_wait(page, page.get_by_role("tab", name=t(tab, "ko")).click)
    assert canvas.get_attribute("data-strokes") == str(len(TROUSERS)), "the drawing was lost"

    run_and_wait(page, page.get_by_test_id("draw-clear").click)
    wait_for_text(page, t("garment.empty", "ko"))
    assert canvas.get_attribute("data-strokes") == "0"


def test_an_upload_that_is_no_picture_gets_a_message_and_a_photo_gets_a_reconstruction(page, app_server, tmp_path):
    open_page(page, app_server, "garment")
    upload_tab = page.get_by_role("tab", name=t("garment.tab_upload", "ko"))
    run_and_wait(page, upload_tab.click)
    upload = page.locator(f'{MAIN} [data-testid="stFileUploaderDropzoneInput"]')
    text_file = tmp_path / "notes.png"
    text_file.write_text("not a picture at all")
    run_and_wait(page, lambda: upload.set_input_files(str(text_file)))
    page.get_by_text(t("garment.error.not_an_image", "ko")).wait_for()  # visible: the upload's tab stays open
    assert upload_tab.get_attribute("aria-selected") == "true"
    assert not image_captions(page)

    # A dark bag on white paper, as a phone photo would show it.
    pixels = np.full((300, 400), 235, dtype=np.uint8)
    pixels[80:260, 110:290] = 40
    pixels[40:90, 160:240] = 40
    photo = tmp_path / "bag.jpg"
    buffer = io.BytesIO()
    Image.fromarray(pixels, "L").save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    run_and_wait(page, lambda: upload.set_input_files(str(photo)))
    wait_for_text(page, t("garment.inverted", "ko"))
    wait_for_images(page)
    assert upload_tab.get_attribute("aria-selected") == "true"
    assert error_texts(page) == [] and page.js_errors == []


def test_an_uploaded_scan_bomb_gets_the_refusal_in_the_users_language(page, app_server, tmp_path):
    # The 4.9 MB progressive JPEG (~150 s of CPU to decode): refused by its structure, in milliseconds.
    open_page(page, app_server, "garment")
    run_and_wait(page, page.get_by_role("tab", name=t("garment.tab_upload", "ko")).click)
    bomb = tmp_path / "jacket.jpg"
    bomb.write_bytes(scan_bomb_jpeg())
    upload = page.locator(f'{MAIN} [data-testid="stFileUploaderDropzoneInput"]')
    run_and_wait(page, lambda: upload.set_input_files(str(bomb)))
    page.get_by_text(t("garment.error.too_complex", "ko", format="JPEG")).wait_for(timeout=30_000)
    assert error_texts(page) == [t("garment.error.too_complex", "ko", format="JPEG")]
    assert not image_captions(page) and page.js_errors == []


def test_the_upload_tab_stays_open_with_the_result(page, app_server, tmp_path):
    # The first upload with a model whose test errors are not computed yet: during that long run, untracked tabs went
    # back to the drawing tab, the result hidden in the other one.
    open_page(page, app_server, "garment?model=conv-64")
    upload_tab = page.get_by_role("tab", name=t("garment.tab_upload", "ko"))
    run_and_wait(page, upload_tab.click)
    paper = np.full((100, 60), 255, dtype=np.uint8)
    paper[10:90, 10:50] = 0
    small = tmp_path / "small.png"
    Image.fromarray(paper, "L").save(small)
    run_and_wait(page, lambda: page.locator(f'{MAIN} [data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(small)))
    wait_for_images(page)
    page.wait_for_timeout(1000)  # time for a late switch back
    assert upload_tab.get_attribute("aria-selected") == "true", "the upload's result is in a hidden tab"
    assert page.locator(".st-key-garment_uploaded_steps").is_visible()
