"""Plotly figures for the pages: training curves, the latent map and its explained variance, the latent grid and its
map, the denoising curve, the anomaly histogram and ROC curve, PCA against the models, the learning film. Each
returns a figure with the texts it was given (already translated) and shows nothing itself.

Usage: `st.plotly_chart(latent_map_figure(coordinates, labels, class_names, texts))`
"""

from __future__ import annotations

import functools
from collections import Counter

import numpy as np

from ae_core.pictures import gray_png, png_data_uri


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


def selected_customdata(points: list[dict]) -> int | None:
    """The customdata of the first selected point that has one (a latent map's test image, a latent grid's cell), or
    None (e.g. the explorer's marker on the map)."""
    for point in points or []:
        value = point.get("customdata")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if value is not None:
            return int(value)
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


def variational_curves_figure(terms: dict[str, list[float]], val_loss: list[float], epochs: int, labels: dict[str, str],
                              reference: float | None = None):
    """A VAE's training in three panels, each on its own axis: the two terms of its loss (the reconstruction
    cross-entropy summed over pixels, ~250 an image, and the KL divergence summed over dimensions, a few units) and the
    test MSE (hundredths). On one axis the first would flatten the others.

    `labels` holds the translated "reconstruction", "kl", "val_loss", "reference" and "x".
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    figure = make_subplots(rows=1, cols=3, horizontal_spacing=0.08,
                           subplot_titles=(labels["reconstruction"], labels["kl"], labels["val_loss"]))
    last_epoch = max(epochs, len(val_loss), 1)
    series = (terms.get("reconstruction", ()), terms.get("kl", ()), val_loss)
    for column, (values, name, color) in enumerate(zip(series, ("reconstruction", "kl", "val_loss"),
                                                       ("#1f77b4", "#9467bd", "#ff7f0e"), strict=True), start=1):
        figure.add_trace(go.Scatter(x=list(range(1, len(values) + 1)), y=list(values), mode="lines+markers",
                                    name=labels[name], line={"color": color}, showlegend=False), row=1, col=column)
    if reference is not None:
        figure.add_trace(go.Scatter(x=[0.5, last_epoch + 0.5], y=[reference, reference], mode="lines",
                                    name=labels["reference"], line={"dash": "dash", "color": "#2ca02c"}, hoverinfo="skip"),
                         row=1, col=3)
    figure.update_layout(height=320, margin={"t": 40, "b": 40}, legend={"orientation": "h", "y": -0.3},
                         hovermode="x unified", uirevision="variational_curves")
    figure.update_xaxes(range=[0.5, last_epoch + 0.5], dtick=max(1, last_epoch // 5), title_text=labels["x"])
    figure.update_yaxes(tickformat=".4f", row=1, col=3)
    return figure


def latent_grid_figure(mosaic_png: bytes, n: int, *, texts: dict[str, str], x_ticks: tuple[list[float], list[str]],
                       y_ticks: tuple[list[float], list[str]]):
    """The decoded grid in cell units (0..n on each axis): cell (row, col) is the unit square [col, col+1] ×
    [n-1-row, n-row], as on latent_grid_map_figure, so that a cell and the codes under it share a place.

    Its one curve is an invisible marker per cell, its customdata the cell's number row * n + col (a click selects
    it). `x_ticks` and `y_ticks` are (positions, texts) in cell units. `texts`: "grid", "x", "y", "cell".
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    rows, cols = np.divmod(np.arange(n * n), n)
    # Invisible but hoverable and clickable: plotly finds a point by its position, whatever its opacity.
    figure.add_trace(go.Scatter(x=cols + 0.5, y=n - rows - 0.5, mode="markers", customdata=np.arange(n * n),
                                marker={"size": max(6.0, 420.0 / n), "symbol": "square", "opacity": 0},
                                selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
                                hovertemplate=texts["cell"] + "<extra></extra>", showlegend=False))
    figure.add_layout_image(source=png_data_uri(mosaic_png), xref="x", yref="y", x=0, y=n, sizex=n, sizey=n,
                            sizing="stretch", xanchor="left", yanchor="top", layer="below")
    return _cell_plane(figure, n, texts["grid"], texts, x_ticks=x_ticks, y_ticks=y_ticks, gridlines=False)


def latent_grid_map_figure(n: int, cells: np.ndarray, labels: np.ndarray, class_names: tuple[str, ...], *,
                           texts: dict[str, str], x_ticks: tuple[list[float], list[str]],
                           y_ticks: tuple[list[float], list[str]]):
    """The test codes on the latent grid's plane, in its cell units, the cells' edges as gridlines: one curve per
    class, each point's customdata its test image. `cells` (m, 2) are the codes in cell units (NaN: outside, not
    drawn). `texts`: "map", "x", "y", "index"."""
    import plotly.graph_objects as go

    figure = go.Figure()
    cells = np.asarray(cells, dtype=np.float32)
    labels = np.asarray(labels)
    inside = ~np.isnan(cells).any(axis=1)
    for number, name in enumerate(class_names):
        indices = np.flatnonzero(inside & (labels == number))
        figure.add_trace(go.Scattergl(x=cells[indices, 0], y=cells[indices, 1], mode="markers", name=name,
                                      customdata=indices, marker={"size": 3, "opacity": 0.6,
                                                                  "color": CLASS_COLORS[number % len(CLASS_COLORS)]},
                                      hovertemplate=f"<b>{name}</b><br>{texts['index']} %{{customdata}}<extra></extra>"))
    figure.update_layout(legend={"itemsizing": "constant", "orientation": "h", "y": -0.15})
    return _cell_plane(figure, n, texts["map"], texts, x_ticks=x_ticks, y_ticks=y_ticks, gridlines=True)


