"""Trainings on a Ray cluster: a real local Ray head, started here, trains a model that then appears in the app's list.

The head runs on the loopback address only (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0: Ray's single-machine mode, which
never binds or dials the machine's network address), with its ports in 8700-8799 and its own temporary folder, in
its own process group, which the fixture ends. The job manager is the app's own (TrainingJobManager), choosing the
RayRunner from AE_LAB_RAY_ADDRESS as the server does.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from ae_core import store
from ae_core.training import runners
from ae_core.training.job_manager import TrainingJobManager
from ae_core.training.job_status import DONE, FINISHED, STOPPED
from ae_core.training.request import TrainingRequest

RAY = Path(sys.executable).with_name("ray")
HEAD_START_SECONDS = 180  # ~25 s here on a busy machine
TRAINING_SECONDS = 600
PORT_RANGE = range(8700, 8800)


def test_ray_address_selects_the_ray_runner(monkeypatch):
    monkeypatch.delenv(runners.RAY_ADDRESS_ENV, raising=False)
    assert isinstance(runners.default_runner(), runners.LocalRunner)
    monkeypatch.setenv(runners.RAY_ADDRESS_ENV, "http://head.example:8265")
    runner = runners.default_runner()
    assert isinstance(runner, runners.RayRunner)
    assert runner.address == "http://head.example:8265"


def test_ray_entrypoint_is_the_cli_command_without_the_server_pid(tmp_path):
    request = TrainingRequest("my-model", epochs=3)
    command = runners.cli_command(request, tmp_path / "my-model", tmp_path / "events.jsonl", "token-1")
    entrypoint = runners.RayRunner("http://127.0.0.1:1", niceness=7).entrypoint(command)
    assert "--parent-pid" not in entrypoint  # a Ray job's parent is Ray's supervisor: the CLI would stop at once
    assert f"exec nice -n 7 {sys.executable} -m ae_core train" in entrypoint
    assert "--epochs 3" in entrypoint and "--reservation token-1" in entrypoint
    assert entrypoint.startswith(f"cd {runners.PROJECT_ROOT} && ")


def test_an_unreachable_cluster_fails_the_job_plainly(tmp_path):
    runner = runners.RayRunner(f"http://127.0.0.1:{_free_ports(1)[0]}")  # nothing listens there
    manager = TrainingJobManager(runner=runner, output_root=lambda: tmp_path / "trained")
    try:
        job_id = manager.submit(TrainingRequest("nowhere", epochs=1))
        status = manager.status(job_id)
        assert status.state == "failed" and status.end.code == "could_not_start"
        assert "nowhere" not in store.taken_names()  # the reserved name was given back
    finally:
        manager.close()


class BlockedCluster:
    """A Ray job client whose status answers wait until the test releases them (a cluster across a slow network); a
    stopped job then reads as STOPPED."""

    def __init__(self):
        self.asking, self.release = threading.Event(), threading.Event()
        self.stopped: list[str] = []

    def submit_job(self, **_):
        return "raysubmit_far"

    def get_job_info(self, submission_id):
        self.asking.set()
        self.release.wait()
        return SimpleNamespace(status="STOPPED" if self.stopped else "RUNNING", driver_exit_code=None)

    def stop_job(self, submission_id):
        self.stopped.append(submission_id)

    def get_job_logs(self, submission_id):
        return ""


def test_a_slow_cluster_never_stalls_a_page_asking_for_its_job(tmp_path):
    cluster = BlockedCluster()
    runner = runners.RayRunner("http://far.example:8265")
    runner._client = cluster
    manager = TrainingJobManager(runner=runner, output_root=lambda: tmp_path / "trained", poll_seconds=0.05)
    try:
        job_id = manager.submit(TrainingRequest("far-away", epochs=1))
        assert cluster.asking.wait(30), "the watcher asked the cluster how the job is"
        answers = []
        page = threading.Thread(target=lambda: answers.append((manager.status(job_id).state, manager.stop(job_id),
                                                               manager.counts())))
        page.start()
        page.join(30)
        # The page had its answers while the cluster's was still outstanding: nothing waited for it.
        assert answers == [("running", None, (1, 0))] and not cluster.release.is_set()
        assert cluster.stopped == []  # Stop goes to the cluster from the watcher, outside the lock, too
    finally:
        cluster.release.set()
        manager.close(timeout=30)
    assert cluster.stopped == ["raysubmit_far"] and manager.status(job_id).finished


def _free_ports(count: int) -> list[int]:
    ports = []
    for port in PORT_RANGE:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free ports in {PORT_RANGE}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def ray_head():
    """A one-node Ray cluster with its job API, on 127.0.0.1: yields the job API's address."""
    gcs_port, dashboard_port, client_port, agent_port = _free_ports(4)
    # A short folder: Ray's socket paths must stay under 107 characters.
    temp_dir = tempfile.mkdtemp(prefix="ray-", dir="/tmp")
    log = open(Path(temp_dir) / "head.log", "wb")  # noqa: SIM115 - closed at teardown
    environment = {**os.environ, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}
    head = subprocess.Popen(
        [str(RAY), "start", "--head", "--block", "--port", str(gcs_port), "--dashboard-port", str(dashboard_port),
         "--dashboard-host", "127.0.0.1", "--include-dashboard", "true", "--ray-client-server-port", str(client_port),
         "--dashboard-agent-listen-port", str(agent_port), "--num-cpus", "2", "--object-store-memory", str(80 << 20),
         "--disable-usage-stats", "--temp-dir", temp_dir],
        env=environment, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    address = f"http://127.0.0.1:{dashboard_port}"
    try:
        deadline = time.monotonic() + HEAD_START_SECONDS
        while not _answers(f"{address}/api/version"):
            if head.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Ray head did not start:\n{(Path(temp_dir) / 'head.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield address
    finally:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):  # the head's whole process group, ours only
            with contextlib.suppress(ProcessLookupError):
                os.killpg(head.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                head.wait(wait)
                break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(head.pid, signal.SIGKILL)  # the head's children may outlive it by a moment
        log.close()
        subprocess.run(["rm", "-rf", temp_dir], check=False)


def _wait_until_finished(manager: TrainingJobManager, job_id: str, stop_after_epoch: int | None = None):
    deadline = time.monotonic() + TRAINING_SECONDS
    seen_running = False
    while time.monotonic() < deadline:
        status = manager.status(job_id)
        seen_running |= status.state == "running"
        if stop_after_epoch is not None and status.epoch >= stop_after_epoch and not status.stop_requested:
            manager.stop(job_id)
        if status.state in FINISHED:
            return status, seen_running
        time.sleep(0.5)
    pytest.fail(f"the Ray job did not finish within {TRAINING_SECONDS} s: {manager.status(job_id)}")


@pytest.mark.cluster
@pytest.mark.slow
def test_a_training_on_ray_appears_in_the_models_list(ray_head, monkeypatch, private_trained_dir):
    monkeypatch.setenv(runners.RAY_ADDRESS_ENV, ray_head)
    manager = TrainingJobManager()  # as the app makes it: the runner comes from the environment
    try:
        assert isinstance(manager._runner, runners.RayRunner)
        job_id = manager.submit(TrainingRequest("on-ray", epochs=2, batch_size=256, learning_rate=3e-3))
        assert "on-ray" in store.taken_names()  # reserved in the shared store at once
        status, seen_running = _wait_until_finished(manager, job_id)
        assert status.state == DONE, status.end
        assert seen_running and status.epoch == 2 and len(status.val_loss_history) == 2  # progress came through
        listed = {model.name: model for model in store.list_models()}
        assert "on-ray" in listed
        assert listed["on-ray"].epochs_completed == 2
        assert listed["on-ray"].val_mse == pytest.approx(status.result["val_mse"])
        # The job ran on Ray, not as a child of this process: Ray knows it, with its entrypoint.
        from ray.job_submission import JobSubmissionClient

        jobs = JobSubmissionClient(ray_head).list_jobs()
        assert any("--out " + str(private_trained_dir / "on-ray") in job.entrypoint and job.status == "SUCCEEDED"
                   for job in jobs)
    finally:
        manager.close()
    # The shared work folders are cleaned up; the job's summary stays, for a tab that reconnects to another process.
    assert [path.name for path in (private_trained_dir / ".jobs").iterdir()] == ["ended"]


@pytest.mark.cluster
@pytest.mark.slow
def test_stop_on_ray_keeps_what_was_learnt(ray_head, monkeypatch):
    monkeypatch.setenv(runners.RAY_ADDRESS_ENV, ray_head)
    manager = TrainingJobManager()
    try:
        job_id = manager.submit(TrainingRequest("stopped-on-ray", epochs=30, batch_size=256, learning_rate=3e-3))
        status, _ = _wait_until_finished(manager, job_id, stop_after_epoch=2)  # epoch 2 running: one is complete
        assert status.state == STOPPED, status.end
        assert status.end.code == "stopped" and status.end.values == {"saved": True}
        listed = {model.name: model for model in store.list_models()}
        assert 1 <= listed["stopped-on-ray"].epochs_completed < 30
        assert status.result["stopped_early"] is True  # the CLI's own summary, through the events file
    finally:
        manager.close()
