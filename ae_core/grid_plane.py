"""Which plane of a model's latent space the latent-grid page decodes, and where the test codes fall in its cells.

Usage:
    plane = grid_plane(space, n=15, variational=model.variational)
    images = decode_batch(decoder, plane.grid.codes)            # one call for all n*n cells
    cells = plane.cell_coordinates(space.codes)                  # (m, 2) in cell units, NaN outside the grid

The plane: for a VAE, two raw dimensions at the prior's quantiles (the Keras VAE example's figure; for more than two
dimensions the two along which the test codes vary most, every other one at the prior's mean 0); for a plain model
with a 2-D latent space its own axes z0, z1 over the data's range; otherwise the first two principal axes of the
test codes over the data's range, through their mean.

Cell units put the grid and the codes on one scale: x runs from 0 at the left edge of the first column to n at the
right edge of the last, y from 0 at the bottom edge to n at the top. Each cell is then the unit square
[col, col+1] x [n-1-row, n-row], whatever the spacing of the grid's values (a prior grid's quantiles are closer
together near 0): the mosaic drawn over [0, n]² and the codes mapped the same way line up cell for cell. A cell's own
value maps to the middle of its square, and between two such middles a value maps linearly; since the edges lie
midway between neighbouring values, they land on whole numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ae_core.latent_grid import LatentGrid, data_range, grid_on_axes, prior_grid, raw_axes

PLANE_KINDS = ("principal", "raw", "prior")


@dataclass(frozen=True)
class GridPlane:
    """A grid and how it was laid: `kind` is one of PLANE_KINDS; `axes` are the principal axes (0, 1) for "principal"
    and the raw dimensions (x, y) otherwise."""

    grid: LatentGrid
    kind: str
    axes: tuple[int, int]

    @property
    def n(self) -> int:
        return self.grid.n

    def cell_coordinates(self, codes: np.ndarray) -> np.ndarray:
        """Codes (m, latent_dim) in cell units (see the module notes): (m, 2), NaN for a code outside the grid.

        Every plane here has orthonormal axes (principal axes, unit vectors), so a code's place on it is two dot
        products: for the 10,000 test codes ~100 times faster than a general least-squares fit, which gives the
        same numbers (tests/plane_reference.py).
        """
        axes = np.stack([self.grid.axis_x, self.grid.axis_y], axis=1)
        plane = (np.atleast_2d(np.asarray(codes, dtype=np.float64)) - self.grid.origin) @ axes
        cells = np.column_stack([_to_cell_units(plane[:, 0], self.grid.x_values, self.grid.x_edges),
                                 _to_cell_units(plane[:, 1], self.grid.y_values[::-1], self.grid.y_edges)])
        cells[np.isnan(cells).any(axis=1)] = np.nan
        return cells

    def negative_share(self) -> float:
        """Share of the cells whose code has a negative value: codes a ReLU encoder never produces."""
        return float(np.mean((self.grid.codes < 0).any(axis=1)))


def grid_plane(space, n: int, variational: bool) -> GridPlane:
    """The plane the page shows for a model's encoded test set `space` (ae_core.latent.LatentSpace), n×n cells."""
    if variational:
        axes = (0, 1) if space.latent_dim == 2 else tuple(sorted(int(d) for d in space.dims_by_variance()[:2]))
        return GridPlane(prior_grid(n, space.latent_dim, x_dim=axes[0], y_dim=axes[1]), "prior", axes)
    if space.latent_dim == 2:
        origin, axis_x, axis_y = raw_axes(2)
        grid = grid_on_axes(origin, axis_x, axis_y, x_range=data_range(space.codes[:, 0]),
                            y_range=data_range(space.codes[:, 1]), n=n)
        return GridPlane(grid, "raw", (0, 1))
    grid = grid_on_axes(space.pca.mean, space.pca.components[0], space.pca.components[1],
                        x_range=data_range(space.coordinates[:, 0]), y_range=data_range(space.coordinates[:, 1]), n=n)
    return GridPlane(grid, "principal", (0, 1))


def tick_cells(n: int, most: int = 5) -> np.ndarray:
    """Up to `most` evenly spread cell indices from 0 to n-1, both ends included: where the axes show values."""
    return np.unique(np.round(np.linspace(0, n - 1, min(most, n))).astype(int))


def _to_cell_units(values: np.ndarray, cell_values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Values on one axis in cell units: the outer edges to 0 and n, each cell's value to its middle (both increasing)."""
    knots = np.concatenate([[edges[0]], cell_values, [edges[-1]]])
    targets = np.concatenate([[0.0], np.arange(len(cell_values)) + 0.5, [float(len(cell_values))]])
    cells = np.interp(values, knots, targets)
    cells[(values < edges[0]) | (values > edges[-1])] = np.nan
    return cells
