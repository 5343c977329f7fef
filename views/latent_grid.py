"""Latent grid: an N×N grid of images decoded across a plane of the latent space, beside the test codes on the same
plane and scale; a click on a cell opens the explorer at its code, a click on a point opens that test image."""

import numpy as np
import streamlit as st

from ae_core import figures, grid_plane, latent, latent_grid, pictures
from ui import explorer_state, pages, state
from ui.layout import flowing_columns
from ui.plotly_locale import plotly_config
from ui.state import t

DEFAULT_SIZE = 15
MOSAIC_PIXELS = 560  # the mosaic's PNG is upscaled to at least this many pixels a side, so the browser need not blur it


def remember_click(chart_key: str, kind: str) -> None:
    # A callback runs before the page: the page then opens the explorer (a switch cannot happen inside a callback).
    number = figures.selected_customdata(st.session_state[chart_key].selection.points)
    if number is not None:
        st.session_state["grid_clicked"] = (kind, number)


def axis_title(plane: grid_plane.GridPlane, which: int) -> str:
    if plane.kind == "principal":
        return t("grid.axis.principal", number=plane.axes[which] + 1)
    return t("grid.axis.raw", number=plane.axes[which])


@st.cache_data(show_spinner=False, max_entries=64)
def grid_picture(model_name: str, model_sha256: str, n: int, _decoder, _plane, _codes) -> tuple[bytes, np.ndarray]:
    """The mosaic's PNG and the test codes in cell units, once per model (name + checksum) and size: shared by every
    session, so only the first visit at a size decodes (the plane depends on nothing else)."""
    images = latent.decode_batch(_decoder, _plane.grid.codes)  # every cell in one call of the compiled decoder
    mosaic = latent_grid.tile(images, n)
    return pictures.image_png(mosaic, max(1, -(-MOSAIC_PIXELS // mosaic.shape[0]))), _plane.cell_coordinates(_codes)


def ticks(values: np.ndarray, n: int) -> tuple[list[float], list[str]]:
    cells = grid_plane.tick_cells(n)
    return [float(cell) + 0.5 for cell in cells], [f"{values[cell]:.2g}" for cell in cells]


st.title(t("grid.title"))
state.require_dataset()
active = state.require_active_model()
model, stored = active.model, active.stored
decoder, space = active.decoder(), active.latent_space()

n = st.slider(t("grid.size"), *latent_grid.GRID_SIZE_RANGE, value=DEFAULT_SIZE, key="grid_size", help=t("grid.size_help"))
plane = grid_plane.grid_plane(space, n, model.variational)
clicked = st.session_state.pop("grid_clicked", None)
if clicked is not None:
    kind, number = clicked
    if kind == "cell":
        explorer_state.open_code_in_explorer(plane.grid.code_at(*divmod(number, n)), stored.name)
    else:
        explorer_state.open_in_explorer(number)
    pages.switch_to("explorer")

share = space.pca.explained_variance_ratio[:2].sum() * 100
st.caption(t(f"grid.intro.{plane.kind}", share=f"{share:.0f}", x=plane.axes[0], y=plane.axes[1],
             rest=space.latent_dim - 2))
if plane.kind == "prior" and space.latent_dim > 2:
    st.caption(t("grid.other_dims", x=plane.axes[0], y=plane.axes[1], rest=space.latent_dim - 2))
st.caption(t("grid.click_hint"))

picture, cells = grid_picture(stored.name, stored.sha256, n, decoder, plane, space.codes)
texts = {"grid": t("grid.panel.grid"), "map": t("grid.panel.map"), "x": axis_title(plane, 0), "y": axis_title(plane, 1),
         "cell": t("grid.cell_hover"), "index": t("grid.index")}
axis_ticks = {"x_ticks": ticks(plane.grid.x_values, n), "y_ticks": ticks(plane.grid.y_values[::-1], n)}
# Side by side where both fit, one above the other on a phone: the same plane, the same scale.
grid_column, map_column = flowing_columns(2, key="grid_panels", min_width="18rem")
grid_column.plotly_chart(figures.latent_grid_figure(picture, n, texts=texts, **axis_ticks), key="grid_chart",
                         on_select=lambda: remember_click("grid_chart", "cell"), selection_mode=("points",),
                         config=plotly_config())
map_column.plotly_chart(figures.latent_grid_map_figure(n, cells, space.labels, state.classes(), texts=texts, **axis_ticks),
                        key="grid_map", on_select=lambda: remember_click("grid_map", "image"),
                        selection_mode=("points",), config=plotly_config())

st.download_button(t("grid.download"), picture, file_name=f"latent-grid-{stored.name}-{n}x{n}.png", mime="image/png",
                   on_click="ignore", key="grid_download", icon=":material/download:")
inside = int((~np.isnan(cells).any(axis=1)).sum())
st.caption(t("grid.inside", inside=f"{inside:,}", total=f"{len(cells):,}"))
if space.nonnegative and plane.negative_share() > 0:
    st.caption(t("grid.negative", share=f"{plane.negative_share() * 100:.0f}"))
