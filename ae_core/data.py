"""Fashion-MNIST, offline first, each file checked: from keras' cache, $AE_LAB_DATA_DIR, Debian's package, or a download.

A gz file counts only if what it holds has the dataset's known SHA-256, so a truncated or damaged copy is never read,
never reported as missing and never copied: the next good copy is used, and copied into keras' cache (where it
replaces a damaged one). Only damaged copies anywhere is a DatasetCorruptError; none at all a DatasetNotFoundError.

Usage: `from ae_core.data import load_fashion_mnist; data = load_fashion_mnist()`
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import zlib
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
# Each file's content once decompressed (the idx format): its SHA-256 and length in bytes, computed once from Debian's
# dataset-fashion-mnist (the data the shipped models were trained on). The content rather than the gz file: Debian's
# gz files are compressed differently from the original ones that keras downloads (md5 cf8536b0... against Zalando's
# 8d4fb7e6... for train-images) and hold the same bytes.
CONTENT = {
    "train-labels-idx1-ubyte.gz": ("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
    "train-images-idx3-ubyte.gz": ("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
    "t10k-labels-idx1-ubyte.gz": ("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008),
    "t10k-images-idx3-ubyte.gz": ("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
}
# Where keras.datasets.fashion_mnist downloads from.
DOWNLOAD_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
LABELS_HEADER_BYTES, IMAGES_HEADER_BYTES = 8, 16  # the idx headers before the data

# The dataset's own label names, by class index (the UI translates them: ui/strings/common.py).
CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
NUM_CLASSES = len(CLASS_NAMES)


class DatasetError(RuntimeError):
    """Fashion-MNIST cannot be loaded. `code` says why (the page translates it); the message, in English for the
    terminal and the server's log, says where we looked (server paths: never for a page)."""

    code = "dataset_error"


class DatasetNotFoundError(DatasetError):
    """No copy of Fashion-MNIST could be found or downloaded."""

    code = "dataset_missing"


class DatasetCorruptError(DatasetError):
    """Copies of Fashion-MNIST were found, but some file has only damaged ones. `damaged`: (path, what is wrong)."""

    code = "dataset_corrupt"

    def __init__(self, message: str, damaged: list[tuple[Path, str]]):
        super().__init__(message)
        self.damaged = damaged


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
    """The folder keras' fashion_mnist loader downloads into."""
    return keras_home() / "datasets" / "fashion-mnist"


