"""Seconds until val MSE <= 0.0090: the lecture's recipe as written vs our training pipeline, in one process.

Both train the same dense 784-64-784 model with Adam (lr 1e-3), MSE, batch 32, 10 epochs, validating on the
test set after every epoch. The lecture's code is a plain `compile` + `fit`; ours (ae_core.train) compiles
with XLA and runs 100 steps per call, which removes Keras' per-step Python overhead.

Usage: `.venv/bin/python bench/train_speed.py`  (about a minute on 2 CPU cores)
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402
from keras import layers  # noqa: E402

from ae_core.config import ModelConfig, TrainConfig  # noqa: E402
from ae_core.data import load_fashion_mnist  # noqa: E402
from ae_core.train import train  # noqa: E402

TARGET = 0.0090


def lecture_recipe(data):
    """The lecture's model and training call, in Functional form (its subclass has the same layers)."""
    keras.utils.set_random_seed(0)
    images = keras.Input((28, 28))
    codes = layers.Dense(64, activation="relu")(layers.Flatten()(images))
    decoded = layers.Reshape((28, 28))(layers.Dense(784, activation="sigmoid")(codes))
    model = keras.Model(images, decoded)
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


class EpochTimer:
    def __init__(self):
        self.curve = []  # (seconds since fit started, val MSE) per epoch

    def record(self, seconds, val_loss):
        self.curve.append((seconds, float(val_loss)))

    def on_epoch(self, epoch, epochs, loss, val_loss, seconds):
        self.record(seconds, val_loss)

    def seconds_to_target(self):
        return next((seconds for seconds, val in self.curve if val <= TARGET), float("inf"))


def main():
    data = load_fashion_mnist()
    results = {"lecture recipe (compile + fit)": lecture_recipe(data), "ae_core.train": our_pipeline(data)}
    for name, timer in results.items():
        epochs = next((i + 1 for i, (_, val) in enumerate(timer.curve) if val <= TARGET), None)
        print(f"{name:32} reaches val MSE <= {TARGET} after {timer.seconds_to_target():6.1f} s (epoch {epochs}); "
              f"final val MSE {timer.curve[-1][1]:.5f} after {timer.curve[-1][0]:.1f} s")
    lecture, ours = (timer.seconds_to_target() for timer in results.values())
    print(f"ratio (ours / lecture): {ours / lecture:.3f}   (goal <= 0.35)")


if __name__ == "__main__":
    main()
