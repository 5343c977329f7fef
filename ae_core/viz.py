"""Figure and picture builders: they return figures or PNG bytes and never show anything themselves."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def upscale(image: np.ndarray, factor: int = 6) -> np.ndarray:
    """A 28x28 float image in [0, 1] as a larger uint8 image with hard pixel edges (browsers blur small images)."""
    pixels = np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0)
    pixels = (pixels * 255.0 + 0.5).astype(np.uint8)
    return np.kron(pixels, np.ones((factor, factor), dtype=np.uint8))


def image_png(image: np.ndarray, factor: int = 6) -> bytes:
    """PNG bytes of an upscaled 28x28 image, for st.image."""
    buffer = io.BytesIO()
    Image.fromarray(upscale(image, factor), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def strip_png(images: np.ndarray) -> bytes:
    """PNG bytes of uint8 images (n, h, w) side by side, at their own size (a film frame: small, for storing)."""
    buffer = io.BytesIO()
    Image.fromarray(np.hstack(list(np.asarray(images, dtype=np.uint8))), mode="L").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def loss_curves_figure(loss: list[float], val_loss: list[float], epochs: int, labels: dict[str, str],
                       reference: float | None = None):
    """Plotly lines of training and validation loss per epoch, with a dashed reference level (the lecture's MSE).

    `labels` holds the translated texts: "loss", "val_loss", "reference", "x", "y". The x axis spans all planned
    epochs, so a running training's curve grows towards the right.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    x = list(range(1, len(loss) + 1))
    figure.add_scatter(x=x, y=list(loss), mode="lines+markers", name=labels["loss"], line={"color": "#1f77b4"})
    figure.add_scatter(x=x, y=list(val_loss), mode="lines+markers", name=labels["val_loss"], line={"color": "#ff7f0e"})
    last_epoch = max(epochs, len(loss), 1)
    if reference is not None:  # a trace rather than add_hline, whose label lands far off on a log axis
        figure.add_scatter(x=[0.5, last_epoch + 0.5], y=[reference, reference], mode="lines", name=labels["reference"],
                           line={"dash": "dash", "color": "#2ca02c"}, hoverinfo="skip")
    figure.update_layout(xaxis_title=labels["x"], yaxis_title=labels["y"], height=320, margin={"t": 30, "b": 40},
                         legend={"orientation": "h", "y": -0.25}, hovermode="x unified",
                         uirevision="loss_curves")  # a zoom survives the updates of a running training
    figure.update_xaxes(range=[0.5, last_epoch + 0.5], dtick=max(1, epochs // 10))
    # Log scale: the first epoch's loss is several times the rest, which would flatten the part near the reference.
    figure.update_yaxes(type="log", tickformat=".4f", nticks=6)
    return figure


# A perceptually uniform map, dark for no error and bright for large error, readable on light and dark themes.
ERROR_COLORMAP = "inferno"


_COLORMAP_LUTS: dict[str, np.ndarray] = {}


def _colormap_lut(name: str) -> np.ndarray:
    """A colormap as a (256, 3) uint8 lookup table (matplotlib's colormaps only; no figure is made)."""
    if name not in _COLORMAP_LUTS:
        import matplotlib

        lut = (matplotlib.colormaps[name](np.linspace(0.0, 1.0, 256))[:, :3] * 255.0 + 0.5).astype(np.uint8)
        lut.flags.writeable = False
        _COLORMAP_LUTS[name] = lut
    return _COLORMAP_LUTS[name]


def heatmap_png(values: np.ndarray, scale: float, factor: int = 6, colormap: str = ERROR_COLORMAP) -> bytes:
    """PNG bytes of a 28x28 map of non-negative values coloured on [0, scale], upscaled with hard pixel edges.

    Pass the same `scale` for every map in a row so that one colour means one value everywhere.
    """
    values = np.asarray(values, dtype=np.float32)
    levels = np.clip(values / scale, 0.0, 1.0) if scale > 0 else np.zeros_like(values)
    rgb = _colormap_lut(colormap)[(levels * 255.0 + 0.5).astype(np.uint8)]
    rgb = np.kron(rgb, np.ones((factor, factor, 1), dtype=np.uint8))
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def colorbar_png(width: int = 240, height: int = 12, colormap: str = ERROR_COLORMAP) -> bytes:
    """PNG bytes of a horizontal colour bar, low values on the left: the legend for heatmap_png."""
    ramp = np.linspace(0, 255, width).round().astype(np.uint8)
    rgb = np.repeat(_colormap_lut(colormap)[ramp][np.newaxis], height, axis=0)
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()


# Tableau's ten categorical colours: distinct from each other on light and dark backgrounds, one per class.
CLASS_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")


def latent_map_figure(coordinates: np.ndarray, labels: np.ndarray, class_names: tuple[str, ...],
                      texts: dict[str, str], *, three_d: bool = False, marker: np.ndarray | None = None):
    """A scatter of codes on their first two (or three) principal axes, one WebGL trace per class.

    `coordinates` (n, >=2 or >=3) are PCA coordinates, `labels` (n,) class indices; each point's customdata is its
    row index, so a selected point names its image. `texts` holds the translated "index", "axis" (a format string
    with {number}) and "marker" (the name of the highlighted code). `marker` is one code's coordinates, drawn as a
    large star (a diamond in 3-D, which has no star symbol).
    """
    import plotly.graph_objects as go

    coordinates = np.asarray(coordinates, dtype=np.float32)  # halves what travels to the browser
    labels = np.asarray(labels)
    axes = 3 if three_d else 2
    if coordinates.ndim != 2 or coordinates.shape[1] < axes:
        raise ValueError(f"Need coordinates on at least {axes} axes, got shape {coordinates.shape}.")
    figure = go.Figure()
    for number, name in enumerate(class_names):
        rows = np.flatnonzero(labels == number)
        points = coordinates[rows]
        common = {"name": name, "mode": "markers", "customdata": rows,
                  "hovertemplate": f"<b>{name}</b><br>{texts['index']} %{{customdata}}<extra></extra>"}
        color = CLASS_COLORS[number % len(CLASS_COLORS)]
        if three_d:
            figure.add_trace(go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2],
                                          marker={"size": 2, "color": color, "opacity": 0.7}, **common))
        else:
            figure.add_trace(go.Scattergl(x=points[:, 0], y=points[:, 1],
                                          marker={"size": 4, "color": color, "opacity": 0.6}, **common))
    if marker is not None:
        marker = np.asarray(marker, dtype=np.float64)
        common = {"name": texts["marker"], "mode": "markers", "hovertemplate": f"<b>{texts['marker']}</b><extra></extra>"}
        outline = {"color": "#000000", "width": 1.5}
        if three_d:
            figure.add_trace(go.Scatter3d(x=[marker[0]], y=[marker[1]], z=[marker[2]],
                                          marker={"size": 9, "symbol": "diamond", "color": "#ffd700", "line": outline},
                                          **common))
        else:
            figure.add_trace(go.Scattergl(x=[marker[0]], y=[marker[1]],
                                          marker={"size": 22, "symbol": "star", "color": "#ffd700", "line": outline},
                                          **common))
    titles = [texts["axis"].format(number=k + 1) for k in range(axes)]
    figure.update_layout(height=620, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         legend={"itemsizing": "constant"}, uirevision="latent_map")
    if three_d:
        figure.update_layout(scene={"xaxis_title": titles[0], "yaxis_title": titles[1], "zaxis_title": titles[2]})
    else:
        figure.update_layout(xaxis_title=titles[0], yaxis_title=titles[1])
    return figure


def selected_row(points: list[dict]) -> int | None:
    """The data row of the first selected point of a latent_map_figure (its customdata), or None (e.g. the marker)."""
    for point in points or []:
        row = point.get("customdata")
        if isinstance(row, (list, tuple)):
            row = row[0] if row else None
        if row is not None:
            return int(row)
    return None


def explained_variance_figure(ratio: np.ndarray, texts: dict[str, str], components: int = 20):
    """Bars of each principal axis' share of the variance (in %) and a line of the running total, first axes only.

    `texts` holds the translated "individual", "cumulative", "x" and "y".
    """
    import plotly.graph_objects as go

    ratio = np.asarray(ratio, dtype=np.float64)
    shown = ratio[:components] * 100.0
    cumulative = np.cumsum(ratio)[:components] * 100.0
    numbers = np.arange(1, len(shown) + 1)
    figure = go.Figure()
    figure.add_bar(x=numbers, y=shown, name=texts["individual"], marker_color=CLASS_COLORS[0],
                   hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    figure.add_scatter(x=numbers, y=cumulative, mode="lines+markers", name=texts["cumulative"],
                       line={"color": CLASS_COLORS[1]}, hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis_title=texts["x"],
                         yaxis_title=texts["y"], legend={"orientation": "h", "y": 1.12})
    figure.update_yaxes(range=[0, 100], ticksuffix="%")
    figure.update_xaxes(dtick=1 if len(shown) <= 20 else 5, range=[0.5, len(shown) + 0.5])
    return figure
