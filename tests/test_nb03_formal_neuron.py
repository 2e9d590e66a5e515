"""Notebook 03: its exercises, the zoo explorer widget, the formula table, and the notebook's
structure (slides, navigation, tagged numbers)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from notebook_text import tagged_output

from helpers.activations import get
from helpers.exercises import EXERCISES, load_all
from helpers.widgets.zoo_explorer import ZOO, ZooExplorer, formula_table, zoo_explorer

load_all()
NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "03_the_formal_neuron.ipynb"


# ---- exercises ------------------------------------------------------------------------------
def test_dense_layer_reference_and_an_equivalent_answer_pass(say):
    assert say("03.dense_layer", EXERCISES["03.dense_layer"].reference)[0]
    # an answer written differently (bias added after the product, einsum) is right too
    assert say("03.dense_layer", lambda X, W, b, g: g(np.einsum("ni,oi->no", X, W) + b))[0]


def test_dense_layer_wrong_shapes_get_a_hint_naming_the_expected_shape(say):
    passed, out = say("03.dense_layer", lambda X, W, b, g: g(X @ W + b))
    assert not passed and "(n, n_out) = (7, 3)" in out and "(n_out, n_in) = (3, 5)" in out
    assert "A's columns must match B's rows" in out and "X @ W.T" not in out  # not the answer
    passed, out = say("03.dense_layer", lambda X, W, b, g: g(X @ W.T + b[:, None]))
    assert not passed and "could not be broadcast" in out and "b one entry per neuron" in out
    passed, out = say("03.dense_layer", lambda X, W, b, g: g(W @ X.T + b[:, None]))
    assert not passed and "returned shape (3, 7)" in out and "(7, 3)" in out
    passed, out = say("03.dense_layer", lambda X, W, b, g: g(X @ W.T + b).ravel())
    assert not passed and "returned shape (21,)" in out and "(7, 3)" in out


def test_dense_layer_half_finished_answers_never_raise(say):
    def raising(X, W, b, g):
        raise RuntimeError("half-finished")

    for answer in (None, ..., raising, lambda X, W, b, g: ..., lambda X, W, b, g: "text", 3):
        passed, out = say("03.dense_layer", answer)
        assert not passed and "Not yet, because" in out and "Traceback" not in out
    assert "RuntimeError: half-finished" in say("03.dense_layer", raising)[1]


def test_dense_layer_missing_activation_or_bias_is_named(say):
    assert "apply the activation g" in say("03.dense_layer", lambda X, W, b, g: X @ W.T + b)[1]
    assert "bias b is missing" in say("03.dense_layer", lambda X, W, b, g: g(X @ W.T))[1]


def test_leaky_relu_accepts_equivalent_forms_and_names_relu_and_wrong_slope(say):
    assert say("03.leaky_relu", lambda z: np.maximum(0.01 * z, z))[0]
    assert say("03.leaky_relu", get("leaky_relu"))[0]
    assert "that is ReLU" in say("03.leaky_relu", lambda z: np.maximum(z, 0))[1]
    out = say("03.leaky_relu", lambda z: np.where(z > 0, z, 0.2 * z))[1]
    assert "slope is 0.2" in out


def test_leaky_relu_derivative_accepts_either_choice_at_the_kink(say):
    assert say("03.leaky_relu_derivative", lambda z: np.where(z >= 0, 1.0, 0.01))[0]
    assert say("03.leaky_relu_derivative", get("leaky_relu").derivative)[0]
    out = say("03.leaky_relu_derivative", lambda z: np.where(z > 0, 1.0, 0.0))[1]
    assert "ReLU's derivative" in out
    out = say("03.leaky_relu_derivative", lambda z: 1.0)[1]
    assert "single number" in out


# ---- the zoo explorer -----------------------------------------------------------------------
@pytest.fixture
def zoo():
    widget = zoo_explorer()
    assert isinstance(widget, ZooExplorer) and widget.last_error is None
    return widget


def test_default_view_shows_three_functions_with_slopes(zoo):
    assert zoo.selected() == ["sigmoid", "tanh", "relu"]
    visible = [name for name in ZOO if zoo.values[name].get_visible()]
    assert visible == ["sigmoid", "tanh", "relu"]
    assert all(zoo.slopes[name].get_visible() for name in visible)
    assert "0.7311" in zoo.readout.value  # sigmoid(1)
    assert "0.1966" in zoo.readout.value  # sigmoid'(1)


def test_moving_z_moves_the_marker_the_dots_and_the_readout(zoo):
    png, readout = zoo.live.image.value, zoo.readout.value
    lines = dict(zoo.values)
    zoo.controls["z"].value = -3.0
    assert zoo.last_error is None
    assert list(zoo.marker.get_xdata()) == [-3.0, -3.0]
    x_dot, y_dot = zoo.value_dots["tanh"].get_data()
    assert x_dot[0] == -3.0 and np.isclose(y_dot[0], np.tanh(-3.0))
    assert np.isclose(zoo.slope_dots["relu"].get_data()[1][0], 0.0)
    assert zoo.readout.value != readout and "-3.0" in zoo.readout.value
    assert f"{float(np.tanh(-3.0)):.4g}" in zoo.readout.value
    assert zoo.live.image.value != png
    assert zoo.values == lines  # the same line objects, moved in place


def test_slopes_toggle_hides_and_shows_the_dotted_lines(zoo):
    zoo.controls["slopes"].value = False
    assert zoo.last_error is None
    assert not any(zoo.slopes[name].get_visible() for name in ZOO)
    assert not any(zoo.slope_dots[name].get_visible() for name in ZOO)
    assert zoo.values["tanh"].get_visible()
    zoo.controls["slopes"].value = True
    assert zoo.slopes["tanh"].get_visible() and not zoo.slopes["elu"].get_visible()


def test_picking_functions_changes_visibility_legend_and_readout(zoo):
    figure, lines_before, png = zoo.figure, len(zoo.ax.lines), zoo.live.image.value
    assert zoo.legend_labels() == ["sigmoid", "tanh", "ReLU"]
    zoo.controls["functions"].value = ("SELU", "GELU")
    assert zoo.last_error is None
    assert zoo.selected() == ["selu", "gelu"]
    assert zoo.values["selu"].get_visible() and not zoo.values["sigmoid"].get_visible()
    assert "SELU" in zoo.readout.value and "sigmoid" not in zoo.readout.value
    assert zoo.legend_labels() == ["SELU", "GELU"]
    assert zoo.live.image.value != png
    zoo.controls["functions"].value = ()
    assert zoo.last_error is None and "Pick at least one" in zoo.readout.value
    assert not any(line.get_visible() for line in zoo.values.values())
    assert zoo.legend_labels() == []
    assert zoo.figure is figure and len(zoo.ax.lines) == lines_before  # nothing rebuilt


def test_the_frame_fits_every_function_and_never_rescales(zoo):
    limits = zoo.ax.get_ylim()
    low, high = limits
    for name in ZOO:  # every value and slope on the grid is inside the fixed frame
        for line in (zoo.values[name], zoo.slopes[name]):
            y = line.get_ydata()
            assert np.nanmin(y) > low and np.nanmax(y) < high, name
    assert low < -1.76 and high > 5.25  # SELU's floor and its value at z = 5
    for pick in (("sigmoid",), ("SELU", "GELU"), tuple(zoo.controls["functions"].options)):
        zoo.controls["functions"].value = pick
        assert zoo.ax.get_ylim() == limits


def test_moving_z_or_showing_slopes_draws_only_the_lines(zoo, count_calls):
    # the lines and markers are animated: only a new pick (a new legend) draws the figure whole
    draws = count_calls(zoo.live.canvas, "draw")
    for z in (-2.0, -1.0, 0.5):
        zoo.controls["z"].value = z
    zoo.controls["slopes"].value = not zoo.controls["slopes"].value
    assert zoo.last_error is None and draws == []
    zoo.controls["functions"].value = ("SELU", "GELU")
    assert len(draws) == 1


def test_readout_values_match_the_registry_for_every_function(zoo):
    zoo.controls["functions"].value = tuple(zoo.controls["functions"].options)
    zoo.controls["z"].value = 0.7
    readout = re.sub(r"<td[^>]*>", "<td>", zoo.readout.value)
    for name in ZOO:
        act = get(name)
        assert f"{float(act(0.7)):.4g}</td><td>{float(act.derivative(0.7)):.4g}" in readout, name


def test_discontinuities_are_not_drawn_as_vertical_lines(zoo):
    step = zoo.values["step"].get_ydata()
    assert np.isnan(step).sum() == 1  # one break, at the jump
    assert np.isnan(zoo.slopes["relu"].get_ydata()).sum() == 1
    assert not np.isnan(zoo.values["sigmoid"].get_ydata()).any()


def test_formula_table_shows_every_zoo_activation_once():
    rows = formula_table().data.splitlines()[2:]  # after the header and its rule
    assert len(rows) == len(ZOO)
    for row, name in zip(rows, ZOO):
        act = get(name)
        assert act.label in row and act.formula in row and act.derivative_formula in row


# ---- what the notebook's properties table relies on -----------------------------------------
def test_measured_saturation_and_monotonicity_agree_with_the_registry():
    z = np.linspace(-1000, 1000, 200_001)
    for name in ZOO:
        act = get(name)
        slopes = act.derivative(z)
        both_flat = slopes[0] < 1e-6 and slopes[-1] < 1e-6
        assert both_flat == act.saturating, name
        assert bool(np.all(np.diff(act(z)) >= 0)) == act.monotone, name


# ---- the notebook itself --------------------------------------------------------------------
def test_notebook_tags_its_numbers_and_leaves_timing_to_notebook_06():
    # sections, slides and navigation: tests/test_workshop_kit.py, for every notebook
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    assert "".join(cells[0]["source"]).startswith("# 03 · The formal neuron")
    tagged = [c for c in cells if "nbval-check-output" in c["metadata"].get("tags", [])]
    assert len(tagged) >= 9
    # the timing section lives in 06 only ("ReLU is cheap"); 03 points there
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "perf_counter" not in code and "timeit" not in code
    assert any("notebook 06" in "".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def printed(notebook=None):
    return tagged_output(notebook or NOTEBOOK)


def test_gelu_approximations_print_their_largest_gaps():
    text = printed()
    assert "z sigmoid(1.702 z)| on [-10, 10]: 2.03e-02 at z = ±2.27" in text
    assert "tanh form| on [-10, 10]: 4.73e-04 at z = ±2.70" in text
    # the same numbers from an independent computation: mpmath's erf, a finer grid
    import mpmath as mp

    def tanh_form(z):
        return 0.5 * z * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (z + mp.mpf("0.044715") * z**3)))

    grid = [mp.mpf(k) / 1000 for k in range(2600, 2800)]  # around the largest gap
    gap = max(abs(z * mp.erfc(-z / mp.sqrt(2)) / 2 - tanh_form(z)) for z in grid)
    assert 4.72e-4 < float(gap) < 4.74e-4
    assert "below 1e-15" in text  # tanh(x) = 2 sigmoid(2x) - 1, to rounding


def test_zero_centring_table_shows_one_sign_updates_and_the_cost_in_steps():
    text = printed()
    rows = [line.split() for line in text.splitlines() if re.match(r"^[0-4] +\d+%", line)]
    assert len(rows) == 5
    for _, sig_ex, cen_ex, _, cen_step, sig_steps, cen_steps in rows:
        assert sig_ex == "100%" and cen_ex == "1%"  # every example vs 2 * (1/2)**8
        assert cen_step == "0%"
        assert int(sig_steps) > 2 * int(cen_steps)  # the cost, on every seed
    ratio = re.search(r"need ([\d.]+) to ([\d.]+) times the steps \(median ([\d.]+)\)", text)
    assert ratio and float(ratio.group(1)) > 2.0
    steps = [int(r[5]) / int(r[6]) for r in rows]
    assert float(ratio.group(3)) == round(float(np.median(steps)), 1)


def test_framework_table_names_the_documented_defaults():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    table = next(
        "".join(c["source"]) for c in cells if "## The zoo in PyTorch" in "".join(c["source"])
    )
    for entry in [
        "nn.LeakyReLU(negative_slope=0.01)", "leaky_relu(x, negative_slope=0.2)",
        "nn.ELU(alpha=1.0)",
        "nn.GELU(approximate='none')", "approximate='tanh'", "gelu(x, approximate=False)",
        "nn.SELU()", "1.6732632423543772848170429916717", "1.0507009873554804934193349852946",
        "nn.Softplus(beta=1, threshold=20)", "nn.SiLU()", "nn.Sigmoid()", "nn.Tanh()", "nn.ReLU()",
        "elu(x, alpha=1.0)", "`selu`", "`silu`", "`softplus`", "`sigmoid`", "`tanh`", "`relu`",
    ]:  # fmt: skip
        assert entry in table, entry


def tagged_numbers(notebook):
    """Every number printed in scientific notation by a cell nbval compares."""
    found = []
    for cell in json.loads(notebook.read_text())["cells"]:
        if "nbval-check-output" in cell["metadata"].get("tags", []):
            for output in cell.get("outputs", []):
                text = re.sub(r"(below|than) 1e-\d+", "", "".join(output.get("text", "")))
                found += re.findall(r"-?\d+(?:\.\d+)?e[-+]?\d+", text)  # not thresholds
    return found


def test_compared_outputs_print_no_rounding_noise():
    # a difference at float64-rounding level (1e-16, say) changes with the CPU and BLAS: the
    # notebook prints it as a bound ("below 1e-15") instead
    tiny = [x for x in tagged_numbers(NOTEBOOK) if abs(float(x)) < 1e-9]
    assert tiny == []


# ---- 03.gelu_zero: the answer comes from the slopes the zoo explorer draws -------------------
def test_gelu_zero_is_where_the_explorers_slope_changes_sign():
    from helpers.exercise_sets.nb03_the_formal_neuron import gelu_slope_zero

    widget = ZooExplorer(selected=("gelu",))
    slopes = {}
    for z in (-0.8, -0.7):  # the slider's marks on either side of the answer
        widget.controls["z"].value = z
        widget.update()
        slopes[z] = widget.slope_dots["gelu"].get_ydata()[0]
    assert slopes[-0.8] < 0 < slopes[-0.7]
    assert -0.8 < gelu_slope_zero() < -0.7
    assert abs(gelu_slope_zero() - EXERCISES["03.gelu_zero"].reference) < 0.01


def test_gelu_zero_follows_the_activation_registry(monkeypatch):
    """Another derivative in the registry gives another checked answer."""
    from helpers.exercise_sets import nb03_the_formal_neuron as formal_neuron
    from helpers.exercises import check

    real = formal_neuron.get
    monkeypatch.setattr(formal_neuron, "get", lambda name: real("silu" if name == "gelu" else name))
    assert not check("03.gelu_zero", -0.75, quiet=True)
    assert check("03.gelu_zero", -1.28, quiet=True)
