"""A row of small pictures that keeps its order on every screen: all in one row where they fit, wrapping into
several rows on a narrow one (Streamlit's columns would stack them one per line on a phone), never squeezing a
caption into pieces.

Usage: `image_strip("explorer_strip", [(png_bytes, "0.25"), ...])`;
`image_row("denoise_clean", "Clean originals", images, ["Coat", ...])` for images (n, 28, 28) in [0, 1]
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ae_core import pictures

GAP_REM = 0.75
ROW_IMAGE_FACTOR = 6  # 168 px: enough to fill a strip's cell on a wide screen


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


def image_row(key: str, label: str, images: np.ndarray, captions: list[str] | None = None) -> None:
    """Images (n, 28, 28) as a labelled strip, each with its caption (or none)."""
    image_strip(key, [(pictures.image_png(image, ROW_IMAGE_FACTOR), caption)
                      for image, caption in zip(images, captions or [None] * len(images), strict=True)], label=label)
