"""Home: what an autoencoder is, shown on one test image with the active model, and links to every view."""

import numpy as np
import streamlit as st

from ae_core.latent import encode
from ae_core.pictures import image_png
from ae_core.reconstruction import reconstruct
from ui import pages, presenter, state
from ui.i18n import unbroken
from ui.layout import flowing_columns
from ui.state import t

st.title(t("home.title"))
st.markdown(t("home.intro"))

data = state.require_dataset()
model = state.require_active_model().model

st.subheader(t("home.example"))
another = st.button(t("home.another"), key="home_another", icon=":material/shuffle:")
if another or "home_index" not in st.session_state:
    st.session_state["home_index"] = int(np.random.default_rng().integers(len(data.x_test)))
index = st.session_state["home_index"]
image = data.x_test[index][None]
code = encode(model, image)[0]
reconstruction = reconstruct(model, image)[0]
mse = float(np.mean((reconstruction - image[0]) ** 2))

original_column, code_column, reconstruction_column = flowing_columns([1, 2, 1], key="home_example",
                                                                        min_width="10rem")
original_column.image(image_png(image[0]), caption=f"{t('home.original')} · {unbroken(state.classes()[data.y_test[index]])}",
                      output_format="PNG", width=presenter.image_width())
with code_column:
    st.caption(t("home.code", dims=len(code)))
    st.bar_chart({t("home.code_axis_y"): code}, x_label=t("home.code_axis_x"), height=220)
reconstruction_column.image(image_png(reconstruction), caption=t("home.reconstruction", mse=mse), output_format="PNG",
                            width=presenter.image_width())

st.subheader(t("home.next"))
for page in pages.PAGES:
    if page.blurb_key:
        pages.link(page.name, f"{t(page.nav_key)}: {t(page.blurb_key)}")
