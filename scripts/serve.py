"""Serves the app warm: N Streamlit processes (behind HAProxy with sticky sessions when N > 1), each warmed up before
it prints "ready", so that the first student's visit is as fast as the next one's.

Usage: `.venv/bin/python scripts/serve.py [--processes N] [--port 8501] [--address 0.0.0.0]`
       (`make run` is one process; `make serve-class PROCESSES=2` puts HAProxy in front of two)

Warm means: each process has imported TensorFlow, loaded the default model, encoded its latent space, compiled its
decoder and drawn every page once, in a throwaway protocol-level session (scripts/streamlit_client.py), before the
launcher says "ready". Without it the first visitor of each process waits for all of that (docs/scaling.md).

Why several processes: one Streamlit process runs its script runs under one interpreter lock, so it never uses more
than one core (docs/scaling.md). N processes on their own ports of 127.0.0.1, HAProxy on the public port
(deploy/haproxy.cfg, whose bind and server lines are replaced here): a browser's first request is dealt round robin,
and a cookie keeps every later request of that browser (the websocket, its /media pictures) on the same process.
All processes share the trained folder (AE_LAB_TRAINED_DIR; names are reserved atomically there) and one
`server.cookieSecret` (STREAMLIT_SERVER_COOKIE_SECRET: a random one per launch unless set), so that a signed cookie
or XSRF token made by one process is good in another after a failover.

Trainings: each process keeps its own queue and cap (AE_LAB_MAX_TRAININGS, default 1), so N processes on one machine
run up to N trainings at once, each at a lower priority with its threads capped (ae_core/training/runners.py). With
AE_LAB_RAY_ADDRESS they run on a Ray cluster instead, which queues them by CPUs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from streamlit_client import StreamlitSession

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HAPROXY_TEMPLATE = PROJECT_ROOT / "deploy" / "haproxy.cfg"
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
SERVER_COOKIE = "AELAB_SERVER"  # deploy/haproxy.cfg: which app process a browser sticks to
FIRST_APP_PORT_OFFSET = 100  # behind the proxy on port P, the app processes listen on P+100, P+101, ...
STARTUP_SECONDS = 180.0  # a process answering its health check (TensorFlow is imported later, by the first run)
WARM_UP_SECONDS = 300.0  # every page once, on a busy 2-core machine


@dataclass
class Stack:
    """A running stack: where browsers go, the app processes (and the proxy in front of them, if any)."""

    url: str
    app_urls: list[str]
    apps: list[subprocess.Popen]
    proxy: subprocess.Popen | None = None
    logs: list[Path] = field(default_factory=list)
    warm_up_seconds: float | None = None

    @property
    def app_pids(self) -> list[int]:
        return [process.pid for process in self.apps]

    def ended(self) -> list[str]:
        """What has stopped running (a stack is only as good as its parts)."""
        gone = [f"app process {url} (exit {process.returncode})"
                for url, process in zip(self.app_urls, self.apps, strict=True) if process.poll() is not None]
        if self.proxy is not None and self.proxy.poll() is not None:
            gone.append(f"haproxy (exit {self.proxy.returncode})")
        return gone

    def log_tail(self, characters: int = 3000) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-characters:]}"
                         for path in self.logs if path.exists())


def free_port(candidates: range | None = None, taken: set[int] = frozenset()) -> int:
    """A port of 127.0.0.1 that nothing listens on now: any, or the first free one of `candidates`."""
    for port in candidates if candidates is not None else [0]:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"No free port in {candidates}.")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def proxy_deals_to_all(url: str, processes: int) -> bool:
    """Whether HAProxy deals new browsers to every app process yet: it marks a process up only after two health
    checks, and a class arriving before that would all land on the first one. Cookie-less requests, round robin, and
    the sticky cookie each answer sets says which process took it.
    """
    seen = set()
    for _ in range(2 * processes):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, _, value = header.partition("=")
                    if name.strip() == SERVER_COOKIE:
                        seen.add(value.split(";")[0])
        except OSError:
            return False
    return len(seen) == processes


def haproxy_config(template: str, bind: str, backends: list[tuple[str, int]]) -> str:
    """deploy/haproxy.cfg with its `bind` line and `server` lines replaced: (host, port) of each app process."""
    lines = []
    for line in template.splitlines():
        stripped = line.strip()
        indent = line[:len(line) - len(line.lstrip())]
        if stripped.startswith("bind "):
            lines.append(f"{indent}bind {bind}")
        elif stripped.startswith("server "):
            if not any(existing.strip().startswith("server ") for existing in lines):
                lines += [f"{indent}server app-{number} {host}:{port} check cookie app-{number}"
                          for number, (host, port) in enumerate(backends, start=1)]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _start_app(port: int, address: str | None, app_dir: Path, environment: dict, log_path: Path | None, *,
               niceness: int = 0):
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if niceness:
        command = ["nice", "-n", str(niceness), *command]  # every thread of the process inherits it
    if address:
        command += ["--server.address", address]
    log = log_path.open("wb") if log_path else None
    try:
        # Its own process group: stopping it reaches the trainings it started too.
        return subprocess.Popen(command, cwd=app_dir, env=environment, stdout=log, stderr=subprocess.STDOUT if log else None,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        if log:
            log.close()


def stop(process: subprocess.Popen | None) -> None:
    """Ends a process started in its own session, and its children, politely first."""
    if process is None or process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


async def _finish(run, what: str) -> None:
    if not await run.wait(WARM_UP_SECONDS) or run.disconnected:
        raise RuntimeError(f"warm-up: {what} did not finish")
    if run.errors:
        raise RuntimeError(f"warm-up: {what} shows an error: {run.errors[0]}")


async def warm_up(app_url: str) -> None:
    """Draws every page once in one session of this process: TensorFlow, the default model, its latent space, the
    compiled decoder and each page's caches are loaded when it returns.
    """
    session = StreamlitSession(app_url)
    try:
        await session.connect(timeout=STARTUP_SECONDS)
        await _finish(await session.open_page(""), "the home page")
        for path in [page for page in session.pages if page]:  # the home page's run named them
            await _finish(await session.switch_page(path), f"page {path!r}")
    finally:
        await session.close()


@contextlib.contextmanager
def serve(processes: int = 1, port: int = 8501, *, address: str | None = None, app_dir: Path = PROJECT_ROOT,
          app_ports: list[int] | None = None, log_dir: Path | None = None, environment: dict | None = None,
          warm: bool = True, niceness: int = 0) -> Iterator[Stack]:
    """Starts the stack, waits until every process answers (and is warm), yields it, and stops it all on exit.

    One process listens on `port` itself; several listen on `app_ports` (default port+100, +101, ...) of 127.0.0.1
    behind HAProxy on `port`. `log_dir`: each process's output goes to a file there (else to this terminal).
    `niceness`: the app processes' CPU priority against other work on the machine (below 0 needs root); the trainings
    they start run that much lower still (ae_core/training/runners.py).
    """
    if processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}")
    if processes > 1 and shutil.which("haproxy") is None:
        raise RuntimeError("Several app processes need HAProxy in front of them: `./scripts/system-deps.sh --proxy` "
                           "installs Debian's haproxy.")
    environment = {"TF_CPP_MIN_LOG_LEVEL": "2", **os.environ, **(environment or {})}
    environment.setdefault(COOKIE_SECRET_ENV, secrets.token_hex(32))
    if processes == 1:
        app_ports, app_address = [port], address
    else:
        app_ports = app_ports or [port + FIRST_APP_PORT_OFFSET + number for number in range(processes)]
        app_address = "127.0.0.1"
    if len(app_ports) != processes:
        raise ValueError(f"{processes} processes need as many app ports, got {app_ports}")
    app_urls = [f"http://127.0.0.1:{app_port}" for app_port in app_ports]
    scratch = tempfile.TemporaryDirectory(prefix="ae-lab-serve-")
    stack = Stack(url=f"http://127.0.0.1:{port}", app_urls=app_urls, apps=[])
    try:
        for number, app_port in enumerate(app_ports, start=1):
            log_path = log_dir / f"app-{number}.log" if log_dir else None
            stack.logs += [log_path] if log_path else []
            stack.apps.append(_start_app(app_port, app_address, app_dir, environment, log_path, niceness=niceness))
        if processes > 1:
            config = Path(scratch.name) / "haproxy.cfg"
            config.write_text(haproxy_config(HAPROXY_TEMPLATE.read_text(encoding="utf-8"),
                                             f"{address or '0.0.0.0'}:{port}", [("127.0.0.1", p) for p in app_ports]))
            log_path = log_dir / "haproxy.log" if log_dir else None
            log = log_path.open("wb") if log_path else None
            stack.logs += [log_path] if log_path else []
            # -db: in the foreground, not a daemon: it ends with this stack.
            stack.proxy = subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=log,
                                           stderr=subprocess.STDOUT if log else None, stdin=subprocess.DEVNULL,
                                           start_new_session=True)
            if log:
                log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (all(healthy(url) for url in [*app_urls, stack.url])
                   and (processes == 1 or proxy_deals_to_all(stack.url, processes))):
            if gone := stack.ended():
                raise RuntimeError(f"The stack did not start: {', '.join(gone)}\n{stack.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The stack did not answer within {STARTUP_SECONDS:.0f} s\n{stack.log_tail()}")
            time.sleep(0.25)
        if warm:
            began = time.perf_counter()

            async def warm_all():
                await asyncio.gather(*(warm_up(url) for url in app_urls))

            asyncio.run(warm_all())
            stack.warm_up_seconds = time.perf_counter() - began
        yield stack
    finally:
        stop(stack.proxy)
        for process in stack.apps:
            stop(process)
        scratch.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=1, help="app processes (above 1: behind HAProxy)")
    parser.add_argument("--port", type=int, default=8501, help="where browsers connect")
    parser.add_argument("--address", help="the address to listen on (default: every interface)")
    parser.add_argument("--cold", action="store_true", help="print ready as soon as the processes answer, unwarmed")
    args = parser.parse_args(argv)

    def interrupt(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # as Ctrl-C: the stack stops on the way out, at any stage
    try:
        with serve(args.processes, args.port, address=args.address, warm=not args.cold) as stack:
            warmed = f", warmed up in {stack.warm_up_seconds:.1f} s" if stack.warm_up_seconds is not None else ""
            host = "localhost" if args.address in (None, "0.0.0.0") else args.address
            print(f"ready: http://{host}:{args.port} ({args.processes} app process{'es' if args.processes > 1 else ''}"
                  f"{warmed})", flush=True)
            while not (gone := stack.ended()):
                time.sleep(1)
            print(f"stopped: {', '.join(gone)} ended", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

if __name__ == "__main__":
    sys.exit(main())
