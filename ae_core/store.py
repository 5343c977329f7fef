"""Model store: each model is a folder with a `.keras` file and the `metadata.json` that names it.

metadata.json is the commit point of a save: a new `.keras` file is written under a new name first,
then metadata.json is replaced atomically to point at it, so a crash at any moment leaves either the
previous model or the new one, never half of each. Models load only from the project's own folders
(DESIGN.md fact 7: a `.keras` file is code).

Usage: `save_model(result.model, metadata, trained_dir() / "dense-64"); model = load_model("dense-64")`
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA_FILE = "metadata.json"
# Trained models go here unless AE_LAB_TRAINED_DIR says otherwise (tests point it at a temporary folder).
TRAINED_DIR_ENV = "AE_LAB_TRAINED_DIR"
NAME_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class ModelStoreError(ValueError):
    """A model that cannot be saved or loaded; the message says why."""


@dataclass(frozen=True)
class StoredModel:
    name: str
    path: Path
    metadata: dict
    shipped: bool

    @property
    def val_mse(self) -> float | None:
        return self.metadata.get("val_mse")


def shipped_dir() -> Path:
    return PROJECT_ROOT / "models"


def trained_dir() -> Path:
    return Path(os.environ.get(TRAINED_DIR_ENV) or PROJECT_ROOT / "trained")


def store_roots() -> list[Path]:
    return [shipped_dir(), trained_dir()]


def validate_name(name: str) -> str:
    if not name or len(name) > 64 or not set(name) <= NAME_ALLOWED or name.startswith("."):
        raise ModelStoreError(
            f"Invalid model name {name!r}: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'."
        )
    return name


def versions() -> dict[str, str]:
    import keras
    import numpy
    import tensorflow

    return {"python": platform.python_version(), "tensorflow": tensorflow.__version__,
            "keras": keras.__version__, "numpy": numpy.__version__}


def build_metadata(result, model_config, train_config, dataset_checksum: str) -> dict:
    """Everything needed to rebuild, compare and trust a trained model."""
    from ae_core.config import to_dict

    return {
        "model_config": to_dict(model_config),
        "train_config": to_dict(train_config),
        "history": result.history,
        "val_mse": result.val_mse,
        "training_seconds": round(result.seconds, 2),
        "epochs_completed": result.epochs_completed,
        "stopped_early": result.stopped_early,
        "dataset_checksum": dataset_checksum,
        "versions": versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def save_model(model, metadata: dict, folder: Path) -> Path:
    """Write model and metadata into `folder` atomically; return the `.keras` path."""
    folder = Path(folder)
    validate_name(folder.name)
    folder.mkdir(parents=True, exist_ok=True)
    previous = _read_metadata(folder)

    handle, temporary = tempfile.mkstemp(prefix=".saving-", suffix=".keras", dir=folder)
    os.close(handle)
    try:
        model.save(temporary)
        digest = _sha256(Path(temporary))
        model_file = f"model-{digest[:12]}.keras"
        _fsync(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes files private; a model is meant to be read by the app's user
        os.replace(temporary, folder / model_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    full_metadata = {**metadata, "model_file": model_file, "model_sha256": digest}
    try:
        _write_json_atomic(folder / METADATA_FILE, full_metadata)  # the commit point
    except BaseException:
        if model_file != (previous or {}).get("model_file"):
            (folder / model_file).unlink(missing_ok=True)
        raise
    old_file = (previous or {}).get("model_file")
    if old_file and old_file != model_file:
        (folder / old_file).unlink(missing_ok=True)
    return folder / model_file


def list_models() -> list[StoredModel]:
    """Every complete model in the project's folders, shipped first, then by name."""
    found = []
    for root in store_roots():
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            metadata = _read_metadata(folder) if folder.is_dir() else None
            if metadata and (folder / metadata.get("model_file", "")).is_file():
                found.append(StoredModel(folder.name, folder, metadata, shipped=root == shipped_dir()))
    return found


def find_model(name_or_path: str | Path) -> StoredModel:
    """A stored model by name (trained ones shadow nothing: shipped names win) or by its folder's path."""
    candidate = Path(name_or_path)
    for stored in list_models():
        if stored.name == str(name_or_path) or _same_path(stored.path, candidate):
            return stored
    roots = ", ".join(str(root) for root in store_roots())
    raise ModelStoreError(f"No stored model {str(name_or_path)!r}. Models load only from: {roots}.")


def load_model(name_or_path: str | Path):
    """Load a model from the project's folders only; check the file is the one metadata.json names."""
    import keras

    import ae_core.models  # noqa: F401  registers the Autoencoder class for deserialization

    stored = find_model(name_or_path)
    model_path = stored.path / stored.metadata["model_file"]
    expected = stored.metadata.get("model_sha256")
    if expected and _sha256(model_path) != expected:
        raise ModelStoreError(f"{model_path} does not match the checksum in its metadata.json; retrain or restore it.")
    return keras.saving.load_model(model_path, safe_mode=True)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _read_metadata(folder: Path) -> dict | None:
    try:
        return json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json_atomic(path: Path, values: dict) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".saving-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(values, file, indent=2, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fsync(path: str) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
