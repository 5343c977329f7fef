"""Latent map: the test images' latent vectors on their principal axes (PCA); a clicked point opens in the explorer."""

import numpy as np
import streamlit as st

from ae_core import latent, viz
from ui import explorer_state as explorer
from ui import pages, state
from ui.state import t


def select_point() -> None:
    # A callback, so it runs only when the selection changes, not on every rerun that still shows it.
    row = viz.selected_row(st.session_state["map_chart"].selection.points)
    if row is not None:
        explorer.open_in_explorer(row)
        st.session_state["map_selected"] = row


def explorer_position(space, model_name: str) -> np.ndarray | None:
    """PCA coordinates of the explorer's current latent vector, or of its starting image."""
    code = explorer.explorer_code_for(model_name)
    if code is not None:
        return space.pca.project(code)
    return space.coordinates[min(explorer.start_index(), len(space.codes) - 1)]


st.title(t("map.title"))
st.caption(t("map.intro"))

data = state.require_dataset()
state.require_model()
decoder = state.require_decoder()
space = state.require_latent_space()
classes = state.classes()

three_d = st.toggle(t("map.three_d"), key="map_3d")
axes = 3 if three_d else 2
texts = {"index": t("map.index"), "axis": t("map.axis"), "marker": t("map.marker")}
figure = viz.latent_map_figure(space.coordinates, space.labels, classes, texts, three_d=three_d,
                               marker=explorer_position(space, state.active_stored_model().name))
st.plotly_chart(figure, key="map_chart", on_select=select_point, selection_mode=("points",))
share = space.pca.explained_variance_ratio[:axes].sum() * 100
st.caption(t("map.shown_share", axes=axes, share=f"{share:.1f}"))

selected = st.session_state.get("map_selected")
if selected is None or selected != explorer.start_index():
    st.info(t("map.select_hint"))
else:
    st.markdown(t("map.selected", index=selected, label=classes[space.labels[selected]]))
    original, reconstruction, action = st.columns([1, 1, 3], vertical_alignment="center")
    original.image(viz.image_png(data.x_test[selected]), caption=t("map.original"), output_format="PNG")
    reconstruction.image(viz.image_png(latent.decode(decoder, space.codes[selected])), caption=t("map.reconstruction"),
                          output_format="PNG")
    if action.button(t("map.open_explorer"), key="map_open_explorer", type="primary"):
        pages.switch_to("explorer")

st.subheader(t("map.variance_header"))
st.caption(t("map.variance_intro"))
variance_texts = {"individual": t("map.individual"), "cumulative": t("map.cumulative"), "x": t("map.component"),
                  "y": t("map.share")}
st.plotly_chart(viz.explained_variance_figure(space.pca.explained_variance_ratio, variance_texts), key="map_variance")
