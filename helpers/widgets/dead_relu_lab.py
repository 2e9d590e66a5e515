"""Notebook 06's dead-ReLU lab: push a network into the negative region and count dead units.

`dead_unit_run` trains a small network on the spirals in chunks and, after every chunk, counts
the hidden units that are *dead* (slope exactly 0 on every training example: no gradient can
ever reach them again) and the units that are *never active* (z <= 0 on every example). For
ReLU the two are the same; for Leaky ReLU, ELU, GELU and SiLU a never-active unit still has a
slope, so it can come back. The widget reruns it on every change and redraws one figure.
"""

from __future__ import annotations

import warnings

import ipywidgets as ipw
import numpy as np

from helpers import data
from helpers.network import MLP, hidden_layer_statistics
from helpers.plots import OKABE_ITO, activation_style, new_figure
from helpers.widgets.base import CourseWidget, register

BLOWN_UP = 100.0  # a loss above this (the start is about 0.7) means training diverged
LAB_ACTIVATIONS = ["relu", "leaky_relu", "elu", "gelu", "silu", "selu", "softplus", "tanh"]


def dead_unit_run(
    activation: str = "relu",
    lr: float = 2.0,
    bias_shift: float = -0.5,
    steps: int = 300,
    every: int = 10,
    width: int = 32,
    n: int = 200,
    seed: int = 1,
) -> dict[str, np.ndarray | bool]:
    """Train MLP([2, width, width, 1]) (He init, hidden biases shifted by `bias_shift`) on the
    spirals with full-batch gradient descent. Returns per checkpoint 'step', 'loss', 'dead' and
    'never_active' (fractions of all hidden units), and 'diverged' (the loss went above BLOWN_UP
    or stopped being a number; the run stops there)."""
    X, y = data.make("spirals", n=n, seed=0)
    net = MLP([2, width, width, 1], activation, init="he", seed=seed, loss="cross_entropy")
    for b in net.biases[:-1]:
        b += bias_shift
    out: dict[str, list] = {"step": [], "loss": [], "dead": [], "never_active": []}
    diverged = False
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for t in range(0, steps + 1, every):
            zs, _ = net.forward_cache(X)
            loss = net.loss(X, y)
            if not loss < BLOWN_UP or not all(np.all(np.isfinite(z)) for z in zs):
                diverged = True
                break
            hidden = zs[:-1]
            out["step"].append(t)
            out["loss"].append(loss)
            out["dead"].append(float(hidden_layer_statistics(net, zs)["dead"].mean()))
            out["never_active"].append(float(np.mean([np.all(z <= 0, axis=0) for z in hidden])))
            if t < steps:
                net.train(X, y, steps=every, lr=lr)
    result: dict[str, np.ndarray | bool] = {k: np.array(v) for k, v in out.items()}
    result["diverged"] = diverged
    return result


class DeadReluLab(CourseWidget):
    """Learning rate, bias shift and activation -> dead fraction and loss over training."""

    def __init__(self, activation: str = "relu", lr: float = 2.0, bias_shift: float = -0.5) -> None:
        fig, (ax_d, ax_l) = new_figure(ncols=2, width=9.0, height=3.4)
        (self.dead_line,) = ax_d.plot(
            [], [], color=OKABE_ITO["vermillion"], label="dead (no gradient)"
        )
        (self.never_line,) = ax_d.plot(
            [], [], color=OKABE_ITO["grey"], linestyle="--", label="never active ($z \\leq 0$)"
        )
        ax_d.set(
            xlim=(0, 300), ylim=(-0.02, 1.25), xlabel="training step", ylabel="fraction of units"
        )
        ax_d.set_yticks(np.linspace(0, 1, 6))
        ax_d.set_title("hidden units")
        ax_d.legend(loc="upper left", ncols=2, fontsize="small")  # in the strip above 1.0
        (self.loss_line,) = ax_l.plot([], [])
        ax_l.set(xlim=(0, 300), ylim=(0, 1.2), xlabel="training step", ylabel="loss")
        ax_l.set_title("training loss (cross-entropy)")
        controls = {
            "activation": ipw.Dropdown(
                options=LAB_ACTIVATIONS, value=activation, description="activation"
            ),
            "lr": ipw.FloatLogSlider(
                value=lr,
                base=10,
                min=-2,
                max=np.log10(4.0),
                step=0.05,
                description="learning rate",
                continuous_update=False,
                readout_format=".3g",
            ),
            "bias_shift": ipw.FloatSlider(
                value=bias_shift,
                min=-3.0,
                max=1.0,
                step=0.25,
                description="bias shift",
                continuous_update=False,
            ),
        }
        super().__init__(controls, fig)

    def update(self) -> str:
        act = self.controls["activation"].value
        lr, shift = self.controls["lr"].value, self.controls["bias_shift"].value
        run = dead_unit_run(act, lr=lr, bias_shift=shift)
        style = activation_style(act)
        self.dead_line.set_data(run["step"], run["dead"])
        self.never_line.set_data(run["step"], run["never_active"])
        self.loss_line.set_data(run["step"], np.minimum(run["loss"], 1.2))
        self.loss_line.set(**style)
        if run["diverged"]:
            ending = (
                f"<b>The loss blew up</b> after about {run['step'][-1] if run['step'].size else 0}"
                " steps: this learning rate is too large for this activation."
            )
        else:
            ending = f"Final loss <b>{run['loss'][-1]:.3f}</b>."
        if not run["step"].size:
            return ending
        return (
            f"{act}, learning rate {lr:.3g}, bias shift {shift:+.2f}: dead units "
            f"<b>{run['dead'][0]:.0%}</b> at the start, <b>{run['dead'][-1]:.0%}</b> at the end "
            f"(never active: {run['never_active'][-1]:.0%}). " + ending
        )


@register("dead_relu_lab")
def dead_relu_lab(**kwargs) -> DeadReluLab:
    """The dead-ReLU lab, starting from ReLU pushed by a large learning rate and bias shift."""
    return DeadReluLab(**kwargs)
