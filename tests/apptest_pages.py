"""Opening a page of the app in Streamlit's AppTest, always through app.py (its sidebar, language and navigation).

Usage: `at = open_app("explorer", language="ko", explorer_index=123)`; keyword arguments go into session state first;
`query={"img": "5"}` is the URL's query string (a link, or a refreshed tab's URL).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.errors import RAISE_KEY
from ui.pages import BY_NAME, HOME

APP = Path(__file__).resolve().parent.parent / "app.py"
# TensorFlow's import and a first model load can take a minute on a busy 2-core machine.
TIMEOUT_SECONDS = 120


def open_app(page: str = HOME, language: str = "en", model_name: str | None = "dense-64", *,
             query: dict[str, str] | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.query_params.update(query or {})
    at.session_state[RAISE_KEY] = True  # a page's exception itself, not the message app.py shows people
    at.session_state["language"] = language
    if model_name is not None:
        at.session_state["model_name"] = model_name
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != HOME:
        # After the first run: before st.navigation has registered the pages, switch_page() matches a file by its
        # name alone and the page would run without app.py's sidebar.
        at.switch_page(BY_NAME[page].file)
        at.run()
    return at
