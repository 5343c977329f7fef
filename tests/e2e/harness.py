"""Drives the real app in a real browser: starts `streamlit run app.py` on a free port and Debian's Chromium via Playwright.

Shared by the end-to-end tests (tests/e2e/), the UI latency benchmark (bench/ui_latency.py) and the screenshot
script (scripts/screenshots.py). Usage:

    with app_server() as server, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = new_page(browser)
        open_page(page, server, "explorer")

Playwright's own browser download is never used (`playwright install` cannot reach the internet here): Chromium
comes from Debian (`/usr/bin/chromium`, or $AE_LAB_CHROMIUM).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
for folder in (PROJECT_ROOT, PROJECT_ROOT / "scripts"):  # the benchmarks and scripts import this module from outside pytest
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from serve import stop  # noqa: E402  (after the path is set)

from ui.pages import BY_NAME  # noqa: E402

PORTS = range(8700, 8800)  # this project's range for throwaway servers, away from `make run`'s 8501
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}

APP = '[data-testid="stApp"]'
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# st.error renders an alert whose content is stAlertContentError; st.exception renders stException (and, when
# client.showErrorDetails is "none", an error alert saying that an error happened).
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
DECODED_IMAGE = ".st-key-explorer_decoded img"  # the explorer's decoded picture (sliders tab)
LIVE_CANVAS = '[data-testid="live-decoder-canvas"]'  # the explorer's live tab
NAV_LINKS = '[data-testid="stSidebarNav"] a'
SKELETONS = '[data-testid=stSkeleton], [data-testid=stSkeletonElement], [data-testid=stAppSkeleton]'

def chromium_path() -> str:
    return os.environ.get("AE_LAB_CHROMIUM", "/usr/bin/chromium")


def browser_available() -> bool:
    """Whether Chromium and the playwright package are both here (the tests skip with a reason otherwise)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(chromium_path()).exists() or shutil.which(chromium_path()) is not None


def free_port() -> int:
    """A port in 8700-8799 nobody listens on; starts at a random one so parallel runs rarely race for the same."""
    ports = list(PORTS)
    start = random.randrange(len(ports))
    for port in ports[start:] + ports[:start]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def log_tail(self, characters: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-characters:]
        except OSError:
            return ""


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def app_server(trained_dir: Path | None = None, startup_timeout: float = 90.0, env: dict | None = None
               ) -> Iterator[AppServer]:
    """`streamlit run app.py` on a free port, with trained models in `trained_dir` (a fresh temporary folder if None).

    Yields once /_stcore/health answers "ok"; the server's process group is ended on exit.
    """
    with tempfile.TemporaryDirectory(prefix="ae-lab-e2e-") as scratch:
        scratch_path = Path(scratch)
        folder = trained_dir or scratch_path / "trained"
        log_path = scratch_path / "server.log"
        environment = {**os.environ, "AE_LAB_TRAINED_DIR": str(folder), "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}
        for attempt in range(3):  # another process may take the port between the probe and the bind
            port = free_port()
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                     "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                    cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group, so stop() reaches its children too
                )
            server = AppServer(port, process, log_path)
            try:
                deadline = time.monotonic() + startup_timeout
                while not _healthy(port):
                    if process.poll() is not None:
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"The app did not answer on port {port} within {startup_timeout:.0f} s:\n"
                                           f"{server.log_tail()}")
                    time.sleep(0.25)
                if process.poll() is not None:
                    if "already in use" in server.log_tail() and attempt < 2:
                        continue
                    raise RuntimeError(f"The app exited with code {process.returncode}:\n{server.log_tail()}")
                yield server
                return
            finally:
                stop(process)


