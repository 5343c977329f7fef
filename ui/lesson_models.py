"""Stored models for the lesson pages that compare several at once: pickers, loading a model by name (not only the
active one), and per-image test errors cached server-wide by (name, checksum, noise level).

Usage: `stored = model_picker(t("denoise.plain"), models, "denoise_plain", default="dense-64"); model = load(stored)`
"""

from __future__ import annotations

import logging

import numpy as np
import streamlit as st

from ae_core import reconstruction
from ae_core.store import StoredModel
from ui import i18n, state
from ui.state import t

NOISE_SEED = 0  # the Reconstructions page's too: an image gets the same noise on every page
logger = logging.getLogger(__name__)


def model_picker(label: str, models: list[StoredModel], key: str, *, default: str | None = None,
                 describe=None, help: str | None = None) -> StoredModel:
    """A selectbox over `models` (non-empty) that starts at `default` where it is among them; the chosen model.

    A choice that is no longer stored (deleted, or another picker's list changed) falls back to the default.
    """
    names = [model.name for model in models]
    if st.session_state.get(key) not in names:
        st.session_state[key] = default if default in names else names[0]
    name = st.selectbox(label, names, key=key, format_func=describe or (lambda name: name), help=help)
    return models[names.index(name)]


def load(stored: StoredModel):
    """The Keras model of any stored model, from the cache the active model also lives in; a message and a stop
    where it cannot be loaded (as ui.state.require_model does for the active one)."""
    try:
        return state._load_model(stored.name, stored.sha256)  # the shared cache: one copy per model and server
    except (ValueError, OSError) as error:
        logger.error("Model %s could not be loaded: %s", stored.name, error)
        reason = getattr(error, "code", "not_loadable")
        key = f"store.reason.{reason}" if f"store.reason.{reason}" in i18n.STRINGS else "store.reason.not_loadable"
        st.error(t("model.load_failed", name=stored.name, reason=t(key)))
        st.stop()


@st.cache_data(show_spinner=False, max_entries=64)
def test_errors(model_name: str, model_sha256: str, noise_std: float, count: int, _model, _images) -> np.ndarray:
    """Per-image MSE against the clean images of the model fed the first `count` test images with noise `noise_std`
    (0: clean), once per model (name + checksum), noise level and count: shared by every session."""
    return reconstruction.per_image_errors(_model, _images[:count], noise_std, NOISE_SEED)


def errors_of(stored: StoredModel, images: np.ndarray, noise_std: float = 0.0, count: int | None = None) -> np.ndarray:
    """test_errors for a stored model: per-image MSE of its reconstructions of the (noisy) images against the clean."""
    count = len(images) if count is None else count
    return test_errors(stored.name, stored.sha256, round(float(noise_std), 4), count, load(stored), images)
