"""Reconstructions: test images over the active model's reconstructions, per-image MSE, error maps, input noise."""

import streamlit as st

from ae_core import exports, pictures, reconstruction
from ae_core.config import LECTURE_VAL_MSE
from ui import state
from ui.layout import flowing_columns
from ui.state import t

COUNTS = (10, 20, 30, 40)
ROW_LENGTH = 10  # images per row, as in the lecture's figure
IMAGE_FACTOR = 4  # 28 px -> 112 px PNGs: about one card wide in the wide layout (presenter mode: more)
ALL_CLASSES = -1  # not None: a selectbox shows None as "no choice" once its labels change language

st.title(t("recon.title"))
data = state.require_dataset()
active = state.require_active_model()
model, stored = active.model, active.stored
st.caption(t("recon.intro", latent_dim=model.latent_dim))

st.session_state.setdefault("recon_offset", 0)
st.session_state.setdefault("recon_seed", 0)


def restart() -> None:
    st.session_state["recon_offset"] = 0


def turn_page(step: int, count: int, total: int) -> None:
    move = reconstruction.next_offset if step > 0 else reconstruction.previous_offset
    st.session_state["recon_offset"] = move(st.session_state["recon_offset"], count, total)


def shuffle() -> None:
    st.session_state["recon_order"] = "shuffled"
    st.session_state["recon_seed"] += 1
    st.session_state["recon_offset"] = 0


def image_grid(view, class_names: tuple[str, ...]) -> None:
    """One card per test image, its pictures stacked: original, (noisy input,) reconstruction, error map.

    Ten cards to a row on a wide screen; on a narrow one the cards wrap, and a reconstruction stays under its own
    original (columns would stack into one long list of originals and then one of reconstructions).
    """
    parts = [t("recon.row.original"), *([t("recon.row.noisy")] if view.noise_std > 0 else []),
             f"{t('recon.row.reconstruction')} ({t('recon.row.mse_note')})", t("recon.row.error")]
    st.caption(t("recon.legend", parts=" · ".join(parts)))
    for start in range(0, len(view.indices), ROW_LENGTH):
        with st.container(horizontal=True, gap="medium", key=f"recon_row_{start // ROW_LENGTH}"):
            for item in range(start, min(start + ROW_LENGTH, len(view.indices))):
                with st.container(gap=None, key=f"recon_card_{item}"):
                    st.image(pictures.image_png(view.originals[item], IMAGE_FACTOR), caption=class_names[view.labels[item]],
                             width="stretch", output_format="PNG")
                    if view.noise_std > 0:
                        st.image(pictures.image_png(view.inputs[item], IMAGE_FACTOR), width="stretch", output_format="PNG")
                    st.image(pictures.image_png(view.reconstructions[item], IMAGE_FACTOR), caption=f"{view.mse[item]:.4f}",
                             width="stretch", output_format="PNG")
                    st.image(pictures.heatmap_png(view.errors[item], view.error_scale, IMAGE_FACTOR), width="stretch",
                             output_format="PNG")


class_names = state.classes()
class_column, count_column, noise_column = flowing_columns(3, key="recon_controls", min_width="12rem")
class_choice = class_column.selectbox(
    t("recon.class"), [ALL_CLASSES, *range(len(class_names))], key="recon_class", on_change=restart,
    format_func=lambda index: t("recon.all_classes") if index == ALL_CLASSES else class_names[index])
class_index = None if class_choice == ALL_CLASSES else class_choice
count = count_column.select_slider(t("recon.count"), COUNTS, key="recon_count")
noise_std = round(noise_column.slider(t("recon.noise"), 0.0, 0.5, 0.0, 0.05, key="recon_noise",
                                      help=t("recon.noise_help")), 2)
order_column, kind_column = flowing_columns(2, key="recon_radios", min_width="16rem")
order = order_column.radio(t("recon.order"), reconstruction.ORDERS, key="recon_order", on_change=restart,
                           format_func=lambda name: t(f"recon.order.{name}"), help=t("recon.order_help"),
                           horizontal=True)
error_kind = kind_column.radio(t("recon.error_kind"), reconstruction.ERROR_KINDS, key="recon_error_kind",
                               format_func=lambda kind: t(f"recon.error.{kind}"), horizontal=True)

with st.spinner(t("recon.computing")):
    clean_errors = state.test_errors(stored)
    order_errors = state.test_errors(stored, noise_std) if order == "worst" and noise_std > 0 else clean_errors
ordered = reconstruction.ordered_indices(data.y_test, class_index, order, st.session_state["recon_seed"], order_errors)
offset = st.session_state["recon_offset"] % len(ordered)
shown = reconstruction.page(ordered, offset, count)
view = reconstruction.reconstruct_view(model, data.x_test, data.y_test, shown, noise_std=noise_std,
                                       error_kind=error_kind)

previous_column, next_column, shuffle_column, position_column = flowing_columns(
    [1, 1, 1, 5], key="recon_pages", min_width="7rem", vertical_alignment="center")
previous_column.button(t("recon.previous"), key="recon_previous", on_click=turn_page, args=(-1, count, len(ordered)),
                       icon=":material/chevron_left:", width="stretch")
next_column.button(t("recon.next"), key="recon_next", on_click=turn_page, args=(1, count, len(ordered)),
                   icon=":material/chevron_right:", width="stretch")
shuffle_column.button(t("recon.shuffle"), key="recon_shuffle", on_click=shuffle, icon=":material/shuffle:",
                      width="stretch")
position_column.caption(t("recon.position", first=f"{offset + 1:,}", last=f"{offset + len(shown):,}",
                          total=f"{len(ordered):,}",
                          scope=t("recon.all_classes") if class_index is None else class_names[class_index],
                          order=t(f"recon.order.{order}")))

test_column, lecture_column, shown_column, scale_column = flowing_columns(
    [1, 1, 1, 1.6], key="recon_metrics", min_width="12rem", vertical_alignment="bottom")
test_column.metric(t("recon.test_mse"), f"{clean_errors.mean():.5f}", help=t("recon.test_mse_help"))
lecture_column.metric(t("recon.lecture_mse"), f"{LECTURE_VAL_MSE:.4f}",
                      help=t("recon.lecture_mse_help"))
shown_column.metric(t("recon.shown_mse"), f"{view.mean_mse:.5f}", help=t("recon.shown_mse_help"))
scale_column.image(pictures.colorbar_png(), caption=t("recon.scale", scale=f"{view.error_scale:.3g}"), width="stretch",
                   output_format="PNG")


image_grid(view, class_names)


def grid_picture() -> bytes:
    """The shown images as one PNG: for every ten, a row of originals, (noisy inputs,) and reconstructions."""
    rows = []
    for start in range(0, len(view.indices), ROW_LENGTH):
        part = slice(start, start + ROW_LENGTH)
        rows += [view.originals[part], *([view.inputs[part]] if view.noise_std > 0 else []), view.reconstructions[part]]
    return exports.image_rows_png(rows)


st.download_button(t("recon.download"), grid_picture, file_name=f"reconstructions-{stored.name}.png", mime="image/png",
                   on_click="ignore", key="recon_download", icon=":material/download:")
