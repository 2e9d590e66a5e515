"""Notebook 07's network builder: choose the depth, the width and one activation per hidden
layer, train on a toy data set, and watch three things at once: the decision boundary, the
loss, and the gradient flow (the size of each layer's weight gradient, on a log scale).

Training runs in short chunks with a pause between them (an asyncio task on the kernel's event
loop), so the notebook never freezes and Pause answers at once. `train_steps(n)` does the same
work synchronously, for tests and benchmarks. Every run is seeded: Reset gives the same run.
"""

from __future__ import annotations

import asyncio

import ipywidgets as ipw
import numpy as np
from matplotlib.ticker import FormatStrFormatter, MaxNLocator, NullLocator
from scipy.special import expit

from helpers import data
from helpers.activations import get, names
from helpers.network import MLP
from helpers.plots import (
    OKABE_ITO,
    BoundaryView,
    LayerBars,
    activation_style,
    boundary_grid,
    new_figure,
)
from helpers.widgets.base import CourseWidget, error_html, register

MAX_LAYERS = 5  # hidden layers the builder offers
N_POINTS = 200
RESOLUTION = 70  # boundary grid: 70 x 70 scores per redraw
CHUNK = 25  # gradient steps between two redraws
BUDGET = 1500  # Train stops after this many steps; press it again to go on
LOSS_FLOOR, LOSS_CEILING = 1e-3, 3.0
GRAD_FLOOR, GRAD_CEILING = 1e-10, 1e1
ACTIVATION_NAMES = names()
SHORT_LABELS = {
    "identity": "none",
    "leaky_relu": "leaky",
    "softplus": "soft+",
    "sigmoid": "σ",
    "silu": "SiLU",
}


