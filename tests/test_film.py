"""The learning film read back: stored frames decode to the images that were written, and which epochs are shown."""

import base64

import numpy as np
import pytest

from ae_core.training.film import decode_frame, decode_frames, epochs_to_show
from ae_core.training.progress import film_frame_text


def test_a_frame_decodes_to_the_images_that_were_stored():
    frame = np.random.default_rng(0).integers(0, 256, (8, 28, 28), dtype=np.uint8)
    np.testing.assert_array_equal(decode_frame(film_frame_text(frame)), frame)
    frames = decode_frames([film_frame_text(frame), film_frame_text(frame[::-1])])
    assert frames.shape == (2, 8, 28, 28)
    np.testing.assert_array_equal(frames[1], frame[::-1])


@pytest.mark.parametrize("text", ["not base64!", base64.b64encode(b"GIF89a....").decode(),
                                  film_frame_text(np.zeros((1, 28, 27), dtype=np.uint8)),
                                  film_frame_text(np.zeros((2, 30, 28), dtype=np.uint8))])
def test_anything_but_a_strip_of_28_pixel_images_is_refused(text):
    with pytest.raises(ValueError):
        decode_frame(text)


def test_frames_of_different_sizes_are_refused():
    with pytest.raises(ValueError):
        decode_frames([film_frame_text(np.zeros((8, 28, 28), np.uint8)), film_frame_text(np.zeros((7, 28, 28), np.uint8))])


def test_the_shown_epochs_spread_evenly_and_keep_the_first_and_the_last():
    assert epochs_to_show(3, 10) == [1, 2, 3]
    assert epochs_to_show(30, 10) == [1, 4, 7, 11, 14, 17, 20, 24, 27, 30]
    assert epochs_to_show(0, 10) == []
    with pytest.raises(ValueError):
        epochs_to_show(5, 1)
