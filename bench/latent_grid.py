"""Server-side time of the Latent grid page's 20×20 grid: one batched call of the compiled decoder for all 400 cells.

For dense-64, conv-64 and vae-2 (each where stored): the first call at this batch size (it compiles the decoder for
400 codes once per server: later pages reuse it) and the median of the following calls, each after the
keras.backend.clear_session() that Streamlit runs after every rerun (docs/design.md); then the rest of the page's work
on the grid (tiling, PNG, placing the 10,000 test codes in the cells). Goal: ≤ 100 ms for conv-64.

Wall-clock times depend on what else the machine runs; the CPU time of a decode (all its threads together) much less:
on an idle 2-core machine a decode's wall time is about half its CPU time. The page caches the picture per model
and size (views/latent_grid.py), so a server decodes each size once.

Usage: `.venv/bin/python bench/latent_grid.py [--runs 20]`
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras

from ae_core import grid_plane, latent, latent_grid, pictures, store
from ae_core.data import load_fashion_mnist

GRID_SIZE = 20
MODELS = ("dense-64", "conv-64", "vae-2")
GOAL_MS = 100  # for conv-64, the slowest decoder of the three


def milliseconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, result


def cpu_milliseconds(function) -> float:
    """CPU time of this process's threads while `function` runs: what it costs, whoever else shares the cores."""
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    data = load_fashion_mnist()
    stored = {model.name for model in store.list_models()}
    print(f"{GRID_SIZE}×{GRID_SIZE} grid, {arguments.runs} runs after the first; load average {os.getloadavg()[0]:.1f}")
    for name in MODELS:
        if name not in stored:
            print(f"{name}: not stored, skipped")
            continue
        model = store.load_model(name)
        space = latent.LatentSpace.from_model(model, data.x_test, data.y_test)
        plane = grid_plane.grid_plane(space, GRID_SIZE, model.variational)
        decoder = latent.CompiledDecoder(model)
        first, _ = milliseconds(lambda decoder=decoder, plane=plane: latent.decode_batch(decoder, plane.grid.codes))
        decodes, cpu, rest = [], [], []
        for _ in range(arguments.runs):
            keras.backend.clear_session()  # what Streamlit does after every rerun
            took, images = milliseconds(lambda decoder=decoder, plane=plane: latent.decode_batch(decoder, plane.grid.codes))
            decodes.append(took)
            keras.backend.clear_session()
            cpu.append(cpu_milliseconds(lambda decoder=decoder, plane=plane: latent.decode_batch(decoder, plane.grid.codes)))
            took, _ = milliseconds(lambda images=images, plane=plane, space=space: (
                pictures.image_png(latent_grid.tile(images, GRID_SIZE), 1), plane.cell_coordinates(space.codes)))
            rest.append(took)
        median = statistics.median(decodes)
        goal = f" (goal ≤ {GOAL_MS} ms: {'met' if median <= GOAL_MS else 'missed'})" if name == "conv-64" else ""
        print(f"{name:10s} decode of {GRID_SIZE * GRID_SIZE} codes: first call {first:7.1f} ms, median {median:6.1f} ms"
              f"{goal}, CPU time median {statistics.median(cpu):6.1f} ms; tiling, PNG and the codes' cells: median "
              f"{statistics.median(rest):5.1f} ms (compiled: {decoder.compiled})")


if __name__ == "__main__":
    main()
