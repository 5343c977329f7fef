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

Supervised: once ready, an app process that ends (killed, crashed, out of memory) or stops answering its health check
for HUNG_SECONDS is started again on its port, and warmed as at the start; meanwhile HAProxy (told through its admin
socket) deals nobody to it, its tabs reconnect to the live processes (`option redispatch`), whose students notice
nothing, and it is put back in the rotation only once warm. A process that keeps ending soon after its start is
started again after a growing delay (RESTART_DELAYS), each time with a line on stderr; HAProxy is restarted too if it
ends. Only Ctrl-C or SIGTERM stops the stack (deploy/autoencoder-lab.service runs it under systemd).
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
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
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
BACKEND = "app_processes"  # deploy/haproxy.cfg's backend; its servers are app-1, app-2, ...
# Supervision. A process that ends is started again at once, unless it ended soon (STABLE_SECONDS) after its last
# start: then after these delays, for the 2nd, 3rd, ... end in a row (a broken process is not restarted in a hot loop).
RESTART_DELAYS = (0.0, 2.0, 5.0, 15.0, 30.0, 60.0)
STABLE_SECONDS = 120.0
HUNG_SECONDS = 60.0  # no answer to the health check this long (asked every HEALTH_EVERY_SECONDS): ended and restarted
HEALTH_EVERY_SECONDS = 5.0
WATCH_SECONDS = 0.1  # how often a supervisor looks whether its process has ended


@dataclass
class Stack:
    """A running stack: where browsers go, the app processes (and the proxy in front of them, if any)."""

    url: str
    app_urls: list[str]
    apps: list[subprocess.Popen]
    proxy: subprocess.Popen | None = None
    logs: list[Path] = field(default_factory=list)
    warm_up_seconds: float | None = None
    restarts: list[Restart] = field(default_factory=list)  # in the order the processes ended
    admin: ProxyAdmin | None = None

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


def haproxy_config(template: str, bind: str, backends: list[tuple[str, int]], admin_socket: Path | None = None) -> str:
    """deploy/haproxy.cfg with its `bind` line and `server` lines replaced: (host, port) of each app process; and with
    `admin_socket`, HAProxy's runtime API there (only this user may use it)."""
    lines = []
    for line in template.splitlines():
        stripped = line.strip()
        indent = line[:len(line) - len(line.lstrip())]
        if stripped == "global" and admin_socket is not None:
            lines += [line, f"    stats socket {admin_socket} mode 600 level admin"]
        elif stripped.startswith("bind "):
            lines.append(f"{indent}bind {bind}")
        elif stripped.startswith("server "):
            if not any(existing.strip().startswith("server ") for existing in lines):
                lines += [f"{indent}server app-{number} {host}:{port} check cookie app-{number}"
                          for number, (host, port) in enumerate(backends, start=1)]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _start_app(port: int, address: str | None, app_dir: Path, environment: dict, log_path: Path | None, *,
               niceness: int = 0, append: bool = False):
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if niceness:
        command = ["nice", "-n", str(niceness), *command]  # every thread of the process inherits it
    if address:
        command += ["--server.address", address]
    log = log_path.open("ab" if append else "wb") if log_path else None  # a restart's output follows its last run's
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


class ProxyAdmin:
    """HAProxy's runtime API on its admin socket: an app process out of the rotation and back, and what HAProxy sees."""

    def __init__(self, path: Path):
        self.path = path

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as connection:
            connection.settimeout(5)
            connection.connect(str(self.path))
            connection.sendall(line.encode("ascii") + b"\n")
            answer = b""
            while chunk := connection.recv(1 << 16):
                answer += chunk
        return answer.decode("utf-8", errors="replace")

    def set_ready(self, number: int, ready: bool) -> None:
        """Deal new browsers to app process `number` (1, 2, ...) again, or to nobody (maintenance: its tabs go to
        the others); HAProxy's own health checks still decide whether a ready one is up."""
        self.command(f"set server {BACKEND}/app-{number} state {'ready' if ready else 'maint'}")

    def servers(self) -> dict[str, dict[str, str]]:
        """Each app process's line of `show stat`: its "status" (UP, DOWN, MAINT, ...), "scur" (sessions now), ..."""
        lines = self.command("show stat").splitlines()
        if not lines or not lines[0].startswith("# "):
            return {}
        names = lines[0][2:].split(",")
        rows = [dict(zip(names, line.split(","), strict=False)) for line in lines[1:] if line]
        return {row["svname"]: row for row in rows if row.get("pxname") == BACKEND and row.get("svname", "").startswith("app-")}


