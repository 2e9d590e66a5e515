"""Measurements of a network in training that notebooks and widgets share.

`DeadUnitRun` trains a small network on the spirals in chunks and, at every checkpoint (every
10 steps), counts the hidden units that are *effectively dead* (|g'(z)| below 1% of g's largest
slope on every training example: they get almost no gradient, see `helpers.network.dead_units`)
and the units that are *never active* (z <= 0 on every example). For ReLU the two are the same.
Leaky ReLU's slope never drops below 1%; ELU's, GELU's and SiLU's do, far enough left. A run
also tells how many units *came back*: never active at some checkpoint, active at the last.
`dead_unit_run(...)` runs one to the end. Notebook 06 and its dead-ReLU lab use them.
"""

from __future__ import annotations

import numpy as np

from helpers import data
from helpers.network import MLP, dead_units

BLOWN_UP = 100.0  # a loss above this (the start is about 0.7) means training diverged
STEPS, EVERY = 300, 10


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
        with np.errstate(all="ignore"):  # a blow-up is recorded as `diverged`, not warned
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
            with np.errstate(all="ignore"):  # MLP.train then stays quiet at a blow-up too
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
