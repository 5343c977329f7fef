"""The latent space of a trained autoencoder: encode a dataset, PCA of the codes, slider ranges, interpolation.

Usage: `codes = encode(model, data.x_test); space = LatentSpace.from_codes(codes, data.y_test)`

Encoding and decoding call `model.encoder` / `model.decoder` directly: `model.predict` costs ~50 ms a call
here against ~1 ms for a direct call (docs/design.md). Inside Streamlit, decode through a CompiledDecoder
instead (see why there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ae_core.batches import BATCH_SIZE, in_batches
from ae_core.decoder_export import activation_name

# Slider ranges cover the 1st..99th percentile of the data, widened by this fraction of that span on each side:
# the extremes stay reachable without a few outliers stretching every slider.
RANGE_PERCENTILES = (1.0, 99.0)
RANGE_MARGIN = 0.1
# A dimension that never varies (a ReLU unit that is always 0) still gets a usable slider this wide.
MIN_RANGE_WIDTH = 1.0


def encode(model, images: np.ndarray, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Codes of `images` (n, 28, 28) as float32 (n, latent_dim), encoded `batch_size` at a time."""
    images = np.asarray(images, dtype=np.float32)
    if len(images) == 0:
        raise ValueError("No images to encode.")
    return in_batches(lambda batch: model.encoder(batch, training=False), images, batch_size).astype(np.float32, copy=False)


def decode(model, code: np.ndarray) -> np.ndarray:
    """The 28x28 image the decoder makes of one code (latent_dim,)."""
    return decode_batch(model, np.asarray(code, dtype=np.float32)[None, :])[0]


def decode_batch(model, codes: np.ndarray) -> np.ndarray:
    """Images (n, 28, 28) for codes (n, latent_dim), in one call of the model's decoder (or a CompiledDecoder)."""
    codes = np.asarray(codes, dtype=np.float32)
    if codes.ndim != 2:
        raise ValueError(f"Codes must be a 2-D array (n, latent_dim), got shape {codes.shape}.")
    if isinstance(model, CompiledDecoder):
        return model(codes)
    return np.asarray(model.decoder(codes, training=False))


class CompiledDecoder:
    """A model's decoder made fast to call; call it with codes (n, latent_dim) to get images (n, 28, 28).

    A decoder of Dense layers alone (the lecture's) runs in NumPy: its weights copied once, a call is one or two small
    matrix products (~0.05 ms) where a call into TensorFlow costs ~2 ms of overhead, a tenth of a slider move's server
    CPU under a class's load (docs/scaling.md). Any other decoder is compiled once with XLA: Streamlit runs
    keras.backend.clear_session() after every script run, which (unless ui/runtime.py has swapped it) empties
    TensorFlow's kernel cache, so a direct call rebuilds every kernel: 7 ms (dense-64) and 23 ms (conv-64) right after
    a clear, over 200 ms on a busy machine; the compiled function keeps its program and takes ~2 ms. Outputs match the
    direct call to ~1e-7. Each new batch size compiles once (30-100 ms). Where compiling fails, calls fall back to the
    direct decoder.
    """

    def __init__(self, model):
        self._decoder = model.decoder
        self.latent_dim = int(model.decoder.input_shape[-1])
        self._output_shape = tuple(int(size) for size in model.decoder.output_shape[1:])
        self._dense_layers = _dense_layers(model.decoder)
        self._function = None
        if self._dense_layers is not None:
            return
        try:
            import tensorflow as tf

            signature = [tf.TensorSpec((None, self.latent_dim), tf.float32)]
            self._function = tf.function(model.decoder, input_signature=signature, jit_compile=True)
            self(np.zeros((1, self.latent_dim), dtype=np.float32))  # compile now, not on the first slider release
        except Exception:  # no TensorFlow backend, or an op XLA cannot compile: the direct call still works
            self._function = None

    @property
    def compiled(self) -> bool:
        return self._function is not None or self._dense_layers is not None

    def __call__(self, codes: np.ndarray) -> np.ndarray:
        codes = np.asarray(codes, dtype=np.float32)
        if self._dense_layers is not None:
            values = codes
            for kernel, bias, activation in self._dense_layers:
                values = _ACTIVATIONS[activation](values @ kernel + bias)
            return values.reshape((len(codes), *self._output_shape))
        if self._function is not None:
            return np.asarray(self._function(codes))
        return np.asarray(self._decoder(codes, training=False))


_ACTIVATIONS = {
    "linear": lambda values: values,
    "relu": lambda values: np.maximum(values, 0.0),
    "sigmoid": lambda values: 0.5 * (1.0 + np.tanh(0.5 * values)),  # the logistic function, without overflow
}


