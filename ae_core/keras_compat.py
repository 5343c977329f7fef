"""Every use of Keras' private internals, in one place, each checked by `missing_hooks()` (logged at the server's
start and tested): requirements.txt pins Keras to one minor release, and a Keras upgrade is checked here first.

- `load_model_from_bytes`: Keras' public load_model takes only a path; its zip loader (`keras.src.saving.saving_lib`,
  the same code) also takes a file object, so the store loads the very bytes whose checksum it checked.
- `reset_thread_state`: Keras' per-thread globals (`keras.src.backend.common.global_state`: name counters, dtype
  settings, name scopes) reset for the calling thread only, which is what the server's cheap stand-in for
  `keras.backend.clear_session` needs (ui/runtime.py says why). Streamlit calls that stand-in inside a try/except that
  swallows errors, so a moved internal would fail silently there: hence the check at start-up.

Usage: `model = load_model_from_bytes(content)`; `reset_thread_state()`; `missing_hooks()` → [] when all is well
"""

from __future__ import annotations

import io


def load_model_from_bytes(content: bytes):
    """A Keras model from the bytes of a .keras file, read from memory. safe_mode refuses lambda layers and other
    deserialization that runs code."""
    from keras.src.saving import saving_lib

    return saving_lib.load_model(io.BytesIO(content), safe_mode=True)


def reset_thread_state() -> None:
    """Keras' per-thread state (name counters, dtype settings, name scopes) as a new thread has it, for this thread."""
    from keras.src.backend.common import global_state

    global_state.GLOBAL_STATE_TRACKER.__dict__.clear()
    global_state.GLOBAL_SETTINGS_TRACKER.__dict__.clear()


def missing_hooks() -> list[str]:
    """The internals above that this Keras does not have (each as "module.attribute"); empty when all are there."""
    import importlib

    wanted = {"keras.src.saving.saving_lib": ("load_model",),
              "keras.src.backend.common.global_state": ("GLOBAL_STATE_TRACKER", "GLOBAL_SETTINGS_TRACKER")}
    missing = []
    for module_name, attributes in wanted.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing += [f"{module_name}.{attribute}" for attribute in attributes]
            continue
        missing += [f"{module_name}.{attribute}" for attribute in attributes if not hasattr(module, attribute)]
    return missing
