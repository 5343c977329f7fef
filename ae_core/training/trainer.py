"""Training: fit an autoencoder on Fashion-MNIST, validating on the test set, with progress reported to a listener.

Why not `model.fit`: on this 2-core CPU, Keras' fit spends as much time around each step as in it (the
lecture's recipe: ~1.8 s an epoch). Here every call runs `steps_per_call` optimizer steps inside one
compiled while loop over a tensor of the training images, so an epoch of the lecture's model takes ~0.3 s.
The maths is the same: Adam on the mean squared error, a fresh shuffle each epoch, validation on the test
set after every epoch. (The one difference: a last, partial batch of an epoch is dropped.)

Variants, all in the same loop: a variational model minimises the binary cross-entropy of a decoded sample (summed over
pixels, as the Keras VAE example does) plus beta times the KL divergence to N(0, I); a denoising run adds Gaussian
noise to the inputs and keeps the clean images as targets; `exclude_class` leaves one class out of the training and
validation images. Every model is validated by the MSE of its deterministic reconstructions (a VAE's decodes the
mean), so all models compare on one scale.

Usage: `result = train(ModelConfig(), TrainConfig(), load_fashion_mnist(), listener=my_listener)`
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from ae_core.batches import in_batches
from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import FashionMNIST
from ae_core.models import Autoencoder, build_autoencoder
from ae_core.reconstruction import per_image_errors
from ae_core.store.metadata import build_metadata
from ae_core.training.film import film_frame_text
from ae_core.training.progress import EpochReport, ProgressListener

# The learning film: the same test images reconstructed after every epoch, one of each of the first eight classes.
FILM_CLASSES = tuple(range(8))
# Keeps log(p) finite where a sigmoid output rounds to exactly 0 or 1 in float32.
_LOG_EPSILON = 1e-7


@dataclass
class TrainResult:
    model: Autoencoder
    # "loss" (what was minimised) and "val_loss" (test MSE), one value per completed epoch; a VAE's also
    # "reconstruction" (cross-entropy) and "kl".
    history: dict[str, list[float]]
    val_mse: float
    seconds: float
    epochs_completed: int
    stopped_early: bool = False
    film_indices: list[int] = field(default_factory=list)  # test images of the film
    film: list[np.ndarray] = field(default_factory=list)  # per epoch: their reconstructions, (8, 28, 28) uint8

    def metadata(self, model_config: ModelConfig, train_config: TrainConfig, dataset_checksum: str) -> dict:
        """The metadata.json of the model this run trained (the store adds its file's name and checksum)."""
        return build_metadata(model_config=model_config, train_config=train_config, history=self.history,
                              val_mse=self.val_mse, training_seconds=self.seconds,
                              epochs_completed=self.epochs_completed, stopped_early=self.stopped_early,
                              dataset_checksum=dataset_checksum, film_indices=self.film_indices,
                              film_frames=[film_frame_text(frame) for frame in self.film])


def film_indices(labels: np.ndarray) -> list[int]:
    """The film's test images: the first of each class in FILM_CLASSES."""
    return [int(np.flatnonzero(labels == number)[0]) for number in FILM_CLASSES if np.any(labels == number)]


def train(
    model_config: ModelConfig,
    train_config: TrainConfig,
    data: FashionMNIST,
    listener: ProgressListener | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Build a fresh model from the seed and train it; `should_stop` is asked between calls of steps_per_call steps."""
    listener = listener or ProgressListener()
    start = time.perf_counter()
    keras.utils.set_random_seed(train_config.seed)
    shuffler = np.random.default_rng(train_config.seed)
    model = build_autoencoder(model_config)
    x_train, x_test = _training_images(data, train_config)
    batches = len(x_train) // train_config.batch_size
    if batches == 0:
        raise ValueError(f"batch_size {train_config.batch_size} is larger than the {len(x_train)} training images.")
    optimizer = keras.optimizers.Adam(learning_rate=_learning_rate(train_config, batches))
    optimizer.build(model.trainable_variables)
    run_steps, validation_loss = _compiled_steps(model, optimizer, train_config)
    train_images, test_images = tf.constant(x_train), tf.constant(x_test)
    film = film_indices(data.y_test)

    history: dict[str, list[float]] = {"loss": [], "val_loss": []}
    if model_config.variational:
        history.update(reconstruction=[], kl=[])
    frames: list[np.ndarray] = []
    stopped = False
    for epoch in range(train_config.epochs):
        order = shuffler.permutation(len(x_train))[: batches * train_config.batch_size]
        order = order.reshape(batches, train_config.batch_size).astype(np.int32)
        sums = np.zeros(3)  # loss, reconstruction, kl
        for first in range(0, batches, train_config.steps_per_call):
            chunk = order[first:first + train_config.steps_per_call]
            sums += np.asarray(run_steps(train_images, tf.constant(chunk)), dtype=np.float64)
            done = first + len(chunk)
            listener.on_batch(epoch + 1, done, batches, float(sums[0] / done))
            if should_stop is not None and should_stop():
                stopped = True
                break
        if stopped and done < batches:
            break  # a partial epoch is not an epoch: it enters no history
        means = dict(zip(("loss", "reconstruction", "kl"), (sums / batches).tolist(), strict=True))
        for name, series in history.items():
            series.append(_validate(validation_loss, test_images) if name == "val_loss" else means[name])
        frames.append(_film_frame(model, data.x_test[film]))
        listener.on_epoch(EpochReport(epoch + 1, train_config.epochs, history["loss"][-1], history["val_loss"][-1],
                                      time.perf_counter() - start,
                                      {name: means[name] for name in ("reconstruction", "kl") if name in history},
                                      frames[-1]))
        if stopped:
            break

    completed = len(history["val_loss"])
    # A stopped run's weights moved on after its last full epoch, so its figure is measured afresh.
    val_mse = evaluate_mse(model, x_test) if stopped or not completed else history["val_loss"][-1]
    return TrainResult(model, history, float(val_mse), time.perf_counter() - start, completed, stopped_early=stopped,
                       film_indices=film, film=frames)


def _training_images(data: FashionMNIST, train_config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation images: without the excluded class, which the model is meant never to have seen, and
    only `train_fraction` of the training images (a sample drawn from the seed, in the data's order)."""
    x_train, x_test = data.x_train, data.x_test
    if train_config.exclude_class is not None:
        x_train = x_train[data.y_train != train_config.exclude_class]
        x_test = x_test[data.y_test != train_config.exclude_class]
    if train_config.train_fraction < 1.0:
        count = max(train_config.batch_size, round(len(x_train) * train_config.train_fraction))
        # Its own generator: the shuffle's stream stays as it is without a fraction.
        sample = np.random.default_rng([train_config.seed, 1]).choice(len(x_train), min(count, len(x_train)), replace=False)
        x_train = x_train[np.sort(sample)]
    return x_train, x_test


def _learning_rate(train_config: TrainConfig, batches_per_epoch: int):
    if train_config.schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(train_config.learning_rate,
                                                      decay_steps=train_config.epochs * batches_per_epoch)
    return train_config.learning_rate


def _compiled_steps(model: Autoencoder, optimizer: keras.optimizers.Optimizer, train_config: TrainConfig):
    """Two compiled functions: many training steps in one call, and the summed squared error of each image.

    XLA on this CPU turns a whole loop of the dense model's steps into one fast program (0.3 s an epoch,
    against 0.6 s for one compiled step at a time), but runs convolutions inside a compiled loop about ten
    times slower (~170 s against ~16 s an epoch for conv-64). So only a dense model's loop is compiled whole;
    otherwise each step is compiled and a TensorFlow graph loops over them.
    """
    noise_std = float(train_config.noise_std)
    beta = float(model.config.beta)
    random = tf.random.Generator.from_seed(train_config.seed)  # the denoising noise and the VAE's samples

    def losses(batch):
        """(minimised loss, reconstruction term, KL term) of one batch."""
        inputs = batch
        if noise_std > 0:
            inputs = tf.clip_by_value(batch + noise_std * random.normal(tf.shape(batch)), 0.0, 1.0)
        if not model.variational:
            loss = tf.reduce_mean(tf.square(model(inputs, training=True) - batch))
            return loss, loss, tf.constant(0.0)
        mean, log_variance = model.full_encoder(inputs, training=True)
        sample = mean + tf.exp(0.5 * log_variance) * random.normal(tf.shape(mean))
        decoded = tf.clip_by_value(model.decoder(sample, training=True), _LOG_EPSILON, 1 - _LOG_EPSILON)
        cross_entropy = -(batch * tf.math.log(decoded) + (1 - batch) * tf.math.log(1 - decoded))
        reconstruction = tf.reduce_mean(tf.reduce_sum(cross_entropy, axis=[1, 2]))
        kl = tf.reduce_mean(tf.reduce_sum(-0.5 * (1 + log_variance - tf.square(mean) - tf.exp(log_variance)), axis=1))
        return reconstruction + beta * kl, reconstruction, kl

    def step(batch):
        with tf.GradientTape() as tape:
            loss, reconstruction, kl = losses(batch)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)
        return tf.stack([loss, reconstruction, kl])

    whole_loop_in_xla = model.arch == "dense"
    # A compiled step takes only its batch: handed the whole image tensor, XLA would copy it on every call.
    compiled_step = step if whole_loop_in_xla else tf.function(step, jit_compile=True)

    @tf.function(jit_compile=whole_loop_in_xla)
    def run_steps(images, batch_indices):
        def body(i, sums):
            return i + 1, sums + compiled_step(tf.gather(images, batch_indices[i]))

        _, sums = tf.while_loop(lambda i, _: i < tf.shape(batch_indices)[0], body, (tf.constant(0), tf.zeros(3)))
        return sums

    @tf.function(jit_compile=whole_loop_in_xla)  # XLA's CPU convolutions are slower than TensorFlow's own here
    def squared_error(images):
        """Summed squared error of each image."""
        return tf.reduce_sum(tf.square(model(images, training=False) - images), axis=[1, 2])

    return run_steps, squared_error


def _validate(squared_error, images) -> float:
    return float(np.sum(in_batches(squared_error, images), dtype=np.float64)) / float(np.prod(images.shape))


def _film_frame(model: Autoencoder, images: np.ndarray) -> np.ndarray:
    reconstructions = np.asarray(model(images, training=False))
    return (np.clip(reconstructions, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def evaluate_mse(model: Autoencoder, images: np.ndarray) -> float:
    """Mean squared error over all pixels of all images (every image has as many pixels: the mean of per-image MSEs)."""
    return float(np.mean(per_image_errors(model, images)))
