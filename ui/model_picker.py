"""A picker over stored models, for pages that compare several at once (Denoising, Models).

Usage: `stored = model_picker(t("denoise.plain"), models, "denoise_plain", default="dense-64")`
"""

from __future__ import annotations

import streamlit as st

from ae_core.store import StoredModel


def model_picker(label: str, models: list[StoredModel], key: str, *, default: str | None = None,
                 describe=None, help: str | None = None) -> StoredModel:
    """A selectbox over `models` (non-empty) that starts at `default` where it is among them; the chosen model.

    A choice that is no longer stored (deleted, or another picker's list changed) falls back to the default.
    """
    names = [model.name for model in models]
    if st.session_state.get(key) not in names:
        st.session_state[key] = default if default in names else names[0]
    name = st.selectbox(label, names, key=key, format_func=describe or (lambda name: name), help=help)
    return models[names.index(name)]
