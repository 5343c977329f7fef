"""What a visitor can reach (docs/security.md), checked against a running server: the endpoints, what the metrics
reveal, XSRF on uploads, CORS on the websocket, no project file served; and the shipped proxy (deploy/haproxy.cfg, in
Debian's HAProxy) in front of it: its security headers on every answer, the metrics refused to any address but the
monitoring host's, and every page working in Chromium under its Content-Security-Policy (no violation, the explorer's
live tab and the garment canvas included).

Run: `.venv/bin/python -m pytest tests/e2e/test_security.py -q`
"""

import base64
import http.client
import os
import re
import socket
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import harness
import pytest
from shipped_proxy import configured_headers, haproxy_available, shipped_proxy

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
    headers = configured_headers()
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} <= set(headers)
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    # The document gives the shipped config's very lines: its HAProxy block is an excerpt of deploy/haproxy.cfg.
    block = doc.split("```haproxy", 1)[1].split("```", 1)[0]
    assert configured_headers(block) == headers
    shipped = {line.strip() for line in (PROJECT / "deploy" / "haproxy.cfg").read_text(encoding="utf-8").splitlines()}
    for line in block.splitlines():
        if line.strip() and not line.strip().startswith("#") and line.strip() != "...":
            assert line.strip() in shipped, f"docs/security.md gives a line deploy/haproxy.cfg does not have: {line}"


def test_the_csp_allows_the_inline_script_of_this_streamlit():
    """The hash in the policy is that of Streamlit's one inline script (recomputed after an upgrade: docs/security.md)."""
    import hashlib

    import streamlit

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    hashes = [base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
              for script in re.findall(r"<script>(.*?)</script>", index, re.S)]
    policy = configured_headers()["Content-Security-Policy"]
    assert hashes and all(f"'sha256-{digest}'" in policy for digest in hashes)


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


needs_haproxy = pytest.mark.skipif(not haproxy_available(), reason="needs Debian's haproxy (scripts/system-deps.sh --proxy)")


@pytest.fixture(scope="module")
def proxy(server, tmp_path_factory):
    """The shipped HAProxy config in front of the server, bound to 127.0.0.1: the tests' own requests come from the
    monitoring address, 127.0.0.1, unless they are sent from another loopback address (127.0.0.2)."""
    with shipped_proxy(server.port, tmp_path_factory.mktemp("haproxy")) as url:
        yield url


def get_from(url: str, source_address: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """A request for `url` (http://127.0.0.1:port/path, sent as written) from `source_address`: what HAProxy's `src`
    sees."""
    host_port, _, path = url.removeprefix("http://").partition("/")
    host, port = host_port.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(source_address, 0))
    try:
        connection.request(method, "/" + path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {key.lower(): value for key, value in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.slow
@needs_haproxy
@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/%6detrics", "/_stcore%2Fmetrics", "/_stcore/metrics/",
                                  "/_stcore/metrics?families=session_events_total"])
def test_the_proxy_refuses_the_metrics_to_any_address_but_the_monitoring_hosts(server, proxy, path):
    status, headers, body = get_from(proxy + path, "127.0.0.2")
    assert status == 403 and b"session_events_total" not in body
    assert headers.get("x-content-type-options") == "nosniff"  # HAProxy's own answers carry the headers too
    # The same request from the monitoring address is answered by the app (or sent on to the metrics, for a slash).
    status, _, body = get_from(proxy + "/_stcore/metrics", "127.0.0.1")
    assert status == 200 and b"session_events_total" in body
    # The rest of the app answers a visitor from any address.
    status, _, body = get_from(proxy + "/_stcore/health", "127.0.0.2")
    assert (status, body) == (200, b"ok")


@pytest.mark.slow
@needs_haproxy
def test_the_proxy_adds_every_header_and_hides_the_server(server, proxy):
    expected = configured_headers()
    for path in ("/", "/explorer", "/_stcore/health", "/static/no-such-file.js", "/_stcore/metrics"):
        status, headers, _ = get_from(proxy + path, "127.0.0.2")
        for name, value in expected.items():
            assert headers.get(name.lower()) == value, f"{path}: {name}"
        assert "server" not in headers, f"{path} names its server: {headers.get('server')}"
    status, _, _ = get_from(proxy + "/_stcore/upload_file/x/y", "127.0.0.2", {"Content-Length": str(7 << 20)}, "PUT")
    assert status == 413  # larger than any upload the app takes, refused before it reaches the app


