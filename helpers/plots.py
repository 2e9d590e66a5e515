"""The figures more than one notebook uses, drawn in the course style (`helpers.style`).

Figures are plain `matplotlib.figure.Figure` objects, not pyplot figures, so widgets can keep one
figure and redraw it without leaking copies. Each figure helper describes its figure in words.
"""

from __future__ import annotations

from collections.abc import Sequence

import contourpy
import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from helpers.activations import get
from helpers.style import (
    CLASS_COLOURS,
    CLASS_MARKERS,
    LAYER_LINESTYLES,
    MARKS_EVERY,
    OKABE_ITO,
    activation_style,
    describe,
)


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 6.0, height: float = 3.6):
    """A `Figure` with a grid of axes (returned as a flat list), laid out once."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    return fig, axes


def activation_figure(
    names: Sequence[str], z_range: tuple[float, float] = (-5.0, 5.0), derivative: bool = True
) -> Figure:
    """Each activation (left) and, if asked, its derivative (right) on the same z axis."""
    z = np.linspace(*z_range, 1001)
    fig, axes = new_figure(2 if derivative else 1, width=10 if derivative else 5.5, height=3.6)
    for name in names:
        act, style = get(name), activation_style(name)
        axes[0].plot(z, act(z), label=act.label, **style)
        if derivative:
            axes[1].plot(z, act.derivative(z), label=act.label, **style)
    axes[0].set(xlabel="$z$", ylabel="$g(z)$", title="activation $g(z)$")
    if derivative:
        axes[1].set(xlabel="$z$", ylabel="$g'(z)$", title="derivative $g'(z)$")
    axes[0].legend(loc="upper left")
    labels = word_list([get(name).label for name in names])
    text = f"Line plots of {labels} for z from {z_range[0]:g} to {z_range[1]:g}"
    if derivative:
        text += ", the activations on the left, their derivatives g'(z) on the right"
    return describe(fig, text + ".")


def boundary_grid(X: np.ndarray, resolution: int = 150, margin: float = 0.5, square: bool = False):
    """A grid of points covering the data: (xx, yy, points of shape (res*res, 2)). With
    square=True the shorter side is widened to match the longer, about the same centre."""
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    if square:
        centre, half = (lo + hi) / 2, (hi - lo).max() / 2
        lo, hi = centre - half, centre + half
    xx, yy = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


class BoundaryView:
    """A decision-boundary picture on one axes: the classifier's score as a background image,
    the 0.5 contour drawn from it, and the data on top. `update(scores)` redraws in place.

    `points` are the grid's points: score them with the classifier. `show_data` moves the same
    artists to another data set; square=True makes the grid square.
    """

    def __init__(
        self,
        ax,
        X: np.ndarray,
        y: np.ndarray,
        resolution: int = 150,
        square: bool = False,
    ) -> None:
        self.ax = ax
        self.resolution, self.square = resolution, square
        self.image = ax.imshow(
            np.full((resolution, resolution), 0.5),
            origin="lower",
            vmin=0.0,
            vmax=1.0,
            cmap=mpl.colors.LinearSegmentedColormap.from_list(
                "classes", [CLASS_COLOURS[0], "#FFFFFF", CLASS_COLOURS[1]]
            ),
            alpha=0.45,
            aspect="auto",
            interpolation="bilinear",
        )
        self.scatters = [
            ax.scatter(
                [],
                [],
                s=18,
                c=CLASS_COLOURS[label],
                marker=CLASS_MARKERS[label],
                edgecolors="white",
                linewidths=0.5,
                label=f"class {label}",
            )
            for label in (0, 1)
        ]
        # The 0.5 contour is one Line2D whose data changes (pieces separated by NaN), not a
        # ContourSet made anew on every update: a widget keeps the same artists.
        (self.contour,) = ax.plot([], [], color="black", linewidth=1.5)
        ax.set(xlabel="$x_1$", ylabel="$x_2$")
        ax.grid(False)
        self.show_data(X, y)

    def show_data(self, X: np.ndarray, y: np.ndarray) -> None:
        """Move the points and the grid to a new data set (the same artists)."""
        self.gx, self.gy, self.points = boundary_grid(X, self.resolution, square=self.square)
        extent = (self.gx.min(), self.gx.max(), self.gy.min(), self.gy.max())
        self.image.set_extent(extent)
        for label, scatter in enumerate(self.scatters):
            scatter.set_offsets(X[y == label])
        self.ax.set(xlim=extent[:2], ylim=extent[2:])

    def update(self, probabilities: np.ndarray) -> None:
        """Show class-1 probabilities on the grid (flat or grid-shaped) and their 0.5 contour."""
        p = np.clip(np.asarray(probabilities, dtype=np.float64).reshape(self.gx.shape), 0, 1)
        self.image.set_data(p)
        pieces = []
        if p.min() < 0.5 < p.max():
            for line in contourpy.contour_generator(self.gx, self.gy, p).lines(0.5):
                pieces += [line, np.full((1, 2), np.nan)]
        xy = np.concatenate(pieces) if pieces else np.empty((0, 2))
        self.contour.set_data(xy[:, 0], xy[:, 1])


def boundary_figure(
    panels: Sequence[tuple[np.ndarray, np.ndarray, object, str]],
    ncols: int | None = None,
    panel_size: float = 3.0,
    resolution: int = 150,
) -> Figure:
    """Decision boundaries side by side, one `BoundaryView` per panel. Each panel is
    (X, y, probability, title), where probability(points) gives P(class 1) for an (n, 2) array."""
    ncols = ncols or len(panels)
    nrows = -(-len(panels) // ncols)
    fig, axes = new_figure(ncols, nrows, width=panel_size * ncols, height=panel_size * nrows)
    for ax, (X, y, probability, title) in zip(axes, panels):
        view = BoundaryView(ax, X, y, resolution=resolution)
        view.update(probability(view.points))
        ax.set_title(title)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    titles = word_list(["“" + panel[3] + "”" for panel in panels])
    return describe(
        fig,
        f"Decision boundaries, one panel each: {titles}. In each, class 0 (circles) and class 1 "
        "(squares) lie on the plane; the shading is the predicted probability of class 1 and a "
        "black line marks where it is 0.5.",
    )


class LayerBars:
    """One bar per layer on a log scale (gradient norms, say), updated in place."""

    def __init__(
        self,
        ax,
        n_layers: int,
        ylabel: str,
        colour: str = OKABE_ITO["blue"],
        ylim: tuple[float, float] = (1e-12, 1e2),
    ) -> None:
        self.ax = ax
        self.bars = ax.bar(np.arange(1, n_layers + 1), np.ones(n_layers), color=colour)
        ax.set(yscale="log", ylim=ylim, xlabel="layer", ylabel=ylabel)

    def update(self, values: Sequence[float]) -> None:
        """Set bar heights; zero or negative values show as the axis floor."""
        floor = self.ax.get_ylim()[0]
        for bar, value in zip(self.bars, values):
            bar.set_height(max(float(value), floor))


def _series_style(label: str, i: int) -> dict[str, object]:
    """An activation's course style when the label is an activation's name, else the i-th
    colour of the cycle with its own line style and marker (never told apart by colour alone)."""
    try:
        return activation_style(label)
    except ValueError:
        colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        return {
            "color": colours[i % len(colours)],
            "linestyle": ("-", "--", "-.")[i % 3],
            "marker": "osD^vPX"[i % 7],
            "markevery": MARKS_EVERY,
            "markersize": 5,
        }


def per_layer_figure(
    series: dict[str, Sequence[float] | np.ndarray],
    ylabel: str,
    log: bool = True,
    reference: dict[str, Sequence[float]] | None = None,
    title: str | None = None,
    xlabel: str = "hidden layer (1 = nearest the input)",
    width: float = 6.0,
    height: float = 3.6,
) -> Figure:
    """One line with markers per series over the layers 1, 2, ... (gradient norms or activation
    std, say); `reference` values (published, say) show as open black circles."""
    fig, (ax,) = new_figure(width=width, height=height)
    for i, (label, values) in enumerate(series.items()):
        layers = np.arange(1, len(values) + 1)
        ax.plot(layers, values, label=label, **(_series_style(label, i) | {"markevery": 1}))
    for j, values in enumerate((reference or {}).values()):
        layers = np.arange(1, len(values) + 1)
        ax.plot(layers, values, "o", mfc="none", mec="black", ms=10, mew=1.5,
                label="published" if j == 0 else None)  # fmt: skip
    ax.set(xlabel=xlabel, ylabel=ylabel, yscale="log" if log else "linear")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    lines = [f"{_display_name(label)}: {number_list(v)}" for label, v in series.items()]
    reference = reference or {}
    names = list(series) if len(series) == len(reference) else list(reference)  # pairs, in order
    lines += [f"published for {n}: {number_list(v)}" for n, v in zip(names, reference.values())]
    return describe(fig, f"{ylabel} per layer, layer 1 first. " + "; ".join(lines) + ".")


def word_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def number_list(values: Sequence[float] | np.ndarray) -> str:
    """Values rounded to 3 significant digits: "0.012, 0.06 and 0.283"."""
    return word_list([f"{float(v):.3g}" for v in np.ravel(values)])


def _display_name(label: str) -> str:
    """An activation's display name ("Leaky ReLU") when the label is its id, else the label."""
    try:
        return get(label).label
    except ValueError:
        return label


