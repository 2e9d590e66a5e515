"""Notebook 05's gradient-flow meter: depth x width x activation x init -> per-layer bars.

One fixed batch of unit-Gaussian inputs goes through a fresh network; the meter shows, for every
hidden layer, the norm of the loss's gradient for that layer's biases (how fast it would learn,
as in Nielsen ch. 5), the standard deviation of its activations and the fraction of its units
that are saturated. The figure has 30 bars made once; layers beyond the chosen depth are hidden.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from helpers.activations import names
from helpers.network import MLP, layer_statistics
from helpers.plots import OKABE_ITO, activation_style, new_figure
from helpers.widgets.base import CourseWidget, register

MAX_DEPTH = 30
N_INPUTS = 32
BATCH = 64
INIT_CHOICES = [
    ("LeCun normal: N(0,1)/sqrt(n_in)", "normal"),
    ("Xavier (Glorot)", "xavier"),
    ("He", "he"),
    ("N(0,1) x 0.01 (too small)", 0.01),
    ("N(0,1) x 1.0 (too large)", 1.0),
]
_FLOOR, _CEIL = 1e-40, 1e40


def meter_batch(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The meter's fixed batch: BATCH unit-Gaussian inputs and random 0/1 labels."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((BATCH, N_INPUTS)), rng.integers(0, 2, BATCH).astype(float)


def gradient_profile(
    depth: int, width: int, activation: str, init: str | float, seed: int = 0
) -> dict[str, np.ndarray]:
    """Per hidden layer of a fresh network (cross-entropy, one output) on the meter's batch:
    'grad' (norm of the bias gradient), 'std' (activation std), 'saturated' (fraction)."""
    X, y = meter_batch()
    net = MLP(
        [N_INPUTS] + [int(width)] * int(depth) + [1],
        activation,
        init=init,
        seed=seed,
        loss="cross_entropy",
    )
    with np.errstate(all="ignore"):
        _, dbs = net.gradients(X, y)
        stats = layer_statistics(net, X)
    return {
        "grad": np.array([np.linalg.norm(d) for d in dbs[:-1]]),
        "std": stats["act_std"],
        "saturated": stats["saturated"],
    }


def _positive(values: np.ndarray) -> np.ndarray:
    """Values clipped into the log axes' range (0 and NaN become the floor)."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=_FLOOR, posinf=_CEIL)
    return np.clip(v, _FLOOR, _CEIL)


def _log_limits(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    lo, hi = 10 ** np.floor(np.log10(lo) - 0.3), 10 ** np.ceil(np.log10(hi) + 0.3)
    return (lo, hi) if hi / lo >= 100 else (lo / 10, hi * 10)


class GradientMeter(CourseWidget):
    """Choose depth, width, activation and init; see every layer's gradient, std, saturation."""

    def __init__(
        self, depth: int = 10, width: int = 64, activation: str = "sigmoid", init="normal"
    ) -> None:
        layers = np.arange(1, MAX_DEPTH + 1)
        fig, (ax_g, ax_s, ax_f) = new_figure(nrows=3, width=7.0, height=6.4)
        self.bars = ax_g.bar(layers, np.ones(MAX_DEPTH), color=OKABE_ITO["blue"])
        ax_g.set(
            yscale="log",
            ylabel="gradient norm",
            title="how fast each hidden layer learns (bias gradient, log scale)",
        )
        (self.std_line,) = ax_s.plot(layers, np.ones(MAX_DEPTH), marker="o", markersize=4)
        ax_s.set(yscale="log", ylabel="activation std")
        (self.sat_line,) = ax_f.plot(
            layers, np.zeros(MAX_DEPTH), marker="s", markersize=4, color=OKABE_ITO["vermillion"]
        )
        ax_f.set(ylim=(-0.03, 1.03), ylabel="saturated", xlabel="hidden layer (1 = nearest input)")
        for ax in (ax_g, ax_s, ax_f):  # few fixed ticks: redraws stay fast
            ax.set_xlim(0.4, MAX_DEPTH + 0.6)
            ax.set_xticks([1, 5, 10, 15, 20, 25, 30], labels=[] if ax is not ax_f else None)
        for ax in (ax_g, ax_s):
            ax.yaxis.set_major_locator(LogLocator(numticks=5))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))  # no mathtext
        self.axes = (ax_g, ax_s, ax_f)
        controls = {
            "depth": ipw.IntSlider(
                value=depth, min=1, max=MAX_DEPTH, description="depth", continuous_update=False
            ),
            "width": ipw.IntSlider(
                value=width, min=8, max=256, step=8, description="width", continuous_update=False
            ),
            "activation": ipw.Dropdown(
                options=[n for n in names() if n != "identity"],
                value=activation,
                description="activation",
            ),
            "init": ipw.Dropdown(options=INIT_CHOICES, value=init, description="init"),
        }
        super().__init__(controls, fig)

    def update(self) -> str:
        c = {k: w.value for k, w in self.controls.items()}
        depth = int(c["depth"])
        prof = gradient_profile(depth, c["width"], c["activation"], c["init"])
        grad, std = _positive(prof["grad"]), _positive(prof["std"])
        colour = activation_style(c["activation"])["color"]
        for i, bar in enumerate(self.bars):
            bar.set_visible(i < depth)
            if i < depth:
                bar.set_height(grad[i])
                bar.set_color(colour)
        self.std_line.set_data(np.arange(1, depth + 1), std)
        self.sat_line.set_data(np.arange(1, depth + 1), prof["saturated"])
        ax_g, ax_s, _ = self.axes
        ax_g.set_ylim(*_log_limits(grad))
        ax_s.set_ylim(*_log_limits(std))
        head = f"<b>{depth}</b> hidden layers of <b>{c['width']}</b> {c['activation']} units. "
        if not np.any(prof["grad"] > 0):
            flow = "No gradient reaches any layer: the slope is 0 everywhere. "
        else:
            flow = f"First layer's gradient / last layer's: <b>{grad[0] / grad[-1]:.3g}</b>. "
        return (
            head + flow + f"Activation std in the last layer: <b>{std[-1]:.3g}</b>; "
            f"saturated on average: <b>{prof['saturated'].mean():.0%}</b>."
        )


@register("gradient_meter")
def gradient_meter(**kwargs) -> GradientMeter:
    """The gradient-flow meter, starting from a 10-layer sigmoid network."""
    return GradientMeter(**kwargs)
