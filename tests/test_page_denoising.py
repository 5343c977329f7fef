"""The Denoising page through AppTest on the shipped models: it feeds the models the NOISY images and scores them
against the clean ones, the denoising model wins at noise 0.3, and without a denoising model it says how to get one."""

import json
import shutil

import numpy as np
import pytest
from apptest_pages import open_app

from ae_core import store
from ae_core.data import load_fashion_mnist
from ae_core.reconstruction import add_noise, per_image_errors, per_image_mse
from ae_core.store import listing
from ui.plain_text import literal


@pytest.fixture(scope="module")
def data():
    return load_fashion_mnist(allow_download=False)


def metrics(at) -> dict[str, float]:
    return {metric.label: metric.value for metric in at.metric}


def test_the_models_get_the_noisy_images_and_are_scored_against_the_clean_ones(data):
    at = open_app("denoising", "en")
    at = at.slider(key="denoise_noise").set_value(0.5).run()
    assert not at.exception and not at.error
    plain = store.load_model("dense-64")
    noisy = per_image_errors(plain, data.x_test[:2000], noise_std=0.5, noise_seed=0).mean()
    clean = per_image_errors(plain, data.x_test[:2000]).mean()
    shown = float(metrics(at)[f"{literal('dense-64')}: MSE vs clean"])
    assert shown == pytest.approx(noisy, abs=1e-5)
    assert abs(shown - clean) > 0.01  # what the TF tutorial's bug would show: the clean images reconstructed
    # The images' own captions: the first row of reconstructions is the plain model's, fed the noisy garments.
    shown_images = [np.flatnonzero(data.y_test == number)[0] for number in range(10)]
    inputs = add_noise(data.x_test[shown_images], 0.5, 0, np.array(shown_images))
    expected = per_image_mse(data.x_test[shown_images], np.asarray(plain(inputs)))
    captions = [image.captions[0] for image in at.image if image.captions and image.captions[0].startswith("0.")]
    assert captions[:10] == [f"{mse:.4f}" for mse in expected]


def test_at_noise_0_3_the_denoising_model_beats_the_plain_one_against_the_clean_images():
    at = open_app("denoising", "ko")
    assert at.slider(key="denoise_noise").value == 0.3
    assert at.selectbox(key="denoise_plain").value == "dense-64"
    assert at.selectbox(key="denoise_denoiser").value == "dense-64-denoise"
    values = metrics(at)
    plain, denoiser = (float(values[f"{literal(name)}: 원본 대비 MSE"]) for name in ("dense-64", "dense-64-denoise"))
    assert denoiser < plain
    curve = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert [trace["name"] for trace in curve] == ["일반: dense-64", "노이즈 제거: dense-64-denoise"]
    assert curve[1]["y"][3] == pytest.approx(denoiser, abs=1e-5)  # the curve's point at 0.3 is the metric
    assert curve[0]["y"][0] < curve[1]["y"][0]  # without noise the plain model is the better one


def test_only_models_trained_with_noise_are_offered_as_denoising_ones():
    at = open_app("denoising", "en")
    # Of the shipped models, dense-64-denoise alone was trained on noisy inputs (std 0.3).
    assert at.selectbox(key="denoise_denoiser").options == ["dense-64-denoise (σ = 0.3)"]
    assert "conv-64" in at.selectbox(key="denoise_plain").options


def test_without_a_denoising_model_the_page_says_how_to_train_one(tmp_path, monkeypatch):
    shipped = tmp_path / "models"
    shutil.copytree(store.shipped_dir() / "dense-64", shipped / "dense-64")
    monkeypatch.setattr(listing, "shipped_dir", lambda: shipped)  # where every listing looks
    at = open_app("denoising", "ko")
    assert not at.exception
    assert any("노이즈 제거 모델이 없습니다" in info.value for info in at.info)
    assert not at.get("plotly_chart")
