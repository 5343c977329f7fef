"""The latent explorer's state in the session: the starting image, the current latent vector, and its sliders.

Other pages go through the functions here (`open_in_explorer`, `explorer_code_for`), never through the keys, so the
explorer may change how it keeps its state. Every slider writes the code through `set_code`, and the sliders are
then set from the code, so raw-dimension and principal-axis sliders always agree.

Usage: `open_in_explorer(123); switch_to("explorer")` or `open_code_in_explorer(code, "vae-2")`; on the explorer:
`problems = ensure_code(space, model_key, count)`
"""

from __future__ import annotations

import numpy as np
import streamlit as st

PRINCIPAL_SLIDERS = 5  # the top axes carry about 60% of the codes' variance on the shipped models
DEFAULT_DIMS = 4  # raw-dimension sliders shown at first: the most varied ones
MAX_DIMS = 8  # raw-dimension sliders at most: more make a page of sliders nobody can follow (a projector shows ~8)

_INDEX = "explorer_index"  # the starting test image
_CODE = "explorer_code"  # the current latent vector, a list of floats
_START_CODE = "explorer_start_code"  # (model name, code): a start that is no test image's code (a grid cell, a drawing)
_ORIGIN = "explorer_origin"  # (model name, checksum, index, start code) the current code started from
DIMS_KEY = "explorer_dims"  # the raw dimensions shown as sliders: the multiselect's key
_DIMS_SAVED = "explorer_dims_saved"  # a copy that survives a visit to another page, which drops widget state
_LINK = "explorer_link"  # (index or None, code or None) from a link, checked and applied on the explorer's next run


def pc_key(axis: int) -> str:
    return f"explorer_pc_{axis}"


def dim_key(dim: int) -> str:
    return f"explorer_dim_{dim}"


def open_in_explorer(index: int) -> None:
    """Make test image `index` the explorer's starting image; the explorer starts again from its code."""
    st.session_state[_INDEX] = int(index)
    st.session_state.pop(_START_CODE, None)
    st.session_state.pop(_CODE, None)


def open_code_in_explorer(code, model_name: str) -> None:
    """Start the explorer from `code`, a point of `model_name`'s latent space that is no test image's code."""
    st.session_state[_START_CODE] = (model_name, [float(value) for value in np.asarray(code).ravel()])
    st.session_state.pop(_CODE, None)


def open_link_in_explorer(index: int | None, code) -> None:
    """Start the explorer from a link's image and code; the explorer checks them against its model and data."""
    st.session_state[_LINK] = (index, None if code is None else [float(value) for value in np.asarray(code).ravel()])


def start_index() -> int:
    return int(st.session_state.get(_INDEX, 0))


def custom_start(model_name: str, latent_dim: int) -> np.ndarray | None:
    """The start code given by open_code_in_explorer, if it belongs to this model; else None."""
    start = st.session_state.get(_START_CODE)
    if start and start[0] == model_name and len(start[1]) == latent_dim:
        return np.asarray(start[1], dtype=np.float64)
    return None


def start_code(space, model_name: str) -> np.ndarray:
    """The code the explorer starts from (and Reset goes back to): a custom start, or the start image's code."""
    custom = custom_start(model_name, space.latent_dim)
    return custom if custom is not None else np.asarray(space.codes[start_index()], dtype=np.float64)


def current_code() -> np.ndarray:
    return np.asarray(st.session_state[_CODE], dtype=np.float64)


def explorer_code_for(model_name: str) -> np.ndarray | None:
    """The explorer's current latent vector if it belongs to `model_name` (another model's code means nothing)."""
    code = st.session_state.get(_CODE)
    origin = st.session_state.get(_ORIGIN) or (None,)
    return np.asarray(code, dtype=np.float64) if code is not None and origin[0] == model_name else None


def slider_value(value: float, bounds) -> float:
    # A slider refuses a value outside its range; the code itself may go further (a principal axis moves every
    # dimension), and the slider then rests at its end. Plain min/max: np.clip costs ~5 us a scalar, on every move.
    return float(min(max(float(value), float(bounds[0])), float(bounds[1])))


def shown_dims(latent_dim: int) -> list[int]:
    """The raw dimensions shown as sliders (the multiselect's choice), within this model's latent dimension."""
    return [int(dim) for dim in st.session_state.get(DIMS_KEY, []) if 0 <= int(dim) < latent_dim]


def sync_dim(dim: int, space) -> None:
    """Before a raw-dimension slider is drawn: give it the current code's value if it holds none yet (just chosen)."""
    st.session_state.setdefault(dim_key(dim), slider_value(current_code()[dim], space.dim_ranges[dim]))