def keras_home() -> Path:
    return Path(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")))


def candidate_dirs() -> list[Path]:
    """Folders that may hold the four gz files besides keras' cache, in the order we try them."""
    dirs = []
    if os.environ.get(DATA_DIR_ENV):
        dirs.append(Path(os.environ[DATA_DIR_ENV]))
    dirs.append(DEBIAN_DIR)
    return dirs


def load_fashion_mnist(allow_download: bool = True) -> FashionMNIST:
    """Train and test images as float32 in [0, 1] with their labels.

    Each file from the first good copy of: keras' cache, $AE_LAB_DATA_DIR, Debian's folder, keras' download (if
    allowed). DatasetCorruptError when a file has only damaged copies, DatasetNotFoundError when it has none.
    """
    damaged: list[tuple[Path, str]] = []
    download_errors: list[Exception] = []
    contents = {}
    for name in FILES:
        content = _good_copy(name, damaged)
        if content is None and allow_download:
            content = _download(name, damaged, download_errors)
        if content is None:
            if any(path.name == name for path, _ in damaged):
                raise DatasetCorruptError(_corrupt_message(damaged), damaged)
            raise DatasetNotFoundError(_not_found_message(download_errors[-1] if download_errors else None,
                                                          allow_download))
        contents[name] = content
    y_train = np.frombuffer(contents[FILES[0]], np.uint8, offset=LABELS_HEADER_BYTES)
    x_train = np.frombuffer(contents[FILES[1]], np.uint8, offset=IMAGES_HEADER_BYTES).reshape(len(y_train), 28, 28)
    y_test = np.frombuffer(contents[FILES[2]], np.uint8, offset=LABELS_HEADER_BYTES)
    x_test = np.frombuffer(contents[FILES[3]], np.uint8, offset=IMAGES_HEADER_BYTES).reshape(len(y_test), 28, 28)
    return FashionMNIST(
        x_train=(x_train.astype("float32") / 255.0),
        y_train=y_train,
        x_test=(x_test.astype("float32") / 255.0),
        y_test=y_test,
    )


def checked_content(path: Path, name: str) -> bytes:
    """What the gz file at `path` holds, if it is a good copy of the dataset's file `name`; ValueError saying what is
    wrong with it otherwise, FileNotFoundError if there is no file."""
    expected_sha256, expected_size = CONTENT[name]
    if not path.is_file():
        raise FileNotFoundError(path)
    try:
        with gzip.open(path, "rb") as file:
            content = file.read(expected_size + 1)  # no more: a hostile gz file may unpack to gigabytes
    except (OSError, EOFError, zlib.error) as error:  # gzip reports a truncated file as EOFError
        raise ValueError(f"not a complete gzip file ({type(error).__name__})") from error
    if len(content) != expected_size or hashlib.sha256(content).hexdigest() != expected_sha256:
        raise ValueError(f"not Fashion-MNIST's {name} (its content does not have the known SHA-256)")
    return content


def _good_copy(name: str, damaged: list[tuple[Path, str]]) -> bytes | None:
    """The content of the first good copy of `name`; damaged copies are noted in `damaged`. A good copy found outside
    keras' cache is copied into it."""
    cached = keras_cache_dir() / name
    for path in (cached, *(folder / name for folder in candidate_dirs())):
        try:
            content = checked_content(path, name)
        except FileNotFoundError:
            continue
        except ValueError as error:
            damaged.append((path, str(error)))
            continue
        if path != cached:
            _copy_into_cache(path, cached)
        return content
    return None


def _copy_into_cache(source: Path, target: Path) -> None:
    """Seed keras' cache with a good copy, or repair a damaged one there; a cache we may not write is left as it is."""
    with contextlib.suppress(OSError):
        if target.exists() and os.path.samefile(source, target):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)  # never a half-copied file under the real name


def _download(name: str, damaged: list[tuple[Path, str]], errors: list[Exception]) -> bytes | None:
    """The content of `name` downloaded by keras into its cache (a damaged cached copy is removed first: keras would
    take it for the download); None when the download fails (the error goes into `errors`)."""
    cached = keras_cache_dir() / name
    if any(path == cached for path, _ in damaged):
        with contextlib.suppress(OSError):
            cached.unlink()
    from keras.utils import get_file  # deferred: importing TensorFlow takes seconds, and only a download needs it

    try:
        path = Path(get_file(name, origin=DOWNLOAD_URL + name, cache_dir=str(keras_home()),
                             cache_subdir=os.path.join("datasets", "fashion-mnist")))
    except Exception as error:  # keras raises a bare Exception when a download fails
        errors.append(error)
        return None
    try:
        return checked_content(path, name)
    except (OSError, ValueError) as error:
        damaged.append((path, f"downloaded, but {error}"))
        return None


def _not_found_message(download_error: Exception | None, allow_download: bool) -> str:
    tried = [f"  - keras cache: {keras_cache_dir()}"]
    tried.append(f"  - ${DATA_DIR_ENV}: {os.environ.get(DATA_DIR_ENV) or '(not set)'}")
    tried.append(f"  - Debian package folder: {DEBIAN_DIR}")
    if not allow_download:
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


def _corrupt_message(damaged: list[tuple[Path, str]]) -> str:
    return (
        "Fashion-MNIST was found, but only damaged copies of some of its files:\n"
        + "\n".join(f"  - {path}: {what}" for path, what in damaged)
        + f"\nPlaces tried: keras cache {keras_cache_dir()}, ${DATA_DIR_ENV} ({os.environ.get(DATA_DIR_ENV) or 'not set'}),"
        f" Debian package folder {DEBIAN_DIR}.\nFix it with one of:\n"
        "  - sudo apt-get install --reinstall dataset-fashion-mnist   (Debian/Ubuntu)\n"
        f"  - put good copies of the four gz files into ${DATA_DIR_ENV} or replace the damaged ones\n"
        "  - delete the damaged files from keras' cache and connect to the internet once so keras downloads them again"
    )
