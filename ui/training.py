"""The session's training job on the page: the server-wide manager, starting a job, its live progress and its end;
the curves and the learning film of a run, live or stored.

Usage: `training.start(request)`; `status = training.session_job()`; `st.fragment(training.live_progress, run_every=1)()`;
`training.show_history(record.history, epochs)`; `training.show_film(record.film_frames, record.film_indices)`
"""

from __future__ import annotations

import logging

import streamlit as st

from ae_core import figures
from ae_core.config import LECTURE_VAL_MSE, Problem
from ae_core.training import film, job_status
from ae_core.training import job_manager as jobs
from ae_core.training.request import TrainingRequest
from ae_core.training.runners import max_trainings_from_env
from ui import state
from ui.formatting import format_duration, problem_text
from ui.layout import flowing_columns
from ui.plain_text import literal
from ui.plotly_locale import plotly_config
from ui.state import t

JOB_KEY = "models_job_id"  # the session's training job; the job itself lives in the server-wide manager
POLL_SECONDS = 1.0
FILM_ROWS = 10  # epochs shown in the film at most: the first, the last and evenly spread ones between
logger = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def job_manager() -> jobs.TrainingJobManager:
    # One manager per server process, so the cap on concurrent trainings holds across every session.
    return jobs.TrainingJobManager(max_concurrent=max_trainings_from_env())


def start(request: TrainingRequest) -> None:
    """Queue the request as the session's job; InvalidRequestError says what is wrong with it."""
    st.session_state[JOB_KEY] = job_manager().submit(request)


def has_session_job() -> bool:
    return JOB_KEY in st.session_state


def session_job_id() -> str | None:
    return st.session_state.get(JOB_KEY)


def adopt(job_id: str) -> bool:
    """Make a job this server knows the session's own (a refreshed tab finds its training through its URL)."""
    if job_manager().status(job_id) is None:
        return False
    st.session_state[JOB_KEY] = job_id
    return True


def session_job() -> job_status.JobStatus | None:
    """The session's job, or None (none started, or a server restart forgot it)."""
    return job_manager().status(st.session_state[JOB_KEY]) if has_session_job() else None


def keep_alive() -> None:
    """Tells the manager the session's owner is still here (every rerun of every page): see ABANDON_SECONDS."""
    if has_session_job():
        job_manager().touch(st.session_state[JOB_KEY])


def show_history(history: dict, epochs: int) -> None:
    """A run's curves: loss and test MSE on one axis; for a VAE its reconstruction and KL terms beside the test MSE
    (its minimised loss is a sum over pixels, hundreds of times the MSE: one axis would flatten one or the other)."""
    if not history.get("val_loss"):
        return
    labels = {"loss": t("models.chart.loss"), "val_loss": t("models.chart.val_loss"), "x": t("models.chart.x"),
              "y": t("models.chart.y"), "reference": t("models.chart.reference", value=LECTURE_VAL_MSE),
              "reconstruction": t("models.chart.reconstruction"), "kl": t("models.chart.kl")}
    if history.get("reconstruction") and history.get("kl"):
        figure = figures.variational_curves_figure(history, list(history["val_loss"]), epochs, labels, reference=LECTURE_VAL_MSE)
    else:
        figure = figures.loss_curves_figure(list(history["loss"]), list(history["val_loss"]), epochs, labels,
                                            reference=LECTURE_VAL_MSE)
    st.plotly_chart(figure, config=plotly_config())


def show_curves(status: job_status.JobStatus) -> None:
    show_history({"loss": status.loss_history, "val_loss": status.val_loss_history, **status.terms_history},
                 status.epochs)


def show_film(frames: tuple[str, ...], indices=None) -> None:
    """The learning film: the film's test images on top, their reconstructions after each shown epoch below.

    `indices` are the film's test images (a stored model's metadata has them); a live run's are found as train() does.
    """
    if not frames:
        return
    data = state.require_dataset()
    if not indices:
        from ae_core.training.trainer import film_indices  # imports TensorFlow, which the server has loaded by now anyway

        indices = film_indices(data.y_test)
    try:
        decoded = film.decode_frames(frames)
    except ValueError as error:  # a stored model's metadata is read from disk: show the rest of the page regardless
        logger.warning("A learning film could not be read: %s", error)
        st.caption(t("models.film.unreadable"))
        return
    epochs = film.epochs_to_show(len(decoded), FILM_ROWS)
    texts = {"original": t("models.film.original"), "epoch": t("models.film.epoch")}
    st.caption(t("models.film.intro", shown=len(epochs), epochs=len(decoded)))
    figure = figures.film_figure(data.x_test[list(indices)], decoded[[epoch - 1 for epoch in epochs]], epochs, texts)
    st.plotly_chart(figure, config=plotly_config())


