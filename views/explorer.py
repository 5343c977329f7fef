"""Latent explorer: start from a test image, move its latent vector with sliders, watch the decoder's image change.

The parts are drawn by ui/explorer_view.py and the state lives in ui/explorer_state.py. Only the fragment with the
sliders and the decoded image reruns on a slider release: one call of the compiled decoder (~2 ms).
"""

import streamlit as st

from ui import explorer_state, explorer_view, state, url_state
from ui.live_decoder import decoder_spec, decoder_weights
from ui.state import t

st.title(t("explorer.title"))
st.caption(t("explorer.intro"))

data = state.require_dataset()
active = state.require_active_model()
stored, space = active.stored, active.latent_space()
classes = state.classes()
# A link's image and code are checked here, against this model and the test set; what did not fit is said.
url_state.add_notices(explorer_state.ensure_code(space, (stored.name, stored.sha256), len(data.x_test)))
url_state.show_notices()

explorer_view.start_picker(data.y_test, classes)
spec = decoder_spec(stored.name, stored.sha256, active.model)
explorer_view.explorer_panel(active, spec, data.x_test, classes)

st.divider()
explorer_view.interpolation(active, data.x_test)
# The live tab's weights, outside its fragment so that a slider release does not re-encode them; last, where the
# element (it draws nothing) adds no gap between the page's parts.
decoder_weights(spec, key="explorer_live")