def curve_panels_figure(
    x: Sequence[float] | np.ndarray,
    panels: dict[str, dict[str, np.ndarray]],
    xlabel: str,
    log: bool = False,
    title: str | None = None,
    width: float | None = None,
    height: float = 3.6,
) -> Figure:
    """Side-by-side panels over the same x, one per {y label: {series label: values}}. A 2-D
    array (runs x points) shows as its mean with a shaded band from the lowest to the highest
    run. A series named by an activation id gets that activation's course style and display
    name; the legend sits in the first panel."""
    fig, axes = new_figure(ncols=len(panels), width=width or 6.0 * len(panels), height=height)
    for ax, (ylabel, curves) in zip(axes, panels.items()):
        for i, (label, y) in enumerate(curves.items()):
            y = np.atleast_2d(np.asarray(y, dtype=np.float64))
            style = _series_style(label, i)
            ax.plot(x, y.mean(axis=0), label=_display_name(label), **style)
            if y.shape[0] > 1:
                ax.fill_between(x, y.min(axis=0), y.max(axis=0), color=style["color"], alpha=0.15)
        ax.set(xlabel=xlabel, ylabel=ylabel, yscale="log" if log else "linear")
    n_series = len(next(iter(panels.values())))
    axes[0].legend(fontsize="small", ncols=2 if n_series > 4 else 1)
    if title:
        fig.suptitle(title)
    text = [
        f"{ylabel} against {xlabel}: "
        + "; ".join(
            f"{_display_name(label)} from {mean[0]:.3g} to {mean[-1]:.3g}"
            for label, mean in ((k, np.atleast_2d(y).mean(axis=0)) for k, y in curves.items())
        )
        for ylabel, curves in panels.items()
    ]
    return describe(fig, (f"{title}. " if title else "") + ". ".join(text) + ".")


