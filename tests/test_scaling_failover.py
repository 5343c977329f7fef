"""scripts/serve.py keeps a class up: one of two app processes killed with SIGKILL under students is started again, the
other's students notice nothing, the dead one's reconnect to the live one; a process that keeps ending is started
again after growing delays, not in a hot loop.

The students are protocol-level tabs (scripts/streamlit_client.py) on the explorer behind the real HAProxy, moving a
slider every second; a tab whose websocket closes reconnects as a browser does, with the cookies it holds (HAProxy's
says the dead process: `option redispatch` must send it elsewhere). Everything is on 127.0.0.1 and bounded in time.
"""

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import serve
import websockets
from streamlit_client import ProtocolError, StreamlitSession, trigger

from ae_core.training.progress import read_events

PORTS = range(8700, 8800)
STUDENTS = 6  # round robin deals three to each process
MOVE_EVERY_S = 1.0
RECONNECT_WITHIN_S = 15.0  # a dead process's tab is on a live one again (the frontend retries within a second or two)
BACK_WITHIN_S = 90.0  # the killed process answers again and is back in the rotation (cold: no warm-up in this test)
DEADLINE_S = 240.0  # the whole class's run, kill and restart
DECODED = "explorer_decoded"


@dataclass
class Tab:
    number: int
    server: str = ""  # the process HAProxy's cookie named when the tab opened
    moves: list[tuple[float, str]] = field(default_factory=list)  # (time.monotonic(), process) of each answered move
    errors: list[str] = field(default_factory=list)  # anything a student would see as wrong, but a lost connection
    lost_at: float | None = None
    back_at: float | None = None


def _server_of(session: StreamlitSession) -> str:
    cookies = dict(part.strip().split("=", 1) for part in session.cookie.split(";") if "=" in part)
    return cookies.get(serve.SERVER_COOKIE, "")


async def _open(url: str, image: int, cookie: str = "") -> StreamlitSession:
    session = StreamlitSession(url, watch_containers={DECODED}, cookie=cookie)
    try:
        await session.connect(timeout=60)
        run = await session.open_page("explorer", f"img={image}")
        if not await run.wait(180) or run.disconnected:
            raise ConnectionError("the explorer did not open")
        if run.errors:
            raise ProtocolError(f"the explorer shows an error: {run.errors[0]}")
    except BaseException:
        await session.close()
        raise
    return session


async def _student(url: str, tab: Tab, stop: asyncio.Event) -> None:
    image = 200 + tab.number
    session = await _open(url, image)
    tab.server = _server_of(session)
    step = 0
    try:
        while not stop.is_set():
            slider = session.widget("explorer_pc_0")
            steps = max(1, round((slider.maximum - slider.minimum) / slider.step))
            step += 1
            value = slider.minimum + slider.step * ((step * 7 + tab.number) % steps)
            try:
                move = await session.rerun([slider.with_value(value)], fragment_id=slider.fragment_id)
                answered = await move.wait(30)
            except (ConnectionError, websockets.ConnectionClosed):
                move, answered = None, False
            if move is not None and answered and not move.disconnected:
                if move.errors or DECODED not in move.images:
                    tab.errors.append(f"a move answered without its picture: {move.errors}")
                else:
                    tab.moves.append((time.monotonic(), _server_of(session)))
            elif move is not None and not answered:
                tab.errors.append("a move not answered within 30 s")
            else:  # the websocket closed: reconnect as the browser does, with the cookies it holds
                tab.lost_at = tab.lost_at or time.monotonic()
                cookie = session.cookie
                await session.close()
                session = None
                while session is None and not stop.is_set():
                    try:
                        session = await _open(url, image, cookie)
                    except (OSError, TimeoutError, ConnectionError, ProtocolError, websockets.InvalidHandshake):
                        await asyncio.sleep(0.5)
                if session is None:
                    return
                tab.back_at = tab.back_at or time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), MOVE_EVERY_S)
    finally:
        if session is not None:
            await session.close()


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs Debian's haproxy (scripts/system-deps.sh --proxy)")
def test_the_proxy_config_gets_an_admin_socket_for_this_user_only_and_haproxy_accepts_it(tmp_path):
    template = serve.HAPROXY_TEMPLATE.read_text(encoding="utf-8")
    config = serve.haproxy_config(template, "127.0.0.1:8750", [("127.0.0.1", 8751), ("127.0.0.1", 8752)],
                                  tmp_path / "haproxy.sock")
    lines = [line.strip() for line in config.splitlines()]
    assert lines[lines.index("global") + 1] == f"stats socket {tmp_path / 'haproxy.sock'} mode 600 level admin"
    assert "option redispatch" in lines and f"backend {serve.BACKEND}" in lines
    assert "default-server inter 2s fastinter 500ms fall 3 rise 2" in lines
    assert "retry-on conn-failure empty-response" in lines
    (tmp_path / "haproxy.cfg").write_text(config)
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _free_ports(count: int) -> list[int]:
    taken: set[int] = set()
    for _ in range(count):
        taken.add(serve.free_port(PORTS, taken))
    return sorted(taken)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs Debian's haproxy (scripts/system-deps.sh --proxy)")
