"""Files to take home: they open, hold what they claim, and parse back to what went in."""

import csv
import io
import json
import math
import zipfile

import numpy as np
import pytest
from PIL import Image

from ae_core import exports
from ae_core.data import CLASS_NAMES


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((13, 28, 28), dtype=np.float32)


def test_image_rows_put_each_image_in_its_cell(images):
    picture = np.asarray(Image.open(io.BytesIO(exports.image_rows_png([images[:10], images[10:]], scale=2))))
    cell = 28 * 2 + exports.GAP
    assert picture.shape == (2 * cell - exports.GAP, 10 * cell - exports.GAP)
    expected = (np.clip(images[11], 0, 1) * 255 + 0.5).astype(np.uint8)
    np.testing.assert_array_equal(picture[cell:cell + 56:2, cell:cell + 56:2], expected)  # row 1, column 1
    assert (picture[cell:, 3 * cell:] == exports.BACKGROUND).all()  # the short second row leaves paper


def test_the_gif_has_one_frame_per_step(images):
    gif = Image.open(io.BytesIO(exports.animation_gif(images[:7], scale=1)))
    assert gif.n_frames == 7 and gif.info["loop"] == 0
    frames = []
    for number in range(7):
        gif.seek(number)
        frames.append(np.asarray(gif.convert("L")))
    np.testing.assert_array_equal(frames[3], (np.clip(images[3], 0, 1) * 255 + 0.5).astype(np.uint8))


def test_the_csv_parses_back_to_the_same_codes():
    codes = np.random.default_rng(1).normal(size=(50, 5)).astype(np.float32)
    labels = np.arange(50) % 10
    rows = list(csv.reader(io.StringIO(exports.codes_csv(codes, labels, CLASS_NAMES))))
    assert rows[0] == ["index", "label", "class_name", "z0", "z1", "z2", "z3", "z4"]
    assert len(rows) == 51 and rows[10][:3] == ["9", "9", "Ankle boot"]
    np.testing.assert_array_equal(np.array([row[3:] for row in rows[1:]], dtype=np.float32), codes)


def test_the_projector_bundle_agrees_with_itself(images):
    codes = np.random.default_rng(2).normal(size=(13, 4)).astype(np.float32)
    labels = np.arange(13) % 10
    with zipfile.ZipFile(io.BytesIO(exports.projector_bundle(codes, labels, CLASS_NAMES, images))) as bundle:
        vectors = bundle.read("vectors.tsv").decode().splitlines()
        metadata = bundle.read("metadata.tsv").decode().splitlines()
        sprite = Image.open(io.BytesIO(bundle.read("sprite.png")))
        config = json.loads(bundle.read("projector_config.json"))
        pbtxt = bundle.read("projector_config.pbtxt").decode()
    assert len(vectors) == len(codes) and len(metadata) == len(codes) + 1  # metadata has a header row
    np.testing.assert_array_equal(np.array([line.split("\t") for line in vectors], dtype=np.float32), codes)
    assert metadata[1].split("\t") == ["0", "0", "T-shirt/top"]
    dim = config["embeddings"][0]["sprite"]["singleImageDim"]
    per_side = math.ceil(math.sqrt(len(codes)))
    assert sprite.size == (per_side * dim[0], per_side * dim[1]) == (4 * 28, 4 * 28)
    assert config["embeddings"][0]["tensorShape"] == [13, 4]
    assert "single_image_dim: 28" in pbtxt and 'tensor_path: "vectors.tsv"' in pbtxt
    thumbnail = np.asarray(sprite)[28:56, 0:28]  # image 4 is row 1, column 0
    np.testing.assert_array_equal(thumbnail, (np.clip(images[4], 0, 1) * 255 + 0.5).astype(np.uint8))


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        exports.image_rows_png([])
    with pytest.raises(ValueError):
        exports.codes_csv(np.zeros((3, 2)), np.zeros(4), CLASS_NAMES)
    with pytest.raises(ValueError):
        exports.sprite(np.zeros((300 * 300, 28, 28)))
