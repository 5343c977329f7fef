"""A loaded model and what is derived from it: made once, from that very model, and shared by threads asking at once."""

import threading

import numpy as np

from ae_core.config import ModelConfig
from ae_core.latent import encode
from ae_core.loaded_model import LoadedModel
from ae_core.models import build_autoencoder


def _loaded(seed: int) -> LoadedModel:
    import keras

    keras.utils.set_random_seed(seed)
    return LoadedModel(stored=None, model=build_autoencoder(ModelConfig("dense", 8)))


def test_the_latent_space_and_decoder_are_the_models_own_and_made_once(small_data):
    first, second = _loaded(0), _loaded(1)
    images, labels = small_data.x_test[:200], small_data.y_test[:200]
    for loaded in (first, second):
        space = loaded.latent_space(images, labels)
        np.testing.assert_allclose(space.codes, encode(loaded.model, images), atol=1e-6)
        assert loaded.latent_space(images, labels) is space and loaded.decoder() is loaded.decoder()
        assert not space.codes.flags.writeable  # shared between sessions: read-only
    # Two checkpoints never share a latent space: each pairs with its own model.
    assert not np.allclose(first.latent_space(images, labels).codes, second.latent_space(images, labels).codes)


def test_threads_asking_at_once_get_one_latent_space(small_data):
    loaded = _loaded(2)
    spaces = []
    threads = [threading.Thread(target=lambda: spaces.append(loaded.latent_space(small_data.x_test[:100],
                                                                                 small_data.y_test[:100])))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(spaces) == 4 and all(space is spaces[0] for space in spaces)
