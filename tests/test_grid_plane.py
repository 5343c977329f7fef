"""The latent-grid page's plane: which one each kind of model gets, and cell units that put codes in their cells."""

import numpy as np
import pytest
from plane_reference import coordinates_on_plane

from ae_core.grid_plane import grid_plane, tick_cells
from ae_core.latent import LatentSpace
from ae_core.latent_grid import grid_values_from_quantiles


def space_of(codes) -> LatentSpace:
    codes = np.asarray(codes, dtype=np.float32)
    return LatentSpace.from_codes(codes, np.arange(len(codes)) % 10)


@pytest.fixture
def relu_codes():
    rng = np.random.default_rng(0)
    return np.maximum(rng.standard_normal((2000, 6)) * [3, 2, 1, 1, 0.5, 0.2] + 0.5, 0)


@pytest.mark.parametrize("variational,latent_dim,kind", [(False, 6, "principal"), (False, 2, "raw"), (True, 2, "prior"),
                                                         (True, 6, "prior")])
def test_each_kind_of_model_gets_its_plane(variational, latent_dim, kind, relu_codes):
    plane = grid_plane(space_of(relu_codes[:, :latent_dim]), 9, variational)
    assert plane.kind == kind and plane.n == 9 and plane.grid.codes.shape == (81, latent_dim)


def test_a_vae_with_many_dimensions_uses_its_two_most_varied_ones_and_keeps_the_rest_at_zero():
    rng = np.random.default_rng(1)
    codes = rng.standard_normal((3000, 5)) * [0.1, 1.0, 0.05, 0.8, 0.1]
    plane = grid_plane(space_of(codes), 7, variational=True)
    assert plane.axes == (1, 3)
    np.testing.assert_array_equal(plane.grid.codes[:, [0, 2, 4]], 0.0)
    np.testing.assert_allclose(np.unique(plane.grid.codes[:, 1]), grid_values_from_quantiles(7), atol=1e-6)


def test_a_cells_own_code_lands_in_the_middle_of_that_cell(relu_codes):
    for variational, codes in ((False, relu_codes), (True, relu_codes[:, :2] - 1)):
        plane = grid_plane(space_of(codes), 11, variational)
        for row, col in ((0, 0), (3, 7), (10, 10)):
            cell = plane.cell_coordinates(plane.grid.code_at(row, col)[None])[0]
            np.testing.assert_allclose(cell, (col + 0.5, 11 - row - 0.5), atol=1e-5)  # row 0 is the top row


def test_uneven_cells_keep_their_edges_on_whole_numbers_and_codes_outside_are_left_out():
    plane = grid_plane(space_of(np.random.default_rng(2).standard_normal((500, 2))), 5, variational=True)
    edges, values = plane.grid.x_edges, plane.grid.x_values
    points = np.array([[edges[1], 0.0], [values[3], 0.0], [(values[3] + edges[4]) / 2, 0.0], [edges[-1] + 0.1, 0.0]])
    cells = plane.cell_coordinates(points)
    np.testing.assert_allclose(cells[:3, 0], [1.0, 3.5, 3.75])  # linear between a cell's middle and its edge
    assert cells[0, 1] == pytest.approx(2.5)  # y = 0 is the middle row's centre
    assert np.isnan(cells[3]).all()


def test_a_relu_models_principal_plane_reaches_codes_below_zero(relu_codes):
    plane = grid_plane(space_of(relu_codes), 15, variational=False)
    assert 0 < plane.negative_share() < 1
    assert grid_plane(space_of(relu_codes[:, :2]), 15, variational=False).negative_share() == 0.0


def test_ticks_include_both_ends():
    assert list(tick_cells(15)) == [0, 4, 7, 10, 14]
    assert list(tick_cells(3)) == [0, 1, 2]


def test_cell_units_place_codes_where_the_grids_own_least_squares_fit_does(relu_codes):
    plane = grid_plane(space_of(relu_codes), 13, variational=False)
    codes = relu_codes[:300]
    fitted = coordinates_on_plane(plane.grid, codes)
    expected = np.column_stack([np.interp(fitted[:, 0], plane.grid.x_values, np.arange(13) + 0.5),
                                np.interp(fitted[:, 1], plane.grid.y_values[::-1], np.arange(13) + 0.5)])
    cells = plane.cell_coordinates(codes)
    between = ~np.isnan(cells).any(axis=1) & (expected > 0.5).all(axis=1) & (expected < 12.5).all(axis=1)
    assert between.sum() > 100
    np.testing.assert_allclose(cells[between], expected[between], atol=1e-6)
