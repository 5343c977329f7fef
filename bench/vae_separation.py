"""How well the classes separate on a 2-D view of the latent space: silhouette score by class of the 10,000 test codes.

vae-2's own 2-D codes (its encoder's means) against dense-64's 64-D codes projected on their first two principal axes
(what the Latent map and the Latent grid show for it); other stored models as well, each on its 2-D view. The score
is the mean over every test image of (b - a) / max(a, b), a = mean distance to its own class, b = to the nearest other
class: 1 is perfectly separated, 0 overlapping classes.

Usage: `.venv/bin/python bench/vae_separation.py`  (about a minute on 2 CPU cores)
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ae_core import latent, store
from ae_core.data import load_fashion_mnist
from ae_core.separation import silhouette_score

FIRST = ("vae-2", "dense-64")  # the comparison the issue asks for, printed first


def view_of(space: latent.LatentSpace):
    """The 2-D view the pages show: a 2-D space as it is, a larger one on its first two principal axes."""
    return (space.codes, "own axes z0, z1") if space.latent_dim == 2 else (space.coordinates[:, :2], "PCA, 2 axes")


def main() -> None:
    data = load_fashion_mnist()
    names = [model.name for model in store.list_models()]
    ordered = [name for name in FIRST if name in names] + [name for name in names if name not in FIRST]
    for name in ordered:
        start = time.perf_counter()
        model = store.load_model(name)
        points, view = view_of(latent.LatentSpace.from_model(model, data.x_test, data.y_test))
        score = silhouette_score(points, data.y_test)
        print(f"{name:18s} {model.latent_dim:3d}-D, {view:16s} silhouette {score:+.3f}  ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
