"""The AE vs PCA page through AppTest: PCA's curve is the pixels' PCA on the test set, the shipped dense-64 sits below
PCA-64, and the side-by-side rows are PCA-k's and the model's own reconstructions."""

import base64
import json

import numpy as np
import pytest
from apptest_pages import open_app

from ae_core import store
from ae_core.data import load_fashion_mnist
from ae_core.pixel_pca import PixelPCA
from ae_core.reconstruction import per_image_errors, per_image_mse
from ui.plain_text import literal


@pytest.fixture(scope="module")
def data():
    return load_fashion_mnist(allow_download=False)


@pytest.fixture(scope="module")
def pca(data):
    return PixelPCA.fit(data.x_train)


def array(value) -> np.ndarray:
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def test_the_shipped_dense_64_sits_below_pca_64(pca, data):
    at = open_app("ae_vs_pca", "en")
    assert not at.exception and not at.error
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    curve = dict(zip(array(traces[0]["x"]).tolist(), array(traces[0]["y"]).tolist(), strict=True))
    assert curve == pytest.approx(pca.mse_by_k(data.x_test, list(curve)), rel=1e-6)
    assert curve[64] == pytest.approx(0.0098, abs=0.0001)  # docs/design.md, "The lecture's numbers"
    [dense] = [(x, y) for trace in traces[1:] for x, y, name in zip(array(trace["x"]), array(trace["y"]), trace["text"],
                                                                    strict=True) if name == "dense-64"]
    assert dense[0] == 64 and dense[1] == pytest.approx(0.00877, abs=0.00005)
    assert dense[1] < curve[64]
    assert {trace["name"] for trace in traces[1:]} >= {"autoencoder", "variational (VAE)"}


def test_the_images_are_rebuilt_by_pca_with_k_components_and_by_the_model(pca, data):
    at = open_app("ae_vs_pca", "ko")
    slider = at.slider(key="pca_k_dense-64")
    assert slider.value == 64  # the active model's latent dim: as many numbers per image for both
    at = slider.set_value(8).run()
    assert not at.exception
    values = {metric.label: metric.value for metric in at.metric}
    assert values["PCA (k = 8): 테스트 MSE"] == f"{pca.mse_by_k(data.x_test, [8])[8]:.5f}"
    model = store.load_model("dense-64")
    assert values[f"{literal('dense-64')} (64차원): 테스트 MSE"] == f"{per_image_errors(model, data.x_test).mean():.5f}"
    shown = [int(np.flatnonzero(data.y_test == number)[0]) for number in range(10)]
    originals = data.x_test[shown]
    captions = [image.captions[0] for image in at.image if image.captions and image.captions[0].startswith("0.")]
    assert captions[:10] == [f"{mse:.4f}" for mse in per_image_mse(originals, pca.reconstruct(originals, 8))]
    assert captions[10:20] == [f"{mse:.4f}" for mse in per_image_mse(originals, np.asarray(model(originals)))]


def test_a_two_dimensional_model_compares_with_pca_2():
    at = open_app("ae_vs_pca", "en", model_name="vae-2")
    assert not at.exception
    assert at.slider(key="pca_k_vae-2").value == 2
    assert [metric.label for metric in at.metric][:2] == ["PCA with k = 2: test MSE", f"{literal('vae-2')} (2 dims): test MSE"]


def test_the_chart_is_built_once_per_listing_and_language_and_shows_the_active_model(monkeypatch):
    from ae_core import figures

    figures.shared_pca_comparison_figure.cache_clear()
    builds = []
    original = figures.pca_comparison_figure
    monkeypatch.setattr(figures, "pca_comparison_figure", lambda *args: builds.append(args) or original(*args))

    def chart_names(at):
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return {name for trace in spec["data"][1:] for name in trace["text"]}, [
            name for trace in spec["data"][1:] for name, size in zip(trace["text"], trace["marker"]["size"],
                                                                      strict=True) if size == 16]

    for _ in range(2):  # a second visit (another session, same store and language) builds nothing
        at = open_app("ae_vs_pca", "en", model_name="vae-2")
        assert not at.exception
    assert len(builds) == 1
    names, active = chart_names(at)
    assert {model.name for model in store.list_models()} <= names and active == ["vae-2"]
    at = open_app("ae_vs_pca", "ko", model_name="vae-2")
    assert len(builds) == 2  # its labels are Korean
    at = open_app("ae_vs_pca", "en", model_name="dense-64")
    assert len(builds) == 3 and chart_names(at)[1] == ["dense-64"]
