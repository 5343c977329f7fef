"""Model store: each model is a folder with a `.keras` file and the `metadata.json` that names it.

The store trusts nothing it reads (docs/design.md, "Model files are code"): models load only from the project's two
folders (`models/`, shipped, and the trained folder), never through a symlink, only after the file's checksum matches
its metadata; a folder whose metadata fails its checks is listed as unavailable with a reason and never breaks another
model. Its parts:

- listing.py: what the store holds (`scan`, `list_models`, `find_model`); cached_listing.py: a scan kept per process
  for the app's page runs (`cached_scan`: two stat calls while nothing changed); records.py: one folder, read and
  checked (only where it changed); names.py: what a model may be called;
- metadata.py: metadata.json's schema, both ways (`build_metadata`, `parse_metadata`); kinds.py: a model's lesson;
- model_file.py: a .keras file read as data (what its config says the model is, which its metadata must match);
- loading.py: `load_model`, from the checked bytes; saving.py: `save_model`, atomic;
- reservations.py: a name claimed for a training; folders.py: reservations and strays inside a folder;
- files.py: reads that never follow a link or exceed a limit, atomic writes, folder locks.

Usage (as scripts and notebooks outside the app use it):
    from ae_core import store
    model = store.load_model("dense-64"); listing = store.scan(); models = store.list_models()
    folder, token = store.reserve_name("my-model"); store.save_model(model, metadata, folder)
"""

from ae_core.store.cached_listing import cached_scan, mark_changed
from ae_core.store.files import MAX_METADATA_BYTES, MAX_MODEL_BYTES, TEMPORARY_PREFIX, ModelStoreError, write_refusal
from ae_core.store.folders import METADATA_FILE, RESERVATION_FILE
from ae_core.store.listing import (
    TRAINED_DIR_ENV,
    StoreListing,
    find_model,
    list_models,
    scan,
    shipped_dir,
    store_roots,
    taken_names,
    trained_dir,
)
from ae_core.store.loading import load_model, load_stored_model, model_file_bytes
from ae_core.store.metadata import ModelRecord, build_metadata
from ae_core.store.names import validate_name
from ae_core.store.records import StoredModel, UnavailableModel
from ae_core.store.reservations import claim_folder, release_name, reserve_name
from ae_core.store.saving import save_model

__all__ = [
    "MAX_METADATA_BYTES", "MAX_MODEL_BYTES", "METADATA_FILE", "RESERVATION_FILE", "TEMPORARY_PREFIX", "TRAINED_DIR_ENV",
    "ModelRecord", "ModelStoreError", "StoreListing", "StoredModel", "UnavailableModel", "build_metadata",
    "cached_scan", "claim_folder", "find_model", "list_models", "load_model", "load_stored_model", "mark_changed",
    "model_file_bytes", "release_name", "reserve_name", "save_model", "scan", "shipped_dir", "store_roots", "taken_names",
    "trained_dir", "validate_name", "write_refusal",
]
