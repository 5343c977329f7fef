"""Links: the session's language, model, presenter mode, starting image and latent code, kept in the URL; and the
session's training job, so that a refreshed tab finds it again.

A link opens what its sender saw. The query string is read on a session's first run and when the browser's Back or
Forward changes it (`apply_link`, from app.py), and every run writes the session's state back (`publish`,
`publish_explorer`), only where it changed: a write is one small message to the browser and causes no rerun. A
part that is malformed or stale (an unknown model, a code of the wrong length, NaN, a bad image number) is dropped
with a short notice in the UI language; the rest of the link still applies and nothing raises.

    /explorer?lang=en&model=conv-64&present=1&img=123&z=<base64url of the code's float32 values, little-endian>

The code travels as the exact float32 values the decoder gets (every decode casts to float32), so a link opens the
very image its sender saw, byte for byte; 64 values take 342 characters.

`job=<id>` is the session's training (its id is unguessable, ae_core/training/job_manager.py): a refresh, which starts a new
session, gets back its progress and its Stop button. The copy-link button leaves it out (ui/copy_link.py): a link
shares what is seen, not the sender's training.

Usage: app.py: `url_state.apply_link(models)` before the sidebar, `url_state.publish(page_name)` after it; the
explorer: `url_state.publish_explorer(index, code)`.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re

import numpy as np
import streamlit as st

from ui import explorer_state, i18n, presenter, streamlit_compat, training
from ui.state import t

LANGUAGE, MODEL, PRESENT, IMAGE, CODE, JOB = "lang", "model", "present", "img", "z", "job"
MAX_JOB_CHARS = 64
EXPLORER_KEYS = (IMAGE, CODE)  # written by the explorer page only; other pages drop them
# The largest latent value a link may carry. The shipped models' codes stay within about ±30 and no slider reaches
# far beyond the data; a value of thousands comes only from a hand-edited link and would decode to a blank image.
MAX_CODE_VALUE = 1000.0
MAX_CODE_CHARS = 4 * 1024  # 768 float32 values: far more than any model here has; longer text is not decoded
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_NOTICES = "url_notices"  # problems found in the link, shown (then forgotten) by show_notices()
_APPLIED = "url_applied"  # set once the session's first link has been read
logger = logging.getLogger(__name__)


def encode_code(code) -> str:
    """The code as base64url text (no padding) of its float32 values, little-endian."""
    raw = np.asarray(code, dtype="<f4").ravel().tobytes()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_code(text: str) -> np.ndarray:
    """The code that encode_code wrote, as float64 holding float32 values; ValueError for anything else."""
    if not text or len(text) > MAX_CODE_CHARS or not _BASE64URL.fullmatch(text):
        raise ValueError("not base64url text of a sensible length")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"not base64url: {error}") from error
    if not raw or len(raw) % 4:
        raise ValueError(f"{len(raw)} bytes are not whole float32 values")
    values = np.frombuffer(raw, dtype="<f4").astype(np.float64)
    if not np.isfinite(values).all():
        raise ValueError("NaN or infinite values")
    if np.abs(values).max() > MAX_CODE_VALUE:
        raise ValueError(f"a value beyond ±{MAX_CODE_VALUE:g}")
    return values


def parse_index(text: str) -> int:
    """A test image's number as a link writes it: ASCII digits; ValueError otherwise (range: the explorer).

    Not `\\d` or `str.isdigit`: both take any script's digits ("１２", "٣"), which int() would read as 12 and 3, so two
    different links would open the same image and the URL the session writes back would not be the one it opened.
    """
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{1,6}", text):
        raise ValueError("not a plain number")
    return int(text)


def apply_link(model_names: list[str]) -> None:
    """Take the session's state from the URL on its first run and on the browser's Back or Forward.

    `model_names` are the stored models' names. Problems become notices (show_notices()); nothing raises.
    """
    first_run = not st.session_state.get(_APPLIED)
    st.session_state[_APPLIED] = True
    if not (first_run or streamlit_compat.is_history_navigation()):
        return
    params = st.query_params.to_dict()
    problems = []
    language = params.get(LANGUAGE)
    if language is not None:
        if language in i18n.LANGUAGES:
            st.session_state["language"] = language
        else:
            problems.append("language")
    model = params.get(MODEL)
    model_ok = model is None or model in model_names
    if model is not None:
        if model_ok:
            st.session_state["model_name"] = model
        else:
            problems.append("model")
    present = params.get(PRESENT)
    if present is not None:
        if present in ("0", "1"):
            presenter.set_on(present == "1")
        else:
            problems.append("present")
    index = code = None
    if IMAGE in params:
        try:
            index = parse_index(params[IMAGE])
        except ValueError:
            problems.append("image")
    if CODE in params:
        try:
            code = decode_code(params[CODE])
        except ValueError as error:
            logger.info("A link's latent code was refused: %s", error)
            problems.append("code")
        if code is not None and not model_ok:
            code = None  # a code means something only for the model it came from
    if index is not None or code is not None:
        explorer_state.open_link_in_explorer(index, code)
    job = params.get(JOB)
    if job is not None and not (len(job) <= MAX_JOB_CHARS and training.adopt(job)):
        problems.append("job")  # ended before a server restart, or never was
    add_notices(problems)


def add_notices(problems: list[str]) -> None:
    """Queue notices about parts of a link that were dropped (problem names: ui/strings/common.py, link.*)."""
    if problems:
        queued = st.session_state.setdefault(_NOTICES, [])
        queued.extend(problem for problem in problems if problem not in queued)


def show_notices() -> None:
    """Show the queued link notices once, as one toast in the session's language."""
    problems = st.session_state.pop(_NOTICES, None)
    if problems:
        parts = ", ".join(t(f"link.part.{problem}") for problem in problems)
        st.toast(t("link.ignored", parts=parts), icon=":material/link_off:", duration="long")


def publish(page_name: str) -> None:
    """Write the session's language, model and presenter mode into the URL, where they differ from it.

    The explorer writes its image and code itself (publish_explorer); other pages drop them.
    """
    wanted = {LANGUAGE: st.session_state.get("language", i18n.DEFAULT_LANGUAGE)}
    model = st.session_state.get("model_name")
    if model:
        wanted[MODEL] = model
    if presenter.is_on():
        wanted[PRESENT] = "1"
    job = training.session_job_id()
    if job is not None:
        wanted[JOB] = job
    current = st.query_params.to_dict()
    if page_name == "explorer":
        wanted.update({key: current[key] for key in EXPLORER_KEYS if key in current})
    _write(wanted, current)


def publish_job(job_id: str) -> None:
    """Write a training the page has just started into the URL (publish() keeps it there on later runs)."""
    current = st.query_params.to_dict()
    _write({**current, JOB: job_id}, current)


def publish_explorer(index: int | None, code) -> None:
    """Write the explorer's starting image (None for a start that is no test image) and current code into the URL."""
    current = st.query_params.to_dict()
    wanted = {key: value for key, value in current.items() if key not in EXPLORER_KEYS}
    if index is not None:
        wanted[IMAGE] = str(int(index))
    wanted[CODE] = encode_code(code)
    _write(wanted, current)


def _write(wanted: dict[str, str], current: dict[str, str]) -> None:
    if wanted != current:
        st.query_params.from_dict(wanted)


def check_page(url_paths: list[str]) -> None:
    """Answer a link to a page that does not exist with the home page and a notice in the UI language.

    Streamlit would show its own English "Page not found" dialog (ui/streamlit_compat.py says how it is avoided).
    """
    if streamlit_compat.redirect_unknown_page(url_paths):
        add_notices(["page"])
