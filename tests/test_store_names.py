"""One name, one model: processes racing for a name (reserve_name, the CLI, two servers' job managers) get exactly
one winner; a shipped model's name is refused; a reservation outlives its parent only while its process lives."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ae_core import store
from ae_core.store import folders

PROJECT = Path(__file__).resolve().parent.parent
RACERS = 6

# Says it is ready, reserves argv[1] when told to go (its rivals at the same moment) and prints the outcome; exits
# (abandoning a reservation it won) only once told that every rival has acted.
RESERVE = """
import sys
from ae_core import store
print("ready", flush=True)
sys.stdin.readline()
try:
    folder, token = store.reserve_name(sys.argv[1])
    print("ok", flush=True)
except store.ModelStoreError as error:
    print(error.code, flush=True)
sys.stdin.read()
"""

# A server: a job manager whose trainings are a child that sleeps (longer than the test). Submits argv[1] when told to
# go, and closes once every rival has acted: before that, a training that ended would free the name for a late rival.
SERVER = """
import sys, time
from ae_core.training.job_manager import TrainingJobManager
from ae_core.training.request import InvalidRequestError, TrainingRequest

manager = TrainingJobManager(command=lambda request, out, events, token: [sys.executable, "-c", "import time; time.sleep(120)"])
print("ready", flush=True)
sys.stdin.readline()
try:
    manager.submit(TrainingRequest(sys.argv[1]))
    print("accepted", flush=True)
except InvalidRequestError as error:
    print(",".join(problem.code for problem in error.problems), flush=True)
sys.stdin.read()
manager.close(timeout=5)
"""


def run_together(script: str, name: str, count: int, tmp_path: Path) -> list[str]:
    """`count` processes running `script` that act at the same moment, once all are ready, and end only once all have
    acted (however late a loaded machine makes one of them); what each printed."""
    logs = [(tmp_path / f"racer-{number}.log").open("w+") for number in range(count)]
    processes = [subprocess.Popen([sys.executable, "-c", script, name], cwd=PROJECT, text=True, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=log) for log in logs]
    try:
        for process, log in zip(processes, logs, strict=True):
            assert process.stdout.readline().strip() == "ready", log.seek(0) or log.read()[-2000:]
        for process in processes:  # go
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = [process.stdout.readline().strip() for process in processes]
        for process in processes:  # every one has acted: they may end
            process.stdin.close()
        for process, log in zip(processes, logs, strict=True):
            assert process.wait(timeout=120) == 0, log.seek(0) or log.read()[-2000:]
    finally:
        for process in processes:
            process.kill()
        for log in logs:
            log.close()
    return outcomes


def dead_pid() -> int:
    """The id of a process that has ended and been reaped."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_reservation(folder: Path, **values) -> None:
    folder.mkdir(parents=True)
    reservation = {"token": "feedface", "pid": os.getpid(), "host": socket.gethostname(), "boot": folders.BOOT_ID,
                   "created": time.time(), **values}
    (folder / store.RESERVATION_FILE).write_text(json.dumps(reservation))


@pytest.mark.parametrize("round_number", range(2))
def test_processes_reserving_one_name_at_once_get_exactly_one_winner(private_trained_dir, round_number, tmp_path):
    outcomes = run_together(RESERVE, f"contested-{round_number}", RACERS, tmp_path)
    assert sorted(outcomes) == ["ok"] + ["taken"] * (RACERS - 1)
    # The winner has exited without saving: its reservation was abandoned, and a listing frees the name.
    assert f"contested-{round_number}" not in store.scan().taken_names
    assert not (private_trained_dir / f"contested-{round_number}").exists()


def test_two_servers_sharing_the_trained_folder_cannot_both_accept_a_name(private_trained_dir, tmp_path):
    outcomes = run_together(SERVER, "shared-name", 2, tmp_path)
    assert sorted(outcomes) == ["accepted", "taken"]


def test_two_job_managers_in_one_process_cannot_both_accept_a_name(private_trained_dir):
    from ae_core.training.job_manager import TrainingJobManager
    from ae_core.training.request import InvalidRequestError, TrainingRequest

    def sleeper(request, out, events, token):
        return [sys.executable, "-c", "import time; time.sleep(120)"]  # outlives the test

    managers = [TrainingJobManager(command=sleeper, poll_seconds=0.05) for _ in range(2)]
    try:
        managers[0].submit(TrainingRequest("one-name"))
        with pytest.raises(InvalidRequestError) as refused:
            managers[1].submit(TrainingRequest("one-name"))
        assert [(problem.field, problem.code) for problem in refused.value.problems] == [("name", "taken")]
    finally:
        for manager in managers:
            manager.close(timeout=5)
    assert not (private_trained_dir / "one-name").exists()  # closing released it: nothing was saved


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ae_core", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize("out", ["trained/dense-64", "{trained}/dense-64", "{trained}/conv-64"])
@pytest.mark.parametrize("replace", [False, True])
def test_the_cli_refuses_a_shipped_models_name(private_trained_dir, out, replace):
    out = out.format(trained=private_trained_dir)
    completed = run_cli("train", "--epochs", "1", "--out", out, "--json", *(["--replace"] if replace else []))
    assert completed.returncode == 2, completed.stderr[-2000:]
    message = json.loads(completed.stdout)["error"]
    assert f"named {Path(out).name!r} exists in models/" in message and "unique" in message
    assert not (private_trained_dir / Path(out).name).exists()
    assert not (PROJECT / "trained" / "dense-64").exists()


