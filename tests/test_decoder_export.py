"""The exported decoder spec decodes like Keras: in NumPy (decode_with_spec) and in the browser's JavaScript (under node)."""

import json
import shutil
import subprocess
from pathlib import Path

import keras
import numpy as np
import pytest
from keras import layers
from spec_reference import decode_weights, decode_with_spec

from ae_core import store
from ae_core.config import ModelConfig
from ae_core.decoder_export import export_decoder, slider_code, slider_origin
from ae_core.models import build_autoencoder

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
SHIPPED = ["dense-64", "conv-64"]


def _randomise(model: keras.Model, seed: int) -> keras.Model:
    """Random weights everywhere, biases included, so a layout or bias mistake cannot hide behind zeros."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign(rng.normal(0.0, 0.3, weight.shape).astype("float32"))
    return model


def _odd_decoder() -> keras.Model:
    """Shapes where 'same' padding is uneven and 'valid' transposes grow by kernel - stride."""
    codes = keras.Input((5,))
    x = layers.Dense(5 * 5 * 3, activation="relu")(codes)
    x = layers.Reshape((5, 5, 3))(x)
    x = layers.Conv2DTranspose(4, 3, strides=2, padding="valid", activation="relu")(x)  # 5 -> 11
    x = layers.Conv2DTranspose(3, (2, 3), strides=(3, 2), padding="same")(x)  # 11 -> 33 x 22
    x = layers.Conv2D(2, 4, strides=2, padding="same", activation="relu")(x)  # 33 x 22 -> 17 x 11
    x = layers.Conv2D(1, (3, 2), strides=1, padding="valid", activation="sigmoid", use_bias=False)(x)
    return _randomise(keras.Model(codes, layers.Reshape((15, 10))(x)), seed=3)


@pytest.fixture(scope="module")
def decoders() -> dict[str, keras.Model]:
    found = {arch: _randomise(build_autoencoder(ModelConfig(arch, 8)).decoder, seed=1) for arch in ("dense", "conv")}
    found["odd"] = _odd_decoder()
    for name in SHIPPED:
        if any(stored.name == name for stored in store.list_models()):
            found[name] = store.load_model(name).decoder
    return found


def _decoder(decoders, name) -> keras.Model:
    if name not in decoders:
        pytest.skip(f"models/{name} is not there")
    return decoders[name]


def _codes(decoder: keras.Model, count: int = 6, seed: int = 0) -> np.ndarray:
    latent_dim = decoder.inputs[0].shape[-1]
    return np.random.default_rng(seed).normal(0.0, 1.5, (count, latent_dim)).astype(np.float32)


ALL = ["dense", "conv", "odd", *SHIPPED]


@pytest.mark.parametrize("name", ALL)
def test_numpy_reference_decodes_like_keras(decoders, name):
    decoder = _decoder(decoders, name)
    codes = _codes(decoder)
    expected = np.asarray(decoder(codes, training=False))
    decoded = decode_with_spec(export_decoder(decoder), codes)
    assert decoded.shape == expected.shape
    np.testing.assert_allclose(decoded, expected, atol=1e-5, rtol=0)


def test_transposed_convolution_pads_as_keras_does(decoders):
    # 7 -> 14 -> 28 with kernel 3, stride 2, 'same': Keras pads nothing before and drops the last row and column.
    spec = export_decoder(decoders["conv"])
    assert [layer["pad"] for layer in spec["layers"] if layer["type"] == "conv2d_transpose"] == [[0, 0], [0, 0]]
    assert [layer["pad"] for layer in spec["layers"] if layer["type"] == "conv2d"] == [[1, 1]]


def test_spec_survives_json_and_holds_the_weights(decoders):
    decoder = decoders["conv"]
    spec = json.loads(json.dumps(export_decoder(decoder)))
    assert [layer["type"] for layer in spec["layers"]] == [
        "dense", "reshape", "conv2d_transpose", "conv2d_transpose", "conv2d", "reshape"]
    first = spec["layers"][0]
    np.testing.assert_array_equal(decode_weights(first["kernel"], first["kernel_shape"]), np.asarray(decoder.layers[1].kernel))
    assert spec["latent_dim"] == 8 and spec["output_shape"] == [28, 28]
    # 8*2352 + 49*9*48*48 + 196*9*24*48 + 784*9*24 multiply-adds.
    assert spec["multiply_adds"] == 8 * 2352 + 49 * 9 * 48 * 48 + 196 * 9 * 24 * 48 + 784 * 9 * 24


def test_spec_id_follows_the_weights(decoders):
    decoder = keras.models.clone_model(decoders["dense"])
    decoder.set_weights(decoders["dense"].get_weights())
    before = export_decoder(decoder)["id"]
    assert export_decoder(decoder)["id"] == before
    decoder.layers[-2].bias.assign(np.asarray(decoder.layers[-2].bias) + 0.01)
    assert export_decoder(decoder)["id"] != before


@pytest.mark.parametrize("make_decoder", [
    lambda: keras.Sequential([keras.Input((4,)), layers.Dense(6, activation="tanh")]),
    lambda: keras.Sequential([keras.Input((4,)), layers.Dense(6), layers.BatchNormalization()]),
    lambda: keras.Sequential([keras.Input((4,)), layers.Reshape((2, 2, 1)),
                              layers.Conv2D(1, 2, padding="same", dilation_rate=2)]),
], ids=["tanh", "batch-norm", "dilated"])
def test_unsupported_decoders_are_refused(make_decoder):
    with pytest.raises(ValueError, match="cannot be exported"):
        export_decoder(make_decoder())


def test_slider_origin_points_the_sliders_at_the_base_code():
    rng = np.random.default_rng(0)
    base = rng.normal(size=6).astype(np.float32)
    one_hot = np.eye(6, dtype=np.float32)[[1, 4]]
    origin = slider_origin(base, one_hot, base[[1, 4]])
    assert origin[1] == 0 and origin[4] == 0
    np.testing.assert_allclose(slider_code(origin, one_hot, base[[1, 4]]), base, atol=1e-6)
    axes = np.linalg.qr(rng.normal(size=(6, 3)))[0].T.astype(np.float32)  # orthonormal rows
    mean = rng.normal(size=6).astype(np.float32)
    values = (base - mean) @ axes.T
    np.testing.assert_allclose(slider_code(slider_origin(base, axes, values), axes, values), base, atol=1e-5)
    moved = slider_code(slider_origin(base, axes, values), axes, values + np.array([1.0, 0.0, 0.0]))
    np.testing.assert_allclose(moved - base, axes[0], atol=1e-5)


# ---------------------------------------------------------------------------------------------------------------
# The browser's forward pass, run by node


@pytest.fixture(scope="module")
def javascript_module(tmp_path_factory) -> Path:
    if NODE is None:
        pytest.skip("node is not installed")
    folder = tmp_path_factory.mktemp("live_decoder_js")
    # node treats .mjs files as ES modules; the component file itself is plain .js for Streamlit.
    shutil.copy(ROOT / "ui" / "live_decoder.js", folder / "live_decoder.mjs")
    return folder / "live_decoder.mjs"


def run_javascript(module: Path, payload: dict, folder: Path) -> dict:
    (folder / "input.json").write_text(json.dumps(payload))
    subprocess.run([NODE, str(ROOT / "tests" / "js" / "decode_harness.mjs"), str(module), str(folder / "input.json"),
                    str(folder / "output.json")], check=True, timeout=120, capture_output=True)
    return json.loads((folder / "output.json").read_text())


@pytest.mark.parametrize("name", ALL)
def test_javascript_decodes_like_keras(decoders, javascript_module, tmp_path, name):
    decoder = _decoder(decoders, name)
    codes = _codes(decoder, seed=1)
    latent_dim = codes.shape[1]
    # Sliders along two raw dimensions and one random direction, from an origin that is not zero.
    directions = np.concatenate([np.eye(latent_dim, dtype=np.float32)[[0, latent_dim - 1]],
                                 np.random.default_rng(2).normal(size=(1, latent_dim)).astype(np.float32)])
    values = np.array([[0.0, 0.0, 0.0], [1.5, -2.0, 0.7], [-0.3, 0.0, 2.5]], dtype=np.float32)
    origin = codes[0]
    result = run_javascript(javascript_module, {
        "spec": export_decoder(decoder), "codes": codes.tolist(),
        "origin": origin.tolist(), "directions": directions.tolist(), "values": values.tolist(),
    }, tmp_path)

    output_shape = tuple(decoder.outputs[0].shape[1:])
    expected = np.asarray(decoder(codes, training=False))
    np.testing.assert_allclose(np.array(result["codes"]).reshape(expected.shape), expected, atol=1e-4, rtol=0)
    expected_sliders = np.asarray(decoder(np.stack([slider_code(origin, directions, v) for v in values])))
    decoded_sliders = np.array(result["sliders"]).reshape((len(values), *output_shape))
    np.testing.assert_allclose(decoded_sliders, expected_sliders, atol=1e-4, rtol=0)


# ---------------------------------------------------------------------------------------------------------------
# The Streamlit wrapper (ui/live_decoder.py); AppTest runs no JavaScript, so a release is simulated through the
# component's state.


def _live_decoder_page():
    import streamlit as st

    from ae_core.decoder_export import LatentSlider
    from ui.live_decoder import live_decoder

    st.session_state.setdefault("language", "ko")
    latent_dim = st.session_state["spec"]["latent_dim"]
    one_hot = [tuple(float(i == k) for i in range(latent_dim)) for k in range(2)]
    sliders = [LatentSlider(f"s{k}", one_hot[k], 0.5, -1.0, 1.0, 0.1) for k in range(2)]
    st.session_state["values"] = live_decoder(st.session_state["spec"], st.session_state["origin"], sliders,
                                              key="test_live")


@pytest.fixture
def live_page(decoders):
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_live_decoder_page, default_timeout=30)
    page.session_state["spec"] = export_decoder(decoders["dense"])
    page.session_state["origin"] = [0.0] * 8
    page.run()
    assert not page.exception
    return page


def _payloads(page) -> tuple[dict, dict]:
    """The two components' data: the weights' and the view's (ui/live_decoder.py)."""
    components = [element for element in page.main if getattr(element, "proto", None).__class__.__name__ == "BidiComponent"]
    by_name = {component.proto.component_name: component.proto for component in components}
    return json.loads(by_name["ae_lab.decoder_weights"].json), json.loads(by_name["ae_lab.live_decoder"].json)


