"""Notebook 07: the own-activation lab answers every kind of formula with a specific message
(never a traceback, never a printed warning), the network builder trains and redraws in place,
and the exercises and the summary quiz behave."""

import asyncio
import math
import re
import time
from pathlib import Path

import numpy as np
import pytest
from notebook_text import cell_text, tagged_output
from scipy.special import expit

from helpers import style
from helpers.exercises import EXERCISES, QUIZZES, check, load_all, reset_tries
from helpers.network import MLP, gradient_check
from helpers.own_activation import check_activation, make_activation, try_activation
from helpers.widgets.network_builder import NetworkBuilder, network_builder

WAIT = 30.0  # seconds a background-training test waits before it fails
NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
NOTEBOOK = NOTEBOOKS / "07_capstone_lab.ipynb"


def mish(z):
    return z * np.tanh(np.logaddexp(0, z))


def mish_slope(z):
    t = np.tanh(np.logaddexp(0, z))
    return t + z * (1 - t**2) * expit(z)


def fails_with(fn, derivative=None, key=None):
    """The report, asserting it refused the activation; returns the failing message."""
    report = check_activation(fn, derivative, check_speed=False)
    assert not report.ok, report.text()
    failed = [f for f in report.findings if f.status == "fail"]
    assert len(failed) == 1, report.text()
    if key:
        assert failed[0].key == key, report.text()
    return failed[0].message


# ---- good formulas --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fn, derivative",
    [
        (mish, mish_slope),
        (mish, None),
        (lambda z: z * expit(z), lambda z: expit(z) * (1 + z * expit(-z))),
        (lambda z: np.maximum(z, 0.0), lambda z: np.where(z > 0, 1.0, 0.0)),
        (np.tanh, None),
    ],
)
def test_good_activation_is_checked_measured_and_plotted(fn, derivative):
    report = try_activation(fn, derivative)
    assert report.ok, report.text()
    assert all(f.status == "ok" for f in report.findings if f.key != "training"), report.text()
    keys = [f.key for f in report.findings]
    assert {"vectorised", "finite", "derivative", "flow", "training"} <= set(keys)
    if derivative is not None:
        assert report.derivative_error < 1e-6
    assert report.yours.flow.shape == (7,) and np.all(report.yours.flow > 0)
    assert (
        np.isfinite(report.yours.losses).all() and report.yours.losses[-1] < report.yours.losses[0]
    )
    assert report.figure is not None and "gradient per layer" in style.description(report.figure)
    assert "Ready to use" in report.html()


def test_the_same_numbers_every_run():
    a, b = try_activation(mish, plot=False), try_activation(mish, plot=False)
    assert np.array_equal(a.yours.losses, b.yours.losses)
    assert np.array_equal(a.yours.flow, b.yours.flow)


def test_sigmoid_is_reported_as_vanishing_and_relu_as_flowing():
    sigmoid = try_activation(expit, plot=False)
    assert sigmoid.finding("flow").status == "warn"
    assert "vanishes" in sigmoid.finding("flow").message
    relu = try_activation(lambda z: np.maximum(z, 0), plot=False)
    assert "without vanishing" in relu.finding("flow").message


def test_custom_activation_backpropagates_exactly_in_the_mlp():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, 8).astype(float)
    for derivative in (mish_slope, None):  # given, and measured by central differences
        act = make_activation(mish, derivative)
        net = MLP([2, 5, 4, 1], [act, act], seed=1, loss="cross_entropy")
        assert gradient_check(net, X, y) < 1e-6


# ---- wrong derivatives ----------------------------------------------------------------------
def tanh_slope(z):
    return 1 - np.tanh(z) ** 2


@pytest.mark.parametrize(
    "derivative, phrase",
    [
        (lambda z: -tanh_slope(z), "wrong sign"),
        (lambda z: 2 * tanh_slope(z), "constant factor of about 2"),
        (lambda z: expit(z) * (1 - expit(z)), "derive it again"),
        (np.tanh, "derive it again"),
    ],
)
def test_wrong_derivative_gets_a_specific_message(derivative, phrase):
    message = fails_with(np.tanh, derivative, key="derivative")
    assert "does not match the measured slope" in message and phrase in message
    assert "relative error" in message and "at z = " in message


