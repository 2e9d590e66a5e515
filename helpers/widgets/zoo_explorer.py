"""Notebook 03's zoo: the table of formulas, and the explorer widget (overlay activations, show
their slopes, read g(z) and g'(z) at a marker)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as ipw
import numpy as np
from IPython.display import Markdown

from helpers.activations import ZOO, get
from helpers.plots import new_figure
from helpers.style import OKABE_ITO, activation_style
from helpers.widgets.base import CourseWidget, register
from helpers.widgets.controls import slider

Z_RANGE = (-5.0, 5.0)


def formula_table(names: Sequence[str] = ZOO) -> Markdown:
    """A Markdown table of each activation's formula and derivative, straight from the
    registry's LaTeX (so the table and the code can never disagree). Headers carry words, which a
    screen reader reads (a header of formula alone counts as empty)."""
    rows = ["| activation | value $g(z)$ | slope $g'(z)$ |", "|---|---|---|"]
    for name in names:
        act = get(name)
        rows.append(f"| {act.label} | ${act.formula}$ | ${act.derivative_formula}$ |")
    return Markdown("\n".join(rows))


def _break_jumps(y: np.ndarray, jump: float = 0.2) -> np.ndarray:
    """y with NaN inserted where it jumps (step, ReLU's slope), so no false vertical line is drawn
    across a discontinuity. On the 801-point grid no continuous zoo curve moves 0.2 per point."""
    y = y.copy()
    y[1:][np.abs(np.diff(y)) > jump] = np.nan
    return y


class ZooExplorer(CourseWidget):
    """Pick activations to overlay; tick "slopes" to add each g'(z) as a dotted line of the
    same colour; move the z marker and read g(z) and g'(z) for every picked function.

    Every line and marker is made once, in a frame that fits every function of the zoo (so
    picking never rescales and functions are compared on the same scale), and animated: a
    change toggles visibility and moves data. Only a new pick builds a new legend, at the
    right of the axes, in room kept for the longest one."""

    figure_text = (
        "The chosen activations g(z) as solid lines, each with its own colour and marker, their"
        " slopes g'(z) dotted in the same colour when shown, and a vertical line at the chosen "
        "z."
    )

    def __init__(self, selected: tuple[str, ...] = ("sigmoid", "tanh", "relu"), z: float = 1.0):
        self.z = np.linspace(*Z_RANGE, 801)
        self.name_of = {get(name).label: name for name in ZOO}
        fig, (ax,) = new_figure(width=7.2, height=4.0)
        fig.set_layout_engine("none")  # room for the legend is fixed, whatever is picked
        ax.set_position([0.08, 0.12, 0.67, 0.8])
        self.ax = ax
        self.values, self.slopes, self.value_dots, self.slope_dots = {}, {}, {}, {}
        for name in ZOO:
            act, style = get(name), activation_style(name)
            g, dg = act(self.z), act.derivative(self.z)
            colour = style["color"]
            (self.values[name],) = ax.plot(self.z, _break_jumps(g), label=act.label, **style)
            (self.slopes[name],) = ax.plot(self.z, _break_jumps(dg), color=colour, ls=":", lw=1.6)
            (self.value_dots[name],) = ax.plot([0], [0], "o", color=colour, ms=7, zorder=5)
            (self.slope_dots[name],) = ax.plot(
                [0], [0], "o", mfc="white", mec=colour, ms=7, zorder=5
            )
        self.marker = ax.axvline(0.0, color=OKABE_ITO["grey"], linewidth=1.2, zorder=4)
        ax.axhline(0.0, color="black", linewidth=0.6)
        ax.set(xlabel="$z$", xlim=(Z_RANGE[0] - 0.2, Z_RANGE[1] + 0.2))
        ax.set_ylim(ax.get_ylim())  # every curve's full range, kept: picking never rescales
        ax.set_title("solid: $g(z)$   dotted: slope $g'(z)$")
        lines = (self.values, self.slopes, self.value_dots, self.slope_dots)
        for artist in (self.marker, *(line for kind in lines for line in kind.values())):
            artist.set_animated(True)
        self._legend_for: list[str] | None = None
        labels = [get(n).label for n in ZOO]
        controls = {
            "functions": ipw.SelectMultiple(
                options=labels,
                value=tuple(get(n).label for n in selected),
                rows=len(ZOO),
                description="functions",
                layout=ipw.Layout(width="19em"),  # grows with projector mode's font
            ),
            "slopes": ipw.Checkbox(value=True, description="show slopes g'(z)", indent=False),
            "z": slider("z", z, *Z_RANGE, step=0.1, fmt=".1f"),
        }
        super().__init__(controls, fig)

    def selected(self) -> list[str]:
        """The picked activation names, in the zoo's order."""
        picked = {self.name_of[label] for label in self.controls["functions"].value}
        return [name for name in ZOO if name in picked]

    def legend_labels(self) -> list[str]:
        """The labels the legend shows, top to bottom."""
        legend = self.ax.get_legend()
        return [text.get_text() for text in legend.get_texts()] if legend else []

    def update(self) -> str:
        picked = self.selected()
        show_slopes = self.controls["slopes"].value
        z0 = float(self.controls["z"].value)
        self.marker.set_xdata([z0, z0])
        td = "<td style='padding:0 1em 0 0'>"
        rows = ""
        for name in ZOO:
            act, on = get(name), name in picked
            g0, dg0 = float(act(z0)), float(act.derivative(z0))
            self.values[name].set_visible(on)
            self.value_dots[name].set_visible(on)
            self.value_dots[name].set_data([z0], [g0])
            self.slopes[name].set_visible(on and show_slopes)
            self.slope_dots[name].set_visible(on and show_slopes)
            self.slope_dots[name].set_data([z0], [dg0])
            if on:
                square = f"<span style='color:{activation_style(name)['color']}'>&#9632;</span>"
                rows += f"<tr>{td}{square} {act.label}</td>{td}{g0:.4g}</td>{td}{dg0:.4g}</td></tr>"
        if picked != self._legend_for:  # a new legend: the figure is drawn again whole
            self._legend_for = picked
            if self.ax.get_legend():
                self.ax.get_legend().remove()
            if picked:
                handles = [self.values[name] for name in picked]
                self.ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0))
        if not picked:
            return "Pick at least one function in the list (Ctrl- or Shift-click picks several)."
        header = "".join(
            f"<th style='text-align:left'>{h}</th>" for h in ("function", "g(z)", "g'(z)")
        )
        return f"<b>At z = {z0:.1f}</b><table><tr>{header}</tr>{rows}</table>"


zoo_explorer = register("zoo_explorer")(ZooExplorer)  # what the notebook calls
