"""Plotly charts in the page's language: its mode bar's tooltips and its hints ("Double-click on legend…").

plotly.js translates its own words through a locale; the one it ships for Korean has an empty dictionary, so the
app's own (ui/strings/plotly.py) goes with each chart in `config["locales"]`, which needs no global registration
in the browser. The English page gets plotly.js's own words.

Streamlit adds a "Fullscreen" button of its own to the mode bar, with a fixed English title; plotly shows a title
through CSS (content: attr(data-title)), so `mode_bar_css()` replaces that text on the page.

Usage: `st.plotly_chart(figure, config=plotly_config())`; app.py injects `mode_bar_css()`
"""

from __future__ import annotations

from ui import state
from ui.i18n import t
from ui.strings.plotly import NAMES


def plotly_config(language: str | None = None) -> dict:
    """st.plotly_chart's `config` for `language` (the session's by default)."""
    language = language or state.language()
    config = {"displaylogo": False}
    if language != "en":
        dictionary = {t(f"plotly.{name}", "en"): t(f"plotly.{name}", language) for name in NAMES}
        config.update(locale=language, locales={language: {"dictionary": dictionary}})
    return config



def mode_bar_css(language: str | None = None) -> str:
    """CSS that shows Streamlit's own mode-bar buttons ("Fullscreen", "Close fullscreen") in `language`."""
    language = language or state.language()
    if language == "en":
        return ""
    rules = []
    for english, key in (("Fullscreen", "plotly.fullscreen"), ("Close fullscreen", "plotly.close_fullscreen")):
        text = t(key, language).replace('"', "")
        rules.append(f'.js-plotly-plot .plotly .modebar-btn[data-title="{english}"]::after {{ content: "{text}"; }}')
    return "\n".join(rules)