def test_close_but_inexact_derivative_is_a_warning():
    report = check_activation(np.tanh, lambda z: tanh_slope(z) * (1 + 1e-4), check_speed=False)
    assert report.ok and report.finding("derivative").status == "warn"
    assert 1e-6 < report.derivative_error < 1e-2


def test_derivative_that_overflows_is_refused():
    message = fails_with(
        lambda z: expit(z), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, key="finite"
    )
    assert message.startswith("the derivative of") and "NaN at z = -1000" in message


# ---- non-vectorised code --------------------------------------------------------------------
def loop_over_numbers(z):
    return np.array([math.tanh(v) for v in z])


def leaky_with_if(z):
    if z > 0:
        return z
    return 0.01 * z


@pytest.mark.parametrize(
    "fn, key, phrase",
    [
        (lambda z: math.exp(z), "runs", "one number at a time"),
        (loop_over_numbers, "vectorised", "2-D batch"),
        (leaky_with_if, "runs", "entry by entry"),
        (lambda z: np.sum(np.tanh(z)), "runs", "one output per input"),
        (lambda z: np.tanh(z) - np.tanh(z).mean(), "vectorised", "element-wise"),
    ],
)
def test_non_vectorised_code_gets_a_specific_message(fn, key, phrase):
    assert phrase in fails_with(fn, key=key)


def test_a_python_loop_that_handles_shapes_works_but_is_called_slow():
    slow = np.vectorize(lambda v: math.tanh(v))
    report = check_activation(slow)
    assert report.ok
    assert report.finding("speed").status == "warn"
    assert "slower than a plain numpy formula" in report.finding("speed").message


# ---- formulas that overflow or raise --------------------------------------------------------
def test_overflow_to_infinity_is_refused_with_the_safe_forms():
    message = fails_with(np.exp, key="finite")
    assert "infinity at z = 1000" in message and "np.logaddexp" in message


def test_overflow_inside_a_formula_that_recovers_is_a_warning_not_a_printout():
    report = check_activation(lambda z: z * np.tanh(np.log1p(np.exp(z))), check_speed=False)
    assert report.ok
    finding = report.finding("finite")
    assert finding.status == "warn" and "overflow encountered in exp" in finding.message


def test_nan_in_the_wide_range_is_refused():
    assert "NaN at z = -50" in fails_with(lambda z: np.sqrt(z), key="finite")


def in_place(z):
    z[z < 0] = 0
    return z


@pytest.mark.parametrize(
    "fn, phrase",
    [
        (lambda z: 1 / 0, "ZeroDivisionError"),
        (lambda z: tanh(z), "write `np.tanh`"),  # noqa: F821 (the learner's slip)
        (lambda z: undefined_helper(z), "not defined"),  # noqa: F821
        (lambda z: np.tanh(z, 3), "raised TypeError"),
        (lambda z: None, "`return`"),
        (lambda z: ..., "replace it with your code"),
        (lambda z: "tanh", "not numbers"),
        (in_place, "changes its input"),
        (lambda z: np.emath.sqrt(z), "complex numbers"),
    ],
)
def test_formulas_that_raise_or_misbehave_get_a_specific_message(fn, phrase):
    report = try_activation(fn)  # the whole lab, plotting included: never raises
    assert not report.ok
    assert phrase in report.text(), report.text()
    assert "Not usable yet" in report.html()


@pytest.mark.parametrize(
    "fn, phrase",
    [
        (lambda z: np.where(z > 0, 1.0, 0.0), "slope zero everywhere"),
        (lambda z: np.full_like(z, 3.0), "slope zero everywhere"),
    ],
)
def test_activations_without_slope_are_refused(fn, phrase):
    assert phrase in fails_with(fn, key="shape")


def test_a_straight_line_is_flagged():
    report = check_activation(lambda z: 0.5 * z, check_speed=False)
    assert report.finding("shape").status == "warn"
    assert "straight line" in report.finding("shape").message


# ---- non-callables ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "thing, phrase",
    [
        (None, "still empty"),
        (..., "still empty"),
        ("z * np.tanh(z)", "`lambda z: z * np.tanh(z)`"),
        (3.0, "not its value"),
        (np.tanh(np.linspace(-1, 1, 5)), "an array, not a function"),
        ([1.0, 2.0], "not its value"),
        (object(), "not a function"),
    ],
)
def test_non_callables_get_a_specific_message(thing, phrase):
    report = try_activation(thing)
    assert not report.ok and report.findings[0].key == "callable"
    assert phrase in report.findings[0].message
    assert report.figure is None  # nothing to plot yet


