"""The silhouette score: exact against a brute-force reference, bounded in memory, seeded when sampled."""

import numpy as np
import pytest

from ae_core.separation import silhouette_samples, silhouette_score


def brute_force_silhouettes(points, labels):
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels)
    values = []
    for i, point in enumerate(points):
        distances = np.sqrt(((points - point) ** 2).sum(axis=1))
        same = labels == labels[i]
        if same.sum() == 1:
            values.append(0.0)
            continue
        inside = distances[same].sum() / (same.sum() - 1)
        nearest = min(distances[labels == other].mean() for other in np.unique(labels) if other != labels[i])
        values.append((nearest - inside) / max(inside, nearest))
    return np.array(values)


def test_silhouette_matches_brute_force_on_small_random_data():
    rng = np.random.default_rng(4)
    points = rng.standard_normal((60, 3)) * 2 + 100  # far from the origin: the centring must keep the digits
    labels = rng.integers(0, 4, 60)
    labels[0] = 9  # a class of one point: silhouette 0
    expected = brute_force_silhouettes(points, labels)
    np.testing.assert_allclose(silhouette_samples(points, labels), expected, atol=1e-9)
    # Tiny chunks give the same values as one chunk.
    np.testing.assert_allclose(silhouette_samples(points, labels, pairs_per_chunk=100), expected, atol=1e-9)
    assert silhouette_score(points, labels) == pytest.approx(expected.mean())
    assert expected[0] == 0.0


def test_silhouette_sample_is_seeded_and_uses_every_point_as_reference():
    rng = np.random.default_rng(8)
    points = rng.standard_normal((200, 2))
    labels = rng.integers(0, 3, 200)
    full = brute_force_silhouettes(points, labels)
    chosen = np.sort(np.random.default_rng(5).choice(200, 30, replace=False))
    assert silhouette_score(points, labels, sample=30, seed=5) == pytest.approx(full[chosen].mean())
    assert silhouette_score(points, labels, sample=30, seed=5) == silhouette_score(points, labels, sample=30, seed=5)
    assert silhouette_score(points, labels, sample=500) == pytest.approx(full.mean())


def test_silhouette_separated_blobs_near_one_overlapping_near_zero():
    rng = np.random.default_rng(2)
    labels = np.repeat([0, 1], 500)
    blob = rng.standard_normal((1000, 2)) * 0.1
    separated = blob + np.where(labels[:, None] == 0, [-10.0, 0.0], [10.0, 0.0])
    assert silhouette_score(separated, labels) > 0.98
    assert abs(silhouette_score(blob, labels)) < 0.05


def test_silhouette_bad_input_is_refused():
    with pytest.raises(ValueError, match="two classes"):
        silhouette_score(np.zeros((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="labels"):
        silhouette_score(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        silhouette_score(np.array([[0.0, np.nan], [1.0, 1.0]]), [0, 1])
    with pytest.raises(ValueError, match="sample size"):
        silhouette_score(np.zeros((5, 2)), [0, 0, 1, 1, 1], sample=0)