def test_killing_one_of_two_processes_under_students_drops_only_its_tabs_which_reconnect_and_it_comes_back(tmp_path):
    ports = _free_ports(3)
    with serve.serve(2, ports[0], address="127.0.0.1", app_ports=ports[1:], log_dir=tmp_path, warm=False,
                     environment={"AE_LAB_TRAINED_DIR": str(tmp_path / "trained")}) as stack:
        killed_pid = stack.apps[1].pid  # app-2: HAProxy's cookie names it "app-2"

        async def lesson() -> tuple[list[Tab], float]:
            stop = asyncio.Event()
            tabs = [Tab(number) for number in range(STUDENTS)]
            students = [asyncio.create_task(_student(stack.url, tab, stop)) for tab in tabs]
            began = time.monotonic()
            try:
                while not all(len(tab.moves) >= 2 for tab in tabs):  # every tab is open and moving
                    assert time.monotonic() - began < DEADLINE_S / 2, [tab.errors for tab in tabs]
                    assert not any(task.done() for task in students), [task.exception() for task in students if task.done()]
                    await asyncio.sleep(0.2)
                killed_at = time.monotonic()
                os.kill(killed_pid, signal.SIGKILL)
                while not (stack.restarts and stack.restarts[0].ready_at and time.monotonic() - killed_at > 10):
                    assert time.monotonic() - killed_at < BACK_WITHIN_S, (stack.restarts, stack.log_tail())
                    await asyncio.sleep(0.2)
                await asyncio.sleep(3 * MOVE_EVERY_S)  # a few moves more, everyone
            finally:
                stop.set()
                await asyncio.wait_for(asyncio.gather(*students), 60)
            return tabs, killed_at

        tabs, killed_at = asyncio.run(asyncio.wait_for(lesson(), DEADLINE_S))
        [restart] = stack.restarts
        assert sorted({tab.server for tab in tabs}) == ["app-1", "app-2"], [tab.server for tab in tabs]
        for tab in tabs:
            assert tab.errors == [], (tab, stack.log_tail())
            after = [server for moment, server in tab.moves if moment > killed_at]
            if tab.server == "app-1":  # the live process's students noticed nothing
                assert tab.lost_at is None and len(after) >= 5 and set(after) == {"app-1"}, tab
            else:  # the dead one's: cut off, back on a live process within seconds, moving again
                assert tab.lost_at is not None and tab.back_at is not None, tab
                assert tab.back_at - killed_at < RECONNECT_WITHIN_S, (tab.back_at - killed_at, tab)
                # On the live one, or (its cookie still names app-2) on the restarted one once it is back in rotation.
                live = [server == "app-1" or moment >= restart.ready_at for moment, server in tab.moves
                        if moment > killed_at]
                assert len(after) >= 2 and all(live), (tab, restart)

        assert restart.number == 2 and restart.why == "exit -9" and restart.delay == 0 and restart.failure is None
        assert restart.ready_at - restart.ended_at < BACK_WITHIN_S
        assert stack.apps[1].pid != killed_pid and serve.healthy(stack.app_urls[1]) and not stack.ended()
        # Back in the proxy's rotation: new tabs are dealt to both processes again.
        deadline = time.monotonic() + 20
        while not serve.proxy_deals_to_all(stack.url, 2):
            assert time.monotonic() < deadline, stack.admin.servers()
            time.sleep(0.5)
        assert {name: row["status"] for name, row in stack.admin.servers().items()} == {"app-1": "UP", "app-2": "UP"}


