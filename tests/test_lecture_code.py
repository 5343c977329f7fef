"""The lecture's Keras code for a stored model (ae_core/lecture_code.py): its model is the stored one layer for layer
(shapes, parameters, and the same reconstructions from the same weights), for every shipped model; its settings and
training images are the model's; it runs as a Jupyter notebook (nbclient, a kernel from ipykernel) and as a script,
and learns; metadata that no training could have written gets no code."""

import ast
import dataclasses
import math
import os
import re
import subprocess
import sys

import keras
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from ae_core import store
from ae_core.config import TrainConfig
from ae_core.lecture_code import (
    LectureCodeError,
    display_width,
    notebook,
    notebook_text,
    python_script,
    recipe_of,
    sections,
)
from ae_core.lecture_code_text import TEXTS
from ae_core.training.trainer import _training_images

SHIPPED = ("dense-64", "conv-64", "vae-2", "vae-conv-16", "dense-64-denoise", "dense-64-no-bag")
# The sections that build the model: settings, imports, data, model, compile.
UP_TO_THE_MODEL = 5
VAL_MSE_LINE = re.compile(r"^val MSE (\d+\.\d+) \(")
# A run that ends in a notebook's kernel or a script: TensorFlow's start alone takes up to half a minute here.
RUN_TIMEOUT_SECONDS = 600


def run_sections(stored, count: int, subset: int | None = 100) -> dict:
    """What the program's first `count` sections define, run in this process (its own namespace)."""
    namespace: dict = {}
    for section in sections(recipe_of(stored.name, stored), "en", subset=subset)[:count]:
        exec(compile(section.code, f"<{stored.name}: {section.heading}>", "exec"), namespace)
    return namespace


def with_recipe(name: str, **train_config) -> store.StoredModel:
    """A shipped model's record with another training recipe (what a model trained in the app would hold)."""
    stored = store.find_model(name)
    return dataclasses.replace(stored, train_config={**stored.train_config, **train_config})


def leaves(layer) -> list:
    """The layers that compute something, in order, through nested models (Sequential or Functional)."""
    if isinstance(layer, keras.layers.InputLayer):
        return []
    if hasattr(layer, "layers"):
        return [leaf for inner in layer.layers for leaf in leaves(inner)]
    return [layer]


def signature(layer) -> tuple:
    """A layer's kind, output shape, weight shapes and the settings that decide what it computes."""
    config = layer.get_config()
    settings = {key: str(config[key]) for key in ("activation", "strides", "padding", "kernel_size", "target_shape")
                if key in config}
    return (type(layer).__name__, tuple(layer.output.shape[1:]), [tuple(weight.shape) for weight in layer.weights],
            settings)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_codes_model_is_the_stored_model_layer_for_layer(name, fashion_mnist):
    stored = store.find_model(name)
    model = store.load_model(name).model
    generated = run_sections(stored, UP_TO_THE_MODEL)["autoEncoder"]
    images = fashion_mnist.x_test[:64]
    generated(images[:1])  # a subclassed model counts its parameters once it has been called
    assert [signature(layer) for layer in leaves(generated)] == [signature(layer) for layer in leaves(model)]
    assert generated.count_params() == model.count_params() > 0
    # The stored weights in the code's model give the stored model's reconstructions (a VAE's: of the mean): the
    # layers are the same ones, in the same order.
    for ours, theirs in zip(leaves(generated), leaves(model), strict=True):
        ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(np.asarray(generated(images)), np.asarray(model(images)), atol=1e-6)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_codes_settings_are_the_models_recipe(name):
    stored = store.find_model(name)
    settings = run_sections(stored, 1, subset=None)
    training = TrainConfig(**{key: value for key, value in stored.train_config.items() if key != "steps_per_call"})
    expected = {"latent_dim": stored.latent_dim, "epochs": training.epochs, "batch_size": training.batch_size,
                "learning_rate": training.learning_rate, "seed": training.seed, "subset": None}
    expected |= {"beta": stored.config.beta} if stored.config.variational else {}
    expected |= {"noise_std": training.noise_std} if training.noise_std else {}
    expected |= {"exclude_class": training.exclude_class} if training.exclude_class is not None else {}
    assert {key: value for key, value in settings.items() if not key.startswith("__")} == expected
    compiled = sections(recipe_of(name, stored))[4].code
    assert ("CosineDecay" in compiled) == (training.schedule == "cosine")