def test_a_non_callable_derivative_is_named_as_the_derivative():
    message = fails_with(np.tanh, "1 - np.tanh(z)**2", key="callable")
    assert message.startswith("the derivative of") and "lambda z: 1 - np.tanh(z)**2" in message


# ---- the network builder -------------------------------------------------------------------
def test_builder_default_view_and_training_change_the_figure_and_readout():
    w = network_builder()
    assert w.last_error is None and "step 0" in w.readout.value
    png, heights = w.live.image.value, [b.get_height() for b in w.bars.bars]
    w.train_steps(100)
    assert w.last_error is None
    assert "step 100" in w.readout.value
    assert len(w.loss_line.get_xdata()) == 100
    assert w.live.image.value != png
    assert [b.get_height() for b in w.bars.bars] != heights


def test_builder_per_layer_activation_changes_bars_and_readout():
    w = NetworkBuilder(activations=("sigmoid",) * 5, init="normal")
    assert "sigmoid" in w.readout.value
    sigmoid_bars = w.grad_norms.copy()
    assert sigmoid_bars[0] < 0.01 * sigmoid_bars[4]  # vanishing across five sigmoid layers
    for i in range(5):
        w.controls[f"layer_{i + 1}"].value = "relu"
    assert w.last_error is None and "ReLU" in w.readout.value
    assert w.grad_norms[0] > 0.1 * w.grad_norms[4]
    assert w.bars.bars[0].get_facecolor() != (0, 0, 0, 0)


def test_builder_depth_control_disables_unused_layers_and_hides_their_bars():
    w = network_builder()
    w.controls["hidden_layers"].value = 1
    assert w.last_error is None
    assert [w.controls[f"layer_{i}"].disabled for i in range(1, 6)] == [False] + [True] * 4
    assert [b.get_visible() for b in w.bars.bars] == [True, True, False, False, False, False]
    assert "network 2 → 16" in w.readout.value and w.readout.value.count("→") == 2


def test_builder_dataset_switch_moves_the_points_in_place():
    w = network_builder()
    before = w.view.scatters[0].get_offsets().copy()
    w.controls["dataset"].value = "xor"
    assert w.last_error is None and "xor" in w.titles[0].get_text()
    assert not np.array_equal(before, w.view.scatters[0].get_offsets())


def test_builder_blow_up_is_a_message_in_place():
    w = NetworkBuilder(activations=("identity",) * 3, width=32)
    w.controls["learning_rate"].value = 10**0.5
    w.train_steps(200)
    assert isinstance(w.last_error, FloatingPointError)
    assert "Lower it and press Reset" in w.message.value


def test_builder_trains_in_the_background_without_blocking_the_event_loop():
    async def scenario():
        w = network_builder()
        ticks = 0

        async def other_work():  # stands for the kernel answering clicks while training runs
            nonlocal ticks
            deadline = time.monotonic() + WAIT
            while w.running or ticks == 0:
                assert time.monotonic() < deadline, f"training did not pause within {WAIT} s"
                ticks += 1
                await asyncio.sleep(0.005)

        w.toggle_training()
        assert w.running and w.buttons["train"].description == "Pause"
        other = asyncio.ensure_future(other_work())
        deadline = time.monotonic() + WAIT
        while w.steps_done < 3 * NetworkBuilder.CHUNK:
            assert time.monotonic() < deadline, (
                f"only {w.steps_done} steps trained in the background within {WAIT} s"
            )
            await asyncio.sleep(0.01)
        w.toggle_training()  # Pause
        await asyncio.sleep(0.1)
        await other
        return w, ticks

    w, ticks = asyncio.run(scenario())
    assert not w.running and w.buttons["train"].description == "Train"
    assert (
        3 * NetworkBuilder.CHUNK <= w.steps_done < NetworkBuilder.BUDGET
    )  # paused long before the budget ran out
    assert ticks >= 3  # other work ran between chunks


