"""The Latent map page through AppTest: class traces, 3-D, picking a point (dense-64), and a 2-D model's raw axes."""

import base64
import json

import numpy as np
import pytest
from apptest_pages import open_app
from streamlit.testing.v1 import AppTest
from two_dim_model import MODEL_NAME as TWO_DIM
from two_dim_model import trained_dir_with_2d_model

from ui.i18n import t


def class_names(language: str) -> list[str]:
    return [t(f"class.{index}", language) for index in range(10)]


def open_map(language: str = "en", **state) -> AppTest:
    return open_app("latent_map", language, **state)


def map_chart(at: AppTest):
    return at.get("plotly_chart")[0]


def traces(at: AppTest) -> list[dict]:
    return json.loads(map_chart(at).proto.spec)["data"]


def array(value) -> np.ndarray:
    """A figure's array as plotly serialises it: a list, or base64 bytes with a dtype."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def select(at: AppTest, points: list[dict]) -> AppTest:
    """What the browser sends when a point is clicked: the chart's selection as its widget value."""
    states = at._tree.get_widget_states()
    selection = states.widgets.add()
    selection.id = map_chart(at).proto.id
    selection.string_value = json.dumps({"selection": {"points": points, "point_indices": [0], "box": [], "lasso": []}})
    return at._run(states)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_map_has_a_webgl_trace_per_class_named_in_the_language(language):
    at = open_map(language)
    assert not at.exception
    data = traces(at)
    class_traces = [trace for trace in data if trace.get("customdata") is not None]
    assert [trace["name"] for trace in class_traces] == list(class_names(language))
    assert {trace["type"] for trace in class_traces} == {"scattergl"}
    assert len(at.get("plotly_chart")) == 2, "the map and the explained-variance figure"
    variance = json.loads(at.get("plotly_chart")[1].proto.spec)["data"]
    assert [trace["type"] for trace in variance] == ["bar", "scatter"]


def test_three_d_toggle_draws_scatter3d():
    at = open_map()
    at = at.toggle(key="map_3d").set_value(True).run()
    assert not at.exception
    assert {trace["type"] for trace in traces(at)} == {"scatter3d"}


def test_explorer_code_is_drawn_as_a_star():
    at = open_map(explorer_index=5)
    marker = traces(at)[-1]
    assert marker["marker"]["symbol"] == "star" and marker["name"] == "Explorer's latent vector"
    # Where the explorer's code is: test image 5 on the first two principal axes.
    [trace] = [trace for trace in traces(at)[:10] if 5 in array(trace["customdata"])]
    position = list(array(trace["customdata"])).index(5)
    assert array(marker["x"])[0] == pytest.approx(array(trace["x"])[position], abs=1e-4)
    assert array(marker["y"])[0] == pytest.approx(array(trace["y"])[position], abs=1e-4)


def test_selecting_a_point_loads_it_into_the_explorer():
    at = open_map()
    at = select(at, [{"curve_number": 3, "point_number": 0, "point_index": 0, "x": 0.0, "y": 0.0, "customdata": 1234}])
    assert not at.exception
    assert at.session_state["explorer_index"] == 1234
    assert "explorer_code" not in at.session_state
    assert any("1234" in markdown.value for markdown in at.markdown)
    at = at.button(key="map_open_explorer").click().run()
    assert not at.exception
    assert at.title[0].value == "Latent explorer"
    assert any(image.captions[0].startswith("Original #1234 ") for image in at.image)
    assert np.isfinite(at.session_state["explorer_code"]).all()


# ---------------------------------------------------------------------------------------------------------------
# A model whose latent space has two dimensions (tests/two_dim_model.py)


@pytest.fixture
def two_dim_store(tmp_path_factory, monkeypatch):
    folder = trained_dir_with_2d_model(tmp_path_factory)
    monkeypatch.setenv("AE_LAB_TRAINED_DIR", str(folder))
    return folder


@pytest.mark.parametrize("language", ["en", "ko"])
def test_three_d_is_off_and_explained_for_a_two_dimensional_model(two_dim_store, language):
    # 3-D chosen with a 64-dimensional model, then the 2-D model chosen in the sidebar.
    at = open_map(language).toggle(key="map_3d").set_value(True).run()
    assert {trace["type"] for trace in traces(at)} == {"scatter3d"}
    at.session_state["model_name"] = TWO_DIM
    at = at.run()
    assert not at.exception and not at.error
    assert {trace["type"] for trace in traces(at)} == {"scattergl"}
    toggle = at.toggle(key="map_3d")
    assert toggle.disabled and toggle.value is False
    assert toggle.help == t("map.three_d_unavailable", language, dims=2)


def test_a_two_dimensional_model_is_drawn_on_its_raw_axes(two_dim_store, fashion_mnist):
    from ae_core import latent, store

    at = open_map(model_name=TWO_DIM)
    layout = json.loads(map_chart(at).proto.spec)["layout"]
    assert layout["xaxis"]["title"]["text"] == "z0" and layout["yaxis"]["title"]["text"] == "z1"
    codes = latent.encode(store.load_model(TWO_DIM), fashion_mnist.x_test)
    for trace in traces(at)[:10]:
        rows = array(trace["customdata"]).astype(int)
        # The codes themselves, not a PCA rotation of them.
        np.testing.assert_allclose(array(trace["x"]), codes[rows, 0], atol=1e-5)
        np.testing.assert_allclose(array(trace["y"]), codes[rows, 1], atol=1e-5)
    assert any(caption.value == t("map.raw_axes", "en") for caption in at.caption)
    assert at.caption[0].value == t("map.intro_raw", "en") and "PCA" not in at.caption[0].value
    assert len(at.get("plotly_chart")) == 1, "explained variance means nothing without a PCA"


def test_the_charts_speak_the_page_language():
    at = open_map("ko")
    config = json.loads(map_chart(at).proto.config)
    assert config["locale"] == "ko"
    assert config["locales"]["ko"]["dictionary"]["Box Select"] == t("plotly.box_select", "ko")
    assert "locale" not in json.loads(open_map("en").get("plotly_chart")[0].proto.config)


def test_the_codes_and_a_projector_bundle_can_be_taken_home():
    at = open_map("ko")
    buttons = {element.proto.id.rsplit("-", 1)[-1]: element.proto for element in at.get("download_button")}
    assert {"map_download_csv", "map_download_projector"} <= set(buttons)
    assert buttons["map_download_csv"].label == t("map.download_csv", "ko")
