"""The drawing canvas: a Streamlit component where a person draws a garment with a mouse, a pen or a finger.

The browser sends the drawing as a PNG data URL at the end of every stroke (and after undo or clear); its bytes are
checked and made 28x28 like an upload, once per content (ae_core.garment.prepare_upload). A value the canvas's script
would never send (not its shape, no PNG data URL, bad base64, JSON Streamlit could not parse: ui/streamlit_compat.py)
is `unreadable`, for the page to say so in the user's language.

Usage: `drawing = draw_canvas(key="draw_canvas")` → `drawing.png` (bytes, None when the canvas is empty),
`drawing.unreadable`
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui.state import t
from ui.streamlit_compat import UNREADABLE_VALUE

_HERE = Path(__file__).resolve().parent
_PNG_DATA_URL = "data:image/png;base64,"
# A 280x280 drawing is a few KB as PNG; the upload limit still applies to what is decoded.
MAX_DRAWING_CHARS = 2_000_000

_HTML = """
<div class="draw-canvas">
  <canvas data-testid="draw-canvas" role="img" data-strokes="0" data-version="0"></canvas>
  <figure class="draw-preview" hidden>
    <canvas data-testid="draw-preview" width="28" height="28" data-frame="0"></canvas>
    <figcaption></figcaption>
  </figure>
  <div class="draw-controls">
    <button type="button" class="draw-undo" data-testid="draw-undo"></button>
    <button type="button" class="draw-clear" data-testid="draw-clear"></button>
    <label><span class="draw-brush-label"></span>
      <input type="range" class="draw-brush" data-testid="draw-brush" min="6" max="40" step="1" value="16"></label>
  </div>
</div>
"""

_component = st.components.v2.component(
    "ae_lab.draw_canvas",
    html=_HTML,
    css=(_HERE / "draw_canvas.css").read_text(encoding="utf-8"),
    js=(_HERE / "draw_canvas.js").read_text(encoding="utf-8"),
)


@dataclass(frozen=True)
class Drawing:
    """What the canvas holds now: a drawing's PNG bytes, nothing (`png` None), or a value it could not have sent."""

    png: bytes | None = None
    unreadable: bool = False


def draw_canvas(*, key: str, encoder_id: str | None = None, decoder_id: str | None = None) -> Drawing:
    """Mount the canvas; the latest drawing (its PNG bytes, None for an empty canvas, or unreadable).

    With the ids of an encoder's and a decoder's specs whose weights the page mounted (ui.live_decoder.decoder_weights),
    the canvas also shows the model's reconstruction of the drawing, computed in the browser while it is drawn.
    """
    data = {"text": {"undo": t("draw.undo"), "clear": t("draw.clear"), "brush": t("draw.brush"),
                     "canvas": t("draw.canvas"), "preview": t("draw.preview")},
            "networks": {"encoder": encoder_id, "decoder": decoder_id} if encoder_id and decoder_id else None}
    result = _component(key=key, data=data, on_drawing_change=_ignore)
    if result.get(UNREADABLE_VALUE):
        return Drawing(unreadable=True)
    drawing = result.get("drawing")
    if drawing is None:
        return Drawing()  # nothing drawn since the page opened
    url = drawing.get("png") if isinstance(drawing, dict) else None
    if url == "":
        return Drawing()  # cleared, or every stroke undone
    if not isinstance(url, str) or not url.startswith(_PNG_DATA_URL) or len(url) > MAX_DRAWING_CHARS:
        return Drawing(unreadable=True)
    try:
        return Drawing(png=base64.b64decode(url[len(_PNG_DATA_URL):], validate=True))
    except (binascii.Error, ValueError):
        return Drawing(unreadable=True)


def _ignore() -> None:
    """Registers the "drawing" state: a stroke's end reruns the script, which reads it from the result."""