def _dense_layers(decoder) -> list[tuple[np.ndarray, np.ndarray, str]] | None:
    """(kernel, bias, activation) of each layer of a decoder made of Dense layers (and a final Reshape); else None."""
    import keras

    layers = []
    for layer in decoder.layers:
        if isinstance(layer, keras.layers.InputLayer | keras.layers.Reshape):
            continue
        if not isinstance(layer, keras.layers.Dense):
            return None
        try:
            activation = activation_name(layer)  # read as the browser's exported decoder reads it
        except ValueError:
            return None
        if activation not in _ACTIVATIONS:
            return None
        bias = np.asarray(layer.bias, dtype=np.float32) if layer.use_bias else np.float32(0.0)
        layers.append((np.asarray(layer.kernel, dtype=np.float32), bias, activation))
    return layers or None


@dataclass(frozen=True)
class PCA:
    """Principal axes of a set of codes. `components` rows are orthonormal axes, strongest first."""

    mean: np.ndarray  # (latent_dim,)
    components: np.ndarray  # (n_components, latent_dim)
    explained_variance: np.ndarray  # (n_components,), variance of the data along each axis
    explained_variance_ratio: np.ndarray  # (n_components,), share of the total variance

    @property
    def n_components(self) -> int:
        return len(self.components)

    def project(self, codes: np.ndarray, n_components: int | None = None) -> np.ndarray:
        """Coordinates of codes (n, d) or one code (d,) along the first `n_components` axes (all by default)."""
        axes = self.components[:n_components]
        return (np.asarray(codes, dtype=np.float64) - self.mean) @ axes.T

    def reconstruct(self, coordinates: np.ndarray) -> np.ndarray:
        """Codes from coordinates along the first k axes (k = last dimension of `coordinates`)."""
        coordinates = np.asarray(coordinates, dtype=np.float64)
        k = coordinates.shape[-1]
        if k > self.n_components:
            raise ValueError(f"Got {k} coordinates for a PCA with {self.n_components} components.")
        return coordinates @ self.components[:k] + self.mean

    def move_along(self, code: np.ndarray, axis: int, coordinate: float) -> np.ndarray:
        """`code` moved along principal axis `axis` until its coordinate there is `coordinate`.

        The axes are orthonormal, so every other principal coordinate of the code stays as it was.
        """
        code = np.asarray(code, dtype=np.float64)
        current = float((code - self.mean) @ self.components[axis])
        return code + (coordinate - current) * self.components[axis]


def fit_pca(codes: np.ndarray) -> PCA:
    """PCA of codes (n, d) by SVD of the centred data; each axis' sign is fixed so its largest loading is positive."""
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2 or len(codes) < 2:
        raise ValueError(f"PCA needs at least two codes in a 2-D array, got shape {codes.shape}.")
    mean = codes.mean(axis=0)
    _, singular_values, components = np.linalg.svd(codes - mean, full_matrices=False)
    # SVD leaves each axis' sign arbitrary; fixing it keeps the map and the sliders the same from run to run.
    strongest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(len(components)), strongest])
    signs[signs == 0] = 1.0
    components = components * signs[:, None]
    variance = singular_values**2 / (len(codes) - 1)
    total = variance.sum()
    ratio = variance / total if total > 0 else np.zeros_like(variance)
    return PCA(mean=mean, components=components, explained_variance=variance, explained_variance_ratio=ratio)


def slider_ranges(values: np.ndarray, nonnegative: bool | None = None) -> np.ndarray:
    """(low, high) per column of values (n, d): the 1st..99th percentiles, widened a little.

    Where every value is >= 0 (a ReLU encoder's codes) the ranges start at exactly 0, since a code can never go
    below it. `nonnegative` overrides that detection.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or len(values) == 0:
        raise ValueError(f"Expected a non-empty 2-D array (n, d), got shape {values.shape}.")
    if nonnegative is None:
        nonnegative = bool((values >= 0).all())
    low, high = np.percentile(values, RANGE_PERCENTILES, axis=0)
    margin = RANGE_MARGIN * (high - low)
    low, high = low - margin, high + margin
    if nonnegative:
        low = np.zeros_like(low)
    narrow = high - low < MIN_RANGE_WIDTH * 1e-3
    high = np.where(narrow, low + MIN_RANGE_WIDTH, high)
    return np.stack([low, high], axis=1)


def interpolate(start: np.ndarray, end: np.ndarray, steps: int) -> np.ndarray:
    """`steps` codes on the straight line from `start` to `end`, both included: (steps, d)."""
    if steps < 2:
        raise ValueError(f"Interpolation needs at least 2 steps, got {steps}.")
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    if start.shape != end.shape:
        raise ValueError(f"Codes of different shapes: {start.shape} and {end.shape}.")
    weights = np.linspace(0.0, 1.0, steps)[:, None]
    return (1.0 - weights) * start + weights * end


def class_means(codes: np.ndarray, labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Mean code of each class: (num_classes, d). A class without examples gets NaNs."""
    codes = np.asarray(codes, dtype=np.float64)
    labels = np.asarray(labels)
    if len(codes) != len(labels):
        raise ValueError(f"{len(codes)} codes but {len(labels)} labels.")
    sums = np.zeros((num_classes, codes.shape[1]))
    np.add.at(sums, labels, codes)
    counts = np.bincount(labels, minlength=num_classes)[:num_classes]
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts[:, None]


