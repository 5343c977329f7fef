"""The latent grid: N×N codes on a plane of the latent space, decoded in one call and tiled into one mosaic.

Usage:
    grid = grid_on_axes(space.pca.mean, space.pca.components[0], space.pca.components[1],
                        x_range=data_range(space.coordinates[:, 0]), y_range=data_range(space.coordinates[:, 1]), n=15)
    mosaic = tile(decode_batch(decoder, grid.codes), grid.n)       # (15*28, 15*28), one decoder call
    code = grid.code_at(row, col)                                   # a clicked cell's code

Row order: row 0 is the highest y, as in keras-io's examples/generative/vae.py (`grid_y = np.linspace(...)[::-1]`),
so the mosaic and a scatter plot of the same plane with y pointing up have the same orientation; columns go left to
right with x. With evenly spaced values the cells line up with the scatter's area one for one; in general the
scatter's gridlines are `grid.x_edges` and `grid.y_edges`. A plane is an origin and two axes: for a PCA of the codes
the mean and the first two principal axes (as above), for a 2-D latent space the origin and the unit vectors e0, e1
(`raw_axes`).

For a VAE, `prior_grid` places the rows and columns at the standard normal's quantiles of evenly spaced
probabilities (0.05 ... 0.95), as Kingma and Welling's manifold figure and the earlier Keras example
variational_autoencoder.py (`norm.ppf(np.linspace(0.05, 0.95, n))`) did: neighbouring rows and columns are then an
equal share of the prior's mass apart, so the cells crowd where the prior puts its samples. keras-io's current
vae.py spaces z linearly over [-1, 1] instead, which `grid_on_axes` does where wanted.

Kingma and Welling call such a figure the learnt "manifold"; which plane the page decodes is ae_core/grid_plane.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

GRID_SIZE_RANGE = (5, 25)  # fewer cells show no progression; more make each 28-pixel image too small to read
PRIOR_PROBABILITY_RANGE = (0.05, 0.95)  # the grid's outer rows sit at the prior's 5th and 95th percentiles
DATA_PERCENTILES = (1.0, 99.0)  # a plane's range from the data: a few outlying codes do not stretch the grid


@dataclass(frozen=True)
class LatentGrid:
    """N×N codes on the plane origin + x·axis_x + y·axis_y, row-major, row 0 at the highest y."""

    codes: np.ndarray  # (n*n, latent_dim) float32: the code of cell (row, col) is codes[row * n + col]
    x_values: np.ndarray  # (n,) increasing: x of each column, left to right
    y_values: np.ndarray  # (n,) decreasing: y of each row, top to bottom
    origin: np.ndarray  # (latent_dim,)
    axis_x: np.ndarray  # (latent_dim,)
    axis_y: np.ndarray  # (latent_dim,)

    @property
    def n(self) -> int:
        return len(self.x_values)

    @property
    def latent_dim(self) -> int:
        return self.codes.shape[1]

    @property
    def x_edges(self) -> np.ndarray:
        """(n+1,) increasing boundaries between columns: midway between neighbours, half a gap beyond the ends."""
        return _cell_edges(self.x_values)

    @property
    def y_edges(self) -> np.ndarray:
        """(n+1,) increasing boundaries between rows (the top row lies between the last two)."""
        return _cell_edges(self.y_values[::-1])

    def code_at(self, row: int, col: int) -> np.ndarray:
        """The code of one cell, (latent_dim,)."""
        if not (0 <= row < self.n and 0 <= col < self.n):
            raise ValueError(f"Cell ({row}, {col}) is outside a {self.n}×{self.n} grid.")
        return self.codes[row * self.n + col]


def check_grid_size(n: int) -> int:
    """`n` as an int, or a ValueError unless it is a whole number in GRID_SIZE_RANGE."""
    low, high = GRID_SIZE_RANGE
    if isinstance(n, bool) or int(n) != n or not low <= n <= high:
        raise ValueError(f"The grid size must be a whole number from {low} to {high}, got {n!r}.")
    return int(n)


def grid_on_plane(origin: np.ndarray, axis_x: np.ndarray, axis_y: np.ndarray,
                  x_values: np.ndarray, y_values: np.ndarray) -> LatentGrid:
    """The grid at the given column values x and row values y, both increasing and of the same length n.

    The rows come out top to bottom (y decreasing). codes = origin + x·axis_x + y·axis_y.
    """
    origin = _vector(origin, "origin")
    axis_x = _vector(axis_x, "axis_x")
    axis_y = _vector(axis_y, "axis_y")
    if not origin.shape == axis_x.shape == axis_y.shape:
        raise ValueError(f"The origin and axes differ in size: {origin.shape}, {axis_x.shape}, {axis_y.shape}.")
    if np.linalg.matrix_rank(np.stack([axis_x, axis_y])) < 2:
        raise ValueError("The two axes must be non-zero and not parallel.")
    x_values = _increasing_values(x_values, "x")
    y_values = _increasing_values(y_values, "y")
    n = check_grid_size(len(x_values))
    if len(y_values) != n:
        raise ValueError(f"A square grid needs as many y values as x values: {len(y_values)} against {n}.")
    y_top_down = y_values[::-1]
    # Row-major: x varies along a row, y down the rows.
    grid_x, grid_y = np.meshgrid(x_values, y_top_down)
    codes = origin + grid_x.reshape(-1, 1) * axis_x + grid_y.reshape(-1, 1) * axis_y
    return LatentGrid(codes=codes.astype(np.float32), x_values=x_values, y_values=y_top_down,
                      origin=origin, axis_x=axis_x, axis_y=axis_y)


def grid_on_axes(origin: np.ndarray, axis_x: np.ndarray, axis_y: np.ndarray, *,
                 x_range: tuple[float, float], y_range: tuple[float, float], n: int) -> LatentGrid:
    """An n×n grid evenly spaced over x_range × y_range (each (low, high), both ends included)."""
    n = check_grid_size(n)
    return grid_on_plane(origin, axis_x, axis_y, np.linspace(*_range(x_range, "x"), n),
                         np.linspace(*_range(y_range, "y"), n))


def grid_values_from_quantiles(n: int, low: float = PRIOR_PROBABILITY_RANGE[0],
                               high: float = PRIOR_PROBABILITY_RANGE[1]) -> np.ndarray:
    """(n,) increasing values: the standard normal's quantiles at n evenly spaced probabilities from low to high."""
    n = check_grid_size(n)
    if not 0.0 < low < high < 1.0:
        raise ValueError(f"Probabilities must satisfy 0 < low < high < 1, got low={low}, high={high}.")
    # Rounding away linspace's last-bit noise puts the middle of an odd grid exactly at probability 0.5, i.e. z = 0.
    probabilities = np.round(np.linspace(low, high, n), 12)
    standard_normal = NormalDist()
    return np.array([standard_normal.inv_cdf(float(p)) for p in probabilities])


