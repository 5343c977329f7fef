"""Memory of one app process whose visitors open many different models, cycle after cycle; prints one JSON line.

A class trains and picks dozens of models, and each app process loads whichever its students open. The store here
holds `--models` copies of a shipped model under other names (the same weights, so every load costs the same); a
protocol-level student (scripts/streamlit_client.py) opens the explorer on each of them in turn, moves a slider once,
and closes its tab. After each cycle over all of them the process's RSS is read from /proc. The caches hold fewer
models than a cycle opens, so a process that frees what it evicts levels off after the first cycles; one that keeps
everything grows by a cycle's worth each time.

`growth_mb` is the RSS after the last cycle minus the RSS after the second (the issue's bound: within 150 MB).

Usage: `.venv/bin/python bench/memory.py [--models 16] [--cycles 5] [--model conv-64]`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve
from load import rss_mb
from streamlit_client import StreamlitSession

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGE_TIMEOUT_S = 120.0


def copy_models(source: str, count: int, trained: Path) -> list[str]:
    """`count` copies of the shipped model `source` in `trained`, named `<source>-copy-NN`."""
    names = []
    for number in range(1, count + 1):
        name = f"{source}-copy-{number:02d}"
        shutil.copytree(PROJECT_ROOT / "models" / source, trained / name)
        names.append(name)
    return names


async def visit(url: str, model: str) -> None:
    """One tab: the explorer on `model`, one slider release, closed."""
    session = StreamlitSession(url, watch_containers={"explorer_decoded"})
    try:
        await session.connect()
        run = await session.open_page("explorer", f"model={model}")
        if not await run.wait(timeout=PAGE_TIMEOUT_S):
            raise RuntimeError(f"the explorer on {model} did not finish")
        slider = session.widget("explorer_pc_0")
        if slider is None:
            raise RuntimeError(f"the explorer on {model} drew no slider")
        run = await session.rerun([slider.with_value(0.123)], fragment_id=slider.fragment_id)
        if not await run.wait(timeout=PAGE_TIMEOUT_S):
            raise RuntimeError(f"a slider move on {model} was not answered")
    finally:
        await session.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=16)
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--model", default="conv-64", help="the shipped model that is copied")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ae-lab-memory-") as scratch:
        trained = Path(scratch) / "trained"
        trained.mkdir()
        names = copy_models(args.model, args.models, trained)
        port = serve.free_port()
        with serve.serve(1, port, address="127.0.0.1", log_dir=Path(scratch),
                         environment={"AE_LAB_TRAINED_DIR": str(trained)}) as stack:
            pid = stack.app_pids[0]
            rss = []
            began = time.monotonic()
            for _ in range(args.cycles):
                for name in names:
                    asyncio.run(visit(stack.url, name))
                rss.append(round(rss_mb(pid), 1))
                print(f"cycle {len(rss)}: RSS {rss[-1]} MB", file=sys.stderr)
    result = {"models": args.models, "cycles": args.cycles, "model": args.model, "rss_mb": rss,
              "growth_mb": round(rss[-1] - rss[1], 1) if len(rss) > 1 else None,
              "seconds": round(time.monotonic() - began, 1)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
