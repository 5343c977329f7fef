"""Classroom load on the app at the protocol level: emulated students move the explorer's sliders; prints one JSON line.

Each student is a browser tab without a browser (scripts/streamlit_client.py: Streamlit's websocket and its own protobuf
messages, no rendering). It opens the explorer and, every ~2 s (jittered), releases one of the principal-axis sliders
at a value it never sent before (media URLs are content hashes: a repeated value would measure a cache), which reruns
the explorer's fragment. A few students (--wanderers, 10 %) now and then pick another image (the index box or the
"random image" button: a full page run) or visit another page for a few seconds and come back. A student waits for
the answer to its move before it moves again, as a person waits for the picture.

Latency is timed by the client from sending a move to receiving the delta with the fragment's new decoded image (the
`imgs` element in the `explorer_decoded` container); the time to `script_finished` is reported beside it. Errors:
`exception` elements and st.error alerts, moves not answered within --move-timeout (an answer that comes later still
counts in the percentiles; none within 30 s and the student reloads its tab), a run that ends without a new image,
failed media fetches, disconnects. The students also GET each new decoded image from /media, as a browser does.

The script starts the app itself as scripts/serve.py does for a class (--servers S: S `streamlit run app.py`
processes, behind HAProxy when S > 1, on free ports of 127.0.0.1, trained models in a fresh temporary folder; each
process has drawn every page once before anything is timed), lets the students arrive and move during --warmup, then
measures for --duration seconds: the server's CPU time (the app processes' trees, from /proc; the proxy's apart, as
`proxy_cpu`) and, at the end, their RSS (`--rss-every N` samples it every N s, and reports the RSS after 2 minutes of
the window against the last sample: memory must stay bounded over a long run). `server_cpu` is in cores (CPU seconds
/ wall seconds); `cpu_ms_per_move` is all server CPU in the window per slider move answered in it (the wanderers' page
runs included); `client_cpu` is this script's, and `machine_cpu` the whole machine's (what else ran beside the test
shows there). --trainings K starts K trainings of the lecture's dense recipe as the window opens, the way the app
starts them (ae_core.training.runners.LocalRunner: lower priority, capped threads), and reports their time, their CPU in
cores, their most threads and their niceness; the window then lasts until they end if that is later than --duration.

A term's worth of models: --stored-models N puts N copies of the shipped dense-64 (hard links, under other names)
into the temporary trained folder before the app starts, and `stored_models` reports how many model folders the
store then holds. Several values (`--stored-models 6 994`) measure one fresh stack after another and end with a
`compare` line: each figure per value, and the ratio of the last value's to the first's. --page-probe R, after the
window, visits every page R times in one tab on the then idle server and reports the page runs' median time and the
server CPU per page run (`probe_page_ms`, `probe_cpu_ms_per_page`): what a page run costs, without a class's noise.

To measure a stack that is already running elsewhere, pass --url and the app processes' ids with --server-pid.

Usage: `.venv/bin/python bench/load.py --students 25 --trainings 0 --duration 60 --warmup 20 [--servers 2]`
       `.venv/bin/python bench/load.py --students 20 --duration 20 --stored-models 6 994 --page-probe 3`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # ae_core, for the app's own training runner

import serve
import websockets
from streamlit_client import ProtocolError, StreamlitSession, trigger

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXPLORER = "explorer"  # url path; the other pages come from the app's own navigation message
PRINCIPAL_SLIDERS = tuple(f"explorer_pc_{axis}" for axis in range(5))
DECODED_CONTAINER = "explorer_decoded"
INDEX_INPUT = "explorer_index_input"
RANDOM_IMAGE_BUTTON = "explorer_random_image"
MOVE_INTERVAL_S = 2.0
MOVE_JITTER = 0.25  # each wait is the interval times 1 +- this, so that students do not move in lockstep
REACTION_S = (0.2, 0.6)  # when an answer came later than the next planned move, the student looks before moving
NEW_IMAGE_CHANCE = 0.08  # per action of a wanderer: pick another image (a full page run)
PAGE_VISIT_CHANCE = 0.05  # per action of a wanderer: visit another page
PAGE_VISIT_S = (4.0, 10.0)
PAGE_TIMEOUT_S = 60.0  # a full page run on a busy server (the first visit to a page computes its caches)
LATE_LIMIT_S = 30.0  # a move not answered by then: the student reloads its tab
MAX_RECONNECTS = 3  # per student; past that it gives up (counted as an error)
GOLDEN = (5 ** 0.5 - 1) / 2
TRAINING_ARGS = ("train", "--arch", "dense", "--latent-dim", "64", "--epochs", "10", "--json")
TRAINING_TIMEOUT_S = 900.0
STORED_COPY_OF = "dense-64"  # --stored-models copies this shipped model's folder


# --- Server processes --------------------------------------------------------------------------------------------

@dataclass
class ServerStack:
    """Where the students connect, and the processes whose CPU and memory are the server's (none when unknown)."""

    url: str
    pids: list[int]
    logs: list[Path] = field(default_factory=list)
    proxy_pid: int | None = None
    warm: bool = False  # every process has drawn every page already (scripts/serve.py)

    def log_tail(self, characters: int = 3000) -> str:
        return "\n".join(path.read_text(errors="replace")[-characters:] for path in self.logs if path.exists())


