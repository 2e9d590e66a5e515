"""A short trial of an activation (the learner's own in notebook 07's lab, or a registry name):
the per-layer gradient flow at the start in a network of six hidden layers, a seeded training
run on the moons or on real digits, what they say in plain words, and a figure with ReLU's
beside it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

import numpy as np
from matplotlib.figure import Figure

from helpers import data
from helpers.activations import Activation, get
from helpers.network import MLP, gradient_norms
from helpers.plots import new_figure, number_list
from helpers.style import OKABE_ITO, activation_style, describe

PLOT_Z = np.linspace(-5.0, 5.0, 401)
HIDDEN_FLOW, HIDDEN_TRAIN = [32] * 6, [16, 16]  # six hidden layers of 32 units; two of 16
TRAIN_STEPS = 300
TRAIN_LR = 0.5
SEED = 0
DATASETS = ("moons", "digits")  # 200 points in the plane; 1,797 handwritten digits (notebook 08)


@dataclass
class Measurement:
    """Gradient flow and training of one activation."""

    flow: np.ndarray  # per-layer weight-gradient norms at initialization
    losses: np.ndarray  # training loss per step
    accuracy: float  # on the training points (moons), on the held-out test digits (digits)


def _network(sizes: list[int], act: Activation | str, seed: int) -> MLP:
    return MLP(sizes, [act] * (len(sizes) - 2), init="normal", seed=seed, loss="cross_entropy")


def task(dataset: str, seed: int) -> tuple[np.ndarray, ...]:
    """X, Y to train on and X, Y to measure accuracy on: the moons (the same 200 points), or
    the digits (a training and a test split, `data.digits`)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; use one of {', '.join(DATASETS)}")
    if dataset == "digits":
        return data.digits(seed)
    X, y = data.make("moons", 200, seed=seed)
    return X, y, X, y


def gradient_flow(act: Activation | str, seed: int = SEED, dataset: str = "moons") -> np.ndarray:
    """Per-layer weight-gradient norms at initialization in a network of six hidden layers of
    32 units (LeCun-normal init), on 200 of the data set's points: the first is the first layer."""
    X, Y = task(dataset, seed)[:2]
    net = _network([X.shape[1], *HIDDEN_FLOW, Y.shape[1] if Y.ndim > 1 else 1], act, seed)
    return gradient_norms(net, X[:200], Y[:200])[0]


def measure(act: Activation | str, seed: int = SEED, dataset: str = "moons") -> Measurement:
    """The flow measurement and a short seeded training run, full batch: 2-16-16-1 on the moons
    (accuracy on those points), 64-16-16-10 on the digits (accuracy on the test digits). A
    registry name's is computed once."""
    if isinstance(act, str):
        return _measure_named(act, seed, dataset)
    X, Y, X_test, Y_test = task(dataset, seed)
    net = _network([X.shape[1], *HIDDEN_TRAIN, Y.shape[1] if Y.ndim > 1 else 1], act, seed)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        losses = np.array(net.train(X, Y, steps=TRAIN_STEPS, lr=TRAIN_LR).loss)
        if dataset == "digits":  # the digit it scores highest, against the true one
            accuracy = float(np.mean(net.forward(X_test).argmax(1) == Y_test.argmax(1)))
        else:
            accuracy = net.accuracy(X_test, Y_test)
        return Measurement(gradient_flow(act, seed, dataset), losses, accuracy)


def flow_finding(flow: np.ndarray) -> tuple[str, str]:
    if not np.all(np.isfinite(flow)):
        return "fail", "the gradients are not finite: the network cannot learn"
    if flow[0] == 0:
        return "fail", "no gradient reaches the first layer: it cannot learn at all"
    ratio = flow[0] / flow[-2] if flow[-2] > 0 else 0.0  # first hidden vs last hidden layer
    said = f"the first layer's gradient is {ratio:.3g} times the last hidden layer's: it "
    if ratio < 0.1:
        return "warn", said + "vanishes on the way back, so early layers learn slowly (notebook 05)"
    if ratio > 10:
        return "warn", said + "grows on the way back (exploding gradients, notebook 05)"
    return "ok", said + "flows back through six layers without vanishing or exploding"


