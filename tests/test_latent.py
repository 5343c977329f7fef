"""ae_core.latent: PCA against a direct SVD, slider ranges, interpolation, class means, encode/decode with a tiny model."""

import numpy as np
import pytest

from ae_core import figures, latent


@pytest.fixture(scope="module")
def codes() -> np.ndarray:
    """Correlated Gaussian codes: 500 of 6 dimensions with clearly different variances."""
    rng = np.random.default_rng(0)
    mixing = rng.standard_normal((6, 6)) * np.array([4.0, 2.0, 1.0, 0.5, 0.2, 0.1])[:, None]
    return (rng.standard_normal((500, 6)) @ mixing + 3.0).astype(np.float32)


@pytest.fixture(scope="module")
def tiny_model():
    from ae_core.config import ModelConfig
    from ae_core.models import build_autoencoder

    return build_autoencoder(ModelConfig("dense", 8))


def test_pca_matches_a_direct_svd(codes):
    pca = latent.fit_pca(codes)
    centred = codes.astype(np.float64) - codes.mean(axis=0)
    _, singular_values, axes = np.linalg.svd(centred, full_matrices=False)
    np.testing.assert_allclose(pca.mean, codes.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(pca.explained_variance, singular_values**2 / (len(codes) - 1), rtol=1e-9)
    np.testing.assert_allclose(pca.explained_variance, np.var(pca.project(codes), axis=0, ddof=1), rtol=1e-9)
    np.testing.assert_allclose(pca.explained_variance_ratio.sum(), 1.0)
    assert np.all(np.diff(pca.explained_variance) <= 0)
    # The same axes up to sign, and orthonormal.
    np.testing.assert_allclose(np.abs(np.sum(pca.components * axes, axis=1)), 1.0, atol=1e-9)
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(6), atol=1e-9)


def test_pca_with_k_components_matches_the_svd_truncation(codes):
    pca = latent.fit_pca(codes)
    centred = codes.astype(np.float64) - codes.mean(axis=0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    rank_two = (u[:, :2] * s[:2]) @ vt[:2] + codes.mean(axis=0)
    np.testing.assert_allclose(pca.reconstruct(pca.project(codes, 2)), rank_two, atol=1e-5)


def test_projecting_and_reconstructing_with_every_component_gives_the_codes_back(codes):
    pca = latent.fit_pca(codes)
    np.testing.assert_allclose(pca.reconstruct(pca.project(codes)), codes, atol=1e-5)
    np.testing.assert_allclose(pca.reconstruct(pca.project(codes[7])), codes[7], atol=1e-5)


def test_moving_along_one_axis_changes_only_that_coordinate(codes):
    pca = latent.fit_pca(codes)
    moved = pca.move_along(codes[3], axis=1, coordinate=5.0)
    before, after = pca.project(codes[3]), pca.project(moved)
    assert after[1] == pytest.approx(5.0)
    np.testing.assert_allclose(np.delete(after, 1), np.delete(before, 1), atol=1e-9)


def test_slider_ranges_hold_the_data_and_start_at_zero_for_relu_codes(codes):
    relu = np.maximum(codes - 3.0, 0.0)
    relu[:, 5] = 0.0  # a unit that never fires
    ranges = latent.slider_ranges(relu)
    assert np.all(ranges[:, 0] == 0.0)
    assert np.all(ranges[:, 1] > ranges[:, 0])
    inside = (relu >= ranges[:, 0]) & (relu <= ranges[:, 1])
    assert np.all(inside.mean(axis=0) >= 0.99)
    assert np.all(ranges[:, 1] >= np.percentile(relu, 99, axis=0))

    signed = latent.slider_ranges(codes)
    assert np.all(signed[:, 0] <= np.percentile(codes, 1, axis=0))
    assert np.all(signed[:, 1] >= np.percentile(codes, 99, axis=0))
    assert np.all(signed[:, 0] > codes.min(axis=0) - 10), "ranges follow the data, not a fixed width"
    shifted = codes + 100.0
    assert np.all(latent.slider_ranges(shifted, nonnegative=False)[:, 0] > 50), "only ReLU codes are pinned to 0"
    assert not np.any(latent.slider_ranges(codes, nonnegative=True)[:, 0])


def test_interpolation_endpoints_are_the_inputs(codes):
    path = latent.interpolate(codes[0], codes[1], 8)
    assert path.shape == (8, 6)
    np.testing.assert_array_equal(path[0], codes[0].astype(np.float64))
    np.testing.assert_array_equal(path[-1], codes[1].astype(np.float64))
    np.testing.assert_allclose(path[4], codes[0] + 4 / 7 * (codes[1] - codes[0]), rtol=1e-6)
    with pytest.raises(ValueError):
        latent.interpolate(codes[0], codes[1], 1)


def test_class_means(codes):
    labels = np.arange(len(codes)) % 3
    means = latent.class_means(codes, labels, num_classes=4)
    for number in range(3):
        np.testing.assert_allclose(means[number], codes[labels == number].mean(axis=0), rtol=1e-6)
    assert np.isnan(means[3]).all(), "a class without examples has no mean"


def test_latent_space_from_codes(codes):
    labels = np.arange(len(codes)) % 10
    space = latent.LatentSpace.from_codes(codes, labels)
    assert space.latent_dim == 6 and not space.nonnegative
    assert space.coordinates.shape == (500, 6)
    assert list(space.dims_by_variance()[:1]) == [int(np.argmax(codes.var(axis=0)))]
    rng = np.random.default_rng(1)
    draws = np.stack([latent.random_code(space, rng) for _ in range(200)])
    assert np.all(draws >= space.dim_ranges[:, 0]) and np.all(draws <= space.dim_ranges[:, 1])
    space.make_readonly()
    with pytest.raises(ValueError):
        space.codes[0, 0] = 1.0


def test_encode_in_batches_and_decode_match_the_model(tiny_model):
    images = np.random.default_rng(2).random((25, 28, 28), dtype=np.float32)
    codes = latent.encode(tiny_model, images, batch_size=10)
    assert codes.shape == (25, 8) and codes.dtype == np.float32
    assert np.all(codes >= 0), "the dense encoder ends in ReLU"
    np.testing.assert_allclose(codes, np.asarray(tiny_model.encoder(images)), atol=1e-6)
    decoded = latent.decode_batch(tiny_model, codes)
    assert decoded.shape == (25, 28, 28)
    np.testing.assert_allclose(decoded, np.asarray(tiny_model(images)), atol=1e-6)
    np.testing.assert_allclose(latent.decode(tiny_model, codes[3]), decoded[3], atol=1e-6)


@pytest.mark.parametrize("arch", ["dense", "conv"])
def test_compiled_decoder_matches_the_direct_call_even_after_clear_session(arch):
    import keras

    from ae_core.config import ModelConfig
    from ae_core.models import build_autoencoder

    model = build_autoencoder(ModelConfig(arch, 4))
    decoder = latent.CompiledDecoder(model)
    assert decoder.compiled and decoder.latent_dim == 4
    codes = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)
    direct = latent.decode_batch(model, codes)
    keras.backend.clear_session()  # what Streamlit does after every rerun
    np.testing.assert_allclose(latent.decode_batch(decoder, codes), direct, atol=1e-6)
    np.testing.assert_allclose(latent.decode(decoder, codes[1]), direct[1], atol=1e-6)


