"""ae_core.reconstruction (choosing, noising, reconstructing and measuring test images) and its viz builders."""

import io

import numpy as np
import pytest
from PIL import Image

from ae_core import pictures
from ae_core import reconstruction as rec
from ae_core.config import ModelConfig
from ae_core.models import build_autoencoder
from ae_core.training.trainer import evaluate_mse


@pytest.fixture(scope="module")
def tiny_model():
    """An untrained Dense autoencoder: its errors vary from image to image, which is all these tests need."""
    return build_autoencoder(ModelConfig("dense", 8))


@pytest.fixture(scope="module")
def images(small_data):
    return small_data.x_test[:300]


@pytest.fixture(scope="module")
def labels(small_data):
    return small_data.y_test[:300]


@pytest.fixture(scope="module")
def errors(tiny_model, images):
    return rec.per_image_errors(tiny_model, images, batch_size=128)


def test_reconstruct_in_batches_matches_one_direct_call(tiny_model, images):
    expected = np.asarray(tiny_model(images[:50], training=False))
    reconstructed = rec.reconstruct(tiny_model, images[:50], batch_size=16)
    assert reconstructed.shape == (50, 28, 28)
    np.testing.assert_allclose(reconstructed, expected, atol=1e-6)
    assert rec.reconstruct(tiny_model, images[:0]).shape == (0, 28, 28)


def test_per_image_mse_matches_a_direct_computation(tiny_model, images, errors):
    for index in (0, 17, 299):
        reconstructed = np.asarray(tiny_model(images[index:index + 1], training=False))[0]
        direct = np.mean((reconstructed.astype(np.float64) - images[index]) ** 2)
        assert errors[index] == pytest.approx(direct, rel=1e-5)
    # Every image has the same number of pixels, so the mean of the per-image MSE is the overall test MSE.
    assert errors.mean() == pytest.approx(evaluate_mse(tiny_model, images), rel=1e-5)
    assert errors.std() > 0


def test_error_maps_absolute_and_squared(tiny_model, images):
    reconstructed = rec.reconstruct(tiny_model, images[:5])
    absolute = rec.error_maps(images[:5], reconstructed, "absolute")
    squared = rec.error_maps(images[:5], reconstructed, "squared")
    np.testing.assert_allclose(absolute, np.abs(reconstructed - images[:5]), atol=1e-7)
    np.testing.assert_allclose(squared, absolute ** 2, atol=1e-7)
    np.testing.assert_allclose(squared.mean(axis=(1, 2)), rec.per_image_mse(images[:5], reconstructed), rtol=1e-5)
    with pytest.raises(ValueError):
        rec.error_maps(images[:5], reconstructed, "relative")


def test_noise_is_reproducible_clipped_and_keyed_by_image(images):
    ids = np.arange(100, 120)
    noisy = rec.add_noise(images[:20], 0.3, seed=7, image_ids=ids)
    np.testing.assert_array_equal(noisy, rec.add_noise(images[:20], 0.3, seed=7, image_ids=ids))
    assert not np.array_equal(noisy, rec.add_noise(images[:20], 0.3, seed=8, image_ids=ids))
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    assert noisy.min() == 0.0 and noisy.max() == 1.0  # std 0.3 pushes some pixels past both ends: they were clipped
    # An image's noise depends on its id, not on which other images come with it.
    alone = rec.add_noise(images[5:6], 0.3, seed=7, image_ids=ids[5:6])
    np.testing.assert_array_equal(alone[0], noisy[5])
    # The input is left alone, and std 0 gives a copy of it.
    assert not np.array_equal(noisy, images[:20])
    clean = rec.add_noise(images[:20], 0.0, seed=7)
    np.testing.assert_array_equal(clean, images[:20])
    assert clean is not images[:20] and not np.shares_memory(clean, images)


def test_noise_has_the_requested_standard_deviation():
    grey = np.full((50, 28, 28), 0.5, dtype=np.float32)  # far from 0 and 1: std 0.1 is almost never clipped
    noise = rec.add_noise(grey, 0.1, seed=0) - grey
    assert noise.std() == pytest.approx(0.1, rel=0.02)
    assert abs(noise.mean()) < 0.002
    with pytest.raises(ValueError):
        rec.add_noise(grey, -0.1, seed=0)


def test_class_filter_returns_only_that_class(labels, errors):
    for order in rec.ORDERS:
        chosen = rec.ordered_indices(labels, class_index=3, order=order, seed=1, errors=errors)
        assert len(chosen) == np.sum(labels == 3) > 0
        assert set(labels[chosen]) == {3}
        assert sorted(chosen) == list(np.flatnonzero(labels == 3))
    everything = rec.ordered_indices(labels)
    np.testing.assert_array_equal(everything, np.arange(len(labels)))


