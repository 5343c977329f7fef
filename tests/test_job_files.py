"""A training found again after the app process that ran it died, and no folder left behind by a killed process
(ae_core/training/job_files.py), with the fake trainer of tests/test_jobs.py: a real server process (a job manager
in a child Python) is killed with SIGKILL while its training runs, and a second manager, as the next or another app
process would, answers for the job from the shared trained folder and sweeps the dead one's folder away."""

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apptest_pages import open_app
from test_jobs import FAKE_TRAINER, wait_for

from ae_core import store
from ae_core.training import job_files, job_status
from ae_core.training import job_manager as jobs
from ae_core.training.progress import read_events, writer_is_running
from ae_core.training.request import TrainingRequest
from ui import training
from ui.i18n import t as translate
from ui.plain_text import literal

PROJECT = Path(__file__).resolve().parent.parent

# An app process's job manager with the fake trainer: submits one training, prints its id, waits to be killed.
SERVER = """
import sys, time
from pathlib import Path
from ae_core.training import job_manager as jobs
from ae_core.training.request import TrainingRequest

trainer, root, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]

def command(request, out_dir, events_path, reservation):
    return [sys.executable, trainer, str(events_path), str(out_dir), str(request.epochs)]

manager = jobs.TrainingJobManager(command=command, output_root=lambda: root, poll_seconds=0.05)
print(manager.submit(TrainingRequest(name, epochs=30)), flush=True)
time.sleep(600)
"""


@pytest.fixture()
def trainer(tmp_path) -> Path:
    path = tmp_path / "fake_trainer.py"
    path.write_text(FAKE_TRAINER)
    return path


@pytest.fixture()
def root(tmp_path) -> Path:
    return tmp_path / "trained"


def fake_manager(trainer: Path, root: Path) -> jobs.TrainingJobManager:
    def command(request, out_dir, events_path, reservation):
        return [sys.executable, str(trainer), str(events_path), str(out_dir), str(request.epochs)]

    return jobs.TrainingJobManager(command=command, output_root=lambda: root, poll_seconds=0.05)


def server_folders(root: Path) -> list[Path]:
    return sorted((root / ".jobs").glob("server-*"))


def kill_a_server_mid_training(trainer: Path, root: Path, name: str) -> tuple[str, Path]:
    """A server process whose training has finished epoch 1, killed by SIGKILL: (job id, its events file)."""
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(trainer), str(root), name], cwd=PROJECT,
                              stdout=subprocess.PIPE, text=True)
    try:
        job_id = server.stdout.readline().strip()
        assert job_files.is_job_id(job_id), job_id
        [work_dir] = (root / ".jobs").glob(f"server-*/{job_id}")  # made as the job was submitted
        events = work_dir / "events.jsonl"
        deadline = time.monotonic() + 30
        while not any(event.type == "epoch" for event in read_events(events)[0]):
            assert time.monotonic() < deadline and server.poll() is None, "the training never finished an epoch"
            time.sleep(0.05)
    finally:
        server.kill()  # no atexit, no close(): as kill -9 of an app process leaves it
        server.wait()
        server.stdout.close()
    return job_id, events


