"""Try your own activation: `try_activation(g)` or `try_activation(g, g_prime)` checks a
learner's formula calmly (a function, element-wise, fast, finite at +-1000, its derivative
right), then measures it beside ReLU (`helpers.activation_trial`). Never raises.
"""

from __future__ import annotations

import html
import timeit
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from helpers import activation_trial as trial
from helpers.activations import Activation
from helpers.exercises import call_learner, not_a_function, quietly
from helpers.network import relative_error

# The measurements (fixed, seeded: the same numbers every run).
PROBE = np.linspace(-3.0, 3.0, 7)
BATCH = np.linspace(-2.0, 2.0, 12).reshape(4, 3)
WIDE = np.linspace(-50.0, 50.0, 2001)
SHAPE_GRID = np.linspace(-50.0, 50.0, 2000)  # no z = 0: a kink there would spike the slope
EXTREMES = np.array([-1000.0, 1000.0])
SLOPE_GRID = np.linspace(-5.0, 5.0, 1000)  # even count: avoids z = 0, where kinks usually sit

DERIVATIVE_GOOD = 1e-6  # relative error below this: the derivative matches
DERIVATIVE_BAD = 1e-2  # above this: it is wrong (between: close, but check it)
SLOW_FACTOR = 10.0  # this many times slower than a plain numpy formula: a Python loop
SAFE_FORMS = (
    "A common cause is `np.exp(z)` for large z (it overflows past z ≈ 709): rewrite with "
    "`np.logaddexp(0, z)` for log(1 + e^z), `scipy.special.expit(z)` for the sigmoid, or "
    "`np.exp(-np.abs(z))`"
)


@dataclass
class Finding:
    """One thing the lab checked: key (what), status ("ok", "warn" or "fail"), message."""

    key: str
    status: str
    message: str


@dataclass
class ActivationReport:
    """What `try_activation` found. `ok` is False when the activation cannot be used yet."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    activation: Activation | None = None
    derivative_error: float | None = None
    curves: dict[str, np.ndarray] = field(default_factory=dict)  # on trial.PLOT_Z
    yours: trial.Measurement | None = None
    relu: trial.Measurement | None = None
    summary: str = ""
    figure: Figure | None = None

    @property
    def ok(self) -> bool:
        return not any(f.status == "fail" for f in self.findings)

    def add(self, key: str, status: str, message: str) -> None:
        self.findings.append(Finding(key, status, message))

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

    def html(self) -> str:
        """The verdict and the text."""
        verdict = "Ready to use." if self.ok else "Not usable yet: fix the ✗ line and run again."
        return f"<b>{verdict}</b><pre style='white-space:pre-wrap'>{html.escape(self.text())}</pre>"

    def _ipython_display_(self) -> None:
        """The verdict and the text, then the figure, shown as every course figure is."""
        from IPython.display import display

        display({"text/html": self.html(), "text/plain": self.text()}, raw=True)
        if self.figure is not None:
            display(self.figure)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", ")")) else ".")


class Refusal(Exception):
    """A check the activation fails: the lab stops with this key and message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# ---- the checks: helpers.exercises calls the learner's code; here only what an activation needs
def _values(fn: Callable, z: np.ndarray, who: str, key: str) -> tuple[np.ndarray, list[str]]:
    """fn(z) through `call_learner`, with one output per input; a Refusal with `key` if not."""
    call = call_learner(fn, z, name=who)
    if call.error:
        raise Refusal(key, call.error)
    if call.value.shape != z.shape:
        raise Refusal(
            key,
            f"{who} returned shape {call.value.shape} for an input of shape {z.shape}: an "
            "activation gives one output per input (did it sum, average or take the max of the "
            "array?)",
        )
    return call.value, call.warnings


def _usable(fn: object, who: str) -> None:
    """A function that runs (leaving its input alone), one output per input, element-wise on
    a 2-D batch; a Refusal if not."""
    if reason := not_a_function(fn, who):
        raise Refusal("callable", reason)
    _values(fn, PROBE, who, "runs")
    try:
        batch, _ = _values(fn, BATCH, who, "vectorised")
    except Refusal as refusal:
        raise Refusal(
            "vectorised",
            f"{who} works on a 1-D array but not on a 2-D batch of shape {BATCH.shape}, which "
            "is what a layer passes: it probably loops over z one number at a time (a `for` "
            "loop calling something like `math.tanh`). Write it with whole-array numpy "
            "operations such as `np.tanh(z)`",
        ) from refusal
    row, _ = _values(fn, BATCH[0], who, "vectorised")  # the first row on its own
    if not np.allclose(batch[0], row, equal_nan=True):
        raise Refusal(
            "vectorised",
            f"{who} gives different values for the same numbers arranged as a batch: it "
            "should act on each number on its own (element-wise)",
        )


