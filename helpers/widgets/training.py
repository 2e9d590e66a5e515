"""What the course's training widgets share (notebook 02's boundary trainer, 07's network
builder): a seeded network trained on a 2-D toy data set, its decision boundary and loss curve,
and the Train/Pause, Step and Reset buttons.

`train_steps(n)` trains now (tests and benchmarks call it). Train trains one budget in short
chunks with a pause between them on the kernel's event loop (`run_in_background`), so the
notebook never freezes and Pause answers at once; with no event loop running (a script, a
test) it trains the budget at once. A subclass builds its figure with `add_panels`, gives
`config()` (the settings that define the network, the data set's name first) and
`build_network(config)`, and writes `update()`, which starts with `follow_controls()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cache

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator, NullLocator
from scipy.special import expit

from helpers import data
from helpers.network import MLP
from helpers.plots import BoundaryView
from helpers.style import OKABE_ITO
from helpers.widgets.base import CourseWidget, error_html
from helpers.widgets.controls import Slider, dropdown, slider

N_POINTS = 200  # points in each data set
RESOLUTION = 70  # boundary grid: 70 x 70 scores per redraw, drawn with bilinear smoothing
LOSS_FLOOR, LOSS_CEILING = 1e-3, 3.0  # the loss axis (log scale)


@cache
def toy_data(name: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The training widgets' data set `name` (N_POINTS points, seeded)."""
    return data.make(name, N_POINTS, seed=seed)


