"""A person's own garment as a Fashion-MNIST image: any gray picture (an upload, a drawing) made 28×28 by the
dataset's own recipe.

Usage: `prepared = prepare_upload(data)  # prepared.image, 28×28; once per content`; `to_fashion_mnist(gray)`

The 28×28 recipe follows the data, measured on the 10,000 Fashion-MNIST test images: the longest edge of an
item's bounding box spans the full 28 pixels in 98.3 % of them (all of them span ≥ 27), and the box is centred
on the canvas (short-axis box centre 13.5 or 14 in every image; an odd margin puts the extra pixel before the
item in 99.5 %), whereas the centre of mass wanders (long axis 12.1–17.5 for the middle 90 %). The brightest
pixel is 1.0 (≥ 0.996 in 99 % of them) and the background is 0. This is Zalando's own recipe: trim, resize the
longest edge to 28, centre on the canvas, light item on black. (Zalando also sharpened after resizing; we
don't, as sharpening overshoots and a uniform garment would no longer be uniform.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ae_core.picture_cache import PictureCache
from ae_core.uploads import ImageRejectedError, read_upload

IMAGE_SIZE = 28  # Fashion-MNIST's side; the item's longest edge fills it, as in 98.3 % of the test set
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
    """Make any gray picture (ae_core.uploads.read_upload, or a drawing's) a 28×28 Fashion-MNIST-like image.

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


PREPARED = PictureCache[PreparedImage]()  # every upload and drawing this process was sent, by content


def prepare_upload(data: bytes) -> PreparedImage:
    """An uploaded file's (or a drawing's) bytes as a Fashion-MNIST image: `to_fashion_mnist(read_upload(data))`,
    worked out once per content (PREPARED); raises its ImageRejectedError again on every call for refused bytes."""
    return PREPARED.get(bytes(data), _prepare)


def _prepare(data: bytes) -> PreparedImage:
    return to_fashion_mnist(read_upload(data))
