"""The server's per-rerun cleanup is cheap: no full garbage collection, no emptied kernel cache, Keras reset per thread.

These run Streamlit's own cleanup function (the one its script runner calls after every script run) in a child
process, so that swapping keras.backend.clear_session never leaks into the other tests.
"""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, sys, threading
import keras
from streamlit.runtime.scriptrunner import script_runner
from tensorflow.python.eager import context
from ui import runtime

collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
kernel_cache_clears = []
original_clear = context.Context.clear_kernel_cache
context.Context.clear_kernel_cache = lambda self: (kernel_cache_clears.append(1), original_clear(self))[1]

def cleanup_cost():
    collections.clear(); kernel_cache_clears.clear()
    script_runner._clean_problem_modules()   # what Streamlit runs after every script run
    return {"full_collections": collections.count(2), "kernel_cache_clears": len(kernel_cache_clears)}

before = cleanup_cost()
default_switch_interval = sys.getswitchinterval()
if sys.argv[1] == "tuned":
    runtime.tune_once()
    runtime.tune_once()  # app.py calls it on every run
after = cleanup_cost()
switch_interval = sys.getswitchinterval()

# Keras' layer-name counters: reset for the thread that finished its run, untouched in another session's thread.
keras.layers.Dense(2); keras.layers.Dense(2)
other_ready, cleaned, other_names = threading.Event(), threading.Event(), []
def other_session():
    other_names.append(keras.layers.Dense(2).name)
    other_ready.set(); cleaned.wait(10)
    other_names.append(keras.layers.Dense(2).name)
thread = threading.Thread(target=other_session); thread.start(); other_ready.wait(10)
script_runner._clean_problem_modules()
cleaned.set(); thread.join()
print(json.dumps({"before": before, "after": after, "this_thread_next": keras.layers.Dense(2).name,
                  "other_thread": other_names, "switch_interval": [default_switch_interval, switch_interval]}))
"""


def _probe(mode: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", PROBE, mode], check=False, cwd=PROJECT, capture_output=True, text=True,
                               timeout=180, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_tuned_cleanup_runs_no_full_collection_and_keeps_the_kernel_cache():
    tuned = _probe("tuned")
    # Keras' own clear_session (what Streamlit calls without the tuning) does both: the probe would see it.
    assert tuned["before"]["full_collections"] >= 1
    assert tuned["before"]["kernel_cache_clears"] == 1
    assert tuned["after"] == {"full_collections": 0, "kernel_cache_clears": 0}


def test_tuned_cleanup_resets_this_threads_keras_state_only():
    tuned = _probe("tuned")
    assert tuned["this_thread_next"] == "dense"  # the counters of the run that ended start again
    assert tuned["other_thread"] == ["dense", "dense_1"]  # another session's run in progress keeps counting


def test_tuning_lengthens_the_switch_interval():
    # Python's default is 5 ms: under a class's load every run in flight would finish only when all of them have.
    default, tuned = _probe("tuned")["switch_interval"]
    assert default == 0.005
    assert tuned >= 0.02


def test_untuned_cleanup_wipes_other_threads_keras_state():
    # Why the cheap reset is per thread: Keras' own swaps the state of every thread, one in progress included.
    untuned = _probe("untuned")
    assert untuned["after"]["full_collections"] >= 1
    assert untuned["other_thread"] == ["dense", "dense"]


def test_streamlit_config_turns_off_the_collection_after_every_run():
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_a_run_of_the_app_applies_the_tuning():
    script = ("import keras\n"
              "from streamlit.testing.v1 import AppTest\n"
              "at = AppTest.from_file('app.py', default_timeout=120).run()\n"
              "assert not at.exception, at.exception\n"
              "print(keras.backend.clear_session.__module__ + '.' + keras.backend.clear_session.__name__)")
    completed = subprocess.run([sys.executable, "-c", script], check=False, cwd=PROJECT, capture_output=True, text=True,
                               timeout=300, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip().splitlines()[-1] == "ui.runtime.clear_session_cheaply"


THEME_PROBE = """
import json
from streamlit import config
from ui import runtime

walks = []
original = config.get_options_for_section
config.get_options_for_section = lambda section: (walks.append(section), original(section))[1]
runtime.tune_once()
first = config.get_options_for_section("theme")
first["primaryColor"] = "changed by a caller"
second = config.get_options_for_section("theme")
runtime.tune_once()  # app.py calls it on every run: no second layer of caching
third = config.get_options_for_section("theme")
print(json.dumps({"walks": walks, "same": second == original("theme"), "third_same": third == second,
                  "primary": second.get("primaryColor")}))
"""


def test_theme_options_are_read_once_and_each_caller_gets_its_own_copy():
    completed = subprocess.run([sys.executable, "-c", THEME_PROBE], check=False, cwd=PROJECT, capture_output=True,
                               text=True, timeout=180, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert completed.returncode == 0, completed.stderr[-2000:]
    probe = json.loads(completed.stdout.strip().splitlines()[-1])
    assert probe["walks"] == ["theme"]  # three calls, one walk over the options
    assert probe["same"] and probe["third_same"]
    assert probe["primary"] != "changed by a caller"
