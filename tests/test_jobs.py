"""The training job manager, driven with a fake trainer (a tiny Python script) so that most tests take well under a
second; two run the real CLI child (killed by SIGKILL, orphaned by a killed server) and are marked slow."""

import contextlib
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ae_core import config, store
from ae_core import data as data_module
from ae_core.cli import parse_arguments, setting_values
from ae_core.training import job_manager as jobs
from ae_core.training import job_status, runners
from ae_core.training.progress import read_events
from ae_core.training.request import InvalidRequestError, TrainingRequest, free_name, request_problems
from ui import formatting
from ui.i18n import LANGUAGES
from ui.i18n import t as translate

PROJECT = Path(__file__).resolve().parent.parent

# Behaves like `python -m ae_core train --events FILE --json` with two batches an epoch, its events file locked while
# it runs. Its mode comes from the request's name: "ok-*" trains, "noisy-*" too after three malformed event lines,
# "slow-*" finishes epoch 1 and then waits for SIGTERM, "orphan-*" finishes epoch 1 and then stops when its parent
# (the server) dies, "fail-*" refuses its input like the CLI (an error event and exit code 2), "crash-*" dies of an
# exception after TensorFlow-like start-up lines on stderr, "oom-*" of a MemoryError, "killed-*" of SIGKILL,
# "stubborn-*" ignores SIGTERM, "exit-*" exits with code 3 and says nothing, "nofile-*" dies of a real OSError naming
# a server path, "dataset-*" reports the error event argv[4] holds (the CLI's own, server paths and all).
FAKE_TRAINER = """
import fcntl, json, os, signal, sys, time

events_path, out_dir, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
mode = out_dir.rsplit("/", 1)[-1].split("-")[0]
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
fcntl.flock(os.open(events_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND), fcntl.LOCK_EX)
parent = os.getppid()

def write(event):
    with open(events_path, "a") as file:
        file.write(json.dumps(event) + "\\n")

if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    write({"type": "start", "epochs": epochs, "model": "stubborn", "elapsed": 0.0})
    time.sleep(60)
if mode == "exit":
    sys.exit(3)
if mode == "nofile":
    open(os.path.join(os.path.dirname(events_path), "no", "such", "folder", "weights.h5"))
if mode == "dataset":
    write(json.loads(os.environ["FAKE_ERROR_EVENT"]))
    sys.exit(3)
if mode == "fail":
    message = "latent_dim must be between 2 and 256, got 1."
    print(json.dumps({"error": message}))
    write({"type": "error", "message": message, "code": "refused", "problems": [
        {"field": "latent_dim", "code": "range", "values": {"low": 2, "high": 256, "value": 1}}]})
    sys.exit(2)
if mode in ("crash", "oom", "killed"):
    sys.stderr.write("I0000 00:00:1795646137.761318 3291 port.cc:153] oneDNN custom operations are on.\\n"
                     "E0000 00:00:1795646463.768214 6522 cuda_platform.cc:52] failed call to cuInit: /usr/lib/x\\n")
    sys.stderr.flush()
    if mode == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "oom":
        raise MemoryError("Unable to allocate 40.0 GiB")
    raise RuntimeError("something broke in /home/teacher/secret/path.py")
if mode == "noisy":
    with open(events_path, "a") as file:
        file.write("not json\\n" + json.dumps({"type": "batch"}) + "\\n" + json.dumps([1, 2]) + "\\n")
write({"type": "start", "epochs": epochs, "model": out_dir.rsplit("/", 1)[-1], "elapsed": 0.0})
completed = 0
for epoch in range(1, epochs + 1):
    deadline = time.monotonic() + 20
    while mode in ("slow", "orphan") and epoch > 1 and not stop and time.monotonic() < deadline:
        if mode == "orphan" and os.getppid() != parent:
            stop.append(True)
        time.sleep(0.01)
    if stop:
        break
    for batch in (1, 2):
        write({"type": "batch", "epoch": epoch, "batch": batch, "batches": 2, "loss": 0.1 / epoch, "elapsed": 0.1})
    write({"type": "epoch", "epoch": epoch, "epochs": epochs, "loss": 0.1 / epoch, "val_loss": 0.2 / epoch,
           "elapsed": 0.1})
    completed = epoch
summary = {"name": out_dir.rsplit("/", 1)[-1], "val_mse": 0.2 / max(completed, 1), "epochs_completed": completed,
           "stopped_early": bool(stop)}
if completed:
    summary["path"] = out_dir
write({"type": "done", **summary, "elapsed": 0.2})
print(json.dumps(summary))
"""


