"""Columns that wrap onto another row instead of squeezing their contents, for narrow and zoomed screens.

Streamlit's columns keep side by side down to a 640 px wide window and then stack; in between (a 1366 px laptop at
150 % zoom is 911 px wide, a third of it sidebar) they squeeze, and labels get cut ("Apply class m…") or broken
inside a word. These columns wrap as soon as one would be narrower than `min_width`, and the ones on a row share
its width.

Usage: `first, second = flowing_columns([2, 3], key="explorer_split", min_width="20rem", gap="large")`
"""

from __future__ import annotations

import streamlit as st

_BLOCK = "> [data-testid='stLayoutWrapper'] > [data-testid='stHorizontalBlock']"


def flowing_columns(spec, *, key: str, min_width: str, **columns_arguments) -> list:
    """st.columns(spec, **columns_arguments) in a container keyed `key`, wrapping below `min_width` (a CSS length)."""
    # A style-only st.html takes no room on the page; the rule reaches only this container's own columns.
    st.html(f"<style>.st-key-{key} {_BLOCK} {{ flex-wrap: wrap; row-gap: 1rem; }} "
            f".st-key-{key} {_BLOCK} > [data-testid='stColumn'] {{ min-width: min(100%, {min_width}); }}</style>")
    with st.container(key=key):
        return st.columns(spec, **columns_arguments)
