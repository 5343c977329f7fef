"""metadata.json, both ways: what a training writes (`build_metadata`) and what the store reads back, checked field by
field into a typed record, or the reason it cannot be used (`parse_metadata`).

metadata.json is read from folders that people (and interrupted programs) write to, so nothing in it is trusted:
every field has a type and a range, and `model_file` must be a plain file name of the store's own pattern inside
the model's folder. A file that fails becomes a `MetadataError` with a code the page translates.

Usage:
    values = build_metadata(model_config=..., train_config=..., history=..., val_mse=0.0088, ...)
    record = parse_metadata(json.loads(text))  # ModelRecord(config=ModelConfig(...), val_mse=0.0088, ...)
"""

from __future__ import annotations

import dataclasses
import math
import platform
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ae_core.config import ConfigError, ModelConfig, TrainConfig

MODEL_FILE_PATTERN = re.compile(r"model-[0-9a-f]{12}\.keras")
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
MAX_HISTORY = 10_000  # epochs; far beyond any run, small enough that a hostile file cannot make us build huge lists
MAX_FILM_IMAGES = 16
MAX_FILM_FRAME_CHARS = 64_000  # base64 of a PNG strip of a few 28x28 images: a few KB
MAX_TEXT_CHARS = 64  # a date, a schedule's name: anything longer is not ours
BASE64_PATTERN = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class MetadataError(ValueError):
    """metadata.json cannot be used. `code`: "not_object", "missing", "wrong_type", "out_of_range" or "bad_file_name";
    `field` names the offending field."""

    def __init__(self, code: str, field_name: str = "", detail: str = ""):
        super().__init__(f"metadata.json: {code}" + (f" ({field_name})" if field_name else "") + (f": {detail}" if detail else ""))
        self.code = code
        self.field = field_name


@dataclass(frozen=True)
class ModelRecord:
    """The checked contents of one metadata.json."""

    model_file: str  # a plain file name inside the model's folder, e.g. "model-1ac6c96db690.keras"
    sha256: str  # of model_file: checked before every load
    config: ModelConfig
    val_mse: float  # on the 10,000 test images
    train_config: dict = field(default_factory=dict)  # as the run was asked (epochs, batch_size, learning_rate, …)
    history: dict[str, tuple[float, ...]] = field(default_factory=dict)  # "loss", "val_loss": one value per epoch
    epochs_completed: int | None = None
    training_seconds: float | None = None
    stopped_early: bool = False
    created: str | None = None  # ISO 8601, UTC
    dataset_checksum: str | None = None
    # The learning film: test images `film_indices` reconstructed after every epoch, each frame base64 PNG of them
    # side by side (ae_core.training.film.film_frame_text).
    film_indices: tuple[int, ...] = ()
    film_frames: tuple[str, ...] = ()

    @property
    def arch(self) -> str:
        return self.config.arch

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim


def parse_metadata(values) -> ModelRecord:
    """A ModelRecord from the decoded JSON of a metadata.json; MetadataError naming the first field that is wrong."""
    if not isinstance(values, dict):
        raise MetadataError("not_object")
    model_file = _required(values, "model_file", str)
    if not MODEL_FILE_PATTERN.fullmatch(model_file):
        raise MetadataError("bad_file_name", "model_file", model_file[:80])
    sha256 = _required(values, "model_sha256", str)
    if not SHA256_PATTERN.fullmatch(sha256):
        raise MetadataError("wrong_type", "model_sha256")
    film_indices, film_frames = _film(_optional(values, "film", dict) or {})
    dataset_checksum = _optional(values, "dataset_checksum", str)
    if dataset_checksum is not None and not SHA256_PATTERN.fullmatch(dataset_checksum):
        raise MetadataError("wrong_type", "dataset_checksum")
    created = _optional(values, "created", str)
    if created is not None and len(created) > MAX_TEXT_CHARS:
        raise MetadataError("out_of_range", "created")
    return ModelRecord(
        model_file=model_file,
        sha256=sha256,
        config=_model_config(_required(values, "model_config", dict)),
        val_mse=_number(_required(values, "val_mse", (int, float)), "val_mse"),
        train_config=_train_config(_optional(values, "train_config", dict) or {}),
        history=_history(_optional(values, "history", dict) or {}),
        epochs_completed=_count(_optional(values, "epochs_completed", int), "epochs_completed"),
        training_seconds=_number(_optional(values, "training_seconds", (int, float)), "training_seconds"),
        stopped_early=bool(_optional(values, "stopped_early", bool)),
        created=created,
        dataset_checksum=dataset_checksum,
        film_indices=film_indices,
        film_frames=film_frames,
    )