def _payload(page) -> dict:
    return _payloads(page)[1]


def test_wrapper_ships_the_decoder_and_starts_at_the_given_values(live_page):
    weights, payload = _payloads(live_page)
    assert live_page.session_state["values"] == [0.5, 0.5]
    assert weights["spec"] == live_page.session_state["spec"]
    assert payload["spec_id"] == live_page.session_state["spec"]["id"] and "spec" not in payload
    assert [slider["value"] for slider in payload["sliders"]] == [0.5, 0.5]
    assert payload["text"]["decode_time"] == "브라우저에서 디코딩: {ms} ms"  # the browser fills in {ms}


def test_a_release_reaches_python_and_reruns_resend_nothing_new(live_page):
    before = _payload(live_page)
    live_page.session_state["test_live"] = {"position": {"layout": before["layout"], "values": [0.9, -0.3]}}
    live_page.run()
    assert live_page.session_state["values"] == [0.9, -0.3]
    # Identical payloads are sent once and then referenced by hash: a release must not resend the weights.
    assert _payload(live_page) == before


def test_a_language_switch_keeps_the_sliders_and_a_new_origin_resets_them(live_page):
    weights, view = _payloads(live_page)
    layout = view["layout"]
    live_page.session_state["test_live"] = {"position": {"layout": layout, "values": [0.9, -0.3]}}
    live_page.session_state["language"] = "en"
    live_page.run()
    assert _payload(live_page)["layout"] == layout
    assert _payload(live_page)["text"]["reset"] == "Reset sliders"
    assert live_page.session_state["values"] == [0.9, -0.3]
    live_page.session_state["origin"] = [0.25] * 8
    live_page.run()
    assert _payload(live_page)["layout"] != layout
    assert live_page.session_state["values"] == [0.5, 0.5]  # values of the old sliders are not reported as new ones
    # The weights' element is byte-identical whatever the view does, so Streamlit sends it only once.
    assert _payloads(live_page)[0] == weights


