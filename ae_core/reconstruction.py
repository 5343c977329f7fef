"""Originals against reconstructions: which test images to show, optional input noise, per-image error.

Usage:
    errors = per_image_errors(model, data.x_test)                      # once per model (10k images)
    order = ordered_indices(data.y_test, class_index=4, order="worst", errors=errors)
    view = reconstruct_view(model, data.x_test, data.y_test, order[:10], noise_std=0.2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ae_core.batches import BATCH_SIZE, in_batches

ORDERS = ("index", "shuffled", "worst")  # test-set order, a seeded shuffle, highest per-image MSE first
ERROR_KINDS = ("absolute", "squared")  # |original - reconstruction| or (original - reconstruction)^2
MAX_NOISE_STD = 1.0
# One seed for the whole app: a test image gets the same noise on every page (Reconstructions, Denoising, …).
NOISE_SEED = 0
# The top of the error maps' colour scale: only the largest 0.5 % of the shown pixels' errors reach full brightness.
ERROR_SCALE_PERCENTILE = 99.5


def reconstruct(model, images: np.ndarray, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """The model's reconstructions of `images` (n, 28, 28), by calling the model directly in batches."""
    images = np.asarray(images, dtype=np.float32)
    if len(images) == 0:
        return np.empty_like(images)
    return in_batches(lambda batch: model(batch, training=False), images, batch_size).reshape(images.shape)


def per_image_mse(originals: np.ndarray, reconstructions: np.ndarray) -> np.ndarray:
    """Mean squared error of each image over its pixels, shape (n,)."""
    difference = np.asarray(reconstructions, dtype=np.float64) - np.asarray(originals, dtype=np.float64)
    return np.mean(np.square(difference), axis=tuple(range(1, difference.ndim)))


def error_maps(originals: np.ndarray, reconstructions: np.ndarray, kind: str = "absolute") -> np.ndarray:
    """Per-pixel error of each image: |original - reconstruction| or its square."""
    if kind not in ERROR_KINDS:
        raise ValueError(f"Unknown error kind {kind!r}; expected one of {ERROR_KINDS}.")
    difference = np.asarray(reconstructions, dtype=np.float32) - np.asarray(originals, dtype=np.float32)
    return np.abs(difference) if kind == "absolute" else np.square(difference)


def error_scale(maps: np.ndarray) -> float:
    """The value at the top of a colour scale shared by all `maps`: their ERROR_SCALE_PERCENTILE-th percentile.

    Errors are heavily skewed (most pixels are near 0, a few edges near 1): scaling to the maximum would leave
    almost every map black, so the brightest colour stands for this value and above.
    """
    if maps.size == 0:
        return 0.0
    scale = float(np.percentile(maps, ERROR_SCALE_PERCENTILE))
    return scale if scale > 0 else float(maps.max())