@contextlib.contextmanager
def app_servers(count: int, app_dir: Path, scratch: Path, niceness: int = 0) -> Iterator[ServerStack]:
    """The app as scripts/serve.py runs it for a class (`count` processes, behind HAProxy when more than one), on free
    ports of 127.0.0.1, trained models in a fresh folder, each process warmed up; stopped with its process groups.
    """
    taken: set[int] = set()
    ports = []
    for _ in range(count + (count > 1)):
        ports.append(serve.free_port(taken=taken))
        taken.add(ports[-1])
    environment = {"AE_LAB_TRAINED_DIR": str(scratch / "trained")}
    with serve.serve(count, ports[0], address="127.0.0.1", app_dir=app_dir, app_ports=ports[1:] if count > 1 else None,
                     log_dir=scratch, environment=environment, niceness=niceness) as stack:
        yield ServerStack(stack.url, stack.app_pids, stack.logs, stack.proxy.pid if stack.proxy else None, warm=True)


def fill_store(trained: Path, count: int, app_dir: Path) -> int:
    """`count` copies of a shipped model's folder in `trained`, under other names (hard links where the file system
    allows, else copies): a term of trained models. Returns how many model folders the store then holds."""
    source = app_dir / "models" / STORED_COPY_OF
    files = sorted(path for path in source.iterdir() if path.is_file())
    for number in range(count):
        folder = trained / f"stored-{number:04d}"
        folder.mkdir()
        for path in files:
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copy2(path, folder / path.name)
    shipped = [path for path in (app_dir / "models").iterdir() if path.is_dir() and not path.name.startswith(".")]
    return len(shipped) + count


# --- /proc: CPU time and memory of process trees ----------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses


def process_tree(roots: list[int]) -> set[int]:
    """The root processes and all their descendants now alive."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _proc_stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    tree = {pid for pid in roots if pid in parents}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def cpu_seconds(roots: list[int]) -> float | None:
    """CPU time used so far by the trees under `roots`: user and system time of each live process, plus what its
    finished children had used (children reaped in between move from their own counters into their parent's).
    None when a root process is gone: its time went with it.
    """
    tree = process_tree(roots)
    if not roots or not set(roots) <= tree:
        return None
    total_ticks = 0
    for pid in tree:
        if fields := _proc_stat(pid):
            total_ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total_ticks / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores, every process): the rest of the load beside ours."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS  # guest time is already inside user time


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- Trainings ---------------------------------------------------------------------------------------------------

@dataclass
class Training:
    process: subprocess.Popen
    started_at: float
    work_dir: Path  # stdout.txt (the CLI's JSON result) and stderr.txt, as the app's runner writes them
    ended_at: float | None = None
    cpu_seconds: float = 0.0  # the child's own CPU time, last seen while it ran
    max_threads: int = 0  # the most threads seen in the child at once
    niceness: int | None = None

    def poll(self) -> bool:
        """True once the training has ended (and records when)."""
        if self.ended_at is None and self.process.poll() is not None:
            self.ended_at = time.monotonic()
        return self.ended_at is not None

    def sample(self) -> None:
        """Its CPU time, threads and niceness now, from /proc (kept from the last sample once it has ended)."""
        fields = _proc_stat(self.process.pid)
        if fields is None or self.poll():
            return
        self.cpu_seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        self.niceness = int(fields[16])
        with contextlib.suppress(OSError, ValueError, StopIteration):
            status = Path(f"/proc/{self.process.pid}/status").read_text()
            threads = next(line for line in status.splitlines() if line.startswith("Threads:"))
            self.max_threads = max(self.max_threads, int(threads.split()[1]))

    def failure(self) -> str | None:
        """What went wrong, from the last line the CLI wrote; None when it succeeded (or was still running)."""
        if self.process.returncode in (0, None):
            return None
        text = "".join((self.work_dir / name).read_text(errors="replace") for name in ("stdout.txt", "stderr.txt")
                       if (self.work_dir / name).exists())
        lines = text.strip().splitlines()
        return f"exit {self.process.returncode}: {lines[-1][:160] if lines else ''}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_trainings(count: int, scratch: Path, server_niceness: int = 0) -> list[Training]:
    """Trainings started as the app starts them: ae_core.training.runners.LocalRunner (a lower priority, capped threads;
    AE_LAB_TRAINING_NICE and AE_LAB_TRAINING_THREADS apply), the CLI of this checkout, models into the scratch store.
    Their priority is the runner's distance below the server's, as when the server starts them.
    """
    from ae_core.training.runners import LocalRunner

    default = LocalRunner()
    runner = LocalRunner(niceness=max(0, server_niceness + default.niceness), threads=default.threads)
    trainings = []
    for number in range(count):
        work_dir = scratch / f"load-train-{number}"
        work_dir.mkdir()
        command = [sys.executable, "-m", "ae_core", *TRAINING_ARGS, "--out", str(scratch / "trained" / f"load-{number}")]
        trainings.append(Training(runner.start(command, work_dir), time.monotonic(), work_dir))
    return trainings


# --- Students ----------------------------------------------------------------------------------------------------

@dataclass
class Measurements:
    """Everything the students saw, with the window that counts. Times are time.perf_counter() seconds."""

    window_start: float = math.inf
    window_end: float = math.inf
    stop_at: float = math.inf  # students make no new move after it
    move_ms: list[float] = field(default_factory=list)  # send -> new decoded image
    finished_ms: list[float] = field(default_factory=list)  # send -> script_finished
    page_ms: list[float] = field(default_factory=list)  # full page runs: another image, another page
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    moves_sent: int = 0
    repeated_images: int = 0  # a move answered with the picture the student already had (would hit a cache)

    def counts(self, sent_at: float) -> bool:
        return self.window_start <= sent_at < self.window_end

    def error(self, kind: str, detail: str = "", sent_at: float | None = None) -> None:
        if sent_at is not None and not self.counts(sent_at):
            return
        self.errors[kind] += 1
        if detail and len(self.error_samples) < 8:
            self.error_samples.append(f"{kind}: {detail}"[:200])


class Student:
    """One emulated student on the explorer: a tab that moves sliders, and, for wanderers, now and then changes image
    or visits another page.
    """

    def __init__(self, number: int, url: str, measurements: Measurements, *, wanderer: bool, seed: int,
                 move_timeout: float, fetch_media: bool):
        self.number = number
        self.url = url
        self.wanderer = wanderer
        self.measurements = measurements
        self.random = random.Random(seed * 100_003 + number)
        self.move_timeout = move_timeout
        self.fetch_media = fetch_media
        self.session: StreamlitSession | None = None
        self.used_steps: dict[str, set[int]] = {key: set() for key in PRINCIPAL_SLIDERS}
        self.used_indices: set[int] = set()
        self.sequence = self.random.random()  # where this student's walk over slider steps starts
        self.reconnects = 0
        self.last_image_url = ""

    async def run(self, start_at: float) -> None:
        await _sleep_until(start_at)
        try:
            if not await self._open_tab() and not await self._reopen_tab():
                return
            next_move = time.perf_counter() + self.random.uniform(0, MOVE_INTERVAL_S)
            while time.perf_counter() < self.measurements.stop_at:
                await _sleep_until(next_move)
                if time.perf_counter() >= self.measurements.stop_at:
                    break
                sent_at = time.perf_counter()
                ok = await self._act()
                if not ok and not await self._reopen_tab():
                    return
                planned = sent_at + MOVE_INTERVAL_S * self.random.uniform(1 - MOVE_JITTER, 1 + MOVE_JITTER)
                next_move = max(planned, time.perf_counter() + self.random.uniform(*REACTION_S))
        finally:
            if self.session is not None:
                await self.session.close()

    async def _open_tab(self) -> bool:
        """Connects and opens the explorer. A failure counts whenever it happens, in the warm-up too."""
        self.session = StreamlitSession(self.url, watch_containers={DECODED_CONTAINER})
        try:
            await self.session.connect()
            run = await self.session.open_page(EXPLORER)
        except (OSError, TimeoutError, ProtocolError, websockets.InvalidHandshake) as error:
            self.measurements.error("connect", repr(error))
            return False
        return await self._page_run_ok(run, EXPLORER, always_counts=True)

    async def _reopen_tab(self) -> bool:
        """A browser reload after a lost connection or a move that never came back; bounded per student."""
        while self.reconnects < MAX_RECONNECTS:
            if self.session is not None:
                await self.session.close()
            if time.perf_counter() >= self.measurements.stop_at:
                return False  # the test is over: no reload
            self.reconnects += 1
            await asyncio.sleep(self.random.uniform(0.5, 2.0))
            if await self._open_tab():
                return True
        self.measurements.error("gave up", f"student {self.number} after {self.reconnects} reconnects")
        return False

    async def _act(self) -> bool:
        """One action; False when the tab must be reopened."""
        roll = self.random.random() if self.wanderer else 1.0
        if roll < PAGE_VISIT_CHANCE:
            return await self._visit_another_page()
        if roll < PAGE_VISIT_CHANCE + NEW_IMAGE_CHANCE:
            return await self._choose_another_image()
        return await self._move_slider()

    def _next_slider_value(self, key: str) -> float | None:
        """A step of the slider's grid this student never sent, away from where the slider stands now."""
        slider = self.session.widget(key)
        if slider is None or slider.step <= 0:
            return None
        steps = round((slider.maximum - slider.minimum) / slider.step)
        current = slider.value[0] if slider.value else None
        used = self.used_steps[key]
        for _ in range(steps + 1):
            self.sequence = (self.sequence + GOLDEN) % 1.0  # a low-discrepancy walk: spread over the range
            step = round(self.sequence * steps)
            value = slider.minimum + step * slider.step
            if step not in used and (current is None or abs(value - current) > slider.step / 2):
                used.add(step)
                return value
        return None

    async def _move_slider(self) -> bool:
        session, measurements = self.session, self.measurements
        shown = [key for key in PRINCIPAL_SLIDERS if session.widget(key) is not None]
        key = self.random.choice(shown) if shown else None
        value = self._next_slider_value(key) if key else None
        if value is None:
            measurements.error("no slider", "the explorer drew no principal-axis slider with a free step",
                               time.perf_counter())
            return False
        slider = session.widget(key)
        try:
            run = await session.rerun([slider.with_value(value)], fragment_id=slider.fragment_id)
        except (ConnectionError, websockets.ConnectionClosed) as error:
            measurements.error("disconnect", repr(error), time.perf_counter())
            return False
        counted = measurements.counts(run.sent_at)
        measurements.moves_sent += counted
        answered = await run.wait(self.move_timeout)
        if not answered:
            measurements.error("timeout", f"no answer within {self.move_timeout:.0f} s", run.sent_at)
            if not await run.wait(LATE_LIMIT_S - self.move_timeout):
                return False
        if run.disconnected:
            measurements.error("disconnect", "the websocket closed during a move", run.sent_at)
            return False
        if run.errors:
            measurements.error("app error", run.errors[0], run.sent_at)
        image_at = run.images.get(DECODED_CONTAINER)
        if image_at is None:
            measurements.error("no image", f"run status {run.status}", run.sent_at)
            return True
        if counted:
            measurements.move_ms.append((image_at - run.sent_at) * 1000)
            measurements.finished_ms.append((run.finished_at - run.sent_at) * 1000)
            url = run.image_urls[DECODED_CONTAINER]
            measurements.repeated_images += url == self.last_image_url
        self.last_image_url = run.image_urls[DECODED_CONTAINER]
        if self.fetch_media and not self.last_image_url.startswith("data:"):  # a data URL needs no request
            await self._fetch(self.last_image_url, run.sent_at)
        return True

    async def _fetch(self, path: str, sent_at: float) -> None:
        try:
            status, _, body = await asyncio.wait_for(self.session.http.get(path, self.session.cookie),
                                                     self.move_timeout)
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError) as error:
            self.measurements.error("media", f"{path}: {error!r}", sent_at)
            return
        if status != 200 or not body:
            self.measurements.error("media", f"{path}: HTTP {status}", sent_at)

    async def _choose_another_image(self) -> bool:
        """The index box (a full page run with the number input's new value) or the "random image" button."""
        session = self.session
        index_input, button = session.widget(INDEX_INPUT), session.widget_ids.get(RANDOM_IMAGE_BUTTON)
        if index_input is not None and (button is None or self.random.random() < 0.5):
            count = int(index_input.maximum) + 1
            index = self.random.randrange(count)
            while index in self.used_indices or index == index_input.value:
                index = self.random.randrange(count)
            self.used_indices.add(index)
            change = index_input.with_value(index)
        elif button is not None:
            change = trigger(button)
        else:
            return await self._move_slider()
        try:
            run = await session.rerun([change])
        except (ConnectionError, websockets.ConnectionClosed) as error:
            self.measurements.error("disconnect", repr(error), time.perf_counter())
            return False
        return await self._page_run_ok(run, "another image")

    async def _visit_another_page(self) -> bool:
        session = self.session
        others = [path for path in session.pages if path != EXPLORER]
        if not others:
            return await self._move_slider()
        try:
            run = await session.switch_page(self.random.choice(others))
            if not await self._page_run_ok(run, "another page"):
                return False
            await asyncio.sleep(self.random.uniform(*PAGE_VISIT_S))
            run = await session.switch_page(EXPLORER)
        except (ConnectionError, websockets.ConnectionClosed) as error:
            self.measurements.error("disconnect", repr(error), time.perf_counter())
            return False
        return await self._page_run_ok(run, "back to the explorer")

    async def _page_run_ok(self, run, what: str, always_counts: bool = False) -> bool:
        """Waits for a full page run; its errors count when it was sent in the window (or `always_counts`)."""
        sent_at = None if always_counts else run.sent_at
        if not await run.wait(PAGE_TIMEOUT_S):
            self.measurements.error("timeout", f"{what}: no answer within {PAGE_TIMEOUT_S:.0f} s", sent_at)
            return False
        if run.disconnected:
            self.measurements.error("disconnect", f"the websocket closed: {what}", sent_at)
            return False
        if run.errors:
            self.measurements.error("app error", f"{what}: {run.errors[0]}", sent_at)
        if self.measurements.counts(run.sent_at):
            self.measurements.page_ms.append((run.finished_at - run.sent_at) * 1000)
        return True