@pytest.fixture()
def make_manager(tmp_path):
    trainer = tmp_path / "fake_trainer.py"
    trainer.write_text(FAKE_TRAINER)

    def fake_command(request, out_dir, events_path, reservation):
        return [sys.executable, str(trainer), str(events_path), str(out_dir), str(request.epochs)]

    managers = []

    def make(max_concurrent=1, **options):
        manager = jobs.TrainingJobManager(max_concurrent, command=fake_command,
                                          output_root=lambda: tmp_path / "trained", poll_seconds=0.05, **options)
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.close()


def wait_for(manager, job_id, condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = manager.status(job_id)
        if condition(status):
            return status
        time.sleep(0.02)
    raise AssertionError(f"timed out; last status: {manager.status(job_id)}")


def test_a_finished_job_reports_its_parsed_events_and_result(make_manager, tmp_path):
    manager = make_manager()
    job_id = manager.submit(TrainingRequest("ok-model", epochs=3))
    status = wait_for(manager, job_id, lambda s: s.finished)
    assert status.state == jobs.DONE and status.end == jobs.EndReason("finished")
    assert status.loss_history == pytest.approx((0.1, 0.05, 0.1 / 3))
    assert status.val_loss_history == pytest.approx((0.2, 0.1, 0.2 / 3))
    assert (status.epoch, status.batch, status.batches) == (3, 2, 2)
    assert status.fraction == 1.0 and status.saved
    assert "path" not in status.result and str(tmp_path) not in repr(status)  # the server's folders stay on the server
    assert status.started and status.elapsed_seconds > 0 and status.queue_position is None


def test_malformed_event_lines_are_skipped(make_manager):
    manager = make_manager()
    status = wait_for(manager, manager.submit(TrainingRequest("noisy-model", epochs=2)), lambda s: s.finished)
    assert status.state == jobs.DONE and len(status.val_loss_history) == 2


def test_the_cap_holds_and_queue_positions_follow_submission_order(make_manager):
    manager = make_manager(max_concurrent=1)
    first, second, third = (manager.submit(TrainingRequest(f"slow-{n}", epochs=3)) for n in range(3))
    wait_for(manager, first, lambda s: s.state == jobs.RUNNING)
    assert manager.counts() == (1, 2)
    assert manager.status(second).queue_position == 1 and manager.status(third).queue_position == 2
    assert manager.status(second).elapsed_seconds == 0

    manager.stop(first)
    wait_for(manager, second, lambda s: s.state == jobs.RUNNING)  # a freed slot goes to the next in line
    assert manager.status(third).queue_position == 1
    assert manager.counts() == (1, 1)


def test_two_slots_run_two_jobs_at_once(make_manager):
    manager = make_manager(max_concurrent=2)
    job_ids = [manager.submit(TrainingRequest(f"slow-{n}", epochs=3)) for n in range(3)]
    for job_id in job_ids[:2]:
        wait_for(manager, job_id, lambda s: s.state == jobs.RUNNING)
    assert manager.counts() == (2, 1) and manager.status(job_ids[2]).queue_position == 1


def test_stopping_a_queued_job_removes_it_from_the_queue_without_starting_it(make_manager):
    manager = make_manager()
    running = manager.submit(TrainingRequest("slow-a", epochs=3))
    queued = manager.submit(TrainingRequest("slow-b", epochs=3))
    later = manager.submit(TrainingRequest("slow-c", epochs=3))
    manager.stop(queued)
    status = manager.status(queued)
    assert status.state == jobs.STOPPED and not status.started and status.queue_position is None
    assert manager.status(later).queue_position == 1
    assert manager.status(running).state in (jobs.QUEUED, jobs.RUNNING)
    assert "slow-b" not in manager.taken_names()  # a cancelled name is free again


def test_stopping_a_running_job_sends_sigterm_and_keeps_what_was_learnt(make_manager):
    manager = make_manager()
    job_id = manager.submit(TrainingRequest("slow-model", epochs=5))
    running = wait_for(manager, job_id, lambda s: len(s.val_loss_history) == 1)  # epoch 1 done, now waiting in epoch 2
    assert running.state == jobs.RUNNING and running.fraction == pytest.approx(0.2)
    assert running.remaining_seconds > 0
    manager.stop(job_id)
    stopping = manager.status(job_id)
    assert stopping.stop_requested and stopping.remaining_seconds is None  # no estimate that grows while it stops
    status = wait_for(manager, job_id, lambda s: s.finished, timeout=5)
    assert status.state == jobs.STOPPED
    assert status.result["stopped_early"] and status.result["epochs_completed"] == 1 and status.saved


def test_a_refused_request_reports_the_childs_problems(make_manager):
    manager = make_manager()
    job_id = manager.submit(TrainingRequest("fail-model"))
    status = wait_for(manager, job_id, lambda s: s.finished)
    assert status.state == jobs.FAILED and status.end.code == "refused"
    assert status.end.values["problems"] == [{"field": "latent_dim", "code": "range",
                                              "values": {"low": 2, "high": 256, "value": 1}}]


@pytest.mark.parametrize("name,reason", [
    ("crash-model", jobs.EndReason("error", {"message": "RuntimeError: something broke in path.py"})),
    ("oom-model", jobs.EndReason("out_of_memory")),
    ("killed-model", jobs.EndReason("signal", {"number": 9, "name": "SIGKILL"})),
])
def test_a_failed_child_says_why_plainly_never_with_start_up_noise_or_server_paths(make_manager, name, reason):
    manager = make_manager()
    status = wait_for(manager, manager.submit(TrainingRequest(name)), lambda s: s.finished)
    assert status.state == jobs.FAILED and status.end == reason


def test_a_queued_job_whose_owner_left_is_cancelled_and_a_running_one_stops_at_the_time_limit(make_manager):
    manager = make_manager(abandon_seconds=0.5, max_seconds=1.0)
    running = manager.submit(TrainingRequest("slow-running", epochs=5))
    queued = manager.submit(TrainingRequest("slow-queued", epochs=5))
    wait_for(manager, running, lambda s: s.state == jobs.RUNNING)
    for _ in range(10):  # the running job's owner keeps looking; nobody looks at the queued one
        manager.touch(running)
        time.sleep(0.05)
    status = wait_for(manager, queued, lambda s: s.finished)
    assert status.state == jobs.STOPPED and status.end.code == "abandoned" and not status.started
    status = wait_for(manager, running, lambda s: s.finished, timeout=10)
    assert status.state == jobs.STOPPED and status.end == jobs.EndReason("time_limit", {"saved": True})


def test_a_running_job_whose_owner_left_trains_to_its_end_and_saves(make_manager):
    manager = make_manager(abandon_seconds=0.05)
    job_id = manager.submit(TrainingRequest("ok-unwatched", epochs=3))
    time.sleep(0.3)  # nobody touches it: its owner closed the tab
    status = wait_for(manager, job_id, lambda s: s.finished)
    assert status.state == jobs.DONE and status.saved


def test_a_failed_job_frees_its_slot_for_the_next(make_manager):
    manager = make_manager()
    manager.submit(TrainingRequest("fail-model"))
    after = manager.submit(TrainingRequest("ok-after", epochs=1))
    assert wait_for(manager, after, lambda s: s.finished).state == jobs.DONE


def test_bad_requests_are_refused_with_problems_and_start_nothing(make_manager):
    manager = make_manager()
    with pytest.raises(InvalidRequestError) as refused:
        manager.submit(TrainingRequest("bad name!", latent_dim=1, epochs=0))
    problems = [(problem.field, problem.code) for problem in refused.value.problems]
    assert problems == [("name", "invalid"), ("latent_dim", "range"), ("epochs", "range")]
    assert manager.counts() == (0, 0)


def test_a_name_in_use_by_a_stored_model_or_an_unfinished_job_is_refused(make_manager):
    manager = make_manager()
    for taken in ("dense-64", "slow-taken"):
        if taken == "slow-taken":
            manager.submit(TrainingRequest(taken, epochs=3))
        with pytest.raises(InvalidRequestError) as refused:
            manager.submit(TrainingRequest(taken))
        assert [(problem.field, problem.code) for problem in refused.value.problems] == [("name", "taken")]


@pytest.mark.parametrize("request_values", [
    {"name": ".hidden"}, {"name": ""}, {"name": "x" * 65}, {"arch": "vae"}, {"latent_dim": 257},
    {"epochs": 101}, {"batch_size": 8}, {"learning_rate": 0.5}, {"learning_rate": float("nan")}, {"seed": -1},
    {"schedule": "step"}, {"latent_dim": 64.5},
])
def test_every_problem_has_a_message_in_both_languages(request_values, monkeypatch):
    request = TrainingRequest(**{"name": "fine", **request_values})
    problems = request_problems(request, taken_names=())
    assert len(problems) == 1
    for language in LANGUAGES:
        monkeypatch.setattr(formatting, "t", lambda key, language=language, **values: translate(key, language, **values))
        assert str(problems[0].values["value"]) in formatting.problem_text(problems[0])
        assert "{" not in formatting.problem_text(problems[0])
    assert str(problems[0].values["value"]) in problems[0].message()  # the CLI's English


def test_free_name_skips_taken_names():
    assert free_name("dense-64", {"dense-64", "dense-64-1"}) == "dense-64-2"


def test_the_cap_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(runners.MAX_TRAININGS_ENV, "3")
    assert runners.max_trainings_from_env() == 3
    monkeypatch.setenv(runners.MAX_TRAININGS_ENV, "lots")
    assert runners.max_trainings_from_env() == 1
    monkeypatch.delenv(runners.MAX_TRAININGS_ENV)
    assert runners.max_trainings_from_env() == 1


def test_remaining_time_is_extrapolated_from_the_pace_so_far():
    assert job_status.estimate_remaining(30.0, 0.25) == pytest.approx(90.0)
    assert job_status.estimate_remaining(10.0, 0.5, fraction_before=0.25) == pytest.approx(20.0)  # pace since epoch 1
    assert job_status.estimate_remaining(5.0, 0.0) is None and job_status.estimate_remaining(5.0, 0.2, 0.2) is None
    assert [formatting.format_duration(s) for s in (None, 7.4, 754, 3723)] == ["–", "0:07", "12:34", "1:02:03"]


def test_a_child_runs_at_a_lower_priority_with_capped_threads(tmp_path):
    report = ("import json, os, time; time.sleep(0.5); print(json.dumps({'nice': os.getpriority(os.PRIO_PROCESS, 0), "
              "'threads': [os.environ[name] for name in ('TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', "
              "'OMP_NUM_THREADS')]}))")
    process = runners.LocalRunner(niceness=5, threads=1).start([sys.executable, "-c", report], tmp_path)
    assert process.wait(30) == 0
    seen = json.loads((tmp_path / "stdout.txt").read_text())
    assert seen == {"nice": min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5), "threads": ["1", "1", "1"]}


