"""Every figure the helpers draw is described in words and tells its series apart without colour.

A figure helper is a public function of a helpers module that is annotated to return a
`Figure` or is named `*_figure` (`new_figure`, the blank canvas they all start from, aside).
Each must have a sample call below, so a new helper is tested as soon as it exists.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

import helpers
from helpers import (
    activation_trial,
    activations,
    data,
    hidden_units,
    inside,
    mystery_runs,
    plots,
    style,
)
from helpers.network import MLP

X, Y = data.make("moons", 60, seed=0)
Z = activation_trial.PLOT_Z


def _probability(points: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-points[:, 0]))


SAMPLE_CALLS = {
    "plots.activation_figure": lambda: plots.activation_figure(activations.names()),
    "plots.boundary_figure": lambda: plots.boundary_figure(
        [(X, Y, _probability, "one"), (X, Y, _probability, "two")]
    ),
    "plots.per_layer_figure": lambda: plots.per_layer_figure(
        {"sigmoid": [1e-3, 1e-2, 1e-1], "tanh": [1e-2, 1e-2, 1e-2], "run C": [1, 2, 3]},
        "gradient norm",
        reference={"Nielsen": [1e-3, 1e-2, 1e-1]},
    ),
    "plots.curve_panels_figure": lambda: plots.curve_panels_figure(
        np.arange(5),
        {"loss": {n: np.ones((3, 5)) for n in activations.names()}, "accuracy": {"a": np.ones(5)}},
        "step",
    ),
    "plots.curves_figure": lambda: plots.curves_figure(
        np.arange(5), {f"run {i}": np.arange(5.0) * i for i in range(9)}, "step", "loss"
    ),
    "plots.seed_dots_figure": lambda: plots.seed_dots_figure(
        {"relu": [0.9, 0.95], "tanh": [0.8, 0.85]}, "accuracy"
    ),
    "plots.layer_histograms_figure": lambda: plots.layer_histograms_figure(
        {"tanh": [np.linspace(-1, 1, 50)] * 5, "relu": [np.linspace(0, 1, 50)] * 5}
    ),
    "mystery_runs.loss_figure": mystery_runs.loss_figure,
    "mystery_runs.gradient_figure": mystery_runs.gradient_figure,
    "mystery_runs.histogram_figure": mystery_runs.histogram_figure,
    "activation_trial.trial_figure": lambda: activation_trial.trial_figure(
        {"g": np.tanh(Z), "measured": 1 - np.tanh(Z) ** 2},
        activation_trial.measure("tanh"),
        activation_trial.measure("relu"),
    ),
    "inside.digits_figure": lambda: inside.digits_figure(*data.digits(0)[:2]),
    "inside.update_ratio_figure": lambda: inside.update_ratio_figure(
        {"healthy": np.full((50, 3), 1e-3), "too fast": np.full((50, 3), 1e-1)}
    ),
    "inside.gradient_histograms_figure": lambda: inside.gradient_histograms_figure(
        {"a": [np.full(20, 1e-3)] * 3}
    ),
    "inside.saturation_map_figure": lambda: inside.saturation_map_figure(
        {"a": np.zeros((20, 8), bool), "b": np.ones((20, 8), bool)}
    ),
    "hidden_units.hidden_unit_maps": lambda: hidden_units.hidden_unit_maps(
        MLP([2, 4, 1], "relu", seed=0), X, Y
    ),
}


def figure_helpers() -> list[str]:
    """Every `*_figure` function of every helpers module (not widgets, not exercise sets)."""
    found = []
    for module in pkgutil.iter_modules(helpers.__path__):
        if module.ispkg:
            continue
        mod = importlib.import_module(f"helpers.{module.name}")
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            returns = inspect.get_annotations(fn).get("return")
            named = name.endswith("_figure") and name != "new_figure"
            if name == "describe":  # takes a figure, gives it back described
                continue
            if fn.__module__ == mod.__name__ and not name.startswith("_"):
                if named or returns in ("Figure", Figure):
                    found.append(f"{module.name}.{name}")
    return sorted(found)


def test_every_figure_helper_has_a_sample_call():
    assert figure_helpers() == sorted(SAMPLE_CALLS), "add a sample call for each new helper"


@pytest.fixture(params=sorted(SAMPLE_CALLS), scope="module")
def figure(request) -> Figure:
    return SAMPLE_CALLS[request.param]()


def test_every_figure_helper_describes_its_figure(figure):
    text = style.description(figure)
    assert text and len(text) > 40, f"no description in words: {text!r}"
    bundle, metadata = style.figure_bundle(figure)
    assert bundle["text/plain"] == text == metadata["image/png"]["alt"]
    assert f'alt="{text}"' in bundle["text/html"].replace("&#x27;", "'")


def _series(ax) -> list[Line2D]:
    """The lines a legend or a reader tells apart: labelled, visible, more than one point."""
    return [
        line
        for line in ax.get_lines()
        if line.get_visible() and not line.get_label().startswith("_") and len(line.get_xdata()) > 1
    ]


def test_no_two_series_are_told_apart_by_colour_alone(figure):
    for ax in figure.axes:
        looks = [
            (mcolors.to_hex(line.get_color()), line.get_linestyle(), line.get_marker())
            for line in _series(ax)
        ]
        for i, a in enumerate(looks):
            for b in looks[i + 1 :]:
                assert a[1:] != b[1:], f"{a} and {b} differ only by colour in {ax.get_title()!r}"


def test_every_activation_has_its_own_style_never_the_slopes():
    looks = [style.activation_style(name) for name in activations.names()]
    markers = [look["marker"] for look in looks]
    assert len(set(markers)) == len(markers), "two activations share a marker"
    assert all(look["linestyle"] != style.SLOPE_LINESTYLE for look in looks)
    assert "." not in markers, "an activation without a style of its own (the grey fallback)"


def test_a_figure_without_description_still_gets_alt_text():
    fig, (ax,) = plots.new_figure()
    ax.set(title="mine", xlabel="z", ylabel="g")
    assert style.description(fig) is None
    assert style.alt_text(fig) == "A figure: mine (g against z)."


def test_every_widget_describes_its_figure():
    from helpers.widgets import registry

    for name, build in registry().items():
        widget = build()
        text = style.description(widget.figure)
        assert text and len(text) > 40, f"{name}: set figure_text, its figure in words"
        assert widget.live.image.tooltip == text  # the <img>'s title in the browser
        bundle, metadata = widget._repr_mimebundle_()
        assert metadata["image/png"]["alt"] == text
        assert "Run this cell" in bundle["text/markdown"]