async def _sleep_until(moment: float) -> None:
    delay = moment - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


async def warm_up(url: str, sessions: int) -> None:
    """Opens every page once per app process (a proxy spreads the sessions): TensorFlow, the models, the latent spaces
    and the pages' caches load before anything is timed, and the entry script's st.navigation has run.
    """
    async def finish(run, path: str) -> None:
        if not await run.wait(180) or run.disconnected:
            raise RuntimeError(f"warm-up: page {path!r} did not finish")
        if run.errors:
            raise RuntimeError(f"warm-up: page {path!r} shows an error: {run.errors[0]}")

    async def visit_all() -> None:
        session = StreamlitSession(url)
        try:
            await session.connect(timeout=120)
            await finish(await session.open_page(""), "")
            for path in [page for page in session.pages if page]:  # the home page's run named them
                await finish(await session.switch_page(path), path)
        finally:
            await session.close()

    await asyncio.gather(*(visit_all() for _ in range(sessions)))


async def probe_pages(stack: ServerStack, rounds: int) -> dict:
    """Every page `rounds` times in one tab, one after another, on a server no student uses any more: the median time
    of a page run (sent to script_finished), per page and over all, and the server's CPU per page run."""
    session = StreamlitSession(stack.url)
    times: dict[str, list[float]] = {}
    try:
        await session.connect()
        run = await session.open_page(EXPLORER)
        if not await run.wait(PAGE_TIMEOUT_S) or run.disconnected:
            raise RuntimeError("page probe: the explorer did not open")
        cpu_start = cpu_seconds(stack.pids)
        for _ in range(rounds):
            for path in list(session.pages):
                run = await session.switch_page(path)
                if not await run.wait(PAGE_TIMEOUT_S) or run.disconnected:
                    raise RuntimeError(f"page probe: page {path!r} did not finish")
                if run.errors:
                    raise RuntimeError(f"page probe: page {path!r} shows an error: {run.errors[0]}")
                times.setdefault(path or "home", []).append((run.finished_at - run.sent_at) * 1000)
        cpu_end = cpu_seconds(stack.pids)
    finally:
        await session.close()
    every = [ms for page_ms in times.values() for ms in page_ms]
    return {"probe_page_runs": len(every), "probe_page_ms": round(statistics.median(every), 1) if every else None,
            "probe_page_ms_by_page": {path: round(statistics.median(page_ms), 1) for path, page_ms in times.items()},
            "probe_cpu_ms_per_page": round((cpu_end - cpu_start) * 1000 / len(every), 1)
            if every and cpu_start is not None and cpu_end is not None else None}


