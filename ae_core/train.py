"""Training: fit an autoencoder on Fashion-MNIST, validating on the test set, with progress reported to a listener.

Why not `model.fit`: on this 2-core CPU, Keras' fit spends as much time around each step as in it (the
lecture's recipe: ~1.8 s an epoch). Here every call runs `steps_per_call` optimizer steps inside one
compiled while loop over a tensor of the training images, so an epoch of the lecture's model takes ~0.3 s.
The maths is the same: Adam on the mean squared error, a fresh shuffle each epoch, validation on the test
set after every epoch. (The one difference: a last, partial batch of an epoch is dropped.)

Usage: `result = train(ModelConfig(), TrainConfig(), load_fashion_mnist(), listener=my_listener)`
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from ae_core.batches import in_batches
from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import FashionMNIST
from ae_core.models import Autoencoder, build_autoencoder
from ae_core.progress import ProgressListener
from ae_core.reconstruction import per_image_errors


@dataclass
class TrainResult:
    model: Autoencoder
    history: dict[str, list[float]]  # "loss" and "val_loss", one value per completed epoch
    val_mse: float
    seconds: float
    epochs_completed: int
    stopped_early: bool = False


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
    batches = len(data.x_train) // train_config.batch_size
    if batches == 0:
        raise ValueError(f"batch_size {train_config.batch_size} is larger than the {len(data.x_train)} training images.")
    optimizer = keras.optimizers.Adam(learning_rate=_learning_rate(train_config, batches))
    optimizer.build(model.trainable_variables)
    run_steps, validation_loss = _compiled_steps(model, optimizer)
    train_images, test_images = tf.constant(data.x_train), tf.constant(data.x_test)

    history: dict[str, list[float]] = {"loss": [], "val_loss": []}
    stopped = False
    for epoch in range(train_config.epochs):
        order = shuffler.permutation(len(data.x_train))[: batches * train_config.batch_size]
        order = order.reshape(batches, train_config.batch_size).astype(np.int32)
        loss_sum = 0.0
        for first in range(0, batches, train_config.steps_per_call):
            chunk = order[first:first + train_config.steps_per_call]
            loss_sum += float(run_steps(train_images, tf.constant(chunk)))
            done = first + len(chunk)
            listener.on_batch(epoch + 1, done, batches, loss_sum / done)
            if should_stop is not None and should_stop():
                stopped = True
                break
        if stopped and done < batches:
            break  # a partial epoch is not an epoch: it enters no history
        history["loss"].append(loss_sum / batches)
        history["val_loss"].append(_validate(validation_loss, test_images))
        listener.on_epoch(epoch + 1, train_config.epochs, history["loss"][-1], history["val_loss"][-1],
                          time.perf_counter() - start)
        if stopped:
            break

    completed = len(history["val_loss"])
    # A stopped run's weights moved on after its last full epoch, so its figure is measured afresh.
    val_mse = evaluate_mse(model, data.x_test) if stopped or not completed else history["val_loss"][-1]
    return TrainResult(model, history, float(val_mse), time.perf_counter() - start, completed, stopped_early=stopped)


def _learning_rate(train_config: TrainConfig, batches_per_epoch: int):
    if train_config.schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(train_config.learning_rate,
                                                      decay_steps=train_config.epochs * batches_per_epoch)
    return train_config.learning_rate


def _compiled_steps(model: Autoencoder, optimizer: keras.optimizers.Optimizer):
    """Two compiled functions: many training steps in one call, and the summed squared error of a batch.

    XLA on this CPU turns a whole loop of the dense model's steps into one fast program (0.3 s an epoch,
    against 0.6 s for one compiled step at a time), but runs convolutions inside a compiled loop about ten
    times slower (~170 s against ~16 s an epoch for conv-64). So only a dense model's loop is compiled whole;
    otherwise each step is compiled and a TensorFlow graph loops over them.
    """

    def step(batch):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(batch, training=True) - batch))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)
        return loss

    whole_loop_in_xla = model.arch == "dense"
    # A compiled step takes only its batch: handed the whole image tensor, XLA would copy it on every call.
    compiled_step = step if whole_loop_in_xla else tf.function(step, jit_compile=True)

    @tf.function(jit_compile=whole_loop_in_xla)
    def run_steps(images, batch_indices):
        def body(i, loss_sum):
            return i + 1, loss_sum + compiled_step(tf.gather(images, batch_indices[i]))

        _, loss_sum = tf.while_loop(lambda i, _: i < tf.shape(batch_indices)[0], body,
                                    (tf.constant(0), tf.constant(0.0)))
        return loss_sum

    @tf.function(jit_compile=whole_loop_in_xla)  # XLA's CPU convolutions are slower than TensorFlow's own here
    def squared_error(images):
        """Summed squared error of each image."""
        return tf.reduce_sum(tf.square(model(images, training=False) - images), axis=[1, 2])

    return run_steps, squared_error


def _validate(squared_error, images) -> float:
    return float(np.sum(in_batches(squared_error, images), dtype=np.float64)) / float(np.prod(images.shape))


def evaluate_mse(model: Autoencoder, images: np.ndarray) -> float:
    """Mean squared error over all pixels of all images (every image has as many pixels: the mean of per-image MSEs)."""
    return float(np.mean(per_image_errors(model, images)))
