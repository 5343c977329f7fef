import numpy as np
import pytest

from ae_core.config import ModelConfig, TrainConfig
from ae_core.training.progress import ProgressListener
from ae_core.training.trainer import evaluate_mse, train

QUICK = TrainConfig(epochs=2, batch_size=64, seed=7)


class RecordingListener(ProgressListener):
    def __init__(self):
        self.batches, self.epochs, self.reports = [], [], []

    def on_batch(self, epoch, batch, batches, loss):
        self.batches.append((epoch, batch, batches))

    def on_epoch(self, report):
        self.epochs.append((report.epoch, report.epochs, report.val_loss))
        self.reports.append(report)


def test_training_reports_batches_and_epochs_and_learns(small_data):
    listener = RecordingListener()
    result = train(ModelConfig("dense", 16), QUICK, small_data, listener=listener)
    assert [epoch for epoch, _, _ in listener.epochs] == [1, 2]
    assert listener.batches[-1] == (2, 31, 31)  # 2000 images // 64 per batch = 31 full batches
    assert result.epochs_completed == 2 and not result.stopped_early
    assert result.history["val_loss"][-1] == pytest.approx(result.val_mse)
    assert result.history["val_loss"][1] < result.history["val_loss"][0]
    # The reported validation MSE is the test set's MSE, measured again independently.
    assert evaluate_mse(result.model, small_data.x_test) == pytest.approx(result.val_mse, rel=1e-4)
    # The learning film: the same 8 test images after every epoch, and the model's reconstructions of them.
    assert len(result.film) == 2 and result.film[0].shape == (8, 28, 28) and result.film[0].dtype == np.uint8
    assert [small_data.y_test[index] for index in result.film_indices] == list(range(8))
    final = np.asarray(result.model(small_data.x_test[result.film_indices]))
    np.testing.assert_allclose(result.film[-1] / 255.0, final, atol=1 / 255 + 1e-6)
    assert not np.array_equal(result.film[0], result.film[1])
    np.testing.assert_array_equal(listener.reports[-1].film_frame, result.film[-1])


def test_same_seed_gives_the_same_weights_and_another_seed_does_not(small_data):
    config = TrainConfig(epochs=1, batch_size=64, seed=3)
    first = train(ModelConfig("dense", 8), config, small_data).model.get_weights()
    second = train(ModelConfig("dense", 8), config, small_data).model.get_weights()
    other = train(ModelConfig("dense", 8), TrainConfig(epochs=1, batch_size=64, seed=4), small_data).model.get_weights()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.allclose(first[0], other[0])


def test_should_stop_ends_the_run_after_the_current_batch(small_data):
    calls = []
    result = train(ModelConfig("dense", 8), TrainConfig(epochs=5, batch_size=64, steps_per_call=1),
                   small_data, should_stop=lambda: calls.append(1) or len(calls) >= 3)
    assert result.stopped_early
    assert result.epochs_completed == 0
    assert len(calls) == 3
    assert np.isfinite(result.val_mse)


@pytest.mark.slow
def test_lecture_recipe_on_real_data_reaches_the_lectures_mse(fashion_mnist):
    """Dense 784-64-784, Adam, MSE, 10 epochs, batch 32, validated on the test set: the lecture reports 0.0088."""
    result = train(ModelConfig("dense", 64), TrainConfig(), fashion_mnist)
    assert result.epochs_completed == 10
    assert result.val_mse <= 0.0090
