"""Try your own activation: check a learner's formula calmly, then measure it against ReLU.

`try_activation(g)` (or `try_activation(g, g_prime)`) never raises. It checks, in order:

1. `g` is a function (a specific message for None, text, a number ...);
2. it runs on an array and gives one finite number per input, for a 1-D array and for a 2-D
   batch (the shape a layer passes), without changing its input; it is not a slow Python loop;
3. it stays finite over a wide range, z in [-50, 50] and z = +-1000 (numpy's warnings are
   captured and explained, never printed);
4. the derivative, if given, passes the same checks and matches central differences (the
   relative error is reported); if not given, the slope is measured by central differences.

Then it plots g and g', measures per-layer gradient norms in a deep-ish network and runs a
short seeded training beside ReLU, and says what it found in plain words.
"""

from __future__ import annotations

import base64
import html
import io
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from helpers import data
from helpers.activations import Activation, get
from helpers.exercises import Call, call_learner, not_a_function
from helpers.network import MLP, relative_error
from helpers.plots import OKABE_ITO, activation_style, new_figure

# The measurements (fixed, seeded: the same numbers every run).
PROBE = np.linspace(-3.0, 3.0, 7)
BATCH = np.linspace(-2.0, 2.0, 12).reshape(4, 3)
WIDE = np.linspace(-50.0, 50.0, 2001)
SHAPE_GRID = np.linspace(-50.0, 50.0, 2000)  # no z = 0: a kink there would spike the slope
EXTREMES = np.array([-1000.0, 1000.0])
SLOPE_GRID = np.linspace(-5.0, 5.0, 1000)  # even count: avoids z = 0, where kinks usually sit
PLOT_Z = np.linspace(-5.0, 5.0, 401)
FLOW_SIZES = [2] + [32] * 6 + [1]  # six hidden layers of 32 units
TRAIN_SIZES = [2, 16, 16, 1]
TRAIN_DATA = "moons"
TRAIN_STEPS = 300
TRAIN_LR = 0.5
SEED = 0

DERIVATIVE_GOOD = 1e-6  # relative error below this: the derivative matches
DERIVATIVE_BAD = 1e-2  # above this: it is wrong (between: close, but check it)
SLOW_FACTOR = 10.0  # this many times slower than a plain numpy formula: a Python loop


@dataclass
class Finding:
    """One thing the lab checked: key (what), status ("ok", "warn" or "fail"), message."""

    key: str
    status: str
    message: str


@dataclass
class Measurement:
    """Gradient flow and training of one activation, with ReLU's beside it."""

    flow: np.ndarray  # per-layer weight-gradient norms at initialization
    losses: np.ndarray  # training loss per step
    accuracy: float


