"""A NumPy forward pass of an exported decoder spec (ae_core/decoder_export.py): what `decoder(codes)` computes.

Test-only: the reference that Keras and the browser's JavaScript decoder (ui/live_decoder.js) are both checked
against. Usage: `images = decode_with_spec(export_decoder(model.decoder), codes)`
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

from ae_core.decoder_export import SPEC_FORMAT


def decode_weights(encoded: str, shape: Sequence[int]) -> np.ndarray:
    """A base64 float32 array of the spec back as a NumPy array of `shape`."""
    values = np.frombuffer(base64.b64decode(encoded), dtype="<f4")
    if values.size != int(np.prod(shape)):
        raise ValueError(f"Weights of {values.size} values do not fill the shape {tuple(shape)}.")
    return values.reshape(shape).astype(np.float32)


def decode_with_spec(spec: dict, codes) -> np.ndarray:
    """Decode `codes` (n, latent_dim) with the spec alone: what `decoder(codes)` computes, in NumPy float32."""
    if spec.get("format") != SPEC_FORMAT:
        raise ValueError(f"Not a decoder spec of format {SPEC_FORMAT!r}.")
    values = np.asarray(codes, dtype=np.float32)
    if values.ndim != 2 or values.shape[1] != spec["latent_dim"]:
        raise ValueError(f"codes must have shape (n, {spec['latent_dim']}), got {values.shape}.")
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "reshape":
            values = values.reshape((len(values), *layer["output_shape"]))
            continue
        kernel = decode_weights(layer["kernel"], layer["kernel_shape"])
        bias = decode_weights(layer["bias"], (layer["output_shape"][-1],))
        if kind == "dense":
            values = values @ kernel + bias
        elif kind == "conv2d":
            values = _conv2d(values, kernel, bias, layer)
        elif kind == "conv2d_transpose":
            values = _conv2d_transpose(values, kernel, bias, layer)
        else:
            raise ValueError(f"Unknown layer type {kind!r} in the spec.")
        values = _activate(values, layer["activation"])
    return values.astype(np.float32)


def _conv2d(inputs, kernel, bias, layer: dict) -> np.ndarray:
    """out[y, x] = bias + sum over taps of inputs[y*s + ky - pad, x*s + kx - pad] @ kernel[ky, kx] (zero outside)."""
    n, height, width, _ = inputs.shape
    out_height, out_width, filters = layer["output_shape"]
    strides, pad = layer["strides"], layer["pad"]
    outputs = np.broadcast_to(bias, (n, out_height, out_width, filters)).astype(np.float32)
    for ky in range(kernel.shape[0]):
        for kx in range(kernel.shape[1]):
            rows = np.arange(out_height) * strides[0] + ky - pad[0]
            cols = np.arange(out_width) * strides[1] + kx - pad[1]
            row_ok, col_ok = (rows >= 0) & (rows < height), (cols >= 0) & (cols < width)
            taken = inputs[:, rows[row_ok]][:, :, cols[col_ok]] @ kernel[ky, kx]
            outputs[:, np.flatnonzero(row_ok)[:, None], np.flatnonzero(col_ok)[None, :]] += taken
    return outputs


def _conv2d_transpose(inputs, kernel, bias, layer: dict) -> np.ndarray:
    """Each input pixel adds kernel[ky, kx] @ its channels at out[y*s + ky - pad, x*s + kx - pad] (dropped outside)."""
    n, height, width, _ = inputs.shape
    out_height, out_width, filters = layer["output_shape"]
    strides, pad = layer["strides"], layer["pad"]
    outputs = np.broadcast_to(bias, (n, out_height, out_width, filters)).astype(np.float32)
    for ky in range(kernel.shape[0]):
        for kx in range(kernel.shape[1]):
            rows = np.arange(height) * strides[0] + ky - pad[0]
            cols = np.arange(width) * strides[1] + kx - pad[1]
            row_ok, col_ok = (rows >= 0) & (rows < out_height), (cols >= 0) & (cols < out_width)
            # kernel[ky, kx] is (filters, channels): the transposed convolution's kernel layout in Keras.
            spread = inputs[:, np.flatnonzero(row_ok)][:, :, np.flatnonzero(col_ok)] @ kernel[ky, kx].T
            # Within one tap the target positions are distinct, so fancy-indexed += adds every contribution.
            outputs[:, rows[row_ok][:, None], cols[col_ok][None, :]] += spread
    return outputs


def _activate(values: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(values, 0.0)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-values))
    if activation == "linear":
        return values
    raise ValueError(f"Unknown activation {activation!r} in the spec.")
