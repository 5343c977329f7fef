"""One of two app processes killed with SIGKILL under a class: who was dropped, how soon they were back, how soon the
process was; prints one JSON line.

The stack is `make serve-class PROCESSES=2`'s (scripts/serve.py: two warmed app processes behind HAProxy, supervised),
on free ports of 127.0.0.1, trained models in a fresh temporary folder. The students are bench/load.py's (the explorer,
a slider released every ~2 s, 10 % wanderers), except that a tab whose websocket closes reconnects as a browser does:
with the cookies it holds, HAProxy's naming the dead process. After --before seconds of moves, app process 2 is
killed (SIGKILL, the process alone, as the OOM killer or `kill -9` does); the students go on until it is warm and back
in HAProxy's rotation, and --after seconds more.

Figures: `dropped` (tabs whose websocket closed) against `on_killed` (tabs the killed process held); `reconnect_s`
(kill to the tab's explorer open again, on a live process; its reload waits 0.5-2 s first, as bench/load.py's does);
the live process's students' errors, lost tabs and move latency before and after the kill; `restart`: the process
answering its health check (`healthy_s`), warmed and put back by serve.py (`ready_s`), and HAProxy dealing to it
again (`in_rotation_s`), all from the kill.

Usage: `.venv/bin/python bench/failover.py [--students 20] [--before 10] [--after 5]`  (about 2 minutes)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
import serve
import websockets
from streamlit_client import ProtocolError, StreamlitSession

RESTART_LIMIT_S = 120.0  # the killed process is back by then, or the run stops and says so


class Tab(load.Student):
    """bench/load.py's student, whose tab reconnects with the cookies it holds, and who notes when it lost its tab
    and when it had it back, and on which process each of its tabs was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.servers: list[str] = []  # HAProxy's cookie at each opening of the tab
        self.lost_at: float | None = None
        self.back_at: float | None = None

    async def _open_tab(self) -> bool:
        cookie = self.session.cookie if self.session is not None else ""
        self.session = StreamlitSession(self.url, watch_containers={load.DECODED_CONTAINER}, cookie=cookie)
        try:
            await self.session.connect()
            run = await self.session.open_page(load.EXPLORER)
        except (OSError, TimeoutError, ProtocolError, websockets.InvalidHandshake) as error:
            self.measurements.error("connect", repr(error))
            return False
        if not await self._page_run_ok(run, load.EXPLORER, always_counts=True):
            return False
        cookies = dict(part.strip().split("=", 1) for part in self.session.cookie.split(";") if "=" in part)
        self.servers.append(cookies.get(serve.SERVER_COOKIE, ""))
        if self.lost_at is not None and self.back_at is None:
            self.back_at = time.perf_counter()
        return True

    async def _reopen_tab(self) -> bool:
        self.lost_at = self.lost_at or time.perf_counter()
        return await super()._reopen_tab()


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def _latency(tabs: list[Tab], before: dict[int, int], after_kill: bool) -> dict:
    moves = [ms for tab in tabs for ms in (tab.measurements.move_ms[before[tab.number]:] if after_kill
                                           else tab.measurements.move_ms[:before[tab.number]])]
    return {"moves": len(moves), "p50_ms": load.percentile(moves, 0.50), "p95_ms": load.percentile(moves, 0.95)}