def wait_for_done(events: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(event.type == "done" for event in read_events(events)[0]):
        assert time.monotonic() < deadline, "the orphaned training did not stop"
        time.sleep(0.05)


def test_a_training_whose_server_was_killed_is_found_by_the_next_process_with_what_it_saved(trainer, root):
    job_id, events = kill_a_server_mid_training(trainer, root, "orphan-found")
    dead_folder = events.parent.parent
    wait_for_done(events)  # it noticed its server was gone, stopped and saved its one epoch
    time.sleep(0.2)  # and has exited: its lock on the events file is gone
    manager = fake_manager(trainer, root)  # the restarted process
    try:
        # It swept the dead process's folder as it started: nothing of the killed process is left but the summary.
        assert not dead_folder.exists() and server_folders(root) == [manager._server.path]
        status = manager.status(job_id)
        assert status is not None, "the page would say: a training this server does not know"
        assert status.state == job_status.STOPPED and status.saved and status.result["epochs_completed"] == 1
        assert status.end == job_status.EndReason("server_restarted", {"saved": True})
        assert status.elsewhere and status.server_gone and status.name == "orphan-found" and status.epochs == 30
        assert status.val_loss_history == pytest.approx((0.2,))
        manager.stop(job_id)  # nothing of this process's to stop: no error
        manager.touch(job_id)
    finally:
        manager.close()
    assert not server_folders(root)  # a clean close leaves no folder either
    summary = json.loads((root / ".jobs" / "ended" / f"{job_id}.json").read_text())
    assert summary["end"]["code"] == "server_restarted" and str(root) not in json.dumps(summary)


def test_a_killed_servers_training_that_still_stops_is_followed_then_swept_once_it_has_ended(trainer, root):
    manager = fake_manager(trainer, root)  # the other, live process the tab reconnected to
    try:
        job_id, events = kill_a_server_mid_training(trainer, root, "orphan-followed")
        seen = manager.status(job_id)
        assert seen is not None and seen.elsewhere and seen.server_gone
        ended = wait_for(manager, job_id, lambda s: s.finished)
        assert ended.end == job_status.EndReason("server_restarted", {"saved": True})
        dead_folder = events.parent.parent
        time.sleep(0.2)
        assert dead_folder.exists()  # nobody swept yet: the next start (or the next periodic sweep) does
        assert job_files.sweep(root) == [dead_folder] and not dead_folder.exists()
        after = manager.status(job_id)  # from its summary now
        assert (after.state, after.end, after.result, after.val_loss_history, after.server_gone) == (
            ended.state, ended.end, ended.result, ended.val_loss_history, True)
    finally:
        manager.close()


def test_a_live_processs_job_is_reported_by_another_and_its_end_after_that_process_closed(trainer, root):
    first, second = fake_manager(trainer, root), fake_manager(trainer, root)
    try:
        job_id = first.submit(TrainingRequest("ok-elsewhere", epochs=2))
        done = wait_for(first, job_id, lambda s: s.finished)
        seen = wait_for(second, job_id, lambda s: s is not None and s.finished)
        assert (seen.state, seen.end, seen.result) == (done.state, done.end, done.result)
        assert seen.elsewhere and not seen.server_gone and seen.loss_history == done.loss_history
        assert job_files.sweep(root) == []  # both processes live: nothing of theirs is swept
        first.close()
        assert second.status(job_id).server_gone
        assert second.status(job_id).end == job_status.EndReason("finished")
    finally:
        first.close()
        second.close()


def write_dead_job(root: Path, job_id: str, events: list[dict], *, name: str = "by-hand",
                   started_seconds_ago: float = 120.0) -> Path:
    """A job folder of a server that is gone (no process holds its folder)."""
    work_dir = root / ".jobs" / "server-gone1234" / job_id
    work_dir.mkdir(parents=True)
    (work_dir / "job.json").write_text(json.dumps({"job_id": job_id, "name": name, "epochs": 30}))
    (work_dir / "events.jsonl").write_text("".join(json.dumps(event) + "\n" for event in events))
    (work_dir / "stdout.txt").write_text("")
    os.utime(work_dir / "stdout.txt", (time.time() - started_seconds_ago,) * 2)
    return work_dir


EPOCH_ONE = [{"type": "start", "epochs": 30, "model": "by-hand", "elapsed": 0.0},
             {"type": "epoch", "epoch": 1, "epochs": 30, "loss": 0.05, "val_loss": 0.04, "elapsed": 3.0}]


def test_a_dead_servers_folder_stays_while_its_child_holds_the_events_and_goes_when_it_has_ended(root):
    job_id = "job-AbCdEfGhIjKlMnOp"
    work_dir = write_dead_job(root, job_id, EPOCH_ONE)
    child = os.open(work_dir / "events.jsonl", os.O_WRONLY | os.O_APPEND)
    fcntl.flock(child, fcntl.LOCK_EX)  # as the training's child does while it runs
    try:
        assert job_files.sweep(root) == [] and work_dir.exists()
        running = job_files.find_job(root, job_id)
        assert running.state == job_status.RUNNING and running.server_gone and running.epoch == 1
    finally:
        os.close(child)  # the child was killed before it could say anything more
    assert job_files.sweep(root) == [work_dir.parent] and not work_dir.parent.exists()
    ended = job_files.find_job(root, job_id)
    assert ended.state == job_status.FAILED and ended.end == job_status.EndReason("server_restarted")
    assert not ended.saved and ended.val_loss_history == (0.04,)


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "job-", "job-AbCdEfGhIjKlMnO/", "job-0000000000000000", "",
                                    "job-AbCdEfGhIjKlMnOp\n"])
