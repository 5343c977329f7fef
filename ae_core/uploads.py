"""Untrusted picture bytes (an upload, a drawing sent as PNG) decoded to gray levels, within bounds, or refused with a
reason.

Uploads are untrusted bytes (docs/design.md, "Model files are code"): only PNG and JPEG are decoded, recognised from
their first bytes (never from a file name), capped at MAX_UPLOAD_BYTES and MAX_PIXELS, and at the decoding work their
structure asks for (ae_core.picture_structure: scans of a JPEG, chunks of a PNG). The pixel count and that work are
read from the file's own structure before Pillow is asked for anything, so Pillow's global decompression-bomb limit
(Image.MAX_IMAGE_PIXELS, far higher than ours) never fires and is never changed.

Every refusal is an `ImageRejectedError` carrying a code from REJECTION_CODES and plain values; the UI turns the
code into a sentence in the user's language. Its English str() is for logs only.

Usage: `gray = read_upload(data)`  # 2-D float32 in [0, 1]; ImageRejectedError says why not
"""

from __future__ import annotations

import io
import math
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ae_core.picture_structure import read_layout

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 MB: any phone photo of a garment fits; more is not worth decoding
MAX_PIXELS = 4_000_000  # 4 megapixels: ~16 MB as float32 per step, bounded work per upload on a shared server
ALLOWED_FORMATS = ("PNG", "JPEG")  # the only decoders Pillow may run on untrusted bytes
REJECTION_CODES = (
    "empty",  # zero bytes
    "too_large_bytes",  # values: megabytes (float, rounded up to one decimal), limit_megabytes (int)
    "too_many_pixels",  # values: width, height, limit_megapixels (int)
    # More decoding work than any picture of its size needs (ae_core.picture_structure: a JPEG of thousands of scans,
    # a PNG of thousands of chunks); values: format, excess (what was too much, in English, for logs)
    "too_complex",
    "unsupported_format",  # a known image or document format other than PNG/JPEG; values: format (e.g. "GIF")
    "not_an_image",  # bytes that are no image format we recognise (text, random bytes, a zip...)
    "corrupt",  # a PNG/JPEG that cannot be decoded (truncated, broken, a text chunk inflating past 1 MB); values: format
    "blank",  # nothing to find: a uniform picture, an empty drawing, noise only
)
# Errors Pillow (and the zlib/struct code under it) raises for malformed files while opening or decoding.
_DECODER_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError, struct.error, zlib.error)


class ImageRejectedError(ValueError):
    """A picture we will not turn into a Fashion-MNIST image: `code` (one of REJECTION_CODES) and `values`."""

    def __init__(self, code: str, **values):
        if code not in REJECTION_CODES:
            raise ValueError(f"Unknown rejection code {code!r}; expected one of {REJECTION_CODES}.")
        self.code = code
        self.values = values
        details = ", ".join(f"{name}={value!r}" for name, value in values.items())
        super().__init__(f"Image rejected ({code}{': ' + details if details else ''}).")


def _sniff_format(data: bytes) -> str | None:
    """The format the first bytes announce ("PNG", "JPEG", "GIF", ...), or None when they announce none we know."""
    head = data[:64]
    signatures = (
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
        (b"II+\x00", "TIFF"),
        (b"MM\x00+", "TIFF"),
        (b"BM", "BMP"),
        (b"\x00\x00\x01\x00", "ICO"),
        (b"\x00\x00\x02\x00", "ICO"),
        (b"%PDF", "PDF"),
        (b"%!PS", "PostScript"),
        (b"8BPS", "PSD"),
        (b"qoif", "QOI"),
        (b"\xff\x4f\xff\x51", "JPEG 2000"),
        (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    )
    for signature, name in signatures:
        if head.startswith(signature):
            return name
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1"):
            return "HEIC"
    text = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in text:
        return "SVG"
    return None


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ImageRejectedError("too_many_pixels", width=width, height=height, limit_megapixels=MAX_PIXELS // 1_000_000)


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """Gray levels of an H×W×3 float array (ITU-R 601 weights, as Pillow's own "L" conversion)."""
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _page_level(levels: np.ndarray, alpha: np.ndarray) -> float:
    """The page that transparent pixels become: white, like a garment photographed on paper, unless the visible
    pixels are mostly light (a white shirt cut out of its photo), which would vanish on white: then black."""
    coverage = float(alpha.sum())
    if coverage == 0:
        return 1.0
    mean_visible_level = float((levels * alpha).sum()) / coverage
    return 0.0 if mean_visible_level > 0.5 else 1.0


def _to_gray(image: Image.Image) -> np.ndarray:
    """Any decoded PNG/JPEG mode as 2-D float32 in [0, 1]; transparency becomes a page (see _page_level)."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit grayscale PNG (Pillow names its byte order in the mode, or widens it to 32-bit "I").
        levels = np.asarray(image, dtype=np.float64)
        return (np.clip(levels, 0, 65535) / 65535).astype(np.float32)
    has_alpha = mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in image.info
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255
        alpha = rgba[..., 3]
        levels = _luminance(rgba[..., :3])
        return (levels * alpha + _page_level(levels, alpha) * (1 - alpha)).astype(np.float32)
    if mode in ("1", "L", "P"):
        return np.asarray(image.convert("L"), dtype=np.float32) / 255
    # RGB, CMYK (Adobe's inverted CMYK is undone by Pillow's JPEG reader), YCbCr, LAB ...
    return _luminance(np.asarray(image.convert("RGB"), dtype=np.float32) / 255)


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says (phone photos); as it is when that metadata is broken."""
    try:
        return ImageOps.exif_transpose(image)
    except _DECODER_ERRORS:
        return image


def read_upload(data: bytes) -> np.ndarray:
    """Decode an uploaded PNG or JPEG into 2-D float32 gray levels in [0, 1] (0 black), upright.

    Every mode is handled (1-bit, gray, 16-bit gray, palette, RGB, CMYK, with or without transparency, which
    becomes a page: see _page_level). An animated PNG gives its first frame; a phone photo is turned upright by
    its EXIF orientation.

    Raises ImageRejectedError: "empty", "too_large_bytes", "not_an_image", "unsupported_format", "too_many_pixels",
    "too_complex", "corrupt".
    """
    if not data:
        raise ImageRejectedError("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        # Rounded up, so that a file just over the limit never reads "5.0 MB, more than 5 MB".
        raise ImageRejectedError("too_large_bytes", megabytes=math.ceil(len(data) / 1024 / 1024 * 10) / 10,
                                 limit_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024))
    detected = _sniff_format(bytes(data[:1024]))
    if detected is None:
        raise ImageRejectedError("not_an_image")
    if detected not in ALLOWED_FORMATS:
        raise ImageRejectedError("unsupported_format", format=detected)
    layout = read_layout(data, detected)
    if layout is None:
        raise ImageRejectedError("corrupt", format=detected)
    _check_pixels(layout.width, layout.height)
    if layout.excess is not None:
        raise ImageRejectedError("too_complex", format=detected, excess=layout.excess)
    try:
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
            _check_pixels(*image.size)  # Pillow's reading of the header agrees with ours, or we stop here
            image.seek(0)  # the first frame of an animated PNG (or of a JPEG with several pictures, MPO)
            image.load()
            gray = _to_gray(_upright(image))
    except ImageRejectedError:
        raise
    except (Image.DecompressionBombError, UnidentifiedImageError, *_DECODER_ERRORS) as error:
        raise ImageRejectedError("corrupt", format=detected) from error
    if gray.ndim != 2 or gray.size == 0:
        raise ImageRejectedError("corrupt", format=detected)
    return gray