def test_wrapper_refuses_an_origin_or_direction_of_the_wrong_size(decoders):
    from ae_core.decoder_export import LatentSlider
    from ui.live_decoder import live_decoder

    spec = export_decoder(decoders["dense"])
    slider = LatentSlider("a", (1.0,) + (0.0,) * 7, 0.0, -1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="origin has 7 values"):
        live_decoder(spec, [0.0] * 7, [slider], key="test_live")
    with pytest.raises(ValueError, match="direction of 3 values"):
        live_decoder(spec, [0.0] * 8, [LatentSlider("b", (1.0, 0.0, 0.0), 0.0, -1.0, 1.0, 0.1)], key="test_live")


def test_slider_ranges_pass_through_the_starting_value():
    from ae_core.decoder_export import LatentSlider

    slider = LatentSlider.around("a", (1.0,), 0.4567, low=-1.0, high=0.3, step=0.01)
    assert slider.minimum <= -1.0 and slider.maximum >= 0.4567  # widened to hold the value
    steps_below = (slider.value - slider.minimum) / slider.step
    assert abs(steps_below - round(steps_below)) < 1e-6  # the browser's step grid hits the value exactly
    with pytest.raises(ValueError, match="outside"):
        LatentSlider("b", (1.0,), 2.0, -1.0, 1.0, 0.1)


