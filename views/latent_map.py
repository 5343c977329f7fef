"""Latent map: the test images' latent vectors on their principal axes (PCA); a clicked point opens in the explorer.

A model whose latent space has only two dimensions is drawn on those two (z0, z1) as they are: a PCA would only
rotate them. 3-D needs three dimensions; with fewer the switch is off and says why.
"""

import numpy as np
import streamlit as st

from ae_core import exports, figures, latent, pictures
from ui import explorer_state as explorer
from ui import pages, presenter, state
from ui.layout import flowing_columns
from ui.plotly_locale import plotly_config
from ui.state import t


def select_point() -> None:
    # A callback, so it runs only when the selection changes, not on every rerun that still shows it.
    row = figures.selected_customdata(st.session_state["map_chart"].selection.points)
    if row is not None:
        explorer.open_in_explorer(row)
        st.session_state["map_selected"] = row


def explorer_position(space, model_name: str, raw_axes: bool) -> np.ndarray:
    """Where the explorer's current latent vector (or its starting image) sits on the map's axes."""
    code = explorer.explorer_code_for(model_name)
    if code is None:
        code = space.codes[min(explorer.start_index(), len(space.codes) - 1)]
    return np.asarray(code, dtype=np.float64) if raw_axes else space.pca.project(code)


# A 2-D latent space is drawn as it is, without PCA (nothing to project): the intro says so.
stored = state.active_stored_model()
raw_axes = stored is not None and stored.latent_dim == 2
st.title(t("map.title"))
st.caption(t("map.intro_raw" if raw_axes else "map.intro"))

data = state.require_dataset()
active = state.require_active_model()
decoder, space = active.decoder(), active.latent_space()
classes = state.classes()

can_3d = space.pca.n_components >= 3
if not can_3d:
    st.session_state["map_3d"] = False  # a choice made with another model
three_d = st.toggle(t("map.three_d"), key="map_3d", disabled=not can_3d,
                    help=None if can_3d else t("map.three_d_unavailable", dims=space.latent_dim))
texts = {"index": t("map.index"), "axis": t("map.axis"), "marker": t("map.marker")}
figure = figures.latent_map_figure(space.codes if raw_axes else space.coordinates, space.labels, classes, texts,
                                   three_d=three_d,
                                   marker=explorer_position(space, active.name, raw_axes))
if raw_axes:
    figure.update_layout(xaxis_title="z0", yaxis_title="z1")
st.plotly_chart(figure, key="map_chart", on_select=select_point, selection_mode=("points",), config=plotly_config())
if raw_axes:
    st.caption(t("map.raw_axes"))
else:
    axes = 3 if three_d else 2
    share = space.pca.explained_variance_ratio[:axes].sum() * 100
    st.caption(t("map.shown_share", axes=axes, share=f"{share:.1f}"))

selected = st.session_state.get("map_selected")
if selected is None or selected != explorer.start_index():
    st.info(t("map.select_hint"))
else:
    st.markdown(t("map.selected", index=selected, label=classes[space.labels[selected]]))
    original, reconstruction, action = flowing_columns([1, 1, 3], key="map_selection", min_width="8rem",
                                                      vertical_alignment="center")
    original.image(pictures.image_png(data.x_test[selected]), caption=t("map.original"), output_format="PNG",
                   width=presenter.image_width())
    reconstruction.image(pictures.image_png(latent.decode(decoder, space.codes[selected])), caption=t("map.reconstruction"),
                         output_format="PNG", width=presenter.image_width())
    if action.button(t("map.open_explorer"), key="map_open_explorer", type="primary"):
        pages.switch_to("explorer")

st.subheader(t("map.downloads_header"))
st.caption(t("map.downloads_intro"))
csv_column, projector_column = flowing_columns(2, key="map_downloads", min_width="14rem")
model_name = active.name
csv_column.download_button(t("map.download_csv"), lambda: exports.codes_csv(space.codes, space.labels, classes),
                           file_name=f"latent-codes-{model_name}.csv", mime="text/csv", on_click="ignore",
                           key="map_download_csv", icon=":material/table:")
projector_column.download_button(
    t("map.download_projector"), lambda: exports.projector_bundle(space.codes, space.labels, classes, data.x_test,
                                                                  name=f"{model_name} latent codes"),
    file_name=f"projector-{model_name}.zip", mime="application/zip", on_click="ignore", key="map_download_projector",
    icon=":material/folder_zip:", help=t("map.download_projector_help"))

if not raw_axes:
    st.subheader(t("map.variance_header"))
    st.caption(t("map.variance_intro"))
    variance_texts = {"individual": t("map.individual"), "cumulative": t("map.cumulative"), "x": t("map.component"),
                      "y": t("map.share")}
    st.plotly_chart(figures.explained_variance_figure(space.pca.explained_variance_ratio, variance_texts),
                    key="map_variance", config=plotly_config())
