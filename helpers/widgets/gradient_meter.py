"""Notebook 05's gradient-flow meter: depth x width x activation x init -> per-layer bars.

One fixed batch of unit-Gaussian inputs goes through a fresh network (cross-entropy, one
output); the meter shows, for every hidden layer, the norm of the loss's gradient for that
layer's biases (how fast it would learn, as in Nielsen ch. 5), the standard deviation of its
activations and the fraction of its units that are saturated.

Every update must cost about one frame, so nothing is computed twice:

- the random weights come from one pool of standard-normal numbers drawn once per process;
  layer k of any network uses the top-left corner of the pool's k-th matrix, scaled by the
  init scheme (so a deeper network starts with the same first layers as a shallower one);
- the forward pass of the current (width, activation, init) is kept and extended layer by
  layer, so dragging the depth slider only runs the backward pass;
- the figure has MAX_DEPTH bars made once; layers beyond the chosen depth are hidden.

`meter_network` builds the same network as an `MLP`, so the tests can check the fast path
against the course's backpropagation.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from scipy.special import expit

from helpers.activations import get, names
from helpers.network import MLP, SATURATED_SLOPE, init_weights, peak_slope
from helpers.plots import OKABE_ITO, activation_style, new_figure
from helpers.widgets.base import CourseWidget, register

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


class _NormalPool:
    """Standard-normal numbers drawn once per process: matrix k (k < MAX_DEPTH: hidden layer
    k + 1; k = MAX_DEPTH: the output layers) is MAX_WIDTH x MAX_WIDTH, drawn the first time a
    network reaches that layer. `standard_normal(shape)` hands out a corner of the selected
    matrix, so the pool can stand in for the generator `init_weights` expects."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.matrices: list[np.ndarray] = []
        self.matrix, self.row = 0, 0

    def select(self, matrix: int, row: int = 0) -> _NormalPool:
        while len(self.matrices) <= matrix:
            self.matrices.append(self.rng.standard_normal((MAX_WIDTH, MAX_WIDTH)))
        self.matrix, self.row = matrix, row
        return self

    def standard_normal(self, shape: tuple[int, int]) -> np.ndarray:
        rows, cols = shape
        return self.matrices[self.matrix][self.row : self.row + rows, :cols]


_POOL = _NormalPool()
_PEAK: dict[str, float] = {}  # an activation's largest slope, found once


def _weights(layer: int, fan_in: int, fan_out: int, init: str | float) -> np.ndarray:
    """Weights of shape (fan_out, fan_in) for hidden layer `layer` + 1 (0 = nearest the input)
    or, when fan_out is 1, for the output layer of a network with `layer` hidden layers (its
    own row of the output matrix, so each depth gets fresh output weights)."""
    if fan_out == 1:
        return init_weights(fan_in, 1, init, _POOL.select(MAX_DEPTH, row=layer - 1))
    return init_weights(fan_in, fan_out, init, _POOL.select(layer))


class _Forward:
    """The forward pass of one (width, activation, init) on the meter's batch, extended layer
    by layer as the depth grows, with each layer's slopes and statistics."""

    def __init__(self, width: int, activation: str, init: str | float) -> None:
        self.key = (int(width), activation, init)
        self.width, self.init = int(width), init
        self.g = get(activation)
        if self.g.name not in _PEAK:
            _PEAK[self.g.name] = peak_slope(self.g)
        self.threshold = SATURATED_SLOPE * _PEAK[self.g.name]
        self.X, self.y = meter_batch()
        self.weights: list[np.ndarray] = []
        self.a = self.X  # the last computed layer's activations
        self.last: list[np.ndarray] = []  # activations of each hidden layer
        self.slopes: list[np.ndarray] = []  # g'(z) of each hidden layer
        self.std: list[float] = []
        self.saturated: list[float] = []
        self._span: dict[str, np.ndarray] | None = None

    def extend(self, depth: int) -> None:
        with np.errstate(all="ignore"):
            while len(self.weights) < depth:
                k = len(self.weights)
                W = _weights(k, self.a.shape[1], self.width, self.init)
                z = self.a @ W.T  # biases start at 0
                self.a = self.g.value_fn(z)
                slope = self.g.derivative_fn(z)
                self.weights.append(W)
                self.last.append(self.a)
                self.slopes.append(slope)
                self.std.append(float(self.a.std()))
                self.saturated.append(float(np.mean(slope <= self.threshold)))

    def profile(self, depth: int) -> dict[str, np.ndarray]:
        self.extend(depth)
        W_out = _weights(depth, self.width, 1, self.init)
        grads = np.empty(depth)
        with np.errstate(all="ignore"):
            out = self.last[depth - 1] @ W_out.T
            delta = (expit(out) - self.y[:, None]) / len(self.y)  # cross-entropy at the output
            W_next = W_out
            for k in range(depth - 1, -1, -1):
                delta = (delta @ W_next) * self.slopes[k]
                grads[k] = np.linalg.norm(delta.sum(axis=0))
                W_next = self.weights[k]
        return {
            "grad": grads,
            "std": np.array(self.std[:depth]),
            "saturated": np.array(self.saturated[:depth]),
        }

    def span(self) -> dict[str, np.ndarray]:
        """Every gradient norm of the shallowest and the deepest network, and every layer's
        std: for axes that stay put while the depth changes."""
        if self._span is None:
            self._span = {
                "grad": np.concatenate([self.profile(1)["grad"], self.profile(MAX_DEPTH)["grad"]]),
                "std": np.array(self.std[:MAX_DEPTH]),
            }
        return self._span


_CURRENT: list[_Forward] = []  # the forward pass last used (one is enough)