def test_sort_by_worst_returns_descending_mse(labels, errors):
    worst = rec.ordered_indices(labels, order="worst", errors=errors)
    assert worst[0] == np.argmax(errors)
    assert np.all(np.diff(errors[worst]) <= 0)
    assert sorted(worst) == list(range(len(labels)))
    coats = rec.ordered_indices(labels, class_index=4, order="worst", errors=errors)
    assert set(labels[coats]) == {4}
    assert np.all(np.diff(errors[coats]) <= 0)
    assert errors[coats[0]] == errors[labels == 4].max()
    with pytest.raises(ValueError):
        rec.ordered_indices(labels, order="worst")


def test_shuffle_is_a_seeded_permutation(labels):
    first = rec.ordered_indices(labels, order="shuffled", seed=3)
    np.testing.assert_array_equal(first, rec.ordered_indices(labels, order="shuffled", seed=3))
    assert not np.array_equal(first, rec.ordered_indices(labels, order="shuffled", seed=4))
    assert not np.array_equal(first, np.arange(len(labels)))
    assert sorted(first) == list(range(len(labels)))
    with pytest.raises(ValueError):
        rec.ordered_indices(labels, order="random")


def test_paging_covers_everything_once_and_wraps():
    indices = np.arange(100, 125)  # 25 images, pages of 10: 10, 10, 5
    offset, seen = 0, []
    for _ in range(3):
        seen.extend(rec.page(indices, offset, 10))
        offset = rec.next_offset(offset, 10, len(indices))
    assert seen == list(indices)
    assert offset == 0  # after the last page, back to the first
    assert rec.previous_offset(0, 10, 25) == 20  # before the first page, the last one
    assert rec.previous_offset(20, 10, 25) == 10
    assert list(rec.page(indices, 20, 10)) == list(indices[20:])
    assert list(rec.page(indices, 25, 10)) == list(indices[:10])


def test_view_measures_against_the_clean_original(tiny_model, images, labels, errors):
    shown = np.array([4, 9, 2, 250])
    clean = rec.reconstruct_view(tiny_model, images, labels, shown)
    np.testing.assert_allclose(clean.mse, errors[shown], rtol=1e-5)
    np.testing.assert_array_equal(clean.labels, labels[shown])
    np.testing.assert_array_equal(clean.inputs, clean.originals)

    noisy = rec.reconstruct_view(tiny_model, images, labels, shown, noise_std=0.3, noise_seed=5, error_kind="squared")
    np.testing.assert_array_equal(noisy.originals, images[shown])
    assert not np.array_equal(noisy.inputs, noisy.originals)
    np.testing.assert_allclose(noisy.mse, rec.per_image_mse(images[shown], noisy.reconstructions), rtol=1e-6)
    np.testing.assert_allclose(noisy.errors.mean(axis=(1, 2)), noisy.mse, rtol=1e-5)
    # The same image gets the same noise in a view as in the whole-set errors used to sort by worst.
    noisy_errors = rec.per_image_errors(tiny_model, images, noise_std=0.3, noise_seed=5, batch_size=128)
    np.testing.assert_allclose(noisy.mse, noisy_errors[shown], rtol=1e-5)
    assert noisy.error_scale == pytest.approx(np.percentile(noisy.errors, rec.ERROR_SCALE_PERCENTILE))
    assert 0 < noisy.error_scale <= noisy.errors.max()


def test_heatmap_png_is_crisp_and_shares_the_scale():
    values = np.zeros((28, 28), dtype=np.float32)
    values[0, 0], values[0, 1], values[0, 2] = 0.2, 0.4, 0.8  # half the scale, the top of it, past it
    picture = Image.open(io.BytesIO(pictures.heatmap_png(values, scale=0.4, factor=4)))
    assert picture.size == (112, 112) and picture.mode == "RGB"
    pixels = np.asarray(picture)
    lut = pictures._colormap_lut(pictures.ERROR_COLORMAP)
    assert tuple(pixels[0, 0]) == tuple(lut[128])  # half the scale: the middle colour
    assert tuple(pixels[0, 4]) == tuple(lut[255]) == tuple(pixels[0, 8])  # at and past the scale: brightest
    assert tuple(pixels[20, 20]) == tuple(lut[0])
    assert np.all(pixels[:4, :4] == pixels[0, 0])  # one data pixel is a 4x4 block: no smoothing
    bar = Image.open(io.BytesIO(pictures.colorbar_png(width=100, height=10)))
    assert bar.size == (100, 10)
