"""A decoder (or encoder) as a plain, JSON-serialisable spec (layers, shapes, base64 float32 weights), for the browser.

The browser decodes latent vectors from this spec in JavaScript (ui/live_decoder.js) so that an image can follow a
slider while it is dragged (docs/design.md, "Sliders report on release" and "JavaScript decodes fast enough");
tests/spec_reference.py decodes the spec in NumPy, the reference the browser's code is tested against.

Usage: `spec = export_decoder(model.decoder)`
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass

import numpy as np

SPEC_FORMAT = "ae-lab-decoder/1"
ACTIVATIONS = ("linear", "relu", "sigmoid")


# ---------------------------------------------------------------------------------------------------------------
# Export


def export_decoder(decoder) -> dict:
    """The spec of a Keras decoder made of Dense, Reshape, Conv2DTranspose and Conv2D layers in a chain.

    Each layer records its input and output shapes (without the batch axis), its activation and, where it has
    weights, `kernel` and `bias` as base64 of little-endian float32 in Keras' own layouts:
    Dense (in, out); Conv2D (kh, kw, in, out); Conv2DTranspose (kh, kw, out, in). Convolutions also record the
    padding before the first row and column (`pad`), computed the way TensorFlow pads 'same' (more padding
    after than before when the total is odd), so a decoder needs no padding rule of its own.
    Raises ValueError for any other layer type, activation or option.
    """
    spec = export_network(decoder)
    if len(spec["input_shape"]) != 1:
        raise ValueError(f"A decoder takes a vector, not an input of shape {tuple(spec['input_shape'])}.")
    return spec


def export_encoder(encoder) -> dict:
    """The spec of an encoder chain (images (28, 28) -> codes; Flatten and Reshape move no values): the browser
    encodes a drawing with it. For a VAE, export the mean's chain (ae_core.models.Autoencoder.encoder)."""
    return export_network(encoder)


def export_network(model) -> dict:
    """The spec of any chain of the supported layers, with its `input_shape`; `latent_dim` is the size of a
    decoder's input vector (kept for the decoders' readers)."""
    import keras

    input_shape = _shape(model.inputs[0].shape)
    layers: list[dict] = []
    shape: tuple[int, ...] = input_shape
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        layer_input = _shape(layer.input.shape) if not isinstance(layer.input, list | tuple) else None
        if layer_input != shape:
            raise ValueError(f"Layer {layer.name!r} does not take the previous layer's output: only a chain of layers "
                             f"can be exported (expected input {shape}, got {layer_input}).")
        output_shape = _shape(layer.output.shape)
        layers.append(_export_layer(layer, shape, output_shape))
        shape = output_shape
    if shape != _shape(model.outputs[0].shape):
        raise ValueError("The model's layers do not end in its output: only a chain of layers can be exported.")

    spec = {"format": SPEC_FORMAT, "input_shape": list(input_shape), "latent_dim": int(np.prod(input_shape)),
            "output_shape": list(shape), "layers": layers}
    spec["multiply_adds"] = sum(layer["multiply_adds"] for layer in layers)
    # A short content hash: the browser caches prepared weights under it and tells networks apart by it.
    spec["id"] = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    return spec


def _export_layer(layer, input_shape: tuple[int, ...], output_shape: tuple[int, ...]) -> dict:
    import keras

    entry = {"name": layer.name, "input_shape": list(input_shape), "output_shape": list(output_shape)}
    if isinstance(layer, keras.layers.Dense):
        if len(input_shape) != 1:  # a Dense over the last axis of a picture would need a loop of its own
            raise ValueError(f"Dense layer {layer.name!r} must take a vector, got input shape {input_shape}.")
        kernel, bias = _kernel_and_bias(layer, output_shape[-1])
        return {"type": "dense", **entry, "activation": activation_name(layer), "kernel": _encode(kernel),
                "kernel_shape": list(kernel.shape), "bias": _encode(bias),
                "multiply_adds": int(kernel.size)}
    if isinstance(layer, keras.layers.Reshape | keras.layers.Flatten):  # channels-last values keep their order
        if int(np.prod(input_shape)) != int(np.prod(output_shape)):
            raise ValueError(f"Reshape layer {layer.name!r} changes the number of values.")
        return {"type": "reshape", **entry, "multiply_adds": 0}
    # Conv2DTranspose subclasses Conv2D in some Keras versions: test for it first.
    if isinstance(layer, keras.layers.Conv2DTranspose):
        return _export_convolution(layer, entry, "conv2d_transpose")
    if isinstance(layer, keras.layers.Conv2D):
        return _export_convolution(layer, entry, "conv2d")
    raise ValueError(f"Layer {layer.name!r} of type {type(layer).__name__} cannot be exported: "
                     "only Dense, Reshape, Conv2D and Conv2DTranspose layers are supported.")


