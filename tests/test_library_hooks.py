"""The library internals the app relies on (ae_core/keras_compat.py, ui/streamlit_compat.py): present in the pinned
versions, and doing what the app needs of them. A Keras or Streamlit upgrade that moves one fails here first."""

from types import SimpleNamespace

import numpy as np

from ae_core import keras_compat, store
from ui import streamlit_compat


def test_every_hook_is_present_in_the_installed_libraries():
    assert keras_compat.missing_hooks() == []
    assert streamlit_compat.missing_hooks() == []


def test_a_model_loads_from_the_checked_bytes():
    stored = store.find_model("dense-64")
    model = keras_compat.load_model_from_bytes(store.model_file_bytes(stored))
    assert model.get_layer("decoder").output_shape[1:] == (28, 28)
    assert np.asarray(model(np.zeros((1, 28, 28), dtype=np.float32))).shape == (1, 28, 28)


def test_the_thread_reset_clears_this_threads_keras_state():
    import keras
    from keras.src.backend.common import global_state

    keras.config.set_dtype_policy("float16")
    try:
        assert global_state.get_global_attribute("dtype_policy") is not None
        keras_compat.reset_thread_state()
        assert global_state.get_global_attribute("dtype_policy") is None
        assert keras.config.dtype_policy().name == "float32"
    finally:
        keras.config.set_dtype_policy("float32")


def test_history_navigation_is_read_from_the_run_context(monkeypatch):
    monkeypatch.setattr(streamlit_compat, "_run_context", lambda: SimpleNamespace(is_history_navigation=True))
    assert streamlit_compat.is_history_navigation()
    monkeypatch.setattr(streamlit_compat, "_run_context", lambda: SimpleNamespace(is_history_navigation=False))
    assert not streamlit_compat.is_history_navigation()
    monkeypatch.setattr(streamlit_compat, "_run_context", lambda: None)  # outside a script run
    assert not streamlit_compat.is_history_navigation()


class PagesManager:
    """What Streamlit 1.67's pages manager holds of a run's intended page, with set_script_intent recorded."""

    def __init__(self, name: str, script_hash: str = ""):
        self.intended_page_name, self.intended_page_script_hash = name, script_hash
        self.intents: list[tuple[str, str]] = []

    def set_script_intent(self, script_hash: str, name: str) -> None:
        self.intents.append((script_hash, name))


def test_a_link_to_no_page_is_sent_to_the_default_page(monkeypatch):
    for name, script_hash, redirected in (("nowhere", "", True), ("explorer", "", False), ("", "", False),
                                          ("nowhere", "abc123", False)):  # a page named by its hash is one we know
        manager = PagesManager(name, script_hash)
        monkeypatch.setattr(streamlit_compat, "_run_context", lambda manager=manager: SimpleNamespace(pages_manager=manager))
        assert streamlit_compat.redirect_unknown_page(["", "explorer"]) is redirected
        assert manager.intents == ([("", "")] if redirected else [])


def test_the_theme_options_are_read_once_and_copied(monkeypatch):
    from streamlit import config

    calls = []
    monkeypatch.setattr(config, "get_options_for_section", lambda section: calls.append(section) or {"font": "x"})
    streamlit_compat.cache_theme_options()
    first = config.get_options_for_section("theme")
    first["font"] = "changed by a caller"
    assert config.get_options_for_section("theme") == {"font": "x"} and calls == ["theme"]
    streamlit_compat.cache_theme_options()  # again: swapped once
    assert config.get_options_for_section.__wrapped__.__name__ == "<lambda>"


def test_an_unparsable_component_value_or_event_is_read_as_unreadable_once_swapped():
    from streamlit.components.v2.bidi_component import main as bidi_component
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.runtime.state import session_state

    nested = '{"drawing": ' + "[" * 100_000 + "]" * 100_000 + "}"
    streamlit_compat.read_unreadable_component_values()
    streamlit_compat.read_unreadable_component_values()  # again: swapped once, not wrapped twice
    unpack = session_state.unpack_widget_state_value
    assert not hasattr(unpack.__wrapped__, "__wrapped__")
    for text in (nested, '{"drawing": {"png": "data:'):
        assert unpack(WidgetState(id="x", json_value=text)) == {streamlit_compat.UNREADABLE_VALUE: True}
    assert unpack(WidgetState(id="x", json_value='{"drawing": null}')) == {"drawing": None}
    assert bidi_component.deserialize_trigger_list(nested) is None  # an event nobody could have sent: none
    assert bidi_component.deserialize_trigger_list('[{"event": "drawing"}]') == [{"event": "drawing"}]
