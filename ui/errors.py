"""The app's own message for an error nobody expected: in the UI language, with a reference, no server path.

Streamlit would show its generic English box ("This app has encountered an error"); the page's code runs inside
`guard()` instead, which logs the traceback under a short reference and shows that reference to the reader. A test
session that sets RAISE_KEY in session state gets the exception itself (tests/apptest_pages.py does).

Usage: `with errors.guard(): page.run()`; `@st.fragment` over `@errors.guarded` for a fragment's own reruns.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import secrets

import streamlit as st

from ui.state import t

RAISE_KEY = "raise_errors"
logger = logging.getLogger(__name__)


@contextlib.contextmanager
def guard():
    # st.stop() and st.rerun() raise BaseExceptions, which pass through untouched.
    try:
        yield
    except Exception:
        if st.session_state.get(RAISE_KEY):
            raise
        reference = secrets.token_hex(3)
        logger.exception("Unexpected error (reference %s)", reference)
        st.error(t("app.unexpected_error", reference=reference), icon=":material/error:")


def guarded(function):
    """`function` run inside guard(): for a fragment, whose reruns do not pass through app.py."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with guard():
            return function(*args, **kwargs)

    return wrapper
