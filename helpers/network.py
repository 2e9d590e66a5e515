"""A tiny multi-layer perceptron in numpy: forward with a cache, backward, training, diagnostics.

Layer i computes z = W x + b with `weights[i]` of shape (fan_out, fan_in) and `biases[i]` of
shape (fan_out,), then a = g(z). For a batch X of shape (n, fan_in) that is Z = X W^T + b.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.special import expit

from helpers.activations import Activation, get

_IDENTITY = get("identity")

# A unit counts as saturated when its slope g'(z) is below this fraction of g's largest slope.
# For tanh that is exactly |tanh(z)| > 0.97, the threshold used in Karpathy's makemore lectures.
SATURATED_SLOPE = 1.0 - 0.97**2
# A unit is effectively dead when |g'(z)| is below this fraction of g's largest slope on every
# example: its weights then get less than 1% of the gradient a fully active unit would get.
# For ReLU that means slope exactly 0; Leaky ReLU's slope never goes below 1%.
DEAD_SLOPE = 0.01

LOSSES = ("mse", "cross_entropy")
INIT_SCHEMES = ("normal", "xavier", "he")


@cache
def peak_slope(act: Activation) -> float:
    """The largest value of g'(z), found on a fine grid over [-10, 10] (once per activation)."""
    return float(act.derivative(np.linspace(-10.0, 10.0, 20001)).max())


def init_weights(fan_in: int, fan_out: int, init: str | float, rng: np.random.Generator):
    """Weights of shape (fan_out, fan_in) drawn by a named scheme or N(0, 1) times a scale."""
    standard = rng.standard_normal((fan_out, fan_in))
    if isinstance(init, int | float) and not isinstance(init, bool):
        return standard * float(init)
    if init == "normal":  # LeCun: variance 1 / fan_in
        return standard / np.sqrt(fan_in)
    if init == "xavier":  # Glorot & Bengio 2010: variance 2 / (fan_in + fan_out)
        return standard * np.sqrt(2.0 / (fan_in + fan_out))
    if init == "he":  # He et al. 2015: variance 2 / fan_in
        return standard * np.sqrt(2.0 / fan_in)
    raise ValueError(f"unknown init {init!r}; use one of {', '.join(INIT_SCHEMES)} or a number")


@dataclass
class History:
    """What `MLP.train` recorded: one row per recorded step, one column per layer."""

    step: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    weight_grad_norm: list[np.ndarray] = field(default_factory=list)
    bias_grad_norm: list[np.ndarray] = field(default_factory=list)
    act_mean: list[np.ndarray] = field(default_factory=list)
    act_std: list[np.ndarray] = field(default_factory=list)
    saturated: list[np.ndarray] = field(default_factory=list)
    dead: list[np.ndarray] = field(default_factory=list)
    diverged_at: int | None = None  # the step whose loss was no longer a finite number

    def as_arrays(self) -> dict[str, np.ndarray]:
        """Every record as an array: shape (steps,) or (steps, layers)."""
        return {k: np.array(v) for k, v in vars(self).items() if isinstance(v, list)}