def live_progress() -> None:
    """The body of a fragment that reruns every POLL_SECONDS while the session's job is queued or running."""
    manager = job_manager()
    status = session_job()
    if status is None or status.finished:
        st.rerun()  # the whole page, so that the table, the sidebar and the form pick the result up
    if status.elsewhere:  # another process ran it (the tab reconnected here): its progress, but no Stop from here
        st.info(t("models.restarted_running" if status.server_gone else "models.elsewhere_running"))
    else:
        running, queued = manager.counts()
        st.caption(t("models.slots", running=running, cap=manager.max_concurrent, queued=queued))
    if status.state == job_status.QUEUED and status.elsewhere:
        return
    if status.state == job_status.QUEUED:
        st.info(t("models.queued", position=status.queue_position))
        st.button(t("models.cancel"), key="models_cancel", on_click=manager.stop, args=(status.job_id,))
        return
    progress_text = (t("models.progress", epoch=status.epoch, epochs=status.epochs, batch=status.batch,
                       batches=status.batches) if status.batches else t("models.starting"))
    st.progress(status.fraction, text=progress_text)
    columns = flowing_columns(4, key="models_progress_metrics", min_width="8rem")
    columns[0].metric(t("models.elapsed"), format_duration(status.elapsed_seconds))
    columns[1].metric(t("models.remaining"), format_duration(status.remaining_seconds))
    columns[2].metric(t("models.batch_loss"), f"{status.batch_loss:.5f}" if status.batch_loss is not None else "–")
    columns[3].metric(t("model.val_mse"), f"{status.val_loss_history[-1]:.5f}" if status.val_loss_history else "–")
    if status.stop_requested:
        st.info(t("models.stopping"))
    elif not status.elsewhere:
        st.button(t("models.stop"), key="models_stop", on_click=manager.stop, args=(status.job_id,))
    show_curves(status)
    show_film(status.film_frames)


def end_text(status: job_status.JobStatus) -> str:
    """Why the job ended, in the session's language; for a job whose server process died (a tab that reconnected to
    another one), that too, and what the training saved."""
    end = status.end
    if end.code == "server_restarted" and status.saved:  # it stopped when its server died, keeping full epochs
        return t("models.restarted_saved", name=literal(status.name), val_mse=status.result["val_mse"],
                 epochs=status.result["epochs_completed"], planned=status.epochs)
    if end.code == "refused":
        text = "\n".join(problem_text(Problem.from_dict(problem)) for problem in end.values.get("problems", []))
    elif status.saved:
        result = status.result
        key = "models.done" if end.code == "finished" else "models.stopped_saved"
        text = t(key, name=literal(status.name), val_mse=result["val_mse"], epochs=result["epochs_completed"],
                 seconds=format_duration(status.elapsed_seconds))
    else:  # a child's error line or a signal's name: text from outside the app, shown as written
        text = t(f"models.end.{end.code}", **{key: literal(value) if isinstance(value, str) else value
                                              for key, value in end.values.items()})
    return t("models.restarted", text=text) if status.server_gone and end.code != "server_restarted" else text


def show_result(status: job_status.JobStatus, on_use) -> None:
    """A finished job: how it ended, the model it saved (with a button to use it) and its curves."""
    show = {job_status.DONE: st.success, job_status.STOPPED: st.warning, job_status.FAILED: st.error}[status.state]
    show(end_text(status))
    if status.saved:
        if st.session_state.get("model_name") == status.name:
            st.caption(t("models.in_use", name=literal(status.name)))
        else:
            st.button(t("models.use"), key="models_use_new", on_click=on_use, args=(status.name,))
    show_curves(status)
    show_film(status.film_frames)
