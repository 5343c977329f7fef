"""Files to take home, downloaded by a real browser: they are made when clicked and hold what the page shows (the
interpolation, the latent codes, a model's lecture code).

Uses the module's app server and Chromium from conftest.py; each test gets its own session.
Run: `.venv/bin/python -m pytest tests/e2e/test_downloads.py -q`
"""

import csv
import io
import zipfile

import nbformat
import numpy as np
import pytest
from harness import open_page, wait_for_images
from PIL import Image

from ae_core import store
from ae_core.lecture_code import notebook, python_script
from ui.i18n import t

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=120_000) as started:
        page.get_by_role("button", name=label).click()
    return open(started.value.path(), "rb").read()


def named_download(page, label: str) -> tuple[str, bytes]:
    """(the file's name, its bytes) of the download button with this label."""
    with page.expect_download(timeout=120_000) as started:
        page.get_by_role("button", name=label).click()
    return started.value.suggested_filename, open(started.value.path(), "rb").read()


def test_the_interpolation_downloads_as_a_strip_and_a_gif_with_one_frame_per_step(page, app_server):
    open_page(page, app_server, "explorer")
    wait_for_images(page)
    gif = Image.open(io.BytesIO(download(page, t("explorer.interp_download_gif", "ko"))))
    assert gif.n_frames == 8  # the default number of steps
    strip = Image.open(io.BytesIO(download(page, t("explorer.interp_download_png", "ko"))))
    assert strip.format == "PNG" and strip.width > 9 * strip.height  # 10 pictures side by side


def test_the_latent_codes_download_as_csv_and_as_a_projector_bundle(page, app_server):
    open_page(page, app_server, "latent_map")
    rows = list(csv.reader(io.StringIO(download(page, t("map.download_csv", "ko")).decode())))
    assert len(rows) == 10_001 and rows[0][:4] == ["index", "label", "class_name", "z0"] and len(rows[0]) == 3 + 64
    assert rows[1][2] == t("class.9", "ko")  # test image 0 is an ankle boot, named in the page's language
    with zipfile.ZipFile(io.BytesIO(download(page, t("map.download_projector", "ko")))) as bundle:
        vectors = bundle.read("vectors.tsv").decode().splitlines()
        sprite = Image.open(io.BytesIO(bundle.read("sprite.png")))
    assert len(vectors) == 10_000 and sprite.size == (2800, 2800)
    np.testing.assert_allclose(np.array(vectors[0].split("\t"), dtype=np.float32), np.array(rows[1][3:], dtype=np.float32))


def test_a_models_lecture_code_downloads_as_a_script_and_a_notebook_in_the_pages_language(page, app_server):
    open_page(page, app_server, "models")
    stored = store.find_model("dense-64")  # the model the page shows first: the sidebar's
    name, script = named_download(page, t("models.download_code", "ko"))
    assert name == "dense-64.py" and script.decode("utf-8") == python_script(stored, "ko")
    name, text = named_download(page, t("models.download_notebook", "ko"))  # made when clicked
    assert name == "dense-64.ipynb"
    assert nbformat.reads(text.decode("utf-8"), as_version=4) == notebook(stored, "ko")
