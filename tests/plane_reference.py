"""Test-only reference: where codes fall on a grid's plane, by a general least-squares fit (any two axes).

The app places codes by two dot products (ae_core/grid_plane.py), right only for orthonormal axes; the tests check it
and the grid's own layout against this fit. Usage: `coordinates_on_plane(grid, codes)` → (m, 2) or (2,).
"""

from __future__ import annotations

import numpy as np


def coordinates_on_plane(grid, codes: np.ndarray) -> np.ndarray:
    """(x, y) on the plane of `grid` (ae_core.latent_grid.LatentGrid) of codes (m, latent_dim) or one code."""
    codes = np.asarray(codes, dtype=np.float64)
    if codes.shape[-1] != grid.latent_dim:
        raise ValueError(f"Codes of size {codes.shape[-1]} for a grid in a {grid.latent_dim}-D latent space.")
    basis = np.stack([grid.axis_x, grid.axis_y], axis=1)
    offsets = (codes - grid.origin).reshape(-1, grid.latent_dim)
    coordinates = np.linalg.lstsq(basis, offsets.T, rcond=None)[0].T
    return coordinates.reshape((*codes.shape[:-1], 2))
