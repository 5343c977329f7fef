"""Fixtures for the real-browser tests: one app server and one Chromium per test module, a fresh session per test.

The server is started with an empty private folder for trained models, so only the shipped models are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import harness
import pytest

# Installed in the first visitor's page: every 50 ms until the explorer's decoded image is there, whether the app's
# first run has started, and whether the title, a loading status (st.status's spinner, or st.spinner) and the content
# are on the page.
LOADING_RECORDER = """() => {
  const record = window.__aeLoading = {running_ms: null, title_ms: null, status_seen_ms: null, content_ms: null,
                                      bare_title_ms: 0, status_texts: []};
  const start = performance.now();
  const timer = setInterval(() => {
    const now = performance.now() - start;
    const app = document.querySelector('[data-testid="stApp"]');
    if (app && app.getAttribute('data-test-script-state') === 'running' && record.running_ms === null)
      record.running_ms = now;
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return;
    const title = main.querySelector('h1');
    const status = main.querySelector('[data-testid="stExpanderIconSpinner"], [data-testid="stSpinner"]');
    const content = main.querySelector('.st-key-explorer_decoded img');
    if (title && record.title_ms === null) record.title_ms = now;
    if (status) {
      if (record.status_seen_ms === null) record.status_seen_ms = now;
      const text = (status.closest('[data-testid="stExpander"]') || status).innerText.trim();
      if (text && !record.status_texts.includes(text)) record.status_texts.push(text);
    }
    if (title && !status && !content) record.bare_title_ms += 50;
    if (content) { record.content_ms = now; clearInterval(timer); }
  }, 50);
}"""


@dataclass
class FirstVisit:
    """What the very first session of a fresh server saw when it opened a page other than the default one."""

    path: str
    sidebar_text: str
    nav_links: list[str]
    model_choices: list[tuple[str, str]]  # (page, the sidebar's active model) as the next session changed pages
    loading_timeline: dict  # LOADING_RECORDER's record: when the title, a loading status and the content appeared


@pytest.fixture(scope="module")
def app_server():
    if not harness.browser_available():
        pytest.skip(f"needs Chromium at {harness.chromium_path()} (set AE_LAB_CHROMIUM) and the playwright package")
    with harness.app_server() as server:
        yield server


@pytest.fixture(scope="module")
def browser(app_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def first_visit(app_server, browser) -> FirstVisit:
    """Opens the explorer by its URL as the server's first visitor (a shared link after a restart), and records it.

    Done once per server and before any other session, because only the first session can see how a fresh server
    answers a deep link, and what it shows while TensorFlow and the model load. It also loads TensorFlow, the model
    and the encoded test set, so later tests start warm.
    """
    page = harness.new_page(browser)
    page.add_init_script(f"({LOADING_RECORDER})()")
    try:
        harness.open_page(page, app_server, "explorer")
        page.wait_for_function("window.__aeLoading && window.__aeLoading.content_ms !== null", timeout=60_000)
        loading_timeline = page.evaluate("window.__aeLoading")
        sidebar_text = page.locator(harness.SIDEBAR).inner_text()
        nav_links = [link.get_attribute("href") for link in page.locator(harness.NAV_LINKS).all()]
        # The entry page, which a fresh server may also answer in the legacy mode; the other tests' sessions come
        # after it, in st.navigation's mode, whatever happened here.
        harness.open_page(page, app_server, "")
        model = page.locator(f'{harness.SIDEBAR} [data-testid="stSelectbox"]').nth(1).locator("input")
        model_choices = [("home", model.input_value())]
        harness.go_to(page, "models")
        model_choices.append(("models", model.input_value()))
        visit = FirstVisit("explorer", sidebar_text, nav_links, model_choices, loading_timeline)
    finally:
        page.context.close()
    return visit


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, app_server, browser, first_visit, tmp_path):
    """A fresh browser context (its own Streamlit session); on failure, a screenshot and the server's log tail."""
    page = harness.new_page(browser)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        shot = tmp_path / "failure.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            print(f"\nScreenshot of the failing page: {shot}")
        except Exception as error:  # a crashed page cannot be photographed; the log below still helps
            print(f"\nNo screenshot: {error}")
        print(f"JavaScript errors: {page.js_errors}\nServer log (tail):\n{app_server.log_tail()}")
    page.context.close()
