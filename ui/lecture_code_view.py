"""The lecture's Keras code for a stored model on the Models page: the .py and notebook downloads beside the model's
own file, and the code itself in a tab; in the session's language (ae_core/lecture_code.py writes it).

Usage: `code = lecture_code_view.code_for(stored)`; `download_buttons(stored, code)`; `show_code(stored, code)`
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ae_core import lecture_code
from ae_core.config import Problem
from ae_core.lecture_code import LectureCodeError
from ae_core.store import StoredModel
from ui.formatting import problem_text
from ui.plain_text import literal
from ui.state import language, t

CODE_HEIGHT_PX = 560


@dataclass(frozen=True)
class LectureCode:
    """The .py's text, or the problem that keeps one from being written (a setting out of range in the metadata)."""

    script: str | None
    problem: Problem | None = None


def code_for(stored: StoredModel) -> LectureCode:
    try:
        return LectureCode(lecture_code.python_script(stored, language()))
    except LectureCodeError as error:
        return LectureCode(None, error.problems[0])


def download_buttons(stored: StoredModel, code: LectureCode) -> None:
    """The .py and the notebook, where there is code (else the code tab says why there is none)."""
    if code.script is None:
        return
    st.download_button(t("models.download_code"), data=code.script, file_name=lecture_code.script_file_name(stored.name),
                       mime=lecture_code.PYTHON_MIME, on_click="ignore", key="models_download_code",
                       icon=":material/code:", help=t("models.download_code_help"))
    session_language = language()  # read now: the download's callback runs outside the page's script
    st.download_button(t("models.download_notebook"),
                       data=lambda: lecture_code.notebook_text(stored, session_language),
                       file_name=lecture_code.notebook_file_name(stored.name), mime=lecture_code.NOTEBOOK_MIME,
                       on_click="ignore", key="models_download_notebook", icon=":material/menu_book:",
                       help=t("models.download_notebook_help"))


def show_code(stored: StoredModel, code: LectureCode) -> None:
    if code.script is None:
        st.warning(t("models.code.unavailable", name=literal(stored.name), problem=problem_text(code.problem)))
        return
    st.caption(t("models.code.intro", name=literal(stored.name)))
    # A box of its own height that scrolls: the program is 120-180 lines, and the training form comes after it.
    st.code(code.script, language="python", height=CODE_HEIGHT_PX)
