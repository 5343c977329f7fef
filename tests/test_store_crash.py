"""kill -9 during a save: the previous model (or the new one, once committed) loads every time, and no stray file
outlives the next listing or save. The saver is a real process, killed at random moments over the whole save."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ae_core import store
from ae_core.config import ModelConfig
from ae_core.models import build_autoencoder

PROJECT = Path(__file__).resolve().parent.parent
KILLS = 20

# Saves model files into a folder again and again with ae_core.store.save_model, each step of the save slowed down
# so that a kill at a random moment lands anywhere in it. The "model" writes a real .keras file's bytes in chunks
# (model.save's part of a save); TensorFlow is not needed to save bytes, and the child starts in a blink.
# argv: folder, the two .keras files to alternate, then "loop" (save forever) or "pause" (stop halfway through
# writing the first model file, holding the folder's lock).
SAVER = """
import itertools, os, pathlib, sys, tempfile, time
from ae_core import store
from ae_core.store import files, folders

folder, payloads, mode = pathlib.Path(sys.argv[1]), [pathlib.Path(p).read_bytes() for p in sys.argv[2:4]], sys.argv[4]
STEP = 0.003

def slowed(function):
    def wrapper(*args, **kwargs):
        time.sleep(STEP)
        result = function(*args, **kwargs)
        time.sleep(STEP)
        return result
    return wrapper

for module, name in ((folders, "committed_model_file"), (folders, "remove_strays"), (files, "sha256_of_file"),
                     (files, "fsync_file"), (files, "fsync_directory"), (files, "write_json_atomic")):
    setattr(module, name, slowed(getattr(module, name)))
os.replace, os.chmod, os.close = slowed(os.replace), slowed(os.chmod), slowed(os.close)
tempfile.mkstemp, pathlib.Path.unlink = slowed(tempfile.mkstemp), slowed(pathlib.Path.unlink)

class ChunkedModel:
    def __init__(self, content):
        self.content = content

    def save(self, path):
        with open(path, "wb") as file:
            for start in range(0, len(self.content), 8192):
                file.write(self.content[start:start + 8192])
                file.flush()
                if mode == "pause" and start > len(self.content) // 2:
                    print("paused", flush=True)
                    time.sleep(600)
                time.sleep(0.001)

print("ready", flush=True)
for round_number in itertools.count():
    which = (round_number + 1) % 2  # the folder holds model 0 to begin with: model 1 first
    store.save_model(ChunkedModel(payloads[which]), {"model_config": {"arch": "dense", "latent_dim": 8},
                                                     "val_mse": float(which)}, folder)
    print("saved", flush=True)
"""


@pytest.fixture(scope="module")
def two_models(tmp_path_factory):
    """Two different small models, their .keras files, and what each makes of a few images."""
    import keras

    folder = tmp_path_factory.mktemp("payloads")
    images = np.random.default_rng(3).random((4, 28, 28), dtype=np.float32)
    paths, outputs, models = [], [], []
    for seed in (0, 1):
        keras.utils.set_random_seed(seed)
        model = build_autoencoder(ModelConfig("dense", 8))
        path = folder / f"model-{seed}.keras"
        model.save(path)
        paths.append(path)
        outputs.append(np.asarray(model(images)))
        models.append(model)
    assert not np.allclose(outputs[0], outputs[1])
    return {"paths": paths, "outputs": outputs, "models": models, "images": images}


def start_saver(folder: Path, two_models, mode: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", SAVER, str(folder), *map(str, two_models["paths"]), mode],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)  # reaped: its lock is gone with it
    process.stdout.close()
    process.stderr.close()


def strays(folder: Path) -> list[str]:
    committed = json.loads((folder / "metadata.json").read_text())["model_file"]
    return sorted(name for name in os.listdir(folder) if name not in ("metadata.json", committed))


def committed_model(folder: Path) -> int:
    """Which of the two models metadata.json points at (saved with val_mse 0.0 or 1.0)."""
    return int(json.loads((folder / "metadata.json").read_text())["val_mse"])


def test_kill_9_at_random_moments_during_a_save(private_trained_dir, two_models):
    folder = private_trained_dir / "precious"
    store.save_model(two_models["models"][0], {"model_config": {"arch": "dense", "latent_dim": 8}, "val_mse": 0.0},
                     folder)
    # How long one save takes on this machine now: the kills then spread over the first three saves of each child.
    probe = start_saver(folder, two_models, "loop")
    for _ in range(5):
        assert probe.stdout.readline().strip() == "saved"
    started = time.monotonic()
    for _ in range(5):
        assert probe.stdout.readline().strip() == "saved"
    one_save = (time.monotonic() - started) / 5
    kill(probe)
    store.scan()
    rng = random.Random(7)
    killed_with_strays = 0
    for _ in range(KILLS):
        saver = start_saver(folder, two_models, "loop")
        time.sleep(rng.uniform(0.0, 3 * one_save))
        kill(saver)
        left_behind = strays(folder)
        killed_with_strays += bool(left_behind)

        which = committed_model(folder)
        listing = store.scan()  # no save holds the lock now: the listing removes what the killed save left
        assert strays(folder) == [], left_behind
        assert "precious" in {model.name for model in listing.models}
        outputs = np.asarray(store.load_model("precious")(two_models["images"]))
        np.testing.assert_array_equal(outputs, two_models["outputs"][which])
    # The kills landed inside saves (not only between them): most of them left a partial file behind.
    assert killed_with_strays >= KILLS // 4, f"only {killed_with_strays} of {KILLS} kills hit a save"

    # A stray that no listing has seen is removed by the next save itself.
    (folder / f"{store.TEMPORARY_PREFIX}left.keras").write_bytes(b"half")
    (folder / "model-000000000000.keras").write_bytes(b"unreferenced")
    path = store.save_model(two_models["models"][1], {"model_config": {"arch": "dense", "latent_dim": 8},
                                                      "val_mse": 1.0}, folder)
    assert sorted(os.listdir(folder)) == sorted(["metadata.json", path.name])


def test_a_listing_leaves_the_files_of_a_save_in_progress_and_cleans_after_its_kill(private_trained_dir, two_models):
    folder = private_trained_dir / "busy"
    store.save_model(two_models["models"][0], {"model_config": {"arch": "dense", "latent_dim": 8}, "val_mse": 0.0},
                     folder)
    saver = start_saver(folder, two_models, "pause")
    try:
        assert saver.stdout.readline().strip() == "paused"  # halfway through its model file, holding the lock
        in_progress = strays(folder)
        assert len(in_progress) == 1 and in_progress[0].startswith(store.TEMPORARY_PREFIX)
        for _ in range(2):
            listing = store.scan()
            assert strays(folder) == in_progress  # the saver's file is no stray while it writes it
            assert [model.val_mse for model in listing.models if model.name == "busy"] == [0.0]
    finally:
        kill(saver)
    store.scan()
    assert strays(folder) == []
    np.testing.assert_array_equal(np.asarray(store.load_model("busy")(two_models["images"])),
                                  two_models["outputs"][0])
