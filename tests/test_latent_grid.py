"""The latent grid: order and ranges of the codes, cells back from points, the mosaic."""

from statistics import NormalDist

import numpy as np
import pytest
from plane_reference import coordinates_on_plane

from ae_core.latent_grid import (
    GRID_SIZE_RANGE,
    check_grid_size,
    data_range,
    grid_on_axes,
    grid_on_plane,
    grid_values_from_quantiles,
    prior_grid,
    raw_axes,
    tile,
)


@pytest.fixture
def pca_like_plane():
    """An origin and two orthonormal axes in a 6-D latent space, like a PCA's mean and first two components."""
    rng = np.random.default_rng(1)
    axes, _ = np.linalg.qr(rng.standard_normal((6, 2)))
    return rng.standard_normal(6), axes[:, 0], axes[:, 1]


def test_raw_grid_is_row_major_with_the_top_row_highest():
    grid = grid_on_axes(*raw_axes(2), x_range=(-1, 1), y_range=(-2, 2), n=5)
    assert grid.codes.shape == (25, 2) and grid.codes.dtype == np.float32
    np.testing.assert_allclose(grid.x_values, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_allclose(grid.y_values, [2, 1, 0, -1, -2])
    # First row: y at its highest, x left to right; first column: x lowest, y top to bottom.
    np.testing.assert_allclose(grid.codes[:5], [[-1, 2], [-0.5, 2], [0, 2], [0.5, 2], [1, 2]])
    np.testing.assert_allclose(grid.codes[::5, 1], [2, 1, 0, -1, -2])
    np.testing.assert_allclose(grid.code_at(4, 0), [-1, -2])
    np.testing.assert_allclose(grid.code_at(0, 4), [1, 2])


def test_a_cells_code_projects_back_to_its_point_on_the_plane(pca_like_plane):
    origin, axis_x, axis_y = pca_like_plane
    grid = grid_on_axes(origin, axis_x, axis_y, x_range=(-3.0, 5.0), y_range=(0.5, 2.0), n=7)
    assert grid.latent_dim == 6 and grid.codes.shape == (49, 6)
    coordinates = coordinates_on_plane(grid, grid.codes)
    for row in range(7):
        for col in range(7):
            expected = (grid.x_values[col], grid.y_values[row])
            np.testing.assert_allclose(coordinates[row * 7 + col], expected, atol=1e-5)
            np.testing.assert_allclose(coordinates_on_plane(grid, grid.code_at(row, col)), expected, atol=1e-5)
    # Orthonormal axes: the projection is the plain dot product, as for a PCA's coordinates.
    np.testing.assert_allclose(coordinates[:, 0], (grid.codes - origin) @ axis_x, atol=1e-5)


def test_projection_with_axes_that_are_not_orthogonal():
    grid = grid_on_axes(np.zeros(3), [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], x_range=(0, 1), y_range=(0, 1), n=5)
    np.testing.assert_allclose(coordinates_on_plane(grid, grid.code_at(1, 3)), [grid.x_values[3], grid.y_values[1]],
                               atol=1e-6)


def test_cell_edges_lie_midway_between_values():
    grid = grid_on_axes(*raw_axes(2), x_range=(0, 4), y_range=(0, 4), n=5)  # values 0..4, cells 1 wide
    np.testing.assert_allclose(grid.x_edges, [-0.5, 0.5, 1.5, 2.5, 3.5, 4.5])
    np.testing.assert_allclose(grid.y_edges, [-0.5, 0.5, 1.5, 2.5, 3.5, 4.5])


def test_quantile_values_follow_the_standard_normal():
    values = grid_values_from_quantiles(5)
    expected = [NormalDist().inv_cdf(p) for p in (0.05, 0.275, 0.5, 0.725, 0.95)]
    np.testing.assert_allclose(values, expected)
    assert values[0] == pytest.approx(-1.6449, abs=1e-4) and values[2] == 0.0
    # Equal prior mass between neighbours: the normal's CDF at the values is evenly spaced.
    cdf = np.array([NormalDist().cdf(value) for value in grid_values_from_quantiles(11, 0.1, 0.9)])
    np.testing.assert_allclose(np.diff(cdf), 0.08)


def test_prior_grid_on_a_larger_latent_space():
    grid = prior_grid(9, latent_dim=4, x_dim=2, y_dim=0)
    values = grid_values_from_quantiles(9)
    assert grid.codes.shape == (81, 4)
    np.testing.assert_allclose(grid.codes[:, [1, 3]], 0.0)
    np.testing.assert_allclose(grid.codes[:9, 2], values, rtol=1e-6)  # x along dimension 2
    np.testing.assert_allclose(grid.codes[::9, 0], values[::-1], rtol=1e-6)  # y along dimension 0, top row highest
    # Cells are not equally wide: the edges follow the quantile spacing, widest at the ends.
    widths = np.diff(grid.x_edges)
    assert widths[0] > widths[4] and widths[-1] > widths[4]


@pytest.mark.parametrize("n", [GRID_SIZE_RANGE[0], 12, GRID_SIZE_RANGE[1]])
def test_grid_sizes_in_range(n):
    assert check_grid_size(n) == n
    assert grid_on_axes(*raw_axes(2), x_range=(0, 1), y_range=(0, 1), n=n).codes.shape == (n * n, 2)
    assert prior_grid(n).codes.shape == (n * n, 2)


@pytest.mark.parametrize("n", [4, 26, 0, -5, 7.5, True, 100])
def test_grid_sizes_out_of_range_are_refused(n):
    with pytest.raises(ValueError, match="grid size"):
        grid_on_axes(*raw_axes(2), x_range=(0, 1), y_range=(0, 1), n=n)
    with pytest.raises(ValueError, match="grid size"):
        grid_values_from_quantiles(n)


def test_bad_planes_and_ranges_are_refused():
    origin, axis_x, axis_y = raw_axes(3)
    with pytest.raises(ValueError, match="parallel"):
        grid_on_axes(origin, axis_x, 2 * axis_x, x_range=(0, 1), y_range=(0, 1), n=5)
    with pytest.raises(ValueError, match="parallel"):
        grid_on_axes(origin, axis_x, np.zeros(3), x_range=(0, 1), y_range=(0, 1), n=5)
    with pytest.raises(ValueError, match="differ in size"):
        grid_on_axes(np.zeros(2), axis_x, axis_y, x_range=(0, 1), y_range=(0, 1), n=5)
    with pytest.raises(ValueError, match="low < high"):
        grid_on_axes(origin, axis_x, axis_y, x_range=(1, 0), y_range=(0, 1), n=5)
    with pytest.raises(ValueError, match="two numbers"):
        grid_on_axes(origin, axis_x, axis_y, x_range=(0, 1, 2), y_range=(0, 1), n=5)
    with pytest.raises(ValueError, match="increasing"):
        grid_on_plane(origin, axis_x, axis_y, [0, 1, 1, 2, 3], np.arange(5))
    with pytest.raises(ValueError, match="as many y values"):
        grid_on_plane(origin, axis_x, axis_y, np.arange(5), np.arange(6))
    with pytest.raises(ValueError, match="0 < low < high < 1"):
        grid_values_from_quantiles(5, 0.0, 0.9)
    with pytest.raises(ValueError, match="must differ"):
        raw_axes(2, 1, 1)
    with pytest.raises(ValueError, match="at least 2"):
        raw_axes(1)
    grid = grid_on_axes(origin, axis_x, axis_y, x_range=(0, 1), y_range=(0, 1), n=5)
    with pytest.raises(ValueError, match="outside"):
        grid.code_at(5, 0)


def test_data_range():
    values = np.arange(1001, dtype=float)
    assert data_range(values) == pytest.approx((10.0, 990.0))
    assert data_range(values, (0, 100)) == (0.0, 1000.0)
    assert data_range(np.full(50, 3.0)) == (2.5, 3.5)
    with pytest.raises(ValueError, match="finite"):
        data_range([1.0, np.nan])


def test_tile_puts_each_image_in_its_cell():
    n = 5
    images = np.arange(n * n, dtype=np.float32)[:, None, None] * np.ones((1, 28, 28), dtype=np.float32)
    mosaic = tile(images, n)
    assert mosaic.shape == (n * 28, n * 28)
    for row in range(n):
        for col in range(n):
            assert np.all(mosaic[row * 28:(row + 1) * 28, col * 28:(col + 1) * 28] == row * n + col)
    np.testing.assert_array_equal(tile(images[..., None], n), mosaic)  # (count, 28, 28, 1) from a conv decoder
    np.testing.assert_array_equal(tile(images.reshape(n * n, 784), n), mosaic)  # flat, from a dense decoder
    # An image that is not uniform keeps its own orientation inside its cell.
    pattern = np.arange(28 * 28, dtype=np.float32).reshape(28, 28)
    np.testing.assert_array_equal(tile(np.stack([pattern] * 25), 5)[28:56, 56:84], pattern)
    with pytest.raises(ValueError, match="needs 5×5 images"):
        tile(images[:24], n)
    with pytest.raises(ValueError, match="not square"):
        tile(np.zeros((25, 30)), n)


