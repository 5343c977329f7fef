"""Every use of Streamlit's internals, in one place, each checked by `missing_hooks()` (logged once a server process
has started, and tested): requirements.txt pins Streamlit to one minor release, and an upgrade is checked here first.

- `is_history_navigation()`: Back and Forward rerun the page with the URL they went to, and Streamlit 1.67 marks
  such a run on its run context (`is_history_navigation`). Without it, Back would only show the current state again.
- `redirect_unknown_page(url_paths)`: a link to a page that does not exist would get Streamlit's own English "Page
  not found" dialog; the pages manager's intended page (`intended_page_name`, `intended_page_script_hash`,
  `set_script_intent`) is reset to the default before st.navigation resolves it.
- `cache_theme_options()`: Streamlit rebuilds its theme message for every script run, fragments included, reading
  each theme section with `config.get_options_for_section`, a walk over all ~370 options; the walk's answer is kept
  (~4 ms less server CPU a slider move under a class's load, docs/scaling.md). The options cannot change while the
  server runs here (no file watcher, and st.set_option refuses theme options); each caller gets a copy.
- `read_unreadable_component_values()`: a component's value is JSON that Streamlit parses before the script runs
  (`session_state.unpack_widget_state_value`, and `deserialize_trigger_list` for its events). A value nested deeper
  than Python's parser recurses (RecursionError), or no JSON at all, raised there, out of every page's reach, and
  showed Streamlit's own English error box on every run until the browser sent another value. Such a value becomes
  `{UNREADABLE_VALUE: True}` (an event: none), which the component's Python side turns into the app's own message
  (ui/draw_canvas.py). Only a forged message can carry one: a browser's JSON.stringify never writes either.

Where a hook is missing, its feature falls back to doing nothing (the app still works, a little less well), and the
log says which.

Usage: `if is_history_navigation(): ...`; `redirect_unknown_page(["", "explorer"])`; `missing_hooks()` → []
"""

from __future__ import annotations

UNREADABLE_VALUE = "__unreadable__"  # the state key a component's unreadable value becomes


def _run_context():
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx()


def is_history_navigation() -> bool:
    """Whether this run comes from the browser's Back or Forward."""
    return bool(getattr(_run_context(), "is_history_navigation", False))


def redirect_unknown_page(url_paths: list[str]) -> bool:
    """Send a run that names no page of `url_paths` to the default page; whether it did (then say so on the page)."""
    manager = getattr(_run_context(), "pages_manager", None)
    if manager is None or getattr(manager, "intended_page_script_hash", None):
        return False
    name = getattr(manager, "intended_page_name", None)
    if name and name not in url_paths and hasattr(manager, "set_script_intent"):
        manager.set_script_intent("", "")
        return True
    return False


def cache_theme_options() -> None:
    """Keep the answers of config.get_options_for_section (again and again is harmless: swapped once)."""
    from streamlit import config

    if hasattr(config.get_options_for_section, "__wrapped__"):
        return  # swapped already
    original = config.get_options_for_section
    answers: dict[str, dict] = {}

    def get_options_for_section(section: str) -> dict:
        if section not in answers:
            answers[section] = original(section)
        return dict(answers[section])

    get_options_for_section.__wrapped__ = original
    config.get_options_for_section = get_options_for_section


def read_unreadable_component_values() -> None:
    """Make a component's unparsable value `{UNREADABLE_VALUE: True}` instead of an error before the script (again
    and again is harmless: swapped once)."""
    from streamlit.components.v2.bidi_component import main as bidi_component
    from streamlit.runtime.state import session_state

    unpack = getattr(session_state, "unpack_widget_state_value", None)
    deserialize_triggers = getattr(bidi_component, "deserialize_trigger_list", None)
    if not (callable(unpack) and callable(deserialize_triggers)) or hasattr(unpack, "__wrapped__"):
        return  # a hook is missing (missing_hooks() says which), or swapped already

    def unpack_widget_state_value(widget_state):
        try:
            return unpack(widget_state)
        except (ValueError, RecursionError):  # JSONDecodeError is a ValueError; only a JSON value is parsed there
            return {UNREADABLE_VALUE: True}

    def deserialize_trigger_list(text):
        try:
            return deserialize_triggers(text)
        except RecursionError:  # undecodable JSON is already caught there
            return None

    unpack_widget_state_value.__wrapped__ = unpack
    deserialize_trigger_list.__wrapped__ = deserialize_triggers
    session_state.unpack_widget_state_value = unpack_widget_state_value
    bidi_component.deserialize_trigger_list = deserialize_trigger_list


def missing_hooks() -> list[str]:
    """The internals above that this Streamlit does not have (each as "what.attribute"); empty when all are there."""
    from streamlit import config
    from streamlit.components.v2.bidi_component import main as bidi_component
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
    from streamlit.runtime.state import session_state

    missing = [f"ScriptRunContext.{name}" for name in ("is_history_navigation", "pages_manager")
               if name not in getattr(ScriptRunContext, "__dataclass_fields__", {})]
    missing += [f"PagesManager.{name}" for name in ("intended_page_name", "intended_page_script_hash",
                                                    "set_script_intent") if not hasattr(PagesManager, name)]
    if not callable(getattr(config, "get_options_for_section", None)):
        missing.append("config.get_options_for_section")
    if not callable(getattr(session_state, "unpack_widget_state_value", None)):
        missing.append("session_state.unpack_widget_state_value")
    if not callable(getattr(bidi_component, "deserialize_trigger_list", None)):
        missing.append("bidi_component.main.deserialize_trigger_list")
    return missing