def curves_figure(
    x: Sequence[float] | np.ndarray,
    curves: dict[str, np.ndarray],
    xlabel: str,
    ylabel: str,
    log: bool = False,
    title: str | None = None,
    width: float = 6.0,
    height: float = 3.6,
) -> Figure:
    """`curve_panels_figure` with one panel: `curves_figure(epochs, {"run A": a}, "epoch", "a")`.
    A 2-D array (runs x points) shows as its mean with a band from the lowest to the highest."""
    return curve_panels_figure(x, {ylabel: curves}, xlabel, log, title, width, height)


def seed_dots_figure(
    values: dict[str, Sequence[float]],
    xlabel: str,
    notes: dict[str, str] | None = None,
    title: str | None = None,
    width: float = 6.5,
) -> Figure:
    """One row per series: an open circle per run (seed) and a bar at the median, with a note
    at the right end of each row (the learning rate used, say). Names that are activation ids
    show with their course colour and display name."""
    names = list(values)
    fig, (ax,) = new_figure(width=width, height=0.45 * len(names) + 1.2)
    for row, name in enumerate(names):
        v = np.asarray(values[name], dtype=np.float64)
        colour = _series_style(name, row)["color"]
        ax.plot(v, np.full(v.shape, row), "o", color=colour, mfc="none", mew=1.5)
        ax.plot([np.median(v)] * 2, [row - 0.3, row + 0.3], color="black", lw=2.5)
        if notes and name in notes:
            ax.annotate(notes[name], (1.01, row), xycoords=("axes fraction", "data"),
                        va="center", fontsize="small")  # fmt: skip
    ax.set_yticks(range(len(names)), [_display_name(n) for n in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    rows = [
        f"{_display_name(n)}: median {np.median(v):.3g}, from {np.min(v):.3g} to {np.max(v):.3g}"
        for n, v in values.items()
    ]
    text = f"{xlabel}, one open circle per run (equal values share one), a bar at the median. "
    return describe(fig, text + "; ".join(rows) + ".")


def layer_histograms_figure(
    panels: dict[str, Sequence[np.ndarray]],
    value_range: tuple[float, float] = (-1.0, 1.0),
    bins: int = 51,
    xlabel: str = "activation",
    panel_width: float = 3.3,
    height: float = 3.2,
) -> Figure:
    """Side by side, one panel per title: the histogram of every layer's activations drawn as
    outlines, from dark (layer 1) to light (the deepest panel's last layer; a layer has the same
    shade in every panel), in the spirit of Glorot & Bengio (2010). An odd number of bins keeps
    0 in the middle of a bin."""
    fig, axes = new_figure(len(panels), width=panel_width * len(panels), height=height)
    edges = np.linspace(*value_range, bins + 1)
    deepest = max(len(layers) for layers in panels.values())  # layer k: one shade in every panel
    shades = mpl.colormaps["viridis"](np.linspace(0.0, 0.85, deepest))
    for ax, (title, layers) in zip(axes, panels.items()):
        for k, (values, colour) in enumerate(zip(layers, shades)):
            counts, _ = np.histogram(np.clip(np.ravel(values), *value_range), bins=edges)
            ax.stairs(counts / counts.sum(), edges, color=colour, label=f"layer {k + 1}",
                      linestyle=LAYER_LINESTYLES[k % len(LAYER_LINESTYLES)])  # fmt: skip
        ax.set(title=title, xlabel=xlabel, xlim=value_range)
    axes[0].set_ylabel("fraction of values")
    most = max(axes, key=lambda ax: len(ax.get_legend_handles_labels()[0]))  # every layer
    axes[-1].legend(*most.get_legend_handles_labels(), fontsize="x-small", loc="center left",
                    bbox_to_anchor=(1.0, 0.5))  # fmt: skip
    return describe(
        fig,
        f"Histograms of each layer's {xlabel} from {value_range[0]:g} to {value_range[1]:g}, "
        f"dark for layer 1 to light for layer {deepest}, one panel each: "
        f"{word_list(list(panels))}.",
    )
