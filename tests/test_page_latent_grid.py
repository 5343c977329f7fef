"""The Latent grid page through AppTest: the mosaic is the grid decoded cell by cell in one call, the map shares its
cells, a VAE gets the prior's quantiles on its raw axes, and clicks open the explorer."""

import base64
import io
import json

import numpy as np
import pytest
from apptest_pages import open_app
from PIL import Image
from streamlit.testing.v1 import AppTest
from tiny_models import install, train_and_store

from ae_core import grid_plane, latent, store
from ae_core.config import ModelConfig, TrainConfig
from ae_core.data import load_fashion_mnist
from ae_core.latent_grid import grid_values_from_quantiles, tile
from ui.i18n import t


@pytest.fixture(scope="module")
def planes():
    """What the page should show at the default size 15, computed here without the app: {model name: (model, space, plane)}."""
    data = load_fashion_mnist(allow_download=False)
    found = {}
    for name in ("dense-64", "vae-2"):
        model = store.load_model(name)
        space = latent.LatentSpace.from_model(model, data.x_test, data.y_test)
        found[name] = model, space, grid_plane.grid_plane(space, 15, model.variational)
    return found


def spec(at: AppTest, chart: int = 0) -> dict:
    """The grid's figure (chart 0) or the map's (chart 1)."""
    return json.loads(at.get("plotly_chart")[chart].proto.spec)


def array(value) -> np.ndarray:
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def mosaic(at: AppTest, n: int) -> np.ndarray:
    """The grid's picture as the page sends it, back at 28 pixels a cell, in [0, 1]."""
    source = spec(at)["layout"]["images"][0]["source"]
    picture = np.asarray(Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1]))), dtype=np.float64) / 255
    factor = picture.shape[0] // (28 * n)
    return picture[::factor, ::factor]