def launch_browser(playwright):
    """Debian's headless Chromium (Playwright makes a fresh temporary profile for it)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def new_page(browser, viewport: dict | None = None, timeout_ms: float = 30_000, zoom: float = 1.0,
             permissions: list[str] | None = None):
    """A page in its own browser context (its own Streamlit session), recording uncaught JavaScript errors.

    `zoom` is the browser's zoom: 1.5 with a viewport of 1366/1.5 px is a 1366 px screen at 150 %.
    """
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="ko-KR", device_scale_factor=zoom,
                                  permissions=permissions or [])
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.script_runs = ScriptRuns(page)  # type: ignore[attr-defined]
    return page


class ScriptRuns:
    """The script runs the server starts and finishes for one page, read from its websocket: exact, where the page's
    "running" state is not (a fast run can start and finish within one React render and never show it).

    `new_page` attaches one to every page as `page.script_runs`, before the page opens the app.
    """

    def __init__(self, page):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.events: list[str] = []  # "start" and "finish", in the order the frames arrived

        def record(payload) -> None:
            if not isinstance(payload, bytes):
                return
            message = ForwardMsg.FromString(payload)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.events.append("start")
            elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.events.append("finish")  # (a run stopped for a rerun is followed by the rerun's own start)

        page.on("websocket", lambda socket: socket.on("framereceived", record))

    @property
    def runs(self) -> int:
        """How many runs have started."""
        return self.events.count("start")

    def finished_since(self, mark: int) -> bool:
        """Whether a run started after event number `mark` and every run started since has finished."""
        return "start" in self.events[mark:] and self.events[-1] == "finish"

    def wait_beyond(self, page, runs: int, timeout_s: float = 60.0) -> None:
        """Waits until more than `runs` runs have started and the last one has finished, then for the page to draw it."""
        mark = [index for index, event in enumerate(self.events) if event == "start"][runs - 1] + 1 if runs else 0
        self.wait_since(page, mark, timeout_s, f"no script run after the first {runs}")

    def wait_since(self, page, mark: int, timeout_s: float, what: str) -> None:
        """Waits until a run started after event number `mark` and every run since has finished, then for the page to
        draw it; fails saying `what` did not happen."""
        deadline = time.monotonic() + timeout_s
        while not self.finished_since(mark):
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} within {timeout_s:.0f} s (runs seen: {self.events[mark:]})")
            page.wait_for_timeout(25)
        wait_idle(page)


def wait_idle(page, timeout_ms: float = 60_000) -> None:
    """Waits until no script run is in progress and every element has been drawn.

    (Predicates here are functions, "() => ...": Playwright evaluates a bare expression with eval, which a
    Content-Security-Policy without 'unsafe-eval' refuses; tests/e2e/test_security.py runs under one.)

    "notRunning" can come before the last elements are drawn: widgets are code-split, and the first one of a kind
    shows a skeleton until its code has loaded.
    """
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => !document.querySelector('{SKELETONS}')", timeout=timeout_ms)


def run_and_wait(page, action: Callable[[], object], timeout_ms: float = 60_000) -> None:
    """Performs `action` (a click, a key press) and waits until the script run it causes has finished and been drawn.

    An action that causes no run fails here: wait for what the page shows instead.
    """
    mark = len(page.script_runs.events)
    action()
    page.script_runs.wait_since(page, mark, timeout_ms / 1000, "the action caused no finished script run")


def open_page(page, server: AppServer, path: str = "", timeout_ms: float = 120_000) -> None:
    """Loads /<path> (a url path: "" is the home page) in a new session and waits for its first run to be drawn.

    The first run on a server loads TensorFlow and the model: tens of seconds on a busy machine.
    """
    mark = len(page.script_runs.events)
    page.goto(f"{server.url}/{path}", wait_until="domcontentloaded")
    page.script_runs.wait_since(page, mark, timeout_ms / 1000, f"no finished script run of /{path}")


def warm_up(browser, server: AppServer) -> None:
    """Opens the entry page in a throwaway session: loads TensorFlow and the default model before anything is timed.

    It also makes the server run app.py for every later session: while no session has called st.navigation, a
    fresh server with a `pages/` folder runs a page opened by its URL on its own, without app.py, and the first
    session's sidebar choices do not survive a page change (see tests/e2e/test_browser.py).
    """
    page = new_page(browser)
    try:
        open_page(page, server, "")
    finally:
        page.context.close()


def url_path(name: str) -> str:
    """The url path of a page of ui.pages ("" for the home page)."""
    return BY_NAME[name].url_path


def go_to(page, name: str, timeout_ms: float = 120_000) -> None:
    """Switches to another page (a name in ui.pages) through the sidebar's navigation, keeping the session."""
    index = page.evaluate(
        """(path) => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
               .findIndex(link => new URL(link.href).pathname.replace(/\\/$/, '') === path)""",
        "/" + url_path(name) if url_path(name) else "")
    if index < 0:
        raise AssertionError(f"No link to the {name} page in the sidebar's navigation")
    run_and_wait(page, page.locator(NAV_LINKS).nth(index).click, timeout_ms)


def choose_in_selectbox(page, selectbox, option_text: str, timeout_ms: float = 60_000) -> None:
    """Opens a Streamlit selectbox (a react-aria combobox) and picks the option whose text is `option_text`."""
    selectbox.locator('button[aria-haspopup="listbox"]').click()
    option = page.locator('[role="listbox"] [role="option"]').filter(has_text=option_text).first
    run_and_wait(page, option.click, timeout_ms)


def language_selectbox(page):
    return page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').first


def set_language(page, language: str, timeout_ms: float = 60_000) -> None:
    """Chooses the UI language ("ko" or "en") in the sidebar's language selectbox (the first selectbox there)."""
    from ui.i18n import LANGUAGES

    box = language_selectbox(page)
    if box.locator("input").input_value() == LANGUAGES[language]:
        return
    choose_in_selectbox(page, box, LANGUAGES[language], timeout_ms)
    page.wait_for_function(
        f"() => document.querySelector('{SIDEBAR} [data-testid=stSelectbox] input')?.value === {LANGUAGES[language]!r}",
        timeout=timeout_ms)


