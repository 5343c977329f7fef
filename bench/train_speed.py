"""Seconds until val MSE <= 0.0090: the lecture's recipe as written vs our training pipeline, in one process.

Both train the same dense 784-64-784 model with Adam (lr 1e-3), MSE, batch 32, 10 epochs, validating on the
test set after every epoch. The lecture's code is its subclassed model with a plain `compile` + `fit` (run
with verbose=0, which only helps it); ours (ae_core.training.trainer) runs 100 optimizer steps per XLA-compiled call.

Usage: `.venv/bin/python bench/train_speed.py`  (about a minute on 2 CPU cores)
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras
from keras import layers

from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import load_fashion_mnist
from ae_core.training.progress import EpochReport, ProgressListener
from ae_core.training.trainer import train

TARGET = 0.0090


class LectureAutoencoder(keras.Model):
    """The lecture's model, verbatim: Keras' Model Subclassing API with two Sequential halves."""

    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = keras.Sequential([layers.Flatten(), layers.Dense(latent_dim, activation="relu")])
        self.decoder = keras.Sequential([layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28))])

    def call(self, x):
        return self.decoder(self.encoder(x))


def lecture_recipe(data):
    """The lecture's training call as written (compile with 'adam' and MSE; fit for 10 epochs, default batch 32)."""
    keras.utils.set_random_seed(0)
    model = LectureAutoencoder(64)
    model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
    timer = EpochTimer()
    start = time.perf_counter()
    model.fit(data.x_train, data.x_train, epochs=10, shuffle=True, validation_data=(data.x_test, data.x_test),
              callbacks=[keras.callbacks.LambdaCallback(
                  on_epoch_end=lambda epoch, logs: timer.record(time.perf_counter() - start, logs["val_loss"]))],
              verbose=0)
    return timer


def our_pipeline(data):
    timer = EpochTimer()
    train(ModelConfig("dense", 64), TrainConfig(seed=0), data, listener=timer)
    return timer


class EpochTimer(ProgressListener):
    def __init__(self):
        self.curve = []  # (seconds since fit started, val MSE) per epoch

    def record(self, seconds, val_loss):
        self.curve.append((seconds, float(val_loss)))

    def on_epoch(self, report: EpochReport):
        self.record(report.seconds, report.val_loss)

    def seconds_to_target(self):
        return next((seconds for seconds, val in self.curve if val <= TARGET), float("inf"))


def main():
    data = load_fashion_mnist()
    results = {"lecture recipe (compile + fit)": lecture_recipe(data), "ae_core.training.trainer": our_pipeline(data)}
    for name, timer in results.items():
        epochs = next((i + 1 for i, (_, val) in enumerate(timer.curve) if val <= TARGET), None)
        print(f"{name:32} reaches val MSE <= {TARGET} after {timer.seconds_to_target():6.1f} s (epoch {epochs}); "
              f"final val MSE {timer.curve[-1][1]:.5f} after {timer.curve[-1][0]:.1f} s")
    lecture, ours = (timer.seconds_to_target() for timer in results.values())
    print(f"ratio (ours / lecture): {ours / lecture:.3f}   (goal <= 0.35)")


if __name__ == "__main__":
    main()