# --- One measured run --------------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1], 1)


async def sample_while_running(stack: ServerStack, trainings: list[Training], every_s: float,
                               samples: list[tuple[float, float]], began: float) -> None:
    """Every `every_s` s: the app processes' summed RSS (MB, with the seconds since `began`) and the trainings' CPU."""
    next_rss = began
    while True:
        for training in trainings:
            training.sample()
        if every_s and time.perf_counter() >= next_rss:
            memory = [rss_mb(pid) for pid in stack.pids]
            if memory and None not in memory:
                samples.append((round(time.perf_counter() - began, 1), round(sum(memory), 1)))
            next_rss += every_s
        await asyncio.sleep(0.5)


def rss_summary(samples: list[tuple[float, float]]) -> dict:
    """RSS after 2 minutes of the window and at its end, and the growth between them (the bounded-memory check)."""
    after_2min = next((mb for seconds, mb in samples if seconds >= 120), None)
    last = samples[-1][1] if samples else None
    growth = round((last - after_2min) / after_2min * 100, 1) if after_2min and last else None
    return {"rss_after_2min_mb": after_2min, "rss_last_mb": last, "rss_growth_after_2min_pct": growth,
            "rss_max_mb": max(mb for _, mb in samples) if samples else None, "rss_samples": samples}


