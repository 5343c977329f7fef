"""In a real browser, what a classroom meets: a first visit that shows signs of life, the live tab starting from the
current code while the weights cross the network once, links that open the same picture in another browser,
presenter mode on a 1920x1080 projector, labels that fit a laptop at 150 % zoom, a phone's reconstructions, Plotly in
Korean, and a link to a page that does not exist.

Run: `.venv/bin/python -m pytest tests/e2e -q`
"""

import base64
import io

import numpy as np
import pytest
from harness import (
    CHROMIUM_ARGS,
    DECODED_IMAGE,
    LIVE_CANVAS,
    MAIN,
    SIDEBAR,
    chromium_path,
    cut_texts,
    error_texts,
    new_page,
    open_page,
    run_and_wait,
    set_language,
    title,
    wait_for_images,
    wait_for_plots,
    wait_idle,
)
from PIL import Image

from ui.i18n import t
from ui.pages import PAGES

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LIVE_SLIDERS = '.live-decoder-sliders input[type="range"]'


def image_bytes(page, selector: str) -> bytes:
    """The bytes the browser gets for an <img>'s src (Streamlit serves media by a hash of them)."""
    encoded = page.evaluate("""async (selector) => {
        const response = await fetch(document.querySelector(selector).src);
        const bytes = new Uint8Array(await response.arrayBuffer());
        let text = ''; bytes.forEach((byte) => { text += String.fromCharCode(byte); });
        return btoa(text);
    }""", selector)
    return base64.b64decode(encoded)


def pixels_28(picture: bytes) -> np.ndarray:
    """A 28x28 garment from an upscaled picture (nearest neighbour: the centre of each block)."""
    image = np.asarray(Image.open(io.BytesIO(picture)).convert("L"), dtype=np.int16)
    block = image.shape[0] / 28
    centres = (np.arange(28) * block + block / 2).astype(int)
    return image[np.ix_(centres, centres)]


def canvas_pixels(page) -> np.ndarray:
    data_url = page.locator(LIVE_CANVAS).evaluate("canvas => canvas.toDataURL('image/png')")
    return pixels_28(base64.b64decode(data_url.split(",", 1)[1]))


def count_received_bytes(page) -> list[int]:
    """A running total of the bytes the page receives over Streamlit's websocket: total[0]."""
    total = [0]

    def on_websocket(websocket):
        websocket.on("framereceived", lambda payload: total.__setitem__(0, total[0] + len(payload)))

    page.on("websocket", on_websocket)
    return total


def drag_live_slider(page, index: int, to_fraction: float) -> None:
    """Drags the live tab's slider `index` to a place on its track and releases it (the release reruns the app)."""
    box = page.locator(LIVE_SLIDERS).nth(index).bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(box["x"] + box["width"] * (0.5 + (to_fraction - 0.5) * step / 5), y)
        page.wait_for_timeout(20)
    run_and_wait(page, page.mouse.up)


# ---------------------------------------------------------------------------------------------------------------
# A fresh server's first visit


def test_a_first_visit_shows_what_is_loading_from_the_first_paint(first_visit):
    """While TensorFlow and the model load (seconds on a fresh server), the title never stands alone for long."""
    timeline = first_visit.loading_timeline
    print(f"\nfirst visit: {timeline}")
    assert timeline["content_ms"] is not None, timeline
    assert timeline["status_seen_ms"] is not None, f"no loading status was ever shown: {timeline}"
    assert timeline["status_seen_ms"] - timeline["title_ms"] < 1000, timeline
    # Early: the status is up while TensorFlow loads, not after a blank page that waited for it.
    assert timeline["status_seen_ms"] - timeline["running_ms"] < 4000, timeline
    assert timeline["content_ms"] - timeline["status_seen_ms"] > 1000, timeline
    # Sampled every 50 ms: time with the title on the page, no loading status and no content yet.
    assert timeline["bare_title_ms"] <= 1000, timeline
    assert any("TensorFlow" in text for text in timeline["status_texts"]), timeline


