"""The Models page's training form: the lecture's recipe by default, the lessons' variants (VAE and β, input noise, a
class left out), and typed numbers checked by the page so that every mistake gets a message in the user's language.

Usage: `request = training_form(manager.taken_names())`  # a TrainingRequest on a submit that parses, else None
"""

from __future__ import annotations

import streamlit as st

from ae_core.config import ARCHITECTURES, BATCH_SIZE_RANGE, EPOCH_RANGE, LATENT_DIM_RANGE, NOISE_STD_RANGE, SEED_RANGE
from ae_core.training_request import TrainingRequest, free_name
from ui import state
from ui.formatting import parse_number
from ui.layout import flowing_columns
from ui.state import t

# Powers of two inside the allowed range: the sizes people know, and the lecture's 32 among them.
BATCH_SIZES = tuple(2**power for power in range(4, 16) if BATCH_SIZE_RANGE[0] <= 2**power <= BATCH_SIZE_RANGE[1])
NOISE_STEP = 0.05
NOISE_CHOICES = tuple(round(NOISE_STEP * step, 2) for step in range(round(NOISE_STD_RANGE[1] / NOISE_STEP) + 1))
NO_CLASS = -1  # not None: a selectbox shows None as "no choice" once its labels change language


def training_form(taken_names) -> TrainingRequest | None:
    """Draws the form; after a submit, the request it describes, or None once it has said which field is not a number.

    Ranges are checked where every request is (ae_core.training_request): the page shows those problems when it starts
    the job. Whatever is typed reaches that check: the number inputs have no bounds of their own, and the learning
    rate and β are text (see ui.formatting.parse_number).
    """
    with st.form("models_train_form"):
        name = st.text_input(t("models.name"), key="models_name", placeholder="my-model", help=t("models.name_help"))
        left, middle, right = flowing_columns(3, key="models_form_recipe", min_width="12rem")
        arch_labels = {arch: t(f"arch.{arch}") for arch in ARCHITECTURES}
        # A keyed selectbox keeps showing its old label after a language switch; one key per language avoids that.
        arch = left.selectbox(t("model.arch"), ARCHITECTURES, format_func=arch_labels.get,
                              key=f"models_arch_{state.language()}")
        # No min or max on the number inputs: with them, Streamlit refuses a value typed out of range with an English
        # tooltip and keeps the old one; without, the range check below says what is wrong in the user's language.
        latent_dim = middle.number_input(t("model.latent_dim"), value=64, step=1, key="models_latent_dim",
                                         help=t("models.range_help", low=LATENT_DIM_RANGE[0], high=LATENT_DIM_RANGE[1]))
        epochs = right.number_input(t("model.epochs"), value=10, step=1, key="models_epochs",
                                    help=t("models.range_help", low=EPOCH_RANGE[0], high=EPOCH_RANGE[1]))
        batch_size = left.selectbox(t("models.batch_size"), BATCH_SIZES, index=BATCH_SIZES.index(32),
                                    key="models_batch_size")
        learning_rate_text = middle.text_input(t("models.learning_rate"), "0.001", key="models_learning_rate",
                                               help=t("models.learning_rate_help"))
        seed = right.number_input(t("models.seed"), value=0, step=1, key="models_seed",
                                  help=t("models.range_help", low=SEED_RANGE[0], high=SEED_RANGE[1]))
        cosine = st.checkbox(t("models.cosine"), key="models_cosine", help=t("models.cosine_help"))

        st.markdown(f"**{t('models.variants')}**", help=t("models.variants_help"))
        left, middle, right = flowing_columns(3, key="models_form_variants", min_width="12rem", vertical_alignment="bottom")
        variational = left.checkbox(t("models.variational"), key="models_variational", help=t("models.variational_help"))
        beta_text = middle.text_input(t("models.beta"), "1.0", key="models_beta", help=t("models.beta_help"))
        noise_std = right.select_slider(t("models.noise_std"), NOISE_CHOICES, value=0.0, key="models_noise_std",
                                        help=t("models.noise_std_help"))
        # Labels made now, not in format_func: it may also be called outside this run, where t() has no session.
        class_labels = {NO_CLASS: t("models.exclude_none"), **dict(enumerate(state.classes()))}
        excluded = left.selectbox(t("models.exclude_class"), list(class_labels), format_func=class_labels.get,
                                  key=f"models_exclude_{state.language()}", help=t("models.exclude_help"))
        submitted = st.form_submit_button(t("models.start"), type="primary", key="models_start")
    if not submitted:
        return None

    learning_rate = parse_number(learning_rate_text)
    beta = parse_number(beta_text) if variational else 1.0  # only a VAE has a KL term to weigh
    for value, text, label in ((learning_rate, learning_rate_text, "models.learning_rate"), (beta, beta_text, "models.beta")):
        if value is None:
            st.error(t("models.error.not_a_number", field=t(label), value=text))
    if learning_rate is None or beta is None:
        return None
    base = f"{'vae-' if variational else ''}{arch}-{int(latent_dim)}"
    return TrainingRequest(name.strip() or free_name(base, taken_names), arch, int(latent_dim), int(epochs),
                           int(batch_size), learning_rate, int(seed), schedule="cosine" if cosine else "constant",
                           variational=variational, beta=beta, noise_std=float(noise_std),
                           exclude_class=None if excluded == NO_CLASS else int(excluded))
