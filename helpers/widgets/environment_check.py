"""Notebook 00's readiness check: one slider that reshapes one curve."""

from __future__ import annotations

import numpy as np

from helpers.activations import get
from helpers.plots import new_figure
from helpers.style import activation_style
from helpers.widgets.base import CourseWidget, register
from helpers.widgets.controls import slider


class EnvironmentCheck(CourseWidget):
    """Drag the slider: the sigmoid curve sigma(k z) gets steeper or flatter."""

    figure_text = (
        "The sigmoid curve sigma(k z) for z from -6 to 6; the slider sets its steepness k."
    )

    def __init__(self) -> None:
        self.z = np.linspace(-6, 6, 400)
        fig, (ax,) = new_figure(width=5.0, height=2.8)
        (self.line,) = ax.plot(self.z, get("sigmoid")(self.z), **activation_style("sigmoid"))
        self.line.set_animated(True)  # the one artist the slider changes
        ax.set(xlabel="$z$", ylabel=r"$\sigma(k\,z)$", ylim=(-0.05, 1.05), title="sigmoid")
        super().__init__({"steepness": slider("k", 1.0, 0.2, 5.0, step=0.2)}, fig)

    def update(self) -> str:
        k = self.controls["steepness"].value
        self.line.set_ydata(get("sigmoid")(k * self.z))
        return (
            rf"Showing $\sigma({k:.1f}\,z)$. If moving the slider moves the curve, you are ready."
        )


environment_check = register("environment_check")(EnvironmentCheck)  # what the notebook calls