async def measure(args, stack: ServerStack, scratch: Path) -> dict:
    if not stack.warm:
        await warm_up(stack.url, args.servers)
    measurements = Measurements()
    wanderers = round(args.students * args.wanderers)
    students = [Student(number, stack.url, measurements, wanderer=number < wanderers, seed=args.seed,
                        move_timeout=args.move_timeout, fetch_media=not args.no_media)
                for number in range(args.students)]
    began = time.perf_counter()
    # Students arrive over the first half of the warm-up, as a class does, not in one burst of full page runs.
    arrivals = [began + args.warmup * 0.5 * number / max(args.students, 1) for number in range(args.students)]
    measurements.window_start = began + args.warmup
    tasks = [asyncio.create_task(student.run(arrival)) for student, arrival in zip(students, arrivals, strict=True)]
    trainings: list[Training] = []
    rss_samples: list[tuple[float, float]] = []
    sampler = None
    proxy = [stack.proxy_pid] if stack.proxy_pid else []
    try:
        await _sleep_until(measurements.window_start)
        cpu_start, client_cpu_start, wall_start = cpu_seconds(stack.pids), time.process_time(), time.perf_counter()
        each_start = [cpu_seconds([pid]) for pid in stack.pids]
        proxy_start = cpu_seconds(proxy) if proxy else None
        machine_start = machine_busy_seconds()
        trainings = start_trainings(args.trainings, scratch, args.server_nice)
        sampler = asyncio.create_task(sample_while_running(stack, trainings, args.rss_every, rss_samples, wall_start))
        await _sleep_until(wall_start + args.duration)
        deadline = time.monotonic() + TRAINING_TIMEOUT_S
        while not all(training.poll() for training in trainings) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        measurements.window_end = measurements.stop_at = time.perf_counter()
        cpu_end, client_cpu_end, machine_end = cpu_seconds(stack.pids), time.process_time(), machine_busy_seconds()
        each_end = [cpu_seconds([pid]) for pid in stack.pids]
        proxy_end = cpu_seconds(proxy) if proxy else None
        memory = [rss_mb(pid) for pid in stack.pids]
        # Moves still in flight were sent in the window: let them finish (bounded), then close every tab.
        await asyncio.wait(tasks, timeout=LATE_LIMIT_S + 5)
    finally:
        measurements.stop_at = min(measurements.stop_at, time.perf_counter())
        for task in [*tasks, *([sampler] if sampler else [])]:
            task.cancel()
        await asyncio.gather(*tasks, *([sampler] if sampler else []), return_exceptions=True)
        for training in trainings:
            training.poll()
            training.stop()
    wall = measurements.window_end - wall_start
    server_cpu = cpu_end - cpu_start if cpu_start is not None and cpu_end is not None else None
    if stack.pids and cpu_end is None:
        measurements.errors["server gone"] += 1
    moves = len(measurements.move_ms)
    result = {
        "students": args.students, "trainings": args.trainings, "servers": args.servers,
        "p50_ms": percentile(measurements.move_ms, 0.50), "p95_ms": percentile(measurements.move_ms, 0.95),
        "errors": sum(measurements.errors.values()),
        "server_cpu": round(server_cpu / wall, 3) if server_cpu is not None else None,
        "rss_mb": round(sum(memory), 1) if memory and None not in memory else None,
        "moves": moves, "moves_sent": measurements.moves_sent,
        "cpu_ms_per_move": round(server_cpu * 1000 / moves, 1) if server_cpu and moves else None,
        "duration_s": round(wall, 1), "warmup_s": args.warmup,
        "max_ms": round(max(measurements.move_ms), 1) if moves else None,
        "finished_p50_ms": percentile(measurements.finished_ms, 0.50),
        "finished_p95_ms": percentile(measurements.finished_ms, 0.95),
        "moves_per_s": round(moves / wall, 2), "wanderers": wanderers,
        "page_runs": len(measurements.page_ms), "page_p95_ms": percentile(measurements.page_ms, 0.95),
        "error_kinds": dict(measurements.errors), "error_samples": measurements.error_samples,
        "repeated_images": measurements.repeated_images,
        "client_cpu": round((client_cpu_end - client_cpu_start) / wall, 3),
        "machine_cpu": round((machine_end - machine_start) / wall, 3),  # everything, ours included, in cores
        "cpu_count": os.cpu_count(), "url": stack.url, "server_nice": args.server_nice,
    }
    if len(stack.pids) > 1:
        result["server_cpu_each"] = [round((end - start) / wall, 3) if start is not None and end is not None else None
                                     for start, end in zip(each_start, each_end, strict=True)]
        result["rss_mb_each"] = [round(mb, 1) if mb is not None else None for mb in memory]
    if proxy and proxy_start is not None and proxy_end is not None:
        result["proxy_cpu"] = round((proxy_end - proxy_start) / wall, 3)
    if trainings:
        result["training_seconds"] = [round(training.ended_at - training.started_at, 1) if training.ended_at else None
                                      for training in trainings]
        result["training_cpu"] = [round(training.cpu_seconds / (training.ended_at - training.started_at), 2)
                                  if training.ended_at else None for training in trainings]  # cores, while it ran
        result["training_threads_max"] = [training.max_threads for training in trainings]
        result["training_niceness"] = [training.niceness for training in trainings]
        result["training_failures"] = [failure for training in trainings if (failure := training.failure())]
    if args.rss_every:
        result.update(rss_summary(rss_samples))
    if args.page_probe:
        result.update(await probe_pages(stack, args.page_probe))
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--trainings", type=int, default=0, help="trainings started as the window opens")
    parser.add_argument("--servers", type=int, default=1,
                        help="app processes, behind HAProxy when more than one (scripts/serve.py starts them)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured, after the warm-up")
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds of load before the window opens")
    parser.add_argument("--url", help="an app (or proxy) already running, instead of starting one")
    parser.add_argument("--server-pid", type=int, action="append", default=[],
                        help="with --url: an app process whose CPU (with its children) and RSS are measured")
    parser.add_argument("--app-dir", type=Path, default=PROJECT_ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--wanderers", type=float, default=0.10,
                        help="share of students who now and then change image or visit another page")
    parser.add_argument("--move-timeout", type=float, default=10.0, help="a move not answered within it is an error")
    parser.add_argument("--no-media", action="store_true", help="do not GET the new images from /media")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--server-nice", type=int, default=0,
                        help="the app processes' niceness (e.g. -10, as root: on a shared machine, their own core as on "
                             "a dedicated server); trainings keep their distance below it")
    parser.add_argument("--rss-every", type=float, default=0.0,
                        help="sample the app processes' RSS every this many seconds (0: only at the end)")
    parser.add_argument("--stored-models", type=int, nargs="+", default=[0], metavar="N",
                        help="copies of a shipped model put into the trained folder first; several values: one run "
                             "each, then a comparison")
    parser.add_argument("--page-probe", type=int, default=0, metavar="ROUNDS",
                        help="after the window, visit every page this many times in one tab on the idle server")
    args = parser.parse_args(argv)
    if args.students < 1 or args.trainings < 0 or args.servers < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("--students and --servers must be at least 1, --trainings and --warmup at least 0")
    if args.server_pid and not args.url:
        parser.error("--server-pid is for a stack started elsewhere (--url); the script measures its own server")
    if min(args.stored_models) < 0 or args.page_probe < 0:
        parser.error("--stored-models and --page-probe must be at least 0")
    if args.url and args.stored_models != [0]:
        parser.error("--stored-models fills the store of a stack the script starts itself, not one at --url")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app_dir = args.app_dir.resolve()
    results = []
    for stored_models in args.stored_models:
        result = measure_once(args, app_dir, stored_models)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)
    if len(results) > 1:
        print(json.dumps({"compare": comparison(results)}, ensure_ascii=False))
    return 0


