"""Figure and picture builders: they return figures or PNG bytes and never show anything themselves."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def upscale(image: np.ndarray, factor: int = 6) -> np.ndarray:
    """A 28x28 float image in [0, 1] as a larger uint8 image with hard pixel edges (browsers blur small images)."""
    pixels = np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0)
    pixels = (pixels * 255.0 + 0.5).astype(np.uint8)
    return np.kron(pixels, np.ones((factor, factor), dtype=np.uint8))


def image_png(image: np.ndarray, factor: int = 6) -> bytes:
    """PNG bytes of an upscaled 28x28 image, for st.image."""
    buffer = io.BytesIO()
    Image.fromarray(upscale(image, factor), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()
