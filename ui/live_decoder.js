// Live latent decoder: decodes a latent vector in the browser on every slider move and draws the 28x28 image.
//
// The forward pass mirrors tests/spec_reference.py's decode_with_spec (the spec format: ae_core/decoder_export.py) and
// is exported as pure functions, so tests/js can run it under node and compare it with Keras. The default export
// is the entry point of the Streamlit component that carries the weights; the view (canvas and sliders) is drawn
// by mountView below (ui/live_decoder.py mounts both).

// ---------------------------------------------------------------------------------------------------------------
// Forward pass

function decodeBase64Float32(encoded) {
  const text = atob(encoded);
  const view = new DataView(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) view.setUint8(i, text.charCodeAt(i));
  const values = new Float32Array(text.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true); // the spec is little-endian
  return values;
}

function size(shape) {
  return shape.reduce((product, length) => product * length, 1);
}

// (taps, rows, cols) -> (taps, cols, rows), for a kernel stored as a flat Float32Array.
function swapLastAxes(kernel, taps, rows, cols) {
  const swapped = new Float32Array(kernel.length);
  for (let tap = 0; tap < taps; tap++)
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) swapped[(tap * cols + c) * rows + r] = kernel[(tap * rows + r) * cols + c];
  return swapped;
}

// Turns a spec into typed arrays in the layouts the loops below read contiguously, with an output buffer per
// layer allocated once: decoding a frame allocates nothing.
export function prepareDecoder(spec) {
  if (spec.format !== "ae-lab-decoder/1") throw new Error(`Not a decoder spec: ${spec.format}`);
  const layers = [];
  for (const layer of spec.layers) {
    if (layer.type === "reshape") continue; // all buffers are flat and channels-last: reshaping moves nothing
    const prepared = {
      type: layer.type,
      activation: layer.activation,
      inputShape: layer.input_shape,
      outputShape: layer.output_shape,
      bias: decodeBase64Float32(layer.bias),
      output: new Float32Array(size(layer.output_shape)),
    };
    const kernel = decodeBase64Float32(layer.kernel);
    const shape = layer.kernel_shape;
    if (layer.type === "dense") {
      prepared.kernel = kernel; // (in, out): one input's row of weights is contiguous
    } else if (layer.type === "conv2d_transpose" || layer.type === "conv2d") {
      // Keras keeps (kh, kw, out, in) for a transposed convolution and (kh, kw, in, out) for a convolution. Swapping
      // the last two axes makes one input channel's weights (transposed) or one filter's dot product contiguous.
      const [kh, kw, rows, cols] = shape;
      prepared.kernel = swapLastAxes(kernel, kh * kw, rows, cols);
      prepared.kernelSize = [kh, kw];
      prepared.strides = layer.strides;
      prepared.pad = layer.pad;
    } else {
      throw new Error(`Unknown layer type ${layer.type}`);
    }
    layers.push(prepared);
  }
  return { id: spec.id, latentDim: spec.latent_dim, outputShape: spec.output_shape, layers };  // latentDim: the input's size
}

function activate(values, activation) {
  if (activation === "relu") {
    for (let i = 0; i < values.length; i++) if (values[i] < 0) values[i] = 0;
  } else if (activation === "sigmoid") {
    for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
  } else if (activation !== "linear") {
    throw new Error(`Unknown activation ${activation}`);
  }
}

// output += input @ kernel, for a Dense kernel of shape (input.length, output.length).
function accumulate(kernel, input, output) {
  const units = output.length;
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    if (x === 0) continue; // ReLU codes are often exactly zero
    const row = i * units;
    for (let j = 0; j < units; j++) output[j] += x * kernel[row + j];
  }
}

function dense(layer, input) {
  layer.output.set(layer.bias);
  accumulate(layer.kernel, input, layer.output);
}

