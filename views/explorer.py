"""Latent explorer: start from a test image, move its latent vector with sliders, watch the decoder's image change.

The session state lives in ui/explorer_state.py. Only the fragment with the sliders and the decoded image reruns on a
slider release: one call of the compiled decoder (~2 ms).
"""

import numpy as np
import streamlit as st

from ae_core import latent, viz
from ae_core.decoder_export import slider_code
from ui import explorer_state as explorer
from ui import state
from ui.live_decoder import axis_sliders, decoder_spec, live_decoder
from ui.state import t

IMAGE_SCALE = 8  # 28 px upscaled to 224 px
SLIDER_STEPS = 200


def dim_chip(dim: int) -> str:
    # The same in every language on purpose: a selectbox or multiselect remembers its choice by the option's text,
    # so text that changed with the language would lose the choice (class pickers carry the language in their key).
    return f"z{dim}"


def slider(key: str, label: str, bounds, on_change, args) -> None:
    low, high = float(bounds[0]), float(bounds[1])
    st.slider(label, low, high, step=(high - low) / SLIDER_STEPS, format="%.2f", key=key, on_change=on_change,
              args=args)


def live_panel(spec: dict, space) -> None:
    """Principal-axis sliders decoded in the browser on every frame; a release becomes the current code.

    They start from the chosen image, not from the current code: the decoder's weights (0.3-1 MB) go to the browser
    again whenever the component's data changes, so that data must not change with every slider release.
    """
    axes = min(explorer.PRINCIPAL_SLIDERS, space.pca.n_components)
    low, high = space.pc_ranges[:axes, 0], space.pc_ranges[:axes, 1]
    step = float(f"{np.min(high - low) / SLIDER_STEPS:.0e}")  # one significant digit: the values read cleanly
    start_code = explorer.start_code(space, state.require_stored_model().name)
    origin, sliders = axis_sliders(start_code, space.pca.mean, space.pca.components[:axes], low, high, step=step)

    def adopt_release() -> None:
        values = (st.session_state["explorer_live"].get("position") or {}).get("values")
        if isinstance(values, list) and len(values) == len(sliders):
            explorer.set_code(slider_code(origin, [slider.direction for slider in sliders], values), space)

    st.caption(t("explorer.live_intro"))
    live_decoder(spec, origin, sliders, key="explorer_live", on_release=adopt_release)


@st.fragment
def explorer_panel(decoder, spec: dict, space, images: np.ndarray, class_names: tuple[str, ...]) -> None:
    sliders_tab, live_tab = st.tabs([t("explorer.tab_sliders"), t("explorer.tab_live")])
    with live_tab:
        live_panel(spec, space)
    with sliders_tab:
        slider_panel(decoder, space, images, class_names)


