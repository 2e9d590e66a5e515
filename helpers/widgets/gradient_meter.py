"""Notebook 05's gradient-flow meter: depth x width x activation x init -> per-layer bars.

One fixed batch of unit-Gaussian inputs goes through a fresh seeded `MLP` (cross-entropy, one
output, biases 0); the meter shows, for every hidden layer, the norm of the loss's gradient for
that layer's biases (how fast it would learn, as in Nielsen ch. 5), the standard deviation of
its activations and the fraction of its units that are saturated or off (slope near 0). The
network draws its layers in order from one seed, so a deeper network starts with the same layers
as a shallower one.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from helpers.activations import get, names
from helpers.network import MLP, gradient_norms, layer_statistics
from helpers.plots import new_figure
from helpers.style import OKABE_ITO, activation_style
from helpers.widgets.base import CourseWidget, register
from helpers.widgets.controls import dropdown, slider

MAX_DEPTH = 30
MAX_WIDTH = 64  # wider matrices make OpenBLAS start threads, slow on a busy 2-core machine
N_INPUTS = 32
BATCH = 32
INIT_CHOICES = [
    ("LeCun normal: N(0,1)/√n_in", "normal"),  # short enough to show whole in the dropdown
    ("Xavier (Glorot)", "xavier"),
    ("He", "he"),
    ("N(0,1) × 0.01 (too small)", 0.01),
    ("N(0,1) × 1.0 (too large)", 1.0),
]
_FLOOR, _CEIL = 1e-40, 1e40


def meter_batch(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The meter's fixed batch: BATCH unit-Gaussian inputs and random 0/1 labels."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((BATCH, N_INPUTS)), rng.integers(0, 2, BATCH).astype(float)


def gradient_profile(
    depth: int, width: int, activation: str, init: str | float
) -> dict[str, np.ndarray]:
    """Per hidden layer of the meter's network on the meter's batch: 'grad' (norm of the bias
    gradient), 'std' (activation std), 'saturated' (fraction of unit-example pairs)."""
    sizes = [N_INPUTS] + [int(width)] * int(depth) + [1]
    net = MLP(sizes, activation, init=init, seed=0, loss="cross_entropy")
    X, y = meter_batch()
    with np.errstate(all="ignore"):
        grad = gradient_norms(net, X, y)[1][:-1]
        stats = layer_statistics(net, X)
    return {"grad": grad, "std": stats["act_std"], "saturated": stats["saturated"]}


@cache
def _span(width: int, activation: str, init: str | float) -> dict[str, np.ndarray]:
    """Every gradient norm of the shallowest and the deepest network, and every layer's std:
    for axes that stay put while the depth changes."""
    shallow, deep = (gradient_profile(d, width, activation, init) for d in (1, MAX_DEPTH))
    return {"grad": np.concatenate([shallow["grad"], deep["grad"]]), "std": deep["std"]}


def _positive(values: np.ndarray) -> np.ndarray:
    """Values clipped into the log axes' range (0 and NaN become the floor)."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=_FLOOR, posinf=_CEIL)
    return np.clip(v, _FLOOR, _CEIL)


def _stable_limits(values: np.ndarray) -> tuple[float, float] | None:
    """The narrowest of a few fixed log-axis ranges that holds every positive value with a
    margin (None if there is none): most changes, every healthy network and every depth, leave
    the axis alone, so only the animated data is drawn again."""
    values = values[np.isfinite(values) & (values > 0)]  # a zero gradient sits at the floor
    if not values.size:
        return None
    lo, hi = max(values.min(), _FLOOR) / 2, min(values.max(), _CEIL) * 2
    low = next((x for x in (1e-6, 1e-24) if x <= lo), _FLOOR)
    return low, next((x for x in (1e2, 1e30) if hi <= x), _CEIL)


