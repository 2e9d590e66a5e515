"""Measurements of a network in training that notebooks and widgets share.

`DeadUnitRun` trains a small network on the spirals in chunks and, at every checkpoint (every
10 steps), counts the hidden units that are *effectively dead* (|g'(z)| below 1% of g's largest
slope on every training example: they get almost no gradient, see `helpers.network.dead_units`)
and the units that are *never active* (z <= 0 on every example). For ReLU the two are the same.
Leaky ReLU's slope never drops below 1%; ELU's, GELU's and SiLU's do, far enough left. A run
also tells how many units *came back*: never active at some checkpoint, active at the last.
`dead_unit_run(...)` runs one to the end. Notebook 06 and its dead-ReLU lab use them.

`watch_training` trains a network and records what practitioners look at during training
(notebook 08): every layer's update-to-data ratio at every step, and activations and gradients
at chosen steps; `bias_gradient_norms` is Nielsen's per-layer speed of learning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from helpers import data
from helpers.network import MLP, dead_units, gradient_norms

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


# ---- looking inside a network while it trains (notebook 08; the capstone can use it too) -----
def bias_gradient_norms(net: MLP, X: np.ndarray, Y: np.ndarray) -> list[float]:
    """Nielsen's speed of learning of each hidden layer (chapter 5): the length of the cost's
    gradient with respect to that layer's biases, averaged over the examples in X."""
    return [float(n) for n in gradient_norms(net, X, Y)[1][:-1]]


@dataclass
class Watch:
    """What `watch_training` saw. Every step t: `loss[t]` (on its mini-batch, before the step)
    and `update_ratio[t, k]` = ||dW|| / ||W|| for weight matrix k, dW the change the step made.
    At each snapshot step s: `acts[s]`, every hidden layer's activations on all of X (one row
    per example, one column per unit), and `grads[s]`, every weight matrix's gradient on step
    s's mini-batch."""

    loss: np.ndarray
    update_ratio: np.ndarray
    acts: dict[int, list[np.ndarray]] = field(default_factory=dict)
    grads: dict[int, list[np.ndarray]] = field(default_factory=dict)


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    """Index arrays of mini-batches, endlessly: a new shuffle for every pass over the data."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


def watch_training(
    net: MLP,
    X: np.ndarray,
    Y: np.ndarray,
    steps: int,
    lr: float,
    batch_size: int = 32,
    snapshots: tuple[int, ...] = (0,),
    seed: int = 0,
) -> Watch:
    """Train `net` with mini-batch gradient descent (`MLP.train`, one step at a time) and watch
    it: the update-to-data ratio of every weight matrix at every step, activations and
    gradients at the `snapshots` steps (step `steps` means after the last step). A step whose
    loss is no longer a number ends the run there, quietly: its records stop at that step."""
    batches = _batches(len(X), batch_size, np.random.default_rng(seed))
    losses, ratios, acts, grads = [], [], {}, {}
    for t in range(steps + 1):
        idx = next(batches)
        if t in snapshots:
            acts[t] = net.forward_cache(X)[1][1:-1]
            grads[t] = net.gradients(X[idx], Y[idx])[0]
        if t == steps:
            break
        before = [W.copy() for W in net.weights]
        with np.errstate(over="ignore"):  # a blow-up ends the run below, without a warning
            history = net.train(X[idx], Y[idx], steps=1, lr=lr)
        if history.diverged_at is not None:
            break
        losses.append(history.loss[0])
        ratios.append(
            [np.linalg.norm(W - W0) / np.linalg.norm(W0) for W, W0 in zip(net.weights, before)]
        )
    return Watch(np.array(losses), np.array(ratios), acts, grads)
