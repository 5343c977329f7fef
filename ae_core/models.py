"""Autoencoder architectures: Functional encoder and decoder wrapped in one serializable Autoencoder.

Usage: `model = build_autoencoder(ModelConfig("dense", 64)); codes = model.encoder(images)`
"""

from __future__ import annotations

import keras
from keras import layers

from ae_core.config import ModelConfig

IMAGE_SHAPE = (28, 28)


@keras.saving.register_keras_serializable(package="ae_core")
class Autoencoder(keras.Model):
    """An encoder (images -> codes) and a decoder (codes -> images) that also work on their own."""

    def __init__(self, encoder: keras.Model, decoder: keras.Model, arch: str, latent_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.arch = arch
        self.latent_dim = latent_dim

    def call(self, images, training=False):
        return self.decoder(self.encoder(images, training=training), training=training)

    def build(self, input_shape=None):
        # Both halves are Functional models built at construction, so there is nothing left to create.
        self.built = True

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "arch": self.arch,
            "latent_dim": self.latent_dim,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        model = cls(encoder=encoder, decoder=decoder, **config)
        model.build(None)
        return model


def build_autoencoder(config: ModelConfig) -> Autoencoder:
    builders = {"dense": _dense_halves, "conv": _conv_halves}
    encoder, decoder = builders[config.arch](config.latent_dim)
    model = Autoencoder(encoder, decoder, arch=config.arch, latent_dim=config.latent_dim, name=f"autoencoder_{config.arch}")
    model.build(None)
    return model


def _dense_halves(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    """The lecture's model: one ReLU layer in, one sigmoid layer out."""
    images = keras.Input(IMAGE_SHAPE, name="image")
    codes = layers.Dense(latent_dim, activation="relu", name="code")(layers.Flatten()(images))
    encoder = keras.Model(images, codes, name="encoder")

    code_input = keras.Input((latent_dim,), name="code")
    pixels = layers.Dense(784, activation="sigmoid", name="pixels")(code_input)
    decoder = keras.Model(code_input, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")
    return encoder, decoder


# Decoder widths are kept small enough for the browser to decode every animation frame
# (docs/design.md, "JavaScript decodes fast enough").
CONV_ENCODER_FILTERS = (32, 64)
CONV_DECODER_FILTERS = (48, 24)


def _conv_halves(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    """Strided convolutions down to 7x7, a linear code; transposed convolutions back up to 28x28."""
    images = keras.Input(IMAGE_SHAPE, name="image")
    x = layers.Reshape((*IMAGE_SHAPE, 1))(images)
    for filters in CONV_ENCODER_FILTERS:
        x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
    codes = layers.Dense(latent_dim, name="code")(layers.Flatten()(x))
    encoder = keras.Model(images, codes, name="encoder")

    code_input = keras.Input((latent_dim,), name="code")
    first = CONV_DECODER_FILTERS[0]
    x = layers.Dense(7 * 7 * first, activation="relu")(code_input)
    x = layers.Reshape((7, 7, first))(x)
    for filters in CONV_DECODER_FILTERS:
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
    decoder = keras.Model(code_input, layers.Reshape(IMAGE_SHAPE)(x), name="decoder")
    return encoder, decoder
