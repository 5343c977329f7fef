// Drawing canvas: mouse, pen and touch strokes on a 280x280 canvas, with undo, clear and a brush size. White ink on a
// transparent canvas (shown on black): a garment drawn the way Fashion-MNIST shows them, light on dark.
//
// At the end of every stroke (and after undo or clear) it sends the drawing to Python as a PNG data URL, which
// ui/draw_canvas.py hands to ae_core.garment (the same checks and 28x28 recipe as an upload). While a stroke is drawn,
// the model runs in the browser: the drawing is made 28x28 the same way (crop to the ink, longest edge to 28,
// centred, brightest to 1), encoded and decoded with the networks that ui/live_decoder.js prepared for the page
// (registry on globalThis, looked up by the spec ids in this component's data), and drawn on the preview canvas.

const SIZE = 280; // CSS pixels, 10 per Fashion-MNIST pixel
const PIXELS = 28;
const INK_LEVEL = 0.05 * 255; // alpha below this is no ink: Zalando's trimming threshold, as ae_core.garment uses
const instances = new WeakMap(); // parentElement -> instance

// The drawing as Fashion-MNIST pixels (784 floats, light on dark), or null for an empty canvas.
export function drawingPixels(canvas) {
  const { width, height } = canvas;
  const alpha = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let top = height, left = width, bottom = -1, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alpha[4 * (y * width + x) + 3] > INK_LEVEL) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return null;
  const boxWidth = right - left + 1, boxHeight = bottom - top + 1;
  const scale = PIXELS / Math.max(boxWidth, boxHeight);
  const scaledWidth = Math.max(1, Math.round(boxWidth * scale)), scaledHeight = Math.max(1, Math.round(boxHeight * scale));
  const small = document.createElement("canvas");
  small.width = PIXELS;
  small.height = PIXELS;
  const context = small.getContext("2d");
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  // An odd margin puts the extra pixel before the item, as in the dataset.
  context.drawImage(canvas, left, top, boxWidth, boxHeight, Math.ceil((PIXELS - scaledWidth) / 2),
                    Math.ceil((PIXELS - scaledHeight) / 2), scaledWidth, scaledHeight);
  const ink = context.getImageData(0, 0, PIXELS, PIXELS).data;
  const pixels = new Float32Array(PIXELS * PIXELS);
  let brightest = 0;
  for (let i = 0; i < pixels.length; i++) brightest = Math.max(brightest, (pixels[i] = ink[4 * i + 3] / 255));
  if (brightest > 0) for (let i = 0; i < pixels.length; i++) pixels[i] /= brightest;
  return pixels;
}

function showPixels(canvas, pixels) {
  const context = canvas.getContext("2d");
  const frame = context.createImageData(PIXELS, PIXELS);
  for (let i = 0; i < PIXELS * PIXELS; i++) {
    const grey = pixels ? Math.round(Math.min(1, Math.max(0, pixels[i])) * 255) : 0;
    frame.data.set([grey, grey, grey, 255], 4 * i);
  }
  context.putImageData(frame, 0, 0);
}

