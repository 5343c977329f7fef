"""Per-process tuning of the server for many students: applied at the end of every run of app.py once Keras is
loaded (at the start, importing Keras would keep a fresh server's first page blank for seconds).

Usage: `runtime.tune_once()` (app.py calls it on every run: the same swap each time, a few microseconds)

Why (docs/scaling.md, "CPU per slider move"): Streamlit 1.67 calls `keras.backend.clear_session()` after every script
run of every session once keras is imported (`_clean_problem_modules` in its script runner). Keras' version resets its
global state, then empties TensorFlow's eager kernel cache (every kernel is rebuilt on the next call, in every session)
and runs a full `gc.collect()`. Under a class's load those two took a third of a slider move's CPU. This module puts a
cheap reset in its place on `keras.backend`, the attribute Streamlit calls; Streamlit's own full collection after each
run is switched off in .streamlit/config.toml (`runner.postScriptGC = false`).

Why the cheap reset is safe for this app:
- No model is built or trained in the server: trainings are child processes (ae_core/training/job_manager.py); the server only
  loads stored models (their layer names come from the saved config, not from Keras' name counters) and calls them.
- Keras keeps its global state in `threading.local` objects, and Streamlit runs every script run on a new thread, so
  a run starts with empty state whatever happened before; the state of a finished thread is freed with the thread.
  Keras' own clear_session replaces those objects for every thread at once, which also wipes the state of another
  session's run in progress (a model loading on another thread loses its name scope midway): resetting only the
  calling thread's state is what "this run is over" means, and no more.
- TensorFlow's kernel cache holds compiled kernels keyed by op and shape, a bounded set for the app's few models and
  batch sizes; emptying it buys no memory worth having and costs every session a rebuild.
- Python's generational collector still runs (only the two forced full collections per rerun are gone); the heap
  the first model load brings (TensorFlow, Keras) is frozen out of its reach, and every later load collects what
  the caches let go of (ui/state.py): memory stays bounded (docs/scaling.md; bench/memory.py).

Why a longer switch interval: every session's script run is a thread of this one process, and they share one
interpreter lock. Python asks the running thread to hand the lock over every 5 ms by default, so 30 moves in flight
advance together, each finishing only when all have (under 50 students, median 1.2 s for ~35 ms of work each). With
SWITCH_INTERVAL_S, a run more often goes to its end (or to its next wait: TensorFlow, a socket) before the next one
starts. Measured under 50 students on one process (overloaded, so both are slow; docs/scaling.md): median move
1.2-1.5 s at 5 ms, 0.24-1.1 s at 20 ms, 1.3-1.8 s at 50 ms (the event loop, which reads and sends every socket's
messages, then waits too long for the lock).
"""

from __future__ import annotations

import functools
import logging
import sys

from ae_core import keras_compat
from ui import streamlit_compat

logger = logging.getLogger(__name__)
SWITCH_INTERVAL_S = 0.02  # a slider move's whole run is ~10-35 ms of interpreter time


def clear_session_cheaply(free_memory: bool = True) -> None:
    """Stands in for `keras.backend.clear_session` in the server: no full collection, no emptied kernel cache.

    `free_memory` is accepted for the original's signature and ignored (see the module docstring).
    """
    keras_compat.reset_thread_state()


def tune_once() -> None:
    """Replaces Streamlit's per-rerun Keras reset with the cheap one and lengthens the interpreter's switch interval
    (again and again is harmless: the same settings).
    """
    import keras

    if _keras_hooks_present():  # else Keras' own reset stays: slower, but it resets
        keras.backend.clear_session = clear_session_cheaply
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    streamlit_compat.cache_theme_options()


@functools.cache
def _keras_hooks_present() -> bool:
    """Once per process: logs which library internals this app relies on are missing from the installed versions;
    whether Keras has all of its."""
    keras_missing = keras_compat.missing_hooks()
    for library, missing in (("Keras", keras_missing), ("Streamlit", streamlit_compat.missing_hooks())):
        if missing:
            logger.warning("%s has no %s: the features that use them are off (see ae_core/keras_compat.py and "
                           "ui/streamlit_compat.py)", library, ", ".join(missing))
    return not keras_missing
