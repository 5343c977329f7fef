"""A .keras file read as data, without Keras: whether it is one, and what its own config says the model is (dense or
conv, variational or not, how many latent dimensions), so that a metadata.json that says otherwise is caught before
the model is listed.

Why: the pages choose what to do with a model from its metadata (a conv model's decoder is not sent to the browser as
a dense one, a VAE samples from its prior), and metadata.json is a file anyone can edit. A dense model whose metadata
says `"arch": "conv"` loaded and was shown as conv. The config inside the zip is what the model really is; it is read
here as JSON (small, capped) and nothing in it is run.

Usage: `facts = read_model_file(content)` → ModelFileFacts(arch="dense", variational=False, latent_dim=64), or None
when the bytes are no .keras file (a zip with a model's config and weights)
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass

# What every .keras file holds (Keras 3's zip format): a zip without them is not a model, whatever its checksum says.
KERAS_CONFIG_MEMBER = "config.json"
KERAS_WEIGHTS_MEMBERS = ("model.weights.h5", "model.weights.npz")
MAX_CONFIG_BYTES = 1024 * 1024  # the shipped models' configs are 5-13 KB
CONVOLUTIONS = ("Conv2D", "Conv2DTranspose")


@dataclass(frozen=True)
class ModelFileFacts:
    """What a .keras file's config describes; a field is None where the config does not show it (no `encoder` or
    `decoder` half of the store's shape)."""

    arch: str  # "conv" when any layer is a convolution, else "dense"
    variational: bool | None  # the encoder has two outputs (mean and log-variance)
    latent_dim: int | None  # the decoder's input width


def read_model_file(content: bytes) -> ModelFileFacts | None:
    """The facts of a .keras file's bytes; None when they are not a .keras file. Reads the zip in memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if KERAS_CONFIG_MEMBER not in names or not any(name in names for name in KERAS_WEIGHTS_MEMBERS):
                return None
            if archive.getinfo(KERAS_CONFIG_MEMBER).file_size > MAX_CONFIG_BYTES:
                return None
            with archive.open(KERAS_CONFIG_MEMBER) as member:
                raw = member.read(MAX_CONFIG_BYTES + 1)  # the size in the zip's directory is the writer's word only
        if len(raw) > MAX_CONFIG_BYTES:
            return None
        config = json.loads(raw.decode("utf-8"))
    # ValueError: bad UTF-8 or JSON; RecursionError: deep nesting; the rest: a damaged zip, an encrypted member
    # (RuntimeError), a compression method Python lacks (NotImplementedError), a broken deflate stream (zlib.error).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RecursionError, EOFError, KeyError,
            RuntimeError, NotImplementedError, zlib.error):
        return None
    if not isinstance(config, dict):
        return None
    return ModelFileFacts(arch="conv" if _has_convolution(config) else "dense",
                          variational=_is_variational(_half(config, "encoder")),
                          latent_dim=_input_width(_half(config, "decoder")))


def _layers(config) -> list[dict]:
    inner = config.get("config") if isinstance(config, dict) else None
    layers = inner.get("layers") if isinstance(inner, dict) else None
    return [layer for layer in layers if isinstance(layer, dict)] if isinstance(layers, list) else []


def _has_convolution(config: dict, depth: int = 0) -> bool:
    if depth > 8:  # the store's models nest two deep; deeper is not one of ours and is not walked forever
        return False
    return any(layer.get("class_name") in CONVOLUTIONS or _has_convolution(layer, depth + 1) for layer in _layers(config))


def _half(config: dict, name: str) -> dict | None:
    """The nested model called `name` (the store's models are an `encoder` and a `decoder`)."""
    for layer in _layers(config):
        inner = layer.get("config")
        if isinstance(inner, dict) and inner.get("name") == name and isinstance(inner.get("layers"), list):
            return layer
    return None


def _is_variational(encoder: dict | None) -> bool | None:
    if encoder is None:
        return None
    outputs = encoder["config"].get("output_layers")
    # One output is written as ["code", 0, 0]; several as a list of such lists.
    return isinstance(outputs, list) and len(outputs) == 2 and all(isinstance(output, list) for output in outputs)


def _input_width(decoder: dict | None) -> int | None:
    if decoder is None:
        return None
    for layer in _layers(decoder):
        if layer.get("class_name") == "InputLayer":
            shape = (layer.get("config") or {}).get("batch_shape")
            if isinstance(shape, list) and len(shape) == 2 and isinstance(shape[1], int) and not isinstance(shape[1], bool):
                return shape[1]
    return None