def test_a_cosine_schedule_decays_over_the_whole_run():
    namespace = run_sections(store.find_model("conv-64"), UP_TO_THE_MODEL, subset=100)
    schedule = namespace["schedule"]
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay)
    # fit takes a last, partial batch too: 100 images in batches of 32 are 4 steps an epoch, for 30 epochs.
    assert schedule.decay_steps == 30 * math.ceil(100 / 32) and schedule.initial_learning_rate == 0.002
    assert float(namespace["autoEncoder"].optimizer.learning_rate) == pytest.approx(0.002)


def test_the_code_trains_on_the_same_images_as_the_app(fashion_mnist):
    stored = with_recipe("dense-64-no-bag", exclude_class=3, train_fraction=0.25, batch_size=64, seed=7)
    namespace = run_sections(stored, 3, subset=None)  # settings, imports, data
    expected_train, expected_test = _training_images(fashion_mnist, recipe_of(stored.name, stored).training)
    assert len(namespace["x_train"]) == round(0.25 * 54_000) and len(namespace["x_test"]) == 9_000
    np.testing.assert_array_equal(namespace["x_train"], expected_train)
    np.testing.assert_array_equal(namespace["x_test"], expected_test)


def test_a_denoising_models_code_adds_noise_to_its_inputs_only_while_training(fashion_mnist):
    generated = run_sections(store.find_model("dense-64-denoise"), UP_TO_THE_MODEL)["autoEncoder"]
    images = fashion_mnist.x_test[:16]
    clean = np.asarray(generated(images))
    np.testing.assert_array_equal(clean, np.asarray(generated(images)))
    noisy, other = np.asarray(generated(images, training=True)), np.asarray(generated(images, training=True))
    assert np.abs(noisy - clean).mean() > 1e-3 and np.abs(noisy - other).mean() > 1e-3


def test_metadata_that_no_training_could_have_written_gets_no_code():
    with pytest.raises(LectureCodeError) as refused:
        python_script(with_recipe("dense-64", epochs=1000), "en")
    assert [(problem.field, problem.code) for problem in refused.value.problems] == [("epochs", "range")]
    with pytest.raises(LectureCodeError) as refused:
        notebook_text(with_recipe("dense-64", batch_size="32"), "ko")
    assert refused.value.problems[0].field == "batch_size" and "dense-64" in str(refused.value)
    # What an older run did not record has its default; what is no setting (steps_per_call, a stranger) is not code.
    older = dataclasses.replace(store.find_model("conv-64"), train_config={"epochs": 30, "optimizer": "sgd"})
    assert recipe_of("conv-64", older).training == TrainConfig(epochs=30)
    assert "sgd" not in python_script(older, "en")


@pytest.mark.parametrize("language", sorted(TEXTS))
@pytest.mark.parametrize("name", SHIPPED)
def test_the_code_is_python_that_reads_well_and_the_notebook_holds_the_same_code(name, language):
    stored = store.find_model(name)
    script = python_script(stored, language)
    ast.parse(script)
    assert max(display_width(line) for line in script.splitlines()) <= 120
    assert "import tensorflow as tf" in script and "fashion_mnist.load_data()" in script
    assert "ae_core" not in script and "keras.src" not in script  # nothing of this project or of Keras' internals
    document = notebook(stored, language)
    nbformat.validate(document)
    code_cells = [cell for cell in document.cells if cell.cell_type == "code"]
    assert code_cells[0].metadata["tags"] == ["parameters"] and "subset = None" in code_cells[0].source
    # The same code in both, but for the script's saving its picture beside itself.
    script_without_saving = "\n".join(line for line in script.splitlines() if not line.startswith("plt.savefig("))
    assert all(cell.source in script_without_saving for cell in code_cells)
    assert document.cells[0].source.startswith(f"# {TEXTS[language]['title'].format(name=name)}")
    assert nbformat.reads(notebook_text(stored, language), as_version=4) == document


def test_both_languages_say_everything():
    assert TEXTS["ko"].keys() == TEXTS["en"].keys()
    korean = python_script(store.find_model("dense-64"), "ko")
    assert "# 정규화" in korean and "# 인코더 정의" in korean and "x의 값을 target 값으로도" in korean  # the lecture's own
    assert "앱의 모델: 0.00877" in korean
    assert "the app's model: 0.00877" in python_script(store.find_model("dense-64"), "en")


def mean_image_mse(fashion_mnist, count: int) -> float:
    """The MSE of drawing every test image as the mean training image: what a model that learnt nothing reaches."""
    mean_image = fashion_mnist.x_train[:count].mean(axis=0)
    return float(np.mean(np.square(fashion_mnist.x_test[:count] - mean_image)))