def measure_once(args, app_dir: Path, stored_models: int) -> dict:
    """One stack (or the one at --url) with `stored_models` extra models in its fresh trained folder, measured."""
    with tempfile.TemporaryDirectory(prefix="ae-lab-load-") as scratch_name:
        scratch = Path(scratch_name)
        (scratch / "trained").mkdir()
        if args.url:
            stack = ServerStack(args.url.rstrip("/"), args.server_pid)
            return asyncio.run(measure(args, stack, scratch))
        held = fill_store(scratch / "trained", stored_models, app_dir)
        with app_servers(args.servers, app_dir, scratch, args.server_nice) as stack:
            try:
                return {"stored_models": held, **asyncio.run(measure(args, stack, scratch))}
            except Exception:
                print(stack.log_tail(), file=sys.stderr)
                raise


COMPARED = ("cpu_ms_per_move", "p50_ms", "p95_ms", "page_p95_ms", "probe_page_ms", "probe_cpu_ms_per_page",
            "server_cpu", "rss_mb", "errors")


def comparison(results: list[dict]) -> dict:
    """Each figure of every run side by side, and the last run's over the first's (1.05: 5 % more)."""
    compared = {"stored_models": [result["stored_models"] for result in results]}
    for name in COMPARED:
        values = [result.get(name) for result in results]
        compared[name] = values
        if name != "errors" and values[0] and values[-1] is not None:
            compared[f"{name}_ratio"] = round(values[-1] / values[0], 3)
    return compared


if __name__ == "__main__":
    sys.exit(main())
