"""Your own garment: draw one or upload a photo; see it as a Fashion-MNIST image, reconstructed by the active model."""

import streamlit as st

from ui import garment_view, state
from ui.draw_canvas import draw_canvas
from ui.live_decoder import decoder_spec, decoder_weights, encoder_spec
from ui.state import t

st.title(t("garment.title"))
st.caption(t("garment.intro"))
active = state.require_active_model()
active.latent_space()  # encodes the test set before the first stroke
stored, model = active.stored, active.model
encoder, decoder = encoder_spec(stored.name, stored.sha256, model), decoder_spec(stored.name, stored.sha256, model)
decoder_weights(encoder, key="garment_encoder")  # the model's weights for the canvas's in-browser preview
decoder_weights(decoder, key="garment_decoder")

# The open tab is kept by the server (a key, on_change="rerun"): untracked tabs fall back to the first one when an
# upload reruns the page, hiding the upload's result. Both tabs are drawn on every run, so a drawing survives a look
# at the other tab.
draw_tab, upload_tab = st.tabs([t("garment.tab_draw"), t("garment.tab_upload")], key="garment_tab", on_change="rerun")
with draw_tab:
    canvas_column, result_column = st.columns([1, 2], gap="large")
    with canvas_column:
        st.caption(t("garment.draw_hint"))
        drawing = draw_canvas(key="garment_canvas", encoder_id=encoder["id"], decoder_id=decoder["id"])
    with result_column:
        if drawing.unreadable:
            st.error(t("garment.error.unreadable_drawing"))
        elif drawing.png is None:
            st.info(t("garment.empty"))
        elif (prepared := garment_view.prepare(drawing.png)) is not None:
            garment_view.show(prepared, active, key="garment_drawn")

with upload_tab:
    upload = st.file_uploader(t("garment.upload"), type=["png", "jpg", "jpeg"], key="garment_upload",
                              help=t("garment.upload_hint"))
    if upload is not None:
        prepared = garment_view.prepare(upload.getvalue())
        if prepared is not None:
            garment_view.show(prepared, active, key="garment_uploaded")
