"""Session defaults, the active model and cached, read-only resources shared by every page.

Models and data come from st.cache_resource: one copy per server process, shared by every session and never
mutated (arrays are made read-only so an accidental write fails loudly instead of leaking between users).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time

import numpy as np
import streamlit as st

from ae_core import reconstruction, store
from ae_core.data import NUM_CLASSES, FashionMNIST, load_fashion_mnist
from ui import i18n

DEFAULT_MODEL = "dense-64"
logger = logging.getLogger(__name__)
# What this process has loaded already. A first load (TensorFlow's import and the model: ~10 s on a fresh server)
# shows what is happening from the first moment; later ones are instant and show nothing.
_warm: set = set()
FLUSH_SECONDS = 0.1  # once per process and resource, before a first load


def init_session_defaults() -> None:
    st.session_state.setdefault("language", i18n.DEFAULT_LANGUAGE)
    st.session_state.setdefault("model_name", DEFAULT_MODEL)


def language() -> str:
    return st.session_state.get("language", i18n.DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    """The UI string for `key` in the session's language."""
    return i18n.t(key, language(), **values)


def classes() -> tuple[str, ...]:
    """Class names in the session's language, by class index."""
    return tuple(t(f"class.{index}") for index in range(NUM_CLASSES))


@st.cache_resource(show_spinner=False)
def dataset() -> FashionMNIST:
    data = load_fashion_mnist()
    for array in (data.x_train, data.y_train, data.x_test, data.y_test):
        array.flags.writeable = False
    return data


def stored_models() -> list[store.StoredModel]:
    return store.list_models()


def active_stored_model() -> store.StoredModel | None:
    """The session's model; falls back to the default (or the first stored one) when the chosen one is gone."""
    models = stored_models()
    by_name = {m.name: m for m in models}
    name = st.session_state.get("model_name")
    if name not in by_name and models:
        name = DEFAULT_MODEL if DEFAULT_MODEL in by_name else models[0].name
        st.session_state["model_name"] = name
    return by_name.get(name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_model(name: str, model_sha256: str):
    # The checksum is part of the cache key so that a model retrained under the same name is reloaded.
    model = store.load_model(name)
    _freeze_gc()
    return model


@contextlib.contextmanager
def first_load(what, text: str):
    """Show `text` with a spinning status while `what` loads for the first time in this process; else nothing.

    st.status shows at once (st.spinner waits half a second), and the placeholder takes it away afterwards.
    """
    if what in _warm:
        yield
        return
    placeholder = st.empty()
    placeholder.status(text, state="running")
    # Loading TensorFlow holds the GIL for seconds at a time (its libraries load inside `import`), and the thread that
    # sends messages to the browser needs it too: a short sleep lets the page and this status go out first.
    time.sleep(FLUSH_SECONDS)
    try:
        yield
        _warm.add(what)
    finally:
        placeholder.empty()


def require_dataset() -> FashionMNIST:
    """The dataset, or a clear message and a stop where it cannot be loaded."""
    try:
        with first_load("dataset", t("loading.data")):
            return dataset()
    except RuntimeError as error:
        logger.error("Fashion-MNIST could not be loaded: %s", error)
        st.error(t("data.missing"))
        st.stop()


def require_stored_model() -> store.StoredModel:
    """The session's stored model, or a message and a stop where there is none."""
    stored = active_stored_model()
    if stored is None:
        st.info(t("sidebar.no_models"))
        st.stop()
    return stored


def require_model(stored: store.StoredModel | None = None):
    """The Keras model of `stored` (the session's model by default), from the cache every session shares; a message
    and a stop where it cannot be loaded."""
    stored = stored or require_stored_model()
    try:
        with first_load((stored.name, stored.sha256), t("loading.model", name=stored.name)):
            return _load_model(stored.name, stored.sha256)
    except (ValueError, OSError) as error:
        logger.error("Model %s could not be loaded: %s", stored.name, error)
        reason = getattr(error, "code", "not_loadable")
        st.error(t("model.load_failed", name=stored.name,
                   reason=t(f"store.reason.{reason}" if f"store.reason.{reason}" in i18n.STRINGS else "store.reason.not_loadable")))
        st.stop()


@st.cache_data(show_spinner=False, max_entries=64)
def _test_errors(model_name: str, model_sha256: str, noise_std: float, count: int, _model, _images) -> np.ndarray:
    return reconstruction.per_image_errors(_model, _images[:count], noise_std)


def test_errors(stored: store.StoredModel, noise_std: float = 0.0, count: int | None = None) -> np.ndarray:
    """Per-image MSE against the clean images of `stored`'s reconstructions of the first `count` test images (all by
    default) with input noise `noise_std`: once per model (name + checksum), noise level and count, for every session."""
    images = require_dataset().x_test
    count = len(images) if count is None else count
    return _test_errors(stored.name, stored.sha256, round(float(noise_std), 4), count, require_model(stored), images)


@st.cache_resource(show_spinner=False, max_entries=8)
def _latent_space(name: str, model_sha256: str):
    # Encoding the 10,000 test images takes 0.3 s (dense) to 2 s (conv): once per model and checksum, never per
    # rerun, so a slider release on the explorer costs only a decode.
    from ae_core.latent import LatentSpace

    data = dataset()
    space = LatentSpace.from_model(_load_model(name, model_sha256), data.x_test, data.y_test).make_readonly()
    _freeze_gc()
    return space


@st.cache_resource(show_spinner=False, max_entries=8)
def _compiled_decoder(name: str, model_sha256: str):
    from ae_core.latent import CompiledDecoder

    decoder = CompiledDecoder(_load_model(name, model_sha256))
    _freeze_gc()
    return decoder


def require_decoder():
    """The active model's decoder compiled once (ae_core.latent.CompiledDecoder): ~2 ms a call even right after
    the clear_session() that Streamlit runs after every rerun, where a direct call costs 7-23 ms. Shared, stateless.
    """
    require_model()
    stored = require_stored_model()
    with first_load(("decoder", stored.name, stored.sha256), t("loading.decoder")):
        return _compiled_decoder(stored.name, stored.sha256)


def require_latent_space():
    """The active model's encoded test set with its PCA, slider ranges and class means (ae_core.latent.LatentSpace).

    Shared and read-only. The first call per model encodes the test set (up to ~2 s) under a status line.
    """
    require_dataset()
    require_model()
    stored = require_stored_model()
    with first_load(("latent space", stored.name, stored.sha256), t("latent.encoding")):
        return _latent_space(stored.name, stored.sha256)


def _freeze_gc() -> None:
    # Streamlit calls keras.backend.clear_session() after every rerun, which runs gc.collect() over all of
    # TensorFlow's objects (~800 ms a widget interaction here). Freezing what is loaded by now moves it out of
    # the collector's reach: reruns drop to ~90 ms (docs/design.md, "Streamlit clears Keras after every rerun").
    gc.collect()
    gc.freeze()