@dataclass
class Restart:
    """An app process that ended and was started again (times: time.monotonic())."""

    number: int  # 1, 2, ...: its place in the stack
    why: str  # "exit -9", or that it stopped answering
    ended_at: float
    delay: float  # waited before starting it again
    started_at: float | None = None
    healthy_at: float | None = None  # its health check answered
    ready_at: float | None = None  # warmed, and back in the proxy's rotation
    failure: str | None = None  # why it did not come back (it is started again after the next delay)


def _log(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


class Supervisor:
    """Keeps a started stack running until stop(): one thread per app process (and one for HAProxy) waits for it to
    end, then starts it again on its port, warmed, after the delay its recent ends call for."""

    def __init__(self, stack: Stack, start_app: Callable[[int], subprocess.Popen],
                 start_proxy: Callable[[], subprocess.Popen] | None, warm: bool):
        self.stack, self._start_app, self._start_proxy, self._warm = stack, start_app, start_proxy, warm
        self._stopping = threading.Event()
        self._starting = threading.Lock()  # held while a process is started: stop() waits for it, then none starts
        self._threads = [threading.Thread(target=self._keep_app, args=(index,), name=f"supervise-app-{index + 1}",
                                          daemon=True) for index in range(len(stack.apps))]
        if start_proxy is not None:
            self._threads.append(threading.Thread(target=self._keep_proxy, name="supervise-proxy", daemon=True))

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """No process is started after this returns: the stack's processes are the caller's to stop."""
        self._stopping.set()
        with self._starting:
            pass

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _keep_app(self, index: int) -> None:
        number, url = index + 1, self.stack.app_urls[index]
        ends_in_a_row, up_since = 0, time.monotonic()
        while not self._stopping.is_set():
            why = self._wait_for_end(self.stack.apps[index], url)
            if why is None:
                return
            now = time.monotonic()
            ends_in_a_row = ends_in_a_row + 1 if now - up_since < STABLE_SECONDS else 1
            restart = Restart(number, why, now, RESTART_DELAYS[min(ends_in_a_row, len(RESTART_DELAYS)) - 1])
            self.stack.restarts.append(restart)
            self._set_ready(number, False)
            soon = f" in {restart.delay:.0f} s ({ends_in_a_row} ends in a row, each within {STABLE_SECONDS:.0f} s of " \
                   "its start)" if restart.delay else ""
            _log(f"app process {number} ({url}) ended ({why}); starting it again{soon}")
            if self._stopping.wait(restart.delay) or not self._start(lambda: self._replace_app(index)):
                return
            restart.started_at = up_since = time.monotonic()
            restart.failure = self._bring_up(index, restart)
            if self._stopping.is_set():
                return
            if restart.failure is not None:
                _log(f"app process {number} did not come back: {restart.failure}")
                stop(self.stack.apps[index])  # the next turn counts it as an end soon after its start
                continue
            restart.ready_at = up_since = time.monotonic()
            self._set_ready(number, True)
            _log(f"app process {number} is back: answering {restart.healthy_at - restart.started_at:.1f} s and ready "
                 f"{restart.ready_at - restart.started_at:.1f} s after its start, {restart.ready_at - restart.ended_at:.1f} s "
                 "after it ended")

    def _keep_proxy(self) -> None:
        ends_in_a_row, up_since = 0, time.monotonic()
        while not self._stopping.is_set():
            if self.stack.proxy.poll() is None:
                self._stopping.wait(WATCH_SECONDS)
                continue
            now = time.monotonic()
            ends_in_a_row = ends_in_a_row + 1 if now - up_since < STABLE_SECONDS else 1
            delay = RESTART_DELAYS[min(ends_in_a_row, len(RESTART_DELAYS)) - 1]
            _log(f"haproxy ended (exit {self.stack.proxy.returncode}); starting it again" + (f" in {delay:.0f} s" if delay else ""))
            if self._stopping.wait(delay) or not self._start(self._replace_proxy):
                return
            up_since = time.monotonic()

    def _start(self, start: Callable[[], None]) -> bool:
        with self._starting:
            if self._stopping.is_set():
                return False
            start()
            return True

    def _replace_app(self, index: int) -> None:
        self.stack.apps[index] = self._start_app(index)

    def _replace_proxy(self) -> None:
        self.stack.proxy = self._start_proxy()

    def _wait_for_end(self, process: subprocess.Popen, url: str) -> str | None:
        """Why the process ended (or was ended: it answered no health check for HUNG_SECONDS); None on stop()."""
        answered = next_check = time.monotonic()
        while not self._stopping.wait(WATCH_SECONDS):
            if process.poll() is not None:
                return f"exit {process.returncode}"
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + HEALTH_EVERY_SECONDS
                if healthy(url):
                    answered = time.monotonic()
                elif time.monotonic() - answered > HUNG_SECONDS:
                    stop(process)
                    return f"no answer to its health check for {HUNG_SECONDS:.0f} s: ended"
        return None

    def _bring_up(self, index: int, restart: Restart) -> str | None:
        """Waits until the new process answers, then warms it; why it failed, or None."""
        process, url = self.stack.apps[index], self.stack.app_urls[index]
        deadline = time.monotonic() + STARTUP_SECONDS
        while not healthy(url):
            if self._stopping.is_set() or process.poll() is not None:
                return f"it ended as it started (exit {process.returncode})"
            if time.monotonic() > deadline:
                return f"no answer within {STARTUP_SECONDS:.0f} s"
            time.sleep(0.1)
        restart.healthy_at = time.monotonic()
        if self._warm:
            try:
                asyncio.run(warm_up(url))
            except Exception as error:  # whatever broke it, the process is not fit for students: another try
                return f"its warm-up failed: {error!r}"[:500]
        return None

    def _set_ready(self, number: int, ready: bool) -> None:
        if self.stack.admin is not None:
            try:
                self.stack.admin.set_ready(number, ready)
            except OSError as error:  # HAProxy restarting: its health checks take over
                _log(f"haproxy's admin socket did not answer: {error}")


@contextlib.contextmanager
def serve(processes: int = 1, port: int = 8501, *, address: str | None = None, app_dir: Path = PROJECT_ROOT,
          app_ports: list[int] | None = None, log_dir: Path | None = None, environment: dict | None = None,
          warm: bool = True, niceness: int = 0, supervise: bool = True) -> Iterator[Stack]:
    """Starts the stack, waits until every process answers (and is warm), yields it, and stops it all on exit.

    One process listens on `port` itself; several listen on `app_ports` (default port+100, +101, ...) of 127.0.0.1
    behind HAProxy on `port`. `log_dir`: each process's output goes to a file there (else to this terminal).
    `niceness`: the app processes' CPU priority against other work on the machine (below 0 needs root); the trainings
    they start run that much lower still (ae_core/training/runners.py). `supervise`: once ready, a process that ends
    is started again (Supervisor; `stack.restarts` lists each time).
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
    app_logs = [log_dir / f"app-{number}.log" if log_dir else None for number in range(1, processes + 1)]
    stack.logs += [path for path in app_logs if path]
    config, proxy_log = Path(scratch.name) / "haproxy.cfg", log_dir / "haproxy.log" if log_dir else None
    stack.logs += [proxy_log] if proxy_log and processes > 1 else []

    def start_app(index: int, append: bool = True) -> subprocess.Popen:
        return _start_app(app_ports[index], app_address, app_dir, environment, app_logs[index], niceness=niceness,
                          append=append)

    def start_proxy(append: bool = True) -> subprocess.Popen:
        log = proxy_log.open("ab" if append else "wb") if proxy_log else None
        try:  # -db: in the foreground, not a daemon: it ends with this stack.
            return subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=log,
                                    stderr=subprocess.STDOUT if log else None, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        finally:
            if log:
                log.close()

    supervisor = None
    try:
        stack.apps += [start_app(index, append=False) for index in range(processes)]
        if processes > 1:
            admin_socket = Path(scratch.name) / "haproxy.sock"
            config.write_text(haproxy_config(HAPROXY_TEMPLATE.read_text(encoding="utf-8"), f"{address or '0.0.0.0'}:{port}",
                                             [("127.0.0.1", p) for p in app_ports], admin_socket))
            stack.proxy, stack.admin = start_proxy(append=False), ProxyAdmin(admin_socket)
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
        if supervise:
            supervisor = Supervisor(stack, start_app, start_proxy if processes > 1 else None, warm)
            supervisor.start()
        yield stack
    finally:
        if supervisor is not None:
            supervisor.stop()  # no restart from here on
        stop(stack.proxy)
        for process in stack.apps:
            stop(process)
        if supervisor is not None:
            supervisor.join(10)
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
            while True:  # the supervisor keeps every process running; only a signal ends this
                time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

if __name__ == "__main__":
    sys.exit(main())
