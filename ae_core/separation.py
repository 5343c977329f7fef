"""How well the classes separate in a set of codes: the silhouette score, exact, in bounded memory.

It compares planes of latent spaces: vae-2's raw axes against a plain autoencoder's first two principal axes
(bench/vae_separation.py).

Usage: `silhouette_score(codes_2d, labels, sample=2000)`  # in [-1, 1]; higher separates better
"""

from __future__ import annotations

import numpy as np

# Distances are computed for this many (evaluated point, point) pairs at a time: 4M float64 = 32 MB.
SILHOUETTE_PAIRS_PER_CHUNK = 4_000_000


def silhouette_samples(points: np.ndarray, labels: np.ndarray, indices: np.ndarray | None = None,
                       pairs_per_chunk: int = SILHOUETTE_PAIRS_PER_CHUNK) -> np.ndarray:
    """Silhouette of each point in `indices` (all by default) against every point: (len(indices),) in [-1, 1].

    s = (b - a) / max(a, b), where a is the point's mean Euclidean distance to the other members of its class and
    b the smallest mean distance to the members of another class; 0 for a point alone in its class (the usual
    convention, as in scikit-learn). Distances are computed a chunk of evaluated points at a time, so memory stays
    near `pairs_per_chunk` float64 values whatever the number of points.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or len(points) < 2:
        raise ValueError(f"Expected at least two points in a 2-D array (n, d), got shape {points.shape}.")
    if not np.isfinite(points).all():
        raise ValueError("The points contain NaN or infinite values.")
    labels = np.asarray(labels)
    if labels.shape != (len(points),):
        raise ValueError(f"{len(points)} points but labels of shape {labels.shape}.")
    classes, class_of_point = np.unique(labels, return_inverse=True)
    if len(classes) < 2:
        raise ValueError("The silhouette needs at least two classes.")
    indices = np.arange(len(points)) if indices is None else np.asarray(indices, dtype=np.int64)
    if indices.ndim != 1 or (len(indices) and (indices.min() < 0 or indices.max() >= len(points))):
        raise ValueError(f"Point indices must be a 1-D array of values in 0..{len(points) - 1}.")
    if pairs_per_chunk < 1:
        raise ValueError(f"pairs_per_chunk must be at least 1, got {pairs_per_chunk}.")

    # Centring first keeps |p|^2 + |q|^2 - 2 p·q from losing digits when the points sit far from the origin.
    points = points - points.mean(axis=0)
    squared_norms = np.einsum("ij,ij->i", points, points)
    membership = np.zeros((len(points), len(classes)))
    membership[np.arange(len(points)), class_of_point] = 1.0
    class_sizes = membership.sum(axis=0)
    chunk_size = max(1, pairs_per_chunk // len(points))
    silhouettes = np.empty(len(indices))
    for start in range(0, len(indices), chunk_size):
        chunk = indices[start:start + chunk_size]
        # In place, one (chunk, n) array: this loop is memory-bound, and every temporary would cost another pass.
        distances = points[chunk] @ points.T
        distances *= -2.0
        distances += squared_norms[chunk, None]
        distances += squared_norms[None, :]
        np.maximum(distances, 0.0, out=distances)
        np.sqrt(distances, out=distances)
        distances[np.arange(len(chunk)), chunk] = 0.0  # a point's distance to itself, exactly
        sums_by_class = distances @ membership  # (chunk, classes)
        own = class_of_point[chunk]
        own_size = class_sizes[own]
        rows = np.arange(len(chunk))
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_inside = sums_by_class[rows, own] / (own_size - 1)
            mean_by_class = sums_by_class / class_sizes
        mean_by_class[rows, own] = np.inf
        nearest_other = mean_by_class.min(axis=1)
        largest = np.maximum(mean_inside, nearest_other)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = (nearest_other - mean_inside) / largest
        # Alone in its class, or every distance zero (all points coincide): 0, as scikit-learn has it.
        values[(own_size <= 1) | (largest == 0)] = 0.0
        silhouettes[start:start + len(chunk)] = values
    return silhouettes


def silhouette_score(points: np.ndarray, labels: np.ndarray, sample: int | None = None, seed: int = 0) -> float:
    """Mean silhouette over all points, or over a seeded random `sample` of them (each still measured against all).

    Unlike scikit-learn's `sample_size`, which recomputes the silhouette inside the sample, each sampled point here
    keeps its exact silhouette within the whole set: the sample only estimates the mean, without bias.
    """
    points = np.asarray(points)
    indices = None
    if sample is not None:
        if isinstance(sample, bool) or int(sample) != sample or sample < 1:
            raise ValueError(f"The sample size must be a whole number of at least 1, got {sample!r}.")
        if sample < len(points):
            indices = np.sort(np.random.default_rng(seed).choice(len(points), int(sample), replace=False))
    return float(np.mean(silhouette_samples(points, labels, indices)))