def slider_panel(decoder, space, images: np.ndarray, class_names: tuple[str, ...]) -> None:
    index = explorer.start_index()
    model_name = state.require_stored_model().name
    start_code = explorer.start_code(space, model_name)
    pictures, sliders = st.columns([2, 3], gap="large")
    with pictures:
        original, decoded = st.columns(2)
        if explorer.custom_start(model_name, space.latent_dim) is None:
            original.image(viz.image_png(images[index], IMAGE_SCALE),
                           caption=t("explorer.original", index=index, label=class_names[space.labels[index]]),
                           output_format="PNG")
        else:
            original.image(viz.image_png(latent.decode(decoder, start_code), IMAGE_SCALE),
                           caption=t("explorer.custom_start"), output_format="PNG")
        with decoded.container(key="explorer_decoded"):
            st.image(viz.image_png(latent.decode(decoder, explorer.current_code()), IMAGE_SCALE), caption=t("explorer.decoded"),
                     output_format="PNG")
        reset, sample = st.columns(2)
        reset.button(t("explorer.reset"), key="explorer_reset", help=t("explorer.reset_help"), width="stretch",
                     on_click=lambda: explorer.set_code(start_code, space))
        sample.button(t("explorer.random_sample"), key="explorer_random_sample", width="stretch",
                      help=t("explorer.random_sample_help"),
                      on_click=lambda: explorer.set_code(latent.random_code(space, np.random.default_rng()), space))
        preset, apply = st.columns([3, 2], vertical_alignment="bottom")
        preset_key = f"explorer_preset_{state.language()}"
        preset.selectbox(t("explorer.preset"), range(len(class_names)), format_func=class_names.__getitem__,
                         key=preset_key, help=t("explorer.preset_help"))
        apply.button(t("explorer.apply_preset"), key="explorer_apply_preset", width="stretch",
                     on_click=lambda: explorer.set_code(space.class_means[st.session_state[preset_key]], space))
    with sliders:
        st.markdown(f"**{t('explorer.pc_header')}**", help=t("explorer.pc_help"))
        ratio = space.pca.explained_variance_ratio
        for axis in range(min(explorer.PRINCIPAL_SLIDERS, space.pca.n_components)):
            label = t("explorer.pc_label", number=axis + 1, share=f"{ratio[axis] * 100:.1f}")
            slider(explorer.pc_key(axis), label, space.pc_ranges[axis], explorer.move_principal, (axis, space))
        st.markdown(f"**{t('explorer.dims_header')}**", help=t("explorer.dims_help"))
        order = [int(d) for d in space.dims_by_variance()]
        chosen = st.multiselect(t("explorer.dims_choose"), order, key=explorer.DIMS_KEY, on_change=explorer.remember_dims,
                                format_func=dim_chip)
        for dim in chosen:
            slider(explorer.dim_key(dim), t("explorer.dim_label", number=dim), space.dim_ranges[dim], explorer.move_dimension,
                   (dim, space))
        if space.nonnegative:
            st.caption(t("explorer.dims_relu"))


st.title(t("explorer.title"))
st.caption(t("explorer.intro"))

data = state.require_dataset()
state.require_model()
decoder = state.require_decoder()
space = state.require_latent_space()
stored = state.active_stored_model()
classes = state.classes()
count = len(data.x_test)
explorer.ensure_code(space, (stored.name, stored.sha256), count)

# --- Starting image -------------------------------------------------------------------------------------------
st.session_state["explorer_index_input"] = explorer.start_index()
by_index, by_class, of_class, any_image = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
by_index.number_input(t("explorer.index"), 0, count - 1, step=1, key="explorer_index_input",
                      on_change=lambda: explorer.open_in_explorer(st.session_state["explorer_index_input"]))
class_key = f"explorer_class_{state.language()}"
by_class.selectbox(t("explorer.class"), range(len(classes)), format_func=classes.__getitem__, key=class_key)
of_class.button(t("explorer.random_of_class"), key="explorer_random_of_class", width="stretch",
                on_click=lambda: explorer.random_start(data.y_test, st.session_state[class_key]))
any_image.button(t("explorer.random_image"), key="explorer_random_image", width="stretch",
                 on_click=lambda: explorer.random_start(data.y_test, None))

spec = decoder_spec(stored.name, stored.sha256, state.require_model())
explorer_panel(decoder, spec, space, data.x_test, classes)

# --- Interpolation --------------------------------------------------------------------------------------------
st.divider()
st.subheader(t("explorer.interp_header"))
st.caption(t("explorer.interp_intro"))
start_col, end_col, steps_col = st.columns(3)
start = start_col.number_input(t("explorer.interp_start"), 0, count - 1, value=0, step=1, key="explorer_interp_start")
end = end_col.number_input(t("explorer.interp_end"), 0, count - 1, value=1, step=1, key="explorer_interp_end")
steps = steps_col.slider(t("explorer.interp_steps"), 3, 12, value=8, key="explorer_interp_steps")

weights = np.linspace(0.0, 1.0, steps)
strip = latent.decode_batch(decoder, latent.interpolate(space.codes[start], space.codes[end], steps))
columns = st.columns(steps + 2)
columns[0].image(viz.image_png(data.x_test[start]), width="stretch", output_format="PNG",
                 caption=f"{t('explorer.interp_original')} #{start}")
for column, image, weight in zip(columns[1:-1], strip, weights, strict=True):
    column.image(viz.image_png(image), width="stretch", caption=f"{weight:.2f}", output_format="PNG")
columns[-1].image(viz.image_png(data.x_test[end]), width="stretch", output_format="PNG",
                  caption=f"{t('explorer.interp_original')} #{end}")
