"""Fashion-MNIST, offline first: keras' own loader over a cache seeded from Debian's dataset-fashion-mnist.

Usage: `from ae_core.data import load_fashion_mnist; data = load_fashion_mnist()`
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Where Debian's package `dataset-fashion-mnist` puts the four original gz files.
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
# A folder holding the four gz files, for machines without the Debian package.
DATA_DIR_ENV = "AE_LAB_DATA_DIR"
FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)

# The dataset's own label names, by class index (the UI translates them: ui/strings/common.py).
CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
NUM_CLASSES = len(CLASS_NAMES)


class DatasetNotFoundError(RuntimeError):
    """No copy of Fashion-MNIST could be found or downloaded; the message says where we looked."""


@dataclass(frozen=True)
class FashionMNIST:
    x_train: np.ndarray  # float32 in [0, 1], shape (60000, 28, 28)
    y_train: np.ndarray  # uint8 class index, shape (60000,)
    x_test: np.ndarray  # float32 in [0, 1], shape (10000, 28, 28)
    y_test: np.ndarray

    @property
    def checksum(self) -> str:
        """sha256 over the raw test and train pixels and labels: which data a model was trained on."""
        digest = hashlib.sha256()
        for array in (self.x_train, self.y_train, self.x_test, self.y_test):
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()


def keras_cache_dir() -> Path:
    """The folder keras' fashion_mnist loader reads before it downloads."""
    return Path(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras"))) / "datasets" / "fashion-mnist"


def candidate_dirs() -> list[Path]:
    """Folders that may hold the four gz files, in the order we try them."""
    dirs = []
    if os.environ.get(DATA_DIR_ENV):
        dirs.append(Path(os.environ[DATA_DIR_ENV]))
    dirs.append(DEBIAN_DIR)
    return dirs


def _has_all_files(folder: Path) -> bool:
    return all((folder / name).is_file() for name in FILES)


def seed_keras_cache() -> Path | None:
    """Copy the gz files from the first complete local folder into keras' cache; return that folder."""
    cache = keras_cache_dir()
    for folder in candidate_dirs():
        if _has_all_files(folder):
            if folder.resolve() != cache.resolve():
                cache.mkdir(parents=True, exist_ok=True)
                for name in FILES:
                    target = cache / name
                    if not target.is_file() or target.stat().st_size != (folder / name).stat().st_size:
                        temporary = target.with_suffix(".part")
                        shutil.copyfile(folder / name, temporary)
                        os.replace(temporary, target)
            return folder
    return None


def load_fashion_mnist(allow_download: bool = True) -> FashionMNIST:
    """Train and test images as float32 in [0, 1] with their labels.

    Tries, in order: $AE_LAB_DATA_DIR, Debian's folder, keras' cache, keras' download (if allowed).
    """
    seed_keras_cache()
    cache = keras_cache_dir()
    if not allow_download and not _has_all_files(cache):
        raise DatasetNotFoundError(_not_found_message(download_error=None))
    import keras  # deferred: importing TensorFlow takes seconds, and the error path above needs none of it

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    except Exception as error:  # keras raises a bare Exception when a download fails
        raise DatasetNotFoundError(_not_found_message(download_error=error)) from error
    return FashionMNIST(
        x_train=(x_train.astype("float32") / 255.0),
        y_train=y_train,
        x_test=(x_test.astype("float32") / 255.0),
        y_test=y_test,
    )


def _not_found_message(download_error: Exception | None) -> str:
    tried = [f"  - ${DATA_DIR_ENV}: {os.environ.get(DATA_DIR_ENV) or '(not set)'}"]
    tried.append(f"  - Debian package folder: {DEBIAN_DIR}")
    tried.append(f"  - keras cache: {keras_cache_dir()}")
    if download_error is None:
        tried.append("  - keras download: not attempted (offline)")
    else:
        tried.append(f"  - keras download: failed ({download_error})")
    return (
        "Fashion-MNIST was not found. Places tried:\n"
        + "\n".join(tried)
        + "\nFix it with one of:\n"
        "  - sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu)\n"
        f"  - export {DATA_DIR_ENV}=/folder/with/the/four/gz/files   ({', '.join(FILES)})\n"
        "  - connect to the internet once so keras can download and cache it"
    )