// Each input pixel scatters into the output; its channels come after a ReLU, so the (many) zeros are skipped,
// which halves the work for our decoders.
function conv2dTranspose(layer, input) {
  const { kernel, bias, output } = layer;
  const [height, width, channels] = layer.inputShape;
  const [outHeight, outWidth, filters] = layer.outputShape;
  const [kh, kw] = layer.kernelSize;
  const [sy, sx] = layer.strides;
  const [py, px] = layer.pad;
  for (let p = 0; p < outHeight * outWidth; p++) output.set(bias, p * filters);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBase = (y * width + x) * channels;
      for (let ky = 0; ky < kh; ky++) {
        const oy = y * sy + ky - py;
        if (oy < 0 || oy >= outHeight) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ox = x * sx + kx - px;
          if (ox < 0 || ox >= outWidth) continue;
          const outBase = (oy * outWidth + ox) * filters;
          const tap = (ky * kw + kx) * channels * filters;
          for (let c = 0; c < channels; c++) {
            const value = input[inBase + c];
            if (value === 0) continue;
            const k = tap + c * filters;
            for (let f = 0; f < filters; f++) output[outBase + f] += value * kernel[k + f];
          }
        }
      }
    }
  }
}

function conv2d(layer, input) {
  const { kernel, bias, output } = layer;
  const [height, width, channels] = layer.inputShape;
  const [outHeight, outWidth, filters] = layer.outputShape;
  const [kh, kw] = layer.kernelSize;
  const [sy, sx] = layer.strides;
  const [py, px] = layer.pad;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const outBase = (oy * outWidth + ox) * filters;
      for (let f = 0; f < filters; f++) output[outBase + f] = bias[f];
      for (let ky = 0; ky < kh; ky++) {
        const y = oy * sy + ky - py;
        if (y < 0 || y >= height) continue;
        for (let kx = 0; kx < kw; kx++) {
          const x = ox * sx + kx - px;
          if (x < 0 || x >= width) continue;
          const inBase = (y * width + x) * channels;
          let k = (ky * kw + kx) * filters * channels;
          for (let f = 0; f < filters; f++) {
            let sum = 0;
            for (let c = 0; c < channels; c++) sum += input[inBase + c] * kernel[k + c];
            output[outBase + f] += sum;
            k += channels;
          }
        }
      }
    }
  }
}

const RUN = { dense, conv2d_transpose: conv2dTranspose, conv2d };

function runLayers(layers, input, first) {
  let values = input;
  for (let i = first; i < layers.length; i++) {
    RUN[layers[i].type](layers[i], values);
    activate(layers[i].output, layers[i].activation);
    values = layers[i].output;
  }
  return values;
}

// Runs the network on one input (a latent vector for a decoder, 28*28 pixels for an encoder); returns the last layer's
// buffer (28*28 values in [0, 1] for our decoders), which the next call overwrites: copy it to keep it.
export function decode(prepared, code) {
  if (code.length !== prepared.latentDim) throw new Error(`Expected ${prepared.latentDim} code values, got ${code.length}`);
  return runLayers(prepared.layers, Float32Array.from(code), 0);
}

// A decoder of slider positions: code = origin + sum_k values[k] * directions[k]. When the first layer is Dense,
// that layer is linear in the values, so origin @ kernel + bias and each direction @ kernel are computed once here
// and a frame costs sliders x units multiply-adds there instead of latent_dim x units.
export function sliderDecoder(prepared, origin, directions) {
  const first = prepared.layers[0];
  if (first.type !== "dense") {
    const code = new Float32Array(prepared.latentDim);
    return (values) => {
      code.set(origin);
      values.forEach((value, k) => {
        for (let i = 0; i < code.length; i++) code[i] += value * directions[k][i];
      });
      return decode(prepared, code);
    };
  }
  const base = Float32Array.from(first.bias);
  accumulate(first.kernel, origin, base);
  const columns = directions.map((direction) => {
    const column = new Float32Array(base.length);
    accumulate(first.kernel, direction, column);
    return column;
  });
  return (values) => {
    const output = first.output;
    output.set(base);
    for (let k = 0; k < columns.length; k++) {
      const value = values[k];
      if (value === 0) continue;
      const column = columns[k];
      for (let j = 0; j < output.length; j++) output[j] += value * column[j];
    }
    activate(output, first.activation);
    return runLayers(prepared.layers, output, 1);
  };
}