def test_an_unknown_or_malformed_job_id_is_none_and_reads_nothing_outside(root, job_id):
    write_dead_job(root, "job-AbCdEfGhIjKlMnOp", EPOCH_ONE)
    assert job_files.find_job(root, job_id) is None


def test_a_malformed_summary_is_no_job_and_breaks_nothing(root):
    ended = root / ".jobs" / "ended"
    ended.mkdir(parents=True)
    wrong_end = {"job_id": "job-AbCdEfGhIjKlMn02", "name": "x", "epochs": 3, "state": "done", "end": "finished"}
    for number, text in enumerate(["not json", "[]", json.dumps(wrong_end)]):
        job_id = f"job-AbCdEfGhIjKlMn0{number}"
        (ended / f"{job_id}.json").write_text(text)
        assert job_files.find_job(root, job_id) is None


def test_old_summaries_and_stray_temporary_files_are_swept(root):
    ended = root / ".jobs" / "ended"
    ended.mkdir(parents=True)
    old, recent, stray = ended / "job-AbCdEfGhIjKlMn01.json", ended / "job-AbCdEfGhIjKlMn02.json", ended / ".saving-x.json"
    for path in (old, recent, stray):
        path.write_text("{}")
    os.utime(old, (time.time() - 8 * 24 * 3600,) * 2)
    os.utime(stray, (time.time() - 2 * 3600,) * 2)
    job_files.sweep(root)
    assert sorted(ended.iterdir()) == [recent]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_page_says_the_server_restarted_and_what_the_training_saved(language, monkeypatch):
    monkeypatch.setattr(training, "t", lambda key, **values: translate(key, language, **values))
    base = dict(job_id="job-AbCdEfGhIjKlMnOp", name="h14b", queue_position=None, epochs=30, epoch=14, batch=0,
                batches=0, loss_history=(), val_loss_history=(), terms_history={}, film_frames=(), batch_loss=None,
                elapsed_seconds=40.0, remaining_seconds=None, started=True, stop_requested=False, elsewhere=True,
                server_gone=True)
    saved = job_status.JobStatus(**base, state=job_status.STOPPED, end=job_status.EndReason("server_restarted", {"saved": True}),
                                 result={"val_mse": 0.0123, "epochs_completed": 14, "stopped_early": True, "saved": True})
    text = training.end_text(saved)
    assert {"en": "14 of 30 epochs", "ko": "30 에폭 중 14 에폭"}[language] in text and "h14b" in text
    finished = job_status.JobStatus(**base, state=job_status.DONE, end=job_status.EndReason("finished"),
                                    result={"val_mse": 0.0088, "epochs_completed": 30, "stopped_early": False, "saved": True})
    text = training.end_text(finished)
    assert {"en": "has restarted", "ko": "다시 시작되었습니다"}[language] in text and "0.00880" in text
    nothing = job_status.JobStatus(**base, state=job_status.FAILED, end=job_status.EndReason("server_restarted"), result=None)
    assert {"en": "nothing was saved", "ko": "저장된 것이 없습니다"}[language] in training.end_text(nothing)


def test_a_writers_lock_on_its_events_file_goes_with_it_when_it_is_killed(tmp_path):
    events = tmp_path / "events.jsonl"
    assert not writer_is_running(events)  # no file: nothing runs
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom ae_core.training.progress import "
                               "hold_writer_lock\nhold_writer_lock(sys.argv[1])\nprint('locked', flush=True)\n"
                               "time.sleep(60)", str(events)], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert writer_is_running(events) and writer_is_running(events)  # a check takes nothing away
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    assert not writer_is_running(events)  # the kernel dropped a killed writer's lock