def gaussian_noise(image_ids: np.ndarray, image_shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Standard normal noise, one pattern per test image: the same (seed, image id) always gives the same pattern.

    Keying each pattern on the image's id rather than its position on screen keeps an image's noise the same
    whether it is shown first, on another page or among the worst; scaling one pattern by the chosen std makes
    the noise grow smoothly as the slider moves instead of jumping to a new draw.
    """
    image_ids = np.asarray(image_ids, dtype=np.int64).reshape(-1)
    noise = np.empty((len(image_ids), *image_shape), dtype=np.float32)
    for row, image_id in enumerate(image_ids):
        noise[row] = np.random.default_rng((int(seed), int(image_id))).standard_normal(image_shape, dtype=np.float32)
    return noise


def add_noise(images: np.ndarray, std: float, seed: int, image_ids: np.ndarray | None = None) -> np.ndarray:
    """`images` plus Gaussian noise of standard deviation `std`, clipped to [0, 1]; a new array.

    image_ids name each image (its index in the test set) so its noise does not depend on which others come
    with it; they default to 0..n-1.
    """
    if not 0.0 <= std <= MAX_NOISE_STD:
        raise ValueError(f"Noise std must be between 0 and {MAX_NOISE_STD}, got {std}.")
    images = np.asarray(images, dtype=np.float32)
    if std == 0.0:
        return images.copy()
    if image_ids is None:
        image_ids = np.arange(len(images))
    if len(image_ids) != len(images):
        raise ValueError(f"Got {len(image_ids)} image ids for {len(images)} images.")
    noisy = images + np.float32(std) * gaussian_noise(image_ids, images.shape[1:], seed)
    return np.clip(noisy, 0.0, 1.0, out=noisy)


def per_image_errors(model, images: np.ndarray, noise_std: float = 0.0, noise_seed: int = NOISE_SEED,
                     batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Per-image MSE against the clean images of the model's reconstructions of (optionally noisy) inputs.

    For the whole test set this is the model's test MSE image by image: its mean equals the overall MSE,
    since every image has the same number of pixels.
    """
    images = np.asarray(images, dtype=np.float32)

    def errors_of(image_ids: np.ndarray) -> np.ndarray:
        clean = images[image_ids]
        return per_image_mse(clean, np.asarray(model(add_noise(clean, noise_std, noise_seed, image_ids), training=False)))

    return in_batches(errors_of, np.arange(len(images)), batch_size)


def ordered_indices(labels: np.ndarray, class_index: int | None = None, order: str = "index", seed: int = 0,
                    errors: np.ndarray | None = None) -> np.ndarray:
    """Test-set indices to page through: only `class_index` if given, in the chosen order.

    "index" keeps the test set's order, "shuffled" is a permutation fixed by `seed`, "worst" puts the highest
    per-image error first (ties keep the test set's order) and needs `errors` for every image.
    """
    labels = np.asarray(labels)
    indices = np.arange(len(labels)) if class_index is None else np.flatnonzero(labels == class_index)
    if order == "index":
        return indices
    if order == "shuffled":
        return np.random.default_rng(seed).permutation(indices)
    if order == "worst":
        if errors is None or len(errors) != len(labels):
            raise ValueError("Sorting by worst needs one error per image.")
        return indices[np.argsort(-np.asarray(errors)[indices], kind="stable")]
    raise ValueError(f"Unknown order {order!r}; expected one of {ORDERS}.")


def page(indices: np.ndarray, offset: int, count: int) -> np.ndarray:
    """Up to `count` indices starting at `offset` (taken modulo the length, so paging past the end wraps)."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}.")
    if len(indices) == 0:
        return indices[:0]
    start = offset % len(indices)
    return indices[start:start + count]


def next_offset(offset: int, count: int, total: int) -> int:
    """The next page's offset; after the last page, back to the first."""
    if total <= 0:
        return 0
    following = (offset % total) + count
    return following if following < total else 0


def previous_offset(offset: int, count: int, total: int) -> int:
    """The previous page's offset; before the first page, the last full or partial page."""
    if total <= 0:
        return 0
    offset %= total
    if offset == 0:
        return ((total - 1) // count) * count
    return max(offset - count, 0)


@dataclass(frozen=True)
class ReconstructionView:
    """What one screen of the Reconstructions page shows, image by image."""

    indices: np.ndarray  # test-set index of each image
    labels: np.ndarray  # class index of each image
    originals: np.ndarray  # clean images, (n, 28, 28)
    inputs: np.ndarray  # what the model was given: the originals, or the originals with noise
    reconstructions: np.ndarray
    mse: np.ndarray  # per image, reconstruction against the clean original
    errors: np.ndarray  # per-pixel error maps against the clean original
    error_scale: float  # the top of the one colour scale shared by all shown maps (see ERROR_SCALE_PERCENTILE)
    noise_std: float

    @property
    def mean_mse(self) -> float:
        return float(np.mean(self.mse)) if len(self.mse) else float("nan")


def reconstruct_view(model, images: np.ndarray, labels: np.ndarray, indices: np.ndarray, *, noise_std: float = 0.0,
                     noise_seed: int = NOISE_SEED, error_kind: str = "absolute") -> ReconstructionView:
    """Reconstruct the images at `indices` (with noise added to the inputs if noise_std > 0) and measure them."""
    indices = np.asarray(indices, dtype=np.int64)
    originals = np.asarray(images[indices], dtype=np.float32)
    inputs = add_noise(originals, noise_std, noise_seed, indices)
    reconstructions = reconstruct(model, inputs)
    maps = error_maps(originals, reconstructions, error_kind)
    return ReconstructionView(
        indices=indices,
        labels=np.asarray(labels)[indices],
        originals=originals,
        inputs=inputs,
        reconstructions=reconstructions,
        mse=per_image_mse(originals, reconstructions),
        errors=maps,
        error_scale=error_scale(maps),
        noise_std=float(noise_std),
    )
