"""Session defaults, the active model and cached, read-only resources shared by every page.

Models and data come from st.cache_resource: one copy per server process, shared by every session and never
mutated (arrays are made read-only so an accidental write fails loudly instead of leaking between users).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from ae_core import reconstruction, store
from ae_core.data import NUM_CLASSES, FashionMNIST, load_fashion_mnist
from ae_core.loaded_model import LoadedModel
from ui import i18n
from ui.plain_text import literal

DEFAULT_MODEL = "dense-64"
logger = logging.getLogger(__name__)
# What this process has loaded already. A first load (TensorFlow's import and the model: ~10 s on a fresh server)
# shows what is happening from the first moment; later ones are instant and show nothing.
_warm: set[str] = set()
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


_LISTING_KEY = "run_store_listing"  # the store as this session's last full page run listed it


def begin_run() -> store.StoreListing:
    """Lists the store for this page run (app.py, first thing): every part of the run, and the fragments that rerun
    afterwards, see this one listing, one record per model. The listing is the process's kept one while the store is
    unchanged (store.cached_scan: two stat calls, whatever the number of models)."""
    listing = store.cached_scan()
    st.session_state[_LISTING_KEY] = listing
    return listing


def listing() -> store.StoreListing:
    """The store as this run listed it (listed now where no run has yet)."""
    found = st.session_state.get(_LISTING_KEY)
    return found if found is not None else begin_run()


def stored_models() -> list[store.StoredModel]:
    return listing().models


def active_stored_model() -> store.StoredModel | None:
    """The session's model; falls back to the default (or the first stored one) when the chosen one is gone."""
    models = stored_models()
    by_name = listing().by_name
    name = st.session_state.get("model_name")
    if name not in by_name and models:
        name = DEFAULT_MODEL if DEFAULT_MODEL in by_name else models[0].name
        st.session_state["model_name"] = name
    return by_name.get(name)


@contextlib.contextmanager
def first_load(ready: bool, text: str):
    """Show `text` with a spinning status while something that is not `ready` is made; else nothing.

    st.status shows at once (st.spinner waits half a second), and the placeholder takes it away afterwards.
    """
    if ready:
        yield
        return
    placeholder = st.empty()
    placeholder.status(text, state="running")
    # Loading TensorFlow holds the GIL for seconds at a time (its libraries load inside `import`), and the thread that
    # sends messages to the browser needs it too: a short sleep lets the page and this status go out first.
    time.sleep(FLUSH_SECONDS)
    try:
        yield
    finally:
        placeholder.empty()


def require_dataset() -> FashionMNIST:
    """The dataset, or a clear message and a stop where it cannot be loaded."""
    try:
        with first_load("dataset" in _warm, t("loading.data")):
            data = dataset()
        _warm.add("dataset")
        return data
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


@dataclass(frozen=True)
class ActiveModel:
    """A page run's model, resolved once: its stored record, and through it what was loaded from that very file (the
    model, and on first use its compiled decoder and latent space). A page gets it from require_active_model() and
    passes it down, fragments included.

    It holds the record, not the loaded model: each use looks the loaded model up in the cache every session shares
    (a few microseconds), so that a session kept for a while after its tab closed (Streamlit keeps them two minutes,
    for reconnects) pins no model in memory; the checksum in the record keeps every use on one checkpoint.
    """

    stored: store.StoredModel

    @property
    def name(self) -> str:
        return self.stored.name

    @property
    def loaded(self) -> LoadedModel:
        with first_load(_is_loaded(self.stored), t("loading.model", name=literal(self.stored.name))):
            return _loaded_model(self.stored.name, self.stored.sha256, self.stored)

    @property
    def model(self):
        return self.loaded.model

    def decoder(self):
        """The decoder compiled once (ae_core.latent.CompiledDecoder): ~2 ms a call even right after the
        clear_session() that Streamlit runs after every rerun, where a direct call costs 7-23 ms. Shared, stateless."""
        loaded = self.loaded
        with first_load(loaded.has_decoder, t("loading.decoder")):
            return loaded.decoder()

    def latent_space(self):
        """The encoded test set with its PCA, slider ranges and class means (ae_core.latent.LatentSpace). Shared and
        read-only. The first call per model encodes the test set (up to ~2 s) under a status line."""
        data = require_dataset()
        loaded = self.loaded
        with first_load(loaded.has_latent_space, t("latent.encoding")):
            return loaded.latent_space(data.x_test, data.y_test)


def require_active_model(stored: store.StoredModel | None = None) -> ActiveModel:
    """The session's model (or `stored`, another one a page compares), loaded: from the cache every session shares,
    or from its file under a status line; a message and a stop where it cannot be loaded."""
    active = ActiveModel(stored or require_stored_model())
    try:
        active.loaded  # noqa: B018 - loads it now, where a failure can still be said on the page
    except (ValueError, OSError) as error:
        logger.error("Model %s could not be loaded: %s", active.name, error)
        reason = getattr(error, "code", "not_loadable")
        st.error(t("model.load_failed", name=literal(active.name),
                   reason=t(f"store.reason.{reason}" if f"store.reason.{reason}" in i18n.STRINGS else "store.reason.not_loadable")))
        st.stop()
    return active


def require_model(stored: store.StoredModel | None = None):
    """The Keras model of `stored` (the session's model by default): require_active_model(stored).model."""
    return require_active_model(stored).model


_loaded_keys: set[tuple[str, str]] = set()  # what the cache below holds: a load of anything else shows a status


def _is_loaded(stored: store.StoredModel) -> bool:
    return (stored.name, stored.sha256) in _loaded_keys


def _released(loaded: LoadedModel) -> None:
    """A model the cache let go of (evicted, or replaced by a retrained one): freed now.

    A Keras model is a web of reference cycles, so only a collection frees it; nothing else holds it (sessions hold
    stored records, ActiveModel), so the process stays within what its caches hold (bench/memory.py).
    """
    _loaded_keys.discard(loaded.key)
    gc.collect()


@st.cache_resource(show_spinner=False, max_entries=8, on_release=_released)
def _loaded_model(name: str, model_sha256: str, _stored: store.StoredModel) -> LoadedModel:
    # The checksum is part of the cache key so that a model retrained under the same name is reloaded.
    loaded = LoadedModel(_stored, store.load_stored_model(_stored))
    _loaded_keys.add((name, model_sha256))
    _freeze_the_first_load()
    return loaded


@st.cache_data(show_spinner=False, max_entries=64)
def _test_errors(model_name: str, model_sha256: str, noise_std: float, count: int, _model, _images) -> np.ndarray:
    return reconstruction.per_image_errors(_model, _images[:count], noise_std)


def test_errors(stored: store.StoredModel, noise_std: float = 0.0, count: int | None = None) -> np.ndarray:
    """Per-image MSE against the clean images of `stored`'s reconstructions of the first `count` test images (all by
    default) with input noise `noise_std`: once per model (name + checksum), noise level and count, for every session."""
    images = require_dataset().x_test
    count = len(images) if count is None else count
    return _test_errors(stored.name, stored.sha256, round(float(noise_std), 4), count, require_model(stored), images)


def _freeze_the_first_load() -> None:
    """Once per process: move the heap the first model load brought (TensorFlow, Keras, that model) out of the
    collector's reach, so that the collections Python runs by itself stay cheap (docs/design.md, "Streamlit clears
    Keras after every rerun"). Models loaded later are never frozen: a frozen object can never be freed.
    """
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()
