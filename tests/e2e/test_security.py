"""What a visitor can reach (docs/security.md), checked against a running server: the endpoints, what the metrics
reveal, XSRF on uploads, CORS on the websocket, no project file served; and the documented proxy headers in Chromium
(every page through a proxy that adds them, read from the document: no policy violation, nothing broken).

Run: `.venv/bin/python -m pytest tests/e2e/test_security.py -q`
"""

import base64
import os
import re
import socket
import tomllib
import urllib.error
import urllib.request

import harness
import pytest
from header_proxy import documented_headers, header_proxy

from ui.pages import PAGES

PROJECT = harness.PROJECT_ROOT
PATH_HINTS = re.compile(r"(/work/|/home/|/root/|/tmp/|/usr/|\.keras|\.py\b|" + re.escape(str(PROJECT)) + ")")


def fetch(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {key.lower(): value for key, value in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {key.lower(): value for key, value in error.headers.items()}, error.read()


def raw_get(port: int, raw_path: str) -> bytes:
    """A GET with the path sent as written (urllib would resolve `..`), returning the whole response."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def websocket_status(port: int, origin: str) -> str:
    """The status line the server answers a websocket handshake from `origin` with."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
               f"Origin: {origin}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).split(b"\r\n", 1)[0].decode()


def test_the_config_sets_what_the_document_says():
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server, client = config["server"], config["client"]
    assert server["maxUploadSize"] == 5
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["corsAllowedOrigins"] == []
    assert server["enableStaticServing"] is False and server["enableAgentApi"] is False
    assert client["showErrorDetails"] == "none" and client["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False
    doc = (PROJECT / "docs" / "security.md").read_text(encoding="utf-8")
    for option in ("maxUploadSize", "enableXsrfProtection", "enableCORS", "corsAllowedOrigins", "enableStaticServing",
                   "enableAgentApi", "showErrorDetails", "toolbarMode"):
        assert option in doc, f"docs/security.md does not explain {option}"
    headers = documented_headers()
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} <= set(headers)
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.fixture(scope="module")
def server():
    with harness.app_server() as running:
        yield running


def assert_metrics_reveal_nothing_private(text: str) -> None:
    assert not PATH_HINTS.search(text), "the metrics name a file or a path"
    assert "img=" not in text and "z=" not in text and "lang=" not in text, "the metrics carry a link"


@pytest.mark.slow
def test_health_answers_ok_and_metrics_reveal_no_path_or_user_data(server):
    status, _, body = fetch(server.url + "/_stcore/health")
    assert (status, body) == (200, b"ok")
    status, _, body = fetch(server.url + "/_stcore/metrics")
    assert status == 200 and "session_events_total" in body.decode() and "active_sessions" in body.decode()
    assert_metrics_reveal_nothing_private(body.decode())
    status, _, body = fetch(server.url + "/_stcore/host-config")
    assert status == 200 and not PATH_HINTS.search(body.decode())


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/app.py", "/.streamlit/config.toml", "/models/dense-64/metadata.json",
                                  "/docs/security.md", "/ui/url_state.py", "/app/static/app.py", "/static/../app.py",
                                  "/media/../../app.py", "/component/../../app.py",
                                  "/_stcore/bidi-components/ae_lab.live_decoder/../../app.py", "/%2e%2e/app.py"])
def test_no_project_file_is_served(server, path):
    response = raw_get(server.port, path)
    for name in ("app.py", ".streamlit/config.toml", "models/dense-64/metadata.json", "docs/security.md",
                 "ui/url_state.py"):
        content = (PROJECT / name).read_bytes()
        assert content[:80] not in response, f"{path} served {name}"


@pytest.mark.slow
def test_uploads_need_the_xsrf_token(server):
    status, _, body = fetch(server.url + "/_stcore/upload_file/some-session/some-file", method="PUT", data=b"x" * 100)
    assert status == 403 and b"XSRF" in body


@pytest.mark.slow
def test_other_sites_get_no_cors_and_no_websocket(server):
    _, headers, _ = fetch(server.url + "/_stcore/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in headers
    assert websocket_status(server.port, f"http://127.0.0.1:{server.port}").startswith("HTTP/1.1 101")
    assert not websocket_status(server.port, "http://evil.example").startswith("HTTP/1.1 101")


@pytest.mark.slow
def test_streamlit_sets_no_security_header_itself(server):
    """Why the proxy adds them (docs/security.md): if Streamlit starts to, the document needs another look."""
    _, headers, _ = fetch(server.url + "/")
    assert not {"content-security-policy", "x-content-type-options", "x-frame-options"} & set(headers)


# Installed in the page: every Content-Security-Policy violation, as "directive blocked-uri".
VIOLATIONS = """() => {
  window.__aeViolations = [];
  document.addEventListener('securitypolicyviolation',
                            (event) => window.__aeViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
}"""


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_works_behind_the_documented_headers(server):
    if not harness.browser_available():
        pytest.skip("needs Chromium and playwright")
    pytest.importorskip("aiohttp")
    from playwright.sync_api import sync_playwright

    headers = documented_headers()
    with header_proxy(server.url, headers) as proxy_url, sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        proxied = harness.AppServer(int(proxy_url.rsplit(":", 1)[1]), server.process, server.log_path)
        page = harness.new_page(browser)
        page.add_init_script(f"({VIOLATIONS})()")
        try:
            response = page.goto(proxy_url + "/?lang=en", wait_until="domcontentloaded")
            for name, value in headers.items():
                assert response.headers.get(name.lower()) == value
            harness.open_page(page, proxied, "?lang=en")
            for page_info in PAGES:
                if page_info.url_path:
                    harness.go_to(page, page_info.name)
                harness.wait_for_images(page)
                if page_info.name == "explorer":
                    page.get_by_role("tab").nth(1).click()
                    page.locator(harness.LIVE_CANVAS).wait_for()
                    page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1",
                                           arg=page.locator(harness.LIVE_CANVAS).element_handle())
                if page.locator(".js-plotly-plot").count():
                    harness.wait_for_plots(page)
                    # plotly's WebGL charts need 'unsafe-eval'; without it they show this instead of the points.
                    assert "WebGL is not supported" not in page.locator(harness.MAIN).inner_text()
                assert harness.error_texts(page) == [], page_info.name
                violations = sorted(set(page.evaluate("window.__aeViolations")))
                assert violations == [], f"{page_info.name}: " + "\n".join(violations)
            assert page.js_errors == []
            # After a session used every page: the metrics name the cached functions, and nothing private.
            metrics = fetch(server.url + "/_stcore/metrics")[2].decode()
            assert 'cache="ui.state._loaded_model"' in metrics
            assert_metrics_reveal_nothing_private(metrics)
        finally:
            browser.close()
