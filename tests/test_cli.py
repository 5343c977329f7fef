import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def run_cli(*args, check=True):
    completed = subprocess.run([sys.executable, "-m", "ae_core", *args], cwd=PROJECT, capture_output=True, check=False,
                               text=True, env={**os.environ}, timeout=600)
    if check:
        assert completed.returncode == 0, completed.stderr[-2000:]
    return completed


def test_train_evaluate_and_list_through_the_cli(private_trained_dir):
    events_file = private_trained_dir.parent / "events.jsonl"
    trained = json.loads(run_cli("train", "--arch", "dense", "--latent-dim", "16", "--epochs", "1",
                                 "--batch-size", "256", "--out", str(private_trained_dir / "cli-model"),
                                 "--events", str(events_file), "--json").stdout)
    assert trained["epochs_completed"] == 1 and 0 < trained["val_mse"] < 0.05

    events = [json.loads(line) for line in events_file.read_text().splitlines()]
    assert events[0]["type"] == "start" and events[-1]["type"] == "done"
    assert any(event["type"] == "epoch" and event["epoch"] == 1 for event in events)
    assert any(event["type"] == "batch" for event in events)

    evaluated = json.loads(run_cli("evaluate", "cli-model", "--json").stdout)
    assert evaluated["arch"] == "dense" and evaluated["latent_dim"] == 16
    assert evaluated["val_mse"] == pytest.approx(trained["val_mse"], rel=1e-3)

    listed = {row["name"]: row for row in json.loads(run_cli("list", "--json").stdout)}
    assert listed["cli-model"]["shipped"] is False and listed["dense-64"]["shipped"] is True


@pytest.mark.parametrize("args,message", [
    (["train", "--latent-dim", "1", "--out", "trained/x", "--json"], "latent_dim must be between 2 and 256"),
    (["train", "--arch", "gan", "--out", "trained/x", "--json"], "Unknown architecture"),
    (["train", "--out", "trained/bad name", "--json"], "Invalid model name"),
    (["evaluate", "/etc", "--json"], "Models load only from"),
    (["train", "--out", "trained/dense-64", "--json"], "named 'dense-64' exists in models/: names are unique"),
    (["evaluate", "../models/dense-64/../../etc", "--json"], "Models load only from"),
])
def test_bad_input_gives_a_json_error_and_exit_code_2(args, message):
    completed = run_cli(*args, check=False)
    assert completed.returncode == 2
    assert message in json.loads(completed.stdout)["error"]


@pytest.mark.slow
@pytest.mark.parametrize("name,threshold", [("dense-64", 0.0090), ("conv-64", 0.0060)])
def test_shipped_models_meet_their_targets(name, threshold):
    evaluated = json.loads(run_cli("evaluate", f"models/{name}", "--json").stdout)
    assert evaluated["latent_dim"] == 64
    assert evaluated["val_mse"] <= threshold
