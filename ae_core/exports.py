"""Files to take home: pictures (PNG, GIF), the latent codes (CSV), and an Embedding Projector bundle (zip).

Everything returns bytes, for a download button or a file. Images are 28x28 floats in [0, 1]; pictures are upscaled
with hard pixel edges and separated by a thin gap, so a projector or a slide shows them crisp.

Usage:
    png = image_rows_png([originals, reconstructions]); gif = animation_gif(strip)
    csv_text = codes_csv(codes, labels, class_names); bundle = projector_bundle(codes, labels, class_names, images)
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile

import numpy as np
from PIL import Image

EXPORT_SCALE = 4  # 28 px -> 112 px a picture
GAP = 2  # pixels between pictures, in the background colour
BACKGROUND = 255  # white paper between the black-background garments
SPRITE_IMAGE_SIZE = 28  # the projector's thumbnails: the images at their own size
MAX_SPRITE_SIDE = 8192  # the projector refuses sprites larger than this a side
GIF_FRAME_MS = 250


def _pixels(images: np.ndarray) -> np.ndarray:
    return (np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def image_rows(rows: list[np.ndarray], scale: int = EXPORT_SCALE) -> np.ndarray:
    """One uint8 picture of `rows` (each (n, 28, 28), rows may differ in n), upscaled, `GAP` pixels apart."""
    if not rows or any(len(row) == 0 for row in rows):
        raise ValueError("Nothing to draw: every row needs at least one image.")
    height, width = np.asarray(rows[0]).shape[1:]
    columns = max(len(row) for row in rows)
    cell_height, cell_width = height * scale, width * scale
    canvas = np.full((len(rows) * (cell_height + GAP) - GAP, columns * (cell_width + GAP) - GAP), BACKGROUND, np.uint8)
    for row_number, row in enumerate(rows):
        for column, image in enumerate(_pixels(row)):
            top, left = row_number * (cell_height + GAP), column * (cell_width + GAP)
            canvas[top:top + cell_height, left:left + cell_width] = np.kron(image, np.ones((scale, scale), np.uint8))
    return canvas


def image_rows_png(rows: list[np.ndarray], scale: int = EXPORT_SCALE) -> bytes:
    """PNG of image_rows: e.g. [originals, reconstructions], or one row for an interpolation strip."""
    return _png(image_rows(rows, scale))


def animation_gif(images: np.ndarray, scale: int = EXPORT_SCALE, frame_ms: int = GIF_FRAME_MS) -> bytes:
    """An animated GIF with one frame per image (n, 28, 28), looping forever."""
    images = np.asarray(images)
    if len(images) == 0:
        raise ValueError("An animation needs at least one image.")
    frames = [Image.fromarray(np.kron(image, np.ones((scale, scale), np.uint8)), mode="L") for image in _pixels(images)]
    buffer = io.BytesIO()
    # disposal=1 and optimize=False keep every frame whole: Pillow would otherwise merge identical frames.
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=frame_ms, loop=0,
                   optimize=False, disposal=1)
    return buffer.getvalue()


def codes_csv(codes: np.ndarray, labels: np.ndarray, class_names: tuple[str, ...], indices: np.ndarray | None = None) -> str:
    """CSV text: index, label, class_name, z0 … z{d-1}; one row per code, full float32 precision."""
    codes, labels = np.asarray(codes, dtype=np.float32), np.asarray(labels)
    if codes.ndim != 2 or len(codes) != len(labels):
        raise ValueError(f"Need codes (n, d) and n labels, got {codes.shape} and {labels.shape}.")
    indices = np.arange(len(codes)) if indices is None else np.asarray(indices)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["index", "label", "class_name", *[f"z{dim}" for dim in range(codes.shape[1])]])
    for index, label, code in zip(indices, labels, codes, strict=True):
        writer.writerow([int(index), int(label), class_names[int(label)], *[repr(float(value)) for value in code]])
    return buffer.getvalue()


def sprite(images: np.ndarray) -> tuple[np.ndarray, int]:
    """The projector's sprite: thumbnails in a square grid, row-major, black where the grid runs out; and its side
    in thumbnails."""
    images = _pixels(images)
    per_side = math.ceil(math.sqrt(len(images)))
    if per_side * SPRITE_IMAGE_SIZE > MAX_SPRITE_SIDE:
        raise ValueError(f"{len(images)} images do not fit a {MAX_SPRITE_SIDE}-pixel sprite.")
    canvas = np.zeros((per_side * SPRITE_IMAGE_SIZE, per_side * SPRITE_IMAGE_SIZE), dtype=np.uint8)
    for number, image in enumerate(images):
        row, column = divmod(number, per_side)
        canvas[row * SPRITE_IMAGE_SIZE:(row + 1) * SPRITE_IMAGE_SIZE,
               column * SPRITE_IMAGE_SIZE:(column + 1) * SPRITE_IMAGE_SIZE] = image
    return canvas, per_side


def projector_bundle(codes: np.ndarray, labels: np.ndarray, class_names: tuple[str, ...], images: np.ndarray,
                     name: str = "latent codes") -> bytes:
    """A zip for TensorBoard's Embedding Projector: vectors.tsv, metadata.tsv, sprite.png, projector_config.pbtxt
    (TensorBoard: point --logdir at the unzipped folder) and projector_config.json (projector.tensorflow.org)."""
    codes, labels = np.asarray(codes, dtype=np.float32), np.asarray(labels)
    if codes.ndim != 2 or not len(codes) == len(labels) == len(images):
        raise ValueError("Need as many codes, labels and images.")
    vectors = "".join("\t".join(repr(float(value)) for value in code) + "\n" for code in codes)
    metadata = "index\tlabel\tclass\n" + "".join(f"{index}\t{int(label)}\t{class_names[int(label)]}\n"
                                                for index, label in enumerate(labels))
    sprite_pixels, _ = sprite(images)
    pbtxt = (f'embeddings {{\n  tensor_name: "{name}"\n  tensor_path: "vectors.tsv"\n  metadata_path: "metadata.tsv"\n'
             f'  sprite {{\n    image_path: "sprite.png"\n    single_image_dim: {SPRITE_IMAGE_SIZE}\n'
             f'    single_image_dim: {SPRITE_IMAGE_SIZE}\n  }}\n}}\n')
    config = {"embeddings": [{"tensorName": name, "tensorShape": list(codes.shape), "tensorPath": "vectors.tsv",
                              "metadataPath": "metadata.tsv",
                              "sprite": {"imagePath": "sprite.png", "singleImageDim": [SPRITE_IMAGE_SIZE] * 2}}]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("vectors.tsv", vectors)
        bundle.writestr("metadata.tsv", metadata)
        bundle.writestr("sprite.png", _png(sprite_pixels))
        bundle.writestr("projector_config.pbtxt", pbtxt)
        bundle.writestr("projector_config.json", json.dumps(config, indent=2, ensure_ascii=False))
    return buffer.getvalue()
