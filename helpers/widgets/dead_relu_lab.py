"""Notebook 06's dead-ReLU lab: push a network into the negative region and count dead units.

`DeadUnitRun` trains a small network on the spirals in chunks and, at every checkpoint (every
10 steps), counts the hidden units that are *effectively dead* (|g'(z)| below 1% of g's largest
slope on every training example: they get almost no gradient, see `helpers.network.dead_units`)
and the units that are *never active* (z <= 0 on every example). For ReLU the two are the same.
Leaky ReLU's slope never drops below 1%; ELU's, GELU's and SiLU's do, far enough left. A run
also tells how many units *came back*: never active at some checkpoint, active at the last.
`dead_unit_run(...)` runs one to the end.

The lab never makes the learner wait for a whole run: a control change starts a new run and
shows its first checkpoint at once; in a notebook the training then goes on in short chunks
on the kernel's event loop (an asyncio task), the curves growing as it proceeds, and the next
control change cancels it. Without a running event loop (tests, scripts) nothing trains in the
background: call `train_steps(n)` or `run_to_end()`.
"""

from __future__ import annotations

import asyncio
import warnings

import ipywidgets as ipw
import numpy as np

from helpers import data
from helpers.network import MLP, dead_units
from helpers.plots import OKABE_ITO, activation_style, new_figure
from helpers.widgets.base import CourseWidget, error_html, register
from helpers.widgets.training import run_in_background

BLOWN_UP = 100.0  # a loss above this (the start is about 0.7) means training diverged
LAB_ACTIVATIONS = ["relu", "leaky_relu", "elu", "gelu", "silu", "selu", "softplus", "tanh"]
STEPS, EVERY = 300, 10
CHUNK = 20  # steps trained between two redraws in the background
PAUSE = 0.02  # seconds the background task leaves the kernel free between chunks


class DeadUnitRun:
    """One training run of MLP([2, width, width, 1]) (He init, hidden biases shifted by
    `bias_shift`) on the spirals with full-batch gradient descent, checkpointed every `every`
    steps: 'step', 'loss', 'dead' (effectively dead) and 'never_active' (fractions of all hidden
    units), 'came_back' (fraction of all hidden units that were never active at some checkpoint
    and active at the last) and 'diverged' (the loss went above BLOWN_UP or stopped being a
    number; the run stops there)."""

    def __init__(
        self,
        activation: str = "relu",
        lr: float = 2.0,
        bias_shift: float = -0.5,
        steps: int = STEPS,
        every: int = EVERY,
        width: int = 32,
        n: int = 200,
        seed: int = 1,
    ) -> None:
        self.lr, self.steps, self.every = lr, steps, every
        self.X, self.y = data.make("spirals", n=n, seed=0)
        self.net = MLP([2, width, width, 1], activation, init="he", seed=seed, loss="cross_entropy")
        for b in self.net.biases[:-1]:
            b += bias_shift
        self.records: dict[str, list] = {"step": [], "loss": [], "dead": [], "never_active": []}
        self.trained = 0
        self.diverged = False
        self.ever_off: np.ndarray | None = None  # units never active at some checkpoint
        self.off_now: np.ndarray | None = None  # units never active at the last checkpoint
        self._checkpoint()

    @property
    def finished(self) -> bool:
        return self.diverged or self.trained >= self.steps

    def _checkpoint(self) -> None:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zs, _ = self.net.forward_cache(self.X)
            loss = self.net.loss(self.X, self.y)
            if not loss < BLOWN_UP or not all(np.all(np.isfinite(z)) for z in zs):
                self.diverged = True
                return
            r = self.records
            r["step"].append(self.trained)
            r["loss"].append(loss)
            off = np.concatenate([np.all(z <= 0, axis=0) for z in zs[:-1]])
            r["dead"].append(float(np.concatenate(dead_units(self.net, zs)).mean()))
            r["never_active"].append(float(off.mean()))
            self.ever_off = off if self.ever_off is None else self.ever_off | off
            self.off_now = off

    def train_steps(self, n: int) -> DeadUnitRun:
        """Train up to n more steps (whole checkpoints), stopping at the end or a blow-up."""
        target = min(self.steps, self.trained + n)
        while not self.finished and self.trained < target:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.net.train(self.X, self.y, steps=self.every, lr=self.lr)
            self.trained += self.every
            self._checkpoint()
        return self

    def run_to_end(self) -> DeadUnitRun:
        return self.train_steps(self.steps)

    def result(self) -> dict[str, np.ndarray | bool]:
        out: dict[str, np.ndarray | bool] = {k: np.array(v) for k, v in self.records.items()}
        came_back = self.ever_off & ~self.off_now if self.ever_off is not None else np.zeros(1)
        out["came_back"] = float(came_back.mean())
        out["diverged"] = self.diverged
        return out


