"""A row of small pictures that keeps its order on every screen: all in one row where they fit, wrapping into
several rows on a narrow one (Streamlit's columns would stack them one per line on a phone), never squeezing a
caption into pieces.

Usage: `image_strip("denoise_clean", [(png_bytes, "Coat"), ...], label="Clean originals")`
"""

from __future__ import annotations

import streamlit as st

GAP_REM = 0.75


def image_strip(key: str, pictures: list[tuple[bytes, str | None]], *, label: str | None = None,
                min_width: str = "4.5rem") -> None:
    """`pictures` (PNG bytes, caption or None) side by side in a container keyed `key`, under a bold `label`."""
    if label:
        st.markdown(f"**{label}**")
    count = len(pictures)
    st.html(f"<style>.st-key-{key} > [data-testid='stLayoutWrapper'] {{ min-width: {min_width}; "
            f"flex: 0 0 calc((100% - {count - 1} * {GAP_REM}rem) / {count}); }}</style>")
    with st.container(horizontal=True, gap=None, key=key):
        for png, caption in pictures:
            with st.container():
                st.image(png, width="stretch", caption=caption, output_format="PNG")
