"""Notebook 04's "follow the error signal": how big the backpropagated signal is at each layer.

The model is deliberately plain. A chain of `depth` layers of `WIDTH` units; at layer l the
units sit at pre-activations z_l = scale * eps_l, with eps_l fixed standard-normal numbers
(seeded). The signal arriving from the loss has size 1 at every output unit. Going back through
layer l it is multiplied, unit by unit, by g'(z_l), then passed through the layer's weights,
which are a random rotation (an orthogonal matrix): a rotation never changes a vector's size,
so any growth or shrinkage you see comes from the activation's slopes alone.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from helpers.activations import ZOO, get
from helpers.plots import LayerBars, new_figure
from helpers.style import OKABE_ITO, activation_style
from helpers.widgets.base import CourseWidget, register
from helpers.widgets.controls import dropdown, slider

WIDTH = 64
MAX_DEPTH = 20
FLOOR = 1e-20
VERDICTS = (  # (the size at layer 1 is below this, what that means)
    (1e-3, "It has all but vanished: the first layers would barely learn"),
    (0.1, "It has shrunk a lot: the first layers learn more slowly than the last"),
    (10.0, "It arrives at a usable size"),
    (1e3, "It has grown a lot: the first layers take larger steps than the last"),
    (np.inf, "It has exploded: the first layers would take huge, unstable steps"),
)
CHOICES = (*(name for name in ZOO if name != "step"), "step", "identity")  # sigmoid first


def _decade(value: float, _position=None) -> str:
    """A tick label for a power of ten: 1, 1e4, 1e-8."""
    exponent = int(round(np.log10(value)))
    return "1" if exponent == 0 else f"1e{exponent}"


def signal_sizes(
    activation: str, scale: float, depth: int, eps: np.ndarray, rotations: np.ndarray
) -> np.ndarray:
    """Size (root mean square over units) of the error signal dL/dz at layers 1..depth."""
    slope = get(activation).derivative
    delta = np.ones(eps.shape[1])  # dL/da at the top layer: size 1
    sizes = np.empty(depth)
    for layer in range(depth - 1, -1, -1):  # from the top layer back to layer 1
        delta = delta * slope(scale * eps[layer])  # dL/dz_l = dL/da_l * g'(z_l)
        sizes[layer] = np.sqrt(np.mean(delta * delta))
        delta = rotations[layer].T @ delta  # dL/da_(l-1) = W_l^T dL/dz_l
    return sizes


class ErrorSignal(CourseWidget):
    """Pick an activation, the typical size of the pre-activations and the depth; the bars show
    the error signal's size at each layer, on a log scale, as it flows back from the loss."""

    figure_text = (
        "One bar per layer, log scale: the size of the error signal at each layer as it flows "
        "back from the loss, on the right, to the first layer, on the left; a dashed line marks"
        " 1."
    )

    def __init__(self, activation: str = "sigmoid", scale: float = 1.0, depth: int = 10) -> None:
        rng = np.random.default_rng(0)
        self.eps = rng.standard_normal((MAX_DEPTH, WIDTH))
        self.rotations = np.array(
            [np.linalg.qr(rng.standard_normal((WIDTH, WIDTH)))[0] for _ in range(MAX_DEPTH)]
        )
        fig, (ax,) = new_figure(width=6.4, height=3.8)
        self.ax = ax
        self.bars = LayerBars(ax, MAX_DEPTH, "size of the signal", ylim=(FLOOR, 1e4))
        # A few fixed decades and no minor ticks: a log axis over 24 decades otherwise spends
        # most of each redraw laying out tick labels.
        ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-20, 5, 4)))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(_decade))
        # Fixed limits and ticks for the deepest chain: a change of depth only shows or hides
        # bars and moves the loss marker, so the axes never need a new layout.
        ax.set_xlim(0.4, MAX_DEPTH + 2.0)
        ax.set_xticks(range(1, MAX_DEPTH + 1))
        ax.tick_params(axis="x", labelsize="small")
        one = ax.axhline(1.0, color=OKABE_ITO["grey"], linewidth=1.2, linestyle="--", zorder=4)
        (self.loss_marker,) = ax.plot(
            [MAX_DEPTH + 1], [1.0], marker="D", markersize=8, color="black", zorder=5
        )
        self.loss_label = ax.text(MAX_DEPTH + 1, 3.0, "loss", ha="center", va="bottom", zorder=5)
        # what the controls change, and the line at 1 drawn over the bars
        for artist in (*self.bars.bars, one, self.loss_marker, self.loss_label):
            artist.set_animated(True)
        ax.set_xlabel("layer   (the signal flows back from the loss, right to left)")
        controls = {
            "activation": dropdown(
                "activation", [(get(name).label, name) for name in CHOICES], activation
            ),
            "scale": slider("size of z", scale, -1, 1, step=0.05, log=True, fmt=".2f"),
            "depth": slider("layers", depth, 1, MAX_DEPTH),
        }
        super().__init__(controls, fig)

    def sizes(self) -> np.ndarray:
        """The signal's size at layers 1..depth for the current controls."""
        c = self.controls
        return signal_sizes(
            c["activation"].value, c["scale"].value, c["depth"].value, self.eps, self.rotations
        )

    def update(self) -> str:
        name, scale = self.controls["activation"].value, self.controls["scale"].value
        depth = self.controls["depth"].value
        sizes = self.sizes()
        colour = activation_style(name)["color"]
        padded = np.concatenate([sizes, np.full(MAX_DEPTH - depth, FLOOR)])
        self.bars.update(padded)
        for i, bar in enumerate(self.bars.bars):
            if bar.get_visible() != (i < depth):
                bar.set_visible(i < depth)
            if bar.get_facecolor() != to_rgba(colour):
                bar.set_color(colour)
        if self.loss_marker.get_xdata()[0] != depth + 1:
            self.loss_marker.set_xdata([depth + 1])
            self.loss_label.set_x(depth + 1)
        label = get(name).label
        total = float(sizes[0])
        if total == 0.0:
            verdict = (
                "The signal is <b>exactly 0</b> by layer 1: a slope of 0 lets nothing through, "
                "so the first layers cannot learn at all."
            )
        else:
            what = next(words for bound, words in VERDICTS if total < bound)
            verdict = (
                "The signal leaves the loss at size 1 and reaches layer 1 at size "
                f"<b>{total:.3g}</b> (&times;{total ** (1.0 / depth):.3g} per layer on average). "
                f"{what}."
            )
        below = int(np.sum(sizes < FLOOR))
        note = (
            f" ({below} bar(s) smaller than 1e-20: off the bottom of the chart.)" if below else ""
        )
        return f"<b>{label}</b>, pre-activations of size about {scale:.2f}. {verdict}{note}"


error_signal = register("error_signal")(ErrorSignal)  # what the notebook calls