@pytest.mark.parametrize("language,expected", [
    ("en", "restarted, and the training stopped with it: **`h14b`** was saved with what it learnt in 14 of 30 epochs"),
    ("ko", "**`h14b`**은(는) 30 에폭 중 14 에폭까지 학습한 상태로 저장되었습니다"),
])
def test_a_tab_that_reconnects_with_its_job_in_the_url_is_told_what_its_training_saved(
        private_trained_dir, language, expected):
    job_id = "job-AbCdEfGhIjKlMnOp"
    done = {"type": "done", "name": "h14b", "val_mse": 0.0123, "epochs_completed": 14, "stopped_early": True,
            "path": "/somewhere/h14b", "elapsed": 40.0}
    write_dead_job(private_trained_dir, job_id, [*EPOCH_ONE, done], name="h14b")
    at = open_app("models", language, model_name=None, query={"job": job_id})
    assert not at.exception
    assert at.session_state["models_job_id"] == job_id and at.query_params["job"] == job_id
    assert not at.toast  # no "a training this server does not know"
    assert [expected in warning.value for warning in at.warning] == [True], [warning.value for warning in at.warning]


# The app's own manager and the real CLI child (a small model, about a second an epoch), in a server process.
REAL_SERVER = """
import sys, time
from ae_core.training import job_manager as jobs
from ae_core.training.request import TrainingRequest

manager = jobs.TrainingJobManager(poll_seconds=0.05)
print(manager.submit(TrainingRequest("real-orphan", latent_dim=8, batch_size=1024, epochs=30)), flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_a_real_training_whose_server_was_killed_is_found_again_with_the_epochs_it_saved(private_trained_dir,
                                                                                         monkeypatch):
    monkeypatch.setattr(training, "t", lambda key, **values: translate(key, "en", **values))
    server = subprocess.Popen([sys.executable, "-c", REAL_SERVER], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        job_id = server.stdout.readline().strip()
        [work_dir] = (private_trained_dir / ".jobs").glob(f"server-*/{job_id}")
        deadline = time.monotonic() + 180
        while not any(event.type == "epoch" for event in read_events(work_dir / "events.jsonl")[0]):
            assert time.monotonic() < deadline and server.poll() is None, "no epoch within 3 minutes"
            time.sleep(0.1)
        assert writer_is_running(work_dir / "events.jsonl")  # the CLI holds its events file while it trains
    finally:
        server.kill()
        server.wait()
        server.stdout.close()
    manager = jobs.TrainingJobManager(poll_seconds=0.05)  # the restarted process
    try:
        status = wait_for(manager, job_id, lambda s: s is not None and s.finished, timeout=60)
        assert status.state == job_status.STOPPED and status.server_gone and status.saved
        assert status.end == job_status.EndReason("server_restarted", {"saved": True})
        epochs = status.result["epochs_completed"]
        assert 1 <= epochs < 30 and store.find_model("real-orphan").epochs_completed == epochs
        assert translate("models.restarted_saved", "en", name=literal("real-orphan"), epochs=epochs, planned=30,
                         val_mse=status.result["val_mse"]) == training.end_text(status)
        deadline = time.monotonic() + 30  # its "done" was the child's last act: it lets go of its events file as it exits
        while writer_is_running(work_dir / "events.jsonl") and time.monotonic() < deadline:
            time.sleep(0.05)
        # the next sweep takes its folder
        assert job_files.sweep(private_trained_dir) == [work_dir.parent]
        assert server_folders(private_trained_dir) == [manager._server.path]
    finally:
        manager.close()


def test_a_tab_that_reconnects_while_its_training_still_stops_sees_its_progress_and_no_stop_button(private_trained_dir):
    job_id = "job-AbCdEfGhIjKlMnOq"
    work_dir = write_dead_job(private_trained_dir, job_id, EPOCH_ONE, name="h14b")
    child = os.open(work_dir / "events.jsonl", os.O_WRONLY | os.O_APPEND)
    fcntl.flock(child, fcntl.LOCK_EX)  # the orphaned training is still saving
    try:
        at = open_app("models", "en", model_name=None, query={"job": job_id})
    finally:
        os.close(child)
    assert not at.exception and not at.toast
    assert any("has restarted: the training stops too" in info.value for info in at.info), [i.value for i in at.info]
    assert not [button for button in at.button if button.key in ("models_stop", "models_cancel")]
    assert at.subheader[-1].value == f"Training “{literal('h14b')}”"