class NetworkBuilder(CourseWidget):
    """A network with one activation per hidden layer: its boundary, loss and gradient flow."""

    def __init__(
        self,
        dataset: str = "spirals",
        activations: tuple[str, ...] = ("tanh", "tanh", "relu"),
        width: int = 16,
        learning_rate: float = 0.3,
        init: str = "xavier",
        seed: int = 0,
    ) -> None:
        self.seed = seed
        self.net: MLP | None = None
        self.steps_done = 0
        self.steps_log: list[int] = []
        self.loss_log: list[float] = []
        self.grad_norms = np.zeros(MAX_LAYERS + 1)
        self.running = False
        self._task: asyncio.Task | None = None
        self._config: tuple | None = None
        self._bar_labels: list[str] = []
        self._data_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        fig, (ax_data, ax_loss, ax_grad) = new_figure(3, width=12.0, height=3.7)
        X, y = self._data(dataset)
        self.view = BoundaryView(ax_data, X, y, resolution=RESOLUTION)
        self.scatters = list(ax_data.collections[-2:])  # class 0 and class 1, in that order
        # one decimal on every tick label: the labels keep their width when the data set changes,
        # so the layout found on the first render still fits (x2's label is never cut off)
        ax_data.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        (self.loss_line,) = ax_loss.plot([], [], color=OKABE_ITO["blue"])
        ax_loss.set(
            yscale="log",
            ylim=(LOSS_FLOOR, LOSS_CEILING),
            xlim=(0, 500),
            xlabel="training step",
            ylabel="loss (cross-entropy)",
        )
        ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        self.bars = LayerBars(
            ax_grad,
            MAX_LAYERS + 1,
            r"$\|\partial L / \partial W\|$ (log scale)",
            ylim=(GRAD_FLOOR, GRAD_CEILING),
        )
        ax_grad.set_xlabel("layer, first → output")
        for ax in (ax_loss, ax_grad):  # log axes: major ticks only, far fewer labels to draw
            ax.yaxis.set_minor_locator(NullLocator())
        self.ax_data, self.ax_loss, self.ax_grad = ax_data, ax_loss, ax_grad
        # plain texts as titles: cheaper to change than Axes.set_title on every redraw
        self.titles = [
            ax.text(0.5, 1.02, "", ha="center", va="bottom", transform=ax.transAxes)
            for ax in (ax_data, ax_loss, ax_grad)
        ]
        self.titles[2].set_text("gradient flow, layer by layer")

        style = {"description_width": "100px"}
        act_names = list(activations) + ["relu"] * (MAX_LAYERS - len(activations))
        controls: dict[str, ipw.Widget] = {
            "dataset": ipw.Dropdown(
                options=list(data.DATASETS), value=dataset, description="data set", style=style
            ),
            "hidden_layers": ipw.IntSlider(
                value=len(activations),
                min=1,
                max=MAX_LAYERS,
                description="hidden layers",
                continuous_update=False,  # rebuild the network on release, not on every pixel
                style=style,
            ),
            "width": ipw.IntSlider(
                value=width,
                min=2,
                max=32,
                description="width",
                continuous_update=False,
                style=style,
            ),
        }
        for i in range(MAX_LAYERS):
            controls[f"layer_{i + 1}"] = ipw.Dropdown(
                options=[(get(name).label, name) for name in ACTIVATION_NAMES],
                value=get(act_names[i]).name,
                description=f"layer {i + 1}",
                style=style,
            )
        controls["init"] = ipw.Dropdown(
            options=["xavier", "he", "normal"], value=init, description="init", style=style
        )
        controls["learning_rate"] = ipw.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=-3,
            max=0.5,
            step=0.25,
            description="learning rate",
            readout_format=".3g",
            continuous_update=False,
            style=style,
        )
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
        super().__init__(controls, fig, layout="column")

    # ---- state ------------------------------------------------------------------------------
    def _data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._data_cache:
            self._data_cache[name] = data.make(name, N_POINTS, seed=self.seed)
        return self._data_cache[name]

    def config(self) -> tuple[str, tuple[str, ...], int, str]:
        """(data set, one activation per hidden layer, width, init) as the controls say."""
        c = self.controls
        layers = int(c["hidden_layers"].value)
        acts = tuple(c[f"layer_{i + 1}"].value for i in range(layers))
        return c["dataset"].value, acts, int(c["width"].value), c["init"].value

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self._data(self.config()[0])

    def _new_network(self) -> None:
        """A fresh, seeded network for the current settings; forgets the loss curve."""
        dataset, acts, width, init = self.config()
        self.stop()
        if dataset != (self._config or (None,))[0]:
            self._show_dataset(*self._data(dataset))
        self.net = MLP(
            [2] + [width] * len(acts) + [1],
            list(acts),
            init=init,
            seed=self.seed,
            loss="cross_entropy",
        )
        self.steps_done = 0
        self.steps_log, self.loss_log = [], []
        for i in range(MAX_LAYERS):  # only the layers that exist can be chosen
            self.controls[f"layer_{i + 1}"].disabled = i >= len(acts)
        self._style_bars(acts)
        self._measure_gradients()
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

    def _style_bars(self, acts: tuple[str, ...]) -> None:
        """One bar per layer that exists, coloured by its activation; the output layer grey."""
        n = len(acts)
        for i, bar in enumerate(self.bars.bars):
            if i < n:
                bar.set_color(activation_style(acts[i])["color"])
            elif i == n:
                bar.set_color(OKABE_ITO["grey"])
            bar.set_visible(i <= n)
        labels = [SHORT_LABELS.get(a, get(a).label) for a in acts] + ["out"]
        if labels == self._bar_labels:  # same layers: leave the axis alone (a cheaper redraw)
            return
        self._bar_labels = labels
        self.ax_grad.set_xticks(
            np.arange(1, n + 2),
            labels,
            fontsize="small",
            rotation=35,
            ha="right",
            rotation_mode="anchor",
        )
        self.ax_grad.set_xlim(0.4, n + 1.6)

    def _measure_gradients(self) -> None:
        X, y = self.data
        dWs, _ = self.net.gradients(X, y)
        norms = np.array([np.linalg.norm(d) for d in dWs])
        self.grad_norms = np.zeros(MAX_LAYERS + 1)
        self.grad_norms[: len(norms)] = norms

    def probabilities(self, points: np.ndarray) -> np.ndarray:
        """The network's probability of class 1 at each point."""
        return expit(self.net.forward(points)[:, 0])

    # ---- drawing ----------------------------------------------------------------------------
    def update(self) -> str:
        if self.config() != self._config:
            self._new_network()
        X, y = self.data
        dataset, acts, width, init = self.config()
        with np.errstate(all="ignore"):
            self.view.update(np.nan_to_num(self.probabilities(self.view.points), nan=0.5))
            loss, accuracy = self.net.loss(X, y), self.net.accuracy(X, y)
        steps = np.asarray(self.steps_log)
        losses = np.clip(np.asarray(self.loss_log), LOSS_FLOOR, LOSS_CEILING)
        self.loss_line.set_data(steps, losses)
        right = max(500, int(np.ceil((self.steps_done + 1) / 500)) * 500)
        if self.ax_loss.get_xlim()[1] != right:
            self.ax_loss.set_xlim(0, right)
        norms = self.grad_norms[: len(acts) + 1]
        self.bars.update(np.where(np.isfinite(self.grad_norms), self.grad_norms, GRAD_CEILING))
        self.titles[0].set_text(f"{dataset}: accuracy {accuracy:.0%}")
        self.titles[1].set_text(f"loss after {self.steps_done} steps: {loss:.3g}")
        shape = " → ".join(["2"] + [f"{width} {get(a).label}" for a in acts] + ["1"])
        state = "training…" if self.running else "paused" if self.steps_done else "ready"
        ratio = norms[0] / norms[len(acts) - 1] if norms[len(acts) - 1] > 0 else float("nan")
        return (
            f"network {shape} ({init} init) · step {self.steps_done} · loss {loss:.3g} · "
            f"accuracy {accuracy:.1%} · gradient, first / last hidden layer: {ratio:.3g} · "
            f"<i>{state}</i>"
        )

    # ---- training ---------------------------------------------------------------------------
    def train_steps(self, n: int = CHUNK, redraw: bool = True) -> None:
        """Train `n` full-batch gradient steps now, then redraw (unless redraw=False)."""
        try:
            if self.config() != self._config:
                self._new_network()
            X, y = self.data
            lr = float(self.controls["learning_rate"].value)
            with np.errstate(all="ignore"):
                history = self.net.train(X, y, steps=int(n), lr=lr)
            self.steps_log.extend(self.steps_done + np.asarray(history.step))
            self.loss_log.extend(history.loss)
            self.steps_done += int(n)
            if not all(np.isfinite(w).all() for w in self.net.weights):
                self.stop()
                raise FloatingPointError(
                    f"the weights blew up at learning rate {lr:.3g}: lower it and press Reset"
                )
            with np.errstate(all="ignore"):
                self._measure_gradients()
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
            self.train_steps(BUDGET)
            return
        self._set_running(True)
        self._task = loop.create_task(self._train_in_background(self.steps_done + BUDGET))

    async def _train_in_background(self, until: int) -> None:
        try:
            while self.running and self.steps_done < until:
                self.train_steps(CHUNK)
                await asyncio.sleep(0.02)  # let the kernel handle clicks and control changes
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


@register("network_builder")
def network_builder() -> NetworkBuilder:
    """Spirals, three hidden layers of 16 (tanh, tanh, ReLU): press Train."""
    return NetworkBuilder()
