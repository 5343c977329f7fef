"""A person's own garment on the page: the steps that made it 28x28, its reconstruction, how usual its error is, its
nearest test images, its place on the latent map, and a way into the explorer.

Usage: `prepared = garment_view.prepare(png_bytes)` (None after showing why not), then `garment_view.show(prepared, active, key)`
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ae_core import anomaly, exports, figures, latent, pictures
from ae_core.garment import PreparedImage, prepare_upload
from ae_core.reconstruction import per_image_mse
from ae_core.uploads import ImageRejectedError
from ui import explorer_state, pages, presenter, state
from ui.layout import flowing_columns
from ui.plotly_locale import plotly_config
from ui.state import t

NEAREST = 5
STEP_SIZE = 112  # pixels: the small pictures of the preparation steps


def prepare(data: bytes) -> PreparedImage | None:
    """The picture made 28x28, or None after a message in the user's language saying why it cannot be used."""
    try:
        return prepare_upload(data)
    except ImageRejectedError as rejected:
        st.error(t(f"garment.error.{rejected.code}", **rejected.values))
        return None


def show(prepared: PreparedImage, active: state.ActiveModel, key: str) -> None:
    data = state.require_dataset()
    model, stored, space = active.model, active.stored, active.latent_space()
    image = prepared.image
    code = latent.encode(model, image[None])[0]
    reconstruction = np.asarray(model(image[None], training=False))[0]
    mse = float(per_image_mse(image[None], reconstruction[None])[0])

    st.markdown(f"**{t('garment.steps')}**")
    # A thin frame: a white step (a white garment cropped to its box) would vanish into the white page.
    st.html(f"<style>.st-key-{key}_steps img {{ outline: 1px solid var(--st-border-color, #ccc); }}</style>")
    steps = flowing_columns(4, key=f"{key}_steps", min_width="7rem")
    steps[0].image(pictures.thumbnail_png(prepared.gray, STEP_SIZE), caption=t("garment.step.gray"), output_format="PNG")
    steps[1].image(pictures.thumbnail_png(prepared.cropped, STEP_SIZE), caption=t("garment.step.cropped"), output_format="PNG")
    steps[2].image(pictures.image_png(image, 4), caption=t("garment.step.final"), output_format="PNG")
    if prepared.inverted:
        steps[3].caption(t("garment.inverted"))

    pair = st.columns(2)
    pair[0].image(pictures.image_png(image, 8), caption=t("garment.input"), width=presenter.image_width(), output_format="PNG")
    pair[1].image(pictures.image_png(reconstruction, 8), caption=t("garment.reconstruction", mse=mse),
                  width=presenter.image_width(), output_format="PNG")
    test_errors = state.test_errors(stored)
    st.markdown(t("garment.verdict", median=float(np.median(test_errors)),
                  high=float(np.percentile(test_errors, anomaly.TYPICAL_PERCENTILE)),
                  position=t(f"garment.verdict.{anomaly.typicality(mse, test_errors)}")))

    st.markdown(f"**{t('garment.nearest')}**")
    classes = state.classes()
    nearest = latent.nearest_indices(space.codes, code, NEAREST)
    for column, index in zip(st.columns(NEAREST), nearest, strict=True):
        column.image(pictures.image_png(data.x_test[index], 4),
                     caption=t("garment.nearest_caption", index=int(index), label=classes[space.labels[index]]),
                     output_format="PNG")

    st.markdown(f"**{t('garment.map')}**")
    texts = {"index": t("map.index"), "axis": t("map.axis"), "marker": t("garment.marker")}
    figure = figures.latent_map_figure(space.map_coordinates(space.codes), space.labels, classes, texts,
                                       marker=space.map_coordinates(code))
    figure.update_layout(height=420)
    if space.map_on_raw_axes:
        figure.update_layout(xaxis_title="z0", yaxis_title="z1")
    st.plotly_chart(figure, key=f"{key}_map", config=plotly_config())

    actions = flowing_columns(2, key=f"{key}_actions", min_width="14rem")
    if actions[0].button(t("garment.open_explorer"), key=f"{key}_open_explorer", type="primary"):
        explorer_state.open_code_in_explorer(code, stored.name)
        pages.switch_to("explorer")
    actions[1].download_button(t("garment.download"), exports.image_rows_png([np.stack([image, reconstruction])]),
                               file_name=f"garment-{stored.name}.png", mime="image/png", key=f"{key}_download",
                               help=t("garment.download_help"), icon=":material/download:")
