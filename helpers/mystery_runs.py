"""Notebook 07's graded diagnosis: five short, seeded training runs, each with one fault.

`mystery_runs()` trains them (well under a second in all) and returns, per run letter, what a
learner can see: the loss over training, every hidden layer's weight-gradient norm at the
start, every hidden layer's activations and the output unit's value at the start. Which fault
each run has (the answer) is `FAULT_OF`; the recipes are below, out of the notebook's sight.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.special import expit

from helpers import data
from helpers.network import MLP, SATURATED_SLOPE, gradient_norms, hidden_layer_statistics
from helpers.plots import curve_panels_figure, layer_histograms_figure, per_layer_figure

# The fixed list the learner names faults from: name -> what it means, in a few words.
FAULTS = {
    "vanishing gradient": "the early layers' gradients shrink toward nothing",
    "exploding gradient": "the gradients grow huge, at the early layers or at every layer",
    "dead ReLUs": "most ReLU units output 0 on every example and get no gradient",
    "saturated output": "the output unit is pinned at one end of its sigmoid under squared error",
    "learning rate too small": "a healthy network that takes tiny steps",
}
STEPS, EVERY = 200, 10  # training steps per run, one record every EVERY steps
N_POINTS, SEED = 200, 0


@dataclass
class Recipe:
    hidden: list[int]
    activation: str
    init: str | float
    lr: float
    loss: str = "cross_entropy"
    output_activation: str = "identity"
    bias_shift: float = 0.0  # added to every hidden layer's biases
    output_bias: float = 0.0  # the output unit's bias


RECIPES = {
    "A": ("exploding gradient", Recipe([16] * 6, "relu", 1.0, lr=0.1)),
    "B": ("dead ReLUs", Recipe([16] * 3, "relu", "he", lr=0.5, bias_shift=-2.5)),
    "C": ("learning rate too small", Recipe([16] * 3, "tanh", "xavier", lr=0.003)),
    "D": ("vanishing gradient", Recipe([16] * 8, "sigmoid", "normal", lr=0.5)),
    "E": (
        "saturated output",
        Recipe([16] * 3, "tanh", "xavier", lr=0.5, loss="mse", output_activation="sigmoid",
               output_bias=8.0),
    ),
}  # fmt: skip
FAULT_OF = {run: fault for run, (fault, _) in RECIPES.items()}


def build(recipe: Recipe) -> MLP:
    """The run's network before training (seeded)."""
    net = MLP([2, *recipe.hidden, 1], recipe.activation, init=recipe.init, seed=SEED,
              loss=recipe.loss, output_activation=recipe.output_activation)  # fmt: skip
    for b in net.biases[:-1]:
        b += recipe.bias_shift
    net.biases[-1] += recipe.output_bias
    return net


@cache
def mystery_runs() -> dict[str, dict[str, np.ndarray]]:
    """Per run letter: 'step' and 'loss' over training; at the start, 'grad' (each hidden
    layer's weight-gradient norm, as the network builder shows), 'acts' (each hidden layer's
    activations, a list), 'output' (the output unit's value: a probability), 'dead' and
    'saturated' (per hidden layer, as in helpers.network.hidden_layer_statistics: for ReLU it
    counts the units that are off, slope 0), 'output_saturated' (fraction of examples whose
    output unit sits where its slope is below SATURATED_SLOPE, about 6%, of its largest) and
    'output_low', 'output_high' (the part of that fraction near 0, and near 1)."""
    X, y = data.make("moons", N_POINTS, seed=SEED)
    runs = {}
    for run, (_, recipe) in RECIPES.items():
        net = build(recipe)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zs, acts = net.forward_cache(X)
            stats = hidden_layer_statistics(net, zs)
            weight_norms = gradient_norms(net, X, y)[0]
            history = net.train(X, y, steps=STEPS, lr=recipe.lr, record_every=EVERY)
        out = expit(zs[-1][:, 0])  # the output unit as a probability, for every run
        # the sigmoid's slope out(1 - out) below SATURATED_SLOPE of its largest, 1/4
        flat = out * (1 - out) < SATURATED_SLOPE * 0.25
        runs[run] = {
            "step": np.array(history.step),
            "loss": np.array(history.loss),
            "grad": weight_norms[:-1],
            "acts": acts[1:-1],
            "output": out,
            "dead": stats["dead"],
            "saturated": stats["saturated"],
            "output_saturated": float(np.mean(flat)),
            "output_low": float(np.mean(flat & (out < 0.5))),
            "output_high": float(np.mean(flat & (out > 0.5))),
        }
    return runs


# ---- what the notebook shows: the evidence, never the recipe --------------------------------
FLOOR = 1e-12  # a gradient of exactly 0 is drawn here, at the bottom of the log axis


def loss_figure():
    """Every run's loss over training, log scale."""
    runs = mystery_runs()
    length = min(len(r["step"]) for r in runs.values())
    steps = next(iter(runs.values()))["step"][:length]
    curves = {f"run {k}": r["loss"][:length] for k, r in runs.items()}
    return curve_panels_figure(steps, {"loss": curves}, "training step", log=True, width=7.0)


def gradient_figure():
    """Every run's weight-gradient norm per hidden layer at the start (0 drawn at FLOOR)."""
    series = {f"run {k}": np.maximum(r["grad"], FLOOR) for k, r in mystery_runs().items()}
    return per_layer_figure(series, "weight-gradient norm at the start", width=7.0)


def histogram_figure():
    """Every run's hidden-layer activations at the start, one panel per run."""
    panels = {f"run {k}": r["acts"] for k, r in mystery_runs().items()}
    return layer_histograms_figure(panels, value_range=(-1.5, 1.5), panel_width=2.7)


def fraction_table() -> str:
    """Per run: dead hidden units and hidden units saturated or off (in %, per layer), and the
    share of examples whose output unit sits on a flat end of its sigmoid, near 0 and near 1."""
    lines = ["run  dead units per layer   saturated or off per layer   output flat: near 0  near 1"]
    for k, r in mystery_runs().items():
        dead = " ".join(f"{v:4.0%}" for v in r["dead"][:4])
        sat = " ".join(f"{v:4.0%}" for v in r["saturated"][:4])
        low, high = r["output_low"], r["output_high"]
        lines.append(f" {k}   {dead:22s} {sat:28s} {low:19.0%} {high:7.0%}")
    return "\n".join(lines) + "\n(first four hidden layers shown)"