def test_builder_without_an_event_loop_trains_synchronously():
    w = network_builder()
    w.toggle_training()
    assert w.steps_done == 1500 and not w.running


# ---- exercises and quiz -----------------------------------------------------------------------
load_all()


@pytest.mark.parametrize("exercise_id", ["07.softplus", "07.silu_slope", "07.fix_flow"])
def test_exercise_rejects_none_wrong_shape_and_raising_without_raising(exercise_id, capsys):
    def raising(z):
        raise RuntimeError("half-finished")

    reset_tries()
    for n, answer in enumerate((None, np.zeros((3, 3)), raising, lambda z: np.zeros(2))):
        assert not check(exercise_id, answer)
        out = capsys.readouterr().out
        assert out.startswith("✗ Not yet, because") and ("Hint:" in out) == (n > 0)
    assert check(exercise_id, EXERCISES[exercise_id].reference)


def test_fix_flow_is_judged_by_the_meters_measurement(capsys):
    from helpers.exercise_sets.nb07_capstone_lab import flow_ratio

    passing = {
        (a, i)
        for a in ("sigmoid", "tanh", "relu")
        for i in ("normal", "xavier", "he")
        if check("07.fix_flow", (a, i), quiet=True)
    }
    assert ("relu", "he") in passing and not any(a == "sigmoid" for a, _ in passing)
    assert ("relu", "xavier") not in passing
    for a, i in passing:
        assert 0.5 <= flow_ratio(a, i) <= 2.0
    assert check("07.fix_flow", ["ReLU", "Kaiming"], quiet=True)
    assert not check("07.fix_flow", ("sigmoid", "xavier"))
    assert "No initialization rescues the sigmoid" in capsys.readouterr().out
    # tanh has slope 1 at z = 0 and 05 pairs it with Xavier: that falls short, and says why
    assert flow_ratio("tanh", "xavier") < 0.5 and ("tanh", "xavier") not in passing
    assert not check("07.fix_flow", ("tanh", "xavier"))
    assert "slope is 1 only at z = 0" in capsys.readouterr().out


def test_fix_flow_hint_leads_to_a_passing_pair():
    """The hint asks for an activation whose slope is exactly 1 wherever it is active (ReLU; not
    tanh, whose slope is 1 at 0 only) and the init made for it (He, notebook 05)."""
    hint = EXERCISES["07.fix_flow"].hint
    assert "exactly 1 wherever" in hint and "notebook 05" in hint
    assert "He for ReLU" in (NOTEBOOKS / "05_vanishing_gradients.ipynb").read_text()
    from helpers.activations import get

    z = np.linspace(-5, 5, 1001)
    slope_one_where_active = [
        a for a in ("sigmoid", "tanh", "relu")
        if np.allclose(get(a).derivative(z)[get(a).derivative(z) > 1e-12], 1.0)
    ]  # fmt: skip
    assert slope_one_where_active == ["relu"]
    assert check("07.fix_flow", ("relu", "he"), quiet=True)


def test_softplus_naive_form_is_told_about_overflow(capsys):
    assert not check("07.softplus", lambda z: np.log(1 + np.exp(z)))
    out = capsys.readouterr().out
    assert "overflows" in out and "logaddexp" not in out  # the reason, not the answer


def test_summary_quiz_covers_the_course_with_one_right_answer_each():
    questions = QUIZZES["07"]
    assert len(questions) >= 6
    for q in questions:
        assert sum(correct for _, correct, _ in q.options) == 1
        assert all(explanation for _, _, explanation in q.options)


# ---- 07.builder_depth: the answer comes from the network builder's own measurement ----------
def test_builder_depth_answer_is_what_the_builder_shows():
    from helpers.exercise_sets import nb07_capstone_lab as sets

    want = EXERCISES["07.builder_depth"].reference
    for layers in (want - 1, want):
        builder = NetworkBuilder(activations=("sigmoid",) * layers, init="normal")
        first_bar = builder.grad_norms[0]
        assert first_bar == pytest.approx(sets.builder_first_gradient(layers), rel=1e-12)
        assert (first_bar < sets.BUILDER_THRESHOLD) == (layers == want)
        assert not 1 / 1.5 < first_bar / sets.BUILDER_THRESHOLD < 1.5  # no near miss (no training)


