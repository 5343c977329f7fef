"""The training job manager, driven with a fake trainer (a tiny Python script) so that every test takes well under a second."""

import json
import sys
import time

import pytest

from ae_core import i18n, jobs, store

# Behaves like `python -m ae_core train --events FILE --json` with two batches an epoch. Its mode comes from the
# request's name: "ok-*" trains, "noisy-*" too after three malformed event lines, "slow-*" finishes epoch 1 and then
# waits for SIGTERM, "fail-*" refuses its input like the CLI (a JSON error and exit code 2), "crash-*" dies with a
# message on stderr.
FAKE_TRAINER = """
import json, signal, sys, time

events_path, out_dir, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
mode = out_dir.rsplit("/", 1)[-1].split("-")[0]
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(True))

def write(event):
    with open(events_path, "a") as file:
        file.write(json.dumps(event) + "\\n")

if mode == "fail":
    print(json.dumps({"error": "latent_dim must be between 2 and 256, got 1."}))
    sys.exit(2)
if mode == "crash":
    sys.exit("Traceback: something broke")
if mode == "noisy":
    with open(events_path, "a") as file:
        file.write("not json\\n" + json.dumps({"type": "batch"}) + "\\n" + json.dumps([1, 2]) + "\\n")
write({"type": "start", "epochs": epochs, "elapsed": 0.0})
completed = 0
for epoch in range(1, epochs + 1):
    deadline = time.monotonic() + 20
    while mode == "slow" and epoch > 1 and not stop and time.monotonic() < deadline:
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

    def fake_command(request, out_dir, events_path):
        return [sys.executable, str(trainer), str(events_path), str(out_dir), str(request.epochs)]

    managers = []

    def make(max_concurrent=1):
        manager = jobs.TrainingJobManager(max_concurrent, command=fake_command,
                                          output_root=lambda: tmp_path / "trained", poll_seconds=0.05)
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
    job_id = manager.submit(jobs.TrainingRequest("ok-model", epochs=3))
    status = wait_for(manager, job_id, lambda s: s.finished)
    assert status.state == jobs.DONE and status.error is None
    assert status.loss_history == pytest.approx((0.1, 0.05, 0.1 / 3))
    assert status.val_loss_history == pytest.approx((0.2, 0.1, 0.2 / 3))
    assert (status.epoch, status.batch, status.batches) == (3, 2, 2)
    assert status.fraction == 1.0 and status.saved
    assert status.result["path"] == str(tmp_path / "trained" / "ok-model")
    assert status.started and status.elapsed_seconds > 0 and status.queue_position is None


def test_malformed_event_lines_are_skipped(make_manager):
    manager = make_manager()
    status = wait_for(manager, manager.submit(jobs.TrainingRequest("noisy-model", epochs=2)), lambda s: s.finished)
    assert status.state == jobs.DONE and len(status.val_loss_history) == 2


def test_the_cap_holds_and_queue_positions_follow_submission_order(make_manager):
    manager = make_manager(max_concurrent=1)
    first, second, third = (manager.submit(jobs.TrainingRequest(f"slow-{n}", epochs=3)) for n in range(3))
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
    job_ids = [manager.submit(jobs.TrainingRequest(f"slow-{n}", epochs=3)) for n in range(3)]
    for job_id in job_ids[:2]:
        wait_for(manager, job_id, lambda s: s.state == jobs.RUNNING)
    assert manager.counts() == (2, 1) and manager.status(job_ids[2]).queue_position == 1


def test_stopping_a_queued_job_removes_it_from_the_queue_without_starting_it(make_manager):
    manager = make_manager()
    running = manager.submit(jobs.TrainingRequest("slow-a", epochs=3))
    queued = manager.submit(jobs.TrainingRequest("slow-b", epochs=3))
    later = manager.submit(jobs.TrainingRequest("slow-c", epochs=3))
    manager.stop(queued)
    status = manager.status(queued)
    assert status.state == jobs.STOPPED and not status.started and status.queue_position is None
    assert manager.status(later).queue_position == 1
    assert manager.status(running).state in (jobs.QUEUED, jobs.RUNNING)
    assert "slow-b" not in manager.taken_names()  # a cancelled name is free again


def test_stopping_a_running_job_sends_sigterm_and_keeps_what_was_learnt(make_manager):
    manager = make_manager()
    job_id = manager.submit(jobs.TrainingRequest("slow-model", epochs=5))
    running = wait_for(manager, job_id, lambda s: len(s.val_loss_history) == 1)  # epoch 1 done, now waiting in epoch 2
    assert running.state == jobs.RUNNING and running.fraction == pytest.approx(0.2)
    assert running.remaining_seconds > 0
    manager.stop(job_id)
    assert manager.status(job_id).stop_requested
    status = wait_for(manager, job_id, lambda s: s.finished, timeout=5)
    assert status.state == jobs.STOPPED
    assert status.result["stopped_early"] and status.result["epochs_completed"] == 1 and status.saved


def test_a_refused_request_reports_the_childs_json_error(make_manager):
    manager = make_manager()
    job_id = manager.submit(jobs.TrainingRequest("fail-model"))
    status = wait_for(manager, job_id, lambda s: s.finished)
    assert status.state == jobs.FAILED
    assert status.error == "latent_dim must be between 2 and 256, got 1."


def test_a_crashed_child_reports_its_stderr(make_manager):
    manager = make_manager()
    status = wait_for(manager, manager.submit(jobs.TrainingRequest("crash-model")), lambda s: s.finished)
    assert status.state == jobs.FAILED and "something broke" in status.error


def test_a_failed_job_frees_its_slot_for_the_next(make_manager):
    manager = make_manager()
    manager.submit(jobs.TrainingRequest("fail-model"))
    after = manager.submit(jobs.TrainingRequest("ok-after", epochs=1))
    assert wait_for(manager, after, lambda s: s.finished).state == jobs.DONE


def test_bad_requests_are_refused_with_problems_and_start_nothing(make_manager):
    manager = make_manager()
    with pytest.raises(jobs.InvalidRequestError) as refused:
        manager.submit(jobs.TrainingRequest("bad name!", latent_dim=1, epochs=0))
    keys = [problem.key for problem in refused.value.problems]
    assert keys == ["models.error.bad_name", "models.error.latent_dim", "models.error.epochs"]
    assert manager.counts() == (0, 0)


def test_a_name_in_use_by_a_stored_model_or_an_unfinished_job_is_refused(make_manager):
    manager = make_manager()
    for taken in ("dense-64", "slow-taken"):
        if taken == "slow-taken":
            manager.submit(jobs.TrainingRequest(taken, epochs=3))
        with pytest.raises(jobs.InvalidRequestError) as refused:
            manager.submit(jobs.TrainingRequest(taken))
        assert [problem.key for problem in refused.value.problems] == ["models.error.name_taken"]


@pytest.mark.parametrize("request_values", [
    {"name": ".hidden"}, {"name": ""}, {"name": "x" * 65}, {"arch": "vae"}, {"latent_dim": 257},
    {"epochs": 101}, {"batch_size": 8}, {"learning_rate": 0.5}, {"seed": -1},
])
def test_every_problem_has_a_message_in_both_languages(request_values):
    request = jobs.TrainingRequest(**{"name": "fine", **request_values})
    problems = jobs.request_problems(request, taken_names=())
    assert len(problems) == 1
    for language in i18n.LANGUAGES:
        assert str(problems[0].values.get("name", problems[0].values.get("value", ""))) in i18n.t(
            problems[0].key, language, **problems[0].values)


def test_the_forms_defaults_are_a_valid_request():
    assert jobs.request_problems(jobs.TrainingRequest("fine"), taken_names={"other"}) == []


def test_free_name_skips_taken_names():
    assert jobs.free_name("dense-64", {"dense-64", "dense-64-1"}) == "dense-64-2"


def test_the_cap_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(jobs.MAX_TRAININGS_ENV, "3")
    assert jobs.max_trainings_from_env() == 3
    monkeypatch.setenv(jobs.MAX_TRAININGS_ENV, "lots")
    assert jobs.max_trainings_from_env() == 1
    monkeypatch.delenv(jobs.MAX_TRAININGS_ENV)
    assert jobs.max_trainings_from_env() == 1


def test_remaining_time_is_extrapolated_from_the_pace_so_far():
    assert jobs.estimate_remaining(30.0, 0.25) == pytest.approx(90.0)
    assert jobs.estimate_remaining(10.0, 0.5, fraction_before=0.25) == pytest.approx(20.0)  # pace since epoch 1
    assert jobs.estimate_remaining(5.0, 0.0) is None and jobs.estimate_remaining(5.0, 0.2, 0.2) is None
    assert [jobs.format_duration(s) for s in (None, 7.4, 754, 3723)] == ["–", "0:07", "12:34", "1:02:03"]


def test_the_model_table_has_one_row_per_stored_model_with_its_metrics():
    models = store.list_models()
    rows = jobs.model_table(models, "dense-64", lambda key: i18n.t(key, "ko"))
    by_name = {row["name"]: row for row in rows}
    dense = by_name["dense-64"]
    assert dense["active"] and not any(row["active"] for row in rows if row["name"] != "dense-64")
    assert dense["arch"] == "Dense (강의 모델)" and dense["latent_dim"] == 64 and dense["epochs"] == 10
    metadata = json.loads((store.shipped_dir() / "dense-64" / "metadata.json").read_text())
    assert dense["val_mse"] == metadata["val_mse"] and dense["training_seconds"] == metadata["training_seconds"]
    assert dense["origin"] == "기본 제공" and dense["created"].endswith("UTC")


def test_the_child_command_carries_every_setting_to_the_cli(tmp_path):
    request = jobs.TrainingRequest("cosine-model", "conv", 16, 30, 64, 2e-3, 7, schedule="cosine")
    command = jobs.cli_command(request, tmp_path / "out", tmp_path / "events.jsonl")
    options = dict(zip(command[4::2], command[5::2], strict=False))
    assert command[1:4] == ["-m", "ae_core", "train"]
    assert options == {"--arch": "conv", "--latent-dim": "16", "--epochs": "30", "--batch-size": "64",
                       "--learning-rate": "0.002", "--schedule": "cosine", "--seed": "7",
                       "--out": str(tmp_path / "out"), "--events": str(tmp_path / "events.jsonl")}
    assert command[-1] == "--json"
    assert request.train_config().schedule == "cosine"
