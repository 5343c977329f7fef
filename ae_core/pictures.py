"""Pictures as bytes: 28×28 images upscaled with hard pixel edges, error heatmaps and their colour bar, strips of
images, thumbnails of a picture's preparation steps; PNG bytes or data URLs, never shown here.

Usage: `st.image(image_png(reconstruction))`; `heatmap_png(errors, scale=row_max)`; `strip_png(film_frame)`
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image


def upscale(image: np.ndarray, factor: int = 6) -> np.ndarray:
    """A 28x28 float image in [0, 1] as a larger uint8 image with hard pixel edges (browsers blur small images)."""
    pixels = np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0)
    pixels = (pixels * 255.0 + 0.5).astype(np.uint8)
    return np.kron(pixels, np.ones((factor, factor), dtype=np.uint8))


def gray_png(pixels: np.ndarray, optimize: bool = False) -> bytes:
    """PNG bytes of a uint8 grey picture as it is (`optimize`: smaller, slower to write: for what is stored)."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8), mode="L").save(buffer, format="PNG", optimize=optimize)
    return buffer.getvalue()


def image_png(image: np.ndarray, factor: int = 6) -> bytes:
    """PNG bytes of an upscaled 28x28 image, for st.image."""
    return gray_png(upscale(image, factor))


def image_data_url(image: np.ndarray, factor: int = 6) -> str:
    """image_png as a data URL: the picture travels inside the page's message, with no request of its own."""
    return "data:image/png;base64," + base64.b64encode(image_png(image, factor)).decode("ascii")


def thumbnail_png(image: np.ndarray, size: int = 112) -> bytes:
    """PNG bytes of a grayscale float image in [0, 1] of any size, fitted into size x size (a step of a picture's
    preparation: the photo, its crop)."""
    picture = Image.fromarray((np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "L")
    picture.thumbnail((size, size), Image.Resampling.BOX if max(picture.size) > size else Image.Resampling.NEAREST)
    if max(picture.size) < size:  # a tiny crop is enlarged with hard pixel edges, like the 28x28 images
        factor = max(1, size // max(picture.size))
        picture = picture.resize((picture.width * factor, picture.height * factor), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def strip_png(images: np.ndarray) -> bytes:
    """PNG bytes of uint8 images (n, h, w) side by side, at their own size (a film frame: small, for storing)."""
    return gray_png(np.hstack(list(np.asarray(images, dtype=np.uint8))), optimize=True)


# A perceptually uniform map, dark for no error and bright for large error, readable on light and dark themes.
ERROR_COLORMAP = "inferno"


_COLORMAP_LUTS: dict[str, np.ndarray] = {}


def _colormap_lut(name: str) -> np.ndarray:
    """A colormap as a (256, 3) uint8 lookup table (matplotlib's colormaps only; no figure is made)."""
    if name not in _COLORMAP_LUTS:
        import matplotlib

        lut = (matplotlib.colormaps[name](np.linspace(0.0, 1.0, 256))[:, :3] * 255.0 + 0.5).astype(np.uint8)
        lut.flags.writeable = False
        _COLORMAP_LUTS[name] = lut
    return _COLORMAP_LUTS[name]


def heatmap_png(values: np.ndarray, scale: float, factor: int = 6, colormap: str = ERROR_COLORMAP) -> bytes:
    """PNG bytes of a 28x28 map of non-negative values coloured on [0, scale], upscaled with hard pixel edges.

    Pass the same `scale` for every map in a row so that one colour means one value everywhere.
    """
    values = np.asarray(values, dtype=np.float32)
    levels = np.clip(values / scale, 0.0, 1.0) if scale > 0 else np.zeros_like(values)
    rgb = _colormap_lut(colormap)[(levels * 255.0 + 0.5).astype(np.uint8)]
    rgb = np.kron(rgb, np.ones((factor, factor, 1), dtype=np.uint8))
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def colorbar_png(width: int = 240, height: int = 12, colormap: str = ERROR_COLORMAP) -> bytes:
    """PNG bytes of a horizontal colour bar, low values on the left: the legend for heatmap_png."""
    ramp = np.linspace(0, 255, width).round().astype(np.uint8)
    rgb = np.repeat(_colormap_lut(colormap)[ramp][np.newaxis], height, axis=0)
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def png_data_uri(png: bytes) -> str:
    """PNG bytes as a data URI, for a picture placed inside a plotly figure."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