def test_the_child_command_carries_every_setting_to_the_cli(tmp_path):
    request = TrainingRequest("vae-model", arch="conv", latent_dim=16, epochs=30, batch_size=64, learning_rate=2e-3,
                              seed=7, schedule="cosine", variational=True, beta=0.5, noise_std=0.3, exclude_class=4,
                              train_fraction=0.25)
    assert all(value != config.BY_NAME[name].default for name, value in request.settings().items()), \
        "every setting differs from its default, so that a dropped one shows"
    command = runners.cli_command(request, tmp_path / "out", tmp_path / "events.jsonl", "token")
    assert command[1:4] == ["-m", "ae_core", "train"] and command[-1] == "--json"
    parsed = parse_arguments(command[3:-1])
    assert setting_values(parsed) == request.settings()
    assert parsed.reservation == "token" and (parsed.out, parsed.events) == (tmp_path / "out", tmp_path / "events.jsonl")
    assert parsed.parent_pid == os.getpid()  # the child stops by itself if this server dies
    model_config, train_config = config.split(setting_values(parsed))
    assert model_config == request.model_config() and train_config == request.train_config()
    assert train_config.schedule == "cosine" and model_config.variational and train_config.train_fraction == 0.25


def test_a_request_has_one_field_per_setting_with_the_settings_default():
    fields = {field.name: field.default for field in dataclasses.fields(TrainingRequest)}
    assert fields.pop("name") is dataclasses.MISSING
    assert fields == config.defaults()
    assert [setting.name for setting in config.SETTINGS] == list(fields)