def execute(document, folder):
    # nbclient gives a kernel 60 s to start, and a cell's outputs 4 s to arrive once it has run, by default: too little
    # on this machine when other work fills its cores (drawing the 20 pictures of the plot took longer, and its
    # picture was missing from the notebook). A missing output fails the run instead of going unnoticed.
    client = NotebookClient(document, timeout=RUN_TIMEOUT_SECONDS, startup_timeout=RUN_TIMEOUT_SECONDS,
                            iopub_timeout=RUN_TIMEOUT_SECONDS, raise_on_iopub_timeout=True, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    # `import streamlit` (any test before this one) sets MPLBACKEND=Agg in this process; a kernel that inherits it draws
    # nothing for plt.show(). A student's Jupyter or Colab has its inline backend, so the kernel starts without it.
    client.execute(env={name: value for name, value in os.environ.items() if name != "MPLBACKEND"})
    return document


# (model, language, subset, epochs): the lecture's model as the brief asks (2,000 images, one epoch); the others with
# a few epochs more (a VAE's batches of 128 make 16 steps an epoch), as slow tests.
NOTEBOOK_RUNS = [pytest.param(("dense-64", "ko", 2000, 1), id="dense-64"),
                 *(pytest.param((name, "en", 2000, 3), id=name, marks=pytest.mark.slow) for name in SHIPPED[1:])]


@pytest.mark.parametrize("run", NOTEBOOK_RUNS)
def test_the_notebook_runs_in_a_kernel_and_learns(run, fashion_mnist, tmp_path):
    name, language, subset, epochs = run
    # fashion_mnist (conftest.py) has filled keras' cache, where the notebook's fashion_mnist.load_data() looks.
    document = execute(notebook(store.find_model(name), language, subset=subset, epochs=epochs), tmp_path)
    outputs = {index: cell.outputs for index, cell in enumerate(document.cells) if cell.cell_type == "code"}
    printed = "".join(output.get("text", "") for output in outputs[max(outputs)] if output.output_type == "stream")
    val_mse = float(VAL_MSE_LINE.match(printed.strip().splitlines()[-1]).group(1))
    assert 0 < val_mse < 0.8 * mean_image_mse(fashion_mnist, subset), printed
    [plot_cell] = [cell for cell in document.cells if cell.cell_type == "code" and "plt.show()" in cell.source]
    assert any("image/png" in output.get("data", {}) for output in plot_cell.outputs), plot_cell.outputs  # the plot
    fit_output = "".join(output.get("text", "") for cell in document.cells if cell.cell_type == "code"
                         and "autoEncoder.fit(" in cell.source for output in cell.outputs)
    assert re.search(r"val_(loss|mse): 0\.\d+", fit_output)  # fit validated on the test images
    assert epochs == 1 or f"Epoch {epochs}/{epochs}" in fit_output  # (Keras numbers epochs only when there are more)


# (the model's record, language, subset, epochs)
SCRIPT_RUNS = [
    # Every variant of a dense model at once: denoising, a class left out, a share of the images, a cosine schedule.
    pytest.param((lambda: with_recipe("dense-64", noise_std=0.2, exclude_class=8, train_fraction=0.5, schedule="cosine"),
                  "en", 2000, 4), id="dense-every-variant"),
    # A convolutional VAE trained on noisy inputs: its own train_step, noise in it, a cosine schedule.
    pytest.param((lambda: with_recipe("vae-conv-16", noise_std=0.1, schedule="cosine", batch_size=64), "ko", 2000, 5),
                 id="vae-conv-noisy"),
]


@pytest.mark.parametrize("run", SCRIPT_RUNS)
def test_the_script_runs_saves_its_picture_and_prints_its_val_mse_last(run, fashion_mnist, tmp_path):
    make_stored, language, subset, epochs = run
    stored = make_stored()
    script = tmp_path / f"{stored.name}.py"
    script.write_text(python_script(stored, language, subset=subset, epochs=epochs), encoding="utf-8")
    completed = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False,
                               timeout=RUN_TIMEOUT_SECONDS, env={**os.environ, "MPLBACKEND": "Agg"})
    assert completed.returncode == 0, completed.stderr[-3000:]
    val_mse = float(VAL_MSE_LINE.match(completed.stdout.strip().splitlines()[-1]).group(1))
    assert 0 < val_mse < 0.8 * mean_image_mse(fashion_mnist, subset), completed.stdout[-2000:]
    picture = tmp_path / f"{stored.name}-reconstructions.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
