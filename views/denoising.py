"""Denoising: the same noisy test images through a plain and a denoising model side by side, each scored against the
clean originals (the models are fed the noisy images), and both models' MSE at every noise level."""

import numpy as np
import streamlit as st

from ae_core import figures, reconstruction
from ae_core.store import kinds
from ui import state
from ui.image_strip import image_row
from ui.layout import flowing_columns
from ui.model_picker import model_picker
from ui.plain_text import literal
from ui.plotly_locale import plotly_config
from ui.state import t

NOISE_LEVELS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
EVALUATED = 2000  # test images behind every MSE on the page: a conv model needs ~1 s for each level, not ~5


st.title(t("denoise.title"))
st.caption(t("denoise.intro"))
data = state.require_dataset()
models = state.stored_models()
denoisers = [model for model in models if kinds.is_denoising(model)]
if not denoisers:
    st.info(t("denoise.none"))
    st.stop()

plain_column, denoiser_column, noise_column = flowing_columns(3, key="denoise_controls", min_width="12rem")
with plain_column:
    plain = model_picker(t("denoise.plain"), models, "denoise_plain", default=state.DEFAULT_MODEL)
with denoiser_column:
    noise_of = {model.name: kinds.noise_std(model) for model in denoisers}
    # The label is the same in every language: a keyed selectbox remembers its choice by the option's text.
    denoiser = model_picker(t("denoise.denoiser"), denoisers, "denoise_denoiser", default="dense-64-denoise",
                                          describe=lambda name: f"{name} (σ = {noise_of[name]})",
                                          help=t("denoise.denoiser_help"))
noise = round(noise_column.slider(t("denoise.noise"), 0.0, 0.5, 0.3, 0.05, key="denoise_noise",
                                  help=t("denoise.noise_help")), 2)

st.session_state.setdefault("denoise_round", 0)
if st.button(t("denoise.other_images"), key="denoise_other", icon=":material/shuffle:"):
    st.session_state["denoise_round"] += 1
# The n-th image of each class: ten different garments, the same ones for both models.
shown = np.array([np.flatnonzero(data.y_test == number)[st.session_state["denoise_round"] % 100] for number in range(10)])
# By the chart's legend (plain text: a plotly legend reads no Markdown); rows and metrics show the names as written.
chosen = {t("denoise.row.plain", name=plain.name): plain, t("denoise.row.denoiser", name=denoiser.name): denoiser}
row_labels = [t("denoise.row.plain", name=literal(plain.name)), t("denoise.row.denoiser", name=literal(denoiser.name))]
views = {label: reconstruction.reconstruct_view(state.require_model(stored), data.x_test, data.y_test, shown,
                                                noise_std=noise)
         for label, stored in chosen.items()}

with st.spinner(t("denoise.computing")):
    errors = {label: [float(state.test_errors(stored, level, EVALUATED).mean()) for level in NOISE_LEVELS]
              for label, stored in chosen.items()}
    current = {label: float(state.test_errors(stored, noise, EVALUATED).mean())
               for label, stored in chosen.items()}
*metric_columns, ratio_column = flowing_columns(len(chosen) + 1, key="denoise_metrics", min_width="14rem")
for column, (label, value) in zip(metric_columns, current.items(), strict=True):
    column.metric(t("denoise.metric", name=literal(chosen[label].name)), f"{value:.5f}",
                  help=t("denoise.metric_help", count=f"{EVALUATED:,}"))
plain_mse, denoiser_mse = current.values()
ratio_column.metric(t("denoise.ratio"), f"{denoiser_mse / plain_mse:.0%}", help=t("denoise.ratio_help"))

first = next(iter(views.values()))
class_names = state.classes()
image_row("denoise_clean", t("denoise.row.clean"), first.originals, [class_names[label] for label in first.labels])
image_row("denoise_noisy", t("denoise.row.noisy", noise=noise), first.inputs)
for number, (label, view) in enumerate(zip(row_labels, views.values(), strict=True)):
    image_row(f"denoise_output_{number}", label, view.reconstructions, [f"{mse:.4f}" for mse in view.mse])
st.caption(t("denoise.rows_note"))

st.subheader(t("denoise.curve_header"))
texts = {"x": t("denoise.curve_x"), "y": t("denoise.curve_y"), "current": t("denoise.curve_current")}
st.plotly_chart(figures.noise_curve_figure(list(NOISE_LEVELS), errors, noise, texts), key="denoise_curve", config=plotly_config())
st.caption(t("denoise.curve_note", count=f"{EVALUATED:,}"))