def test_builder_depth_prediction_from_the_printed_bar_and_05s_factor():
    """The notebook prints the one-layer bar; dividing it by about 5 per added layer (the factor
    notebook 05 prints) predicts exactly the answer the check accepts."""
    from helpers.exercise_sets import nb07_capstone_lab as sets

    one = sets.builder_first_gradient(1)
    assert f"one hidden sigmoid layer: leftmost bar {one:.1e}" in tagged_output(NOTEBOOK)
    factors = re.findall(r"each layer / the next: \[([^\]]*)\]", tagged_output(
        NOTEBOOKS / "05_vanishing_gradients.ipynb"))  # fmt: skip
    factors = [float(v) for line in factors for v in line.split(",")]
    assert factors and all(1 / 6 < f < 1 / 4 for f in factors)  # "about 5", not 4
    predicted = next(n for n in range(1, 6) if one / 5 ** (n - 1) < sets.BUILDER_THRESHOLD)
    assert predicted == EXERCISES["07.builder_depth"].reference == sets.builder_depth()
    for factor in (1 / 4.5, 1 / 5.5):  # the prediction does not hang on the exact factor
        assert next(n for n in range(1, 6) if one * factor ** (n - 1) < 1e-3) == predicted
    prose = cell_text(NOTEBOOK, "89ef30bf")
    assert "about 5" in prose and "largest slope" in prose


def test_builder_depth_follows_the_builder(monkeypatch):
    from helpers.exercise_sets import nb07_capstone_lab as sets

    monkeypatch.setattr(sets, "BUILDER_THRESHOLD", 1e-2)
    assert check("07.builder_depth", 3, quiet=True)
    assert not check("07.builder_depth", EXERCISES["07.builder_depth"].reference, quiet=True)


# ---- 07.diagnosis: each mystery run shows its fault's evidence -------------------------------
def test_each_mystery_run_shows_the_evidence_of_its_fault():
    from helpers.mystery_runs import FAULT_OF, FAULTS, mystery_runs

    assert sorted(FAULT_OF.values()) == sorted(FAULTS)  # each name fits exactly one run
    assert EXERCISES["07.diagnosis"].reference == FAULT_OF
    runs = {FAULT_OF[k]: r for k, r in mystery_runs().items()}
    small, vanish = runs["learning rate too small"], runs["vanishing gradient"]
    assert np.all(np.diff(small["loss"]) < 0) and small["loss"][-1] < small["loss"][0] - 0.05
    assert small["grad"].max() / small["grad"].min() < 3 and small["dead"].max() == 0
    assert np.all(np.diff(vanish["grad"]) > 0) and vanish["grad"][0] / vanish["grad"][-1] < 1e-3
    assert runs["exploding gradient"]["grad"].min() > 50 * small["grad"].max()
    assert np.all(runs["dead ReLUs"]["grad"] == 0) and runs["dead ReLUs"]["dead"][-1] == 1.0
    out = runs["saturated output"]
    assert out["output_saturated"] > 0.9 and out["dead"].max() == 0 and out["saturated"].max() == 0
    assert out["grad"].max() < small["grad"].min() / 100


def test_the_table_and_prose_tell_pinned_outputs_apart_truthfully():
    """Two runs have a pinned output: the saturated-output run at one end on every example, the
    exploding run (a consequence) split between both ends; the per-layer column counts ReLU
    units that are off, so it is labelled "saturated or off"."""
    from helpers.mystery_runs import FAULT_OF, RECIPES, fraction_table, mystery_runs

    runs = {FAULT_OF[k]: r for k, r in mystery_runs().items()}
    out, boom = runs["saturated output"], runs["exploding gradient"]
    assert out["output_high"] == 1.0 and out["output_low"] == 0.0
    assert boom["output_saturated"] > 0.5 and min(boom["output_low"], boom["output_high"]) > 0.1
    assert boom["output_low"] + boom["output_high"] == pytest.approx(boom["output_saturated"])
    assert np.ptp(out["loss"]) < 1e-3 < boom["loss"][0] - boom["loss"][-1]  # E still, A moves
    # a ReLU network: nothing saturates, so the column counts units off on some examples
    recipe = next(r for f, r in RECIPES.values() if f == "exploding gradient")
    assert recipe.activation == "relu" and np.all(boom["saturated"] > boom["dead"])
    others = [r for f, r in runs.items() if f not in ("saturated output", "exploding gradient")]
    assert all(r["output_saturated"] == 0 for r in others)
    table = fraction_table()
    assert "saturated or off per layer" in table and "output flat: near 0  near 1" in table
    assert table in cell_text(NOTEBOOK, "e213fd32")
    prose = cell_text(NOTEBOOK, "8cd59d00")
    assert (
        "**saturated or off**" in prose and "A pinned output alone does not name the fault" in prose
    )


