"""The Anomalies page through AppTest: the unseen-class experiment (a tiny model trained without one class, and the
shipped dense-64-no-bag), the threshold as a share of flagged images, and a model that has seen the class."""

import base64
import json

import numpy as np
import pytest
from apptest_pages import open_app
from tiny_models import install, train_and_store

from ae_core import anomaly, store
from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import load_fashion_mnist
from ae_core.reconstruction import per_image_errors

BAG = 8


@pytest.fixture(scope="module")
def data():
    return load_fashion_mnist(allow_download=False)


@pytest.fixture(scope="module")
def tiny_without_sandals(tmp_path_factory, small_data):
    """A dense model trained for a few seconds on 2,000 images with every sandal (class 5) left out."""
    folder, _ = train_and_store(tmp_path_factory.mktemp("anomaly"), "tiny-no-sandal", small_data, ModelConfig("dense", 16),
                                TrainConfig(epochs=3, batch_size=64, exclude_class=5))
    return folder


def array(value) -> np.ndarray:
    """A figure's array as plotly serialises it: a list, or base64 bytes with a dtype."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_a_small_run_without_one_class_finds_that_class_by_its_error(tiny_without_sandals, private_trained_dir, data):
    install(tiny_without_sandals, private_trained_dir)
    at = open_app("anomalies", "en", model_name="tiny-no-sandal")
    assert not at.exception and not at.error
    assert "trained without any Sandal images" in at.success[0].value
    auc = float(metrics(at)["ROC AUC"])
    expected = anomaly.roc_auc(per_image_errors(store.load_model("tiny-no-sandal"), data.x_test), data.y_test == 5)
    assert auc == pytest.approx(expected, abs=5e-4)
    assert auc > 0.5


def test_the_shipped_model_without_bags_finds_bags_better_than_one_that_saw_them(data):
    at = open_app("anomalies", "ko", model_name="dense-64-no-bag")
    assert not at.exception and not at.error
    unseen_auc = float(metrics(at)["ROC AUC"])
    expected = anomaly.roc_auc(per_image_errors(store.load_model("dense-64-no-bag"), data.x_test), data.y_test == BAG)
    assert unseen_auc == pytest.approx(expected, abs=5e-4)

    seen = open_app("anomalies", "en", model_name="dense-64")
    assert seen.selectbox(key="anomaly_class_en").value == BAG
    assert "saw Bag images in training" in seen.warning[0].value
    assert float(metrics(seen)["ROC AUC"]) < unseen_auc
    # The page offers the model that never saw a class; the button makes it the active model.
    seen = seen.button(key="anomaly_use_unseen").click().run()
    assert seen.session_state["model_name"] == "dense-64-no-bag"
    assert "trained without any Bag images" in seen.success[0].value


def test_the_threshold_flags_the_chosen_share_and_the_counts_follow_it(data):
    at = open_app("anomalies", "en", model_name="dense-64-no-bag")
    at = at.slider(key="anomaly_rate").set_value(5).run()
    errors = per_image_errors(store.load_model("dense-64-no-bag"), data.x_test)
    threshold = anomaly.threshold_for_rate(errors, 0.05)
    counts = anomaly.confusion_at(errors, data.y_test == BAG, threshold)
    values = metrics(at)
    assert values["Flagged images"] == "500" and counts.flagged == 500
    assert values["Threshold (MSE)"] == f"{threshold:.4f}"
    assert (values["Precision"], values["Recall"]) == (f"{counts.precision:.0%}", f"{counts.recall:.0%}")
    # The flagged images come highest error first, and the threshold line sits where the histogram says.
    captions = [image.captions[0] for image in at.image if image.captions and " · " in image.captions[0]]
    shown_errors = [float(caption.rsplit(" · ", 1)[1]) for caption in captions]
    assert len(shown_errors) == 20 and shown_errors == sorted(shown_errors, reverse=True)
    assert min(shown_errors) > threshold
    histogram = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert histogram[-1]["x"] == [threshold, threshold]
    assert sum(array(trace["y"]).sum() for trace in histogram[:-1]) == 10_000
