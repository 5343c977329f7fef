"""Models & training: the stored models and their metrics, the active model, and training new ones in the background."""

import streamlit as st

from ae_core import jobs
from ae_core.config import ARCHITECTURES, LATENT_DIM_RANGE, LECTURE_VAL_MSE
from ae_core.viz import loss_curves_figure
from ui import state
from ui.state import t

JOB_KEY = "models_job_id"  # the session's training job; the job itself lives in the server-wide manager
POLL_SECONDS = 1.0


@st.cache_resource(show_spinner=False)
def job_manager() -> jobs.TrainingJobManager:
    # One manager per server process, so the cap on concurrent trainings holds across every session.
    return jobs.TrainingJobManager(max_concurrent=jobs.max_trainings_from_env())


def use_model(name: str) -> None:
    st.session_state["model_name"] = name  # a callback: runs before the sidebar's selectbox is drawn


st.title(t("models.title"))
st.caption(t("models.intro"))

# --- Stored models --------------------------------------------------------------------------------------------
models = state.stored_models()
active = state.active_stored_model()
if not models:
    st.info(t("sidebar.no_models"))
else:
    st.subheader(t("models.stored_header"))
    st.dataframe(
        jobs.model_table(models, active.name, t), hide_index=True, width="stretch",
        column_config={
            "active": st.column_config.CheckboxColumn(t("models.col.active"), width="small"),
            "name": t("models.col.name"), "arch": t("model.arch"), "latent_dim": t("model.latent_dim"),
            "val_mse": st.column_config.NumberColumn(t("model.val_mse"), format="%.5f"),
            "epochs": t("model.epochs"), "training_seconds": st.column_config.NumberColumn(t("models.col.seconds"), format="%.1f"),
            "created": t("models.col.created"), "origin": t("models.col.origin"),
        },
    )
    st.session_state["models_choice"] = active.name  # mirrors the sidebar's choice
    st.selectbox(t("models.choose"), [m.name for m in models], key="models_choice",
                 on_change=lambda: use_model(st.session_state["models_choice"]))

# --- Train a new model ----------------------------------------------------------------------------------------
st.subheader(t("models.train_header"))
st.caption(t("models.train_intro"))
manager = job_manager()
with st.form("models_train_form"):
    name = st.text_input(t("models.name"), key="models_name", placeholder="my-model", help=t("models.name_help"))
    left, middle, right = st.columns(3)
    arch_labels = {arch: t(f"arch.{arch}") for arch in ARCHITECTURES}
    # A keyed selectbox keeps showing its old label after a language switch; one key per language avoids that.
    arch = left.selectbox(t("model.arch"), ARCHITECTURES, format_func=arch_labels.get,
                          key=f"models_arch_{state.language()}")
    latent_dim = middle.number_input(t("model.latent_dim"), *LATENT_DIM_RANGE, value=64, key="models_latent_dim")
    epochs = right.number_input(t("model.epochs"), *jobs.EPOCH_RANGE, value=10, key="models_epochs")
    batch_size = left.selectbox(t("models.batch_size"), jobs.BATCH_SIZES, index=jobs.BATCH_SIZES.index(32),
                                key="models_batch_size")
    learning_rate = middle.number_input(t("models.learning_rate"), *jobs.LEARNING_RATE_RANGE, value=1e-3, step=1e-4,
                                        format="%.5f", key="models_learning_rate")
    seed = right.number_input(t("models.seed"), *jobs.SEED_RANGE, value=0, key="models_seed")
    cosine = st.checkbox(t("models.cosine"), key="models_cosine", help=t("models.cosine_help"))
    submitted = st.form_submit_button(t("models.start"), type="primary", key="models_start")

previous = manager.status(st.session_state[JOB_KEY]) if JOB_KEY in st.session_state else None
if submitted and previous is not None and not previous.finished:
    st.warning(t("models.error.busy"))
elif submitted:
    name = name.strip() or jobs.free_name(f"{arch}-{latent_dim}", manager.taken_names())
    request = jobs.TrainingRequest(name, arch, int(latent_dim), int(epochs), int(batch_size), float(learning_rate), int(seed),
                                   schedule="cosine" if cosine else "constant")
    try:
        st.session_state[JOB_KEY] = manager.submit(request)
    except jobs.InvalidRequestError as error:
        for problem in error.problems:
            st.error(t(problem.key, **problem.values))

if JOB_KEY not in st.session_state:
    st.stop()

# --- The session's training: while queued or running, a fragment refreshes it every second --------------------
job_id = st.session_state[JOB_KEY]
status = manager.status(job_id)


def show_curves(status: jobs.JobStatus) -> None:
    if status.loss_history:
        labels = {"loss": t("models.chart.loss"), "val_loss": t("models.chart.val_loss"), "x": t("models.chart.x"),
                  "y": t("models.chart.y"), "reference": t("models.chart.reference", value=LECTURE_VAL_MSE)}
        st.plotly_chart(loss_curves_figure(status.loss_history, status.val_loss_history, status.epochs, labels,
                                           reference=LECTURE_VAL_MSE))


@st.fragment(run_every=POLL_SECONDS)
def live_training() -> None:
    status = manager.status(job_id)
    if status is None or status.finished:
        st.rerun()  # the whole page, so that the table, the sidebar and the form pick the result up
    running, queued = manager.counts()
    st.caption(t("models.slots", running=running, cap=manager.max_concurrent, queued=queued))
    if status.state == jobs.QUEUED:
        st.info(t("models.queued", position=status.queue_position))
        st.button(t("models.cancel"), key="models_cancel", on_click=manager.stop, args=(job_id,))
        return
    progress_text = (t("models.progress", epoch=status.epoch, epochs=status.epochs, batch=status.batch,
                       batches=status.batches) if status.batches else t("models.starting"))
    st.progress(status.fraction, text=progress_text)
    columns = st.columns(4)
    columns[0].metric(t("models.elapsed"), jobs.format_duration(status.elapsed_seconds))
    columns[1].metric(t("models.remaining"), jobs.format_duration(status.remaining_seconds))
    columns[2].metric(t("models.batch_loss"), f"{status.batch_loss:.5f}" if status.batch_loss is not None else "–")
    columns[3].metric(t("model.val_mse"), f"{status.val_loss_history[-1]:.5f}" if status.val_loss_history else "–")
    if status.stop_requested:
        st.info(t("models.stopping"))
    else:
        st.button(t("models.stop"), key="models_stop", on_click=manager.stop, args=(job_id,))
    show_curves(status)


if status is None:
    st.info(t("models.job_lost"))
    st.stop()
st.subheader(t("models.job_header", name=status.name))
if not status.finished:
    live_training()
elif status.state == jobs.FAILED:
    st.error(f"{t('models.failed')}\n\n```\n{status.error}\n```")
elif status.saved:
    result = status.result
    done = status.state == jobs.DONE
    (st.success if done else st.warning)(t("models.done" if done else "models.stopped_saved", name=status.name,
                                           val_mse=result["val_mse"], epochs=result["epochs_completed"],
                                           seconds=jobs.format_duration(status.elapsed_seconds)))
    if st.session_state.get("model_name") == status.name:
        st.caption(t("models.in_use", name=status.name))
    else:
        st.button(t("models.use"), key="models_use_new", on_click=use_model, args=(status.name,))
else:
    st.warning(t("models.stopped_unsaved" if status.started else "models.cancelled"))
if status.finished:
    show_curves(status)