class GradientMeter(CourseWidget):
    """Choose depth, width, activation and init; see every layer's gradient, std, saturation."""

    figure_text = (
        "Three panels, one point per hidden layer, layer 1 nearest the input: each layer's "
        "bias-gradient norm (bars, log scale), the standard deviation of its activations (log "
        "scale), and its fraction of units that are saturated or off."
    )

    def __init__(
        self, depth: int = 10, width: int = 32, activation: str = "sigmoid", init="normal"
    ) -> None:
        layers = np.arange(1, MAX_DEPTH + 1)
        fig, (ax_g, ax_s, ax_f) = new_figure(nrows=3, width=6.6, height=5.8)
        self.bars = ax_g.bar(layers, np.ones(MAX_DEPTH), color=OKABE_ITO["blue"])
        ax_g.set(yscale="log", ylabel="gradient norm")
        ax_g.set_title("how fast each hidden layer learns (bias gradient, log scale)")
        (self.std_line,) = ax_s.plot(layers, np.ones(MAX_DEPTH), marker="o", markersize=4)
        ax_s.set(yscale="log", ylabel="activation std")
        (self.sat_line,) = ax_f.plot(
            layers, np.zeros(MAX_DEPTH), marker="s", markersize=4, color=OKABE_ITO["vermillion"]
        )
        ax_f.set(
            ylim=(-0.03, 1.03), ylabel="saturated or off", xlabel="hidden layer (1 = nearest input)"
        )
        for artist in (*self.bars, self.std_line, self.sat_line):  # what the controls change
            artist.set_animated(True)
        for ax in (ax_g, ax_s, ax_f):
            ax.set_xlim(0.4, MAX_DEPTH + 0.6)
            ax.set_xticks([1, 5, 10, 15, 20, 25, 30])
            ax.tick_params(axis="x", labelbottom=ax is ax_f)
        for ax in (ax_g, ax_s):
            ax.set_ylim(1e-6, 1e2)
            ax.yaxis.set_major_locator(LogLocator(numticks=5))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
        self.axes = (ax_g, ax_s, ax_f)
        self._colour = None
        controls = {
            "depth": slider("depth", depth, 1, MAX_DEPTH, continuous=False),
            "width": slider("width", width, 8, MAX_WIDTH, step=8, continuous=False),
            "activation": dropdown(
                "activation", [(get(n).label, n) for n in names() if n != "identity"], activation
            ),
            "init": dropdown("init", INIT_CHOICES, init),
        }
        super().__init__(controls, fig)

    def update(self) -> str:
        c = {k: w.value for k, w in self.controls.items()}
        depth = int(c["depth"])
        prof = gradient_profile(depth, c["width"], c["activation"], c["init"])
        span = _span(int(c["width"]), c["activation"], c["init"])
        grad, std = _positive(prof["grad"]), _positive(prof["std"])
        colour = activation_style(c["activation"])["color"]
        for i, bar in enumerate(self.bars):  # touch only the bars that change
            if bar.get_visible() != (i < depth):
                bar.set_visible(i < depth)
            if i < depth:
                bar.set_height(grad[i])
                if colour != self._colour:
                    bar.set_color(colour)
        self._colour = colour
        self.std_line.set_data(np.arange(1, depth + 1), std)
        self.sat_line.set_data(np.arange(1, depth + 1), prof["saturated"])
        for ax, key in zip(self.axes, ("grad", "std")):
            limits = _stable_limits(np.concatenate([span[key], prof[key]]))
            if limits is not None and limits != ax.get_ylim():
                ax.set_ylim(*limits)
        label = get(c["activation"]).label
        layers = "hidden layer" if depth == 1 else "hidden layers"
        head = f"<b>{depth}</b> {layers} of <b>{c['width']}</b> {label} units. "
        if not np.any(prof["grad"] > 0):
            flow = "No gradient reaches any layer: the slope is 0 everywhere. "
        else:
            flow = f"First layer's gradient / last layer's: <b>{grad[0] / grad[-1]:.3g}</b>. "
        return (
            head + flow + f"Activation std in the last layer: <b>{std[-1]:.3g}</b>; "
            f"saturated or off on average: <b>{prof['saturated'].mean():.0%}</b>."
        )


gradient_meter = register("gradient_meter")(GradientMeter)  # what the notebook calls
