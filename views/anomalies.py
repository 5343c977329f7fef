"""Anomalies: reconstruction error as an anomaly score. Errors by class, a threshold that flags the top share, the
flagged images, and how well the error finds one class (ideally one the model never saw): precision, recall, ROC, AUC."""

import numpy as np
import streamlit as st

from ae_core import anomaly, figures, pictures
from ae_core.store import kinds
from ui import state
from ui.i18n import unbroken
from ui.image_strip import ROW_IMAGE_FACTOR, image_strip
from ui.layout import flowing_columns
from ui.plain_text import literal
from ui.plotly_locale import plotly_config
from ui.state import t

FLAGGED_SHOWN = 20
ROW_LENGTH = 10


def use_model(name: str) -> None:
    st.session_state["model_name"] = name  # a callback: runs before the sidebar's selectbox is drawn


st.title(t("anomaly.title"))
st.caption(t("anomaly.intro"))
data = state.require_dataset()
stored = state.require_active_model().stored
class_names = state.classes()

excluded = kinds.excluded_class(stored)
if excluded is not None:
    anomaly_class = excluded
    st.success(t("anomaly.unseen", name=literal(stored.name), label=class_names[excluded]))
else:
    picker, switch = flowing_columns([2, 3], key="anomaly_pick", min_width="14rem", vertical_alignment="bottom")
    anomaly_class = picker.selectbox(t("anomaly.pick_class"), range(len(class_names)), index=8,
                                     format_func=class_names.__getitem__, key=f"anomaly_class_{state.language()}")
    unseen_models = [model for model in state.stored_models() if kinds.excluded_class(model) is not None]
    for model in unseen_models[:1]:
        switch.button(t("anomaly.use_unseen", name=literal(model.name), label=class_names[kinds.excluded_class(model)]),
                      key="anomaly_use_unseen", on_click=use_model, args=(model.name,))
    st.warning(t("anomaly.seen", name=literal(stored.name), label=class_names[anomaly_class]))

with st.spinner(t("anomaly.computing")):
    errors = state.test_errors(stored)
positives = data.y_test == anomaly_class
rate_column, log_column = flowing_columns([3, 1], key="anomaly_rate_row", min_width="8rem", vertical_alignment="bottom")
rate = rate_column.slider(t("anomaly.rate"), 1, 30, 10, key="anomaly_rate", format="%d%%", help=t("anomaly.rate_help"))
log_scale = log_column.toggle(t("anomaly.log_x"), value=True, key="anomaly_log")
threshold = anomaly.threshold_for_rate(errors, rate / 100)
counts = anomaly.confusion_at(errors, positives, threshold)
false_positive_rates, true_positive_rates, _ = anomaly.roc_curve(errors, positives)
auc = anomaly.roc_auc(errors, positives)

columns = flowing_columns(5, key="anomaly_metrics", min_width="7.5rem")
label = class_names[anomaly_class]
columns[0].metric(t("anomaly.threshold"), f"{threshold:.4f}")
columns[1].metric(t("anomaly.flagged"), f"{counts.flagged:,}")
columns[2].metric(t("anomaly.precision"), f"{counts.precision:.0%}", help=t("anomaly.precision_help", label=label))
columns[3].metric(t("anomaly.recall"), f"{counts.recall:.0%}", help=t("anomaly.recall_help", label=label))
columns[4].metric(t("anomaly.auc"), f"{auc:.3f}", help=t("anomaly.auc_help"))

histogram_column, roc_column = flowing_columns([3, 2], key="anomaly_charts", min_width="20rem")
histogram = anomaly.histogram_by_class(errors, data.y_test, bins=60, log_scale=log_scale, classes=np.arange(len(class_names)))
histogram_texts = {"x": t("anomaly.hist_x"), "y": t("anomaly.hist_y"), "threshold": t("anomaly.threshold")}
histogram_column.plotly_chart(figures.error_histogram_figure(histogram, class_names, threshold, histogram_texts, anomaly_class),
                              key="anomaly_histogram", config=plotly_config())
roc_texts = {"curve": t("anomaly.roc_curve"), "chance": t("anomaly.roc_chance"), "point": t("anomaly.roc_point"),
             "x": t("anomaly.roc_x"), "y": t("anomaly.roc_y", label=label)}
roc_column.plotly_chart(figures.roc_figure(false_positive_rates, true_positive_rates, auc,
                                           (counts.false_positive_rate, counts.recall), roc_texts), key="anomaly_roc",
                        config=plotly_config())

st.subheader(t("anomaly.flagged_header", count=min(FLAGGED_SHOWN, counts.flagged), total=f"{counts.flagged:,}"))
flagged = anomaly.flagged_indices(errors, threshold)[:FLAGGED_SHOWN]


def flagged_caption(index: int) -> str:
    mark = "★ " if data.y_test[index] == anomaly_class else ""
    return f"{mark}{unbroken(class_names[data.y_test[index]])} · {errors[index]:.4f}"


for start in range(0, len(flagged), ROW_LENGTH):
    image_strip(f"anomaly_flagged_{start // ROW_LENGTH}",
                [(pictures.image_png(data.x_test[index], ROW_IMAGE_FACTOR), flagged_caption(index))
                 for index in flagged[start:start + ROW_LENGTH]])
st.caption(t("anomaly.flagged_note", label=label))
