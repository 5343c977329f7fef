// Drawing canvas: mouse, pen and touch strokes on a 280x280 canvas, with undo, clear and a brush size. White ink on a
// transparent canvas (shown on black): a garment drawn the way Fashion-MNIST shows them, light on dark.
//
// At the end of every stroke (and after undo or clear) it sends the drawing to Python as a PNG data URL, which
// ui/draw_canvas.py hands to ae_core.images (the same checks and 28x28 recipe as an upload). While a stroke is drawn
// it calls `window.aeLabDrawingPreview` if a page installed one (the in-browser reconstruction).

const SIZE = 280; // CSS pixels, 10 per Fashion-MNIST pixel
const instances = new WeakMap(); // parentElement -> instance

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

  const preview = () => window.aeLabDrawingPreview?.(canvas);

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
  instance.undoButton.textContent = data.text.undo;
  instance.clearButton.textContent = data.text.clear;
  root.querySelector(".draw-brush-label").textContent = data.text.brush;
  instance.canvas.setAttribute("aria-label", data.text.canvas);
  return () => instances.delete(parentElement);
}