def _model_config(values: dict) -> ModelConfig:
    # Each field's type first: ModelConfig's own checks expect numbers where numbers belong.
    arch = _optional(values, "arch", str)
    latent_dim = _optional(values, "latent_dim", int)
    variational = _optional(values, "variational", bool)
    beta = _optional(values, "beta", (int, float))
    try:
        return ModelConfig(arch=arch, latent_dim=latent_dim, variational=bool(variational),
                           beta=1.0 if beta is None else beta)
    except (ConfigError, ArithmeticError) as error:  # ArithmeticError: an integer too large for a float
        raise MetadataError("out_of_range", "model_config", str(error)[:200]) from error


def _train_config(values: dict) -> dict:
    """How the run was asked for: shown on the page as it is, so only short plain values."""
    for value in values.values():
        if not (value is None or isinstance(value, bool | str) or _is_number(value)) or (
                isinstance(value, str) and len(value) > MAX_TEXT_CHARS):
            raise MetadataError("wrong_type", "train_config")
    return values


def _required(values: dict, name: str, kind):
    if name not in values:
        raise MetadataError("missing", name)
    return _optional(values, name, kind)


def _optional(values: dict, name: str, kind):
    value = values.get(name)
    # bool is an int to Python, and an int is not a bool: neither may stand for the other here.
    if value is not None and (not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool)):
        raise MetadataError("wrong_type", name)
    return value


def _is_number(value) -> bool:
    """A finite int or float that fits a float (JSON allows NaN, Infinity and integers of any length)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _number(value, name: str) -> float | None:
    if value is None:
        return None
    if not _is_number(value) or value < 0:
        raise MetadataError("out_of_range", name, repr(value)[:80])
    return float(value)


def _count(value, name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_HISTORY:
        raise MetadataError("out_of_range", name, repr(value)[:80])
    return value


def _history(history: dict) -> dict[str, tuple[float, ...]]:
    checked = {}
    for name, series in history.items():
        if not isinstance(series, list) or len(series) > MAX_HISTORY:
            raise MetadataError("wrong_type", "history")
        if not all(_is_number(value) for value in series):
            raise MetadataError("out_of_range", "history")
        checked[str(name)] = tuple(float(value) for value in series)
    return checked


def _film(film: dict) -> tuple[tuple[int, ...], tuple[str, ...]]:
    indices, frames = film.get("indices", []), film.get("frames", [])
    if not isinstance(indices, list) or len(indices) > MAX_FILM_IMAGES or not all(
            isinstance(index, int) and not isinstance(index, bool) and 0 <= index < 10_000 for index in indices):
        raise MetadataError("wrong_type", "film.indices")
    if not isinstance(frames, list) or len(frames) > MAX_HISTORY or not all(
            isinstance(frame, str) and len(frame) <= MAX_FILM_FRAME_CHARS and BASE64_PATTERN.fullmatch(frame)
            for frame in frames):
        raise MetadataError("wrong_type", "film.frames")
    return tuple(indices), tuple(frames)


def build_metadata(*, model_config: ModelConfig, train_config: TrainConfig, history: dict, val_mse: float,
                   training_seconds: float, epochs_completed: int, stopped_early: bool, dataset_checksum: str,
                   film_indices: list[int], film_frames: list[str]) -> dict:
    """Everything needed to rebuild, compare and trust a trained model, and its learning film (`film_frames`: base64
    PNG strips, ae_core.training.film.film_frame_text); save_model adds the model file's name and checksum."""
    return {
        "film": {"indices": list(film_indices), "frames": list(film_frames)},
        "model_config": dataclasses.asdict(model_config),
        "train_config": dataclasses.asdict(train_config),
        "history": history,
        "val_mse": val_mse,
        "training_seconds": round(training_seconds, 2),
        "epochs_completed": epochs_completed,
        "stopped_early": stopped_early,
        "dataset_checksum": dataset_checksum,
        "versions": versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def versions() -> dict[str, str]:
    import keras
    import numpy
    import tensorflow

    return {"python": platform.python_version(), "tensorflow": tensorflow.__version__,
            "keras": keras.__version__, "numpy": numpy.__version__}
