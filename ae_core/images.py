"""A person's own garment as a Fashion-MNIST image: an uploaded PNG/JPEG or a canvas drawing, made 28×28.

Usage: `from ae_core.images import prepare_upload, ImageRejectedError; prepared = prepare_upload(data)  # prepared.image`

Uploads are untrusted bytes (docs/design.md, "Model files are code"): only PNG and JPEG are decoded, recognised from their first
bytes (never from a file name), capped at MAX_UPLOAD_BYTES and MAX_PIXELS. The pixel count is read from the
file's own header before Pillow is asked for anything, so Pillow's global decompression-bomb limit
(Image.MAX_IMAGE_PIXELS, far higher than ours) never fires and is never changed.

Every refusal is an `ImageRejectedError` carrying a code from REJECTION_CODES and plain values; the UI turns the
code into a sentence in the user's language. Its English str() is for logs only.

The 28×28 recipe follows the data, measured on the 10,000 Fashion-MNIST test images: the longest edge of an
item's bounding box spans the full 28 pixels in 98.3 % of them (all of them span ≥ 27), and the box is centred
on the canvas (short-axis box centre 13.5 or 14 in every image; an odd margin puts the extra pixel before the
item in 99.5 %), whereas the centre of mass wanders (long axis 12.1–17.5 for the middle 90 %). The brightest
pixel is 1.0 (≥ 0.996 in 99 % of them) and the background is 0. This is Zalando's own recipe: trim, resize the
longest edge to 28, centre on the canvas, light item on black. (Zalando also sharpened after resizing; we
don't, as sharpening overshoots and a uniform garment would no longer be uniform.)
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_SIZE = 28  # Fashion-MNIST's side; the item's longest edge fills it, as in 98.3 % of the test set
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 MB: any phone photo of a garment fits; more is not worth decoding
MAX_PIXELS = 4_000_000  # 4 megapixels: ~16 MB as float32 per step, bounded work per upload on a shared server
ALLOWED_FORMATS = ("PNG", "JPEG")  # the only decoders Pillow may run on untrusted bytes (fact 7)

# A picture is first averaged down to at most this many pixels a side to find the item: averaging removes the
# pixel noise of photos, so that speckle never stretches the box; the box is then trimmed at full resolution.
DETECTION_SIZE = 4 * IMAGE_SIZE
# The background is the most common level of the outer ring of the picture, this fraction of its shorter side
# wide (at least one pixel): a garment may touch the edges, but the background usually dominates them.
BORDER_FRACTION = 0.05
BACKGROUND_BINS = 32  # histogram bins for that most common level: ~0.03 wide, coarser than photo noise
# A pixel belongs to the item when it differs from the background by this fraction of the item's strongest
# contrast: 5 % keeps the faint edges that the dataset's own items keep (their boxes span 28 at any threshold
# up to 5 % in 93.6 % of the test set), so a real test image comes back unchanged.
FOREGROUND_FRACTION = 0.05
# ... and by more than this many standard deviations of the background's noise, so speckle is never an item.
NOISE_SIGMAS = 5.0
NOISE_WINDOW = 0.2  # border pixels further than this from the background level are the item, not its noise
# An item whose strongest contrast with the background is below this is no item: a blank page, a uniform photo.
MIN_ITEM_CONTRAST = 0.08

# A drawing comes from a browser canvas (getImageData): height × width × RGBA, one byte a channel.
DRAWING_CHANNELS = 4

REJECTION_CODES = (
    "empty",  # zero bytes
    "too_large_bytes",  # values: megabytes (float, rounded up to one decimal), limit_megabytes (int)
    "too_many_pixels",  # values: width, height, limit_megapixels (int)
    "unsupported_format",  # a known image or document format other than PNG/JPEG; values: format (e.g. "GIF")
    "not_an_image",  # bytes that are no image format we recognise (text, random bytes, a zip...)
    "corrupt",  # a PNG/JPEG that cannot be decoded (truncated, broken, a text chunk inflating past 1 MB); values: format
    "blank",  # nothing to find: a uniform picture, an empty drawing, noise only
    "bad_drawing",  # a canvas drawing that is not height × width × 4 uint8; values: shape, dtype
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


@dataclass(frozen=True)
class PreparedImage:
    """A picture made into a Fashion-MNIST image, with the steps on the way (each read-only) to show small."""

    image: np.ndarray  # 28×28 float32 in [0, 1]: light item on a black background, longest edge spanning 28
    gray: np.ndarray  # the input, 2-D float32 in [0, 1] (0 black, 1 white)
    inverted: bool  # True when the item was darker than its background (a photo on a page, ink on white)
    background: float  # the background's level in `gray`
    box: tuple[int, int, int, int]  # the item's bounding box in `gray`: top, left, bottom, right (exclusive)
    cropped: np.ndarray = field(repr=False)  # the box, as contrast with the background: 0 background, 1 strongest
    scaled: np.ndarray = field(repr=False)  # the crop resized so that its longest edge is 28


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


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, which the format requires to come first."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


# JPEG markers that start a frame and carry its size (baseline, progressive, lossless, arithmetic; not DHT/JPG/DAC).
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's first frame header (SOFn), read by walking the markers before it."""
    position = 2  # after the start-of-image marker
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill bytes may pad the marker
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image or start of scan before any frame header
            return None
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        if marker in _JPEG_FRAME_MARKERS:
            if position + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return width, height
        position += 2 + length
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
    "corrupt".
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
    declared = _png_size(data) if detected == "PNG" else _jpeg_size(data)
    if declared is None:
        raise ImageRejectedError("corrupt", format=detected)
    _check_pixels(*declared)
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


