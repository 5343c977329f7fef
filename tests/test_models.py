import keras
import numpy as np
import pytest

from ae_core.config import ModelConfig
from ae_core.models import Autoencoder, build_autoencoder


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)


def test_dense_is_the_lecture_model():
    model = build_autoencoder(ModelConfig("dense", 64))
    dense_layers = [layer for layer in model.encoder.layers + model.decoder.layers if isinstance(layer, keras.layers.Dense)]
    assert [(layer.units, layer.activation.__name__) for layer in dense_layers] == [(64, "relu"), (784, "sigmoid")]
    # 784*64+64 (encoder) + 64*784+784 (decoder), exactly the lecture's parameter count.
    assert model.count_params() == 101_200


@pytest.mark.parametrize("arch", ["dense", "conv"])
def test_encoder_and_decoder_work_on_their_own(arch, images):
    model = build_autoencoder(ModelConfig(arch, 8))
    codes = np.asarray(model.encoder(images))
    assert codes.shape == (5, 8)
    decoded = np.asarray(model.decoder(codes))
    assert decoded.shape == (5, 28, 28)
    assert decoded.min() >= 0.0 and decoded.max() <= 1.0
    np.testing.assert_allclose(np.asarray(model(images)), decoded, atol=1e-6)


@pytest.mark.parametrize("arch", ["dense", "conv"])
def test_keras_file_round_trip_gives_the_same_outputs(arch, images, tmp_path):
    model = build_autoencoder(ModelConfig(arch, 16))
    model.compile(optimizer="adam", loss="mse")
    model.fit(images, images, epochs=2, verbose=0)  # move the weights away from their initial values
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded, Autoencoder)
    assert (loaded.arch, loaded.latent_dim) == (arch, 16)
    np.testing.assert_array_equal(np.asarray(loaded(images)), np.asarray(model(images)))
    np.testing.assert_array_equal(np.asarray(loaded.encoder(images)), np.asarray(model.encoder(images)))


def test_invalid_configuration_never_reaches_keras():
    with pytest.raises(ValueError):
        build_autoencoder(ModelConfig("dense", 300))