# ---------------------------------------------------------------------------------------------------------------
# The live tab


def test_the_live_tab_starts_from_the_current_code_and_weights_cross_once(page, app_server):
    received = count_received_bytes(page)
    open_page(page, app_server, "explorer?lang=en")
    wait_for_images(page)
    first_load = received[0]
    # A class mean applied on the sliders tab...
    page.locator('.st-key-explorer_preset_en button[aria-haspopup="listbox"]').click()
    run_and_wait(page, page.locator('[role="listbox"] [role="option"]').filter(has_text=t("class.7", "en")).first.click)
    before = received[0]
    run_and_wait(page, page.locator(".st-key-explorer_apply_preset button").click)
    wait_for_images(page)
    class_mean_bytes = received[0] - before
    decoded = pixels_28(image_bytes(page, DECODED_IMAGE))
    # ...is where the live tab starts.
    page.get_by_role("tab", name=t("explorer.tab_live", "en")).click()
    page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1", arg=page.locator(LIVE_CANVAS).element_handle())
    page.wait_for_timeout(300)
    assert np.abs(canvas_pixels(page) - decoded).max() <= 3, "the live tab does not show the current code"

    release_bytes = []
    for number in range(5):
        before = received[0]
        drag_live_slider(page, number % 3, 0.2 + 0.15 * number)
        release_bytes.append(received[0] - before)
    assert error_texts(page) == [] and page.js_errors == []
    print(f"\nbytes received: first load {first_load}, class mean {class_mean_bytes}, live releases {release_bytes}")
    # The weights (dense-64: ~270 KB as text) came with the first page; a release or a class mean sends a few KB.
    assert first_load > 250_000, f"the first load received only {first_load} bytes: where are the weights?"
    assert max(release_bytes) < 40_000, f"bytes received per release: {release_bytes}"
    assert class_mean_bytes < 60_000, f"{class_mean_bytes} bytes for applying a class mean"

    # The released code is the current code: the sliders tab decodes what the live tab shows.
    live = canvas_pixels(page)
    run_and_wait(page, page.get_by_role("tab", name=t("explorer.tab_sliders", "en")).click)
    page.locator(DECODED_IMAGE).wait_for()
    wait_for_images(page)
    assert np.abs(pixels_28(image_bytes(page, DECODED_IMAGE)) - live).max() <= 3


# ---------------------------------------------------------------------------------------------------------------
# Links


def test_a_link_opens_the_same_picture_in_a_new_browser(page, app_server, browser):
    open_page(page, app_server, "explorer")
    set_language(page, "en")
    wait_for_images(page)
    for axis, key in ((0, "End"), (2, "Home")):
        thumb = page.locator(f".st-key-explorer_pc_{axis} input[type=range]")
        thumb.focus()
        run_and_wait(page, lambda thumb=thumb, key=key: thumb.press(key))
    wait_for_images(page)
    sender_src, sender_bytes = page.locator(DECODED_IMAGE).get_attribute("src"), image_bytes(page, DECODED_IMAGE)
    link = page.url
    assert "z=" in link and "lang=en" in link and "img=0" in link

    other = new_page(browser)  # a new context: no cookies, no session, nothing shared
    try:
        open_page(other, app_server, link.split("/", 3)[3])
        wait_for_images(other)
        assert title(other) == t("explorer.title", "en")
        assert other.locator(DECODED_IMAGE).get_attribute("src") == sender_src
        assert image_bytes(other, DECODED_IMAGE) == sender_bytes
        assert other.url == link, "the receiver's link is the sender's"
        assert error_texts(other) == [] and other.js_errors == []
    finally:
        other.context.close()