// Streamlit components
//
// Two components share this file. The decoder's (mounted with data {spec}) carries the weights: its data stays
// byte-identical on every rerun, so Streamlit sends it once per model and then only a reference to it. The view's
// (canvas and sliders, data {spec_id, origin, sliders, ...}) is small and may change on every release; its own
// script is a stub that calls mountView() below. Both meet in one registry on globalThis, which outlives reruns,
// page changes and a second evaluation of this module.

const PIXELS = 28;
const DISPLAY_SIZE = 224; // CSS pixels: 8 screen pixels per image pixel (presenter mode enlarges it with CSS)
const KEPT_DECODERS = 8; // prepared networks kept (a decoder and an encoder a model) for a session that switches models

const lab = (globalThis.__aeLabLiveDecoder ??= {
  prepared: new Map(), // spec id -> prepared network (a decoder, or an encoder for ui/draw_canvas.js)
  views: new Map(), // parentElement -> view instance (Streamlit calls a component's entry again on new data)
  queue: [], // views mounted before this module ran (the view's stub waits here)
  mountView: null,
});

function register(spec) {
  if (lab.prepared.has(spec.id)) return;
  if (lab.prepared.size >= KEPT_DECODERS) lab.prepared.delete(lab.prepared.keys().next().value);
  lab.prepared.set(spec.id, prepareDecoder(spec));
  // Views that arrived before their weights draw now.
  for (const instance of lab.views.values()) {
    if (instance.data && instance.data.spec_id === spec.id && !instance.decodeValues) update(instance, instance.data);
  }
}

function decimalsOf(step) {
  const text = String(step);
  return text.includes("e-") ? Number(text.split("e-")[1]) : (text.split(".")[1] || "").length;
}

