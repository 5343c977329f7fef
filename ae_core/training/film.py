"""The learning film's frames, written and read back (base64 PNG strips), and which epochs to show.

A frame is the reconstructions of the film's test images after one epoch, side by side in one PNG, base64 encoded:
small enough for a progress event's line (ModelRecord.film_frames and JobStatus.film_frames hold them).

Usage: `text = film_frame_text(frame)`; `frames = decode_frames(record.film_frames)  # (epochs, images, 28, 28) uint8`;
`shown = epochs_to_show(30, 10)`
"""

from __future__ import annotations

import base64
import binascii
import io

import numpy as np
from PIL import Image, UnidentifiedImageError

from ae_core.pictures import strip_png

IMAGE_SIDE = 28
# A frame of 16 images is 28×448 pixels; a stored strip larger than this many pixels a side is not one of ours.
MAX_FRAME_SIDE = 4096


def film_frame_text(frame: np.ndarray) -> str:
    """A film frame (n, 28, 28) uint8 as base64 PNG of the images side by side."""
    return base64.b64encode(strip_png(frame)).decode("ascii")


def decode_frame(text: str) -> np.ndarray:
    """One stored frame as images (count, 28, 28) uint8; ValueError when it is not a strip of 28×28 grey images."""
    try:
        data = base64.b64decode(text, validate=True)
        with Image.open(io.BytesIO(data)) as picture:
            if picture.format != "PNG" or max(picture.size) > MAX_FRAME_SIDE:
                raise ValueError("A film frame must be a PNG strip of 28×28 images.")
            strip = np.asarray(picture.convert("L"))
    except (binascii.Error, UnidentifiedImageError, OSError) as error:
        raise ValueError(f"Not a film frame: {error}") from error
    height, width = strip.shape
    if height != IMAGE_SIDE or width == 0 or width % IMAGE_SIDE:
        raise ValueError(f"A film frame must be 28 pixels high and a multiple of 28 wide, got {width}×{height}.")
    return strip.reshape(IMAGE_SIDE, width // IMAGE_SIDE, IMAGE_SIDE).transpose(1, 0, 2).copy()


def decode_frames(texts) -> np.ndarray:
    """Every frame, (epochs, count, 28, 28) uint8; frames of different sizes are a ValueError."""
    frames = [decode_frame(text) for text in texts]
    if not frames:
        return np.zeros((0, 0, IMAGE_SIDE, IMAGE_SIDE), dtype=np.uint8)
    if len({frame.shape for frame in frames}) != 1:
        raise ValueError("The film's frames hold different numbers of images.")
    return np.stack(frames)


def epochs_to_show(epochs: int, most: int) -> list[int]:
    """Up to `most` epoch numbers (counted from 1) spread evenly over 1..epochs, always the first and the last.

    The first epochs change the most, but an even spread shows a class the whole run at a glance.
    """
    if epochs < 1:
        return []
    if most < 2:
        raise ValueError(f"Show at least two epochs (the first and the last), got {most}.")
    return sorted({round(float(value)) for value in np.linspace(1, epochs, min(most, epochs))})