@pytest.mark.parametrize("name", ["dense-64", "vae-2", "conv-64"])
def test_fast_decoder_of_a_shipped_model_matches_keras(name, monkeypatch):
    import keras

    from ae_core import store

    model = store.load_model(name)
    calls_into_keras = []
    original_call = keras.Model.__call__
    monkeypatch.setattr(keras.Model, "__call__", lambda *a, **k: (calls_into_keras.append(1), original_call(*a, **k))[1])
    decoder = latent.CompiledDecoder(model)
    codes = np.random.default_rng(5).standard_normal((16, decoder.latent_dim)).astype(np.float32)
    fast = decoder(codes)
    # The lecture's Dense decoders run in NumPy, without a call into Keras; a convolutional one goes through XLA.
    assert (calls_into_keras == []) == (name != "conv-64")
    monkeypatch.undo()
    np.testing.assert_allclose(fast, latent.decode_batch(model, codes), atol=1e-5)


def test_map_figure_has_one_trace_per_class_named_in_the_language(codes):
    labels = np.arange(len(codes)) % 10
    names = tuple(f"class-{n}" for n in range(10))
    texts = {"index": "#", "axis": "PC {number}", "marker": "here"}
    figure = figures.latent_map_figure(codes, labels, names, texts, marker=codes[0])
    assert [trace.name for trace in figure.data] == [*names, "here"]
    assert {trace.type for trace in figure.data} == {"scattergl"}
    first = figure.data[0]
    np.testing.assert_array_equal(first.customdata, np.flatnonzero(labels == 0))
    np.testing.assert_allclose(first.x, codes[labels == 0, 0], rtol=1e-6)
    three = figures.latent_map_figure(codes, labels, names, texts, three_d=True)
    assert {trace.type for trace in three.data} == {"scatter3d"} and len(three.data) == 10
    assert three.layout.scene.zaxis.title.text == "PC 3"


def test_selected_customdata_reads_customdata():
    assert figures.selected_customdata([{"customdata": 42, "x": 1.0}]) == 42
    assert figures.selected_customdata([{"customdata": [7]}]) == 7
    assert figures.selected_customdata([{"x": 0.0}]) is None, "the explorer's marker carries no row"
    assert figures.selected_customdata([]) is None


def test_nearest_indices_are_the_closest_codes_in_order():
    codes = np.array([[0.0, 0.0], [3.0, 0.0], [1.0, 1.0], [0.5, 0.0], [10.0, 10.0]])
    np.testing.assert_array_equal(latent.nearest_indices(codes, np.array([0.4, 0.1]), 3), [3, 0, 2])