function createInstance(root) {
  const canvas = root.querySelector("canvas");
  const context = canvas.getContext("2d");
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = SIZE * ratio;
  canvas.height = SIZE * ratio;
  context.scale(ratio, ratio);
  const instance = {
    root, canvas, context,
    strokes: [], // each: {width, points: [[x, y, pressure], ...]}
    current: null,
    version: 0,
    setStateValue: null,
    brush: root.querySelector(".draw-brush"),
    preview: root.querySelector(".draw-preview canvas"),
    previewCaption: root.querySelector(".draw-preview figcaption"),
    networks: null, // {encoder, decoder}: spec ids of the active model, from the component's data
    pendingPreview: 0,
    undoButton: root.querySelector(".draw-undo"),
    clearButton: root.querySelector(".draw-clear"),
  };

  const position = (event) => {
    const box = canvas.getBoundingClientRect();
    const pressure = event.pointerType === "pen" && event.pressure > 0 ? event.pressure : 0.5;
    return [(event.clientX - box.left) * (SIZE / box.width), (event.clientY - box.top) * (SIZE / box.height), pressure];
  };

  instance.redraw = () => {
    context.clearRect(0, 0, SIZE, SIZE);
    for (const stroke of instance.strokes.concat(instance.current ? [instance.current] : [])) drawStroke(context, stroke);
    canvas.dataset.strokes = String(instance.strokes.length);
  };

  instance.send = () => {
    instance.version += 1;
    const png = instance.strokes.length ? canvas.toDataURL("image/png") : "";
    canvas.dataset.version = String(instance.version);
    instance.setStateValue?.("drawing", { png, strokes: instance.strokes.length, version: instance.version });
  };

  // The model in the browser, at most once an animation frame: the networks come with the page's weight components.
  const preview = () => {
    if (instance.pendingPreview) return;
    instance.pendingPreview = requestAnimationFrame(() => {
      instance.pendingPreview = 0;
      const lab = globalThis.__aeLabLiveDecoder;
      const encoder = lab?.prepared.get(instance.networks?.encoder);
      const decoder = lab?.prepared.get(instance.networks?.decoder);
      if (!lab?.run || !encoder || !decoder) return;
      const pixels = drawingPixels(canvas);
      if (!pixels) {
        showPixels(instance.preview, null);
        return;
      }
      const code = Float32Array.from(lab.run(encoder, pixels));
      showPixels(instance.preview, lab.run(decoder, code));
      instance.preview.dataset.frame = String(Number(instance.preview.dataset.frame || 0) + 1);
    });
  };
  instance.showPreview = preview;

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== undefined && event.button > 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    instance.current = { width: Number(instance.brush.value), points: [position(event)] };
    instance.redraw();
    preview();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!instance.current) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const each of events.length ? events : [event]) instance.current.points.push(position(each));
    instance.redraw();
    preview();
  });
  const finish = (event) => {
    if (!instance.current) return;
    if (event.type === "pointerup") instance.current.points.push(position(event));
    instance.strokes.push(instance.current);
    instance.current = null;
    instance.redraw();
    preview();
    instance.send();
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);

  instance.undoButton.addEventListener("click", () => {
    if (!instance.strokes.length) return;
    instance.strokes.pop();
    instance.redraw();
    preview();
    instance.send();
  });
  instance.clearButton.addEventListener("click", () => {
    if (!instance.strokes.length) return;
    instance.strokes = [];
    instance.redraw();
    preview();
    instance.send();
  });
  return instance;
}

function drawStroke(context, stroke) {
  context.strokeStyle = "#ffffff";
  context.fillStyle = "#ffffff";
  context.lineCap = "round";
  context.lineJoin = "round";
  const points = stroke.points;
  if (points.length === 1) {
    const [x, y, pressure] = points[0];
    context.beginPath();
    context.arc(x, y, (stroke.width * (0.5 + pressure)) / 2, 0, 2 * Math.PI);
    context.fill();
    return;
  }
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1, pressure] = points[i];
    context.lineWidth = stroke.width * (0.5 + pressure);
    context.beginPath();
    context.moveTo(x0, y0);
    context.lineTo(x1, y1);
    context.stroke();
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".draw-canvas");
  if (!root || !data) return undefined;
  let instance = instances.get(parentElement);
  if (!instance || instance.root !== root) {
    instance = createInstance(root);
    instances.set(parentElement, instance);
  }
  instance.setStateValue = setStateValue;
  instance.networks = data.networks || null;
  instance.root.querySelector(".draw-preview").hidden = !instance.networks;
  instance.previewCaption.textContent = data.text.preview;
  instance.undoButton.textContent = data.text.undo;
  instance.clearButton.textContent = data.text.clear;
  root.querySelector(".draw-brush-label").textContent = data.text.brush;
  instance.canvas.setAttribute("aria-label", data.text.canvas);
  return () => instances.delete(parentElement);
}
