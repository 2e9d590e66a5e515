"""Notebook 01 (the gatekeeper): the interactive neuron widget, the exercise checks, and the
notebook's structure."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit

from helpers.exercise_sets import nb01_the_gatekeeper as gatekeeper
from helpers.exercises import EXERCISES, check, load_all
from helpers.widgets import registry
from helpers.widgets.neuron import GATES, Y_LIMITS, Z_LIMIT, Neuron, neuron_output

load_all()
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_the_gatekeeper.ipynb"
SLIDERS = ["x1", "x2", "x3", "w1", "w2", "w3", "b"]


# ---- the neuron widget ----------------------------------------------------------------------
@pytest.fixture
def widget():
    return registry()["neuron"]()


def state(w: Neuron):
    return (
        w.marker.get_xydata().copy(),
        w.bar.get_height(),
        w.curve.get_ydata().copy(),
        w.readout.value,
        w.live.image.value,
    )


def test_default_view_shows_the_live_formula(widget):
    assert widget.last_error is None
    x, w, b, gate = widget.values()
    z, a = neuron_output(x, w, b, gate)
    assert gate == "sigmoid"
    assert z == pytest.approx(np.dot(w, x) + b)
    assert a == pytest.approx(expit(z))
    readout = widget.readout.value
    assert "w_1x_1 + w_2x_2 + w_3x_3 + b" in readout
    assert f"= {z:.2f}$" in readout and f"= {a:.3f}$" in readout
    assert widget.marker.get_xydata()[0] == pytest.approx([z, a])
    assert widget.bar.get_height() == pytest.approx(a)


@pytest.mark.parametrize("key", SLIDERS)
def test_every_slider_moves_the_marker_bar_and_readout(widget, key):
    marker, height, _, readout, png = state(widget)
    figure = widget.figure
    control = widget.controls[key]
    control.value = control.max if control.value != control.max else control.min
    assert widget.last_error is None
    new_marker, new_height, _, new_readout, new_png = state(widget)
    assert not np.allclose(new_marker, marker)
    assert new_height != height
    assert new_readout != readout and new_png != png
    assert widget.figure is figure
    x, w, b, gate = widget.values()
    z, a = neuron_output(x, w, b, gate)
    assert new_marker[0] == pytest.approx([z, a])


@pytest.mark.parametrize("label", list(GATES))
def test_the_gate_dropdown_swaps_the_curve_in_place(widget, label):
    widget.controls["gate"].value = "ReLU" if label == "sigmoid" else "sigmoid"
    line, n_lines = widget.curve, len(widget.ax_curve.lines)
    before = widget.curve.get_ydata().copy()
    widget.controls["gate"].value = label
    assert widget.last_error is None
    assert widget.curve is line and len(widget.ax_curve.lines) == n_lines
    assert not np.allclose(widget.curve.get_ydata(), before)
    gate = GATES[label]
    x, w, b, _ = widget.values()
    z, a = neuron_output(x, w, b, gate)
    assert widget.marker.get_xydata()[0] == pytest.approx([z, a])
    assert widget.curve_title.get_text().endswith(
        {"step": "step", "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}[gate]
    )


@pytest.mark.parametrize("label", list(GATES))
@pytest.mark.parametrize("end", ["max", "min"])
def test_sliders_at_their_extremes_stay_inside_the_picture(label, end):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = Neuron()
        w.controls["gate"].value = label
        for key in SLIDERS:
            control = w.controls[key]
            control.value = getattr(control, end)
        assert w.last_error is None
    z, a = w.marker.get_xydata()[0]
    x, weights, b, _ = w.values()
    assert z == pytest.approx(np.dot(weights, x) + b)
    if end == "max":
        assert z == pytest.approx(Z_LIMIT)  # the largest z the sliders allow
    lo, hi = w.ax_curve.get_xlim()
    assert lo <= z <= hi
    lo, hi = w.ax_curve.get_ylim()
    assert lo <= a <= hi
    assert Y_LIMITS[GATES[label]][0] <= a <= Y_LIMITS[GATES[label]][1]
    if end == "max":
        assert "fires at 100%" in w.readout.value


def test_step_gate_fires_fully_or_not_at_all(widget):
    widget.controls["gate"].value = "step"
    widget.controls["b"].value = 2.0
    assert widget.bar.get_height() == 1.0 and "100%" in widget.bar_title.get_text()
    for key in SLIDERS:
        widget.controls[key].value = -widget.controls[key].max if key.startswith("w") else 1.0
    widget.controls["b"].value = -2.0
    assert widget.bar.get_height() == 0.0 and "0%" in widget.bar_title.get_text()


def test_negative_numbers_are_bracketed_in_the_formula(widget):
    widget.controls["w2"].value = -1.5
    assert r"(-1.50)\cdot" in widget.readout.value


# ---- exercises ------------------------------------------------------------------------------
def test_naive_formulas_pass_in_the_ordinary_range():
    assert check("01.sigmoid", lambda z: 1 / (1 + np.exp(-z)), quiet=True)
    assert check("01.sigmoid", lambda z: np.exp(z) / (1 + np.exp(z)), quiet=True)
    assert check("01.sigmoid", expit, quiet=True)
    assert check("01.step", lambda z: np.heaviside(z, 0.0), quiet=True)
    assert check("01.step", lambda z: (z > 0).astype(float), quiet=True)
    assert check("01.step", lambda z: np.where(z > 0, 1, 0), quiet=True)


def test_the_function_checks_never_ask_for_z_far_out():
    # the naive sigmoid must pass without a warning, so no check input is large
    biggest = max(np.max(np.abs(np.asarray(x, dtype=float))) for x in gatekeeper.FUNCTION_INPUTS)
    assert biggest <= 50
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert check("01.sigmoid", lambda z: 1 / (1 + np.exp(-z)), quiet=True)


@pytest.mark.parametrize("exercise_id", ["01.step", "01.sigmoid"])
def test_functions_that_fail_are_answered_not_raised(exercise_id, capsys):
    def half_finished(z):
        raise NotImplementedError("not done yet")

    for answer in [half_finished, lambda z: z[:1], lambda z: "0.5", lambda: 1.0, 42]:
        verdict = check(exercise_id, answer)
        assert not verdict
        out = capsys.readouterr().out
        assert "Not yet, because" in out and "Traceback" not in out
    assert "NotImplementedError" in check(exercise_id, half_finished, quiet=True).reason
    assert "shape" in check(exercise_id, lambda z: z[:1], quiet=True).reason


def test_by_hand_numbers_are_what_the_notebook_says():
    z = np.dot(gatekeeper.HAND_W, gatekeeper.HAND_X) + gatekeeper.HAND_B
    assert z == 2.0 and EXERCISES["01.by_hand"].reference == 2.0
    z_closed = np.dot(gatekeeper.HAND_W, gatekeeper.HAND_X) + gatekeeper.HAND_B_CLOSED
    assert z_closed == -1.5 and EXERCISES["01.gate_closed"].reference == 0.0
    assert check("01.by_hand", np.float64(2.0), quiet=True)
    assert check("01.by_hand", np.array([2.0]), quiet=True)  # one number in an array is fine
    assert check("01.gate_closed", 0, quiet=True)
    assert check("01.gate_closed", -0.0, quiet=True)


# ---- the notebook ---------------------------------------------------------------------------
def cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def test_notebook_is_the_gatekeeper_between_00_and_02():
    # sections, slides and navigation: tests/test_workshop_kit.py, for every notebook
    assert "".join(cells()[0]["source"]).startswith("# 01 · The gatekeeper")


def test_notebook_uses_every_exercise_and_the_quiz():
    code = "\n".join("".join(c["source"]) for c in cells() if c["cell_type"] == "code")
    for exercise_id in ["01.step", "01.sigmoid", "01.by_hand", "01.gate_closed"]:
        assert f'check("{exercise_id}"' in code and f'solution("{exercise_id}")' in code
    assert 'quiz("01")' in code
    assert "neuron()" in code
    assert 'np.errstate(over="ignore"' in code  # the z = -1000 side note, warning-free


def test_printed_numbers_are_tagged_and_stored():
    tagged = [c for c in cells() if "nbval-check-output" in c["metadata"].get("tags", [])]
    assert len(tagged) >= 4
    for cell in tagged:
        assert cell["execution_count"] is not None
        assert any(o["output_type"] == "stream" for o in cell["outputs"])
    for cell in cells():
        for output in cell.get("outputs", []):
            assert output.get("name") != "stderr", "".join(cell["source"])


# ---- 01.predict_gate: the answer comes from the interactive neuron's own helpers -------------
def test_predict_gate_answer_is_what_the_neuron_widget_shows():
    widget = Neuron()
    widget.controls["b"].value = gatekeeper.PREDICT_BIAS
    shown = {}
    for label in GATES:
        widget.controls["gate"].value = label
        widget.update()
        shown[label] = widget.bar.get_height()
    assert max(shown, key=shown.get) == EXERCISES["01.predict_gate"].reference
    assert shown == pytest.approx(gatekeeper.gate_outputs()[1])


def test_predict_gate_follows_the_neuron_helper(monkeypatch):
    """A change in the widget's neuron_output changes the checked answer."""
    import helpers.widgets.neuron as neuron_module

    real = neuron_module.neuron_output
    monkeypatch.setattr(
        neuron_module,
        "neuron_output",
        lambda x, w, b, g: (real(x, w, b, g)[0], -real(x, w, b, g)[1]),
    )
    assert not check("01.predict_gate", "sigmoid", quiet=True)
    assert check("01.predict_gate", "tanh", quiet=True)


def test_the_predict_prompt_states_the_neurons_starting_inputs_and_weights():
    """01.predict_gate's prompt quotes the neuron's starting x and w: they must be the widget's."""
    widget = Neuron()
    x = [widget.controls[f"x{i}"].value for i in (1, 2, 3)]
    w = [widget.controls[f"w{i}"].value for i in (1, 2, 3)]
    prompt = next(
        "".join(c["source"])
        for c in cells()
        if c["cell_type"] == "markdown" and "Predict, then check" in "".join(c["source"])
    )
    for name, values in (("x", x), ("w", w)):
        shown = r",\ ".join(f"{v:g}" for v in values)
        assert f"${name} = ({shown})$" in prompt, (name, values)