def _forward(width: int, activation: str, init: str | float) -> _Forward:
    if not 1 <= int(width) <= MAX_WIDTH:
        raise ValueError(f"the meter's width goes from 1 to {MAX_WIDTH}, got {width}")
    key = (int(width), activation, init)
    if not _CURRENT or _CURRENT[0].key != key:
        _CURRENT[:] = [_Forward(width, activation, init)]
    return _CURRENT[0]


def gradient_profile(
    depth: int, width: int, activation: str, init: str | float
) -> dict[str, np.ndarray]:
    """Per hidden layer of the meter's network on the meter's batch: 'grad' (norm of the bias
    gradient), 'std' (activation std), 'saturated' (fraction of unit-example pairs)."""
    return _forward(width, activation, init).profile(int(depth))


def meter_network(depth: int, width: int, activation: str, init: str | float) -> MLP:
    """The network the meter measures, as an `MLP` (cross-entropy, biases 0)."""
    net = MLP([N_INPUTS] + [int(width)] * int(depth) + [1], activation, loss="cross_entropy")
    sizes = net.sizes
    net.weights = [_weights(k, sizes[k], sizes[k + 1], init).copy() for k in range(len(sizes) - 1)]
    return net


def _positive(values: np.ndarray) -> np.ndarray:
    """Values clipped into the log axes' range (0 and NaN become the floor)."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=_FLOOR, posinf=_CEIL)
    return np.clip(v, _FLOOR, _CEIL)


# A log axis picks its limits from a few fixed choices, so that most changes (every healthy
# network, every depth) leave the axis and its tick labels alone and only the data is redrawn.
_LOWS = (1e-6, 1e-24, 1e-40)
_HIGHS = (1e2, 1e30, 1e40)


def _stable_limits(values: np.ndarray) -> tuple[float, float]:
    """The narrowest of the fixed log-axis ranges that holds every value with a margin."""
    lo, hi = float(values.min()) / 2, float(values.max()) * 2
    return (
        next((low for low in _LOWS if low <= lo), _LOWS[-1]),
        next((high for high in _HIGHS if hi <= high), _HIGHS[-1]),
    )


class GradientMeter(CourseWidget):
    """Choose depth, width, activation and init; see every layer's gradient, std, saturation."""

    def __init__(
        self, depth: int = 10, width: int = 32, activation: str = "sigmoid", init="normal"
    ) -> None:
        layers = np.arange(1, MAX_DEPTH + 1)
        fig, (ax_g, ax_s, ax_f) = new_figure(nrows=3, width=6.6, height=5.8)
        self.bars = ax_g.bar(layers, np.ones(MAX_DEPTH), color=OKABE_ITO["blue"])
        ax_g.set(yscale="log", ylabel="gradient norm")
        # a title placed by hand (y given) is never moved, so redrawing the axes stays cheap
        ax_g.set_title("how fast each hidden layer learns (bias gradient, log scale)", y=1.02)
        (self.std_line,) = ax_s.plot(layers, np.ones(MAX_DEPTH), marker="o", markersize=4)
        ax_s.set(yscale="log", ylabel="activation std")
        (self.sat_line,) = ax_f.plot(
            layers, np.zeros(MAX_DEPTH), marker="s", markersize=4, color=OKABE_ITO["vermillion"]
        )
        ax_f.set(ylim=(-0.03, 1.03), ylabel="saturated", xlabel="hidden layer (1 = nearest input)")
        for ax in (ax_g, ax_s, ax_f):  # few fixed ticks: redraws stay fast
            # grid and ticks below the data: a redraw of the data leaves them in the background
            ax.set_axisbelow(True)
            ax.set_xlim(0.4, MAX_DEPTH + 0.6)
            ax.set_xticks([1, 5, 10, 15, 20, 25, 30])
            ax.tick_params(axis="x", labelbottom=ax is ax_f)
        for ax in (ax_g, ax_s):
            ax.set_ylim(_LOWS[0], _HIGHS[0])
            ax.yaxis.set_major_locator(LogLocator(numticks=5))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))  # no mathtext
        self.axes = (ax_g, ax_s, ax_f)
        self._colour = None
        controls = {
            "depth": ipw.IntSlider(
                value=depth, min=1, max=MAX_DEPTH, description="depth", continuous_update=False
            ),
            "width": ipw.IntSlider(
                value=width,
                min=8,
                max=MAX_WIDTH,
                step=8,
                description="width",
                continuous_update=False,
            ),
            "activation": ipw.Dropdown(
                options=[(get(n).label, n) for n in names() if n != "identity"],
                value=activation,
                description="activation",
            ),
            "init": ipw.Dropdown(options=INIT_CHOICES, value=init, description="init"),
        }
        super().__init__(controls, fig)

    def update(self) -> str:
        c = {k: w.value for k, w in self.controls.items()}
        depth = int(c["depth"])
        forward = _forward(c["width"], c["activation"], c["init"])
        prof, span = forward.profile(depth), forward.span()
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
        ax_g, ax_s, _ = self.axes
        for ax, values in ((ax_g, span["grad"]), (ax_s, span["std"])):
            values = np.concatenate([values, prof["grad"] if ax is ax_g else prof["std"]])
            values = values[np.isfinite(values) & (values > 0)]  # a zero gradient sits at the floor
            if values.size:
                limits = _stable_limits(np.clip(values, _FLOOR, _CEIL))
                if limits != ax.get_ylim():
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
            f"saturated on average: <b>{prof['saturated'].mean():.0%}</b>."
        )


@register("gradient_meter")
def gradient_meter(**kwargs) -> GradientMeter:
    """The gradient-flow meter, starting from a 10-layer sigmoid network."""
    return GradientMeter(**kwargs)