class MLP:
    """A fully connected network: `MLP([2, 16, 16, 1], "tanh", seed=0)`.

    `activation` is one name for every hidden layer or a list with one name per hidden layer;
    the output layer uses `output_activation` (linear by default). `loss` is "mse",
    L = 0.5 * mean over samples of sum over outputs (out - y)^2, or "cross_entropy", which
    reads the outputs as logits of independent yes/no classes (sigmoid + binary cross-entropy).
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str | Sequence[str] = "tanh",
        init: str | float = "normal",
        seed: int = 0,
        output_activation: str = "identity",
        loss: str = "mse",
        bias_init: str = "zeros",
    ) -> None:
        sizes = list(layer_sizes)
        if len(sizes) < 2 or not all(isinstance(s, int | np.integer) and s >= 1 for s in sizes):
            raise ValueError(
                "layer_sizes must list at least two positive integers, inputs first, e.g. "
                f"[2, 16, 1]; got {layer_sizes!r}"
            )
        n_hidden = len(sizes) - 2
        names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(names) != n_hidden:
            raise ValueError(
                f"{n_hidden} hidden layers need {n_hidden} activation names, got {len(names)}"
            )
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; use one of {', '.join(LOSSES)}")
        if bias_init not in ("zeros", "normal"):
            raise ValueError(f"bias_init must be 'zeros' or 'normal', got {bias_init!r}")
        self.sizes = sizes
        self.activations = [get(a) for a in names] + [get(output_activation)]
        self.loss_name = loss
        rng = np.random.default_rng(seed)
        self.weights = [init_weights(i, o, init, rng) for i, o in zip(sizes[:-1], sizes[1:])]
        self.biases = [
            rng.standard_normal(o) if bias_init == "normal" else np.zeros(o) for o in sizes[1:]
        ]

    def __repr__(self) -> str:
        acts = ", ".join(a.name for a in self.activations)
        return f"MLP({self.sizes}, activations=[{acts}], loss={self.loss_name!r})"

    # ---- shapes -------------------------------------------------------------------------
    def _inputs(self, X: object) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(
                f"X must have shape (n, {self.sizes[0]}): one row per example, "
                f"{self.sizes[0]} inputs each; got shape {X.shape}"
            )
        return X

    def _targets(self, y: object, n: int) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        n_out = self.sizes[-1]
        if y.ndim == 1 and n_out == 1:
            y = y[:, None]
        if y.shape != (n, n_out):
            expected = f"({n},) or ({n}, 1)" if n_out == 1 else f"({n}, {n_out})"
            raise ValueError(f"y must have shape {expected} to match X; got shape {y.shape}")
        return y

    # ---- forward and backward -----------------------------------------------------------
    def forward_cache(self, X: object) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations zs[i] and activations acts[i] (acts[0] is X) of every layer. For a
        linear ("identity") layer a = z is the same array, acts[i + 1] is zs[i]: read both
        lists, never change them in place."""
        zs, acts = [], [self._inputs(X)]
        for W, b, g in zip(self.weights, self.biases, self.activations):
            z = acts[-1] @ W.T
            z += b  # in place: the same sum as a @ W.T + b, one array fewer
            zs.append(z)
            acts.append(z if g is _IDENTITY else g.value_fn(z))
        return zs, acts

    def forward(self, X: object) -> np.ndarray:
        """The network's outputs, shape (n, n_out)."""
        return self.forward_cache(X)[1][-1]

    def _loss_and_delta(self, out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        n = out.shape[0]
        if self.loss_name == "mse":
            diff = out - y
            return 0.5 * float(np.sum(diff * diff)) / n, diff / n
        # cross-entropy on logits, stable for any logit size
        loss = float(np.sum(np.logaddexp(0.0, out) - y * out)) / n
        return loss, (expit(out) - y) / n

    def loss(self, X: object, y: object) -> float:
        """The loss on (X, y)."""
        out = self.forward(X)
        return self._loss_and_delta(out, self._targets(y, out.shape[0]))[0]

    def _backward(self, X: np.ndarray, y: np.ndarray):
        """The loss, its gradients dWs and dbs, and the pre-activations zs, for X and y already
        checked: the chain rule from the output layer back to the first."""
        zs, acts = self.forward_cache(X)
        loss, delta = self._loss_and_delta(acts[-1], y)
        if self.activations[-1] is not _IDENTITY:
            delta = delta * self.activations[-1].derivative_fn(zs[-1])
        dWs, dbs = [], []
        for i in range(len(self.weights) - 1, -1, -1):
            dWs.insert(0, delta.T @ acts[i])
            dbs.insert(0, delta.sum(axis=0))
            if i > 0:
                W = self.weights[i]
                back = delta * W if W.shape[0] == 1 else delta @ W  # one output: the same sums
                delta = back * self.activations[i - 1].derivative_fn(zs[i - 1])
        return loss, dWs, dbs, zs

    def gradients(self, X: object, y: object) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(dWs, dbs): the loss's gradient for every weight matrix and bias vector."""
        X = self._inputs(X)
        _, dWs, dbs, _ = self._backward(X, self._targets(y, X.shape[0]))
        return dWs, dbs

    # ---- training -----------------------------------------------------------------------
    def train(
        self,
        X: object,
        y: object,
        steps: int = 1000,
        lr: float = 0.1,
        batch_size: int | None = None,
        seed: int = 0,
        record_every: int = 0,
    ) -> History:
        """Gradient descent for `steps` steps: full batch, or shuffled mini-batches.

        With record_every = k > 0 the loss, per-layer gradient norms and activation
        statistics are recorded every k steps (and at the last step); with 0, only the loss.
        If the loss stops being a finite number, training stops there (`diverged_at`) and a
        warning says so in plain words, unless the caller silenced overflow reports with
        `np.errstate(over="ignore")`.
        """
        quiet = np.geterr()["over"] == "ignore"
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            history = self._descend(X, y, steps, lr, batch_size, seed, record_every)
        if history.diverged_at is not None and not quiet:
            warnings.warn(
                f"Training blew up at step {history.diverged_at}: the loss became "
                f"{history.loss[-1]:.3g}. The learning rate {lr:g} is too large for this "
                f"network; try a smaller one, such as {lr / 10:g}. The weights are no longer "
                "numbers: build the network again before you train it.",
                RuntimeWarning,
                stacklevel=2,
            )
        return history

    def _descend(self, X, y, steps, lr, batch_size, seed, record_every) -> History:
        X = self._inputs(X)
        y = self._targets(y, X.shape[0])
        n = X.shape[0]
        rng = np.random.default_rng(seed)
        order, cursor = np.arange(n), n
        history = History()
        for t in range(steps):
            if batch_size is None or batch_size >= n:
                xb, yb = X, y
            else:
                if cursor + batch_size > n:
                    order, cursor = rng.permutation(n), 0
                idx = order[cursor : cursor + batch_size]
                cursor += batch_size
                xb, yb = X[idx], y[idx]
            loss, dWs, dbs, zs = self._backward(xb, yb)
            if not np.isfinite(loss):
                history.step.append(t)
                history.loss.append(loss)
                history.diverged_at = t
                break
            last = t == steps - 1
            if record_every and (t % record_every == 0 or last):
                self._record(history, t, loss, dWs, dbs, zs)
            elif not record_every:
                history.step.append(t)
                history.loss.append(loss)
            for W, b, dW, db in zip(self.weights, self.biases, dWs, dbs):
                dW *= lr  # the same product lr * dW, computed in place
                W -= dW
                db *= lr
                b -= db
        return history

    def _record(self, history: History, t: int, loss: float, dWs, dbs, zs) -> None:
        history.step.append(t)
        history.loss.append(loss)
        history.weight_grad_norm.append(np.array([np.linalg.norm(d) for d in dWs]))
        history.bias_grad_norm.append(np.array([np.linalg.norm(d) for d in dbs]))
        stats = hidden_layer_statistics(self, zs)
        for key in ("act_mean", "act_std", "saturated", "dead"):
            getattr(history, key).append(stats[key])

    def predict(self, X: object) -> np.ndarray:
        """Class 0/1 for a single-output classifier (threshold 0 on logits, 0.5 otherwise)."""
        out = self.forward(X)[:, 0]
        return (out > (0.0 if self.loss_name == "cross_entropy" else 0.5)).astype(np.float64)

    def accuracy(self, X: object, y: object) -> float:
        """Fraction of examples classified correctly."""
        return float(np.mean(self.predict(X) == np.asarray(y, dtype=np.float64).ravel()))


# ---- diagnostics ----------------------------------------------------------------------------
def dead_units(net: MLP, zs: list[np.ndarray]) -> list[np.ndarray]:
    """Per hidden layer, True for each unit that is effectively dead on this batch:
    |g'(z)| < DEAD_SLOPE * (g's largest slope) on every example."""
    return [
        np.all(np.abs(g.derivative_fn(z)) < DEAD_SLOPE * peak_slope(g), axis=0)
        for z, g in zip(zs[:-1], net.activations[:-1])
    ]


def hidden_layer_statistics(net: MLP, zs: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Per hidden layer: mean and std of the activations, fraction of (example, unit) pairs that
    are saturated, and fraction of units that are effectively dead (see `dead_units`)."""
    stats: dict[str, list[float]] = {"act_mean": [], "act_std": [], "saturated": [], "dead": []}
    for z, g, dead in zip(zs[:-1], net.activations[:-1], dead_units(net, zs)):
        a, slope = g.value_fn(z), g.derivative_fn(z)
        stats["act_mean"].append(float(a.mean()))
        stats["act_std"].append(float(a.std()))
        stats["saturated"].append(float(np.mean(slope <= SATURATED_SLOPE * peak_slope(g))))
        stats["dead"].append(float(dead.mean()))
    return {k: np.array(v) for k, v in stats.items()}


def layer_statistics(net: MLP, X: object) -> dict[str, np.ndarray]:
    """`hidden_layer_statistics` for the batch X."""
    zs, _ = net.forward_cache(X)
    return hidden_layer_statistics(net, zs)


# ---- gradient checking ----------------------------------------------------------------------
def gradient_norms(net: MLP, X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """The length of the loss's gradient for each layer: (weight norms, bias norms), the first
    layer first. The one place widgets, labs and measurements get per-layer gradient sizes."""
    dWs, dbs = net.gradients(X, y)
    return np.array([np.linalg.norm(d) for d in dWs]), np.array([np.linalg.norm(d) for d in dbs])


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6):
    """Central differences (f(x + eps) - f(x - eps)) / (2 eps), one entry of x at a time.
    x is changed in place while f runs and restored afterwards."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + eps
        up = f(x)
        flat_x[i] = old - eps
        down = f(x)
        flat_x[i] = old
        flat_g[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a: object, b: object) -> float:
    """||a - b|| / (||a|| + ||b||): about 1e-7 or less means the two gradients agree."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def gradient_check(net: MLP, X: object, y: object, eps: float = 1e-6) -> float:
    """Relative error between backprop's gradients and central differences, all parameters."""
    dWs, dbs = net.gradients(X, y)
    analytic, numeric = [], []
    for param, grad in zip(net.weights + net.biases, dWs + dbs):
        analytic.append(grad.ravel())
        numeric.append(numerical_gradient(lambda _: net.loss(X, y), param, eps).ravel())
    return relative_error(np.concatenate(analytic), np.concatenate(numeric))
