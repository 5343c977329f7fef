"""Autoencoder architectures as plain Functional Keras models: an image goes through a nested "encoder" and "decoder".

A saved file holds nothing of this project's code (docs/design.md, "Portable model files"): in any Python with Keras,
`model = keras.saving.load_model(path)` reconstructs images, and `model.get_layer("encoder")` and
`model.get_layer("decoder")` are the two halves. A variational model's encoder has two outputs, the mean and the
log-variance of each latent dimension; its full model decodes the mean, and only training draws samples.

Usage: `model = build_autoencoder(ModelConfig("dense", 64)); codes = model.encoder(images); images = model.decoder(codes)`
"""

from __future__ import annotations

import keras
from keras import layers

from ae_core.architecture import CONV_DECODER_FILTERS, CONV_ENCODER_FILTERS, IMAGE_SHAPE, VAE_HIDDEN_UNITS
from ae_core.config import ModelConfig


class Autoencoder:
    """A Functional autoencoder and its halves, with the configuration it was built from.

    `encoder` maps images to codes (for a VAE: to the means), `decoder` maps codes to images; calling the object
    reconstructs images. `model` is the Keras model that is saved and loaded.
    """

    def __init__(self, model: keras.Model, config: ModelConfig):
        self.model = model
        self.config = config
        self.full_encoder = model.get_layer("encoder")
        self.decoder = model.get_layer("decoder")
        self.encoder = (keras.Model(self.full_encoder.input, self.full_encoder.outputs[0], name="encoder_mean")
                        if config.variational else self.full_encoder)

    @property
    def arch(self) -> str:
        return self.config.arch

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim

    @property
    def variational(self) -> bool:
        return self.config.variational

    @property
    def trainable_variables(self):
        return self.model.trainable_variables

    def __call__(self, images, training: bool = False):
        return self.model(images, training=training)

    def count_params(self) -> int:
        return self.model.count_params()

    def get_weights(self):
        return self.model.get_weights()

    def save(self, path) -> None:
        self.model.save(path)


def build_autoencoder(config: ModelConfig) -> Autoencoder:
    builders = {("dense", False): _dense_halves, ("conv", False): _conv_halves,
                ("dense", True): _variational_dense_halves, ("conv", True): _variational_conv_halves}
    encoder, decoder = builders[config.arch, config.variational](config.latent_dim)
    images = keras.Input(IMAGE_SHAPE, name="image")
    codes = encoder(images)
    reconstruction = decoder(codes[0] if config.variational else codes)
    return Autoencoder(keras.Model(images, reconstruction, name=f"autoencoder_{config.name.replace('-', '_')}"), config)


def from_keras(model: keras.Model, config: ModelConfig) -> Autoencoder:
    """A loaded Keras file as an Autoencoder; ValueError when its halves do not match `config`."""
    try:
        autoencoder = Autoencoder(model, config)
    except ValueError as error:
        raise ValueError(f"The model has no nested 'encoder' and 'decoder': {error}") from error
    latent_dim = int(autoencoder.decoder.inputs[0].shape[-1])
    variational = len(autoencoder.full_encoder.outputs) == 2
    if (latent_dim, variational) != (config.latent_dim, config.variational):
        raise ValueError(f"The model's latent space ({latent_dim}-D, variational={variational}) is not the one its "
                         f"metadata describes ({config.latent_dim}-D, variational={config.variational}).")
    return autoencoder


def _dense_halves(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    """The lecture's model: one ReLU layer in, one sigmoid layer out."""
    images = keras.Input(IMAGE_SHAPE, name="image")
    codes = layers.Dense(latent_dim, activation="relu", name="code")(layers.Flatten()(images))
    return keras.Model(images, codes, name="encoder"), _dense_decoder(latent_dim, hidden=None)


def _dense_decoder(latent_dim: int, hidden: int | None) -> keras.Model:
    code_input = keras.Input((latent_dim,), name="code")
    x = layers.Dense(hidden, activation="relu", name="hidden")(code_input) if hidden else code_input
    pixels = layers.Dense(784, activation="sigmoid", name="pixels")(x)
    return keras.Model(code_input, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")


def _conv_features(images):
    """Strided convolutions down to 7x7, flattened."""
    x = layers.Reshape((*IMAGE_SHAPE, 1))(images)
    for filters in CONV_ENCODER_FILTERS:
        x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
    return layers.Flatten()(x)


def _conv_decoder(latent_dim: int) -> keras.Model:
    """Transposed convolutions from 7x7 back up to 28x28."""
    code_input = keras.Input((latent_dim,), name="code")
    first = CONV_DECODER_FILTERS[0]
    x = layers.Dense(7 * 7 * first, activation="relu")(code_input)
    x = layers.Reshape((7, 7, first))(x)
    for filters in CONV_DECODER_FILTERS:
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
    return keras.Model(code_input, layers.Reshape(IMAGE_SHAPE)(x), name="decoder")


def _conv_halves(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    """Strided convolutions down to 7x7, a linear code; transposed convolutions back up to 28x28."""
    images = keras.Input(IMAGE_SHAPE, name="image")
    codes = layers.Dense(latent_dim, name="code")(_conv_features(images))
    return keras.Model(images, codes, name="encoder"), _conv_decoder(latent_dim)


def _gaussian_encoder(images, features, latent_dim: int) -> keras.Model:
    mean = layers.Dense(latent_dim, name="code_mean")(features)
    log_variance = layers.Dense(latent_dim, name="code_log_variance")(features)
    return keras.Model(images, [mean, log_variance], name="encoder")


def _variational_dense_halves(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    images = keras.Input(IMAGE_SHAPE, name="image")
    features = layers.Dense(VAE_HIDDEN_UNITS, activation="relu", name="hidden")(layers.Flatten()(images))
    return _gaussian_encoder(images, features, latent_dim), _dense_decoder(latent_dim, hidden=VAE_HIDDEN_UNITS)


def _variational_conv_halves(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    images = keras.Input(IMAGE_SHAPE, name="image")
    return _gaussian_encoder(images, _conv_features(images), latent_dim), _conv_decoder(latent_dim)
