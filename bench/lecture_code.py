"""The val MSE that the lecture's code for a stored model reaches with the model's full recipe, beside the app's.

For each model named, `ae_core.lecture_code.python_script` writes the .py a student downloads, and this runs it as they
would (`python NAME.py`, in a temporary folder, its picture saved there with matplotlib's Agg backend) and reads the val
MSE it prints last. The app trains with its own loop (ae_core/training/trainer.py) and the code with Keras' `fit`: the
figures should be close, not identical. Seconds are the whole script's, TensorFlow's start included.

Usage: `.venv/bin/python bench/lecture_code.py [dense-64 dense-64-no-bag ...] [--subset N] [--epochs N]`
       (dense-64 alone, the default, takes about a minute on 2 CPU cores; conv-64's 30 epochs take far longer)
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ae_core import store
from ae_core.data import load_fashion_mnist
from ae_core.lecture_code import python_script, script_file_name

VAL_MSE_LINE = re.compile(r"^val MSE (\d+\.\d+)")


def run_script(name: str, subset: int | None, epochs: int | None) -> tuple[float, float]:
    """(the val MSE the script printed, its seconds)."""
    stored = store.find_model(name)
    with tempfile.TemporaryDirectory(prefix="lecture-code-") as folder:
        script = Path(folder) / script_file_name(name)
        script.write_text(python_script(stored, "en", subset=subset, epochs=epochs), encoding="utf-8")
        start = time.perf_counter()
        completed = subprocess.run([sys.executable, str(script)], cwd=folder, capture_output=True, text=True, check=False,
                                   env={**os.environ, "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2"})
        seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{name}: the script failed:\n{completed.stderr[-3000:]}")
    match = VAL_MSE_LINE.match(completed.stdout.strip().splitlines()[-1])
    if not match:
        raise RuntimeError(f"{name}: no val MSE on the script's last line:\n{completed.stdout[-1000:]}")
    return float(match.group(1)), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", default=["dense-64"])
    parser.add_argument("--subset", type=int, help="only the first N training and test images (a quick run)")
    parser.add_argument("--epochs", type=int, help="instead of each model's own")
    args = parser.parse_args()
    load_fashion_mnist(allow_download=False)  # fills keras' cache, where the script's fashion_mnist.load_data() looks
    print(f"{'model':20} {'epochs':>6} {'code val MSE':>12} {'app val MSE':>11} {'ratio':>6} {'seconds':>8}")
    for name in args.models:
        stored = store.find_model(name)
        val_mse, seconds = run_script(name, args.subset, args.epochs)
        epochs = args.epochs or stored.train_config.get("epochs", "?")
        print(f"{name:20} {epochs:>6} {val_mse:12.5f} {stored.val_mse:11.5f} {val_mse / stored.val_mse:6.2f} {seconds:8.1f}",
              flush=True)


if __name__ == "__main__":
    main()