def training_finding(yours: Measurement, relu: Measurement) -> tuple[str, str]:
    a, b = yours.losses[-1], relu.losses[-1]
    if not np.isfinite(a):
        return "fail", (
            "training diverged: the loss became infinite or NaN (the steps were too large for "
            "this activation's slope)"
        )
    said = (
        f"after {TRAIN_STEPS} steps the loss is {a:.3g} (ReLU: {b:.3g}) and the accuracy "
        f"{yours.accuracy:.1%} (ReLU: {relu.accuracy:.1%})"
    )
    learned = a < 0.9 * yours.losses[0]
    if a < 0.8 * b:
        return "ok", said + ": it learned faster than ReLU on this task"
    if a <= 1.25 * b:
        return "ok", said + ": about as well as ReLU on this task"
    if learned and yours.accuracy >= relu.accuracy - 0.02:
        return (
            "ok",
            said + ": about the same accuracy, though its loss fell more slowly than ReLU's",
        )
    return "warn", said + (
        ": it learns, but more slowly than ReLU" if learned else ": it barely learned"
    )


@cache
def _measure_named(name: str, seed: int, dataset: str) -> Measurement:
    return measure(get(name), seed, dataset)


def trial_figure(
    curves: dict[str, np.ndarray],
    yours: Measurement | None,
    relu: Measurement | None,
    dataset: str = "moons",
) -> Figure:
    """`curves` on PLOT_Z ('g', 'measured' slope, the 'given' derivative if any) beside ReLU;
    the per-layer gradient norms and the training loss, yours beside ReLU's (blank with a note
    when there are no measurements yet)."""
    figure, (ax_g, ax_flow, ax_loss) = new_figure(3, width=12, height=3.4)
    ax_g.plot(PLOT_Z, get("relu")(PLOT_Z), lw=1.2, label="ReLU", **activation_style("relu"))
    ax_g.plot(PLOT_Z, curves["g"], color=OKABE_ITO["blue"], label="$g(z)$")
    if "given" in curves:
        ax_g.plot(
            PLOT_Z, curves["given"], color=OKABE_ITO["orange"], ls="--", label="$g'(z)$, yours"
        )
    ax_g.plot(PLOT_Z, curves["measured"], color="black", ls=":", lw=1.5, label="measured slope")
    values = np.concatenate(list(curves.values()))
    values = values[np.isfinite(values)]
    lo, hi = (min(values.min(), -1.0), max(values.max(), 1.0)) if values.size else (-2, 5)
    pad = 0.08 * (hi - lo)
    ax_g.set(xlabel="$z$", title="your activation and its slope", xlim=(-5, 5))
    ax_g.set_ylim(max(lo - pad, -20), min(hi + pad, 20))
    ax_g.legend(loc="upper left")
    layers = np.arange(1, len(HIDDEN_FLOW) + 2)
    ax_flow.set(yscale="log", ylim=(1e-8, 1e2), xticks=layers, title="gradient flow at the start")
    ax_flow.set(xlabel="layer (1 = first, 7 = output)", ylabel=r"$\|\partial L / \partial W\|$")
    ax_loss.set(yscale="log", ylim=(1e-3, 2), xlim=(0, TRAIN_STEPS), xlabel="training step")
    ax_loss.set(ylabel="loss", title=f"training on {dataset}")
    text = "Left: your activation g(z) and its measured slope (dotted) beside ReLU, z from -5 to 5."
    if yours is None or relu is None:
        for ax in (ax_flow, ax_loss):
            ax.text(0.5, 0.5, "not measured yet:\nfix the ✗ line first", ha="center",
                    va="center", transform=ax.transAxes)  # fmt: skip
        return describe(figure, text + " The other two panels are empty: not measured yet.")
    for shift, label, m in ((-0.2, "yours", yours), (0.2, "ReLU", relu)):
        colour = OKABE_ITO["blue"] if label == "yours" else OKABE_ITO["green"]
        heights = np.where(np.isfinite(m.flow), np.maximum(m.flow, 1e-8), 1e-8)
        ax_flow.bar(layers + shift, heights, 0.4, color=colour, label=label,
                    hatch="" if label == "yours" else "//")  # fmt: skip
    finite = [v for m in (yours, relu) for v in m.losses if np.isfinite(v)]
    ax_loss.set_ylim(1e-3, max(2.0, 1.5 * max(finite, default=1.0)))  # digits start near 7
    ax_loss.plot(yours.losses, color=OKABE_ITO["blue"], label="yours")
    ax_loss.plot(relu.losses, **activation_style("relu"), label="ReLU")
    ax_flow.legend(loc="upper left")
    ax_loss.legend(loc="upper right")
    return describe(
        figure,
        f"{text} Middle: the weight gradient per layer at the start, layer 1 to 7, yours "
        f"{number_list(yours.flow)}; ReLU's {number_list(relu.flow)}. Right: the training loss "
        f"on {dataset} over {TRAIN_STEPS} steps, yours from {yours.losses[0]:.3g} to "
        f"{yours.losses[-1]:.3g}, "
        f"ReLU's from {relu.losses[0]:.3g} to {relu.losses[-1]:.3g}.",
    )