@dataclass
class ActivationReport:
    """What `try_activation` found. `ok` is False when the activation cannot be used yet."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    activation: Activation | None = None
    derivative_error: float | None = None
    properties: dict[str, float | bool] = field(default_factory=dict)
    curves: dict[str, np.ndarray] = field(default_factory=dict)  # on PLOT_Z, for the figure
    yours: Measurement | None = None
    relu: Measurement | None = None
    summary: str = ""
    figure_png: bytes = b""

    @property
    def ok(self) -> bool:
        return not any(f.status == "fail" for f in self.findings)

    def finding(self, key: str) -> Finding | None:
        """The finding with this key, if the lab got that far."""
        return next((f for f in self.findings if f.key == key), None)

    def text(self) -> str:
        """The findings and the summary as plain text."""
        marks = {"ok": "✓", "warn": "!", "fail": "✗"}
        lines = [f"{marks[f.status]} {_sentence(f.message)}" for f in self.findings]
        return "\n".join(lines + ([self.summary] if self.summary else []))

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return report_html(self)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", ")")) else ".")


# ---- calling the learner's code: helpers.exercises does it; here only what is an activation's
def _call(fn: Callable, z: np.ndarray, who: str) -> Call:
    """`call_learner(fn, z)`, and an activation gives one output per input."""
    call = call_learner(fn, z, name=who)
    if call.value is not None and call.value.shape != z.shape:
        return Call(
            None,
            f"{who} returned shape {call.value.shape} for an input of shape {z.shape}: an "
            "activation gives one output per input (did it sum, average or take the max of the "
            "array?)",
            call.warnings,
        )
    return call


def _checked_function(fn: object, who: str, findings: list[Finding]) -> bool:
    """The checks every function goes through: callable, runs (leaving its input alone), one
    output per input, batch. Adds findings; True when fn can be used."""
    reason = not_a_function(fn, who)
    if reason:
        findings.append(Finding("callable", "fail", reason))
        return False
    first = _call(fn, PROBE, who)
    if first.error:
        findings.append(Finding("runs", "fail", first.error))
        return False
    batch = _call(fn, BATCH, who)
    if batch.error:
        findings.append(
            Finding(
                "vectorised",
                "fail",
                f"{who} works on a 1-D array but not on a 2-D batch of shape {BATCH.shape}, "
                "which is what a layer passes: it probably loops over z one number at a time "
                "(a `for` loop calling something like `math.tanh`). Write it with whole-array "
                "numpy operations such as `np.tanh(z)`",
            )
        )
        return False
    rows = [_call(fn, row, who).value for row in BATCH]  # each row on its own
    if any(r is None for r in rows) or not np.allclose(batch.value, rows, equal_nan=True):
        findings.append(
            Finding(
                "vectorised",
                "fail",
                f"{who} gives different values for the same numbers arranged as a batch: it "
                "should act on each number on its own (element-wise)",
            )
        )
        return False
    findings.append(
        Finding("vectorised", "ok", f"{who} is a function of the whole array, element by element")
    )
    return True


def _speed(fn: Callable, who: str) -> Finding | None:
    """Compare with a plain numpy formula on the same machine at the same moment."""
    z = np.linspace(-5.0, 5.0, 20_000)

    def best(f: Callable) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            f(z)
            times.append(time.perf_counter() - start)
        return min(times)

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        ratio = best(fn) / max(best(lambda v: v * np.tanh(np.log1p(np.exp(v)))), 1e-6)
    if ratio > SLOW_FACTOR:
        return Finding(
            "speed",
            "warn",
            f"{who} is about {ratio:.0f} times slower than a plain numpy formula, as if it "
            "looped over the numbers in Python (a `for` loop or `np.vectorize`); it works, but "
            "training will be slow",
        )
    return None


def _where(z: np.ndarray, mask: np.ndarray) -> str:
    shown = ", ".join(f"{v:g}" for v in z[mask][:3])
    return shown + (" ..." if mask.sum() > 3 else "")


def _finite(fn: Callable, who: str, findings: list[Finding]) -> bool:
    """Finite over [-50, 50] and at +-1000; numpy's warnings explained, not printed."""
    bad_parts, warned = [], []
    for z in (WIDE, EXTREMES):
        res = _call(fn, z, who)
        if res.error:
            findings.append(Finding("finite", "fail", res.error))
            return False
        mask = ~np.isfinite(res.value)
        if mask.any():
            bad = res.value[mask]
            kinds = (
                "NaN"
                if np.isnan(bad).all()
                else "infinity"
                if np.isinf(bad).all()
                else ("infinity and NaN")
            )
            bad_parts.append(f"{kinds} at z = {_where(z, mask)}")
        if res.warnings:
            warned.append(
                f"at z {'in [-50, 50]' if z is WIDE else '= ±1000'}: " + "; ".join(res.warnings)
            )
    hint = (
        "A common cause is `np.exp(z)` for large z (it overflows past z ≈ 709): rewrite with "
        "`np.logaddexp(0, z)` for log(1 + e^z), `scipy.special.expit(z)` for the sigmoid, or "
        "`np.exp(-np.abs(z))`"
    )
    if bad_parts:
        findings.append(
            Finding("finite", "fail", f"{who} gives " + " and ".join(bad_parts) + ". " + hint)
        )
        return False
    if warned:
        findings.append(
            Finding(
                "finite",
                "warn",
                f"{who} stays finite, but numpy warned on the way ({' / '.join(warned)}): an "
                f"intermediate step overflowed and the formula got lucky. {hint}",
            )
        )
        return True
    findings.append(
        Finding("finite", "ok", f"{who} is finite for every z in [-50, 50] and at ±1000")
    )
    return True