def error_texts(page) -> list[str]:
    """The text of every error element on the page (st.error, st.exception), empty when there is none."""
    return [element.inner_text() for element in page.locator(ERROR_ELEMENTS).all()]


def wait_for_images(page, timeout_ms: float = 30_000) -> None:
    """Waits until every <img> in the main area has loaded with a non-empty picture."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMain"] img')]
                   .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=timeout_ms)


def wait_for_text(page, text: str, within: str = MAIN, timeout_ms: float = 30_000) -> None:
    """Waits until the element `within` (the main block by default) shows `text` somewhere in its text."""
    page.wait_for_function("([selector, text]) => document.querySelector(selector)?.innerText.includes(text)",
                           arg=[within, text], timeout=timeout_ms)


def wait_for_plots(page, timeout_ms: float = 60_000) -> None:
    """Waits until every plotly chart on the page has drawn its plot (a .js-plotly-plot with a main SVG or WebGL)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => {
                 const plot = chart.querySelector('.js-plotly-plot');
                 return plot && plot.querySelector('.main-svg, canvas') && plot._fullLayout;
               })""",
        timeout=timeout_ms)


def full_page_screenshot(page, path: Path | str) -> None:
    """A screenshot of the whole app, however long the page.

    Streamlit scrolls inside its own containers, not the document, so Playwright's full_page sees only the viewport:
    the viewport is stretched to the content's height for the picture and put back afterwards.
    """
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
               '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]')]
               .map(element => element.scrollHeight))""")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    try:
        page.wait_for_timeout(300)  # charts resize to the new viewport
        wait_for_images(page)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


# Text cut short by an ellipsis or clipped, and words broken across two lines ("Reconstructio/n"), in the main area
# and the sidebar; charts, tooltips and open dropdowns are left out.
_CUT_TEXT = """() => {
  const problems = [];
  const skip = (el) => el.closest('.js-plotly-plot, [data-testid="stVegaLiteChart"], [data-testid="stTooltipContent"],'
                                  + ' svg, [role="listbox"], [data-testid="stDataFrame"]');
  const visible = (el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0; };
  for (const root of document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || skip(element) || !visible(element)) continue;
      for (const word of node.textContent.matchAll(/\\S{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.top)));
        if (lines.size > 1) problems.push(`broken: "${word[0]}" in "${node.textContent.trim().slice(0, 60)}"`);
      }
    }
    for (const element of root.querySelectorAll('*')) {
      if (skip(element) || !visible(element) || !element.textContent.trim() || element.children.length > 3) continue;
      const style = getComputedStyle(element);
      const ownText = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
      const clips = style.textOverflow === 'ellipsis' || (ownText && [style.overflow, style.overflowX].includes('hidden'));
      if (clips && element.scrollWidth > element.clientWidth + 1)
        problems.push(`cut: "${element.textContent.trim().slice(0, 60)}" (${element.scrollWidth} > ${element.clientWidth} px)`);
    }
  }
  return problems;
}"""


def cut_texts(page) -> list[str]:
    """Words broken across lines and text cut short on the page, as readable descriptions (empty when none)."""
    return page.evaluate(_CUT_TEXT)


def title(page) -> str:
    """The page's title (its first h1), as shown."""
    return page.locator(f"{MAIN} h1").first.inner_text().strip()


# A pair of trousers, filled in: two legs of two strokes each, apart below the waist, joined by a fifth stroke (fractions
# of the drawing canvas, from and to).
TROUSERS = [[(0.40, 0.12), (0.31, 0.88)], [(0.45, 0.12), (0.37, 0.88)], [(0.55, 0.12), (0.63, 0.88)],
            [(0.60, 0.12), (0.69, 0.88)], [(0.40, 0.13), (0.60, 0.13)]]


def draw_strokes(page, canvas, strokes, *, steps: int = 10, during=None) -> None:
    """Draws `strokes` on a drawing canvas with real pointer events, waiting for each stroke's rerun; `during(number)`
    runs while stroke `number`'s button is still down."""
    box = canvas.bounding_box()
    for number, ((x0, y0), (x1, y1)) in enumerate(strokes):
        page.mouse.move(box["x"] + box["width"] * x0, box["y"] + box["height"] * y0)
        page.mouse.down()
        for step in range(1, steps + 1):
            fraction = step / steps
            page.mouse.move(box["x"] + box["width"] * (x0 + (x1 - x0) * fraction),
                            box["y"] + box["height"] * (y0 + (y1 - y0) * fraction))
            page.wait_for_timeout(15)
        if during is not None:
            during(number)
        run_and_wait(page, page.mouse.up)

