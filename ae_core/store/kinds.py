"""What kind of lesson a stored model belongs to, read from its metadata: plain, variational, denoising or one that
never saw a class.

Usage: `model_kind(record)` → "denoising"; `noise_std(record)` → 0.3; `excluded_class(record)` → 4 or None
"""

from __future__ import annotations

import math
import numbers

from ae_core.config import BY_NAME, CLASS_RANGE
from ae_core.store.metadata import ModelRecord

KINDS = ("plain", "variational", "denoising", "leave_one_out")


def noise_std(record: ModelRecord) -> float:
    """The Gaussian noise std its training inputs had (0.0 for a plain model, or where the metadata says nothing usable).

    train_config is whatever the metadata file holds, so a value of the wrong type or out of range counts as none.
    """
    value = record.train_config.get("noise_std", 0.0)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        return 0.0
    low, high = BY_NAME["noise_std"].bounds
    return float(value) if low <= value <= high else 0.0


def excluded_class(record: ModelRecord) -> int | None:
    """The class left out of its training images, or None."""
    value = record.train_config.get("exclude_class")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return None
    return int(value) if CLASS_RANGE[0] <= value <= CLASS_RANGE[1] else None


def is_denoising(record: ModelRecord) -> bool:
    return noise_std(record) > 0


def model_kind(record: ModelRecord) -> str:
    """One of KINDS. A model that is several at once is named by what matters most for comparing it: a class it never
    saw first (its val MSE leaves that class out too), then variational, then denoising."""
    if excluded_class(record) is not None:
        return "leave_one_out"
    if record.config.variational:
        return "variational"
    if is_denoising(record):
        return "denoising"
    return "plain"
