"""Shared fixtures: the real dataset loaded once, small slices of it, a private folder for trained models, and (from
tests/class_databases.py) a fresh class database on SQLite and on a real PostgreSQL server."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest

from ae_core.data import FashionMNIST, load_fashion_mnist

pytest_plugins = ["class_databases"]


@pytest.fixture(autouse=True)
def private_trained_dir(tmp_path, monkeypatch):
    """Models trained by a test land in a temporary folder, never in the project's trained/."""
    folder = tmp_path / "trained"
    monkeypatch.setenv("AE_LAB_TRAINED_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def fashion_mnist() -> FashionMNIST:
    return load_fashion_mnist(allow_download=False)


@pytest.fixture(scope="session")
def small_data(fashion_mnist) -> FashionMNIST:
    """2,000 training and 500 test images: enough to see learning happen in a second or two."""
    return FashionMNIST(fashion_mnist.x_train[:2000], fashion_mnist.y_train[:2000],
                        fashion_mnist.x_test[:500], fashion_mnist.y_test[:500])