def _export_convolution(layer, entry: dict, kind: str) -> dict:
    config = layer.get_config()
    if config.get("data_format", "channels_last") != "channels_last":
        raise ValueError(f"Layer {layer.name!r}: only channels_last convolutions can be exported.")
    if tuple(config.get("dilation_rate", (1, 1))) != (1, 1):
        raise ValueError(f"Layer {layer.name!r}: dilated convolutions cannot be exported.")
    if config.get("groups", 1) != 1:
        raise ValueError(f"Layer {layer.name!r}: grouped convolutions cannot be exported.")
    if config.get("output_padding") is not None:
        raise ValueError(f"Layer {layer.name!r}: output_padding cannot be exported.")
    padding = config["padding"]
    if padding not in ("same", "valid"):
        raise ValueError(f"Layer {layer.name!r}: padding {padding!r} cannot be exported.")
    input_shape, output_shape = entry["input_shape"], entry["output_shape"]
    if len(input_shape) != 3:
        raise ValueError(f"Layer {layer.name!r} must take (height, width, channels), got {tuple(input_shape)}.")

    kernel, bias = _kernel_and_bias(layer, output_shape[-1])
    kernel_size, strides = tuple(config["kernel_size"]), tuple(config["strides"])
    pad = []
    for axis in range(2):
        if kind == "conv2d":
            # TensorFlow's 'same': out = ceil(in / stride); the total padding is split with the odd one after.
            small, large = output_shape[axis], input_shape[axis]
        else:
            # A transposed convolution is the gradient of the convolution that maps its output back to its
            # input, and it pads exactly as that convolution does.
            small, large = input_shape[axis], output_shape[axis]
        total = max((small - 1) * strides[axis] + kernel_size[axis] - large, 0) if padding == "same" else 0
        pad.append(total // 2)

    if kind == "conv2d":
        multiply_adds = output_shape[0] * output_shape[1] * kernel.size
    else:
        multiply_adds = input_shape[0] * input_shape[1] * kernel.size
    return {"type": kind, **entry, "activation": activation_name(layer), "kernel": _encode(kernel),
            "kernel_shape": list(kernel.shape), "bias": _encode(bias), "strides": list(strides), "pad": pad,
            "multiply_adds": int(multiply_adds)}


def _kernel_and_bias(layer, outputs: int) -> tuple[np.ndarray, np.ndarray]:
    """The kernel, and the bias (zeros for a layer without one) with one value per output channel."""
    kernel = np.asarray(layer.kernel, dtype=np.float32)
    bias = np.asarray(layer.bias, dtype=np.float32) if layer.use_bias else np.zeros(outputs, dtype=np.float32)
    return kernel, bias


def activation_name(layer) -> str:
    """A layer's activation as one of ACTIVATIONS (what the exported decoders and latent.CompiledDecoder compute);
    ValueError for any other."""
    import keras

    name = keras.activations.serialize(layer.activation)
    if isinstance(name, dict):  # some Keras versions wrap built-in activations in a config dict
        name = name.get("config", name.get("class_name"))
    if name not in ACTIVATIONS:
        raise ValueError(f"Layer {layer.name!r}: activation {name!r} cannot be exported "
                         f"(supported: {', '.join(ACTIVATIONS)}).")
    return name


def _shape(shape) -> tuple[int, ...]:
    return tuple(int(size) for size in shape[1:])


def _encode(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


# ---------------------------------------------------------------------------------------------------------------
# Slider geometry shared by Python and the browser


def slider_code(origin, directions, values) -> np.ndarray:
    """The latent vector the sliders point at: origin + sum_k values[k] * directions[k]."""
    origin = np.asarray(origin, dtype=np.float32)
    directions = np.asarray(directions, dtype=np.float32).reshape(-1, origin.size)
    return origin + np.asarray(values, dtype=np.float32) @ directions


def slider_origin(base_code, directions, values) -> np.ndarray:
    """The origin that makes the sliders at `values` point exactly at `base_code`.

    For raw dimensions (one-hot directions, values = base_code[dims]) it is base_code with those dimensions zeroed;
    for orthonormal principal axes (values = (base_code - mean) @ axes.T) it keeps whatever the axes do not span.
    """
    base_code = np.asarray(base_code, dtype=np.float32)
    return base_code - slider_code(np.zeros_like(base_code), directions, values)


@dataclass(frozen=True)
class LatentSlider:
    """One slider of the live decoder: it moves the latent vector along `direction` by its value."""

    label: str
    direction: tuple[float, ...]
    value: float
    minimum: float
    maximum: float
    step: float

    def __post_init__(self) -> None:
        if not self.step > 0:
            raise ValueError(f"Slider {self.label!r}: step must be positive, got {self.step}.")
        if not self.minimum <= self.value <= self.maximum:
            raise ValueError(f"Slider {self.label!r}: value {self.value} is outside [{self.minimum}, {self.maximum}].")

    @classmethod
    def around(cls, label: str, direction, value: float, *, low: float, high: float, step: float) -> LatentSlider:
        """A slider over [low, high] (widened to include `value`) whose step grid passes through `value`.

        Browsers snap a range input's value to min + k * step; aligning the ends with the value keeps the first
        picture exactly the one Python asked for.
        """
        value = float(value)
        below = math.ceil(round((value - min(low, value)) / step, 6))
        above = math.ceil(round((max(high, value) - value) / step, 6))
        return cls(label, tuple(float(x) for x in np.asarray(direction, dtype=np.float32)), value,
                   value - below * step, value + above * step, float(step))
