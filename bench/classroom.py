"""The class database under a class's load, on SQLite (one file, WAL) and on PostgreSQL: heartbeats written by several
app processes at once, jobs claimed by several workers at once, and the teacher page's reads; prints one JSON line per
backend with figures measured in this run.

- heartbeats: one process's, one after another (the floor); then `--processes` app processes, each beating for
  `--sessions` tabs as fast as it can for `--seconds`: the writes a second the database takes, and their latency.
  A class of 300 beating every 20 s (ae_core/classroom/presence.py, HeartbeatThrottle) writes 15 a second, plus a
  write when a tab changes page.
- claims: `--workers` worker processes claim, report once and finish `--jobs` jobs: jobs a second, claim latency,
  and that every job was claimed exactly once.
- reads: with 300 students connected, 300 jobs queued and 300 models recorded: connected(), class_queue() and
  model_access() as the teacher's and the models page would call them.

PostgreSQL is a throwaway server on a loopback port (scripts/local_postgres.py), or `--url` names one.

Usage: `.venv/bin/python bench/classroom.py [--processes 4] [--workers 3] [--seconds 10] [--backend sqlite|postgres]`
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
sys.path.insert(0, str(PROJECT_ROOT))

from ae_core.classroom import open_database, ownership, presence, queued_jobs, students, training_queue  # noqa: E402
from ae_core.classroom.database import sqlite_url  # noqa: E402
from ae_core.classroom.switches import set_switches  # noqa: E402

CLASS_SIZE = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def ready(url: str):
    """Open the database, say so, and wait for the word to start (every child starts at once, however long the
    machine took to start each)."""
    database = open_database(url)
    print("ready", flush=True)
    sys.stdin.readline()
    return database


def child_heartbeats(url: str, seconds: float, sessions: int, student_ids: list[str]) -> dict:
    database = ready(url)
    latencies, end, index = [], time.time() + seconds, 0
    while time.time() < end:
        began = time.perf_counter()
        student_id = student_ids[index % len(student_ids)]
        presence.heartbeat(database, f"{student_id}-{index % sessions}", role="student", student_id=student_id,
                           page=("explorer", "latent_map")[index % 2])
        latencies.append(time.perf_counter() - began)
        index += 1
    return {"latencies": latencies}


def child_claims(url: str, worker: str) -> dict:
    database = ready(url)
    claimed, latencies = [], []
    while True:
        began = time.perf_counter()
        job = training_queue.claim_next(database, worker)
        latencies.append(time.perf_counter() - began)
        if job is None:
            return {"claimed": claimed, "latencies": latencies[:-1]}
        training_queue.report_progress(database, job.id, worker, epoch=1, batch=1, batches=1)
        training_queue.finish(database, job.id, worker, "done", end_code="finished", model_saved=True)
        claimed.append(job.id)


def run_children(mode: str, url: str, argument_lists: list[list]) -> tuple[list[dict], float]:
    """The children's results, and when they were told to start (all at once, once all were ready)."""
    processes = [subprocess.Popen([sys.executable, __file__, "--child", mode, json.dumps([url, *arguments])],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for arguments in argument_lists]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"a {mode} process did not start")
    start_at = time.time()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [json.loads(process.communicate(timeout=600)[0]) for process in processes]
    if any(process.returncode for process in processes):
        raise SystemExit(f"a {mode} process failed")
    return results, start_at


def measure(url: str, backend: str, options) -> dict:
    database = open_database(url)
    set_switches(database, max_jobs_per_student=10)
    class_of = [students.create_student(database) for _ in range(CLASS_SIZE)]
    ids = [student.id for student in class_of]
    alone = []  # one process's heartbeats one after another: the floor under the contended figures below
    for index in range(300):
        began = time.perf_counter()
        presence.heartbeat(database, f"alone-{index % 50}", role="student", student_id=ids[index], page="explorer")
        alone.append(time.perf_counter() - began)
    share = len(ids) // options.processes
    results, _ = run_children("heartbeats", url, [[options.seconds, options.sessions, ids[i * share:(i + 1) * share]]
                                                  for i in range(options.processes)])
    beats = [latency for result in results for latency in result["latencies"]]
    figures = {"backend": backend, "load_average": round(os.getloadavg()[0], 1), "processes": options.processes,
               "heartbeat_alone_ms_p50": round(1000 * statistics.median(alone), 2),
               "heartbeats_per_s": round(len(beats) / options.seconds),
               "heartbeat_ms_p50": round(1000 * statistics.median(beats), 2),
               "heartbeat_ms_p95": round(1000 * percentile(beats, 0.95), 2)}

    jobs = [training_queue.submit(database, None, f"bench-{index}", {"epochs": 1}).id for index in range(options.jobs)]
    results, start_at = run_children("claims", url, [[f"worker-{index}"] for index in range(options.workers)])
    took = time.time() - start_at
    claimed = [job_id for result in results for job_id in result["claimed"]]
    claims = [latency for result in results for latency in result["latencies"]]
    figures |= {"workers": options.workers, "jobs": len(jobs), "jobs_per_s": round(len(jobs) / took, 1),
                "claim_ms_p50": round(1000 * statistics.median(claims), 2),
                "claim_ms_p95": round(1000 * percentile(claims, 0.95), 2),
                "each_claimed_once": sorted(claimed) == sorted(jobs), "claims_per_worker": [len(r["claimed"]) for r in results]}

    for index, student in enumerate(class_of):
        presence.heartbeat(database, f"tab-{index}", role="student", student_id=student.id, page="explorer")
        training_queue.submit(database, student.id, f"queued-{index}", {"epochs": 1})
    for name, call in (("connected", lambda: presence.connected(database)),
                       ("class_queue", lambda: queued_jobs.class_queue(database)),
                       ("model_access", lambda: ownership.model_access(database, ids[0]))):
        timings = []
        for _ in range(20):
            began = time.perf_counter()
            call()
            timings.append(time.perf_counter() - began)
        figures[f"{name}_ms_p50"] = round(1000 * statistics.median(timings), 2)
    database.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=4, help="app processes writing heartbeats at once")
    parser.add_argument("--sessions", type=int, default=75, help="tabs per app process")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=3, help="worker processes claiming jobs at once")
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), action="append")
    parser.add_argument("--url", help="a PostgreSQL database to use instead of a throwaway server (it is written to)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        mode, arguments = options.child[0], json.loads(options.child[1])
        print(json.dumps({"heartbeats": child_heartbeats, "claims": child_claims}[mode](*arguments)))
        return
    for backend in options.backend or ("sqlite", "postgres"):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                print(json.dumps(measure(sqlite_url(Path(folder) / "class.sqlite3"), backend, options)), flush=True)
        elif options.url:
            print(json.dumps(measure(options.url, backend, options)), flush=True)
        else:
            from local_postgres import LocalPostgres

            with LocalPostgres() as server:
                print(json.dumps(measure(server.url(server.create_database()), backend, options)), flush=True)


if __name__ == "__main__":
    main()
