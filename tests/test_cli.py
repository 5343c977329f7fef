import json
import os
import shutil
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


def test_code_writes_the_lecture_code_of_a_stored_model(tmp_path):
    from ae_core import store
    from ae_core.lecture_code import notebook_text, python_script

    # Korean by default, as the app: the lecture note is Korean.
    assert run_cli("code", "dense-64").stdout == python_script(store.find_model("dense-64"), "ko")
    completed = run_cli("code", "models/vae-2", "--notebook", "--lang", "en", "--out", str(tmp_path))
    written = tmp_path / "vae-2.ipynb"  # a folder gets the model's own file name
    assert completed.stdout.strip() == f"wrote {written}"
    assert written.read_text(encoding="utf-8") == notebook_text(store.find_model("vae-2"), "en")
    # A file that is there already is replaced whole, and nothing else is left beside it.
    mine = tmp_path / "mine.py"
    mine.write_text("print('my own')\n")
    run_cli("code", "conv-64", "--out", str(mine))
    assert mine.read_text(encoding="utf-8") == python_script(store.find_model("conv-64"), "ko")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.py", "vae-2.ipynb"]


def test_code_for_a_model_it_cannot_write_says_why_and_writes_nothing(tmp_path, private_trained_dir):
    # A trained model whose metadata holds a recipe no training could have had (edited by hand).
    folder = private_trained_dir / "hand-edited"
    shutil.copytree(PROJECT / "models" / "dense-64", folder)
    metadata = json.loads((folder / "metadata.json").read_text())
    metadata["train_config"]["epochs"] = 1000
    (folder / "metadata.json").write_text(json.dumps(metadata))
    folder_for_code = tmp_path / "code"
    folder_for_code.mkdir()
    out = folder_for_code / "code.py"
    for args, code, message in [(["hand-edited"], 2, "epochs must be between 1 and 100, got 1000"),
                                (["no-such-model"], 2, "No stored model 'no-such-model'"),
                                (["dense-64", "--lang", "fr"], 2, "invalid choice: 'fr'")]:
        completed = run_cli("code", *args, "--out", str(out), check=False)
        assert completed.returncode == code and message in completed.stderr, completed.stderr
    assert not out.exists()
    completed = run_cli("code", "dense-64", "--out", str(folder_for_code / "no-folder" / "code.py"), check=False)
    assert completed.returncode == 1 and "cannot write" in completed.stderr and "No such file" in completed.stderr
    assert list(folder_for_code.iterdir()) == []
