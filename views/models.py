"""Models & training: the stored models and their metrics, the active model, a model's curves, learning film and the
lecture's Keras code for it (ui/lecture_code_view.py), and training new ones in the background (the form:
ui/training_form.py)."""

import streamlit as st

from ae_core import store
from ae_core.training.request import InvalidRequestError
from ui import lecture_code_view, state, training, url_state
from ui.formatting import model_rows, problem_text, recipe_text
from ui.model_picker import model_picker
from ui.plain_text import literal
from ui.state import t
from ui.training_form import training_form


def use_model(name: str) -> None:
    st.session_state["model_name"] = name  # a callback: runs before the sidebar's selectbox is drawn


st.title(t("models.title"))
st.caption(t("models.intro"))

# --- Stored models --------------------------------------------------------------------------------------------
listing = state.listing()
active = state.active_stored_model()
if not listing.models:
    st.info(t("sidebar.no_models"))
else:
    st.subheader(t("models.stored_header"))
    st.dataframe(
        model_rows(listing.models, active.name), hide_index=True, width="stretch",
        column_config={
            "active": st.column_config.CheckboxColumn(t("models.col.active"), width="small"),
            "name": t("models.col.name"), "arch": t("model.arch"), "kind": t("models.col.kind"),
            "latent_dim": t("model.latent_dim"),
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
            st.markdown(f"- {literal(broken.name)}: {t(f'store.reason.{broken.reason}')}")

# --- One model's training: its recipe, curves and learning film ----------------------------------------------
if listing.models:
    st.subheader(t("models.detail_header"))
    detail = model_picker(t("models.detail_choose"), listing.models, "models_detail", default=active.name)
    st.caption(recipe_text(detail))
    code = lecture_code_view.code_for(detail)  # the lecture's Keras code that builds and trains it
    with st.container(horizontal=True, key="models_downloads"):
        st.download_button(t("models.download_model", name=literal(detail.name)), data=lambda: store.model_file_bytes(detail),
                           file_name=f"{detail.name}.keras", mime="application/octet-stream", on_click="ignore",
                           key="models_download_model", icon=":material/download:", help=t("models.download_model_help"))
        lecture_code_view.download_buttons(detail, code)
    curves_tab, film_tab, code_tab = st.tabs([t("models.tab.curves"), t("models.tab.film"), t("models.tab.code")])
    with curves_tab:
        training.show_history(detail.history, detail.epochs_completed or len(detail.history.get("val_loss", ())))
    with film_tab:
        if detail.film_frames:
            training.show_film(detail.film_frames, detail.film_indices)
        else:
            st.info(t("models.film.none"))
    with code_tab:
        lecture_code_view.show_code(detail, code)

# --- Train a new model ----------------------------------------------------------------------------------------
st.subheader(t("models.train_header"))
st.caption(t("models.train_intro"))
manager = training.job_manager()
request = training_form(manager.taken_names())
previous = training.session_job()
if request is not None and previous is not None and not previous.finished:
    st.warning(t("models.error.busy"))
elif request is not None:
    try:
        training.start(request)
        url_state.publish_job(training.session_job_id())
    except InvalidRequestError as error:
        for problem in error.problems:
            st.error(problem_text(problem))
    except store.ModelStoreError as error:  # the server's disk is full or its store read-only: nothing was reserved
        st.error(t(f"models.error.{error.code}"))

if not training.has_session_job():
    st.stop()

# --- The session's training: while queued or running, a fragment refreshes it every second --------------------
status = training.session_job()
if status is None:
    st.info(t("models.job_lost"))
    st.stop()
st.subheader(t("models.job_header", name=literal(status.name)))
if not status.finished:
    st.fragment(training.live_progress, run_every=training.POLL_SECONDS)()
else:
    training.show_result(status, on_use=use_model)