def test_copy_link_puts_the_link_on_the_clipboard(browser, app_server):
    page = new_page(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        open_page(page, app_server, "latent_map?lang=en")
        shared = page.url
        # A tab that started a training has it in its URL (for a refresh); a copied link leaves it out.
        page.evaluate("history.replaceState(null, '', location.href + '&job=job-mine')")
        page.locator('[data-testid="copy-link-button"]').click()
        # The component lives in a shadow root: Playwright's locators reach into it, document.querySelector does not.
        page.locator('[data-testid="copy-link-status"]', has_text=t("link.copied", "en")).wait_for()
        assert "job=job-mine" in page.url
        assert page.evaluate("navigator.clipboard.readText()") == shared
    finally:
        page.context.close()


def test_copy_link_without_a_clipboard_shows_the_link_to_copy(app_server, browser):
    """A classroom server reached by its name over plain http is no secure context: no clipboard API there."""
    insecure = browser.browser_type.launch(executable_path=chromium_path(), headless=True,
                                           args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP classroom.test 127.0.0.1"])
    try:
        page = insecure.new_page(locale="ko-KR")
        page.goto(f"http://classroom.test:{app_server.port}/explorer?lang=ko", wait_until="domcontentloaded")
        page.locator('[data-testid="copy-link-button"]').click(timeout=120_000)
        field = page.locator('[data-testid="copy-link-field"]')
        field.wait_for()
        assert page.evaluate("window.isSecureContext") is False
        assert field.input_value() == page.url and "lang=ko" in page.url
        assert page.locator('[data-testid="copy-link-status"]').inner_text() == t("link.copy_failed", "ko")
    finally:
        insecure.close()


def test_the_language_survives_a_refresh(page, app_server):
    open_page(page, app_server, "reconstructions")
    set_language(page, "en")
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', state="attached")
    page.wait_for_function(f"document.querySelector('{MAIN} h1')?.innerText.trim() === {t('recon.title', 'en')!r}")
    wait_idle(page)
    assert title(page) == t("recon.title", "en")


def test_a_link_to_no_page_opens_the_home_page_with_a_notice(page, app_server):
    open_page(page, app_server, "no-such-page?lang=en")
    assert title(page) == t("home.title", "en")
    toast = page.locator('[data-testid="stToast"]')
    toast.first.wait_for()
    assert t("link.part.page", "en") in toast.first.inner_text()
    assert page.get_by_text("Page not found").count() == 0, "Streamlit's own English dialog"


# ---------------------------------------------------------------------------------------------------------------
# Screens: a projector, a laptop at 150 %, a phone


def explorer_measures(page) -> dict:
    return page.evaluate("""() => ({
        image: document.querySelector('.st-key-explorer_decoded img').getBoundingClientRect().width,
        title: parseFloat(getComputedStyle(document.querySelector('[data-testid="stMain"] h1')).fontSize),
        text: parseFloat(getComputedStyle(
            document.querySelector('[data-testid="stMain"] [data-testid="stCaptionContainer"]')).fontSize),
        sidebar: document.querySelector('[data-testid="stSidebar"]')?.getBoundingClientRect().width ?? 0,
    })""")


def test_presenter_mode_on_a_1920x1080_projector(browser, app_server):
    sizes = {}
    for present in ("0", "1"):
        page = new_page(browser, viewport={"width": 1920, "height": 1080})
        try:
            open_page(page, app_server, f"explorer?lang=ko&present={present}")
            wait_for_images(page)
            page.wait_for_timeout(500)  # the sidebar's folding transition
            sizes[present] = explorer_measures(page)
            assert error_texts(page) == []
        finally:
            page.context.close()
    normal, presenter = sizes["0"], sizes["1"]
    print(f"\n1920x1080, normal: {normal}; presenter: {presenter}")
    assert presenter["image"] >= 1.4 * normal["image"], sizes
    assert presenter["title"] >= 1.25 * normal["title"] and presenter["text"] >= 1.25 * normal["text"], sizes
    assert presenter["sidebar"] < 50 < normal["sidebar"], f"the sidebar is not folded away: {sizes}"


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("width, zoom", [(1366, 1.0), (911, 1.5)], ids=["1366px", "1366px-at-150%"])
def test_labels_fit_a_laptop_screen(browser, app_server, language, width, zoom):
    page = new_page(browser, viewport={"width": width, "height": int(768 / zoom)}, zoom=zoom)
    problems = []
    try:
        for path in (page_entry.url_path for page_entry in PAGES):
            open_page(page, app_server, f"{path}?lang={language}")
            wait_for_images(page)
            problems += [f"/{path}: {problem}" for problem in cut_texts(page)]
            if path == "explorer":
                page.get_by_role("tab", name=t("explorer.tab_live", language)).click()
                page.wait_for_timeout(500)
                problems += [f"/{path} (live tab): {problem}" for problem in cut_texts(page)]
    finally:
        page.context.close()
    assert problems == []


def test_on_a_phone_each_reconstruction_stays_under_its_original(browser, app_server):
    page = new_page(browser, viewport={"width": 390, "height": 844}, zoom=3)
    try:
        open_page(page, app_server, "reconstructions?lang=ko")
        wait_for_images(page)
        boxes = page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-recon_card_"]')].map(card =>
            [...card.querySelectorAll('img')].map(img => { const box = img.getBoundingClientRect();
                                                           return [box.x + box.width / 2, box.y, box.height]; }))""")
    finally:
        page.context.close()
    assert len(boxes) == 10
    for original, reconstruction, error_map in boxes:
        assert abs(reconstruction[0] - original[0]) < 1 and abs(error_map[0] - original[0]) < 1
        assert original[1] < reconstruction[1] < original[1] + 2 * original[2], "not right under its original"
    assert len({round(card[0][1]) for card in boxes}) > 1, "the cards should wrap on a phone"


def test_plotly_speaks_korean(page, app_server):
    open_page(page, app_server, "latent_map?lang=ko")
    wait_for_plots(page)
    titles = page.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert t("plotly.pan", "ko") in titles and t("plotly.zoom_in", "ko") in titles
    assert "Pan" not in titles and "Zoom in" not in titles
    fullscreen = page.evaluate("""() => { const button = document.querySelector('.modebar-btn[data-title="Fullscreen"]');
        return button ? getComputedStyle(button, '::after').content : null; }""")
    assert fullscreen in (None, f'"{t("plotly.fullscreen", "ko")}"')
    assert t("sidebar.language", "ko") in page.locator(SIDEBAR).inner_text()


def test_the_url_follows_a_release_without_another_rerun_and_back_undoes_it(page, app_server):
    script_runs = page.script_runs
    open_page(page, app_server, "explorer?lang=en")
    wait_for_images(page)
    thumb = page.locator(".st-key-explorer_pc_0 input[type=range]")
    sources, links = [page.locator(DECODED_IMAGE).get_attribute("src")], [page.url]
    for key in ("End", "Home"):
        runs = script_runs.runs
        thumb.focus()
        thumb.press(key)
        script_runs.wait_beyond(page, runs)
        page.wait_for_timeout(1500)  # time for any rerun the URL's update would cause
        assert script_runs.runs == runs + 1, "writing the URL caused another rerun"
        wait_for_images(page)
        sources.append(page.locator(DECODED_IMAGE).get_attribute("src"))
        links.append(page.url)
    assert len(set(sources)) == 3 and len(set(links)) == 3, "each release gives a new picture and a new link"
    # The browser's Back goes to the previous code: the picture and the link of the first release.
    run_and_wait(page, page.go_back)
    page.wait_for_function("([selector, source]) => document.querySelector(selector)?.getAttribute('src') === source",
                           arg=[DECODED_IMAGE, sources[1]], timeout=30_000)
    assert page.url == links[1]
    assert error_texts(page) == [] and page.js_errors == []