# --- How a training ends, plainly and without server paths ----------------------------------------------------------

ABSOLUTE_PATH = re.compile(r"(^|[\s'\"(=:])/\w")


def assert_no_server_path(status, tmp_path):
    shown = repr(status.end) + repr(status.result)
    assert str(tmp_path) not in shown and str(PROJECT) not in shown and not ABSOLUTE_PATH.search(shown), shown


@pytest.mark.parametrize("name,reason", [
    ("exit-model", jobs.EndReason("exit_code", {"code": 3})),
    ("nofile-model", jobs.EndReason("error", {"message": "FileNotFoundError: [Errno 2] No such file or directory: "
                                                         "'weights.h5'"})),
])
def test_an_exit_code_or_a_real_error_is_said_plainly_without_server_paths(make_manager, tmp_path, name, reason):
    manager = make_manager()
    status = wait_for(manager, manager.submit(TrainingRequest(name)), lambda s: s.finished)
    assert status.state == jobs.FAILED and status.end == reason
    assert_no_server_path(status, tmp_path)
    assert name not in manager.taken_names() and not (tmp_path / "trained" / name).exists()


@pytest.mark.parametrize("error_kind", ["missing", "corrupt"])
def test_the_childs_dataset_error_reaches_the_page_as_a_code_without_its_server_paths(
        make_manager, tmp_path, monkeypatch, error_kind):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data_module, "DEBIAN_DIR", tmp_path / "no-debian")
    if error_kind == "corrupt":
        (tmp_path / "data").mkdir()
        for name in data_module.FILES:
            (tmp_path / "data" / name).write_bytes(b"\x1f\x8b\x08 truncated")
    monkeypatch.setenv(data_module.DATA_DIR_ENV, str(tmp_path / "data"))
    with pytest.raises(data_module.DatasetError) as failed:
        data_module.load_fashion_mnist(allow_download=False)
    assert str(tmp_path) in str(failed.value)  # the terminal's message names the folders...
    monkeypatch.setenv("FAKE_ERROR_EVENT", json.dumps({"type": "error", "message": str(failed.value),
                                                       "code": failed.value.code}))
    manager = make_manager()
    status = wait_for(manager, manager.submit(TrainingRequest("dataset-model")), lambda s: s.finished)
    assert status.end == jobs.EndReason(f"dataset_{error_kind}")  # ...the page gets only the code
    assert_no_server_path(status, tmp_path)
    for language in LANGUAGES:
        assert translate(f"models.end.{status.end.code}", language, **status.end.values)