def test_two_clis_training_into_one_name_at_once_get_one_winner(private_trained_dir):
    out = str(private_trained_dir / "cli-race")
    command = [sys.executable, "-m", "ae_core", "train", "--epochs", "1", "--batch-size", "1024", "--latent-dim", "8",
               "--out", out, "--json"]
    racers = [subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while not any(racer.poll() is not None for racer in racers):  # the loser is refused before TensorFlow loads
            assert time.monotonic() < deadline
            time.sleep(0.05)
        loser = next(racer for racer in racers if racer.poll() is not None)
        winner = next(racer for racer in racers if racer is not loser)
        assert loser.returncode == 2
        assert "'cli-race' already exists" in json.loads(loser.stdout.read())["error"]
        assert winner.poll() is None and "cli-race" in store.scan().reserved
    finally:
        for racer in racers:
            racer.kill()
            racer.wait()
            racer.stdout.close()
            racer.stderr.close()
    # The winner was killed before it saved: its reservation is abandoned, and the next listing frees the name.
    assert "cli-race" not in store.scan().taken_names and not Path(out).exists()


def test_a_reservation_whose_process_died_is_removed_and_its_name_is_free(private_trained_dir):
    write_reservation(private_trained_dir / "abandoned", pid=dead_pid())
    (private_trained_dir / "abandoned" / f"{store.TEMPORARY_PREFIX}x.keras").write_bytes(b"half a model")
    write_reservation(private_trained_dir / "rebooted", boot="an-earlier-boot", pid=os.getpid())
    write_reservation(private_trained_dir / "garbled")
    (private_trained_dir / "garbled" / store.RESERVATION_FILE).write_text("{not json")
    assert not {"abandoned", "rebooted", "garbled"} & store.scan().taken_names
    assert sorted(os.listdir(private_trained_dir)) == []
    folder, _ = store.reserve_name("abandoned")
    assert folder == private_trained_dir / "abandoned"


def test_live_and_foreign_reservations_are_kept(private_trained_dir):
    write_reservation(private_trained_dir / "mine")  # this process
    write_reservation(private_trained_dir / "other-machine", host="another-host", pid=dead_pid())
    assert {"mine", "other-machine"} <= set(store.scan().reserved)
    with pytest.raises(store.ModelStoreError) as refused:
        store.reserve_name("mine")
    assert refused.value.code == "taken"


def test_a_childs_claim_takes_the_reservation_over_so_it_outlives_the_parent(private_trained_dir):
    folder, token = store.reserve_name("handed-over")
    claim = ("import os, sys, pathlib; from ae_core import store; "
             "print(store.claim_folder(pathlib.Path(sys.argv[1]), token=sys.argv[2]), os.getpid())")
    completed = subprocess.run([sys.executable, "-c", claim, str(folder), token], cwd=PROJECT, capture_output=True,
                               text=True, timeout=60, check=True)
    claimed, child_pid = completed.stdout.split()
    assert claimed == token
    reservation = json.loads((folder / store.RESERVATION_FILE).read_text())
    assert (reservation["token"], reservation["pid"]) == (token, int(child_pid))
    # The child has ended without saving: the reservation is abandoned now, whoever made it first.
    assert "handed-over" not in store.scan().taken_names and not folder.exists()


def test_a_wrong_token_claims_nothing(private_trained_dir):
    folder, _ = store.reserve_name("guarded")
    with pytest.raises(store.ModelStoreError) as refused:
        store.claim_folder(folder, token="not-the-token")
    assert refused.value.code == "taken"


def test_releasing_a_reservation_keeps_a_model_committed_under_it(private_trained_dir):
    import keras

    from ae_core.config import ModelConfig
    from ae_core.models import build_autoencoder

    folder, token = store.reserve_name("committed")
    keras.utils.set_random_seed(0)
    path = store.save_model(build_autoencoder(ModelConfig("dense", 8)),
                            {"model_config": {"arch": "dense", "latent_dim": 8}, "val_mse": 0.1}, folder)
    # As if the saver was killed between its commit and the removal of the reservation.
    folders.write_reservation(folder, token)
    store.release_name(folder, token)
    assert sorted(os.listdir(folder)) == sorted(["metadata.json", path.name])
    assert "committed" in {model.name for model in store.scan().models}


def test_a_stale_reservation_beside_a_committed_model_is_removed_by_a_listing(private_trained_dir):
    import keras

    from ae_core.config import ModelConfig
    from ae_core.models import build_autoencoder

    folder = private_trained_dir / "left-over"
    keras.utils.set_random_seed(0)
    path = store.save_model(build_autoencoder(ModelConfig("dense", 8)),
                            {"model_config": {"arch": "dense", "latent_dim": 8}, "val_mse": 0.1}, folder)
    (folder / store.RESERVATION_FILE).write_text(json.dumps({"token": "t", "pid": dead_pid(), "boot": folders.BOOT_ID,
                                                             "host": socket.gethostname()}))
    assert "left-over" in {model.name for model in store.scan().models}
    assert sorted(os.listdir(folder)) == sorted(["metadata.json", path.name])