def drawing_to_gray(rgba: np.ndarray) -> np.ndarray:
    """A canvas drawing as 2-D float32 gray levels in [0, 1], ready for `to_fashion_mnist`.

    `rgba` is what a browser canvas's getImageData gives: height × width × 4, uint8 (R, G, B, alpha).
    - Strokes on a transparent background (any pixel not fully opaque): the ink is the alpha channel, whatever
      the colour, so white strokes count as much as black ones; the result is light ink on black.
    - A fully opaque canvas (strokes painted on a filled background): its gray levels, and `to_fashion_mnist`
      decides which side is the garment.

    Raises ImageRejectedError "bad_drawing" for any other shape or dtype, "too_many_pixels" past MAX_PIXELS.
    """
    array = np.asarray(rgba)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != DRAWING_CHANNELS or 0 in array.shape:
        raise ImageRejectedError("bad_drawing", shape=tuple(int(side) for side in array.shape), dtype=str(array.dtype))
    _check_pixels(array.shape[1], array.shape[0])
    alpha = array[..., 3]
    if alpha.min() < 255:
        return alpha.astype(np.float32) / 255
    return _luminance(array[..., :3].astype(np.float32) / 255).astype(np.float32)


def _average_down(gray: np.ndarray, max_side: int) -> tuple[np.ndarray, int, int]:
    """`gray` averaged over blocks so that neither side exceeds `max_side`, and the block's height and width.

    Each axis has its own block size, so a long thin strip keeps its short side whole.
    """
    height, width = gray.shape
    step_y, step_x = max(1, -(-height // max_side)), max(1, -(-width // max_side))
    if step_y == step_x == 1:
        return gray, 1, 1
    # Pad with the edge so the blocks tile the image; the padding repeats real pixels, adding no new level.
    padded = np.pad(gray, ((0, -height % step_y), (0, -width % step_x)), mode="edge")
    blocks = padded.reshape(padded.shape[0] // step_y, step_y, padded.shape[1] // step_x, step_x)
    return blocks.mean(axis=(1, 3), dtype=np.float64).astype(np.float32), step_y, step_x


def _border(gray: np.ndarray) -> np.ndarray:
    """The pixels of the outer ring of `gray`, BORDER_FRACTION of its shorter side wide (at least one pixel)."""
    width = max(1, round(min(gray.shape) * BORDER_FRACTION))
    ring = np.ones(gray.shape, dtype=bool)
    ring[width:-width, width:-width] = False
    return gray[ring]


def _background_level(border: np.ndarray) -> float:
    """The border's most common level: the median of the border pixels in its fullest histogram bin."""
    counts, edges = np.histogram(border, bins=BACKGROUND_BINS, range=(0.0, 1.0))
    fullest = int(np.argmax(counts))
    in_bin = border[(border >= edges[fullest]) & (border <= edges[fullest + 1])]
    return float(np.median(in_bin))


def _noise_sigma(border: np.ndarray, background: float) -> float:
    """The background's noise as a standard deviation: the median absolute deviation of the border pixels
    within NOISE_WINDOW of its level (so that an item touching the border does not count as noise), × 1.4826."""
    near = border[np.abs(border - background) <= NOISE_WINDOW]
    return float(1.4826 * np.median(np.abs(near - background)))


def _item_box(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(mask.any(axis=1))
    columns = np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(columns[0]), int(rows[-1]) + 1, int(columns[-1]) + 1


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array, dtype=np.float32)
    array.flags.writeable = False
    return array


def to_fashion_mnist(gray: np.ndarray) -> PreparedImage:
    """Make any gray picture (`read_upload`, `drawing_to_gray`) a 28×28 Fashion-MNIST-like image.

    Steps (the recipe the dataset was made with, see the module docstring): find the background (the border's
    most common level); invert when the item is darker than it; find the item's bounding box, above
    FOREGROUND_FRACTION of its contrast and the background's noise (at low resolution, then trimmed at full
    resolution); crop it; resize so its longest edge is 28; centre its box on the 28×28 canvas; stretch so its
    brightest pixel is 1.

    Raises ImageRejectedError "blank" when there is no item. `gray` must be 2-D with values in [0, 1].
    """
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2 or gray.size == 0:
        raise ValueError(f"Expected a non-empty 2-D gray image, got shape {gray.shape}.")
    if not np.all(np.isfinite(gray)):
        raise ValueError("The gray image holds NaN or infinite values.")
    gray = np.clip(gray, 0.0, 1.0)

    small, step_y, step_x = _average_down(gray, DETECTION_SIZE)
    border = _border(small)
    background = _background_level(border)
    # The item lies on the side of the background where the picture holds more contrast: a dark garment on a
    # white page holds it below, a drawing's light ink on black above. Noise, symmetric, cancels out.
    darker = float(np.clip(background - small, 0, None).sum())
    lighter = float(np.clip(small - background, 0, None).sum())
    inverted = darker > lighter
    sign = -1.0 if inverted else 1.0

    small_contrast = np.clip(sign * (small - background), 0, None)
    strongest = float(small_contrast.max())
    noise = _noise_sigma(border, background)
    if strongest < MIN_ITEM_CONTRAST or strongest <= NOISE_SIGMAS * noise:
        raise ImageRejectedError("blank")
    threshold = max(FOREGROUND_FRACTION * strongest, NOISE_SIGMAS * noise)
    top, left, bottom, right = _item_box(small_contrast > threshold)

    # Back to full resolution: each detection pixel is a block of step_y × step_x input pixels. The blocks'
    # box may overshoot the item by up to a block on each side, so trim it with the full-resolution pixels,
    # above the full-resolution noise (higher than the averaged one), keeping the blocks' box if none is left.
    box = (top * step_y, left * step_x, min(gray.shape[0], bottom * step_y), min(gray.shape[1], right * step_x))
    cropped = np.clip(sign * (gray[box[0]:box[2], box[1]:box[3]] - background), 0, None)
    if (step_y, step_x) != (1, 1):
        full_noise = _noise_sigma(_border(gray), background)
        inside = cropped > max(FOREGROUND_FRACTION * strongest, NOISE_SIGMAS * full_noise)
        if inside.any():
            inner_top, inner_left, inner_bottom, inner_right = _item_box(inside)
            box = (box[0] + inner_top, box[1] + inner_left, box[0] + inner_bottom, box[1] + inner_right)
            cropped = cropped[inner_top:inner_bottom, inner_left:inner_right]
    cropped = cropped / max(float(cropped.max()), np.finfo(np.float32).tiny)

    height, width = cropped.shape
    longest = max(height, width)
    scaled_height = min(IMAGE_SIZE, max(1, round(height * IMAGE_SIZE / longest)))
    scaled_width = min(IMAGE_SIZE, max(1, round(width * IMAGE_SIZE / longest)))
    if (scaled_height, scaled_width) == cropped.shape:
        scaled = cropped
    else:
        # Shrinking averages each output pixel's area (what a camera's sensor does); enlarging interpolates
        # linearly. Neither overshoots, so a uniformly coloured garment stays uniform (Lanczos rings by ~13 %,
        # and the brightest ring would then set the scale of the whole item).
        shrinking = longest > IMAGE_SIZE
        resample = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
        resized = Image.fromarray(cropped.astype(np.float32)).resize((scaled_width, scaled_height), resample)
        scaled = np.clip(np.asarray(resized, dtype=np.float32), 0, None)

    # Centre the box on the canvas; an odd margin puts its extra pixel before the item, as the dataset does.
    image = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    row = (IMAGE_SIZE - scaled_height + 1) // 2
    column = (IMAGE_SIZE - scaled_width + 1) // 2
    image[row:row + scaled_height, column:column + scaled_width] = scaled
    brightest = float(image.max())
    if not brightest > 0:
        raise ImageRejectedError("blank")
    image = np.clip(image / brightest, 0.0, 1.0)

    return PreparedImage(image=_read_only(image), gray=_read_only(gray), inverted=inverted, background=background,
                         box=box, cropped=_read_only(cropped), scaled=_read_only(scaled))


def prepare_upload(data: bytes) -> PreparedImage:
    """An uploaded file's bytes as a Fashion-MNIST image: `to_fashion_mnist(read_upload(data))`."""
    return to_fashion_mnist(read_upload(data))
