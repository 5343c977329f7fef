import numpy as np
import pytest

from ae_core import data as data_module
from ae_core.data import CLASS_NAMES, DatasetNotFoundError, load_fashion_mnist
from ui.i18n import t


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