def run_in_background(chunk: Callable[[], bool], pause: float) -> asyncio.Task | None:
    """Call `chunk()` on the running event loop (the kernel's, in a notebook) again and again,
    `pause` seconds apart, until it returns False; the pause comes first, so the kernel handles
    any pending click or control change before each chunk. Returns the task (cancel it to stop
    at once), or None when no event loop runs: the caller then does the work synchronously."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None

    async def repeat() -> None:
        while True:
            await asyncio.sleep(pause)
            if not chunk():
                return

    return loop.create_task(repeat())


def dataset_control(dataset: str, label_width: str) -> ipw.Dropdown:
    return dropdown("data set", list(data.DATASETS), dataset, label_width)


def learning_rate_control(value: float, label_width: str, continuous: bool = True) -> Slider:
    """From 0.001 to about 3.16 in quarter decades (the top blows most networks up)."""
    return slider("learning rate", value, -3, 0.5, step=0.25, log=True, continuous=continuous,
                  fmt=".3g", label_width=label_width)  # fmt: skip


class TrainingWidget(CourseWidget):
    """A seeded MLP trained on a toy data set: its boundary, its loss curve, Train/Step/Reset."""

    CHUNK = 25  # gradient steps between two redraws
    BUDGET = 1500  # steps one press of Train trains; press it again to go on
    PAUSE = 0.02  # seconds the kernel is left free between two chunks

    def __init__(
        self, controls: dict[str, ipw.Widget], figure: Figure, seed: int, layout: str = "row"
    ) -> None:
        self.seed = seed
        self.net: MLP | None = None
        self.steps_done = 0
        self.steps_log: list[int] = []
        self.loss_log: list[float] = []
        self.running = False
        self._config: tuple | None = None
        self.buttons = {
            "train": ipw.Button(description="Train", icon="play"),
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

    def add_panels(self, ax_data, ax_loss, X, y, loss_ticks: int, square: bool = False) -> None:
        """The data set with the boundary behind it, and an empty loss curve on a log axis.
        square=True keeps the data's aspect ratio in a square panel. What training changes is
        animated; a new data set draws the figure whole (the readout reports the numbers)."""
        self.view = BoundaryView(ax_data, X, y, resolution=RESOLUTION, square=square)
        for axis in (ax_data.xaxis, ax_data.yaxis):  # whole numbers: as wide for every data set
            axis.set_major_locator(MultipleLocator(1))
        (self.loss_line,) = ax_loss.plot([], [], color=OKABE_ITO["blue"])
        ax_loss.set(yscale="log", ylim=(LOSS_FLOOR, LOSS_CEILING), xlim=(0, 500))
        ax_loss.set(xlabel="training step", ylabel="loss (cross-entropy)", title="training loss")
        ax_loss.xaxis.set_major_locator(MaxNLocator(loss_ticks, integer=True))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        self.ax_data, self.ax_loss = ax_data, ax_loss
        for artist in (self.view.image, *self.view.scatters, self.view.contour, self.loss_line):
            artist.set_animated(True)

    def config(self) -> tuple:
        """The settings that define the network, the data set's name first."""
        raise NotImplementedError

    def build_network(self, config: tuple) -> MLP:
        raise NotImplementedError

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return toy_data(self.config()[0], self.seed)

    def follow_controls(self) -> bool:
        """A fresh seeded network (and an empty loss curve) if the controls now define another
        one; returns whether it is new. A blow-up raises a message (`check_finite`)."""
        config = self.config()
        new = config != self._config
        if new:
            self.stop()
            if config[0] != (self._config or (None,))[0]:
                self.view.show_data(*self.data)
                self.ax_data.set_title(f"{config[0]}: data and decision boundary")
            self.net = self.build_network(config)
            self.steps_done, self.steps_log, self.loss_log = 0, [], []
            self._config = config
        self.check_finite()
        return new

    def check_finite(self, diverged: bool = False) -> None:
        """Raise a message the learner can act on if training has blown up (the loss or the
        weights are no longer finite numbers)."""
        if diverged or not all(np.isfinite(p).all() for p in self.net.weights + self.net.biases):
            self.stop()
            lr = float(self.controls["learning_rate"].value)
            raise FloatingPointError(
                f"the weights grew too large to compute by step {self.steps_done}: the learning "
                f"rate {lr:.3g} is too high for this network. Lower it and press Reset."
            )

    def accuracy(self) -> float:
        return self.net.accuracy(*self.data)

    def show_progress(self) -> tuple[float, float]:
        """The boundary and the loss curve so far (on an x axis that grows in steps of 500);
        returns the loss and the accuracy."""
        X, y = self.data
        with np.errstate(all="ignore"):
            scores = expit(self.net.forward(self.view.points)[:, 0])
            self.view.update(np.nan_to_num(scores, nan=0.5))
            loss, accuracy = self.net.loss(X, y), self.net.accuracy(X, y)
        losses = np.clip(np.asarray(self.loss_log), LOSS_FLOOR, LOSS_CEILING)
        self.loss_line.set_data(np.asarray(self.steps_log), losses)
        right = max(500, int(np.ceil((self.steps_done + 1) / 500)) * 500)
        if self.ax_loss.get_xlim()[1] != right:
            self.ax_loss.set_xlim(0, right)
        return loss, accuracy

    def status(self, network: str, loss: float, accuracy: float, more: str = "") -> str:
        """The readout: the network, the step, the loss and accuracy, `more`, the state."""
        state = "training…" if self.running else "paused" if self.steps_done else "ready"
        return (
            f"network {network} · step {self.steps_done} · loss {loss:.3g} · accuracy "
            f"{accuracy:.1%}{more} · <i>{state}</i>"
        )

    # ---- training ---------------------------------------------------------------------------
    def train_steps(self, n: int | None = None, redraw: bool = True) -> None:
        """Train `n` (default: one chunk) full-batch gradient steps now, then redraw (unless
        redraw=False). A blow-up stops training and shows a message in place."""
        n = self.CHUNK if n is None else int(n)
        try:
            self.follow_controls()
            X, y = self.data
            # a blow-up is shown as a message (follow_controls), not as numpy's warning
            with np.errstate(all="ignore"):
                history = self.net.train(X, y, steps=n, lr=self.controls["learning_rate"].value)
            self.steps_log.extend(self.steps_done + np.asarray(history.step))
            self.loss_log.extend(history.loss)
            self.steps_done += n
            self.check_finite(history.diverged_at is not None)
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
        if run_in_background(lambda: self._next_chunk(until), self.PAUSE) is None:
            self.train_steps(self.BUDGET)  # no event loop (a plain script): train the budget now
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

    def stop(self) -> None:
        """Stop background training after the current chunk."""
        if self.running:
            self._set_running(False)

    def reset(self) -> None:
        """The same seeded start again: fresh weights, empty loss curve."""
        self._config = None
        self.refresh()
