"""Untrusted pictures prepared once per content (ae_core/picture_cache.py, behind ae_core.garment.prepare_upload):
results and refusals kept by hash, one decode for many threads, bounded in entries and bytes."""

import io
import threading

import numpy as np
import pytest
from hostile_pictures import scan_bomb_jpeg
from PIL import Image, ImageDraw

from ae_core import garment
from ae_core.picture_cache import PictureCache
from ae_core.uploads import ImageRejectedError


def picture(seed: int) -> bytes:
    """A dark box on a light page, placed by `seed`: different bytes for every seed."""
    image = Image.new("L", (120, 160), 230)
    ImageDraw.Draw(image).rectangle((10 + seed % 50, 20, 80 + seed % 30, 140), fill=30)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def decodes(monkeypatch):
    """Every decode prepare_upload starts (ae_core.uploads.read_upload, as ae_core.garment calls it), in a list."""
    garment.PREPARED.clear()
    calls = []
    read_upload = garment.read_upload

    def counted(data):
        calls.append(data)
        return read_upload(data)

    monkeypatch.setattr(garment, "read_upload", counted)
    yield calls
    garment.PREPARED.clear()


def test_the_same_bytes_are_decoded_once(decodes):
    data = picture(1)
    first = garment.prepare_upload(data)
    again = garment.prepare_upload(bytes(data))  # equal bytes, another object: as every rerun of the page hands over
    assert len(decodes) == 1
    assert again is first
    garment.prepare_upload(picture(2))
    assert len(decodes) == 2


def test_a_refusal_is_kept_and_raised_afresh(decodes):
    bomb = scan_bomb_jpeg()
    raised = []
    for _ in range(3):
        with pytest.raises(ImageRejectedError) as rejection:
            garment.prepare_upload(bomb)
        raised.append(rejection.value)
    assert len(decodes) == 1
    assert [error.code for error in raised] == ["too_complex"] * 3
    assert raised[0] is not raised[1] and raised[0].values == raised[2].values  # no traceback grows on a shared one


def test_threads_asking_for_the_same_new_picture_share_one_decode(decodes, monkeypatch):
    started, release = threading.Event(), threading.Event()
    counted = garment.read_upload

    def slow(data):
        started.set()
        release.wait(10)  # held until every thread has asked
        return counted(data)

    monkeypatch.setattr(garment, "read_upload", slow)
    data, results = picture(3), []
    threads = [threading.Thread(target=lambda: results.append(garment.prepare_upload(data))) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(decodes) == 1
    assert len(results) == 8 and all(result is results[0] for result in results)


def test_an_unexpected_error_is_not_kept():
    cache, calls = PictureCache(), []

    def flaky(data):
        calls.append(data)
        if len(calls) == 1:
            raise MemoryError("the first try ran out of memory")
        return np.zeros(4, np.float32)

    with pytest.raises(MemoryError):
        cache.get(b"x", flaky)
    assert cache.get(b"x", flaky).shape == (4,)
    assert len(calls) == 2 and len(cache) == 1


def test_the_cache_is_bounded_in_entries_and_bytes():
    arrays = {name: np.zeros(size, np.uint8) for name, size in ((b"a", 400), (b"b", 400), (b"c", 400), (b"huge", 5000))}
    cache = PictureCache(max_entries=2, max_bytes=1000)
    calls = []

    def prepare(data):
        calls.append(data)
        return arrays[data]

    for name in (b"a", b"b", b"c"):  # the third pushes out the least recently used, a
        cache.get(name, prepare)
    assert len(cache) == 2 and cache.size_bytes == 800
    cache.get(b"b", prepare)
    cache.get(b"a", prepare)  # decoded again: pushes out c (b was used more recently)
    cache.get(b"b", prepare)
    assert calls == [b"a", b"b", b"c", b"a"]
    cache.get(b"huge", prepare)  # more than the whole cache may hold: returned, not kept, nothing pushed out
    assert len(cache) == 2 and cache.size_bytes == 800
    cache.get(b"huge", prepare)
    assert calls[-2:] == [b"huge", b"huge"]


def test_a_prepared_image_counts_as_the_bytes_of_its_arrays(decodes):
    prepared = garment.prepare_upload(picture(4))
    arrays = prepared.image.nbytes + prepared.gray.nbytes + prepared.cropped.nbytes + prepared.scaled.nbytes
    assert arrays <= garment.PREPARED.size_bytes <= arrays + 1024