@pytest.mark.parametrize("text,expected", [
    ("FileNotFoundError: [Errno 2] No such file or directory: '/usr/share/datasets/fashion-mnist/x.gz'",
     "FileNotFoundError: [Errno 2] No such file or directory: 'x.gz'"),
    ('File "/work/main/ae_core/store.py", line 12, in save_model', 'File "store.py", line 12, in save_model'),
    ("ValueError: File not found: filepath=/tmp/ae-lab-jobs-1/job-3/model.keras. Please ensure",
     "ValueError: File not found: filepath=model.keras. Please ensure"),
    ("PermissionError: [Errno 13] Permission denied: '/home/teacher/trained/x/.saving-1.keras'",
     "PermissionError: [Errno 13] Permission denied: '.saving-1.keras'"),
    ("val MSE 0.5/0.25 in 3/4 of the epochs", "val MSE 0.5/0.25 in 3/4 of the epochs"),  # no path: unchanged
])
def test_paths_are_cut_from_a_childs_error_line(text, expected):
    assert job_status._without_paths(text) == expected


def test_a_real_dataset_error_message_loses_every_server_path(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras home"))
    monkeypatch.setenv(data_module.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setattr(data_module, "DEBIAN_DIR", tmp_path / "no-debian")
    with pytest.raises(data_module.DatasetNotFoundError) as failed:
        data_module.load_fashion_mnist(allow_download=False)
    cleaned = job_status._without_paths(str(failed.value))
    assert str(tmp_path) not in cleaned and not ABSOLUTE_PATH.search(cleaned.replace("/folder/with", "")), cleaned


# --- The orphan policy: server shutdown, a server killed, a child killed ---------------------------------------------

def test_closing_the_manager_stops_running_children_who_keep_what_they_learnt_and_cancels_the_queue(make_manager):
    manager = make_manager()
    running = manager.submit(TrainingRequest("slow-at-shutdown", epochs=5))
    queued = manager.submit(TrainingRequest("slow-queued", epochs=5))
    wait_for(manager, running, lambda s: len(s.val_loss_history) == 1)
    started = time.monotonic()
    manager.close(timeout=10)
    assert time.monotonic() - started < 5  # the child stopped on SIGTERM; nobody waited for a timeout
    status = manager.status(running)
    assert status.state == jobs.STOPPED and status.end == jobs.EndReason("stopped", {"saved": True}) and status.saved
    assert manager.status(queued).end == jobs.EndReason("cancelled")
    assert "slow-queued" not in manager.taken_names()
    with pytest.raises(RuntimeError):
        manager.submit(TrainingRequest("ok-too-late"))


def test_closing_the_manager_kills_a_child_that_ignores_sigterm_and_frees_its_name(make_manager, tmp_path):
    manager = make_manager()
    job_id = manager.submit(TrainingRequest("stubborn-model", epochs=5))
    wait_for(manager, job_id, lambda s: s.state == jobs.RUNNING)
    time.sleep(0.5)  # it has set its handler
    manager.close(timeout=1)
    status = manager.status(job_id)
    assert status.state == jobs.FAILED and status.end == jobs.EndReason("signal", {"number": 9, "name": "SIGKILL"})
    assert "stubborn-model" not in manager.taken_names() and not (tmp_path / "trained" / "stubborn-model").exists()


REAL_RUN = {"latent_dim": 8, "batch_size": 1024, "epochs": 30}  # about a second an epoch: time to act mid-run


def child_pid(folder: Path, timeout: float = 120.0) -> int:
    """The training child's process id, from its reservation: the child takes the reservation over at its start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            reservation = json.loads((folder / store.RESERVATION_FILE).read_text())
            if reservation["pid"] != os.getpid():
                return reservation["pid"]
        time.sleep(0.05)
    raise AssertionError("the child never claimed its reservation")


@pytest.mark.slow
def test_a_real_training_killed_by_sigkill_ends_with_signal_9_and_frees_its_name(tmp_path):
    manager = jobs.TrainingJobManager(output_root=lambda: tmp_path / "trained", poll_seconds=0.05)
    try:
        job_id = manager.submit(TrainingRequest("real-killed", **REAL_RUN))
        folder = tmp_path / "trained" / "real-killed"
        pid = child_pid(folder)
        wait_for(manager, job_id, lambda s: s.batch > 0, timeout=180)  # TensorFlow's start-up is over: it trains
        os.kill(pid, signal.SIGKILL)
        status = wait_for(manager, job_id, lambda s: s.finished)
    finally:
        manager.close()
    assert status.state == jobs.FAILED
    assert status.end == jobs.EndReason("signal", {"number": 9, "name": "SIGKILL"})  # not TensorFlow's log lines
    assert not folder.exists() and "real-killed" not in store.scan().taken_names


# A server process: reserves a name and starts a real training through the app's own runner, then waits to be killed.
SERVER = """
import sys, time
from pathlib import Path
from ae_core import store
from ae_core.training.runners import LocalRunner, cli_command
from ae_core.training.request import TrainingRequest

request = TrainingRequest("orphan", latent_dim=8, batch_size=1024, epochs=30)
work_dir = Path(sys.argv[1])
folder, token = store.reserve_name(request.name)
LocalRunner().start(cli_command(request, folder, work_dir / "events.jsonl", token), work_dir)
print("started", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_a_training_whose_server_was_killed_stops_and_keeps_what_it_learnt(tmp_path):
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(tmp_path)], cwd=PROJECT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert server.stdout.readline().strip() == "started"
        events = tmp_path / "events.jsonl"
        deadline = time.monotonic() + 180
        while not any(event.type == "epoch" for event in read_events(events)[0]):
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.1)
    finally:
        server.kill()  # no atexit, no close(): as a crash or kill -9 would leave it
        server.wait()
        server.stdout.close()
    deadline = time.monotonic() + 60
    while not (done := [event for event in read_events(events)[0] if event.type == "done"]):
        assert time.monotonic() < deadline, "the orphaned training did not stop"
        time.sleep(0.1)
    summary = done[0].values
    assert summary["stopped_early"] and 1 <= summary["epochs_completed"] < 30 and summary.get("path")
    saved = store.find_model("orphan")
    assert saved.epochs_completed == summary["epochs_completed"] and not saved.shipped
    assert not (tmp_path / "trained" / "orphan" / store.RESERVATION_FILE).exists()
