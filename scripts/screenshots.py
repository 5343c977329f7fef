"""Full-page screenshots of every page in Korean and English: docs/screenshots/<page>-<ko|en>.png (the explorer's live
tab and the Models page's code tab as explorer_live-* and models_code-*); and, in both languages, presenter mode on a
1920x1080 projector (presenter_<page>-<ko|en>.png) and a phone 390 px wide (phone_<page>-<ko|en>.png); a garment drawn
with the mouse (garment_drawn-*), an upload that is no picture (garment_upload_error-*), and an explorer link opened in
a fresh browser (link_opened-*).

Starts the app on a free port (only the shipped models listed) and Debian's headless Chromium at 1400x900, opens
each page through the sidebar, waits until its images have loaded and its plotly charts have drawn, and saves it.

Usage: `.venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--pages explorer latent_map] [--no-screens]`
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))  # the harness shared with the tests

import harness

from ui.i18n import t
from ui.pages import PAGES

LANGUAGES = ("ko", "en")
SETTLE_MS = 500  # after everything reports ready: transitions (sidebar, plotly's first paint) end
# Other screens, opened by a link: (file name prefix, viewport, zoom, query added to the link, pages).
SCREENS = (
    ("presenter", {"width": 1920, "height": 1080}, 1.0, "&present=1", ("explorer", "reconstructions")),
    ("phone", {"width": 390, "height": 844}, 3.0, "", ("reconstructions", "explorer", "denoising", "latent_grid")),
)


def capture(page, path: str, target: Path) -> list[str]:
    """Saves the current page once it is complete; returns the errors it shows."""
    harness.wait_idle(page)
    harness.wait_for_images(page)
    harness.wait_for_plots(page)
    page.wait_for_timeout(SETTLE_MS)
    harness.full_page_screenshot(page, target)
    return harness.error_texts(page)


def garment_and_link_shots(browser, server, out: Path, language: str) -> list[str]:
    """Pictures of what a class does with the app beyond a page's first view: a garment drawn with the mouse, an
    upload that is no picture, and a link to an explorer state opened in another browser."""
    problems = []
    page = harness.new_page(browser, timeout_ms=60_000)
    harness.open_page(page, server, f"garment?lang={language}")
    page.get_by_test_id("draw-brush").fill("20")
    harness.draw_strokes(page, page.locator('[data-testid="draw-canvas"]'), harness.TROUSERS)
    problems += capture(page, "garment", out / f"garment_drawn-{language}.png")
    page.get_by_role("tab", name=t("garment.tab_upload", language)).click()
    with tempfile.TemporaryDirectory() as scratch:
        notes = Path(scratch) / "notes.png"
        notes.write_text("not a picture")
        harness.run_and_wait(page, lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(notes)))
    page.get_by_text(t("garment.error.not_an_image", language)).wait_for()
    # The error is the expected content of this picture, not a problem of the page.
    capture(page, "garment", out / f"garment_upload_error-{language}.png")
    problems += [f"JavaScript error (garment, {language}): {error}" for error in page.js_errors]

    harness.open_page(page, server, f"explorer?lang={language}&img=42")
    thumb = page.locator(".st-key-explorer_pc_0 input[type=range]")
    thumb.focus()
    for key in ("End", "ArrowLeft", "ArrowLeft"):
        harness.run_and_wait(page, lambda key=key: thumb.press(key))
    link = page.url
    page.context.close()
    fresh = harness.new_page(browser, timeout_ms=60_000)  # another browser: nothing of the first session
    harness.open_page(fresh, server, link.split("/", 3)[3])
    problems += capture(fresh, "explorer", out / f"link_opened-{language}.png")
    fresh.context.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=harness.PROJECT_ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", nargs="+", choices=[page.name for page in PAGES], default=[page.name for page in PAGES])
    parser.add_argument("--no-screens", action="store_true", help="only the pages at 1400x900: no presenter, no phone")
    arguments = parser.parse_args()
    if not harness.browser_available():
        print(f"Needs Chromium at {harness.chromium_path()} (or $AE_LAB_CHROMIUM) and the playwright package.")
        return 2
    arguments.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    problems = []
    started = time.perf_counter()
    with harness.app_server() as server, sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        harness.warm_up(browser, server)
        for language in LANGUAGES:
            page = harness.new_page(browser, timeout_ms=60_000)
            harness.open_page(page, server, "")
            harness.set_language(page, language)
            for path in arguments.pages:
                harness.go_to(page, path)
                target = arguments.out / f"{path}-{language}.png"
                errors = capture(page, path, target)
                print(target)
                if path == "explorer":  # its second tab, the live in-browser decoder, is worth a picture of its own
                    page.get_by_role("tab", name=t("explorer.tab_live", language)).click()
                    canvas = page.locator(harness.LIVE_CANVAS)
                    canvas.wait_for()
                    page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1", arg=canvas.element_handle())
                    target = arguments.out / f"explorer_live-{language}.png"
                    errors += capture(page, path, target)
                    print(target)
                if path == "models":  # the lecture's Keras code for the model, beside its curves and film
                    page.get_by_role("tab", name=t("models.tab.code", language)).click()
                    page.locator('[data-testid="stCode"]').first.wait_for()
                    target = arguments.out / f"models_code-{language}.png"
                    errors += capture(page, path, target)
                    print(target)
                problems += [f"{path} ({language}): {error}" for error in errors]
            problems += [f"JavaScript error ({language}): {error}" for error in page.js_errors]
            page.context.close()
        for language in () if arguments.no_screens else LANGUAGES:
            problems += garment_and_link_shots(browser, server, arguments.out, language)
        for prefix, viewport, zoom, query, paths in () if arguments.no_screens else SCREENS:
            for language in LANGUAGES:
                page = harness.new_page(browser, viewport=viewport, zoom=zoom, timeout_ms=60_000)
                for path in paths:
                    harness.open_page(page, server, f"{harness.url_path(path)}?lang={language}{query}")
                    page.wait_for_timeout(SETTLE_MS)  # the sidebar folds away in presenter mode
                    target = arguments.out / f"{prefix}_{path}-{language}.png"
                    problems += [f"{prefix} {path} ({language}): {error}" for error in capture(page, path, target)]
                    print(target)
                problems += [f"JavaScript error ({prefix}, {language}): {error}" for error in page.js_errors]
                page.context.close()
        browser.close()
    print(f"Done in {time.perf_counter() - started:.0f} s.")
    for problem in problems:
        print(f"Shown on the page: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
