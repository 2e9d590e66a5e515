"""What the course's training widgets share: a seeded network trained on a 2-D toy data set,
its decision boundary and its loss curve, and training in the background.

`TrainingWidget` is the base of notebook 02's boundary trainer and notebook 07's network
builder. It owns the data cache, the network's life cycle (a fresh seeded network whenever the
settings that define it change, so Reset gives the same run again), the Train/Pause, Step and
Reset buttons, and the training itself: `train_steps(n)` trains now (tests and benchmarks call
it), while Train trains in short chunks with a pause between them, an asyncio task on the
kernel's event loop, so the notebook never freezes and Pause answers at once. Without a running
event loop (a plain script, a test) Train trains one budget synchronously.

`run_in_background(chunk, pause)` is that chunked loop on its own; the dead-ReLU lab uses it too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator, NullLocator
from scipy.special import expit

from helpers import data
from helpers.network import MLP, History
from helpers.plots import OKABE_ITO, BoundaryView
from helpers.widgets.base import CourseWidget, error_html

N_POINTS = 200  # points in each data set
RESOLUTION = 70  # boundary grid: 70 x 70 scores per redraw, drawn with bilinear smoothing
LOSS_FLOOR, LOSS_CEILING = 1e-3, 3.0  # the loss axis (log scale)


def run_in_background(chunk: Callable[[], bool], pause: float) -> asyncio.Task | None:
    """Call `chunk()` on the running event loop (the kernel's, in a notebook) again and again,
    `pause` seconds apart, until it returns False; the pause comes first, so the kernel handles
    any pending click or control change before each chunk. Returns the task (cancel it to stop
    at once), or None when no event loop runs: the caller then does the work synchronously."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.create_task(_repeat(chunk, pause))


async def _repeat(chunk: Callable[[], bool], pause: float) -> None:
    while True:
        await asyncio.sleep(pause)
        if not chunk():
            return


class TrainingWidget(CourseWidget):
    """A seeded MLP trained on a toy data set: its boundary, its loss curve, Train/Step/Reset.

    A subclass calls `_start_training(seed)` first, builds its figure (with `_add_panels` for
    the boundary and loss panels), and passes its controls to `TrainingWidget.__init__`, which
    adds the buttons. It implements `config()` (a tuple of the settings that define the
    network, the data set's name first), `_build_network(config)`, `blow_up_message()` and
    `update()`; it may extend `_on_new_network()` and `_after_steps()`.
    """

    CHUNK = 25  # gradient steps between two redraws
    BUDGET = 1500  # steps one press of Train trains; press it again to go on
    PAUSE = 0.02  # seconds the kernel is left free between two chunks
    N_POINTS = N_POINTS
    RESOLUTION = RESOLUTION

    def __init__(
        self, controls: dict[str, ipw.Widget], figure: Figure, layout: str = "row"
    ) -> None:
        self.buttons = {
            "train": ipw.Button(description="Train", icon="play", button_style="success"),
            "step": ipw.Button(description=f"Step (+{self.CHUNK})", icon="step-forward"),
            "reset": ipw.Button(description="Reset", icon="undo"),
        }
        for button in self.buttons.values():
            button.layout = ipw.Layout(width="auto")
        self.buttons["train"].on_click(lambda _: self.toggle_training())
        self.buttons["step"].on_click(lambda _: self.train_steps(self.CHUNK))
        self.buttons["reset"].on_click(lambda _: self.reset())
        controls["buttons"] = ipw.HBox(list(self.buttons.values()))
        super().__init__(controls, figure, layout=layout)

    def _start_training(self, seed: int) -> None:
        """The state before anything is built (CourseWidget.__init__ already draws)."""
        self.seed = seed
        self.net: MLP | None = None
        self.steps_done = 0
        self.steps_log: list[int] = []
        self.loss_log: list[float] = []
        self.running = False
        self._task: asyncio.Task | None = None
        self._config: tuple | None = None
        self._data_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _add_panels(
        self, ax_data, ax_loss, dataset: str, loss_ticks: int, square: bool = False
    ) -> None:
        """The data set with the boundary behind it, and an empty loss curve on a log axis.
        square=True keeps the data's aspect ratio in a square panel. What training changes is
        animated; a new data set draws the figure whole (the readout reports the numbers:
        a changing title would cost as much to draw as the loss curve and the points)."""
        X, y = self._data(dataset)
        self.view = BoundaryView(ax_data, X, y, resolution=self.RESOLUTION, square=square)
        for axis in (ax_data.xaxis, ax_data.yaxis):  # whole numbers: as wide for every data set
            axis.set_major_locator(MultipleLocator(1))
        (self.loss_line,) = ax_loss.plot([], [], color=OKABE_ITO["blue"])
        ax_loss.set(
            yscale="log",
            ylim=(LOSS_FLOOR, LOSS_CEILING),
            xlim=(0, 500),
            xlabel="training step",
            ylabel="loss (cross-entropy)",
            title="training loss",
        )
        ax_loss.xaxis.set_major_locator(MaxNLocator(loss_ticks, integer=True))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        self.ax_data, self.ax_loss = ax_data, ax_loss
        view = self.view
        for artist in (view.image, *view.scatters, view.contour, self.loss_line):
            artist.set_animated(True)

    @staticmethod
    def _dataset_control(dataset: str, style: dict) -> ipw.Dropdown:
        return ipw.Dropdown(
            options=list(data.DATASETS), value=dataset, description="data set", style=style
        )

    @staticmethod
    def _learning_rate_control(
        value: float, style: dict, continuous_update: bool = True
    ) -> ipw.FloatLogSlider:
        """From 0.001 to about 3.16 in quarter decades (the top blows most networks up)."""
        return ipw.FloatLogSlider(
            value=value,
            base=10,
            min=-3,
            max=0.5,
            step=0.25,
            description="learning rate",
            readout_format=".3g",
            continuous_update=continuous_update,
            style=style,
        )

    # ---- what a subclass defines ------------------------------------------------------------
    def config(self) -> tuple:
        """The settings that define the network, the data set's name first."""
        raise NotImplementedError

    def _build_network(self, config: tuple) -> MLP:
        raise NotImplementedError

    def blow_up_message(self) -> str:
        """What to tell the learner when training has blown the weights up."""
        raise NotImplementedError

    def _on_new_network(self) -> None:
        """Called after a fresh network replaced the old one (the controls may follow it)."""

    def _after_steps(self) -> None:
        """Called after each batch of training steps (measurements to take, say)."""

    # ---- state ------------------------------------------------------------------------------
    def _data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._data_cache:
            self._data_cache[name] = data.make(name, self.N_POINTS, seed=self.seed)
        return self._data_cache[name]

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self._data(self.config()[0])

    def _follow_controls(self) -> None:
        """A fresh network if the controls now define another one."""
        if self.config() != self._config:
            self._new_network()

    def _new_network(self) -> None:
        """A fresh, seeded network for the current settings; forgets the loss curve."""
        config = self.config()
        self.stop()
        if config[0] != (self._config or (None,))[0]:
            self.view.show_data(*self._data(config[0]))
            self.ax_data.set_title(f"{config[0]}: data and decision boundary")
        self.net = self._build_network(config)
        self.steps_done = 0
        self.steps_log, self.loss_log = [], []
        self._on_new_network()
        self._config = config

    def _check_finite(self, history: History | None = None) -> None:
        """Raise a message the learner can act on if training has blown up (the loss or the
        weights are no longer finite numbers)."""
        weights = self.net.weights + self.net.biases
        diverged = history is not None and history.diverged_at is not None
        if diverged or not all(np.isfinite(p).all() for p in weights):
            self.stop()
            raise FloatingPointError(self.blow_up_message())

    def probabilities(self, points: np.ndarray) -> np.ndarray:
        """The network's probability of class 1 at each point."""
        return expit(self.net.forward(points)[:, 0])

    def accuracy(self) -> float:
        X, y = self.data
        return self.net.accuracy(X, y)

    def _show_progress(self) -> tuple[float, float]:
        """The boundary and the loss curve so far (on an x axis that grows in steps of 500);
        returns the loss and the accuracy."""
        X, y = self.data
        with np.errstate(all="ignore"):
            self.view.update(np.nan_to_num(self.probabilities(self.view.points), nan=0.5))
            loss, accuracy = self.net.loss(X, y), self.net.accuracy(X, y)
        steps = np.asarray(self.steps_log)
        losses = np.clip(np.asarray(self.loss_log), LOSS_FLOOR, LOSS_CEILING)
        self.loss_line.set_data(steps, losses)
        right = max(500, int(np.ceil((self.steps_done + 1) / 500)) * 500)
        if self.ax_loss.get_xlim()[1] != right:
            self.ax_loss.set_xlim(0, right)
        return loss, accuracy

    def _state(self) -> str:
        return "training…" if self.running else "paused" if self.steps_done else "ready"

    # ---- training ---------------------------------------------------------------------------
    def train_steps(self, n: int | None = None, redraw: bool = True) -> None:
        """Train `n` (default: one chunk) full-batch gradient steps now, then redraw (unless
        redraw=False). A blow-up stops training and shows a message in place."""
        n = self.CHUNK if n is None else int(n)
        try:
            self._follow_controls()
            X, y = self.data
            lr = float(self.controls["learning_rate"].value)
            # a learning rate that is too large makes the weights overflow: that is shown as a
            # message below, so numpy's own warning is not wanted here
            with np.errstate(all="ignore"):
                history = self.net.train(X, y, steps=n, lr=lr)
            self.steps_log.extend(self.steps_done + np.asarray(history.step))
            self.loss_log.extend(history.loss)
            self.steps_done += n
            self._check_finite(history)
            with np.errstate(all="ignore"):
                self._after_steps()
        except Exception as exc:  # shown in place, like any update error
            self.stop()
            self.last_error = exc
            self.message.value = error_html(exc)
            return
        if redraw:
            self.refresh()

    def toggle_training(self) -> None:
        """Train one budget in the background (chunks with pauses between them), or pause."""
        if self.running:
            self.stop()
            self.refresh()
            return
        until = self.steps_done + self.BUDGET
        self._task = run_in_background(lambda: self._next_chunk(until), self.PAUSE)
        if self._task is None:  # no event loop (a plain script): train the budget now
            self.train_steps(self.BUDGET)
        else:
            self._set_running(True)

    def _next_chunk(self, until: int) -> bool:
        """One chunk of background training; False when training is over."""
        if self.running and self.steps_done < until:
            self.train_steps(self.CHUNK)
            return True
        if self.running:  # the budget is spent (a pause or an error has stopped it already)
            self._set_running(False)
            self.refresh()
        return False

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
