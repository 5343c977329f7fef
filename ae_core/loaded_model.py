"""One stored model loaded from its file, with what the pages derive from it, made once and shared: the decoder made
fast to call and the encoded test set with its PCA.

Everything here comes from the one file whose checksum the store checked: a model retrained under the same name is a
new LoadedModel, so a page never pairs one checkpoint's decoder with another's latent space. What is derived is made
on first use, under a lock (two sessions asking at once make it once), and never changes afterwards.

Usage:
    loaded = LoadedModel(stored, store.load_stored_model(stored))
    decoder = loaded.decoder()                                  # ae_core.latent.CompiledDecoder
    space = loaded.latent_space(data.x_test, data.y_test)       # ae_core.latent.LatentSpace, read-only
"""

from __future__ import annotations

import threading

from ae_core.latent import CompiledDecoder, LatentSpace
from ae_core.store import StoredModel


class LoadedModel:
    def __init__(self, stored: StoredModel, model):
        self.stored = stored
        self.model = model
        self._lock = threading.Lock()
        self._decoder: CompiledDecoder | None = None
        self._latent_space: LatentSpace | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What identifies it: the model's name and its file's checksum."""
        return self.stored.name, self.stored.sha256

    @property
    def has_decoder(self) -> bool:
        return self._decoder is not None

    @property
    def has_latent_space(self) -> bool:
        return self._latent_space is not None

    def decoder(self) -> CompiledDecoder:
        """The decoder, compiled once (~2 ms a call where a direct call costs 7-23 ms; see CompiledDecoder)."""
        with self._lock:
            if self._decoder is None:
                self._decoder = CompiledDecoder(self.model)
            return self._decoder

    def latent_space(self, images, labels) -> LatentSpace:
        """The codes of `images` (the test set: always the same ones) with their PCA, slider ranges and class means.

        Encoding the 10,000 test images takes 0.3 s (dense) to 2 s (conv): once per model, never per page run.
        """
        with self._lock:
            if self._latent_space is None:
                self._latent_space = LatentSpace.from_model(self.model, images, labels).make_readonly()
            return self._latent_space
