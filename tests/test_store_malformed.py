"""The model store against what people and killed programs leave in its folders: each malformed entry is listed as
unavailable with its reason, never breaks another model, never leaks a server path, and nothing outside the store's
two folders is opened while listing and loading."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from ae_core import store
from ae_core.store import records

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED_MODEL = "dense-64"  # its .keras file is the good bytes every case starts from


def shipped_model_bytes() -> bytes:
    return store.find_model(SHIPPED_MODEL).model_path.read_bytes()


def good_metadata(content: bytes, **overrides) -> dict:
    digest = hashlib.sha256(content).hexdigest()
    values = {"model_file": f"model-{digest[:12]}.keras", "model_sha256": digest,
              "model_config": {"arch": "dense", "latent_dim": 64}, "val_mse": 0.009, "epochs_completed": 10,
              "history": {"loss": [0.02, 0.01], "val_loss": [0.02, 0.01]}, "created": "2025-01-01T00:00:00+00:00"}
    return {**values, **overrides}


def write_model(folder: Path, content: bytes | None = None, metadata_text: str | bytes | None = None,
                **overrides) -> Path:
    """A model folder: the .keras bytes (the shipped model's by default) and a metadata.json (good, with `overrides`,
    unless `metadata_text` is given). Returns the model file's path."""
    content = shipped_model_bytes() if content is None else content
    folder.mkdir(parents=True, exist_ok=True)
    metadata = good_metadata(content, **overrides)
    model_path = folder / good_metadata(content)["model_file"]
    model_path.write_bytes(content)
    if metadata_text is None:
        metadata_text = json.dumps(metadata)
    (folder / "metadata.json").write_bytes(metadata_text if isinstance(metadata_text, bytes) else metadata_text.encode())
    return model_path


def with_metadata(text: str | bytes):
    return lambda folder: write_model(folder, metadata_text=text)


def with_fields(**overrides):
    return lambda folder: write_model(folder, **overrides)


def without(field: str):
    def build(folder):
        values = good_metadata(shipped_model_bytes())
        del values[field]
        write_model(folder, metadata_text=json.dumps(values))
    return build


def raw_metadata(replacement: str, field: str = "val_mse"):
    """metadata.json whose `field` holds text JSON libraries write but json.dumps would not (NaN, 1e999, huge ints)."""
    def build(folder):
        text = json.dumps(good_metadata(shipped_model_bytes(), **{field: "PLACEHOLDER"}))
        write_model(folder, metadata_text=text.replace('"PLACEHOLDER"', replacement))
    return build


def symlinked_folder(folder: Path):
    real = folder.parent.parent / "outside" / folder.name
    write_model(real)
    folder.symlink_to(real, target_is_directory=True)


def symlinked_metadata(folder: Path):
    write_model(folder)
    outside = folder.parent.parent / "outside-metadata.json"
    (folder / "metadata.json").rename(outside)
    (folder / "metadata.json").symlink_to(outside)


def dangling_metadata_symlink(folder: Path):
    write_model(folder)
    (folder / "metadata.json").unlink()
    (folder / "metadata.json").symlink_to("/nonexistent/metadata.json")


def symlinked_model_file(folder: Path):
    model_path = write_model(folder)
    outside = folder.parent.parent / "outside.keras"
    model_path.rename(outside)
    model_path.symlink_to(outside)


def fifo_model_file(folder: Path):
    model_path = write_model(folder)
    model_path.unlink()
    os.mkfifo(model_path)


def directory_model_file(folder: Path):
    model_path = write_model(folder)
    model_path.unlink()
    model_path.mkdir()


def fifo_metadata(folder: Path):
    write_model(folder)
    (folder / "metadata.json").unlink()
    os.mkfifo(folder / "metadata.json")


def directory_metadata(folder: Path):
    write_model(folder)
    (folder / "metadata.json").unlink()
    (folder / "metadata.json").mkdir()