def test_the_diagnosis_cells_show_evidence_not_the_recipe():
    import nbformat

    from helpers.mystery_runs import RECIPES

    nb = nbformat.read("notebooks/07_capstone_lab.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "gradient_figure()" in code and 'check("07.diagnosis"' in code
    assert "RECIPES" not in code and "FAULT_OF" not in code and len(RECIPES) == 5


def test_the_trial_runs_on_real_digits_too():
    report = try_activation(np.tanh, data="digits")
    assert report.ok and report.yours is not None and report.relu is not None
    assert report.yours.accuracy > 0.9 and report.relu.accuracy > 0.9  # 449 test digits
    assert len(report.yours.flow) == 7  # 64 -> six hidden layers -> 10
    assert report.figure.axes[2].get_title() == "training on digits"
    assert "on digits over 300 steps" in style.description(report.figure)


def test_an_unknown_data_set_is_a_message_not_an_error():
    report = try_activation(np.tanh, data="mnist")
    assert not report.ok
    assert "not a data set here" in report.finding("data").message


# ---- watching it train: the update-to-data ratio, defined here, read from this notebook's numbers
def test_update_ratio_cell_is_self_contained_and_true_to_its_output():
    before, after = cell_text(NOTEBOOK, "49387421"), cell_text(NOTEBOOK, "c2e4a6b8")
    assert "update-to-data ratio" in before and r"\log_{10}" in before and "$-3$" in before
    assert "08's" not in before + after  # no reading that needs the later, optional notebook
    medians = [
        [float(v) for v in row.split()]
        for row in re.findall(r"median of the last 100 steps, per layer: \[([^\]]*)\]",
                              cell_text(NOTEBOOK, "981eb87b"))
    ]  # fmt: skip
    assert len(medians) == 2 and all(len(row) == 3 for row in medians)
    flat = [v for row in medians for v in row]
    assert all(-2.45 < v < -1.95 for v in flat)  # "between about -2 and -2.4": well above -3
    assert all(max(row) - min(row) < 0.5 for row in medians)  # "the layers close together"
    largest = [float(v) for v in re.findall(r"largest (-?[\d.]+)", cell_text(NOTEBOOK, "981eb87b"))]
    assert len(largest) == 2 and all(v > max(flat) + 1 for v in largest)  # largest at the start
    accuracy = [
        float(v) for v in re.findall(r"accuracy ([\d.]+)%", cell_text(NOTEBOOK, "62719fd6"))
    ]
    assert accuracy and all(abs(a - 96) < 0.5 for a in accuracy)  # "about 96%"
    assert "between about $-2$ and $-2.4$" in " ".join(after.split()) and "about 96%" in after


def test_a_constant_derivative_may_come_back_as_one_number():
    """2 for 2z, or 1.0 for the identity: the lab spreads it over the input, as numpy would."""
    report = check_activation(lambda z: 2 * z, lambda z: 2, check_speed=False)
    assert report.finding("derivative").status == "ok", report.text()
    report = check_activation(np.tanh, lambda z: 1.0, check_speed=False)
    assert report.finding("derivative").status == "fail"  # spread, then compared: wrong


def test_the_summary_counts_the_slope_at_0_in_its_largest():
    softsign = check_activation(lambda z: z / (1 + np.abs(z)), check_speed=False)
    assert "at z = 0, at most 1," in softsign.summary, softsign.summary


def test_fault_names_are_read_in_the_singular_or_the_plural():
    from helpers.mystery_runs import FAULT_OF

    plural = {"exploding gradient": "exploding gradients", "dead ReLUs": "dead relu"}
    answer = {run: plural.get(fault, fault) for run, fault in FAULT_OF.items()}
    assert check("07.diagnosis", answer, quiet=True)
