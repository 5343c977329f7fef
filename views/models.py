"""Models & training: the stored models and their metrics, the active model, and training new ones in the background."""

import streamlit as st

from ae_core import store
from ae_core.config import ARCHITECTURES, BATCH_SIZE_RANGE, EPOCH_RANGE, LATENT_DIM_RANGE, LEARNING_RATE_RANGE, SEED_RANGE
from ae_core.training_request import InvalidRequestError, TrainingRequest, free_name
from ui import state, training
from ui.formatting import model_rows, problem_text
from ui.state import t

# Powers of two inside the allowed range: the sizes people know, and the lecture's 32 among them.
BATCH_SIZES = tuple(2**power for power in range(4, 16) if BATCH_SIZE_RANGE[0] <= 2**power <= BATCH_SIZE_RANGE[1])


def use_model(name: str) -> None:
    st.session_state["model_name"] = name  # a callback: runs before the sidebar's selectbox is drawn


st.title(t("models.title"))
st.caption(t("models.intro"))

# --- Stored models --------------------------------------------------------------------------------------------
listing = store.scan()
active = state.active_stored_model()
if not listing.models:
    st.info(t("sidebar.no_models"))
else:
    st.subheader(t("models.stored_header"))
    st.dataframe(
        model_rows(listing.models, active.name), hide_index=True, width="stretch",
        column_config={
            "active": st.column_config.CheckboxColumn(t("models.col.active"), width="small"),
            "name": t("models.col.name"), "arch": t("model.arch"), "latent_dim": t("model.latent_dim"),
            "val_mse": st.column_config.NumberColumn(t("model.val_mse"), format="%.5f"),
            "epochs": t("model.epochs"), "training_seconds": st.column_config.NumberColumn(t("models.col.seconds"), format="%.1f"),
            "created": t("models.col.created"), "origin": t("models.col.origin"),
        },
    )
    st.session_state["models_choice"] = active.name  # mirrors the sidebar's choice
    st.selectbox(t("models.choose"), [m.name for m in listing.models], key="models_choice",
                 on_change=lambda: use_model(st.session_state["models_choice"]))
if listing.unavailable:
    with st.expander(t("models.unavailable_header", count=len(listing.unavailable))):
        st.caption(t("models.unavailable_intro"))
        for broken in listing.unavailable:
            st.markdown(f"- **{broken.name}**: {t(f'store.reason.{broken.reason}')}")

# --- Train a new model ----------------------------------------------------------------------------------------
st.subheader(t("models.train_header"))
st.caption(t("models.train_intro"))
manager = training.job_manager()
with st.form("models_train_form"):
    name = st.text_input(t("models.name"), key="models_name", placeholder="my-model", help=t("models.name_help"))
    left, middle, right = st.columns(3)
    arch_labels = {arch: t(f"arch.{arch}") for arch in ARCHITECTURES}
    # A keyed selectbox keeps showing its old label after a language switch; one key per language avoids that.
    arch = left.selectbox(t("model.arch"), ARCHITECTURES, format_func=arch_labels.get,
                          key=f"models_arch_{state.language()}")
    latent_dim = middle.number_input(t("model.latent_dim"), *LATENT_DIM_RANGE, value=64, key="models_latent_dim")
    epochs = right.number_input(t("model.epochs"), *EPOCH_RANGE, value=10, key="models_epochs")
    batch_size = left.selectbox(t("models.batch_size"), BATCH_SIZES, index=BATCH_SIZES.index(32), key="models_batch_size")
    learning_rate = middle.number_input(t("models.learning_rate"), *LEARNING_RATE_RANGE, value=1e-3, step=1e-4,
                                        format="%.5f", key="models_learning_rate")
    seed = right.number_input(t("models.seed"), *SEED_RANGE, value=0, key="models_seed")
    cosine = st.checkbox(t("models.cosine"), key="models_cosine", help=t("models.cosine_help"))
    submitted = st.form_submit_button(t("models.start"), type="primary", key="models_start")

previous = training.session_job()
if submitted and previous is not None and not previous.finished:
    st.warning(t("models.error.busy"))
elif submitted:
    name = name.strip() or free_name(f"{arch}-{latent_dim}", manager.taken_names())
    request = TrainingRequest(name, arch, int(latent_dim), int(epochs), int(batch_size), float(learning_rate), int(seed),
                              schedule="cosine" if cosine else "constant")
    try:
        training.start(request)
    except InvalidRequestError as error:
        for problem in error.problems:
            st.error(problem_text(problem))

if not training.has_session_job():
    st.stop()

# --- The session's training: while queued or running, a fragment refreshes it every second --------------------
status = training.session_job()
if status is None:
    st.info(t("models.job_lost"))
    st.stop()
st.subheader(t("models.job_header", name=status.name))
if not status.finished:
    st.fragment(training.live_progress, run_every=training.POLL_SECONDS)()
else:
    training.show_result(status, on_use=use_model)