# Installed in the page: every Content-Security-Policy violation, as "directive blocked-uri".
VIOLATIONS = """() => {
  window.__aeViolations = [];
  document.addEventListener('securitypolicyviolation',
                            (event) => window.__aeViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
}"""


def assert_no_violation(page, where: str) -> None:
    violations = sorted(set(page.evaluate("window.__aeViolations"))) + [
        message for message in page.csp_console if "Content Security Policy" in message]
    assert violations == [], f"{where}: " + "\n".join(violations)


@pytest.mark.slow
@pytest.mark.browser
@needs_haproxy
def test_every_page_works_behind_the_shipped_proxy(server, proxy):
    if not harness.browser_available():
        pytest.skip("needs Chromium and playwright")
    from playwright.sync_api import sync_playwright

    headers = configured_headers()
    proxied = harness.AppServer(int(proxy.rsplit(":", 1)[1]), server.process, server.log_path)
    with sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        page = harness.new_page(browser)
        page.add_init_script(f"({VIOLATIONS})()")
        page.csp_console = []  # type: ignore[attr-defined]
        page.on("console", lambda message: page.csp_console.append(message.text))
        answered = []  # every HTTP answer the page got from the proxy: (url, its headers)
        page.on("response", lambda response: answered.append((response.url, response.headers)))
        try:
            response = page.goto(proxy + "/?lang=en", wait_until="domcontentloaded")
            for name, value in headers.items():
                assert response.headers.get(name.lower()) == value
            harness.open_page(page, proxied, "?lang=en")
            for page_info in PAGES:
                if page_info.url_path:
                    harness.go_to(page, page_info.name)
                harness.wait_for_images(page)
                if page_info.name == "explorer":  # the live tab decodes in the browser, in a component's blob: script
                    page.get_by_role("tab").nth(1).click()
                    page.locator(harness.LIVE_CANVAS).wait_for()
                    page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1",
                                           arg=page.locator(harness.LIVE_CANVAS).element_handle())
                if page_info.name == "garment":  # the drawing canvas, its live preview and the server's answer
                    canvas = page.locator('[data-testid="draw-canvas"]')
                    page.wait_for_function("() => globalThis.__aeLabLiveDecoder?.prepared.size >= 2", timeout=60_000)
                    harness.draw_strokes(page, canvas, harness.TROUSERS[:2])
                    page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1",
                                           arg=page.locator('[data-testid="draw-preview"]').element_handle())
                    assert canvas.get_attribute("data-strokes") == "2"
                    harness.wait_for_images(page)
                    page.locator(f'{harness.MAIN} [data-testid="stImageCaption"]').first.wait_for()
                if page.locator(".js-plotly-plot").count():
                    harness.wait_for_plots(page)
                    # plotly's WebGL charts need 'unsafe-eval'; without it they show this instead of the points.
                    assert "WebGL is not supported" not in page.locator(harness.MAIN).inner_text()
                assert harness.error_texts(page) == [], page_info.name
                assert_no_violation(page, page_info.name)
            assert page.js_errors == []
            http_answers = [(url, got) for url, got in answered if url.startswith(proxy)]
            assert len(http_answers) > 20  # the page, its scripts, styles, fonts and pictures
            for url, got in http_answers:
                assert got.get("content-security-policy") == headers["Content-Security-Policy"], url
                assert got.get("x-content-type-options") == "nosniff", url
            # After a session used every page: the metrics (to the monitoring host) name the cached functions, and
            # nothing private.
            metrics = get_from(proxy + "/_stcore/metrics", "127.0.0.1")[2].decode()
            assert 'cache="ui.state._loaded_model"' in metrics
            assert_metrics_reveal_nothing_private(metrics)
        finally:
            browser.close()
