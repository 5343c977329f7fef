"""AE vs PCA: test MSE against the number of dimensions k for PCA on the raw pixels, every stored model as a point at
its latent size; the same test images rebuilt by PCA with k components and by the active model, side by side."""

import numpy as np
import streamlit as st

from ae_core import figures
from ae_core.pixel_pca import PixelPCA
from ae_core.reconstruction import per_image_mse, reconstruct
from ae_core.store import kinds
from ui import state
from ui.image_strip import image_row
from ui.layout import flowing_columns
from ui.plain_text import literal
from ui.plotly_locale import plotly_config
from ui.state import t

KS = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128)


@st.cache_resource(show_spinner=False)
def pixel_pca() -> PixelPCA:
    """PCA of the 60,000 training images' pixels, once per server (~0.4 s); shared and read-only."""
    pca = PixelPCA.fit(state.dataset().x_train)
    for array in (pca.mean, pca.components, pca.explained_variance):
        array.flags.writeable = False
    return pca


@st.cache_data(show_spinner=False)
def pca_errors(ks: tuple[int, ...]) -> dict[int, float]:
    return pixel_pca().mse_by_k(state.dataset().x_test, ks)


st.title(t("pca.title"))
st.caption(t("pca.intro"))
data = state.require_dataset()
active = state.require_active_model()
model, stored = active.model, active.stored
with st.spinner(t("pca.fitting")):
    curve = pca_errors(KS)

points = tuple((("name", m.name), ("latent_dim", m.latent_dim), ("val_mse", m.val_mse), ("active", m.name == stored.name),
                ("kind", t(f"pca.kind.{kinds.model_kind(m)}"))) for m in state.stored_models())
texts = (("pca", t("pca.curve")), ("x", t("pca.x")), ("y", t("pca.y")))
st.plotly_chart(figures.shared_pca_comparison_figure(tuple(curve.items()), points, texts), key="pca_chart", config=plotly_config())
st.caption(t("pca.chart_note"))

st.subheader(t("pca.side_header"))
k = st.slider(t("pca.k"), 1, 256, min(model.latent_dim, 256), key=f"pca_k_{stored.name}", help=t("pca.k_help"))
with st.spinner(t("pca.computing")):
    pca_mse = pca_errors((k,))[k]
    model_mse = float(state.test_errors(stored).mean())
left, right, ratio = flowing_columns(3, key="pca_metrics", min_width="13rem")
left.metric(t("pca.metric.pca", k=k), f"{pca_mse:.5f}")
right.metric(t("pca.metric.model", name=literal(stored.name), dims=model.latent_dim), f"{model_mse:.5f}")
ratio.metric(t("pca.metric.ratio"), f"{model_mse / pca_mse:.0%}", help=t("pca.metric.ratio_help"))

shown = np.array([np.flatnonzero(data.y_test == number)[0] for number in range(10)])
originals = data.x_test[shown]
by_pca = pixel_pca().reconstruct(originals, k)
by_model = reconstruct(model, originals)
class_names = state.classes()
image_row("pca_original", t("pca.row.original"), originals, [class_names[label] for label in data.y_test[shown]])
image_row("pca_by_pca", t("pca.row.pca", k=k), by_pca, [f"{mse:.4f}" for mse in per_image_mse(originals, by_pca)])
image_row("pca_by_model", t("pca.row.model", name=literal(stored.name)), by_model,
          [f"{mse:.4f}" for mse in per_image_mse(originals, by_model)])
st.caption(t("pca.rows_note"))