def test_slider_helpers_start_at_the_base_code():
    from ui.live_decoder import axis_sliders

    rng = np.random.default_rng(4)
    base = rng.normal(size=8).astype(np.float32)
    axes = np.linalg.qr(rng.normal(size=(8, 3)))[0].T
    origin, sliders = axis_sliders(base, np.zeros(8), axes, low=-0.5, high=0.5)
    assert [slider.label for slider in sliders] == ["주성분 축 1", "주성분 축 2", "주성분 축 3"]  # Korean by default
    np.testing.assert_allclose(slider_code(origin, [s.direction for s in sliders], [s.value for s in sliders]), base,
                               atol=1e-5)


# ---------------------------------------------------------------------------------------------------------------
# Encoders: the browser encodes a drawing with the same forward pass


@pytest.mark.parametrize("config", [ModelConfig("dense", 8), ModelConfig("conv", 8),
                                    ModelConfig("dense", 2, variational=True), ModelConfig("conv", 4, variational=True)],
                         ids=lambda config: config.name)
def test_an_encoder_exports_and_encodes_like_keras_in_numpy_and_javascript(config, javascript_module, tmp_path):
    from ae_core.decoder_export import export_encoder

    model = build_autoencoder(config)
    images = np.random.default_rng(3).random((3, 28, 28), dtype=np.float32)
    spec = export_encoder(model.encoder)
    assert spec["input_shape"] == [28, 28] and spec["output_shape"] == [config.latent_dim]
    expected = np.asarray(model.encoder(images))
    np.testing.assert_allclose(decode_with_spec(spec, images.reshape(3, -1)), expected, atol=1e-4)
    result = run_javascript(javascript_module, {"spec": spec, "codes": images.reshape(3, -1).tolist()}, tmp_path)
    np.testing.assert_allclose(np.array(result["codes"]), expected, atol=1e-4)