def dead_unit_run(activation: str = "relu", **settings) -> dict[str, np.ndarray | bool]:
    """A whole `DeadUnitRun` (same arguments), trained to the end: its checkpoints as arrays."""
    return DeadUnitRun(activation, **settings).run_to_end().result()


class DeadReluLab(CourseWidget):
    """Learning rate, bias shift and activation -> dead fraction and loss over training."""

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
        self.run: DeadUnitRun | None = None
        self.task: asyncio.Task | None = None
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
        self.run_to_end()  # the first view is complete at once

    # ---- a change starts a new run --------------------------------------------------------
    def update(self) -> str:
        self.cancel()
        c = {k: w.value for k, w in self.controls.items()}
        self.run = DeadUnitRun(c["activation"], lr=c["lr"], bias_shift=c["bias_shift"])
        return self._show()

    def refresh(self, change: object = None) -> None:
        super().refresh(change)
        if self.last_error is None and self.run is not None and not self.run.finished:
            self._train_in_background()

    def _show(self) -> str:
        """Put the run's checkpoints into the figure; return the readout."""
        run, act = self.run, self.controls["activation"].value
        r = run.records
        self.dead_line.set_data(r["step"], r["dead"])
        self.never_line.set_data(r["step"], r["never_active"])
        self.loss_line.set_data(r["step"], np.minimum(r["loss"], 1.2))
        self.loss_line.set(**activation_style(act))
        settings = f"{act}, learning rate {run.lr:.3g}, bias shift "
        settings += f"{self.controls['bias_shift'].value:+.2f}"
        if not r["step"]:
            return f"{settings}: <b>the loss blew up</b> at once: this learning rate is too large."
        counts = (
            f"{settings}: dead units <b>{r['dead'][0]:.0%}</b> at the start, "
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

    # ---- training: synchronous, or in chunks in the background ---------------------------
    def train_steps(self, n: int) -> None:
        """Train the current run n more steps now and redraw (for tests and notebooks)."""
        if self.run is not None:
            self.run.train_steps(n)
            self._redraw()

    def run_to_end(self) -> None:
        """Cancel any background training and train the current run to its end now."""
        self.cancel()
        self.train_steps(STEPS)

    def cancel(self) -> None:
        """Stop the background training, if any."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None

    def _redraw(self) -> None:
        try:
            self.readout.value = self._show()
            self.live.render()
        except Exception as exc:  # shown in place, like CourseWidget.refresh
            self.last_error = exc
            self.message.value = error_html(exc)

    def _train_in_background(self) -> None:
        """Train the current run in chunks on the kernel's event loop (none in a test or a
        script: there the run trains on request only)."""
        run = self.run
        self.task = run_in_background(lambda: self._next_chunk(run), PAUSE)

    def _next_chunk(self, run: DeadUnitRun) -> bool:
        """One chunk of background training; False when the run is over or replaced."""
        if run is not self.run or run.finished:
            return False
        try:
            run.train_steps(CHUNK)
        except Exception as exc:  # shown in place, never lost in a log
            self.last_error = exc
            self.message.value = error_html(exc)
            return False
        self._redraw()
        return True


@register("dead_relu_lab")
def dead_relu_lab(**kwargs) -> DeadReluLab:
    """The dead-ReLU lab, starting from ReLU pushed by a large learning rate and bias shift."""
    return DeadReluLab(**kwargs)
