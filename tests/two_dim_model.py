"""Test-only: a small dense model with a 2-dimensional latent space, trained once per test session by the CLI.

Pages must hold up with a model that has fewer dimensions than the shipped ones (a 3-D map needs three, PCA of two
dimensions is a rotation). One epoch is enough: the pages need its shape, not its quality.

Usage: `folder = trained_dir_with_2d_model(tmp_path_factory)`; `monkeypatch.setenv("AE_LAB_TRAINED_DIR", str(folder))`
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MODEL_NAME = "tiny-2d"  # not a shipped model's name: names are unique across shipped and trained models


def trained_dir_with_2d_model(tmp_path_factory) -> Path:
    """A trained-models folder holding MODEL_NAME, shared by every test module of the session."""
    folder = tmp_path_factory.getbasetemp() / "trained-with-2d"
    folder.mkdir(exist_ok=True)
    with open(folder.parent / "trained-with-2d.lock", "w") as lock:  # one trainer, if tests ever run in parallel
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / MODEL_NAME / "metadata.json").exists():
            subprocess.run([sys.executable, "-m", "ae_core", "train", "--arch", "dense", "--latent-dim", "2",
                            "--epochs", "1", "--batch-size", "256", "--out", str(folder / MODEL_NAME), "--json"],
                           cwd=PROJECT, check=True, capture_output=True, timeout=600,
                           env={**os.environ, "AE_LAB_TRAINED_DIR": str(folder), "TF_CPP_MIN_LOG_LEVEL": "3"})
    return folder