def truncated_metadata(folder: Path):
    text = json.dumps(good_metadata(shipped_model_bytes()))
    write_model(folder, metadata_text=text[: len(text) // 2])


def huge_metadata(folder: Path):
    write_model(folder, train_config={"note": "x" * (store.MAX_METADATA_BYTES + 10)})


def not_a_zip(folder: Path):
    write_model(folder, content=b"this is not a zip file, though its checksum matches")


def zip_without_a_model(folder: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "a zip, not a Keras model")
    write_model(folder, content=buffer.getvalue())


def checksum_mismatch(folder: Path):
    model_path = write_model(folder)
    content = model_path.read_bytes()
    model_path.write_bytes(content[:100] + bytes([content[100] ^ 0xFF]) + content[101:])


def missing_model_file(folder: Path):
    write_model(folder).unlink()


def oversized_model_file(folder: Path):
    model_path = write_model(folder)
    os.truncate(model_path, store.MAX_MODEL_BYTES + 1)  # sparse: costs no disk


def empty_folder(folder: Path):
    folder.mkdir(parents=True)


# (folder name, how to make it, the reason it must be listed with)
MALFORMED = [
    ("list-one", with_metadata("[1]"), "not_object"),
    ("a-string", with_metadata('"hello"'), "not_object"),
    ("null", with_metadata("null"), "not_object"),
    ("config-string", with_fields(model_config="x"), "wrong_type"),
    ("config-list", with_fields(model_config=[64]), "wrong_type"),
    ("mse-string", with_fields(val_mse="abc"), "wrong_type"),
    ("mse-bool", with_fields(val_mse=True), "wrong_type"),
    ("mse-nan", raw_metadata("NaN"), "out_of_range"),
    ("mse-infinity", raw_metadata("Infinity"), "out_of_range"),
    ("mse-1e999", raw_metadata("1e999"), "out_of_range"),
    ("mse-negative", with_fields(val_mse=-0.5), "out_of_range"),
    ("mse-huge-int", raw_metadata("9" * 400), "out_of_range"),
    ("latent-bool", with_fields(model_config={"arch": "dense", "latent_dim": True}), "wrong_type"),
    ("latent-string", with_fields(model_config={"arch": "dense", "latent_dim": "64"}), "wrong_type"),
    ("latent-zero", with_fields(model_config={"arch": "dense", "latent_dim": 0}), "out_of_range"),
    ("latent-huge", with_fields(model_config={"arch": "dense", "latent_dim": 10**400}), "out_of_range"),
    ("arch-unknown", with_fields(model_config={"arch": "gan", "latent_dim": 64}), "out_of_range"),
    ("arch-list", with_fields(model_config={"arch": ["dense"], "latent_dim": 64}), "wrong_type"),
    ("beta-huge", with_fields(model_config={"arch": "dense", "latent_dim": 64, "beta": 10**400}), "out_of_range"),
    ("variational-string", with_fields(model_config={"arch": "dense", "latent_dim": 64, "variational": "yes"}),
     "wrong_type"),
    ("epochs-bool", with_fields(epochs_completed=True), "wrong_type"),
    ("epochs-negative", with_fields(epochs_completed=-1), "out_of_range"),
    ("epochs-float", with_fields(epochs_completed=2.5), "wrong_type"),
    ("seconds-string", with_fields(training_seconds="fast"), "wrong_type"),
    ("stopped-string", with_fields(stopped_early="yes"), "wrong_type"),
    ("history-string", with_fields(history={"loss": "low"}), "wrong_type"),
    ("history-nan", raw_metadata('{"loss": [0.1, NaN]}', field="history"), "out_of_range"),
    ("history-bools", with_fields(history={"loss": [True, False]}), "out_of_range"),
    ("film-index", with_fields(film={"indices": [10_000], "frames": []}), "wrong_type"),
    ("film-not-base64", with_fields(film={"indices": [1], "frames": ["<script>alert(1)</script>"]}), "wrong_type"),
    ("train-config-nested", with_fields(train_config={"epochs": {"deep": 1}}), "wrong_type"),
    ("created-huge", with_fields(created="2025" * 1000), "out_of_range"),
    ("created-number", with_fields(created=2025), "wrong_type"),
    ("dataset-checksum-bad", with_fields(dataset_checksum="not-a-checksum"), "wrong_type"),
    ("traversal", with_fields(model_file="../../elsewhere/x.keras"), "bad_file_name"),
    ("absolute", with_fields(model_file="/etc/passwd"), "bad_file_name"),
    ("foreign-name", with_fields(model_file="model.keras"), "bad_file_name"),
    ("file-number", with_fields(model_file=5), "wrong_type"),
    ("no-checksum", without("model_sha256"), "missing"),
    ("no-model-file", without("model_file"), "missing"),
    ("no-val-mse", without("val_mse"), "missing"),
    ("no-config", without("model_config"), "missing"),
    ("checksum-short", with_fields(model_sha256="abc123"), "wrong_type"),
    ("checksum-upper", with_fields(model_sha256="A" * 64), "wrong_type"),
    ("symlinked-folder", symlinked_folder, "symlink"),
    ("symlinked-metadata", symlinked_metadata, "symlink"),
    ("dangling-metadata", dangling_metadata_symlink, "symlink"),
    ("symlinked-model", symlinked_model_file, "symlink"),
    ("fifo-model", fifo_model_file, "not_a_file"),
    ("directory-model", directory_model_file, "not_a_file"),
    ("fifo-metadata", fifo_metadata, "not_a_file"),
    ("directory-metadata", directory_metadata, "not_a_file"),
    ("truncated", truncated_metadata, "not_json"),
    ("empty-metadata", with_metadata(""), "not_json"),
    ("not-utf8", with_metadata(b'{"val_mse": "\xff\xfe"}'), "not_json"),
    ("deep-nesting", with_metadata("[" * 200_000 + "]" * 200_000), "not_json"),
    ("int-too-long", raw_metadata("9" * 5000), "not_json"),
    ("huge-metadata", huge_metadata, "too_large"),
    ("not-a-zip", not_a_zip, "not_loadable"),
    ("zip-not-keras", zip_without_a_model, "not_loadable"),
    ("checksum-mismatch", checksum_mismatch, "checksum"),
    # dense-64's file under metadata that describes another model: the file's own config says what it is.
    ("arch-conv-for-dense", with_fields(model_config={"arch": "conv", "latent_dim": 64}), "mismatch"),
    ("latent-32-for-64", with_fields(model_config={"arch": "dense", "latent_dim": 32}), "mismatch"),
    ("vae-for-plain", with_fields(model_config={"arch": "dense", "latent_dim": 64, "variational": True}), "mismatch"),
    ("model-missing", missing_model_file, "missing_file"),
    ("model-oversized", oversized_model_file, "too_large"),
    ("no-metadata", empty_folder, "no_metadata"),
    ("white space", with_fields(), "bad_name"),
    ("모델", with_fields(), "bad_name"),
    (SHIPPED_MODEL, with_fields(), "duplicate_name"),
]
# A path the server must never show: an absolute path, or this test's own folder.
SERVER_PATH = re.compile(r"(^|[\s'\"(=])/\w")


@pytest.fixture()
def good_trained(private_trained_dir):
    write_model(private_trained_dir / "good-one")
    return "good-one"


def assert_path_free(text: str, tmp_path: Path) -> None:
    assert str(tmp_path) not in text and str(PROJECT) not in text and not SERVER_PATH.search(text), text


def test_at_least_thirty_kinds_of_malformed_entries():
    assert len(MALFORMED) >= 30 and len({name for name, _, _ in MALFORMED}) == len(MALFORMED)


@pytest.mark.parametrize("reason", sorted({reason for _, _, reason in MALFORMED} | {"not_found", "unreadable"}))
def test_every_reason_has_a_sentence_in_both_languages(reason):
    from ui.i18n import LANGUAGES, t

    assert all(t(f"store.reason.{reason}", language) for language in LANGUAGES)


@pytest.mark.parametrize("name,build,reason", MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_entry_is_listed_unavailable_with_its_reason_and_breaks_nothing(  # noqa: PLR0917 (fixtures)
        private_trained_dir, good_trained, tmp_path, name, build, reason):
    build(private_trained_dir / name)
    listing = store.scan()

    broken = [entry for entry in listing.unavailable if entry.name == name and not entry.shipped]
    assert [(entry.name, entry.reason) for entry in broken] == [(name, reason)]
    assert_path_free(broken[0].detail, tmp_path)
    # Everything else is as it was: every shipped model and the good trained one, usable.
    shipped = {model.name for model in listing.models if model.shipped}
    assert SHIPPED_MODEL in shipped and good_trained in {model.name for model in listing.models}
    assert name not in {model.name for model in listing.models if not model.shipped}
    assert name in listing.taken_names  # a broken folder's name is not free for a new model

    if reason != "duplicate_name":  # by name, a duplicate is the shipped model
        with pytest.raises(store.ModelStoreError) as refused:
            store.load_model(name)
        assert refused.value.code == reason
        assert_path_free(str(refused.value), tmp_path)


def test_with_every_malformed_entry_at_once_the_good_models_still_load(private_trained_dir, good_trained, tmp_path):
    for name, build, _ in MALFORMED:
        build(private_trained_dir / name)
    listing = store.scan()
    assert {(entry.name, entry.reason) for entry in listing.unavailable if not entry.shipped} == {
        (name, reason) for name, _, reason in MALFORMED}
    images = np.random.default_rng(0).random((3, 28, 28), dtype=np.float32)
    reference = np.asarray(store.load_model(SHIPPED_MODEL)(images))
    # The good trained model holds the shipped model's bytes: it must give the very same outputs.
    np.testing.assert_array_equal(np.asarray(store.load_model(good_trained)(images)), reference)
    for model in listing.models:
        assert model.name == good_trained or model.shipped


def test_a_zip_that_is_no_keras_model_fails_cleanly_at_load(private_trained_dir, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # what a .keras file holds, by name only
        archive.writestr("config.json", '{"class_name": "Nonsense", "config": {}}')
        archive.writestr("model.weights.h5", b"not hdf5")
        archive.writestr("metadata.json", "{}")
    write_model(private_trained_dir / "fake-keras", content=buffer.getvalue())
    assert "fake-keras" in {model.name for model in store.scan().models}  # only loading can tell
    with pytest.raises(store.ModelStoreError) as refused:
        store.load_model("fake-keras")
    assert refused.value.code == "not_loadable"
    assert_path_free(str(refused.value), tmp_path)


def test_a_model_file_changed_after_the_listing_is_refused_at_load(private_trained_dir, good_trained):
    model = store.find_model(good_trained)  # listed, and cached, while good
    content = model.model_path.read_bytes()
    model.model_path.write_bytes(content[:-1] + bytes([content[-1] ^ 0xFF]))
    with pytest.raises(store.ModelStoreError) as refused:
        store.load_model(good_trained)
    assert refused.value.code == "checksum"
    model.model_path.unlink()
    records._folder_cache.clear()  # the folder's mtime may not move within the file system's clock tick
    with pytest.raises(store.ModelStoreError) as refused:
        store.load_model(good_trained)
    assert refused.value.code == "missing_file"


@pytest.mark.parametrize("path", ["/etc/passwd", "/etc", "../models/dense-64/../../x", "models/../../etc"])
def test_nothing_loads_by_a_path_outside_the_store(path):
    with pytest.raises(store.ModelStoreError) as refused:
        store.load_model(path)
    assert refused.value.code in ("not_found", "bad_name")


def test_the_cli_lists_every_model_and_every_reason(private_trained_dir, good_trained, tmp_path):
    for name, build, _ in MALFORMED:
        build(private_trained_dir / name)
    command = [sys.executable, "-m", "ae_core", "list"]
    environment = {**os.environ, "AE_LAB_TRAINED_DIR": str(private_trained_dir)}
    listed = subprocess.run([*command, "--json"], cwd=PROJECT, capture_output=True, text=True, env=environment,
                            timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr[-2000:]
    rows = json.loads(listed.stdout)
    trained = {(row["name"], row.get("reason")) for row in rows if not row["shipped"]}
    assert trained == {(name, reason) for name, _, reason in MALFORMED} | {(good_trained, None)}
    assert any(row["name"] == SHIPPED_MODEL and row["shipped"] and row["available"] for row in rows)

    text = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, env=environment, timeout=120,
                          check=False)
    assert text.returncode == 0, text.stderr[-2000:]
    assert re.search(r"^list-one +unavailable: not_object", text.stdout, re.MULTILINE)
    assert re.search(rf"^{good_trained} +dense +latent +64 ", text.stdout, re.MULTILINE)


# Runs in its own process: an audit hook cannot be removed once added.
AUDIT_SCRIPT = """
import json, os, sys
from ae_core import store
from ae_core.store import records as store_records

# Every import and one model load first: the hook then sees only what listing and loading open.
store.load_stored_model(store.find_model("dense-64"))
store_records._folder_cache.clear()
seen = []
WATCHED = ("open", "os.listdir", "os.scandir", "shutil.copyfile", "os.rename", "os.remove", "os.rmdir", "os.mkdir")
sys.addaudithook(lambda event, args: seen.append([event, args[0]]) if event in WATCHED else None)

listing = store.scan()
loaded = [store.load_model(model.name).config.latent_dim for model in listing.models]
loaded.append(store.load_model("models/dense-64").config.latent_dim)
outcomes = {}
for name in [broken.name for broken in listing.unavailable] + ["/etc/passwd", "../../etc/x", sys.argv[1]]:
    try:
        store.load_model(name)
        outcomes[name] = "loaded"  # the duplicate's name is the shipped model's
    except store.ModelStoreError as error:
        outcomes[name] = error.code
store.scan()  # every folder read once more, then cached
warm_from = len(seen)
store.scan()
seen = [[event, os.fspath(path) if isinstance(path, (str, bytes, os.PathLike)) else path] for event, path in seen]
print(json.dumps({"seen": seen,
                  "warm_seen": seen[warm_from:], "loaded": len(loaded), "outcomes": outcomes,
                  "models": len(listing.models), "reserved": listing.reserved}))
"""


def test_nothing_outside_the_two_store_folders_is_opened_while_listing_and_loading(private_trained_dir, good_trained,
                                                                                 tmp_path):
    for name, build, _ in MALFORMED:
        build(private_trained_dir / name)
    outside_model = tmp_path / "elsewhere" / "evil"
    write_model(outside_model)
    completed = subprocess.run([sys.executable, "-c", AUDIT_SCRIPT, str(outside_model)], cwd=PROJECT,
                               capture_output=True, text=True, timeout=300, check=False,
                               env={**os.environ, "AE_LAB_TRAINED_DIR": str(private_trained_dir),
                                    "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["loaded"] == report["models"] + 1 and report["models"] >= 3
    assert report["outcomes"] == {**{name: reason for name, _, reason in MALFORMED}, SHIPPED_MODEL: "loaded",
                                  "/etc/passwd": "not_found", "../../etc/x": "not_found",
                                  str(outside_model): "not_found"}
    allowed = (str(store.shipped_dir()), str(private_trained_dir))
    # Keras reads the machine's free memory on every model load where psutil is installed (ipykernel brings it): a
    # read of the kernel's figures, no file anyone can write.
    opened = [(event, path) for event, path in report["seen"]
              if not isinstance(path, int) and path != "/proc/meminfo"]  # an int: a descriptor
    assert opened, "the hook saw nothing: the test would prove nothing"
    outside = [(event, path) for event, path in opened
               if not any(os.path.abspath(path) == root or os.path.abspath(path).startswith(root + os.sep)
                          for root in allowed)]
    assert outside == []
    # A warm listing lists the two folders but reads no metadata.json and no model file again: the cache holds (a
    # folder being trained is looked at every time: whether its training still runs is no file's date).
    assert [path for event, path in report["warm_seen"] if event == "open"
            and str(path).endswith(("metadata.json", ".keras")) and Path(path).parent.name not in report["reserved"]
            ] == []
    assert {event for event, _ in report["warm_seen"]} <= {"os.scandir", "open"}


def test_each_shipped_models_file_says_what_its_metadata_says():
    from ae_core.store.model_file import read_model_file

    for model in store.list_models():
        facts = read_model_file(model.model_path.read_bytes())
        assert (facts.arch, facts.variational, facts.latent_dim) == (model.arch, model.config.variational,
                                                                    model.latent_dim), model.name
    assert read_model_file(b"PK\x03\x04 not really a zip") is None
