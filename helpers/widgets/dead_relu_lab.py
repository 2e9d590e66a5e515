"""Notebook 06's dead-ReLU lab: push a network into the negative region and watch the dead
units (see `helpers.diagnostics.DeadUnitRun`, which the lab runs) and the loss over training.

The lab never makes the learner wait for a whole run: a control change starts a new run and
shows its first checkpoint at once; in a notebook the training then goes on in short chunks
on the kernel's event loop (an asyncio task), the curves growing as it proceeds, and the next
control change cancels it. Without a running event loop (tests, scripts) nothing trains in the
background: call `train_steps(n)` or `run_to_end()`.
"""

from __future__ import annotations

import asyncio

import numpy as np

from helpers.activations import get
from helpers.diagnostics import STEPS, DeadUnitRun
from helpers.plots import new_figure
from helpers.style import OKABE_ITO, activation_style
from helpers.widgets.base import CourseWidget, error_html, register
from helpers.widgets.controls import dropdown, slider
from helpers.widgets.training import run_in_background

LAB_ACTIVATIONS = ["relu", "leaky_relu", "elu", "gelu", "silu", "selu", "softplus", "tanh"]
CHUNK = 20  # steps trained between two redraws in the background
PAUSE = 0.02  # seconds the background task leaves the kernel free between chunks


class DeadReluLab(CourseWidget):
    """Learning rate, bias shift and activation -> dead fraction and loss over training."""

    figure_text = (
        "Left: the fraction of hidden units that are effectively dead, and of those never "
        "active, over 300 training steps. Right: the training loss over the same steps."
    )

    def __init__(self, activation: str = "relu", lr: float = 2.0, bias_shift: float = -0.5) -> None:
        fig, (ax_d, ax_l) = new_figure(ncols=2, width=9.0, height=3.4)
        (self.dead_line,) = ax_d.plot(
            [], [], color=OKABE_ITO["vermillion"], label="effectively dead"
        )
        (self.never_line,) = ax_d.plot(
            [], [], color=OKABE_ITO["grey"], linestyle="--", label="never active ($z \\leq 0$)"
        )
        ax_d.set(
            xlim=(0, STEPS), ylim=(-0.02, 1.25), xlabel="training step", ylabel="fraction of units"
        )
        ax_d.set_yticks(np.linspace(0, 1, 6))
        ax_d.set_title("hidden units")
        ax_d.legend(loc="upper left", ncols=2, fontsize="small")  # in the strip above 1.0
        (self.loss_line,) = ax_l.plot([], [])
        ax_l.set(xlim=(0, STEPS), ylim=(0, 1.2), xlabel="training step", ylabel="loss")
        ax_l.set_title("training loss (cross-entropy)")
        for line in (self.dead_line, self.never_line, self.loss_line):  # what a run changes
            line.set_animated(True)
        self.run: DeadUnitRun | None = None
        self.settings: tuple = ()
        self.task: asyncio.Task | None = None
        width = "7.7em"  # "learning rate" whole, at any font size
        choices = [(get(name).label, name) for name in LAB_ACTIVATIONS]
        controls = {
            "activation": dropdown("activation", choices, activation, label_width=width),
            "lr": slider(
                "learning rate",
                lr,
                -2,
                np.log10(4.0),
                step=0.05,
                log=True,
                continuous=False,
                fmt=".3g",
                label_width=width,
            ),
            "bias_shift": slider(
                "bias shift", bias_shift, -3.0, 1.0, step=0.25, continuous=False, label_width=width
            ),
        }
        super().__init__(controls, fig)
        self.run_to_end()  # the first view is complete at once

    def update(self) -> str:
        """A new run if the controls changed; its checkpoints so far in the figure; the readout."""
        c = {k: w.value for k, w in self.controls.items()}
        if self.run is None or tuple(c.values()) != self.settings:
            self.cancel()
            self.run = DeadUnitRun(c["activation"], lr=c["lr"], bias_shift=c["bias_shift"])
            self.settings = tuple(c.values())
        run, r = self.run, self.run.records
        self.dead_line.set_data(r["step"], r["dead"])
        self.never_line.set_data(r["step"], r["never_active"])
        self.loss_line.set_data(r["step"], np.minimum(r["loss"], 1.2))
        self.loss_line.set(**activation_style(c["activation"]))
        settings = f"{get(c['activation']).label}, learning rate {run.lr:.3g}, bias shift "
        settings += f"{c['bias_shift']:+.2f}"
        if not r["step"]:
            return f"{settings}: <b>the loss blew up</b> at once: this learning rate is too large."
        counts = (
            f"{settings}: effectively dead units <b>{r['dead'][0]:.0%}</b> at the start, "
            f"<b>{r['dead'][-1]:.0%}</b> at step {r['step'][-1]} "
            f"(never active: {r['never_active'][-1]:.0%}). "
        )
        if run.diverged:
            return counts + (
                f"<b>The loss blew up</b> before step {r['step'][-1] + run.every}: this learning "
                "rate is too large for this activation."
            )
        if not run.finished:
            return counts + f"Training… loss <b>{r['loss'][-1]:.3f}</b> so far."
        return counts + f"Final loss <b>{r['loss'][-1]:.3f}</b>."

    def refresh(self, change: object = None) -> None:
        """Redraw; then, in a notebook, train an unfinished run on in the background."""
        super().refresh(change)
        idle = self.task is None or self.task.done()
        if self.last_error is None and not self.run.finished and idle:
            run = self.run
            self.task = run_in_background(lambda: self._next_chunk(run), PAUSE)

    def _next_chunk(self, run: DeadUnitRun) -> bool:
        """One chunk of background training; False when the run is over or replaced."""
        if run is not self.run or run.finished:
            return False
        self.train_steps(CHUNK)
        return self.last_error is None

    def train_steps(self, n: int) -> None:
        """Train the current run n more steps now and redraw (for tests and notebooks)."""
        try:
            self.run.train_steps(n)
        except Exception as exc:  # shown in place, never lost in a log
            self.last_error = exc
            self.message.value = error_html(exc)
            return
        self.refresh()

    def run_to_end(self) -> None:
        """Cancel any background training and train the current run to its end now."""
        self.cancel()
        self.train_steps(STEPS)

    def cancel(self) -> None:
        """Stop the background training, if any."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None


dead_relu_lab = register("dead_relu_lab")(DeadReluLab)  # what the notebook calls