def _cell_plane(figure, n: int, title: str, texts: dict[str, str], *, x_ticks, y_ticks, gridlines: bool):
    """Square axes over 0..n in cell units with the plane's ticks, a title, no dragging."""
    minor = {"tick0": 0, "dtick": 1, "showgrid": gridlines, "gridcolor": "rgba(128,128,128,0.35)"}
    figure.update_xaxes(range=[0, n], tickvals=x_ticks[0], ticktext=x_ticks[1], title_text=texts["x"], showgrid=False,
                        zeroline=False, constrain="domain", minor=minor)
    figure.update_yaxes(range=[0, n], tickvals=y_ticks[0], ticktext=y_ticks[1], title_text=texts["y"], showgrid=False,
                        zeroline=False, scaleanchor="x", constrain="domain", minor=minor)
    figure.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=520,
                         margin={"l": 10, "r": 10, "t": 40, "b": 10}, dragmode=False, uirevision="latent_grid")
    return figure


def noise_curve_figure(levels: list[float], errors: dict[str, list[float]], current: float, texts: dict[str, str]):
    """MSE against the clean images for each noise level, one line per model; the chosen level marked.

    `errors` maps a model's label to its MSE at each level; `texts`: "x", "y", "current".
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for number, (name, values) in enumerate(errors.items()):
        figure.add_scatter(x=list(levels), y=list(values), mode="lines+markers", name=name,
                           line={"color": CLASS_COLORS[number % len(CLASS_COLORS)]})
    figure.add_vline(x=current, line_dash="dot", line_color="#888888", annotation_text=texts["current"])
    figure.update_layout(height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis_title=texts["x"],
                         yaxis_title=texts["y"], legend={"orientation": "h", "y": 1.15}, hovermode="x unified")
    figure.update_yaxes(rangemode="tozero", tickformat=".3f")
    return figure


def error_histogram_figure(histogram, class_names: tuple[str, ...], threshold: float, texts: dict[str, str],
                           anomaly_class: int | None = None):
    """Stacked bars of per-image errors by class (an anomaly.ClassHistogram), with the threshold as a vertical line.

    The anomaly class's bars are outlined. `texts`: "x", "y", "threshold".
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    widths = np.diff(histogram.edges)
    for row, label in enumerate(histogram.classes):
        number = int(label)
        outline = {"color": "#000000", "width": 1.5} if number == anomaly_class else {"width": 0}
        figure.add_bar(x=histogram.centres, y=histogram.counts[row], width=widths, name=class_names[number],
                       marker={"color": CLASS_COLORS[number % len(CLASS_COLORS)], "line": outline},
                       hovertemplate=f"{class_names[number]}: %{{y}}<extra></extra>")
    top = int(histogram.counts.sum(axis=0).max()) if histogram.counts.size else 1
    # A trace rather than add_vline: a shape's x on a log axis is given in log units, a trace's in data units.
    figure.add_scatter(x=[threshold, threshold], y=[0, top * 1.05], mode="lines", name=texts["threshold"],
                       line={"color": "#d62728", "width": 2, "dash": "dash"}, hoverinfo="skip")
    figure.update_layout(barmode="stack", bargap=0, height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         xaxis_title=texts["x"], yaxis_title=texts["y"], legend={"itemsizing": "constant"})
    # Full numbers on a log axis too (plotly's default labels between powers of ten are single digits: 2, 5).
    figure.update_xaxes(type="log" if histogram.log_scale else "linear", tickformat=".3~g")
    return figure