def click(at: AppTest, chart: int, curve: int, customdata: int) -> AppTest:
    """What the browser sends when a point of a chart (0: the grid, 1: the map) is clicked."""
    states = at._tree.get_widget_states()
    selection = states.widgets.add()
    selection.id = at.get("plotly_chart")[chart].proto.id
    point = {"curve_number": curve, "point_number": 0, "point_index": 0, "x": 0.5, "y": 0.5, "customdata": customdata}
    selection.string_value = json.dumps({"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}})
    return at._run(states)


def test_the_mosaic_is_the_principal_plane_decoded_cell_by_cell(planes):
    model, _, plane = planes["dense-64"]
    at = open_app("latent_grid", "en", model_name="dense-64")
    assert not at.exception and not at.error
    expected = tile(latent.decode_batch(model, plane.grid.codes), 15)
    np.testing.assert_allclose(mosaic(at, 15), expected, atol=1 / 255 + 1e-6)
    figure, the_map = spec(at), spec(at, 1)
    [cells] = figure["data"]
    assert len(array(cells["customdata"])) == 225
    # Cell 17 is row 1, column 2: its centre is (2.5, 15 - 1 - 0.5) in cell units, on the mosaic's axes.
    assert (array(cells["x"])[17], array(cells["y"])[17]) == (2.5, 13.5)
    assert [trace["name"] for trace in the_map["data"]] == [t(f"class.{number}", "en") for number in range(10)]
    assert figure["layout"]["xaxis"]["title"]["text"] == "PC1" and the_map["layout"]["yaxis"]["title"]["text"] == "PC2"
    # The same plane on the same scale in both charts.
    for axis in ("xaxis", "yaxis"):
        assert figure["layout"][axis]["range"] == the_map["layout"][axis]["range"] == [0, 15]
        assert figure["layout"][axis]["ticktext"] == the_map["layout"][axis]["ticktext"]
    # A ReLU encoder never outputs a negative value, but the principal plane reaches some: the page says so.
    assert any("never outputs a negative value" in caption.value for caption in at.caption)


def test_the_map_shows_each_test_code_at_its_place_in_the_cells(planes):
    _, space, plane = planes["dense-64"]
    at = open_app("latent_grid", "en", model_name="dense-64")
    trousers = spec(at, 1)["data"][1]  # class 1
    index = int(array(trousers["customdata"])[0])
    expected = plane.cell_coordinates(space.codes[index][None])[0]
    assert (array(trousers["x"])[0], array(trousers["y"])[0]) == pytest.approx(tuple(expected), abs=1e-4)


def test_the_whole_grid_is_decoded_in_one_call(monkeypatch):
    at = open_app("latent_grid", "en", model_name="dense-64")
    sizes = []
    original = latent.CompiledDecoder.__call__

    def counting(self, codes):
        sizes.append(len(codes))
        return original(self, codes)

    monkeypatch.setattr(latent.CompiledDecoder, "__call__", counting)
    at = at.slider(key="grid_size").set_value(23).run()  # a size no other test uses: the picture is cached per size
    assert not at.exception
    assert sizes == [529]
    assert len(array(spec(at)["data"][0]["customdata"])) == 529
    at = at.slider(key="grid_size").set_value(15).run().slider(key="grid_size").set_value(23).run()
    assert sizes == [529], "a size seen before comes from the cache: no decode at all"


def test_a_vae_is_decoded_at_the_priors_quantiles_on_its_own_axes(planes):
    model, _, plane = planes["vae-2"]
    at = open_app("latent_grid", "ko", model_name="vae-2")
    assert not at.exception and not at.error
    figure = spec(at)
    assert figure["layout"]["xaxis"]["title"]["text"] == "z0" and figure["layout"]["yaxis"]["title"]["text"] == "z1"
    quantiles = grid_values_from_quantiles(15)
    assert figure["layout"]["xaxis"]["ticktext"] == [f"{quantiles[cell]:.2g}" for cell in grid_plane.tick_cells(15)]
    assert figure["layout"]["xaxis"]["ticktext"][2] == "0"  # the middle column is the prior's mean
    np.testing.assert_allclose(mosaic(at, 15), tile(latent.decode_batch(model, plane.grid.codes), 15),
                               atol=1 / 255 + 1e-6)
    assert any("N(0, 1)" in caption.value for caption in at.caption)


def test_clicking_a_cell_opens_the_explorer_at_its_code(planes):
    _, _, plane = planes["vae-2"]
    at = open_app("latent_grid", "en", model_name="vae-2")
    at = click(at, chart=0, curve=0, customdata=3 * 15 + 11)
    assert not at.exception
    assert at.title[0].value == "Latent explorer"
    np.testing.assert_allclose(at.session_state["explorer_code"], plane.grid.code_at(3, 11), atol=1e-6)


def test_clicking_a_point_of_the_map_opens_its_test_image():
    at = click(open_app("latent_grid", "en", model_name="dense-64"), chart=1, curve=4, customdata=4321)
    assert not at.exception
    assert at.title[0].value == "Latent explorer"
    assert at.session_state["explorer_index"] == 4321


def test_a_vae_with_more_than_two_dimensions_shows_its_two_most_varied_ones(tmp_path, small_data, private_trained_dir):
    folder, result = train_and_store(tmp_path, "tiny-conv-vae", small_data, ModelConfig("conv", 4, variational=True),
                                     TrainConfig(epochs=1, batch_size=64))
    install(folder, private_trained_dir)
    data = load_fashion_mnist(allow_download=False)
    space = latent.LatentSpace.from_model(result.model, data.x_test, data.y_test)
    x_dim, y_dim = sorted(int(dim) for dim in space.dims_by_variance()[:2])
    at = open_app("latent_grid", "en", model_name="tiny-conv-vae")
    assert not at.exception and not at.error
    figure = spec(at)
    assert (figure["layout"]["xaxis"]["title"]["text"], figure["layout"]["yaxis"]["title"]["text"]) == (
        f"z{x_dim}", f"z{y_dim}")
    assert any(caption.value.startswith(f"z{x_dim} and z{y_dim} are the two dimensions") and "the other 2 stay at 0"
               in caption.value for caption in at.caption)
