"""Notebook 01's interactive neuron: three inputs, their weights and a bias on sliders, a gate
chosen from a dropdown. It shows the weighted sum z with the live numbers, the gate's curve with
a marker at (z, g(z)), and a bar for how strongly the neuron fires."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers.activations import get
from helpers.style import OKABE_ITO, activation_style
from helpers.widgets.base import CourseWidget, register
from helpers.widgets.controls import Slider, dropdown, slider

GATES = {"step": "step", "sigmoid": "sigmoid", "tanh": "tanh", "ReLU": "relu"}
N_INPUTS = 3
INPUT_RANGE = 1.0  # each x_i in [-1, 1]
WEIGHT_RANGE = 2.0  # each w_i and b in [-2, 2], so |z| <= 3 * 1 * 2 + 2 = 8
Z_LIMIT = N_INPUTS * INPUT_RANGE * WEIGHT_RANGE + WEIGHT_RANGE
# The y range of the curve and of the bar, per gate: where the output can go for |z| <= 8.
Y_LIMITS = {"step": (0.0, 1.0), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, Z_LIMIT)}


def _number(v: float) -> str:
    """A number for the filled-in formula, in brackets when negative."""
    text = f"{v:.2f}"
    return f"({text})" if v < 0 else text


def neuron_output(x, w, b: float, gate: str) -> tuple[float, float]:
    """z = w . x + b and a = g(z) for one neuron."""
    z = float(np.dot(w, x) + b)
    return z, float(get(gate)(z))


START_X = (0.5, -0.3, 0.8)  # the inputs and weights the neuron starts with (01 quotes them)
START_W = (1.2, 0.6, -0.5)


class Neuron(CourseWidget):
    """Move the sliders: z, the marker on the gate's curve and the 'fires' bar follow."""

    figure_text = (
        "Left: the gate's curve, output a = g(z) against the weighted sum z, with a dot at the "
        "current z. Right: a bar for how strongly the neuron fires, as a share of its range."
    )

    def __init__(
        self,
        x: tuple[float, ...] = START_X,
        w: tuple[float, ...] = START_W,
        b: float = 0.3,
        gate: str = "sigmoid",
    ) -> None:
        self.z_grid = np.linspace(-Z_LIMIT, Z_LIMIT, 801)
        fig = Figure(figsize=(7.6, 3.2), layout="constrained")
        ax_curve, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [4, 1]})
        (self.curve,) = ax_curve.plot(self.z_grid, self.z_grid, lw=2.2)
        self.z_line = ax_curve.axvline(0.0, color=OKABE_ITO["grey"], ls="--", lw=1.2)
        (self.marker,) = ax_curve.plot(
            [0.0], [0.0], "o", ms=11, color=OKABE_ITO["vermillion"], mec="white", mew=1.5
        )
        ax_curve.set(
            xlim=(-1.04 * Z_LIMIT, 1.04 * Z_LIMIT),
            xlabel="weighted sum $z$",
            ylabel="output $a = g(z)$",
        )
        self.ax_curve = ax_curve
        (self.bar,) = ax_bar.bar([0.0], [0.0], width=0.6, color=OKABE_ITO["vermillion"])
        # the bar shares the curve's y scale, so it needs no tick labels of its own
        ax_bar.set(xlim=(-0.6, 0.6), xticks=[])
        ax_bar.tick_params(labelleft=False)
        ax_curve.xaxis.set_major_locator(MaxNLocator(5))
        ax_curve.yaxis.set_major_locator(MaxNLocator(5))
        ax_bar.yaxis.set_major_locator(MaxNLocator(5))
        ax_bar.grid(True, axis="y")
        self.ax_bar = ax_bar
        self.curve_title, self.bar_title = ax_curve.title, ax_bar.title
        # what the sliders move; the gate's curve and title change only with the dropdown
        for artist in (self.z_line, self.marker, self.bar, ax_bar.title):
            artist.set_animated(True)

        def number(name: str, value: float, limit: float) -> Slider:
            return slider(name, value, -limit, limit, step=0.1, fmt=".1f", label_width="7em")

        controls: dict[str, ipw.Widget] = {}
        for i in range(N_INPUTS):
            controls[f"x{i + 1}"] = number(f"input x{i + 1}", x[i], INPUT_RANGE)
        for i in range(N_INPUTS):
            controls[f"w{i + 1}"] = number(f"weight w{i + 1}", w[i], WEIGHT_RANGE)
        controls["b"] = number("bias b", b, WEIGHT_RANGE)
        label = {v: k for k, v in GATES.items()}[get(gate).name]
        controls["gate"] = dropdown("gate g", list(GATES), label, label_width="7em")
        self._shown_gate: str | None = None
        super().__init__(controls, fig)

    def values(self) -> tuple[np.ndarray, np.ndarray, float, str]:
        """The sliders' current x, w, b and the gate's registry name."""
        c = self.controls
        x = np.array([c[f"x{i + 1}"].value for i in range(N_INPUTS)])
        w = np.array([c[f"w{i + 1}"].value for i in range(N_INPUTS)])
        return x, w, float(c["b"].value), GATES[c["gate"].value]

    def _show_gate(self, gate: str) -> None:
        """Redraw the curve for a newly chosen gate (only when the dropdown changes)."""
        act, style = get(gate), activation_style(gate)
        self.curve.set_ydata(act(self.z_grid))
        self.curve.set_color(style["color"])
        lo, hi = Y_LIMITS[gate]
        pad = 0.06 * (hi - lo)
        for ax in (self.ax_curve, self.ax_bar):
            ax.set_ylim(lo - pad, hi + pad)
        self.ax_curve.set_title(f"the gate: {act.label}")
        self._shown_gate = gate

    def update(self) -> str:
        x, w, b, gate = self.values()
        if gate != self._shown_gate:
            self._show_gate(gate)
        z, a = neuron_output(x, w, b, gate)
        self.z_line.set_xdata([z, z])
        self.marker.set_data([z], [a])
        self.bar.set_height(a)
        lo, hi = Y_LIMITS[gate]
        strength = (a - lo) / (hi - lo)
        self.bar_title.set_text(f"fires: {strength:.0%}")
        terms = " + ".join(f"{_number(wi)}\\cdot{_number(xi)}" for wi, xi in zip(w, x))
        gate_tex = {"step": r"\mathrm{step}", "sigmoid": r"\sigma", "tanh": r"\tanh"}.get(
            gate, r"\mathrm{ReLU}"
        )
        return (
            # z on two lines: narrow enough for the column beside the controls
            "$z = w_1x_1 + w_2x_2 + w_3x_3 + b$<br>"
            rf"$\phantom{{z}} = {terms} + {_number(b)} = {z:.2f}$<br>"
            f"$a = {gate_tex}(z) = {gate_tex}({_number(z)}) = {a:.3f}$"
            f"&nbsp;&nbsp; (the neuron fires at {strength:.0%} of its range)"
        )


neuron = register("neuron")(Neuron)  # what the notebook calls
