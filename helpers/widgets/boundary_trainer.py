"""Notebook 02's live boundary trainer, in the spirit of TensorFlow Playground: pick a data set,
an activation (or none), the hidden layers and their width and a learning rate, then train and
watch the decision boundary and the loss change (the training itself: `TrainingWidget`).
"""

from __future__ import annotations

import ipywidgets as ipw
from matplotlib.figure import Figure

from helpers.network import MLP
from helpers.widgets.base import register
from helpers.widgets.controls import dropdown, slider
from helpers.widgets.training import (
    TrainingWidget,
    dataset_control,
    learning_rate_control,
    toy_data,
)

ACTIVATIONS = {"none (linear)": "identity", "tanh": "tanh", "ReLU": "relu", "sigmoid": "sigmoid"}


class BoundaryTrainer(TrainingWidget):
    """Train a small network on a 2-D data set and watch its decision boundary move."""

    figure_text = (
        "Left: the data, class 0 as circles and class 1 as squares, and the network's decision "
        "boundary, the plane shaded by its predicted probability of class 1. Right: the "
        "training loss over the steps so far, log scale."
    )
    BUDGET = 3000  # steps one press of Train trains; press it again to go on
    PAUSE = 0.03

    def __init__(
        self,
        dataset: str = "circles",
        activation: str = "tanh",
        hidden_layers: int = 1,
        width: int = 4,
        learning_rate: float = 0.3,
        seed: int = 0,
    ) -> None:
        fig = Figure(figsize=(8.4, 3.8), layout="constrained")
        fig.get_layout_engine().set(w_pad=0.2)  # room for a wider step count once training runs
        ax_data, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.2]})
        self.add_panels(ax_data, ax_loss, *toy_data(dataset, seed), loss_ticks=4, square=True)
        ax_data.set_aspect("equal", adjustable="box")
        w = "8.5em"  # the labels' width, in em: it grows with projector mode's font
        label = {v: k for k, v in ACTIVATIONS.items()}[activation]
        controls: dict[str, ipw.Widget] = {
            "dataset": dataset_control(dataset, w),
            "activation": dropdown("activation", list(ACTIVATIONS), label, w),
            "hidden_layers": slider("hidden layers", hidden_layers, 0, 4, label_width=w),
            "width": slider("width", width, 1, 16, label_width=w),
            "learning_rate": learning_rate_control(learning_rate, w),
        }
        super().__init__(controls, fig, seed)

    def config(self) -> tuple[str, str, int, int]:
        """(data set, activation name, hidden layers, width) as the controls say."""
        c = self.controls
        act = ACTIVATIONS[c["activation"].value]
        return c["dataset"].value, act, int(c["hidden_layers"].value), int(c["width"].value)

    def build_network(self, config: tuple[str, str, int, int]) -> MLP:
        _, activation, layers, width = config
        sizes = [2] + [width] * layers + [1]
        return MLP(sizes, activation, init="xavier", seed=self.seed, loss="cross_entropy")

    def update(self) -> str:
        self.follow_controls()
        loss, accuracy = self.show_progress()
        _, _, layers, width = self.config()
        shape = " → ".join(["2"] + [str(width)] * layers + ["1"])
        activation = self.controls["activation"].value
        return self.status(f"{shape}, activation <b>{activation}</b>", loss, accuracy)


boundary_trainer = register("boundary_trainer")(BoundaryTrainer)  # what the notebook calls
