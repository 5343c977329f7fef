"""Model names, which students choose, in a real browser: on every page that shows one they are the very characters
of the name, never Markdown (bold, a picture, a link, LaTeX, a colour, an emoji) or HTML, and no request leaves for a
site a name mentions (ui/plain_text.py).

The server's trained folder holds two usable copies of dense-64 named `__init__` (Markdown's bold) and
`www.example.org` (a bare address, which Markdown turns into a link), and folders whose names are not valid model
names (listed as unavailable on the Models page, by name): a picture, a colour, LaTeX, HTML, an emoji shortcode.
Run: `.venv/bin/python -m pytest tests/e2e/test_plain_names.py -q`
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import harness
import pytest
from harness import MAIN, SIDEBAR, error_texts, open_page, run_and_wait

from ui.i18n import t

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BOLD_NAME = "__init__"
LINK_NAME = "www.example.org"
UNAVAILABLE_NAMES = ["![px](https:example.org)", ":red[x]", "$x$", "<b>x<i>y", ":smile:", "**bold** `tick`",
                     "[link](https:example.org)"]
TYPED_NAMES = ["![px](https:example.org)", "<b>x</b>", "<img src=https://example.org/x.png>"]
SHIPPED = harness.PROJECT_ROOT / "models" / "dense-64"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not harness.browser_available():
        pytest.skip("needs Chromium and playwright")
    trained = tmp_path_factory.mktemp("hostile-names") / "trained"
    trained.mkdir()
    for name in (BOLD_NAME, LINK_NAME):
        shutil.copytree(SHIPPED, trained / name)
    for name in UNAVAILABLE_NAMES:
        (trained / name).mkdir()
    with harness.app_server(trained_dir=trained) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh session that records every request it makes, to any address."""
    page = harness.new_page(browser)
    page.requests = []  # type: ignore[attr-defined]
    page.context.on("request", lambda request: page.requests.append(request.url))
    yield page
    page.context.close()


def requests_elsewhere(page) -> list[str]:
    """The requests the page sent to any host but the app's (a name's picture would be one)."""
    return [url for url in page.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).hostname not in ("localhost", "127.0.0.1")]


def assert_nothing_rendered_from_a_name(page) -> None:
    """No request to, link to or picture from a site a name mentions; no error on the page."""
    assert requests_elsewhere(page) == []
    assert page.locator('a[href*="example.org"], img[src*="example.org"]').count() == 0
    assert page.locator(f"{MAIN} .katex").count() == 0, "a name was read as LaTeX"
    assert error_texts(page) == []


def main_text(page) -> str:
    return page.locator(MAIN).inner_text()


def test_unavailable_folders_are_listed_by_their_names_as_written(page, server):
    open_page(page, server, f"models?lang=en&model={BOLD_NAME}")
    expander = page.locator(f'{MAIN} [data-testid="stExpander"]').filter(
        has_text=t("models.unavailable_header", "en", count=len(UNAVAILABLE_NAMES)))
    expander.locator("summary").click()  # (opening an expander runs nothing)
    expander.get_by_text(t("store.reason.bad_name", "en")).first.wait_for()
    listed = expander.inner_text()
    for name in UNAVAILABLE_NAMES:
        assert f"{name}: {t('store.reason.bad_name', 'en')}" in listed, f"{name!r} is not shown as written:\n{listed}"
    assert_nothing_rendered_from_a_name(page)


def test_a_name_markdown_would_make_bold_is_shown_as_written_on_every_page(page, server):
    # The sidebar's picker and the Models page's download button and code tab.
    open_page(page, server, f"models?lang=en&model={BOLD_NAME}")
    picker = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').nth(1)
    assert picker.locator("input").input_value() == BOLD_NAME
    picker.locator('button[aria-haspopup="listbox"]').click()  # its list of every model, by name
    options = page.locator('[role="listbox"] [role="option"]')
    options.filter(has_text=LINK_NAME).first.wait_for()
    assert {BOLD_NAME, LINK_NAME} <= {text.strip() for text in options.all_inner_texts()}
    page.keyboard.press("Escape")
    download = page.locator(".st-key-models_download_model")
    assert download.inner_text().strip().endswith(f"Download {BOLD_NAME}.keras")
    page.get_by_role("tab", name=t("models.tab.code", "en")).click()  # (a tab runs nothing)
    page.get_by_text(f"builds and trains {BOLD_NAME} with").first.wait_for()
    assert_nothing_rendered_from_a_name(page)
    # AE vs PCA: the model's metric and its row of reconstructions.
    harness.go_to(page, "ae_vs_pca")
    page.get_by_text(f"{BOLD_NAME} (64 dims): test MSE").first.wait_for()
    assert f"Model: {BOLD_NAME}" in main_text(page)
    assert_nothing_rendered_from_a_name(page)
    # Anomalies: the sentence that says the model saw the class.
    harness.go_to(page, "anomalies")
    page.get_by_text(f"{BOLD_NAME} saw").first.wait_for()
    assert_nothing_rendered_from_a_name(page)


def test_a_name_that_is_an_address_is_no_link(page, server):
    open_page(page, server, f"models?lang=en&model={LINK_NAME}")
    assert page.locator(".st-key-models_download_model").inner_text().strip().endswith(f"Download {LINK_NAME}.keras")
    harness.go_to(page, "ae_vs_pca")
    page.get_by_text(f"{LINK_NAME} (64 dims): test MSE").first.wait_for()
    assert_nothing_rendered_from_a_name(page)


def test_a_typed_name_that_is_refused_is_quoted_as_typed(page, server):
    open_page(page, server, "models?lang=en")
    name_field = page.locator(".st-key-models_name input")
    for typed in TYPED_NAMES:
        name_field.fill(typed)
        run_and_wait(page, page.locator(".st-key-models_start button").click)
        page.locator(harness.ERROR_ELEMENTS).filter(has_text=f"“{typed}” is not a valid name").first.wait_for()
        assert requests_elsewhere(page) == []
        assert page.locator('a[href*="example.org"], img[src*="example.org"]').count() == 0