def _finite(fn: Callable, who: str) -> str | None:
    """A Refusal if fn gives NaN or infinity over [-50, 50] or at +-1000; the warning to show
    if numpy warned on the way, else None."""
    bad_parts, warned = [], []
    for z, where in ((WIDE, "in [-50, 50]"), (EXTREMES, "= ±1000")):
        value, caught = _values(fn, z, who, "finite")
        nan, inf = np.isnan(value), np.isinf(value)
        if nan.any() or inf.any():
            kinds = " and ".join(k for k, m in (("infinity", inf), ("NaN", nan)) if m.any())
            shown = ", ".join(f"{v:g}" for v in z[nan | inf][:3])
            bad_parts.append(f"{kinds} at z = {shown}" + (" ..." if (nan | inf).sum() > 3 else ""))
        if caught:
            warned.append(f"at z {where}: " + "; ".join(caught))
    if bad_parts:
        raise Refusal("finite", f"{who} gives " + " and ".join(bad_parts) + ". " + SAFE_FORMS)
    if warned:
        return (
            f"{who} stays finite, but numpy warned on the way ({' / '.join(warned)}): an "
            f"intermediate step overflowed and the formula got lucky. {SAFE_FORMS}"
        )
    return None


def _slowness(fn: Callable, who: str) -> str | None:
    """A warning if fn is much slower than a plain numpy formula on the same machine now."""
    z = np.linspace(-5.0, 5.0, 20_000)

    def best(f: Callable) -> float:
        return min(timeit.repeat(lambda: f(z), number=1, repeat=3))

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        ratio = best(fn) / max(best(lambda v: v * np.tanh(np.log1p(np.exp(v)))), 1e-6)
    if ratio <= SLOW_FACTOR:
        return None
    return (
        f"{who} is about {ratio:.0f} times slower than a plain numpy formula, as if it looped "
        "over the numbers in Python (a `for` loop or `np.vectorize`); it works, but training "
        "will be slow"
    )