def set_code(code, space) -> None:
    """Make `code` the current latent vector and move every slider to match it.

    Only the shown raw-dimension sliders keep a value in the session: one per latent dimension (64) made every
    widget's look-up of the session state, and every move, several times dearer (docs/scaling.md). A dimension
    chosen later takes its value from the code when its slider is drawn (sync_dim).
    """
    code = np.asarray(code, dtype=np.float64)
    st.session_state[_CODE] = code.tolist()
    principal = space.pca.project(code, PRINCIPAL_SLIDERS)
    for axis in range(len(principal)):
        st.session_state[pc_key(axis)] = slider_value(principal[axis], space.pc_ranges[axis])
    shown = set(shown_dims(space.latent_dim))
    for dim in range(space.latent_dim):
        if dim in shown:
            st.session_state[dim_key(dim)] = slider_value(code[dim], space.dim_ranges[dim])
        else:
            st.session_state.pop(dim_key(dim), None)


def move_principal(axis: int, active) -> None:
    """A principal-axis slider was released: move the code along that axis to the slider's value.

    Callbacks get the ActiveModel (ui/state.py), not its latent space: Streamlit keeps a closed tab's session, with its
    widgets' callbacks, for a while, and a latent space held there would outlive its model's eviction.
    """
    space = active.latent_space()
    set_code(space.pca.move_along(current_code(), axis, st.session_state[pc_key(axis)]), space)


def move_dimension(dim: int, active) -> None:
    """A raw-dimension slider was released: set that dimension of the code to the slider's value."""
    code = current_code()
    code[dim] = st.session_state[dim_key(dim)]
    set_code(code, active.latent_space())


def random_start(labels: np.ndarray, class_number: int | None) -> None:
    candidates = np.arange(len(labels)) if class_number is None else np.flatnonzero(labels == class_number)
    open_in_explorer(np.random.default_rng().choice(candidates))


def remember_dims() -> None:
    st.session_state[_DIMS_SAVED] = list(st.session_state[DIMS_KEY])[:MAX_DIMS]


def _take_link(space, model_name: str, count: int) -> tuple[np.ndarray | None, list[str]]:
    """Apply a link's start image; return its code (to become the current one) if it fits, and what did not fit."""
    index, code = st.session_state.pop(_LINK, (None, None))
    problems = []
    if index is not None and not 0 <= index < count:
        problems.append("image")
        index = None
    if code is not None and len(code) != space.latent_dim:
        problems.append("code")  # a code of another model, or of this name before it was retrained
        code = None
    if index is not None:
        open_in_explorer(index)
    elif code is not None:
        open_code_in_explorer(code, model_name)  # a link's code with no test image: it is the start
    return (None if code is None else np.asarray(code, dtype=np.float64)), problems


def ensure_code(space, model_key: tuple[str, str], count: int) -> list[str]:
    """Start from the chosen image's code when there is none yet, the image changed, or the model changed.

    A link's image and code (open_link_in_explorer) are applied here, where the model and data are known; what did
    not fit them is returned as problem names (ui/url_state.py turns them into a notice).
    """
    link_code, problems = _take_link(space, model_key[0], count)
    index = int(np.clip(start_index(), 0, count - 1))
    st.session_state[_INDEX] = index
    custom = custom_start(model_key[0], space.latent_dim)
    origin = (*model_key, index, None if custom is None else tuple(custom.round(6)))
    code = st.session_state.get(_CODE)
    if st.session_state.get(_ORIGIN) != origin or code is None or len(code) != space.latent_dim:
        if (st.session_state.get(_ORIGIN) or (None, None))[:2] != model_key:
            for key in (DIMS_KEY, _DIMS_SAVED):
                st.session_state.pop(key, None)  # another model may have other dimensions
        st.session_state[_ORIGIN] = origin
        set_code(start_code(space, model_key[0]), space)
    if link_code is not None:
        set_code(link_code, space)
    # Sliders the user has not seen since visiting another page lost their state: restore it from the code.
    code = current_code()
    for axis in range(min(PRINCIPAL_SLIDERS, space.pca.n_components)):
        st.session_state.setdefault(pc_key(axis), slider_value(space.pca.project(code, axis + 1)[axis], space.pc_ranges[axis]))
    if DIMS_KEY not in st.session_state:
        default = [int(d) for d in space.dims_by_variance()[:DEFAULT_DIMS]]
        st.session_state[DIMS_KEY] = st.session_state.get(_DIMS_SAVED, default)[:MAX_DIMS]
    for dim in shown_dims(space.latent_dim):
        sync_dim(dim, space)
    return problems
