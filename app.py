"""Autoencoder Lab: the entry script. Page config, the link in the URL, navigation, the shared sidebar.

Usage: `streamlit run app.py` (or `make run`)
"""

import sys

import streamlit as st

from ui import errors, pages, presenter, runtime, state, streamlit_compat, training, url_state
from ui.copy_link import copy_link_button
from ui.formatting import model_summary
from ui.i18n import LANGUAGES
from ui.state import t

# A forged component value that is no readable JSON gets the app's message, not Streamlit's box (before any component).
streamlit_compat.read_unreadable_component_values()
state.init_session_defaults()
models = state.begin_run().models  # the one store listing of this run
url_state.apply_link([m.name for m in models])  # the first run's link, or Back/Forward: before any widget
st.set_page_config(page_title="Autoencoder Lab", page_icon="👕", layout="wide",  # an emoji icon: no request leaves the site
                   initial_sidebar_state=presenter.sidebar_state())
presenter.apply_style()
training.keep_alive()

with st.sidebar:
    st.selectbox(t("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language")
    if models:
        chosen = state.active_stored_model()  # repairs a stale choice before the widget reads it
        st.selectbox(t("sidebar.model"), [m.name for m in models], key="model_name")
        st.metric(t("model.val_mse"), f"{chosen.val_mse:.5f}")
        st.caption(model_summary(chosen))
    else:
        st.warning(t("sidebar.no_models"))
    st.divider()
    presenter.toggle()
    copy_link_button()

url_state.check_page([page.url_path for page in pages.PAGES])  # a link to no page: the home page, and a notice
page = st.navigation(pages.navigation(t))
url_state.publish(page.url_path or pages.HOME)
url_state.show_notices()
try:
    with errors.guard():
        page.run()
finally:
    # No full garbage collection after each rerun (ui/runtime.py): swapped in once Keras is loaded, at the end of the
    # run and not at its start, where importing Keras would keep a fresh server's first page blank for seconds.
    if "keras" in sys.modules:
        runtime.tune_once()