def _quiet(fn: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """fn as float64, called on a copy, with numpy's warnings silenced (already reported)."""

    def run(z: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return np.asarray(fn(np.array(z, dtype=np.float64)), dtype=np.float64)

    return run


def central_difference(fn: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """The slope of fn measured by central differences, (g(z+h) - g(z-h)) / 2h, with a step h
    that grows with |z| so it stays accurate at z = 1000."""
    value = _quiet(fn)

    def slope(z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=np.float64)
        h = 1e-5 * np.maximum(1.0, np.abs(z))
        return (value(z + h) - value(z - h)) / (2.0 * h)

    return slope


def _derivative_mismatch(given: np.ndarray, measured: np.ndarray, who: str, error: float) -> str:
    """A specific reason for a derivative that does not match the measured slope."""
    i = int(np.argmax(np.abs(given - measured)))
    at = (
        f"at z = {SLOPE_GRID[i]:.3g} yours gives {given[i]:.4g} but the measured slope is "
        f"{measured[i]:.4g}"
    )
    base = f"{who} does not match the measured slope (relative error {error:.2e}): {at}"
    if relative_error(given, -measured) < DERIVATIVE_GOOD * 10:
        return base + ". It has the wrong sign everywhere: check the minus signs"
    scale = np.dot(given, measured) / max(np.dot(measured, measured), 1e-300)
    if abs(scale) > 1e-12 and relative_error(given, scale * measured) < DERIVATIVE_GOOD * 10:
        return base + f". It is off by a constant factor of about {scale:.3g}: check the constants"
    return base + (
        ". Compare the two curves in the plot to see where they part; derive it again with the "
        "chain rule"
    )


def _estimate_properties(act: Activation) -> dict[str, float | bool]:
    g, d = act(SHAPE_GRID), act.derivative(SHAPE_GRID)
    return {
        "slope_at_0": float(act.derivative(np.array([0.0]))[0]),
        "peak_slope": float(max(d.max(), act.derivative(SLOPE_GRID).max())),  # z = 0 left out
        "slope_left": float(d[0]),  # at z = -50
        "slope_right": float(d[-1]),  # at z = +50
        "min": float(g.min()),
        "max": float(g.max()),
        "monotone": bool(np.all(np.diff(g) >= -1e-12)),
        "linear": bool(np.allclose(d, d[len(d) // 2], rtol=1e-6, atol=1e-9)),
    }


def make_activation(
    fn: Callable, derivative: Callable | None = None, name: str = "yours"
) -> Activation:
    """An `Activation` (usable in `MLP`) from a function and, optionally, its derivative; without
    one, the slope is measured by central differences. Call `try_activation` first to check."""
    value = _quiet(fn)
    slope = _quiet(derivative) if derivative is not None else central_difference(fn)
    grid = value(WIDE)
    return Activation(
        name=name,
        label=name,
        formula=r"\text{your formula}",
        derivative_formula=r"\text{yours}" if derivative is not None else r"\text{measured}",
        output_range=(float(np.nanmin(grid)), float(np.nanmax(grid))),
        zero_centred=bool(abs(np.nanmean(value(np.linspace(-2, 2, 401)))) < 0.1),
        saturating=bool(np.all(np.abs(slope(np.array([-50.0, 50.0]))) < 1e-3)),
        monotone=bool(np.all(np.diff(grid) >= -1e-12)),
        smooth=False,
        value_fn=value,
        derivative_fn=slope,
    )


# ---- the measurements -----------------------------------------------------------------------
def gradient_flow(act: Activation | str, seed: int = SEED) -> np.ndarray:
    """Per-layer weight-gradient norms at initialization in a network of six hidden layers of
    32 units (LeCun-normal init), on the moons data: the first entry is the first layer."""
    X, y = data.make(TRAIN_DATA, 200, seed=seed)
    net = MLP(
        FLOW_SIZES, [act] * (len(FLOW_SIZES) - 2), init="normal", seed=seed, loss="cross_entropy"
    )
    dWs, _ = net.gradients(X, y)
    return np.array([np.linalg.norm(dW) for dW in dWs])


def training_run(act: Activation | str, seed: int = SEED) -> Measurement:
    """A short seeded training run (2-16-16-1 on moons, full batch) and the flow measurement."""
    X, y = data.make(TRAIN_DATA, 200, seed=seed)
    net = MLP(
        TRAIN_SIZES, [act] * (len(TRAIN_SIZES) - 2), init="normal", seed=seed, loss="cross_entropy"
    )
    history = net.train(X, y, steps=TRAIN_STEPS, lr=TRAIN_LR)
    return Measurement(gradient_flow(act, seed), np.array(history.loss), net.accuracy(X, y))


_RELU_CACHE: dict[int, Measurement] = {}


def relu_measurement(seed: int = SEED) -> Measurement:
    """ReLU's flow and training run (computed once per seed)."""
    if seed not in _RELU_CACHE:
        _RELU_CACHE[seed] = training_run("relu", seed)
    return _RELU_CACHE[seed]


def _flow_words(flow: np.ndarray) -> tuple[str, str]:
    ratio = flow[0] / flow[-2] if flow[-2] > 0 else 0.0  # first hidden vs last hidden layer
    if not np.all(np.isfinite(flow)):
        return "fail", "the gradients are not finite: the network cannot learn"
    if flow[0] == 0:
        return "fail", "no gradient reaches the first layer: it cannot learn at all"
    if ratio < 0.1:
        return "warn", (
            f"the first layer's gradient is {ratio:.3g} times the last hidden layer's: it "
            "vanishes on the way back, so early layers learn slowly (notebook 05)"
        )
    if ratio > 10:
        return "warn", (
            f"the first layer's gradient is {ratio:.3g} times the last hidden layer's: it grows "
            "on the way back (exploding gradients, notebook 05)"
        )
    return "ok", (
        f"the first layer's gradient is {ratio:.3g} times the last hidden layer's: it flows "
        "back through six layers without vanishing or exploding"
    )


def _training_words(yours: Measurement, relu: Measurement) -> tuple[str, str]:
    a, b = yours.losses[-1], relu.losses[-1]
    if not np.isfinite(a):
        return "fail", (
            "training diverged: the loss became infinite or NaN (the steps were too large for "
            "this activation's slope)"
        )
    numbers = (
        f"after {TRAIN_STEPS} steps the loss is {a:.3g} (ReLU: {b:.3g}) and the accuracy "
        f"{yours.accuracy:.1%} (ReLU: {relu.accuracy:.1%})"
    )
    if a < 0.8 * b:
        return "ok", numbers + ": it learned faster than ReLU on this task"
    if a <= 1.25 * b:
        return "ok", numbers + ": about as well as ReLU on this task"
    if a < 0.9 * yours.losses[0] and yours.accuracy >= relu.accuracy - 0.02:
        return (
            "ok",
            numbers + ": about the same accuracy, though its loss fell more slowly than ReLU's",
        )
    if a < 0.9 * yours.losses[0]:
        return "warn", numbers + ": it learns, but more slowly than ReLU"
    return "warn", numbers + ": it barely learned"


# ---- the figure -----------------------------------------------------------------------------
class LabFigure:
    """Three panels, built once and updated in place: g and g' (with ReLU for scale), the
    per-layer gradient norms (yours beside ReLU), and the training loss (yours and ReLU)."""

    def __init__(self) -> None:
        self.figure, (self.ax_g, self.ax_flow, self.ax_loss) = new_figure(3, width=12, height=3.4)
        ax = self.ax_g
        relu = get("relu")
        ax.plot(PLOT_Z, relu(PLOT_Z), color=OKABE_ITO["grey"], lw=1.2, ls=":", label="ReLU")
        (self.g_line,) = ax.plot(
            PLOT_Z, np.zeros_like(PLOT_Z), color=OKABE_ITO["blue"], label="$g(z)$"
        )
        (self.d_line,) = ax.plot(
            PLOT_Z, np.zeros_like(PLOT_Z), color=OKABE_ITO["orange"], ls="--", label="$g'(z)$"
        )
        (self.m_line,) = ax.plot(
            PLOT_Z,
            np.zeros_like(PLOT_Z),
            color=OKABE_ITO["black"],
            ls=":",
            lw=1.5,
            label="measured slope",
        )
        ax.set(xlabel="$z$", title="your activation and its slope", xlim=(-5, 5), ylim=(-2, 5))
        ax.legend(loc="upper left")
        layers = np.arange(1, len(FLOW_SIZES))
        self.flow_yours = self.ax_flow.bar(
            layers - 0.2, np.ones(len(layers)), 0.4, color=OKABE_ITO["blue"], label="yours"
        )
        self.flow_relu = self.ax_flow.bar(
            layers + 0.2, np.ones(len(layers)), 0.4, color=OKABE_ITO["green"], label="ReLU"
        )
        self.ax_flow.set(
            yscale="log",
            ylim=(1e-8, 1e2),
            xlabel="layer (1 = first, 7 = output)",
            ylabel=r"$\|\partial L / \partial W\|$",
            title="gradient flow at the start",
            xticks=layers,
        )
        self.ax_flow.legend(loc="upper left")
        steps = np.arange(TRAIN_STEPS)
        (self.loss_yours,) = self.ax_loss.plot(
            steps, np.ones(TRAIN_STEPS), color=OKABE_ITO["blue"], label="yours"
        )
        (self.loss_relu,) = self.ax_loss.plot(
            steps, np.ones(TRAIN_STEPS), **activation_style("relu"), label="ReLU"
        )
        self.ax_loss.set(
            yscale="log",
            ylim=(1e-3, 2),
            xlabel="training step",
            ylabel="loss",
            title="training on moons",
        )
        self.ax_loss.legend(loc="upper right")
        self.notes = [
            ax.text(0.5, 0.5, "", ha="center", va="center", transform=ax.transAxes, wrap=True)
            for ax in (self.ax_flow, self.ax_loss)
        ]

    def show(self, report: ActivationReport) -> None:
        """Show a report's curves, bars and losses (blank panels where the lab stopped early)."""
        nothing = np.full_like(PLOT_Z, np.nan)
        curves = report.curves
        given = "given" in curves
        self.g_line.set_ydata(curves.get("g", nothing))
        self.d_line.set_ydata(curves["given"] if given else curves.get("measured", nothing))
        self.d_line.set_label("$g'(z)$, yours" if given else "$g'(z)$, measured")
        self.m_line.set_ydata(curves["measured"] if given else nothing)
        self.m_line.set_label("measured slope" if given else "_hidden")
        self.ax_g.legend(loc="upper left")
        if curves:
            values = np.concatenate(list(curves.values()))
            values = values[np.isfinite(values)]
            lo, hi = (min(values.min(), -1.0), max(values.max(), 1.0)) if values.size else (-2, 5)
            pad = 0.08 * (hi - lo)
            self.ax_g.set_ylim(max(lo - pad, -20), min(hi + pad, 20))
        floor = self.ax_flow.get_ylim()[0]
        for bars, m in ((self.flow_yours, report.yours), (self.flow_relu, report.relu)):
            for bar, value in zip(bars, m.flow if m else np.zeros(len(bars))):
                bar.set_height(max(float(value), floor) if np.isfinite(value) else floor)
        for line, m in ((self.loss_yours, report.yours), (self.loss_relu, report.relu)):
            line.set_ydata(m.losses if m else np.full(TRAIN_STEPS, np.nan))
        for note in self.notes:
            note.set_text("" if report.yours else "not measured yet:\nfix the ✗ line first")

    def png(self) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        buffer = io.BytesIO()
        FigureCanvasAgg(self.figure).print_png(buffer)
        return buffer.getvalue()


# ---- the lab --------------------------------------------------------------------------------
def check_activation(
    fn: object, derivative: object = None, name: str = "your activation", check_speed: bool = True
) -> ActivationReport:
    """Run the checks (no measurements). Never raises."""
    report = ActivationReport(name=name)
    f = report.findings
    try:
        if not _checked_function(fn, name, f) or not _finite(fn, name, f):
            return report
        if check_speed and (slow := _speed(fn, name)):
            f.append(slow)
        measured = central_difference(fn)
        report.curves = {"g": _quiet(fn)(PLOT_Z), "measured": measured(PLOT_Z)}
        if derivative is None:
            f.append(
                Finding(
                    "derivative",
                    "ok",
                    "no derivative given: the lab measures the slope by central differences, "
                    "(g(z + h) − g(z − h)) / 2h",
                )
            )
        else:
            who = f"the derivative of {name}"
            dfind: list[Finding] = []
            if not _checked_function(derivative, who, dfind) or not _finite(derivative, who, dfind):
                f.extend(x for x in dfind if x.status != "ok")
                return report
            f.extend(x for x in dfind if x.status == "warn")
            report.curves["given"] = _quiet(derivative)(PLOT_Z)
            given = _quiet(derivative)(SLOPE_GRID)
            slope = measured(SLOPE_GRID)
            error = relative_error(given, slope)
            report.derivative_error = error
            if error <= DERIVATIVE_GOOD:
                f.append(
                    Finding(
                        "derivative",
                        "ok",
                        f"your derivative matches the measured slope (relative error {error:.1e})",
                    )
                )
            elif error <= DERIVATIVE_BAD:
                f.append(
                    Finding(
                        "derivative",
                        "warn",
                        f"your derivative is close to the measured slope but not exact (relative "
                        f"error {error:.1e}; a right one gives about 1e-8 or less)",
                    )
                )
            else:
                f.append(
                    Finding("derivative", "fail", _derivative_mismatch(given, slope, who, error))
                )
                return report
        report.activation = make_activation(fn, derivative, name)
        props = _estimate_properties(report.activation)
        report.properties = props
        if props["peak_slope"] <= 1e-9 and props["slope_left"] >= -1e-9:
            f.append(
                Finding(
                    "shape",
                    "fail",
                    f"{name} has slope zero everywhere (a constant or a step): no gradient flows "
                    "through it, so a network cannot learn with it",
                )
            )
            report.activation = None
            return report
        if props["linear"]:
            f.append(
                Finding(
                    "shape",
                    "warn",
                    f"{name} is a straight line: stacked layers collapse into one (notebook 02), "
                    "so the boundary cannot bend",
                )
            )
    except Exception as exc:  # never a traceback in front of the learner
        f.append(
            Finding("internal", "fail", f"the lab could not finish: {type(exc).__name__}: {exc}")
        )
        report.activation = None
    return report


def _num(x: float) -> str:
    return "0" if abs(x) < 1e-9 else f"{x:.3g}"


def _summary(report: ActivationReport) -> str:
    p = report.properties
    shape = (
        f"Its slope is {_num(p['slope_at_0'])} at z = 0, at most {_num(p['peak_slope'])}, and "
        f"{_num(p['slope_left'])} at z = −50 and {_num(p['slope_right'])} at z = +50"
    )
    ends = []
    if abs(p["slope_left"]) < 1e-3 and abs(p["slope_right"]) < 1e-3:
        ends.append("it saturates on both sides, like sigmoid and tanh")
    elif abs(p["slope_left"]) < 1e-3:
        ends.append("it is flat for large negative z, like ReLU")
    return shape + (": " + "; ".join(ends) if ends else "") + "."


def try_activation(
    fn: object, derivative: object = None, name: str = "your activation", plot: bool = True
) -> ActivationReport:
    """Check a learner's activation, then (if usable) measure its gradient flow and a short
    training run beside ReLU. Returns an `ActivationReport` that displays itself; never raises."""
    report = check_activation(fn, derivative, name)
    try:
        if report.ok and report.activation is not None:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                report.yours = training_run(report.activation)
            report.relu = relu_measurement()
            for key, (status, words) in (
                ("flow", _flow_words(report.yours.flow)),
                ("training", _training_words(report.yours, report.relu)),
            ):
                report.findings.append(Finding(key, status, words))
            report.summary = _summary(report)
        if plot and report.curves:
            lab = LabFigure()
            lab.show(report)
            report.figure_png = lab.png()
    except Exception as exc:  # never a traceback in front of the learner
        report.findings.append(
            Finding("internal", "fail", f"the lab could not finish: {type(exc).__name__}: {exc}")
        )
    return report


def _code_html(text: str) -> str:
    """Escape text for HTML and show `code` in backticks as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def report_html(report: ActivationReport) -> str:
    """The report as HTML: one line per finding, the summary, and the figure."""
    colours = {"ok": "#007A4D", "warn": "#8A5A00", "fail": "#B00020"}
    marks = {"ok": "✓", "warn": "!", "fail": "✗"}
    items = "".join(
        f"<li><b style='color:{colours[f.status]}'>{marks[f.status]}</b> "
        f"{_code_html(_sentence(f.message))}</li>"
        for f in report.findings
    )
    verdict = (
        "<b>Ready to use.</b>"
        if report.ok
        else "<b>Not usable yet</b>: fix the ✗ line and run the cell again."
    )
    parts = [f"<div><p>{verdict}</p><ul style='list-style:none;padding-left:0'>{items}</ul>"]
    if report.summary:
        parts.append(f"<p>{html.escape(report.summary)}</p>")
    if report.figure_png:
        encoded = base64.b64encode(report.figure_png).decode()
        alt = (
            "Left: your activation and its slope beside ReLU. Middle: gradient size per layer, "
            "yours beside ReLU. Right: training loss, yours beside ReLU."
        )
        parts.append(
            f"<img src='data:image/png;base64,{encoded}' alt='{alt}' style='max-width:100%'>"
        )
    return "".join(parts) + "</div>"