def test_a_process_that_keeps_ending_is_started_again_after_growing_delays_and_each_end_is_logged(monkeypatch, capfd):
    monkeypatch.setattr(serve, "RESTART_DELAYS", (0.0, 0.3, 0.6, 1.2))

    def start_app(index: int) -> subprocess.Popen:  # a process that ends at once, as a broken app would
        return subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"], start_new_session=True)

    url = f"http://127.0.0.1:{serve.free_port()}"  # nothing listens there: it never answers
    stack = serve.Stack(url=url, app_urls=[url], apps=[start_app(0)])
    supervisor = serve.Supervisor(stack, start_app, None, warm=False)
    supervisor.start()
    try:
        deadline = time.monotonic() + 20
        while len(stack.restarts) < 5:
            assert time.monotonic() < deadline, stack.restarts
            time.sleep(0.05)
    finally:
        supervisor.stop()
        supervisor.join(5)
        for process in stack.apps:
            serve.stop(process)
    restarts = stack.restarts[:5]
    assert [restart.delay for restart in restarts] == [0.0, 0.3, 0.6, 1.2, 1.2]  # then it stays at the longest
    assert all(restart.why == "exit 3" and restart.failure.startswith("it ended as it started") for restart in restarts[:4])
    gaps = [later.ended_at - earlier.ended_at for earlier, later in itertools.pairwise(restarts)]
    assert all(gap >= delay for gap, delay in zip(gaps, (0.0, 0.3, 0.6, 1.2), strict=True)), gaps  # no hot loop
    logged = capfd.readouterr().err
    assert logged.count("serve: app process 1") >= 8, logged  # each end, and each failed start
    assert "ended (exit 3); starting it again in 1 s (4 ends in a row" in logged, logged


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command's name: state, parent, ... ([] for a process that is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _alive(pid: int) -> bool:
    return _stat(pid)[:1] not in ([], ["Z"])


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            if _stat(int(entry))[1:2] == [str(pid)]:
                found[int(entry)] = Path(f"/proc/{entry}/cmdline").read_text().replace("\0", " ")
    return found


def _is_free(port: int) -> bool:
    try:
        return serve.free_port(range(port, port + 1)) == port
    except RuntimeError:
        return False


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs Debian's haproxy (scripts/system-deps.sh --proxy)")
def test_the_launcher_outlives_a_killed_app_process_and_only_sigterm_stops_everything(tmp_path):
    port = next(port for port in PORTS if all(map(_is_free, (port, port + 100, port + 101))))  # serve.py's layout
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        launcher = subprocess.Popen([sys.executable, "scripts/serve.py", "--processes", "2", "--port", str(port),
                                     "--address", "127.0.0.1", "--cold"], cwd=serve.PROJECT_ROOT, stdout=stdout,
                                    stderr=stderr, env={**os.environ, "AE_LAB_TRAINED_DIR": str(tmp_path / "trained")})
    started: dict[int, str] = {}
    running: dict[int, str] = {}
    try:
        _wait_for(lambda: "ready:" in out.read_text() or launcher.poll() is not None, 180, "serve.py never got ready")
        assert launcher.poll() is None, err.read_text()
        started = _children(launcher.pid)  # the app processes and haproxy, each the leader of its process group
        apps = {pid: line for pid, line in started.items() if "streamlit" in line}
        [killed] = [pid for pid, line in apps.items() if f"--server.port {port + 101}" in line]
        os.kill(killed, signal.SIGKILL)
        # The proxy and the other process serve on, new tabs included: none gets a 502 from a kept-alive connection
        # to the dead one (retry-on empty-response).
        assert all(serve.healthy(f"http://127.0.0.1:{port}") for _ in range(6))
        _wait_for(lambda: "app process 2 is back" in err.read_text() or launcher.poll() is not None, 90,
                  "the killed process did not come back")
        assert launcher.poll() is None, err.read_text()  # before: "stopped: app process ... ended", and all of it gone
        assert serve.healthy(f"http://127.0.0.1:{port + 101}") and serve.healthy(f"http://127.0.0.1:{port}")
        running = _children(launcher.pid)
        assert killed not in running and len([line for line in running.values() if "streamlit" in line]) == 2
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(60) == 0
        _wait_for(lambda: not any(_alive(pid) for pid in running), 30, f"left running: {running}")
        assert not any(map(_listens, (port, port + 100, port + 101)))  # nothing answers there any more
    finally:
        if launcher.poll() is None:  # a failed test: the launcher stops its stack, or everything is killed
            launcher.send_signal(signal.SIGTERM)
            try:
                launcher.wait(60)
            except subprocess.TimeoutExpired:
                launcher.kill()
                launcher.wait()
        for pid in {**started, **running}:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)