async def run_class(args, stack: serve.Stack) -> dict:
    wanderers = round(args.students * args.wanderers)
    tabs = [Tab(number, stack.url, load.Measurements(), wanderer=number < wanderers, seed=args.seed, move_timeout=10.0,
                fetch_media=True) for number in range(args.students)]
    began = time.perf_counter()
    arrivals = [began + args.warmup * 0.5 * number / args.students for number in range(args.students)]
    for tab in tabs:
        tab.measurements.window_start = began + args.warmup
    tasks = [asyncio.create_task(tab.run(arrival)) for tab, arrival in zip(tabs, arrivals, strict=True)]
    in_rotation_at = None
    try:
        await load._sleep_until(began + args.warmup + args.before)
        killed_pid, killed_at, killed_monotonic = stack.apps[1].pid, time.perf_counter(), time.monotonic()
        on_killed = {tab.number for tab in tabs if tab.servers and tab.servers[-1] == "app-2"}
        moves_before = {tab.number: len(tab.measurements.move_ms) for tab in tabs}
        os.kill(killed_pid, signal.SIGKILL)
        while time.monotonic() - killed_monotonic < RESTART_LIMIT_S and in_rotation_at is None:
            restart = stack.restarts[0] if stack.restarts else None
            if restart is not None and restart.ready_at is not None:
                states = await asyncio.to_thread(stack.admin.servers)
                if states.get("app-2", {}).get("status") == "UP":
                    in_rotation_at = time.monotonic()
            await asyncio.sleep(0.2)
        await asyncio.sleep(args.after)
    finally:
        for tab in tabs:
            tab.measurements.stop_at = min(tab.measurements.stop_at, time.perf_counter())
        await asyncio.wait(tasks, timeout=load.LATE_LIMIT_S + 5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    live = [tab for tab in tabs if tab.number not in on_killed and tab.servers]
    killed = [tab for tab in tabs if tab.number in on_killed]
    reconnects = [tab.back_at - killed_at for tab in killed if tab.back_at is not None]
    restart = stack.restarts[0] if stack.restarts else None

    def since_kill(moment: float | None) -> float | None:
        return _round(moment - killed_monotonic) if moment is not None else None

    killed_errors = Counter(kind for tab in killed for kind, count in tab.measurements.errors.items()
                            for _ in range(count))
    return {
        "students": args.students, "on_killed": len(killed), "on_live": len(live),
        "dropped": sum(tab.lost_at is not None for tab in tabs),
        "dropped_of_killed": sum(tab.lost_at is not None for tab in killed),
        "reconnected": len(reconnects),
        "reconnect_s": {"median": _round(statistics.median(reconnects)) if reconnects else None,
                        "max": _round(max(reconnects)) if reconnects else None},
        "reconnected_to": sorted({tab.servers[-1] for tab in killed if tab.back_at is not None}),
        "killed_errors_besides_the_drop": {kind: count for kind, count in killed_errors.items() if kind != "disconnect"},
        "live_errors": sum(sum(tab.measurements.errors.values()) for tab in live),
        "live_error_samples": [sample for tab in live for sample in tab.measurements.error_samples][:5],
        "live_lost_tabs": sum(tab.lost_at is not None for tab in live),
        "live_before_kill": _latency(live, moves_before, after_kill=False),
        "live_after_kill": _latency(live, moves_before, after_kill=True),
        "restart": {"why": restart.why if restart else None, "failure": restart.failure if restart else None,
                    "healthy_s": since_kill(restart.healthy_at if restart else None),
                    "ready_s": since_kill(restart.ready_at if restart else None),
                    "in_rotation_s": since_kill(in_rotation_at)},
        "restarts": len(stack.restarts), "warm_up_at_start_s": _round(stack.warm_up_seconds),
        "cpu_count": os.cpu_count(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds for the class to arrive and settle")
    parser.add_argument("--before", type=float, default=10.0, help="seconds of moves measured before the kill")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of moves after the process is back")
    parser.add_argument("--wanderers", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.students < 2 or min(args.warmup, args.before, args.after) < 0:
        parser.error("--students must be at least 2 and the durations at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ae-lab-failover-") as scratch_name:
        scratch = Path(scratch_name)
        taken: set[int] = set()
        for _ in range(3):
            taken.add(serve.free_port(taken=taken))
        ports = sorted(taken)
        environment = {"AE_LAB_TRAINED_DIR": str(scratch / "trained")}
        with serve.serve(2, ports[0], address="127.0.0.1", app_ports=ports[1:], log_dir=scratch,
                         environment=environment) as stack:
            try:
                result = asyncio.run(run_class(args, stack))
            except Exception:
                print(stack.log_tail(), file=sys.stderr)
                raise
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
