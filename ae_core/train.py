"""Training: fit an autoencoder on Fashion-MNIST, validating on the test set, with progress reported to a listener.

Usage: `result = train(ModelConfig(), TrainConfig(), load_fashion_mnist(), listener=PrintListener())`
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import keras
import numpy as np

from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import FashionMNIST
from ae_core.models import Autoencoder, build_autoencoder


class ProgressListener(Protocol):
    """What a terminal, a page or a test implements to follow a run. Every method is optional."""

    def on_batch(self, epoch: int, batch: int, batches: int, loss: float) -> None: ...
    def on_epoch(self, epoch: int, epochs: int, loss: float, val_loss: float, seconds: float) -> None: ...


@dataclass
class TrainResult:
    model: Autoencoder
    history: dict[str, list[float]]
    val_mse: float
    seconds: float
    epochs_completed: int
    stopped_early: bool = False
    extra: dict = field(default_factory=dict)


class _ListenerCallback(keras.callbacks.Callback):
    def __init__(self, listener, epochs: int, batches: int, should_stop: Callable[[], bool] | None):
        super().__init__()
        self.listener, self.epochs, self.batches, self.should_stop = listener, epochs, batches, should_stop
        self.epoch = 0
        self.batches_done = 0
        self.full_epochs = 0
        self.start = time.perf_counter()
        self.stopped = False

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.batches_done = 0

    def on_train_batch_end(self, batch, logs=None):
        # With steps_per_execution, Keras reports the last step of the chunk, which can overshoot the epoch's end.
        self.batches_done = min(batch + 1, self.batches)
        if hasattr(self.listener, "on_batch"):
            self.listener.on_batch(self.epoch, self.batches_done, self.batches, float((logs or {}).get("loss", math.nan)))
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self.batches_done < self.batches:
            return  # a run stopped mid-epoch: Keras still validates, but this epoch does not count as done
        self.full_epochs += 1
        logs = logs or {}
        if hasattr(self.listener, "on_epoch"):
            self.listener.on_epoch(
                epoch + 1, self.epochs, float(logs.get("loss", math.nan)), float(logs.get("val_loss", math.nan)),
                time.perf_counter() - self.start,
            )


def compile_for_training(model: Autoencoder, train_config: TrainConfig, train_size: int) -> None:
    steps = train_config.epochs * math.ceil(train_size / train_config.batch_size)
    rate = train_config.learning_rate
    if train_config.schedule == "cosine":
        rate = keras.optimizers.schedules.CosineDecay(train_config.learning_rate, decay_steps=steps)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=rate),
        loss="mse",
        steps_per_execution=train_config.steps_per_execution,
        jit_compile=train_config.jit_compile,
    )


def train(
    model_config: ModelConfig,
    train_config: TrainConfig,
    data: FashionMNIST,
    listener: ProgressListener | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Build a fresh model from the seed and fit it; validation is on the test set, as in the lecture."""
    keras.utils.set_random_seed(train_config.seed)
    model = build_autoencoder(model_config)
    compile_for_training(model, train_config, len(data.x_train))
    batches = math.ceil(len(data.x_train) / train_config.batch_size)
    callback = _ListenerCallback(listener, train_config.epochs, batches, should_stop)
    start = time.perf_counter()
    history = model.fit(
        data.x_train, data.x_train,
        epochs=train_config.epochs,
        batch_size=train_config.batch_size,
        shuffle=True,
        validation_data=(data.x_test, data.x_test),
        callbacks=[callback],
        verbose=0,
    )
    seconds = time.perf_counter() - start
    completed = callback.full_epochs
    # Only full epochs enter the history; Keras also logs the partial epoch of a stopped run.
    history_lists = {key: [float(v) for v in values[:completed]] for key, values in history.history.items()}
    # A stopped run's weights moved on after its last full epoch, so its figure is measured afresh.
    val_mse = evaluate_mse(model, data.x_test) if callback.stopped or not completed else history_lists["val_loss"][-1]
    return TrainResult(model, history_lists, float(val_mse), seconds, completed, stopped_early=callback.stopped)


def evaluate_mse(model: Autoencoder, images: np.ndarray, batch_size: int = 1000) -> float:
    """Mean squared error over all pixels of all images, computed in batches by calling the model directly."""
    total = 0.0
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size]
        reconstructed = np.asarray(model(batch, training=False))
        total += float(np.sum((reconstructed - batch) ** 2))
    return total / images.size
