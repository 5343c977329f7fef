"""Small models trained for a few seconds on a slice of the data and stored like the app stores them, for page tests.

Usage: `folder = train_and_store(tmp_path / "trained", "tiny-vae", small_data, ModelConfig("dense", 2, variational=True))`
then copy the folder into the test's private trained folder (AE_LAB_TRAINED_DIR) with `install(folder, trained_dir)`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ae_core import store
from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import FashionMNIST
from ae_core.training.trainer import TrainResult, train


def train_and_store(root: Path, name: str, data: FashionMNIST, model_config: ModelConfig,
                    train_config: TrainConfig) -> tuple[Path, TrainResult]:
    """Train, then save into root/name with the metadata a real run writes (its film included)."""
    result = train(model_config, train_config, data)
    folder = Path(root) / name
    store.save_model(result.model, result.metadata(model_config, train_config, data.checksum), folder)
    return folder, result


def install(folder: Path, trained_dir: Path) -> None:
    """Copy a stored model's folder into a trained folder, where the app finds it."""
    shutil.copytree(folder, Path(trained_dir) / folder.name)
