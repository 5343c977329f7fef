import json

import numpy as np
import pytest

from ae_core import store
from ae_core.config import ModelConfig
from ae_core.models import build_autoencoder
from ae_core.store import files


@pytest.fixture()
def images():
    return np.random.default_rng(1).random((4, 28, 28), dtype=np.float32)


def _model(seed):
    import keras

    keras.utils.set_random_seed(seed)
    return build_autoencoder(ModelConfig("dense", 8))


def _metadata(val_mse=0.01):
    return {"val_mse": val_mse, "model_config": {"arch": "dense", "latent_dim": 8}}


def test_save_list_and_load_round_trip(private_trained_dir, images):
    model = _model(0)
    store.save_model(model, _metadata(), private_trained_dir / "mine")
    listed = {m.name: m for m in store.list_models()}
    assert "mine" in listed and not listed["mine"].shipped
    assert listed["mine"].val_mse == 0.01
    loaded = store.load_model("mine")
    np.testing.assert_array_equal(np.asarray(loaded(images)), np.asarray(model(images)))


def test_resave_replaces_the_model_and_removes_the_old_file(private_trained_dir, images):
    folder = private_trained_dir / "again"
    first = store.save_model(_model(0), _metadata(), folder)
    second_model = _model(1)
    second = store.save_model(second_model, _metadata(), folder)
    assert first != second and not first.exists() and second.exists()
    np.testing.assert_array_equal(np.asarray(store.load_model("again")(images)), np.asarray(second_model(images)))


@pytest.mark.parametrize("crash_point", ["model_file", "metadata_commit"])
def test_crash_during_save_leaves_the_previous_model_loadable(private_trained_dir, images, monkeypatch, crash_point):
    folder = private_trained_dir / "precious"
    original = _model(0)
    store.save_model(original, _metadata(0.5), folder)

    class CrashError(Exception):
        pass

    def crash_midway(path, *args, **kwargs):
        with open(path, "wb") as file:
            file.write(b"half a zip file")
        raise CrashError

    def crash_on_commit(path, values):
        raise CrashError

    replacement = _model(1)
    with monkeypatch.context() as patch:
        if crash_point == "model_file":
            patch.setattr(replacement, "save", crash_midway)
        else:
            patch.setattr(files, "write_json_atomic", crash_on_commit)
        with pytest.raises(CrashError):
            store.save_model(replacement, _metadata(0.1), folder)

    assert json.loads((folder / "metadata.json").read_text())["val_mse"] == 0.5
    np.testing.assert_array_equal(np.asarray(store.load_model("precious")(images)), np.asarray(original(images)))
    assert sorted(path.name for path in folder.iterdir()) == ["metadata.json", store.find_model("precious").model_file]


def test_models_load_only_from_the_project_folders(tmp_path, images):
    outside = tmp_path / "elsewhere" / "evil"
    store.save_model(_model(0), _metadata(), outside)
    with pytest.raises(store.ModelStoreError, match="Models load only from"):
        store.load_model(outside)
    with pytest.raises(store.ModelStoreError):
        store.load_model("../elsewhere/evil")


def test_a_tampered_model_file_is_refused(private_trained_dir):
    path = store.save_model(_model(0), _metadata(), private_trained_dir / "tampered")
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(store.ModelStoreError, match="checksum"):
        store.load_model("tampered")


@pytest.mark.parametrize("name", ["", ".hidden", "a/b", "white space", "x" * 65, "모델"])
def test_invalid_names_are_rejected(name):
    with pytest.raises(store.ModelStoreError, match="Invalid model name"):
        store.validate_name(name)


def test_shipped_models_are_listed_with_their_metadata():
    shipped = {m.name: m for m in store.list_models() if m.shipped}
    assert "dense-64" in shipped
    dense = shipped["dense-64"]
    assert (dense.arch, dense.latent_dim) == ("dense", 64)
    assert dense.train_config["epochs"] == 10 and dense.train_config["batch_size"] == 32
    assert len(dense.history["val_loss"]) == 10 and dense.epochs_completed == 10
    assert len(dense.dataset_checksum) == 64 and len(dense.sha256) == 64


def test_a_model_file_for_download_is_the_checked_file(private_trained_dir):
    path = store.save_model(_model(0), _metadata(), private_trained_dir / "to-take-home")
    stored = store.find_model("to-take-home")
    assert store.model_file_bytes(stored) == path.read_bytes()
    path.write_bytes(path.read_bytes()[:-4] + b"oops")
    with pytest.raises(store.ModelStoreError) as refused:
        store.model_file_bytes(stored)
    assert refused.value.code == "checksum"