function createInstance(root) {
  const canvas = root.querySelector("canvas");
  const context = canvas.getContext("2d");
  const frame = document.createElement("canvas"); // the 28x28 image, scaled up onto the visible canvas
  frame.width = PIXELS;
  frame.height = PIXELS;
  const frameContext = frame.getContext("2d");
  const imageData = frameContext.createImageData(PIXELS, PIXELS);
  const instance = {
    root,
    canvas,
    timing: root.querySelector(".live-decoder-time"),
    list: root.querySelector(".live-decoder-sliders"),
    resetButton: root.querySelector(".live-decoder-reset"),
    rows: [],
    layout: null,
    decoderKey: null,
    decodeValues: null,
    data: null,
    frames: 0,
    recentMs: [],
    pending: 0,
    setStateValue: null,
  };

  // Drawn at twice the shown size, so that presenter mode's larger canvas (CSS) stays sharp too.
  const scale = Math.max(1, Math.round((2 * DISPLAY_SIZE / PIXELS) * (window.devicePixelRatio || 1)));
  canvas.width = PIXELS * scale;
  canvas.height = PIXELS * scale;

  instance.values = () => instance.rows.map((row) => Number(row.input.value));

  instance.draw = () => {
    instance.pending = 0;
    if (!instance.decodeValues) return;
    const started = performance.now();
    const pixels = instance.decodeValues(instance.values());
    const elapsed = performance.now() - started;
    const rgba = imageData.data;
    for (let i = 0; i < PIXELS * PIXELS; i++) {
      const grey = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
      rgba[4 * i] = grey;
      rgba[4 * i + 1] = grey;
      rgba[4 * i + 2] = grey;
      rgba[4 * i + 3] = 255;
    }
    frameContext.putImageData(imageData, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(frame, 0, 0, canvas.width, canvas.height);
    instance.frames += 1;
    canvas.dataset.frame = String(instance.frames);
    canvas.dataset.decodeMs = elapsed.toFixed(3);
    // Browsers coarsen performance.now() to 0.1 ms: the mean of the recent frames is shown, and below the clock's
    // resolution only that it is below.
    const recent = instance.recentMs;
    recent.push(elapsed);
    if (recent.length > 30) recent.shift();
    const mean = recent.reduce((total, ms) => total + ms, 0) / recent.length;
    const shown = mean < 0.1 ? "< 0.1" : mean < 10 ? mean.toFixed(2) : mean.toFixed(1);
    instance.timing.textContent = instance.data.text.decode_time.replace("{ms}", shown);
  };

  instance.schedule = () => {
    if (!instance.pending) instance.pending = requestAnimationFrame(instance.draw);
  };

  instance.send = () => {
    instance.setStateValue?.("position", { layout: instance.layout, values: instance.values() });
  };

  instance.resetButton.addEventListener("click", () => {
    instance.rows.forEach((row, k) => {
      row.input.value = String(instance.data.sliders[k].value);
      row.showValue();
    });
    instance.schedule();
    instance.send();
  });

  instance.destroy = () => {
    if (instance.pending) cancelAnimationFrame(instance.pending);
    instance.pending = 0;
  };
  return instance;
}

function makeRow(instance) {
  const row = document.createElement("label");
  row.className = "live-decoder-row";
  const name = document.createElement("span");
  name.className = "live-decoder-label";
  const input = document.createElement("input");
  input.type = "range";
  const shown = document.createElement("output");
  shown.className = "live-decoder-value";
  row.append(name, input, shown);
  const entry = { row, name, input, shown, decimals: 2 };
  entry.showValue = () => {
    shown.textContent = Number(input.value).toFixed(entry.decimals);
  };
  input.addEventListener("input", () => {
    entry.showValue();
    instance.schedule();
  });
  input.addEventListener("change", () => instance.send());
  return entry;
}

function update(instance, data) {
  instance.data = data;
  const layoutChanged = data.layout !== instance.layout;
  const prepared = lab.prepared.get(data.spec_id);
  const decoderKey = prepared ? `${data.spec_id}/${data.layout}` : null;
  if (prepared && decoderKey !== instance.decoderKey) {
    instance.decodeValues = sliderDecoder(prepared, data.origin, data.sliders.map((slider) => slider.direction));
    instance.decoderKey = decoderKey;
    // The first decodes run before the JIT has compiled the loops (~100 ms for conv-64, then ~2 ms): run them
    // now, untimed, so the time shown is the one a drag gets.
    const start = data.sliders.map((slider) => slider.value);
    for (let i = 0; i < 3; i++) instance.decodeValues(start);
    instance.recentMs = [];
  } else if (!prepared) {
    instance.decodeValues = null; // drawn by register() when the weights arrive
    instance.decoderKey = null;
  }
  // Rows are reused, not rebuilt, so a rerun that lands while a slider is held does not end the drag.
  while (instance.rows.length < data.sliders.length) {
    const entry = makeRow(instance);
    instance.list.appendChild(entry.row);
    instance.rows.push(entry);
  }
  while (instance.rows.length > data.sliders.length) instance.rows.pop().row.remove();
  data.sliders.forEach((slider, k) => {
    const entry = instance.rows[k];
    entry.name.textContent = slider.label;
    entry.input.setAttribute("aria-label", slider.label);
    entry.decimals = decimalsOf(slider.step);
    if (layoutChanged) {
      entry.input.min = String(slider.min);
      entry.input.max = String(slider.max);
      entry.input.step = String(slider.step);
      entry.input.value = String(slider.value);
    }
    entry.showValue();
  });
  instance.layout = data.layout;
  instance.resetButton.textContent = data.text.reset;
  instance.resetButton.hidden = !data.text.reset;
  instance.canvas.setAttribute("aria-label", data.text.canvas);
  instance.schedule();
}

// The view's entry point, called by its stub (ui/live_decoder.py) on every mount and every new data.
function mountView(component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".live-decoder");
  if (!root || !data) return undefined;
  let instance = lab.views.get(parentElement);
  if (!instance || instance.root !== root) {
    instance?.destroy();
    instance = createInstance(root);
    lab.views.set(parentElement, instance);
  }
  instance.setStateValue = setStateValue;
  update(instance, data);
  return () => {
    instance.destroy();
    if (lab.views.get(parentElement) === instance) lab.views.delete(parentElement);
  };
}

// The decoder's entry point: prepares the weights once per model and serves the views.
export default function (component) {
  lab.run ??= decode; // the forward pass, for other components of the page (the drawing canvas's preview)
  if (!lab.mountView) {
    lab.mountView = mountView;
    lab.queue.splice(0).forEach((mount) => mount());
  }
  const spec = component.data && component.data.spec;
  if (spec) register(spec);
  return undefined;
}
