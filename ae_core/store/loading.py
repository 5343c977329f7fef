"""Loading a stored model: the bytes whose checksum was just checked, loaded from memory with Keras' safe mode.

A `.keras` file is code (docs/design.md, "Model files are code"): a model loads only from the store's two folders,
only after its file's checksum matches its metadata, and from the very bytes that were checked (nothing can change
them between the check and the load, and no copy is written anywhere).

Usage: `model = load_model("dense-64")`; `content = model_file_bytes(stored)` (for a download)
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ae_core.store.files import MAX_MODEL_BYTES, ModelStoreError, read_regular_file, sha256_of_bytes
from ae_core.store.folders import METADATA_FILE
from ae_core.store.listing import find_model
from ae_core.store.records import StoredModel


def load_model(name_or_path: str | Path):
    """Load a stored model as an ae_core.models.Autoencoder; the bytes loaded are the bytes whose checksum was just
    checked. ModelStoreError (with its code) for anything that stops it."""
    stored = find_model(name_or_path)
    return load_stored_model(stored)


def load_stored_model(stored: StoredModel):
    """The Autoencoder of a model found in a listing already (ModelStoreError as load_model)."""
    from ae_core.keras_compat import load_model_from_bytes
    from ae_core.models import from_keras

    content = model_file_bytes(stored)
    try:
        return from_keras(load_model_from_bytes(content), stored.config)
    except Exception as error:  # a damaged or foreign file: Keras raises many kinds of errors
        raise ModelStoreError(f"{stored.name}/{stored.model_file} could not be loaded: {type(error).__name__}",
                              "not_loadable", stored.name) from error


def model_file_bytes(stored: StoredModel) -> bytes:
    """The bytes of a stored model's .keras file, checked against its metadata's checksum (to load, or to download:
    the file opens with plain keras.saving.load_model)."""
    where = f"{stored.name}/{stored.model_file}"
    try:
        content = read_regular_file(stored.model_path, MAX_MODEL_BYTES)
    except ModelStoreError as error:
        raise ModelStoreError(f"{where}: {error}", error.code, stored.name) from error
    except FileNotFoundError as error:
        raise ModelStoreError(f"{where} is missing.", "missing_file", stored.name) from error
    except OSError as error:
        raise ModelStoreError(f"{where} cannot be read: {os.strerror(error.errno or errno.EIO)}.", "unreadable",
                              stored.name) from error
    if sha256_of_bytes(content) != stored.sha256:
        raise ModelStoreError(f"{where} does not match the checksum in its {METADATA_FILE}; retrain or restore it.",
                              "checksum", stored.name)
    return content
