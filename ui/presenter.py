"""Presenter mode for a projector, and the CSS every page gets: larger text and images, less chrome.

The mode is the session's (the sidebar's toggle) and the link's (`?present=1`, ui/url_state.py). Streamlit sizes text
and spacing in rem, so a larger root font size grows the whole page; pictures are stretched to their column
(`image_width()`) and drawn with hard pixel edges. The live decoder's canvas sits in a shadow root, which a CSS
custom property still reaches (--ae-live-size).

Usage: app.py: `presenter.apply_style()` on every run, `presenter.toggle()` in the sidebar; pages:
`presenter.is_on()`.
"""

from __future__ import annotations

import streamlit as st

from ui.plotly_locale import mode_bar_css
from ui.state import language, t

KEY = "presenter"

# Every page: garments are upscaled pixel art (nearest neighbour), kept sharp when a column shrinks or grows them.
# The reconstructions' cards: ten to a row where they fit, all the same width; where they do not (a phone, a zoomed
# page), the row wraps and each card keeps its pictures together. A page link's label wraps instead of being cut.
BASE_CSS = """
[data-testid="stMain"] [data-testid="stImage"] img { image-rendering: pixelated; }
[class*="st-key-recon_row_"], .st-key-explorer_strip { column-gap: 0.75rem; row-gap: 1.5rem; }
[data-testid="stMain"] [data-testid="stPageLink"] * { white-space: normal; text-overflow: clip; overflow: visible; }
[class*="st-key-recon_row_"] > [data-testid="stLayoutWrapper"] {
  flex: 0 0 calc((100% - 9 * 0.75rem) / 10); min-width: 4.5rem;
}
"""

# Korean: break lines between words, as Korean text is set, never inside one ("재구/성"); a word longer than its
# box still breaks rather than overflow.
KOREAN_CSS = """
[data-testid="stMain"] *, [data-testid="stSidebar"] * { word-break: keep-all !important; overflow-wrap: break-word; }
"""

# Projector: text a third larger (Streamlit sizes in rem), no coloured line at the top, the live decoder's canvas
# twice as large, the main block using the whole width. (The toolbar is already minimal, client.toolbarMode; it
# holds the button that brings the sidebar back.)
PRESENTER_CSS = """
html { font-size: 21px; }
:root { --ae-live-size: 448px; }
[data-testid="stDecoration"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 2.5rem 2.5rem 4rem; }
[data-testid="stImage"] img { max-height: 50vh; object-fit: contain; }
"""


def is_on() -> bool:
    return bool(st.session_state.get(KEY, False))


def set_on(value: bool) -> None:
    """Switch the mode before the sidebar's toggle is drawn (a link's ?present=1)."""
    st.session_state[KEY] = bool(value)


def toggle() -> None:
    """The sidebar's switch; turning it on folds the sidebar away (app.py's page config on the next run)."""
    st.toggle(t("presenter.toggle"), key=KEY, help=t("presenter.help"))


def image_width() -> str:
    """st.image's width for a garment: its own size, or as wide as its column in presenter mode."""
    return "stretch" if is_on() else "content"


def sidebar_state() -> str:
    """The sidebar's initial state for st.set_page_config: folded away in presenter mode."""
    return "collapsed" if is_on() else "auto"


def apply_style() -> None:
    """Inject the page CSS (and the presenter's); style-only HTML takes no room on the page."""
    css = BASE_CSS + (KOREAN_CSS if language() == "ko" else "") + mode_bar_css() + (PRESENTER_CSS if is_on() else "")
    st.html(f"<style>{css}</style>")
