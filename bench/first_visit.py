"""The first student's wait: a fresh tab opening the explorer on a cold server against one warmed up by scripts/serve.py.

Each round starts the app as `make run` does (scripts/serve.py: one process, trained models in a fresh temporary
folder), cold (the launcher's --cold: "ready" as soon as the process answers its health check) or warm (every page
drawn once first), then opens a new protocol-level tab on the explorer (scripts/streamlit_client.py) and times it
from the first request to the decoded image and to the end of the page's run; then a second fresh tab, for what a
later student waits, and the process's RSS at "ready" (before any student). Prints one JSON line.

Usage: `.venv/bin/python bench/first_visit.py [--rounds 2]`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import serve
from streamlit_client import StreamlitSession

DECODED_CONTAINER = "explorer_decoded"
PAGE_TIMEOUT_S = 300.0


async def open_explorer(url: str) -> dict:
    """Seconds from a new tab's first request to the explorer's decoded image and to the end of its run."""
    session = StreamlitSession(url, watch_containers={DECODED_CONTAINER})
    began = time.perf_counter()
    try:
        await session.connect(timeout=PAGE_TIMEOUT_S)
        run = await session.open_page("explorer")
        if not await run.wait(PAGE_TIMEOUT_S) or run.errors or DECODED_CONTAINER not in run.images:
            raise RuntimeError(f"the explorer did not show its decoded image: {run.errors}")
        return {"image_s": round(run.images[DECODED_CONTAINER] - began, 2), "finished_s": round(run.finished_at - began, 2)}
    finally:
        await session.close()


def one_round(warm: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="ae-lab-first-visit-") as scratch_name:
        scratch = Path(scratch_name)
        started = time.perf_counter()
        with serve.serve(1, serve.free_port(), address="127.0.0.1", log_dir=scratch, warm=warm,
                         environment={"AE_LAB_TRAINED_DIR": str(scratch / "trained")}) as stack:
            ready_s = time.perf_counter() - started
            rss_ready = rss_mb(stack.app_pids[0])
            first = asyncio.run(open_explorer(stack.url))
            second = asyncio.run(open_explorer(stack.url))
    return {"warm": warm, "ready_s": round(ready_s, 1), "rss_at_ready_mb": rss_ready, "first_tab": first,
            "second_tab": second}


def rss_mb(pid: int) -> float | None:
    """The process's resident memory, MB (what it holds before any student's session)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    rounds = [one_round(warm) for _ in range(args.rounds) for warm in (False, True)]
    print(json.dumps({"rounds": rounds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