def raw_axes(latent_dim: int, x_dim: int = 0, y_dim: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, axis_x, axis_y) for the plane of two raw latent dimensions: the zero code and unit vectors."""
    if latent_dim < 2:
        raise ValueError(f"A plane needs a latent space of at least 2 dimensions, got {latent_dim}.")
    if x_dim == y_dim or not (0 <= x_dim < latent_dim and 0 <= y_dim < latent_dim):
        raise ValueError(f"Dimensions {x_dim} and {y_dim} must differ and lie in 0..{latent_dim - 1}.")
    identity = np.eye(latent_dim)
    return np.zeros(latent_dim), identity[x_dim], identity[y_dim]


def prior_grid(n: int, latent_dim: int = 2, *, x_dim: int = 0, y_dim: int = 1,
               low: float = PRIOR_PROBABILITY_RANGE[0], high: float = PRIOR_PROBABILITY_RANGE[1]) -> LatentGrid:
    """A VAE's grid over two raw dimensions at the prior's quantiles; every other dimension at the prior's mean 0."""
    values = grid_values_from_quantiles(n, low, high)
    return grid_on_plane(*raw_axes(latent_dim, x_dim, y_dim), values, values)


def data_range(values: np.ndarray, percentiles: tuple[float, float] = DATA_PERCENTILES) -> tuple[float, float]:
    """(low, high) of one coordinate over the data: the given percentiles, at least 1e-6 apart."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if len(values) == 0 or not np.isfinite(values).all():
        raise ValueError("A range needs at least one value, and only finite ones.")
    low, high = (float(value) for value in np.percentile(values, percentiles))
    if high - low < 1e-6:  # every value (nearly) equal: a unit range centred on them
        low, high = (low + high) / 2 - 0.5, (low + high) / 2 + 0.5
    return low, high


def tile(images: np.ndarray, n: int) -> np.ndarray:
    """n*n images (row-major, as the grid's codes) as one (n*h, n*w) mosaic; accepts (n*n, h, w), (n*n, h, w, 1)
    and flat square images (n*n, h*h)."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 2:
        side = round(float(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"Flat images of {images.shape[1]} pixels are not square.")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(f"Expected images (count, height, width), got shape {images.shape}.")
    if isinstance(n, bool) or int(n) != n or n < 1 or len(images) != n * n:
        raise ValueError(f"A {n}×{n} mosaic needs {n}×{n} images, got {len(images)}.")
    n = int(n)
    height, width = images.shape[1:]
    return images.reshape(n, n, height, width).transpose(0, 2, 1, 3).reshape(n * height, n * width)


def _vector(values: np.ndarray, name: str) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float64)
    if vector.ndim != 1 or len(vector) == 0 or not np.isfinite(vector).all():
        raise ValueError(f"The {name} must be a non-empty 1-D array of finite numbers, got shape {vector.shape}.")
    return vector


def _increasing_values(values: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or not np.isfinite(values).all() or np.any(np.diff(values) <= 0):
        raise ValueError(f"The {name} values must be finite and strictly increasing.")
    return values


def _range(value_range: tuple[float, float], name: str) -> tuple[float, float]:
    values = np.asarray(value_range, dtype=np.float64)
    if values.shape != (2,):
        raise ValueError(f"The {name} range must be two numbers (low, high), got shape {values.shape}.")
    low, high = float(values[0]), float(values[1])
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"The {name} range must be two finite numbers, low < high; got ({low}, {high}).")
    return low, high


def _cell_edges(increasing_values: np.ndarray) -> np.ndarray:
    middles = (increasing_values[:-1] + increasing_values[1:]) / 2
    first = increasing_values[0] - (middles[0] - increasing_values[0])
    last = increasing_values[-1] + (increasing_values[-1] - middles[-1])
    return np.concatenate([[first], middles, [last]])
