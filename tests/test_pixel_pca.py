"""PCA on raw pixels: agreement with a direct SVD, the design notes' Fashion-MNIST figures, and bad input."""

import itertools

import numpy as np
import pytest

from ae_core.pixel_pca import DEFAULT_KS, PixelPCA

# docs/design.md, "The lecture's numbers": test-set MSE of PCA fitted on the training pixels, reconstructions clipped to [0, 1].
DESIGN_TEST_MSE = {2: 0.0456, 8: 0.0260, 16: 0.0198, 32: 0.0145, 64: 0.0098, 128: 0.0059}


@pytest.fixture(scope="module")
def random_split():
    """A small random 'training' matrix with unequal variances per feature, and held-out rows from the same source."""
    rng = np.random.default_rng(7)
    scales = np.linspace(3.0, 0.1, 12)
    train = rng.standard_normal((60, 12)) * scales + 0.5
    held_out = rng.standard_normal((25, 12)) * scales + 0.5
    return train, held_out


@pytest.fixture(scope="module")
def fashion_pca(fashion_mnist):
    return PixelPCA.fit(fashion_mnist.x_train)


def svd_reconstruction(train, images, k):
    """The textbook computation: SVD of the centred training data, project on the first k right singular vectors."""
    mean = train.mean(axis=0)
    _, _, right_vectors = np.linalg.svd(train - mean, full_matrices=False)
    axes = right_vectors[:k]
    return (images - mean) @ axes.T @ axes + mean


@pytest.mark.parametrize("k", [1, 2, 5, 9, 11])
def test_reconstruction_matches_a_direct_svd(random_split, k):
    train, held_out = random_split
    pca = PixelPCA.fit(train)
    for images in (train, held_out):
        expected = svd_reconstruction(train, images, k)
        np.testing.assert_allclose(pca.reconstruct(images, k, clip=False), expected, atol=2e-5)


def test_variances_match_the_singular_values(random_split):
    train, _ = random_split
    singular_values = np.linalg.svd(train - train.mean(axis=0), compute_uv=False)
    pca = PixelPCA.fit(train)
    np.testing.assert_allclose(pca.explained_variance, singular_values**2 / (len(train) - 1), rtol=1e-6)  # float32 pixels
    assert pca.explained_variance_ratio.sum() == pytest.approx(1.0)


def test_components_are_orthonormal_and_strongest_first(random_split):
    pca = PixelPCA.fit(random_split[0])
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(12), atol=1e-6)
    assert np.all(np.diff(pca.explained_variance) <= 0)


def test_mse_by_k_matches_reconstruct_and_decreases_with_k(random_split):
    train, held_out = random_split
    pca = PixelPCA.fit(train)
    ks = list(range(13))
    errors = pca.mse_by_k(held_out, ks, clip=False, chunk_size=7)  # chunks that do not divide the rows
    for k in ks:
        direct = np.mean((pca.reconstruct(held_out, k, clip=False) - held_out) ** 2)
        assert errors[k] == pytest.approx(direct, rel=1e-5)
    values = [errors[k] for k in ks]
    assert all(later < earlier for earlier, later in itertools.pairwise(values))
    assert errors[12] < 1e-10


def test_all_components_rebuild_images_exactly():
    """A full basis from a rank-deficient fit (fewer samples than pixels) still reconstructs any image."""
    rng = np.random.default_rng(3)
    train = rng.random((50, 28, 28), dtype=np.float32)
    other = rng.random((5, 28, 28), dtype=np.float32)
    pca = PixelPCA.fit(train)
    rebuilt = pca.reconstruct(other, 784)
    assert rebuilt.shape == other.shape and rebuilt.dtype == np.float32
    np.testing.assert_allclose(rebuilt, other, atol=1e-5)


def test_clipping_keeps_pixels_in_range_and_never_raises_the_error():
    rng = np.random.default_rng(5)
    train = rng.random((40, 16)) ** 3
    pca = PixelPCA.fit(train)
    clipped = pca.reconstruct(train, 2)
    unclipped = pca.reconstruct(train, 2, clip=False)
    assert unclipped.min() < 0.0 or unclipped.max() > 1.0  # else this test checks nothing
    assert clipped.min() >= 0.0 and clipped.max() <= 1.0
    assert pca.mse_by_k(train, [2])[2] < pca.mse_by_k(train, [2], clip=False)[2]


def test_fashion_mnist_test_mse_matches_the_design_notes(fashion_pca, fashion_mnist):
    errors = fashion_pca.mse_by_k(fashion_mnist.x_test, DEFAULT_KS)
    assert list(errors) == list(DEFAULT_KS)
    for k, expected in DESIGN_TEST_MSE.items():
        assert errors[k] == pytest.approx(expected, rel=0.02), k
    values = list(errors.values())
    assert all(later < earlier for earlier, later in itertools.pairwise(values))
    assert fashion_pca.mse_by_k(fashion_mnist.x_test[:500], [784])[784] < 1e-10


def test_fashion_mnist_reconstruction_keeps_the_input_shape(fashion_pca, fashion_mnist):
    images = fashion_mnist.x_test[:8]
    assert fashion_pca.reconstruct(images, 16).shape == (8, 28, 28)
    assert fashion_pca.reconstruct(images.reshape(8, 784), 16).shape == (8, 784)
    assert fashion_pca.project(images, 3).shape == (8, 3)
    assert fashion_pca.components.nbytes == 784 * 784 * 4


@pytest.mark.parametrize("k", [-1, 13, 2.5, True])
def test_bad_k_is_refused(random_split, k):
    pca = PixelPCA.fit(random_split[0])
    with pytest.raises(ValueError, match="number of components"):
        pca.reconstruct(random_split[1], k)


def test_bad_input_is_refused(random_split):
    train, _ = random_split
    with pytest.raises(ValueError, match="at least two"):
        PixelPCA.fit(train[:1])
    with pytest.raises(ValueError, match="NaN"):
        PixelPCA.fit(np.where(np.eye(60, 12) > 0, np.nan, train))
    pca = PixelPCA.fit(train)
    with pytest.raises(ValueError, match="pixels"):
        pca.reconstruct(np.zeros((3, 13)), 2)
    with pytest.raises(ValueError, match="No images"):
        pca.mse_by_k(np.zeros((0, 12)), [2])
    with pytest.raises(ValueError, match="No numbers"):
        pca.mse_by_k(train, [])
