"""Test-only: Debian's HAProxy with the shipped deploy/haproxy.cfg in front of one app server, as scripts/serve.py
runs it (only its `bind` and `server` lines replaced), and the security headers that config adds.

Usage: `with shipped_proxy(app_server.port, tmp_path) as url: page.goto(url + "/explorer")`;
`configured_headers()` → {"Content-Security-Policy": "default-src 'self'; ...", ...}
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import serve
from harness import free_port

STARTUP_SECONDS = 30.0
_SET_HEADER = re.compile(r'^\s*http-after-response\s+set-header\s+([\w-]+)\s+"([^"]*)"\s*$', flags=re.MULTILINE)


def haproxy_available() -> bool:
    return shutil.which("haproxy") is not None


def configured_headers(text: str | None = None) -> dict[str, str]:
    """The `http-after-response set-header Name "value"` lines of deploy/haproxy.cfg (or of `text`), uncommented."""
    return dict(_SET_HEADER.findall(serve.HAPROXY_TEMPLATE.read_text(encoding="utf-8") if text is None else text))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def shipped_proxy(app_port: int, folder: Path, bind_address: str = "127.0.0.1") -> Iterator[str]:
    """HAProxy on a free port of `bind_address`, the shipped config in front of the app on 127.0.0.1:`app_port`;
    yields its URL once it answers (it marks the app up after its health checks); stopped on exit."""
    port = free_port()
    config = folder / "haproxy.cfg"
    config.write_text(serve.haproxy_config(serve.HAPROXY_TEMPLATE.read_text(encoding="utf-8"), f"{bind_address}:{port}",
                                           [("127.0.0.1", app_port)]), encoding="utf-8")
    log_path = folder / "haproxy.log"
    with log_path.open("wb") as log:
        # -db: in the foreground, ended with the test. Its own session, so that stop() reaches it alone.
        process = subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://{bind_address}:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"HAProxy did not answer on {url}:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        serve.stop(process)
