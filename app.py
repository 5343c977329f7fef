"""Autoencoder Lab: the entry script. Page config, navigation, the shared sidebar (language, active model).

Usage: `streamlit run app.py` (or `make run`)
"""

import streamlit as st

from ae_core.i18n import LANGUAGES
from ui import state
from ui.state import t

st.set_page_config(page_title="Autoencoder Lab", page_icon=":material/checkroom:", layout="wide")
state.init_session_defaults()

with st.sidebar:
    st.selectbox(t("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language")
    models = state.stored_models()
    if models:
        state.active_stored_model()  # repairs a stale choice before the widget reads it
        names = [m.name for m in models]
        st.selectbox(t("sidebar.model"), names, key="model_name")
        chosen = models[names.index(st.session_state["model_name"])]
        config = chosen.metadata.get("model_config", {})
        st.metric(t("model.val_mse"), f"{chosen.val_mse:.5f}" if chosen.val_mse is not None else "–")
        st.caption(f"{t('arch.' + config.get('arch', 'dense'))} · {t('model.latent_dim')} {config.get('latent_dim', '–')} · "
                   f"{t('model.epochs')} {chosen.metadata.get('epochs_completed', '–')} · "
                   f"{t('model.shipped') if chosen.shipped else t('model.trained')}")
    else:
        st.warning(t("sidebar.no_models"))

pages = [
    st.Page("views/home.py", title=t("nav.home"), icon=":material/school:", default=True),
    st.Page("views/reconstructions.py", title=t("nav.reconstructions"), icon=":material/compare:",
            url_path="reconstructions"),
    st.Page("views/explorer.py", title=t("nav.explorer"), icon=":material/tune:", url_path="explorer"),
    st.Page("views/latent_map.py", title=t("nav.latent_map"), icon=":material/scatter_plot:", url_path="latent_map"),
    st.Page("views/models.py", title=t("nav.models"), icon=":material/model_training:", url_path="models"),
]
st.navigation(pages).run()
