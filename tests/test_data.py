import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from ae_core import data as data_module
from ae_core.data import CLASS_NAMES, DatasetCorruptError, DatasetNotFoundError, load_fashion_mnist
from ui.i18n import t

PROJECT = Path(__file__).resolve().parent.parent
# The checksum of the pixels and labels every shipped model was trained on (models/*/metadata.json).
SHIPPED_DATASET_CHECKSUM = json.loads((PROJECT / "models" / "dense-64" / "metadata.json").read_text())["dataset_checksum"]


def test_real_fashion_mnist_shapes_types_and_range(fashion_mnist):
    assert fashion_mnist.x_train.shape == (60000, 28, 28)
    assert fashion_mnist.x_test.shape == (10000, 28, 28)
    assert fashion_mnist.x_train.dtype == np.float32
    assert fashion_mnist.x_test.min() == 0.0 and fashion_mnist.x_test.max() == 1.0
    assert set(np.unique(fashion_mnist.y_test)) == set(range(10))
    # Fashion-MNIST's test set has exactly 1,000 images per class.
    assert np.bincount(fashion_mnist.y_test).tolist() == [1000] * 10


def test_class_names_in_both_languages():
    assert CLASS_NAMES[9] == "Ankle boot" and len(CLASS_NAMES) == 10
    assert t("class.9", "en") == "Ankle boot" and t("class.1", "ko") == "바지"


def test_data_dir_variable_seeds_an_empty_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv(data_module.DATA_DIR_ENV, str(data_module.DEBIAN_DIR))
    monkeypatch.setattr(data_module, "DEBIAN_DIR", tmp_path / "no-debian-here")
    loaded = load_fashion_mnist(allow_download=False)
    assert loaded.x_test.shape == (10000, 28, 28)
    assert (tmp_path / "keras" / "datasets" / "fashion-mnist" / "t10k-images-idx3-ubyte.gz").is_file()


def test_missing_data_source_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv(data_module.DATA_DIR_ENV, str(tmp_path / "empty"))
    monkeypatch.setattr(data_module, "DEBIAN_DIR", tmp_path / "no-debian-here")
    with pytest.raises(DatasetNotFoundError) as caught:
        load_fashion_mnist(allow_download=False)
    message = str(caught.value)
    for place in (str(tmp_path / "empty"), str(tmp_path / "no-debian-here"), str(tmp_path / "keras")):
        assert place in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "AE_LAB_DATA_DIR" in message


# --- Damaged copies: never used, never copied, never "not found" -----------------------------------------------------

@pytest.fixture()
def places(tmp_path, monkeypatch):
    """Private keras cache, data folder and "Debian" folder (a copy of the real one unless a test empties it)."""
    folders = {name: tmp_path / name for name in ("keras", "data", "debian")}
    monkeypatch.setenv("KERAS_HOME", str(folders["keras"]))
    monkeypatch.setenv(data_module.DATA_DIR_ENV, str(folders["data"]))
    monkeypatch.setattr(data_module, "DEBIAN_DIR", folders["debian"])
    folders["debian"].mkdir()
    for name in data_module.FILES:
        (folders["debian"] / name).symlink_to(REAL_DEBIAN / name)
    folders["cache"] = folders["keras"] / "datasets" / "fashion-mnist"
    return folders


REAL_DEBIAN = data_module.DEBIAN_DIR
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"