def nearest_indices(codes: np.ndarray, code: np.ndarray, count: int) -> np.ndarray:
    """Rows of `codes` (n, d) nearest to `code` (d,) by Euclidean distance, nearest first (ties: lower index first)."""
    distances = np.sum(np.square(np.asarray(codes, dtype=np.float64) - np.asarray(code, dtype=np.float64)), axis=1)
    return np.argsort(distances, kind="stable")[:count]


def random_code(space: LatentSpace, rng: np.random.Generator, prior: bool = False) -> np.ndarray:
    """A draw from a Gaussian fitted to the codes (PCA axes, their variances), kept within the data's ranges; with
    `prior`, a draw from a VAE's prior N(0, I) itself, which its decoder was trained to turn into garments."""
    if prior:
        return rng.standard_normal(space.latent_dim)
    scales = np.sqrt(space.pca.explained_variance)
    code = space.pca.reconstruct(rng.standard_normal(len(scales)) * scales)
    return np.clip(code, space.dim_ranges[:, 0], space.dim_ranges[:, 1])


@dataclass(frozen=True)
class LatentSpace:
    """Everything the explorer and the map need to know about one model's codes of one dataset."""

    codes: np.ndarray  # (n, latent_dim) float32
    labels: np.ndarray  # (n,)
    pca: PCA
    coordinates: np.ndarray  # (n, n_components): every code projected on the principal axes
    dim_ranges: np.ndarray  # (latent_dim, 2): slider range per raw dimension
    pc_ranges: np.ndarray  # (n_components, 2): slider range per principal axis
    class_means: np.ndarray  # (num_classes, latent_dim)
    nonnegative: bool  # every code >= 0 (a ReLU encoder)
    dim_variance: np.ndarray  # (latent_dim,): variance of each raw dimension over the codes

    @property
    def latent_dim(self) -> int:
        return self.codes.shape[1]

    @property
    def map_on_raw_axes(self) -> bool:
        """A 2-D latent space is mapped on its own axes z0/z1: a PCA of two dimensions would only rotate them."""
        return self.latent_dim == 2

    def map_coordinates(self, codes: np.ndarray) -> np.ndarray:
        """Where codes (n, d) or one code (d,) sit on the latent map: raw axes for a 2-D space, else principal axes."""
        codes = np.asarray(codes, dtype=np.float64)
        return codes if self.map_on_raw_axes else self.pca.project(codes)

    def dims_by_variance(self) -> np.ndarray:
        """Raw dimensions, the most varied first (ties in index order)."""
        return np.argsort(-self.dim_variance, kind="stable")

    @classmethod
    def from_codes(cls, codes: np.ndarray, labels: np.ndarray, num_classes: int = 10) -> LatentSpace:
        codes = np.asarray(codes, dtype=np.float32)
        pca = fit_pca(codes)
        coordinates = pca.project(codes)
        nonnegative = bool((codes >= 0).all())
        return cls(codes=codes, labels=np.asarray(labels), pca=pca, coordinates=coordinates,
                   dim_ranges=slider_ranges(codes, nonnegative), pc_ranges=slider_ranges(coordinates, False),
                   class_means=class_means(codes, labels, num_classes), nonnegative=nonnegative,
                   dim_variance=codes.var(axis=0, dtype=np.float64))

    @classmethod
    def from_model(cls, model, images: np.ndarray, labels: np.ndarray, num_classes: int = 10) -> LatentSpace:
        return cls.from_codes(encode(model, images), labels, num_classes)

    def make_readonly(self) -> LatentSpace:
        """Freeze every array (for a cache shared between sessions); returns self."""
        for array in (self.codes, self.labels, self.coordinates, self.dim_ranges, self.pc_ranges, self.class_means,
                      self.dim_variance, self.pca.mean, self.pca.components, self.pca.explained_variance,
                      self.pca.explained_variance_ratio):
            array.flags.writeable = False
        return self
