"""Notebook 07's network builder: choose the depth, the width and one activation per hidden
layer, train on a toy data set, and watch three things at once: the decision boundary, the
loss, and the gradient flow (the size of each layer's weight gradient, on a log scale).

The training itself is `TrainingWidget`'s; this module holds the builder's controls, figure,
readout and gradient bars.
"""

from __future__ import annotations

import ipywidgets as ipw
import matplotlib as mpl
import numpy as np
from matplotlib.ticker import NullLocator

from helpers.activations import get, names
from helpers.network import MLP, gradient_norms
from helpers.plots import LayerBars, new_figure
from helpers.style import OKABE_ITO, activation_style
from helpers.widgets.base import register
from helpers.widgets.controls import dropdown, slider
from helpers.widgets.training import (
    TrainingWidget,
    dataset_control,
    learning_rate_control,
    toy_data,
)

MAX_LAYERS = 5  # hidden layers the builder offers
GRAD_FLOOR, GRAD_CEILING = 1e-10, 1e1
ACTIVATION_NAMES = names()
SHORT_LABELS = {
    "identity": "none",
    "leaky_relu": "leaky",
    "softplus": "soft+",
    "sigmoid": "σ",
    "silu": "SiLU",
}


def builder_network(acts: tuple[str, ...], width: int, init: str, seed: int = 0) -> MLP:
    """The network the builder trains: 2 inputs, one hidden layer of `width` units per
    activation in `acts`, one output read as a logit (cross-entropy)."""
    sizes = [2] + [width] * len(acts) + [1]
    return MLP(sizes, list(acts), init=init, seed=seed, loss="cross_entropy")


START_DATASET, START_WIDTH, START_SEED = "spirals", 16, 0  # 07.builder_depth uses them too


class NetworkBuilder(TrainingWidget):
    """A network with one activation per hidden layer: its boundary, loss and gradient flow."""

    figure_text = (
        "Left: the data and the network's decision boundary. Middle: the training loss. Right: "
        "one bar per layer, named under it, for the weight-gradient norm on a log scale, "
        "coloured by the layer's activation."
    )

    def __init__(
        self,
        dataset: str = START_DATASET,
        activations: tuple[str, ...] = ("tanh", "tanh", "relu"),
        width: int = START_WIDTH,
        learning_rate: float = 0.3,
        init: str = "xavier",
        seed: int = START_SEED,
    ) -> None:
        # 1050 x 340 pixels: every redraw encodes this many as PNG
        fig, (ax_data, ax_loss, ax_grad) = new_figure(3, width=10.5, height=3.4)
        self.add_panels(ax_data, ax_loss, *toy_data(dataset, seed), loss_ticks=5)
        self.bars = LayerBars(
            ax_grad,
            MAX_LAYERS + 1,
            r"$\|\partial L / \partial W\|$ (log scale)",
            ylim=(GRAD_FLOOR, GRAD_CEILING),
        )
        ax_grad.yaxis.set_minor_locator(NullLocator())  # major ticks only: fewer labels to draw
        # A slot for every layer the builder offers, and each bar's name as a text under it:
        # the names change with the network, and animated texts cost no full redraw
        ax_grad.set(xlim=(0.4, MAX_LAYERS + 1.6), xticks=[], xlabel="layer, first → output")
        ax_grad.xaxis.set_label_coords(0.5, -0.2)
        ax_grad.set_title("gradient flow, layer by layer")
        below = mpl.transforms.blended_transform_factory(ax_grad.transData, ax_grad.transAxes)
        self.bar_labels = [
            ax_grad.text(
                x + 0.25,  # rotated and right-aligned: the name ends under its bar's centre
                -0.03,
                "",
                transform=below,
                fontsize="small",
                rotation=35,
                ha="right",
                va="top",
                rotation_mode="anchor",
            )
            for x in range(1, MAX_LAYERS + 2)
        ]
        for artist in (*self.bars.bars, *self.bar_labels):
            artist.set_animated(True)
        self.ax_grad = ax_grad
        self.titles = [ax_data.title, ax_loss.title, ax_grad.title]

        w = "7.7em"  # the labels' width, in em: it grows with projector mode's font
        act_names = list(activations) + ["relu"] * (MAX_LAYERS - len(activations))
        choices = [(get(name).label, name) for name in ACTIVATION_NAMES]
        controls: dict[str, ipw.Widget] = {
            "dataset": dataset_control(dataset, w),
            # the network is rebuilt on release, not on every pixel of a drag
            "hidden_layers": slider(
                "hidden layers", len(activations), 1, MAX_LAYERS, continuous=False, label_width=w
            ),
            "width": slider("width", width, 2, 32, continuous=False, label_width=w),
        }
        for i in range(MAX_LAYERS):
            name = get(act_names[i]).name
            controls[f"layer_{i + 1}"] = dropdown(f"layer {i + 1}", choices, name, w)
        controls["init"] = dropdown("init", ["xavier", "he", "normal"], init, w)
        controls["learning_rate"] = learning_rate_control(learning_rate, w, continuous=False)
        super().__init__(controls, fig, seed, layout="column")

    # ---- the network ------------------------------------------------------------------------
    def config(self) -> tuple[str, tuple[str, ...], int, str]:
        """(data set, one activation per hidden layer, width, init) as the controls say."""
        c = self.controls
        layers = int(c["hidden_layers"].value)
        acts = tuple(c[f"layer_{i + 1}"].value for i in range(layers))
        return c["dataset"].value, acts, int(c["width"].value), c["init"].value

    def build_network(self, config: tuple[str, tuple[str, ...], int, str]) -> MLP:
        _, acts, width, init = config
        return builder_network(acts, width, init, self.seed)

    def _show_layers(self, acts: tuple[str, ...]) -> None:
        """Only the layers that exist can be chosen; one bar per layer, coloured by its
        activation, the output layer's grey."""
        n = len(acts)
        for i in range(MAX_LAYERS):
            self.controls[f"layer_{i + 1}"].disabled = i >= n
        for i, bar in enumerate(self.bars.bars):
            if i <= n:
                bar.set_color(activation_style(acts[i])["color"] if i < n else OKABE_ITO["grey"])
            bar.set_visible(i <= n)
        labels = [SHORT_LABELS.get(a, get(a).label) for a in acts] + ["out"]
        for i, text in enumerate(self.bar_labels):
            text.set_text(labels[i] if i < len(labels) else "")

    def update(self) -> str:
        _, acts, width, init = self.config()
        if self.follow_controls():
            self._show_layers(acts)
        loss, accuracy = self.show_progress()
        with np.errstate(all="ignore"):
            weight_norms = gradient_norms(self.net, *self.data)[0]
        self.grad_norms = np.zeros(MAX_LAYERS + 1)
        self.grad_norms[: len(weight_norms)] = weight_norms
        self.bars.update(np.where(np.isfinite(self.grad_norms), self.grad_norms, GRAD_CEILING))
        norms = self.grad_norms
        shape = " → ".join(["2"] + [f"{width} {get(a).label}" for a in acts] + ["1"])
        ratio = norms[0] / norms[len(acts) - 1] if norms[len(acts) - 1] > 0 else float("nan")
        more = f" · gradient, first / last hidden layer: {ratio:.3g}"
        return self.status(f"{shape} ({init} init)", loss, accuracy, more)


network_builder = register("network_builder")(NetworkBuilder)  # what the notebook calls
