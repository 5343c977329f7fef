"""Calling a model on many images: in slices of BATCH_SIZE, results joined along the first axis.

Usage: `codes = in_batches(model.encoder, images)`
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Large enough to amortise a call's overhead (~1 ms a direct call here), small enough to keep memory flat.
BATCH_SIZE = 1000


def in_batches(function: Callable, inputs: np.ndarray, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """`function(inputs[i:i + batch_size])` for every slice, as one NumPy array (a model call: direct, never predict,
    which costs ~50 ms a call here). `inputs` may be anything that slices, e.g. an index range."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}.")
    if len(inputs) == 0:
        raise ValueError("Nothing to compute: no inputs.")
    return np.concatenate([np.asarray(function(inputs[start:start + batch_size]))
                           for start in range(0, len(inputs), batch_size)])
