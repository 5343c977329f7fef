"""Autoencoder Lab: the entry script. Page config, navigation, the shared sidebar (language, active model).

Usage: `streamlit run app.py` (or `make run`)
"""

import streamlit as st

from ui import pages, runtime, state, training
from ui.formatting import arch_label, origin_label
from ui.i18n import LANGUAGES
from ui.state import t

runtime.tune_once()  # once per process: no full garbage collection after each rerun (ui/runtime.py)
st.set_page_config(page_title="Autoencoder Lab", page_icon=":material/checkroom:", layout="wide")
state.init_session_defaults()
training.keep_alive()

with st.sidebar:
    st.selectbox(t("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language")
    models = state.stored_models()
    if models:
        chosen = state.active_stored_model()  # repairs a stale choice before the widget reads it
        st.selectbox(t("sidebar.model"), [m.name for m in models], key="model_name")
        st.metric(t("model.val_mse"), f"{chosen.val_mse:.5f}")
        st.caption(f"{arch_label(chosen.arch)} · {t('model.latent_dim')} {chosen.latent_dim} · "
                   f"{t('model.epochs')} {chosen.epochs_completed if chosen.epochs_completed is not None else '–'} · "
                   f"{origin_label(chosen.shipped)}")
    else:
        st.warning(t("sidebar.no_models"))

st.navigation(pages.navigation(t)).run()
