"""The architectures: the lecture's model exactly, working halves, and .keras files that any Keras loads."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from ae_core import store
from ae_core.config import ModelConfig
from ae_core.data import load_fashion_mnist
from ae_core.models import build_autoencoder, from_keras

CONFIGS = [ModelConfig("dense", 8), ModelConfig("conv", 8), ModelConfig("dense", 2, variational=True),
           ModelConfig("conv", 4, variational=True)]


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)


def test_dense_is_the_lecture_model():
    model = build_autoencoder(ModelConfig("dense", 64))
    dense_layers = [layer for layer in model.encoder.layers + model.decoder.layers if isinstance(layer, keras.layers.Dense)]
    assert [(layer.units, layer.activation.__name__) for layer in dense_layers] == [(64, "relu"), (784, "sigmoid")]
    # 784*64+64 (encoder) + 64*784+784 (decoder), exactly the lecture's parameter count.
    assert model.count_params() == 101_200


@pytest.mark.parametrize("config", CONFIGS, ids=lambda config: config.name)
def test_encoder_and_decoder_work_on_their_own(config, images):
    model = build_autoencoder(config)
    codes = np.asarray(model.encoder(images))
    assert codes.shape == (5, config.latent_dim)
    decoded = np.asarray(model.decoder(codes))
    assert decoded.shape == (5, 28, 28)
    assert decoded.min() >= 0.0 and decoded.max() <= 1.0
    np.testing.assert_allclose(np.asarray(model(images)), decoded, atol=1e-6)  # a VAE reconstructs from the mean


def test_a_vae_encoder_gives_a_mean_and_a_log_variance(images):
    model = build_autoencoder(ModelConfig("dense", 2, variational=True))
    mean, log_variance = (np.asarray(output) for output in model.full_encoder(images))
    assert mean.shape == log_variance.shape == (5, 2)
    np.testing.assert_array_equal(mean, np.asarray(model.encoder(images)))


@pytest.mark.parametrize("config", CONFIGS, ids=lambda config: config.name)
def test_keras_file_round_trip_gives_the_same_outputs(config, images, tmp_path):
    model = build_autoencoder(config)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = from_keras(keras.saving.load_model(path, safe_mode=True), config)
    assert (loaded.arch, loaded.latent_dim, loaded.variational) == (config.arch, config.latent_dim, config.variational)
    np.testing.assert_array_equal(np.asarray(loaded(images)), np.asarray(model(images)))
    np.testing.assert_array_equal(np.asarray(loaded.encoder(images)), np.asarray(model.encoder(images)))


def test_a_file_whose_latent_space_differs_from_its_metadata_is_refused(tmp_path):
    path = tmp_path / "model.keras"
    build_autoencoder(ModelConfig("dense", 8)).save(path)
    with pytest.raises(ValueError, match="latent space"):
        from_keras(keras.saving.load_model(path), ModelConfig("dense", 16))


def test_invalid_configuration_never_reaches_keras():
    with pytest.raises(ValueError):
        build_autoencoder(ModelConfig("dense", 300))


# Run in a fresh Python that imports keras and numpy only: no path to this project, nothing of it in sys.modules.
PLAIN_KERAS = textwrap.dedent("""
    import sys
    import keras, numpy as np
    model = keras.saving.load_model(sys.argv[1])
    images = np.load(sys.argv[2])
    encoder, decoder = model.get_layer("encoder"), model.get_layer("decoder")
    codes = encoder(images)
    codes = codes[0] if isinstance(codes, (list, tuple)) else codes
    np.save(sys.argv[3], np.stack([np.asarray(model(images)), np.asarray(decoder(codes))]))
    assert not [name for name in sys.modules if name.startswith(("ae_core", "ui"))]
""")


@pytest.mark.parametrize("name", [stored.name for stored in store.list_models() if stored.shipped])
def test_every_shipped_model_loads_in_plain_keras_with_its_halves(name, tmp_path):
    stored = store.find_model(name)
    images = load_fashion_mnist(allow_download=False).x_test[:16]
    np.save(tmp_path / "images.npy", images)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    subprocess.run([sys.executable, "-I", "-c", PLAIN_KERAS, str(stored.model_path), str(tmp_path / "images.npy"),
                    str(tmp_path / "out.npy")], cwd=tmp_path, env={**environment, "TF_CPP_MIN_LOG_LEVEL": "3"},
                   check=True, capture_output=True, timeout=300)
    plain_reconstruction, plain_decoded = np.load(tmp_path / "out.npy")
    ours = np.asarray(store.load_model(name)(images))
    np.testing.assert_allclose(plain_reconstruction, ours, atol=1e-6)
    np.testing.assert_allclose(plain_decoded, ours, atol=1e-6)