def central_difference(fn: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """The slope of fn measured by central differences, (g(z+h) - g(z-h)) / 2h, with a step h
    that grows with |z| so it stays accurate at z = 1000."""
    value = quietly(fn)

    def slope(z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=np.float64)
        h = 1e-5 * np.maximum(1.0, np.abs(z))
        return (value(z + h) - value(z - h)) / (2.0 * h)

    return slope


def _derivative_finding(given: np.ndarray, measured: np.ndarray, who: str) -> tuple[str, str]:
    """(status, message) for a derivative compared with the measured slope on SLOPE_GRID."""
    error = relative_error(given, measured)
    if error <= DERIVATIVE_GOOD:
        return "ok", f"your derivative matches the measured slope (relative error {error:.1e})"
    if error <= DERIVATIVE_BAD:
        return "warn", (
            f"your derivative is close to the measured slope but not exact (relative error "
            f"{error:.1e}; a right one gives about 1e-8 or less)"
        )
    i = int(np.argmax(np.abs(given - measured)))
    message = (
        f"{who} does not match the measured slope (relative error {error:.2e}): at z = "
        f"{SLOPE_GRID[i]:.3g} yours gives {given[i]:.4g} but the measured slope is "
        f"{measured[i]:.4g}"
    )
    scale = np.dot(given, measured) / max(np.dot(measured, measured), 1e-300)
    if relative_error(given, -measured) < DERIVATIVE_GOOD * 10:
        return "fail", message + ". It has the wrong sign everywhere: check the minus signs"
    if abs(scale) > 1e-12 and relative_error(given, scale * measured) < DERIVATIVE_GOOD * 10:
        return (
            "fail",
            message + f". It is off by a constant factor of about {scale:.3g}: check the constants",
        )
    return "fail", message + (
        ". Compare the two curves in the plot to see where they part; derive it again with the "
        "chain rule"
    )


def make_activation(
    fn: Callable, derivative: Callable | None = None, name: str = "yours"
) -> Activation:
    """An `Activation` (usable in `MLP`) from a function and, optionally, its derivative; without
    one, the slope is measured by central differences. Call `try_activation` first to check."""
    slope = quietly(derivative) if derivative is not None else central_difference(fn)
    given = r"\text{yours}" if derivative is not None else r"\text{measured}"
    return Activation(name, name, r"\text{your formula}", given, quietly(fn), slope)


def check_activation(
    fn: object, derivative: object = None, name: str = "your activation", check_speed: bool = True
) -> ActivationReport:
    """Run the checks (no measurements). Never raises."""
    report = ActivationReport(name=name)
    try:
        _usable(fn, name)
        report.add(
            "vectorised", "ok", f"{name} is a function of the whole array, element by element"
        )
        warning = _finite(fn, name)
        ok_text = f"{name} is finite for every z in [-50, 50] and at ±1000"
        report.add("finite", "warn" if warning else "ok", warning or ok_text)
        if check_speed and (slow := _slowness(fn, name)):
            report.add("speed", "warn", slow)
        measured = central_difference(fn)
        report.curves = {"g": quietly(fn)(trial.PLOT_Z), "measured": measured(trial.PLOT_Z)}
        if derivative is None:
            report.add(
                "derivative",
                "ok",
                "no derivative given: the lab measures the slope by central differences, "
                "(g(z + h) − g(z − h)) / 2h",
            )
        else:
            who = f"the derivative of {name}"
            if callable(given_fn := derivative):

                def derivative(z):  # a constant slope (2 for 2z) may come back as one number
                    out = given_fn(z)
                    return np.full(np.shape(z), out) if isinstance(out, int | float) else out

            _usable(derivative, who)
            if warning := _finite(derivative, who):
                report.add("finite", "warn", warning)
            report.curves["given"] = quietly(derivative)(trial.PLOT_Z)
            given, slope = quietly(derivative)(SLOPE_GRID), measured(SLOPE_GRID)
            report.derivative_error = relative_error(given, slope)
            status, message = _derivative_finding(given, slope, who)
            if status == "fail":
                raise Refusal("derivative", message)
            report.add("derivative", status, message)
        act = make_activation(fn, derivative, name)
        d = act.derivative(SHAPE_GRID)
        peak = max(d.max(), act.derivative(SLOPE_GRID).max())  # SHAPE_GRID leaves out z = 0
        if peak <= 1e-9 and d[0] >= -1e-9:
            raise Refusal(
                "shape",
                f"{name} has slope zero everywhere (a constant or a step): no gradient flows "
                "through it, so a network cannot learn with it",
            )
        if np.allclose(d, d[len(d) // 2], rtol=1e-6, atol=1e-9):
            report.add(
                "shape",
                "warn",
                f"{name} is a straight line: stacked layers collapse into one (notebook 02), so "
                "the boundary cannot bend",
            )
        report.activation = act
        at_0 = float(act.derivative(np.zeros(1))[0])  # the grids leave z = 0 out
        report.summary = _summary(at_0, max(peak, at_0), d[0], d[-1])
    except Refusal as refusal:
        report.add(refusal.key, "fail", str(refusal))
    except Exception as exc:  # never a traceback in front of the learner
        report.add("internal", "fail", f"the lab could not finish: {type(exc).__name__}: {exc}")
    return report


def _summary(at_0: float, peak: float, left: float, right: float) -> str:
    """The slope at 0, its largest value and at z = -50 and +50, and what that makes it."""
    num = [("0" if abs(x) < 1e-9 else f"{x:.3g}") for x in (at_0, peak, left, right)]
    said = (
        f"Its slope is {num[0]} at z = 0, at most {num[1]}, and {num[2]} at z = −50 and "
        f"{num[3]} at z = +50"
    )
    if abs(left) < 1e-3 and abs(right) < 1e-3:
        return said + ": it saturates on both sides, like sigmoid and tanh."
    return said + (": it is flat for large negative z, like ReLU." if abs(left) < 1e-3 else ".")


def try_activation(
    fn: object,
    derivative: object = None,
    name: str = "your activation",
    plot: bool = True,
    data: str = "moons",
) -> ActivationReport:
    """Check a learner's activation, then (if usable) measure its gradient flow and a short
    training run beside ReLU, on the moons or (data="digits") on real digits. Returns an
    `ActivationReport` that displays itself; never raises."""
    report = check_activation(fn, derivative, name)
    try:
        if data not in trial.DATASETS:
            raise Refusal(
                "data", f"data={data!r} is not a data set here; use one of {trial.DATASETS}"
            )
        if report.ok and report.activation is not None:
            report.yours = trial.measure(report.activation, dataset=data)
            report.relu = trial.measure("relu", dataset=data)
            report.add("flow", *trial.flow_finding(report.yours.flow))
            report.add("training", *trial.training_finding(report.yours, report.relu))
        if plot and report.curves:
            report.figure = trial.trial_figure(report.curves, report.yours, report.relu, data)
    except Refusal as refusal:
        report.add(refusal.key, "fail", str(refusal))
    except Exception as exc:  # never a traceback in front of the learner
        report.add("internal", "fail", f"the lab could not finish: {type(exc).__name__}: {exc}")
    return report