async def _page(session: StreamlitSession, path: str, query: str = ""):
    run = await session.open_page(path, query)
    assert await run.wait(180) and not run.disconnected and not run.errors, run.errors
    return run


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs Debian's haproxy (scripts/system-deps.sh --proxy)")
def test_a_student_whose_process_died_mid_training_is_told_on_the_other_what_it_saved_and_nothing_is_left(tmp_path):
    ports = _free_ports(3)
    trained = tmp_path / "trained"
    with serve.serve(2, ports[0], address="127.0.0.1", app_ports=ports[1:], log_dir=tmp_path, warm=False,
                     environment={"AE_LAB_TRAINED_DIR": str(trained)}) as stack:

        async def lesson():
            session = StreamlitSession(stack.url)
            await session.connect(timeout=60)
            try:
                await _page(session, "models")
                server = _server_of(session)
                # The form as it stands (the lecture's recipe, an automatic name), 30 epochs: Start training.
                epochs = session.widget("models_epochs")
                started = await session.rerun([epochs.with_value(30), trigger(session.widget_ids["models_start"])])
                assert await started.wait(120) and not started.errors, started.errors
            finally:
                await session.close()
            [work_dir] = (trained / ".jobs").glob("server-*/job-*")
            deadline = time.monotonic() + 240
            while not any(event.type == "epoch" for event in read_events(work_dir / "events.jsonl")[0]):
                assert time.monotonic() < deadline, "the training finished no epoch"
                await asyncio.sleep(0.2)
            index = int(server.removeprefix("app-")) - 1
            os.kill(stack.apps[index].pid, signal.SIGKILL)  # the student's process, mid-training
            # The tab reconnects (its cookie names the dead process) at its URL, job=... included; as the browser
            # does, it asks again when an answer is not a good one.
            back = None
            deadline = time.monotonic() + RECONNECT_WITHIN_S
            while back is None:
                back = StreamlitSession(stack.url, cookie=session.cookie)
                try:
                    await back.connect(timeout=30)
                except (OSError, TimeoutError, ProtocolError, websockets.InvalidHandshake):
                    await back.close()
                    back = None
                    assert time.monotonic() < deadline, "the tab could not reconnect"
                    await asyncio.sleep(0.5)
            try:
                deadline = time.monotonic() + 120
                while True:
                    run = await _page(back, "models", f"job={work_dir.name}")
                    told = [alert for alert in run.alerts if "다시 시작되면서 학습도 멈췄습니다" in alert]  # ko-KR
                    if told:
                        return server, _server_of(back), told[0], work_dir
                    assert time.monotonic() < deadline, run.alerts
                    await asyncio.sleep(1)
            finally:
                await back.close()

        server, now_on, told, work_dir = asyncio.run(asyncio.wait_for(lesson(), 480))
        assert now_on != server and now_on in ("app-1", "app-2")
        name = told.split("**")[1].strip("`")  # the name, shown as written (ui/plain_text.literal)
        epochs = json.loads((trained / name / "metadata.json").read_text())["epochs_completed"]
        assert 1 <= epochs < 30 and f"30 에폭 중 {epochs} 에폭까지 학습한 상태로 저장되었습니다" in told, told
        # The killed process is back; as its job manager starts (a visitor's first page here; make serve-class's
        # warm-up), it sweeps the dead process's folder away, now that the orphaned training has ended.
        _wait_for(lambda: stack.restarts and stack.restarts[0].ready_at, 90, "the killed process did not come back")
        index = int(server.removeprefix("app-")) - 1

        async def visit_the_restarted_process():
            session = StreamlitSession(stack.app_urls[index])
            await session.connect(timeout=60)
            try:
                await _page(session, "models")
            finally:
                await session.close()

        asyncio.run(visit_the_restarted_process())
        assert not work_dir.parent.exists()
        assert len(list((trained / ".jobs").glob("server-*"))) == 2  # the two live processes' own
        assert (trained / ".jobs" / "ended" / f"{work_dir.name}.json").is_file()