def roc_figure(false_positive_rates: np.ndarray, true_positive_rates: np.ndarray, auc: float,
               point: tuple[float, float], texts: dict[str, str]):
    """The ROC curve with its AUC, the chance diagonal, and the current threshold as a point.

    `texts`: "curve" (a format string with {auc}), "chance", "point", "x", "y".
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name=texts["chance"], line={"dash": "dot", "color": "#999999"},
                       hoverinfo="skip")
    figure.add_scatter(x=np.asarray(false_positive_rates, dtype=np.float32), y=np.asarray(true_positive_rates, dtype=np.float32),
                       mode="lines", name=texts["curve"].format(auc=auc), line={"color": CLASS_COLORS[0], "width": 2},
                       hovertemplate="%{x:.3f}, %{y:.3f}<extra></extra>")
    figure.add_scatter(x=[point[0]], y=[point[1]], mode="markers", name=texts["point"],
                       marker={"size": 12, "color": "#d62728", "line": {"color": "#000000", "width": 1}})
    figure.update_layout(height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis_title=texts["x"],
                         yaxis_title=texts["y"], legend={"orientation": "h", "y": -0.25})
    figure.update_xaxes(range=[0, 1], constrain="domain")
    figure.update_yaxes(range=[0, 1.02], scaleanchor="x", constrain="domain")
    return figure


def pca_comparison_figure(pca_errors: dict[int, float], models: list[dict], texts: dict[str, str]):
    """Test MSE against the number of dimensions: PCA on the pixels as a line, each model as a labelled point.

    `models` are dicts with "name", "latent_dim", "val_mse", "kind" (a translated label: one colour per kind) and
    "active"; `texts`: "pca", "x", "y". Both axes are logarithmic: k runs from 2 to 128, the errors over a decade.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    ks = sorted(pca_errors)
    figure.add_scatter(x=ks, y=[pca_errors[k] for k in ks], mode="lines+markers", name=texts["pca"],
                       line={"color": "#7f7f7f"}, hovertemplate="k = %{x}: %{y:.5f}<extra></extra>")
    kinds = list(dict.fromkeys(model["kind"] for model in models))
    # Models of the same latent size stack at one x: their names go right and left in turn, lowest error first.
    sides, placed_at = {}, Counter()  # how many names went at each x so far: one pass, for a term's 1,000 models
    for model in sorted(models, key=lambda model: model["val_mse"]):
        same_x = placed_at[model["latent_dim"]]
        placed_at[model["latent_dim"]] += 1
        sides[model["latent_dim"], model["name"]] = "middle right" if same_x % 2 == 0 else "middle left"
    for number, kind in enumerate(kinds):
        chosen = [model for model in models if model["kind"] == kind]
        figure.add_scatter(
            x=[model["latent_dim"] for model in chosen], y=[model["val_mse"] for model in chosen], mode="markers+text",
            name=kind, text=[model["name"] for model in chosen],
            textposition=[sides[model["latent_dim"], model["name"]] for model in chosen],
            customdata=[model["name"] for model in chosen],
            marker={"size": [16 if model["active"] else 10 for model in chosen], "color": CLASS_COLORS[number + 1],
                    "line": {"color": "#000000", "width": [2 if model["active"] else 0 for model in chosen]}},
            hovertemplate="%{customdata}: %{y:.5f}<extra></extra>")
    figure.update_layout(height=420, margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis_title=texts["x"],
                         yaxis_title=texts["y"], legend={"orientation": "h", "y": -0.2})
    figure.update_xaxes(type="log", tickvals=ks, ticktext=[str(k) for k in ks])
    figure.update_yaxes(type="log", tickformat=".3f")
    return figure


@functools.lru_cache(maxsize=16)
def shared_pca_comparison_figure(pca_errors: tuple, models: tuple, texts: tuple):
    """pca_comparison_figure with the same arguments as tuples of (key, value) pairs (cheap to hash), built once per
    store listing and language and shared read-only by every session (st.plotly_chart copies a figure before it
    changes it): a term's 1,000 models cost ~75 ms of Plotly's validation a build."""
    return pca_comparison_figure(dict(pca_errors), [dict(model) for model in models], dict(texts))


def film_figure(originals: np.ndarray, frames: np.ndarray, epochs: list[int], texts: dict[str, str], factor: int = 3):
    """The learning film as one picture: the originals on top, then one row of reconstructions per shown epoch.

    `originals` (count, 28, 28) in [0, 1] or uint8, `frames` (len(epochs), count, 28, 28) uint8; `texts`: "original",
    "epoch" (a format string with {epoch}). A 2-pixel gap separates the rows; the y axis names them.
    """
    import plotly.graph_objects as go

    originals = np.asarray(originals)
    if originals.dtype != np.uint8:
        originals = (np.clip(originals, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    rows = [originals, *np.asarray(frames, dtype=np.uint8)]
    if len(rows) != len(epochs) + 1:
        raise ValueError(f"{len(rows) - 1} frames for {len(epochs)} epochs.")
    gap = np.full((2, originals.shape[0] * originals.shape[2]), 255, dtype=np.uint8)
    strips = []
    for row in rows:
        strips += [np.hstack(list(row)), gap]
    picture = np.vstack(strips[:-1])
    png = gray_png(np.kron(picture, np.ones((factor, factor), dtype=np.uint8)))
    row_height = originals.shape[1] + gap.shape[0]
    height, width = picture.shape
    figure = go.Figure(go.Image(source=png_data_uri(png), dx=1 / factor, dy=1 / factor, hoverinfo="skip"))
    names = [texts["original"], *(texts["epoch"].format(epoch=epoch) for epoch in epochs)]
    figure.update_yaxes(tickvals=[row * row_height + originals.shape[1] / 2 for row in range(len(rows))], ticktext=names,
                        range=[height, 0], showgrid=False)
    figure.update_xaxes(visible=False, range=[0, width])
    figure.update_layout(height=min(60 + len(rows) * 64, 900), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         dragmode=False)
    return figure

