"""The live decoder: sliders over latent directions and the decoded image, redrawn in the browser while dragging.

Streamlit sliders report only on release (docs/design.md, "Sliders report on release"), so the decoder's weights go
to the page and ui/live_decoder.js decodes every animation frame there; Python hears the slider values when one
is released. Two components: the weights (0.3-1 MB, with the decoding script) in one whose data never changes for a
model, so Streamlit sends it once and then only a reference to it; the view (canvas, sliders, origin) in another
whose data is a few KB and may change on every release (the sliders start from the current code).

Usage:
    spec = decoder_spec(stored.name, stored.sha256, model)
    origin, sliders = axis_sliders(code, space.pca.mean, space.pca.components[:5], low, high)
    values = live_decoder(spec, origin, sliders, key="explorer_live")
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import streamlit as st

from ae_core.decoder_export import LatentSlider, export_decoder, export_encoder, slider_origin
from ui.state import t

_HERE = Path(__file__).resolve().parent

_HTML = """
<div class="live-decoder">
  <figure class="live-decoder-figure">
    <canvas data-testid="live-decoder-canvas" data-frame="0" role="img"></canvas>
    <figcaption class="live-decoder-time" data-testid="live-decoder-time"></figcaption>
  </figure>
  <div class="live-decoder-controls">
    <div class="live-decoder-sliders"></div>
    <button type="button" class="live-decoder-reset" data-testid="live-decoder-reset"></button>
  </div>
</div>
"""

# The view's own script: everything else lives in live_decoder.js, which arrives with the weights (it may run
# after this stub, which then waits for it).
_VIEW_JS = """
export default function (component) {
  const lab = (globalThis.__aeLabLiveDecoder ??= { prepared: new Map(), views: new Map(), queue: [], mountView: null });
  if (lab.mountView) return lab.mountView(component);
  let cleanup, gone = false;
  lab.queue.push(() => { if (!gone) cleanup = lab.mountView(component); });
  return () => { gone = true; cleanup?.(); };
}
"""

# Registered once per process at import; a page only mounts them.
_weights_component = st.components.v2.component(
    "ae_lab.decoder_weights",
    js=(_HERE / "live_decoder.js").read_text(encoding="utf-8"),
)
_view_component = st.components.v2.component(
    "ae_lab.live_decoder",
    html=_HTML,
    css=(_HERE / "live_decoder.css").read_text(encoding="utf-8"),
    js=_VIEW_JS,
)
@st.cache_resource(show_spinner=False, max_entries=8)
def decoder_spec(name: str, model_sha256: str, _model) -> dict:
    """The model's decoder exported for the browser (~0.3 MB dense-64, ~1 MB conv-64); shared, never mutate it."""
    return export_decoder(_model.decoder)


@st.cache_resource(show_spinner=False, max_entries=8)
def encoder_spec(name: str, model_sha256: str, _model) -> dict:
    """The model's encoder (for a VAE: its mean) exported for the browser, which encodes drawings with it."""
    return export_encoder(_model.encoder)


def decoder_weights(spec: dict, *, key: str) -> None:
    """Mount only the weights' component, for a page whose live decoder reruns in a fragment: drawn outside it, the
    weights are not serialized again on each of the fragment's reruns (Streamlit json-encodes a component's data on
    every call, ~6 ms for dense-64's 0.3 MB: a fifth of a slider move's server CPU; docs/scaling.md). Pair it with
    `live_decoder(..., key=key, weights=False)` inside the fragment.
    """
    _weights_component(key=f"{key}_weights", data={"spec": spec})


def live_decoder(spec: dict, origin, sliders: list[LatentSlider], *, key: str, on_release=None,
                 reset_button: bool = True, weights: bool = True) -> list[float]:
    """Mount the live decoder and return the slider values (the ones given until the user releases a slider).

    The code drawn is origin + sum_k values[k] * sliders[k].direction. Passing the same origin and sliders on every
    rerun keeps what the user set; changing the origin, a direction, a range or a starting value moves the sliders
    to the given values. Labels may change freely (a language switch keeps the sliders where they are). The weights
    cross the network once per model whatever changes here. `reset_button=False` hides the component's own button
    (which moves the sliders back to the given values), for a page that offers its own. `weights=False`: the page
    mounts them itself with decoder_weights() (outside a fragment that reruns often).
    """
    latent_dim = spec["latent_dim"]
    origin = np.asarray(origin, dtype=np.float32).ravel()
    if origin.size != latent_dim:
        raise ValueError(f"origin has {origin.size} values; the decoder takes {latent_dim}.")
    for slider in sliders:
        if len(slider.direction) != latent_dim:
            raise ValueError(f"Slider {slider.label!r} has a direction of {len(slider.direction)} values, not {latent_dim}.")

    # Rounded, so that an origin or axes recomputed with float noise on a rerun do not count as new sliders.
    geometry = np.round([[*slider.direction, slider.value, slider.minimum, slider.maximum, slider.step]
                         for slider in sliders], 5).tolist()
    layout = hashlib.sha256(json.dumps([spec["id"], np.round(origin, 5).tolist(), geometry]).encode()).hexdigest()[:16]
    data = {
        "spec_id": spec["id"],
        "layout": layout,
        # Six decimals: the page draws the same picture (float32 keeps about seven digits) from half the text, and
        # this part is sent again whenever the code moves off the sliders' axes.
        "origin": np.round(origin, 6).tolist(),
        "sliders": [{"label": slider.label, "direction": np.round(slider.direction, 6).tolist(), "value": slider.value,
                     "min": slider.minimum, "max": slider.maximum, "step": slider.step} for slider in sliders],
        "text": {"decode_time": t("live_decoder.decode_time"), "reset": t("live_decoder.reset") if reset_button else "",
                 "canvas": t("live_decoder.canvas")},
    }
    # One container without gaps: the weights' element draws nothing and takes no room.
    with st.container(key=f"{key}_box", gap=None):
        # The weights: the same data on every rerun for this model, so the browser gets them once (see the docstring).
        if weights:
            decoder_weights(spec, key=key)
        # on_release runs as a callback, before the next script run; st.session_state[key]["position"] holds the
        # values.
        result = _view_component(key=key, data=data, on_position_change=on_release or _ignore)
    position = result.get("position") or {}
    values = position.get("values")
    # Values reported for an earlier layout belong to sliders that are no longer there.
    if position.get("layout") == layout and isinstance(values, list) and len(values) == len(sliders):
        return [float(value) for value in values]
    return [slider.value for slider in sliders]


def _ignore() -> None:
    """Registers the "position" state: a release reruns the script, which reads the values from the result."""


def axis_sliders(base_code, mean, axes, low, high, *, step: float = 0.01) -> tuple[np.ndarray, list[LatentSlider]]:
    """Sliders along orthonormal principal axes (rows of `axes`) through `base_code`; low/high are per axis."""
    base_code = np.asarray(base_code, dtype=np.float32)
    axes = np.asarray(axes, dtype=np.float32)
    values = (base_code - np.asarray(mean, dtype=np.float32)) @ axes.T
    low = np.broadcast_to(np.asarray(low, dtype=np.float32), values.shape)
    high = np.broadcast_to(np.asarray(high, dtype=np.float32), values.shape)
    sliders = [LatentSlider.around(t("live_decoder.axis", index=k + 1), axes[k], values[k],
                                   low=low[k], high=high[k], step=step)
               for k in range(len(axes))]
    return slider_origin(base_code, axes, [s.value for s in sliders]), sliders
