"""The latent explorer's parts, drawn by views/explorer.py: the starting-image picker, the sliders and live tabs, and
the interpolation strip. State goes through ui/explorer_state.py; the URL follows the code (ui/url_state.py).

Usage: `start_picker(data.y_test, classes)`; `explorer_panel(active, spec, images, classes)`;
`interpolation(active, images)` with the page's `active = state.require_active_model()`
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ae_core import exports, latent, pictures
from ae_core.decoder_export import slider_code
from ui import errors, presenter, state, url_state
from ui import explorer_state as explorer
from ui.i18n import unbroken
from ui.image_strip import image_strip
from ui.layout import flowing_columns
from ui.live_decoder import axis_sliders, live_decoder
from ui.state import t

IMAGE_SCALE = 8  # 28 px upscaled to 224 px
SLIDER_STEPS = 200
TABS_KEY = "explorer_tab"  # the open tab's label (st.tabs with on_change="rerun")


def dim_chip(dim: int) -> str:
    # The same in every language on purpose: a selectbox or multiselect remembers its choice by the option's text,
    # so text that changed with the language would lose the choice (class pickers carry the language in their key).
    return f"z{dim}"


def slider(key: str, label: str, bounds, on_change, args, *, help: str | None = None) -> None:
    low, high = float(bounds[0]), float(bounds[1])
    # The value it has (set from the code through session state) is also given as its default: without one, Streamlit
    # copies the whole session state on every slider to tell a single value from a range (~1.5 ms a move for nine).
    st.slider(label, low, high, value=float(st.session_state.get(key, low)), step=(high - low) / SLIDER_STEPS,
              format="%.2f", key=key, on_change=on_change, args=args, help=help)


def start_picker(labels: np.ndarray, class_names: tuple[str, ...]) -> None:
    """The starting image: by number, at random from a class, or at random."""
    count = len(labels)
    st.session_state["explorer_index_input"] = explorer.start_index()
    by_index, by_class, of_class, any_image = flowing_columns(4, key="explorer_pick", min_width="12rem",
                                                              vertical_alignment="bottom")
    by_index.number_input(t("explorer.index"), 0, count - 1, step=1, key="explorer_index_input",
                          on_change=lambda: explorer.open_in_explorer(st.session_state["explorer_index_input"]))
    class_key = f"explorer_class_{state.language()}"
    by_class.selectbox(t("explorer.class"), range(len(class_names)), format_func=class_names.__getitem__,
                       key=class_key)
    of_class.button(t("explorer.random_of_class"), key="explorer_random_of_class", width="stretch",
                    on_click=lambda: explorer.random_start(labels, st.session_state[class_key]))
    any_image.button(t("explorer.random_image"), key="explorer_random_image", width="stretch",
                     on_click=lambda: explorer.random_start(labels, None))


def explorer_panel(active: state.ActiveModel, spec: dict, images: np.ndarray, class_names: tuple[str, ...]) -> None:
    """Both tabs; only the open one is drawn (a tab switch reruns the page), and in it only a fragment reruns on a
    slider release: the decoded picture and the sliders, nothing else.

    A fragment's rerun costs the server per element it draws (each is a message to build and send, ~0.3 ms under a
    class's load; docs/scaling.md): the start, the buttons, the presets and the dimension picker are drawn by the page,
    which reruns only when one of them is used.
    """
    sliders_tab, live_tab = st.tabs([t("explorer.tab_sliders"), t("explorer.tab_live")], key=TABS_KEY,
                                    on_change="rerun")
    if live_tab.open:
        with live_tab:
            live_fragment(spec, active)
    if sliders_tab.open:
        with sliders_tab:
            controls, moving = flowing_columns([1, 3], key="explorer_split", min_width="13rem", gap="large")
            with controls:
                start_and_presets(active, images, class_names)
            with moving:
                sliders_fragment(active)


def publish_code(active: state.ActiveModel) -> None:
    """The URL follows the code (a link to a custom start carries only the code)."""
    custom = explorer.custom_start(active.name, active.stored.latent_dim) is not None
    url_state.publish_explorer(None if custom else explorer.start_index(), explorer.current_code())


@st.fragment
@errors.guarded
def live_fragment(spec: dict, active: state.ActiveModel) -> None:
    live_panel(spec, active)
    publish_code(active)


@st.fragment
@errors.guarded
def sliders_fragment(active: state.ActiveModel) -> None:
    """What a slider release changes: the decoded picture beside the sliders (one decode, ~0.05-2 ms).

    The picture goes as a data URL (~2 KB in the message): as a media file, each release would also cost the server an
    HTTP request for it, about a tenth of a move's CPU under a class's load (docs/scaling.md).
    """
    decoded, sliders = st.columns([1, 2], gap="medium")
    with decoded.container(key="explorer_decoded"):
        st.image(pictures.image_data_url(latent.decode(active.decoder(), explorer.current_code()), IMAGE_SCALE),
                 caption=t("explorer.decoded"), width=presenter.image_width())
    with sliders:
        principal_sliders(active)
        dimension_sliders(active)
    publish_code(active)


def live_panel(spec: dict, active: state.ActiveModel) -> None:
    """Principal-axis sliders decoded in the browser on every frame, from the current code; a release becomes it.

    The sliders' origin is the current code's part off those axes, so a drag or a release along them leaves it
    unchanged; the weights travel once per model whatever the origin (ui/live_decoder.py).
    """
    space = active.latent_space()
    axes = min(explorer.PRINCIPAL_SLIDERS, space.pca.n_components)
    low, high = space.pc_ranges[:axes, 0], space.pc_ranges[:axes, 1]
    step = float(f"{np.min(high - low) / SLIDER_STEPS:.0e}")  # one significant digit: the values read cleanly
    origin, sliders = axis_sliders(explorer.current_code(), space.pca.mean, space.pca.components[:axes], low, high,
                                   step=step)

    def adopt_release() -> None:  # a callback: it holds no latent space (explorer_state.move_principal says why)
        values = (st.session_state["explorer_live"].get("position") or {}).get("values")
        if isinstance(values, list) and len(values) == len(sliders):
            explorer.set_code(slider_code(origin, [slider.direction for slider in sliders], values), active.latent_space())

    start_code = explorer.start_code(space, active.name)
    intro, reset = flowing_columns([4, 1], key="explorer_live_head", min_width="9rem", vertical_alignment="center")
    intro.caption(t("explorer.live_intro"))
    reset.button(t("explorer.reset"), key="explorer_live_reset", help=t("explorer.reset_help"), width="stretch",
                 on_click=lambda: explorer.set_code(start_code, active.latent_space()))
    # The weights are mounted by the page, outside this fragment (live_decoder.decoder_weights): not re-encoded on
    # every slider release.
    live_decoder(spec, origin, sliders, key="explorer_live", on_release=adopt_release, reset_button=False, weights=False)


def start_and_presets(active: state.ActiveModel, images: np.ndarray, class_names: tuple[str, ...]) -> None:
    """The start (a test image, or a code chosen elsewhere), the buttons that set the code, the dimension picker."""
    space = active.latent_space()
    index = explorer.start_index()
    model_name = active.name
    start_code = explorer.start_code(space, model_name)
    with st.container(key="explorer_start"):
        if explorer.custom_start(model_name, space.latent_dim) is None:
            st.image(pictures.image_png(images[index], IMAGE_SCALE), output_format="PNG", width=presenter.image_width(),
                     caption=t("explorer.original", index=index, label=unbroken(class_names[space.labels[index]])))
        else:
            st.image(pictures.image_png(latent.decode(active.decoder(), start_code), IMAGE_SCALE),
                     width=presenter.image_width(),
                     caption=t("explorer.custom_start"), output_format="PNG")
    reset, sample = flowing_columns(2, key="explorer_buttons", min_width="8rem")
    reset.button(t("explorer.reset"), key="explorer_reset", help=t("explorer.reset_help"), width="stretch",
                 on_click=lambda: explorer.set_code(start_code, active.latent_space()))
    variational = active.model.variational  # a VAE's samples come from its prior N(0, I)
    sample.button(t("explorer.random_sample"), key="explorer_random_sample", width="stretch",
                  help=t("explorer.random_sample_help_prior" if variational else "explorer.random_sample_help"),
                  on_click=lambda: explorer.set_code(latent.random_code(active.latent_space(), np.random.default_rng(),
                                                                        prior=variational), active.latent_space()))
    preset_key = f"explorer_preset_{state.language()}"
    preset, apply = flowing_columns([3, 2], key="explorer_presets", min_width="8rem", vertical_alignment="bottom")
    preset.selectbox(t("explorer.preset"), range(len(class_names)), format_func=class_names.__getitem__,
                     key=preset_key, help=t("explorer.preset_help"))
    apply.button(t("explorer.apply_preset"), key="explorer_apply_preset", width="stretch",
                 on_click=lambda: explorer.set_code(active.latent_space().class_means[st.session_state[preset_key]],
                                                    active.latent_space()))
    dimension_picker(space)


def principal_sliders(active: state.ActiveModel) -> None:
    """One slider per principal axis; what a principal axis is, in the first one's help (a header would be one more
    element to send on every release)."""
    space = active.latent_space()
    ratio = space.pca.explained_variance_ratio
    for axis in range(min(explorer.PRINCIPAL_SLIDERS, space.pca.n_components)):
        label = t("explorer.pc_label", number=axis + 1, share=f"{ratio[axis] * 100:.1f}")
        slider(explorer.pc_key(axis), label, space.pc_ranges[axis], explorer.move_principal, (axis, active),
               help=t("explorer.pc_help") if axis == 0 else None)


def dimension_picker(space) -> None:
    """Which raw dimensions get a slider: at most MAX_DIMS (no "select all": 64 sliders help nobody)."""
    order = [int(d) for d in space.dims_by_variance()]
    cap = min(explorer.MAX_DIMS, space.latent_dim)
    chosen = st.multiselect(t("explorer.dims_choose"), order, key=explorer.DIMS_KEY, on_change=explorer.remember_dims,
                            format_func=dim_chip, max_selections=cap, select_all=False,
                            placeholder=t("explorer.dims_placeholder"), help=t("explorer.dims_help"),
                            wrap=True)  # every chosen chip in sight: the column is narrow (in a row, chips scroll)
    if len(chosen) >= cap and space.latent_dim > cap:
        st.caption(t("explorer.dims_cap", count=cap))
    if space.nonnegative:
        st.caption(t("explorer.dims_relu"))


def dimension_sliders(active: state.ActiveModel) -> None:
    """Sliders for the chosen raw dimensions."""
    space = active.latent_space()
    for dim in st.session_state.get(explorer.DIMS_KEY) or []:
        explorer.sync_dim(dim, space)  # a dimension chosen just now starts at the code's value
        slider(explorer.dim_key(dim), t("explorer.dim_label", number=dim), space.dim_ranges[dim],
               explorer.move_dimension, (dim, active))


def interpolation(active: state.ActiveModel, images: np.ndarray) -> None:
    """Decoded points on the straight line between two test images' codes, between the two originals."""
    space = active.latent_space()
    count = len(images)
    st.subheader(t("explorer.interp_header"))
    st.caption(t("explorer.interp_intro"))
    start_column, end_column, steps_column = flowing_columns(3, key="explorer_interp_inputs", min_width="10rem")
    start = start_column.number_input(t("explorer.interp_start"), 0, count - 1, value=0, step=1,
                                      key="explorer_interp_start")
    end = end_column.number_input(t("explorer.interp_end"), 0, count - 1, value=1, step=1, key="explorer_interp_end")
    steps = steps_column.slider(t("explorer.interp_steps"), 3, 12, value=8, key="explorer_interp_steps")
    weights = np.linspace(0.0, 1.0, steps)
    strip = latent.decode_batch(active.decoder(), latent.interpolate(space.codes[start], space.codes[end], steps))
    captioned = [(images[start], f"{t('explorer.interp_original')} #{start}"),
                 *[(image, f"{weight:.2f}") for image, weight in zip(strip, weights, strict=True)],
                 (images[end], f"{t('explorer.interp_original')} #{end}")]
    image_strip("explorer_strip", [(pictures.image_png(image), caption) for image, caption in captioned])
    frames = np.stack([image for image, _ in captioned])
    picture_column, animation_column = flowing_columns(2, key="explorer_interp_downloads", min_width="14rem")
    picture_column.download_button(t("explorer.interp_download_png"), lambda: exports.image_rows_png([frames]),
                                   file_name=f"interpolation-{start}-{end}.png", mime="image/png", on_click="ignore",
                                   key="explorer_interp_png", icon=":material/download:")
    animation_column.download_button(t("explorer.interp_download_gif"), lambda: exports.animation_gif(strip),
                                     file_name=f"interpolation-{start}-{end}.gif", mime="image/gif", on_click="ignore",
                                     key="explorer_interp_gif", icon=":material/animation:")
