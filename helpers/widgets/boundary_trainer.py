"""Notebook 02's live boundary trainer, in the spirit of TensorFlow Playground: pick a data set,
an activation (or none), the hidden layers and their width and a learning rate, then train and
watch the decision boundary and the loss change.

Training runs in short chunks with a pause between them (an asyncio task on the kernel's event
loop), so the notebook never freezes and the Pause button answers at once. `train_steps(n)` does
the same work synchronously, for tests and benchmarks. Every run is seeded: Reset gives the same
run again.
"""

from __future__ import annotations

import asyncio

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator
from scipy.special import expit

from helpers import data
from helpers.network import MLP
from helpers.plots import OKABE_ITO, BoundaryView, boundary_grid
from helpers.widgets.base import CourseWidget, error_html, register

ACTIVATIONS = {"none (linear)": "identity", "tanh": "tanh", "ReLU": "relu", "sigmoid": "sigmoid"}
N_POINTS = 200
RESOLUTION = 70  # boundary grid: 70 x 70 scores per redraw
CHUNK = 25  # gradient steps between two redraws
MAX_STEPS = 3000  # Train stops here; press it again to go on
LOSS_FLOOR, LOSS_CEILING = 1e-3, 3.0


class BoundaryTrainer(CourseWidget):
    """Train a small network on a 2-D data set and watch its decision boundary move."""

    def __init__(
        self,
        dataset: str = "circles",
        activation: str = "tanh",
        hidden_layers: int = 1,
        width: int = 4,
        learning_rate: float = 0.3,
        seed: int = 0,
    ) -> None:
        self.seed = seed
        self.net: MLP | None = None
        self.steps_done = 0
        self.steps_log: list[int] = []
        self.loss_log: list[float] = []
        self.running = False
        self._task: asyncio.Task | None = None
        self._config: tuple | None = None
        self._data_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        fig = Figure(figsize=(8.4, 3.8), layout="constrained")
        fig.get_layout_engine().set(w_pad=0.2)  # room for a wider step count once training runs
        ax_data, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        X, y = self._data(dataset)
        self.view = BoundaryView(ax_data, X, y, resolution=RESOLUTION)
        self.scatters = list(ax_data.collections[-2:])  # class 0 and class 1, in that order
        ax_data.set_aspect("equal", adjustable="box")
        (self.loss_line,) = ax_loss.plot([], [], color=OKABE_ITO["blue"])
        ax_loss.set(
            yscale="log",
            ylim=(LOSS_FLOOR, LOSS_CEILING),
            xlim=(0, 500),
            xlabel="training step",
            ylabel="loss (cross-entropy)",
        )
        # few tick labels: text is most of a redraw's cost
        ax_loss.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        for axis in (ax_data.xaxis, ax_data.yaxis):
            axis.set_major_locator(MaxNLocator(5))
        self.ax_data, self.ax_loss = ax_data, ax_loss
        # plain texts as titles: Axes.set_title re-measures every tick label on each draw
        self.data_title = ax_data.text(
            0.5, 1.02, "", ha="center", va="bottom", fontsize=12, transform=ax_data.transAxes
        )
        self.loss_title = ax_loss.text(
            0.5, 1.02, "", ha="center", va="bottom", fontsize=12, transform=ax_loss.transAxes
        )

        style = {"description_width": "110px"}
        controls: dict[str, ipw.Widget] = {
            "dataset": ipw.Dropdown(
                options=list(data.DATASETS), value=dataset, description="data set", style=style
            ),
            "activation": ipw.Dropdown(
                options=list(ACTIVATIONS),
                value={v: k for k, v in ACTIVATIONS.items()}[activation],
                description="activation",
                style=style,
            ),
            "hidden_layers": ipw.IntSlider(
                value=hidden_layers, min=0, max=4, description="hidden layers", style=style
            ),
            "width": ipw.IntSlider(value=width, min=1, max=16, description="width", style=style),
            "learning_rate": ipw.FloatLogSlider(
                value=learning_rate,
                base=10,
                min=-3,
                max=0.5,
                step=0.25,
                description="learning rate",
                readout_format=".3g",
                style=style,
            ),
        }
        self.buttons = {
            "train": ipw.Button(description="Train", icon="play", button_style="success"),
            "step": ipw.Button(description=f"Step (+{CHUNK})", icon="step-forward"),
            "reset": ipw.Button(description="Reset", icon="undo"),
        }
        for button in self.buttons.values():
            button.layout = ipw.Layout(width="auto")
        self.buttons["train"].on_click(lambda _: self.toggle_training())
        self.buttons["step"].on_click(lambda _: self.train_steps(CHUNK))
        self.buttons["reset"].on_click(lambda _: self.reset())
        controls["buttons"] = ipw.HBox(list(self.buttons.values()))
        super().__init__(controls, fig)

    # ---- state ------------------------------------------------------------------------------
    def _data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._data_cache:
            self._data_cache[name] = data.make(name, N_POINTS, seed=self.seed)
        return self._data_cache[name]

    def config(self) -> tuple[str, str, int, int]:
        """(data set, activation name, hidden layers, width) as the controls say."""
        c = self.controls
        return (
            c["dataset"].value,
            ACTIVATIONS[c["activation"].value],
            int(c["hidden_layers"].value),
            int(c["width"].value),
        )

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self._data(self.config()[0])

    def _new_network(self) -> None:
        """A fresh, seeded network for the current settings; forgets the loss curve."""
        dataset, activation, layers, width = self.config()
        self.stop()
        if dataset != (self._config or (None,))[0]:
            self._show_dataset(*self._data(dataset))
        self.net = MLP(
            [2] + [width] * layers + [1],
            activation,
            init="xavier",
            seed=self.seed,
            loss="cross_entropy",
        )
        self.steps_done = 0
        self.steps_log, self.loss_log = [], []
        self._config = self.config()

    def _show_dataset(self, X: np.ndarray, y: np.ndarray) -> None:
        """Move the points and the background grid to a new data set (same artists)."""
        view = self.view
        view.xx, view.yy, view.points = boundary_grid(X, RESOLUTION)
        extent = (view.xx.min(), view.xx.max(), view.yy.min(), view.yy.max())
        view.image.set_extent(extent)
        for label, scatter in enumerate(self.scatters):
            scatter.set_offsets(X[y == label])
        self.ax_data.set(xlim=extent[:2], ylim=extent[2:])

    def _check_finite(self) -> None:
        """Raise a message the learner can act on if training has blown the weights up."""
        if not all(np.isfinite(w).all() for w in self.net.weights + self.net.biases):
            self.stop()
            raise FloatingPointError(
                f"the weights grew too large to compute by step {self.steps_done}: the "
                "learning rate is too high for this network. Lower it and press Reset."
            )

    def probabilities(self, points: np.ndarray) -> np.ndarray:
        """The network's probability of class 1 at each point."""
        return expit(self.net.forward(points)[:, 0])

    def accuracy(self) -> float:
        X, y = self.data
        return self.net.accuracy(X, y)

    # ---- drawing ----------------------------------------------------------------------------
    def update(self) -> str:
        if self.config() != self._config:
            self._new_network()
        self._check_finite()
        X, y = self.data
        self.view.update(self.probabilities(self.view.points))
        steps = np.asarray(self.steps_log)
        losses = np.clip(np.asarray(self.loss_log), LOSS_FLOOR, LOSS_CEILING)
        self.loss_line.set_data(steps, losses)
        right = max(500, int(np.ceil((self.steps_done + 1) / 500)) * 500)
        if self.ax_loss.get_xlim()[1] != right:
            self.ax_loss.set_xlim(0, right)
        loss = self.net.loss(X, y)
        accuracy = self.net.accuracy(X, y)
        dataset, activation, layers, width = self.config()
        shape = " → ".join(["2"] + [str(width)] * layers + ["1"])
        self.data_title.set_text(f"{dataset}: accuracy {accuracy:.0%}")
        self.loss_title.set_text(f"loss after {self.steps_done} steps: {loss:.3g}")
        state = "training…" if self.running else "paused" if self.steps_done else "ready"
        return (
            f"network {shape}, activation <b>{self.controls['activation'].value}</b> · "
            f"step {self.steps_done} · loss {loss:.3g} · accuracy {accuracy:.1%} · <i>{state}</i>"
        )

    # ---- training ---------------------------------------------------------------------------
    def train_steps(self, n: int = CHUNK, redraw: bool = True) -> None:
        """Train `n` full-batch gradient steps now, then redraw (unless redraw=False)."""
        try:
            if self.config() != self._config:
                self._new_network()
            X, y = self.data
            lr = float(self.controls["learning_rate"].value)
            # a learning rate that is too large makes the weights overflow: that is shown as a
            # message below, so numpy's own warning is not wanted here
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                history = self.net.train(X, y, steps=int(n), lr=lr)
            self.steps_log.extend(self.steps_done + np.asarray(history.step))
            self.loss_log.extend(history.loss)
            self.steps_done += int(n)
            self._check_finite()
        except Exception as exc:  # shown in place, like any update error
            self.stop()
            self.last_error = exc
            self.message.value = error_html(exc)
            return
        if redraw:
            self.refresh()

    def toggle_training(self) -> None:
        """Train in the background (chunks with pauses between them), or pause."""
        if self.running:
            self.stop()
            self.refresh()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain script): train one budget synchronously
            self.train_steps(max(CHUNK, MAX_STEPS - self.steps_done))
            return
        self._set_running(True)
        self._task = loop.create_task(self._train_in_background())

    async def _train_in_background(self) -> None:
        try:
            while self.running and self.steps_done < MAX_STEPS:
                self.train_steps(CHUNK)
                await asyncio.sleep(0.03)  # let the kernel handle clicks and slider moves
        finally:
            self._set_running(False)
            self.refresh()

    def _set_running(self, running: bool) -> None:
        self.running = running
        train = self.buttons["train"]
        train.description, train.icon = ("Pause", "pause") if running else ("Train", "play")
        train.button_style = "warning" if running else "success"

    def stop(self) -> None:
        """Stop background training after the current chunk."""
        if self.running:
            self._set_running(False)

    def reset(self) -> None:
        """The same seeded start again: fresh weights, empty loss curve."""
        self._config = None
        self.refresh()


@register("boundary_trainer")
def boundary_trainer() -> BoundaryTrainer:
    """The trainer on circles with one hidden tanh layer of 4 units: press Train."""
    return BoundaryTrainer()