def truncated(name: str) -> bytes:
    content = (REAL_DEBIAN / name).read_bytes()
    return content[: len(content) // 2]


def bit_flipped(name: str) -> bytes:
    content = bytearray((REAL_DEBIAN / name).read_bytes())
    content[len(content) // 2] ^= 0xFF
    return bytes(content)


def foreign_gzip(name: str) -> bytes:
    """A sound gz file of the right name and size that holds something else."""
    return gzip.compress(bytes(data_module.CONTENT[name][1]))


def gzip_bomb(name: str) -> bytes:
    return gzip.compress(bytes(64 << 20))  # 64 MB of zeros (more than any of the files) in a 64 KB file


DAMAGES = {"truncated": truncated, "bit_flipped": bit_flipped, "foreign": foreign_gzip, "bomb": gzip_bomb,
           "empty": lambda name: b""}


def put(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return folder / name


def test_the_known_checksums_are_those_of_debians_files():
    for name in data_module.FILES:
        assert len(data_module.checked_content(REAL_DEBIAN / name, name)) == data_module.CONTENT[name][1]


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_file_in_the_data_folder_is_skipped_and_never_copied_into_the_cache(places, damage):
    put(places["data"], TRAIN_IMAGES, DAMAGES[damage](TRAIN_IMAGES))
    loaded = load_fashion_mnist(allow_download=False)
    assert loaded.checksum == SHIPPED_DATASET_CHECKSUM
    # The cache holds Debian's good copy, not the damaged one from the data folder.
    assert (places["cache"] / TRAIN_IMAGES).read_bytes() == (REAL_DEBIAN / TRAIN_IMAGES).read_bytes()


@pytest.mark.parametrize("damage", ["truncated", "bit_flipped", "foreign"])
def test_a_damaged_file_in_the_cache_is_repaired_from_a_good_copy(places, damage):
    put(places["cache"], TRAIN_IMAGES, DAMAGES[damage](TRAIN_IMAGES))
    assert load_fashion_mnist(allow_download=False).checksum == SHIPPED_DATASET_CHECKSUM
    assert (places["cache"] / TRAIN_IMAGES).read_bytes() == (REAL_DEBIAN / TRAIN_IMAGES).read_bytes()
    assert not list(places["cache"].glob("*.part"))


@pytest.mark.parametrize("where", ["data", "cache"])
def test_only_damaged_copies_is_a_corrupt_dataset_not_a_missing_one(places, where):
    (places["debian"] / TRAIN_IMAGES).unlink()
    bad = put(places[where], TRAIN_IMAGES, truncated(TRAIN_IMAGES))
    with pytest.raises(DatasetCorruptError) as caught:
        load_fashion_mnist(allow_download=False)
    assert not isinstance(caught.value, DatasetNotFoundError) and caught.value.code == "dataset_corrupt"
    assert [path for path, _ in caught.value.damaged] == [bad]
    message = str(caught.value)
    assert str(bad) in message and "not a complete gzip file" in message and "not found" not in message
    if where == "data":
        assert not (places["cache"] / TRAIN_IMAGES).exists()  # the bad copy was not copied into the cache
    else:
        assert (places["cache"] / TRAIN_IMAGES).read_bytes() == truncated(TRAIN_IMAGES)  # left for a person to see


def test_nothing_anywhere_is_still_not_found(places):
    (places["debian"] / TRAIN_IMAGES).unlink()
    with pytest.raises(DatasetNotFoundError) as caught:
        load_fashion_mnist(allow_download=False)
    assert caught.value.code == "dataset_missing"


def test_a_download_replaces_a_damaged_cached_file_and_is_checked_too(places, monkeypatch):
    import keras

    (places["debian"] / TRAIN_IMAGES).unlink()
    put(places["cache"], TRAIN_IMAGES, truncated(TRAIN_IMAGES))
    downloads = []

    def fake_get_file(fname, origin, cache_dir, cache_subdir):
        target = Path(cache_dir) / cache_subdir / fname
        downloads.append((origin, target.exists()))
        target.write_bytes((REAL_DEBIAN / fname).read_bytes())
        return str(target)

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    assert load_fashion_mnist().checksum == SHIPPED_DATASET_CHECKSUM
    # keras would have taken the damaged file for the download: it was removed first.
    assert downloads == [(data_module.DOWNLOAD_URL + TRAIN_IMAGES, False)]

    def damaged_download(fname, origin, cache_dir, cache_subdir):
        target = Path(cache_dir) / cache_subdir / fname
        target.write_bytes(truncated(fname))
        return str(target)

    put(places["cache"], TRAIN_IMAGES, truncated(TRAIN_IMAGES))
    monkeypatch.setattr(keras.utils, "get_file", damaged_download)
    with pytest.raises(DatasetCorruptError):
        load_fashion_mnist()


def test_a_failed_download_is_not_found_with_its_reason(places, monkeypatch):
    import keras

    for name in data_module.FILES:
        (places["debian"] / name).unlink()

    def offline(fname, origin, cache_dir, cache_subdir):
        raise Exception("URL fetch failure: no route to host")  # what keras raises

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(DatasetNotFoundError) as caught:
        load_fashion_mnist()
    assert "keras download: failed (URL fetch failure: no route to host)" in str(caught.value)
