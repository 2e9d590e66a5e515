"""Notebook 02 (why non-linearity): the boundary trainer driven through its controls and
buttons (synchronously and in the background), the exercise checks, and the notebook."""

import asyncio
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from notebook_text import tagged_output

from helpers.exercise_sets.nb02_why_nonlinearity import (
    MAX_WIDTH,
    WIDTH_TARGET,
    collapse_layers,
    train_width,
)
from helpers.exercises import EXERCISES, check, load_all
from helpers.widgets import registry
from helpers.widgets.boundary_trainer import BoundaryTrainer
from helpers.widgets.training import LOSS_CEILING

load_all()
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_why_nonlinearity.ipynb"


# ---- the boundary trainer -------------------------------------------------------------------
@pytest.fixture
def trainer():
    return registry()["boundary_trainer"]()


def picture(w: BoundaryTrainer):
    return (
        np.array(w.view.image.get_array()).copy(),
        w.loss_line.get_ydata().copy(),
        w.readout.value,
        w.live.image.value,
    )


def test_default_view_is_ready_to_train(trainer):
    assert trainer.last_error is None
    assert trainer.config() == ("circles", "tanh", 1, 4)
    assert trainer.steps_done == 0 and len(trainer.loss_line.get_xdata()) == 0
    assert "ready" in trainer.readout.value and "2 → 4 → 1" in trainer.readout.value


def test_train_steps_moves_the_boundary_and_the_loss_curve(trainer):
    image, losses, readout, png = picture(trainer)
    figure = trainer.figure
    trainer.train_steps(600)
    assert trainer.last_error is None
    new_image, new_losses, new_readout, new_png = picture(trainer)
    assert not np.allclose(new_image, image)
    assert len(new_losses) == 600 and new_losses[-1] < new_losses[0]
    assert new_readout != readout and "step 600" in new_readout and new_png != png
    assert trainer.figure is figure
    assert trainer.accuracy() > 0.9  # tanh with 4 units learns the circles


def test_the_step_button_trains_one_chunk(trainer):
    trainer.buttons["step"].click()
    trainer.buttons["step"].click()
    assert trainer.steps_done == 2 * BoundaryTrainer.CHUNK and trainer.last_error is None


def test_reset_replays_the_same_seeded_run(trainer):
    trainer.train_steps(200)
    first = list(trainer.loss_log)
    image = np.array(trainer.view.image.get_array()).copy()
    trainer.buttons["reset"].click()
    assert trainer.steps_done == 0 and len(trainer.loss_line.get_xdata()) == 0
    trainer.train_steps(200)
    assert trainer.loss_log == first
    assert np.array_equal(np.array(trainer.view.image.get_array()), image)


@pytest.mark.parametrize(
    "key, value",
    [("dataset", "xor"), ("activation", "ReLU"), ("hidden_layers", 3), ("width", 9)],
)
def test_changing_the_network_or_data_starts_a_fresh_run(trainer, key, value):
    trainer.train_steps(100)
    image, _, readout, _ = picture(trainer)
    trainer.controls[key].value = value
    assert trainer.last_error is None
    assert trainer.steps_done == 0 and trainer.loss_log == []
    new_image, _, new_readout, _ = picture(trainer)
    assert new_readout != readout
    assert not np.allclose(new_image, image)


def test_changing_the_data_set_moves_the_points_not_the_figure(trainer):
    figure, scatters = trainer.figure, list(trainer.view.scatters)
    before = scatters[1].get_offsets().copy()
    trainer.controls["dataset"].value = "spirals"
    X, y = trainer.data
    assert trainer.figure is figure and trainer.view.scatters == scatters
    # the panel shows the data's own coordinates: its limits are the scored grid's corners
    points = trainer.view.points
    lo, hi = points.min(axis=0), points.max(axis=0)
    assert np.allclose(
        (trainer.ax_data.get_xlim(), trainer.ax_data.get_ylim()), np.array([lo, hi]).T
    )
    assert np.array_equal(scatters[1].get_offsets(), X[y == 1])
    assert not np.allclose(scatters[1].get_offsets(), before)
    assert (lo < X.min(axis=0)).all() and (X.max(axis=0) < hi).all()
    assert np.isclose(hi[0] - lo[0], hi[1] - lo[1])  # square: the data keep their aspect


def test_learning_rate_applies_without_a_reset(trainer):
    trainer.train_steps(50)
    trainer.controls["learning_rate"].value = 1.0
    assert trainer.steps_done == 50 and trainer.last_error is None


def test_no_activation_keeps_the_boundary_straight_however_deep(trainer):
    trainer.controls["activation"].value = "none (linear)"
    trainer.controls["hidden_layers"].value = 3
    trainer.controls["width"].value = 16
    trainer.train_steps(500)
    assert trainer.last_error is None
    assert trainer.accuracy() < 0.7  # no better than one straight line on the circles
    # the network's score over the whole grid is an affine function a x1 + b x2 + c
    points = trainer.view.points
    logits = trainer.net.forward(points)[:, 0]
    design = np.column_stack([points, np.ones(len(points))])
    coef, *_ = np.linalg.lstsq(design, logits, rcond=None)
    assert np.allclose(design @ coef, logits, atol=1e-9 * max(1.0, np.abs(logits).max()))


def test_a_too_large_learning_rate_shows_a_message_not_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = BoundaryTrainer(
            dataset="xor", activation="identity", hidden_layers=4, width=16, learning_rate=3.0
        )
        w.train_steps(300)
    assert isinstance(w.last_error, FloatingPointError)
    assert "Lower it and press Reset" in w.message.value
    w.controls["learning_rate"].value = 0.1
    w.buttons["reset"].click()
    w.train_steps(50)
    assert w.last_error is None and w.message.value == ""


def test_train_button_trains_in_the_background_and_pauses():
    async def scenario():
        w = BoundaryTrainer()
        w.buttons["train"].click()
        assert w.running and w.buttons["train"].description == "Pause"
        await asyncio.sleep(0.4)
        assert w.steps_done > 0  # chunks ran while this coroutine was waiting
        w.buttons["train"].click()  # pause
        paused_at = w.steps_done
        await asyncio.sleep(0.2)
        assert not w.running and w.steps_done == paused_at
        assert w.buttons["train"].description == "Train"
        assert w.last_error is None and "paused" in w.readout.value
        return w

    asyncio.run(scenario())


def test_train_button_without_an_event_loop_trains_synchronously():
    w = BoundaryTrainer()
    w.toggle_training()
    assert w.steps_done == BoundaryTrainer.BUDGET and not w.running and w.last_error is None


# ---- exercises ------------------------------------------------------------------------------
def test_collapse_reference_equals_the_stack_on_many_inputs():
    W1, b1, W2, b2, W3, b3 = collapse_layers()
    W, b = EXERCISES["02.collapse"].reference
    X = np.random.default_rng(1).normal(size=(500, 2))
    stack = ((X @ W1.T + b1) @ W2.T + b2) @ W3.T + b3
    assert W.shape == (1, 2) and b.shape == (1,)
    assert np.allclose(stack, X @ W.T + b)
    assert check("02.collapse", (W, b), quiet=True)
    assert check("02.collapse", [W.ravel(), float(b[0])], quiet=True)  # loose shapes are fine


def test_collapse_odd_answers_are_answered_not_raised(capsys):
    def half_finished():
        raise RuntimeError("half-finished")

    W, b = EXERCISES["02.collapse"].reference
    for answer in [half_finished, (half_finished, b), (W, None), (W, b, b), "W, b", np.zeros(7)]:
        assert not check("02.collapse", answer)
        out = capsys.readouterr().out
        assert "Not yet, because" in out and "Traceback" not in out


@pytest.mark.parametrize("width", range(1, MAX_WIDTH + 1))
def test_width_check_agrees_with_training(width):
    _, accuracy = train_width(width)
    assert bool(check("02.width", width, quiet=True)) == (accuracy >= WIDTH_TARGET)


def test_the_smallest_width_that_works_is_the_reference():
    assert EXERCISES["02.width"].reference == 3
    assert not check("02.width", 2, quiet=True) and check("02.width", 3, quiet=True)
    assert check("02.width", np.int64(4), quiet=True)


# ---- the notebook ---------------------------------------------------------------------------
def cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def outputs_text(cell):
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def test_notebook_holds_its_exercises_quiz_and_trainer():
    # sections, slides and navigation: tests/test_workshop_kit.py, for every notebook
    nb = cells()
    assert "".join(nb[0]["source"]).startswith("# 02 · Why non-linearity")
    code = "\n".join("".join(c["source"]) for c in nb if c["cell_type"] == "code")
    for exercise_id in ["02.collapse", "02.width"]:
        assert f'check("{exercise_id}"' in code and f'solution("{exercise_id}")' in code
    assert 'quiz("02")' in code and "boundary_trainer()" in code


def test_stored_outputs_show_the_story():
    text = "\n".join(
        outputs_text(c) for c in cells() if "nbval-check-output" in c["metadata"].get("tags", [])
    )
    assert "blobs: linear classifier accuracy" in text
    assert text.count("allclose True") == 2  # 3 and 10 layers collapse
    assert text.count("largest difference below 1e-12") == 2  # a magnitude, not a bare True
    # cross-entropy, defined where the loss is first used: -ln p for a blue point
    for p, loss in [(0.99, "0.010"), (0.9, "0.105"), (0.5, "0.693"), (0.1, "2.303")]:
        assert f"p = {p:<4}: cross-entropy {loss}" in text
        assert f"{-np.log(p):.3f}" == loss
    for line in text.splitlines():
        if "between the layers" in line:
            accuracy = float(line.rsplit(" ", 1)[1].rstrip("%")) / 100
            if line.strip().startswith("identity"):
                assert accuracy < 0.7
            else:
                assert accuracy > 0.95
    for cell in cells():
        for output in cell.get("outputs", []):
            assert output.get("name") != "stderr"


# ---- 02.spiral_layers: the answer comes from the boundary trainer itself ---------------------
def test_spiral_layers_answer_is_what_one_train_press_gives():
    from helpers.exercise_sets import nb02_why_nonlinearity as sets

    want = EXERCISES["02.spiral_layers"].reference
    for layers, reaches in ((want - 1, False), (want, True)):
        trainer = BoundaryTrainer(hidden_layers=layers, **sets.SPIRAL_SETTINGS)
        trainer.toggle_training()  # no event loop here: trains one budget now, as Train does
        assert trainer.steps_done == trainer.BUDGET
        assert (trainer.accuracy() >= sets.SPIRAL_TARGET) == reaches
        assert trainer.accuracy() == sets.spiral_accuracy(layers)
    assert sets.fewest_spiral_layers() == want


def test_spiral_layers_follows_the_trainer(monkeypatch):
    """A shorter Train press (the trainer's BUDGET) changes the checked answer."""
    from helpers.exercise_sets import nb02_why_nonlinearity as sets

    monkeypatch.setattr(BoundaryTrainer, "BUDGET", 25)
    sets.spiral_accuracy.cache_clear()
    try:
        assert sets.fewest_spiral_layers() != EXERCISES["02.spiral_layers"].reference
        assert not check("02.spiral_layers", EXERCISES["02.spiral_layers"].reference, quiet=True)
    finally:
        sets.spiral_accuracy.cache_clear()


# ---- every hidden unit made visible: fold lines and linear regions ---------------------------
SMALL_RECIPE = ('MLP([2, 8, 1], "relu", seed=3, loss="cross_entropy")', "steps=1000, lr=1.0")


@pytest.fixture(scope="module")
def small():
    """The notebook's small ReLU network, trained as its cell trains it."""
    from helpers import data
    from helpers.network import MLP

    X, y = data.make("circles", 200, seed=0)
    net = MLP([2, 8, 1], "relu", seed=3, loss="cross_entropy")
    net.train(X, y, steps=1000, lr=1.0)
    return net, X, y


def most_regions(n: int) -> int:
    """The most regions n straight lines cut the plane into (lines in general position)."""
    return 1 + n + n * (n - 1) // 2


def count_patterns(points, W, b) -> int:
    """Distinct on/off patterns, each read as a binary number (not np.unique over rows)."""
    codes = (points @ W.T + b > 0).astype(np.int64) @ (2 ** np.arange(len(b)))
    return len(set(codes.tolist()))


def window_regions(W, b, lo, hi) -> int:
    """Regions of a rectangle cut by lines in general position: 1, plus 1 per line that crosses
    it (its corners' values change sign along two edges), plus 1 per crossing inside it."""
    corners = np.array([(lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1])])
    crossing = 0
    for w, c in zip(W, b):
        values = corners @ w + c  # the line enters or leaves where the sign changes, edge by edge
        crossing += int(np.sum(values * np.roll(values, -1) < 0)) == 2
    inside = 0
    for p in range(len(b)):
        for q in range(p + 1, len(b)):
            x = np.linalg.solve(W[[p, q]], -b[[p, q]])
            inside += bool(np.all((lo < x) & (x < hi)))
    return 1 + crossing + inside


def test_the_notebook_trains_the_network_these_tests_rebuild():
    source = "\n".join("".join(c["source"]) for c in cells() if c["cell_type"] == "code")
    assert all(part in source for part in SMALL_RECIPE)
    assert 'data.make("circles", 200, seed=0)' in source
    assert "hidden_unit_maps(small, X, y)" in source
    assert "np.unique(patterns, axis=0)" in source and "patterns = Z > 0" in source


def around_crossings(W, b, eps=1e-6):
    """Points in the four corners around every crossing of two lines (and on both sides of a
    lone line): with no two lines parallel, every region has a corner at some crossing."""
    points = [np.zeros(2) + s * W[0] for s in (-1, 1)] if len(b) == 1 else []
    for p in range(len(b)):
        for q in range(p + 1, len(b)):
            x = np.linalg.solve(W[[p, q]], -b[[p, q]])
            points += [x + eps * (s * W[p] + t * W[q]) for s in (-1, 1) for t in (-1, 1)]
    return np.array(points)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 8])
def test_n_lines_in_general_position_cut_the_plane_into_the_most_regions(n):
    """Random lines, no two parallel: the patterns around their crossings, and the count from
    lines and crossings in a window holding every crossing, are both 1 + n + n(n-1)/2: the
    formula is reached, not only a bound."""
    rng = np.random.default_rng(n)
    angles = np.pi * (np.arange(n) + rng.uniform(0.2, 0.8, n)) / n
    W = np.column_stack([np.cos(angles), np.sin(angles)])
    b = rng.uniform(-1, 1, n)
    assert count_patterns(around_crossings(W, b), W, b) == most_regions(n)
    reach = np.abs(around_crossings(W, b)).max() + 1
    assert window_regions(W, b, -np.array([reach, reach]), np.array([reach, reach])) == (
        most_regions(n)
    )
    if n <= 4:  # few lines, no tiny regions: a plain grid finds them all too
        g = np.linspace(-reach, reach, 801)
        points = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])
        assert count_patterns(points, W, b) == most_regions(n)


def test_parallel_or_concurrent_lines_cut_fewer_regions():
    g = np.linspace(-5, 5, 401)
    points = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])
    parallel = (np.array([[1.0, 0.0]] * 3), np.array([-1.0, 0.0, 1.0]))
    through_origin = (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.zeros(3))
    assert count_patterns(points, *parallel) == 4 < most_regions(3)
    assert count_patterns(points, *through_origin) == 6 < most_regions(3)


def test_region_count_printed_is_the_patterns_and_the_lines_and_crossings(small):
    from helpers.plots import boundary_grid

    net, X, _ = small
    W, b = net.weights[0], net.biases[0]
    *_, grid = boundary_grid(X, 300)
    regions = count_patterns(grid, W, b)
    assert regions == window_regions(W, b, grid.min(axis=0), grid.max(axis=0))
    assert regions < most_regions(len(b))
    printed = tagged_output(NOTEBOOK)
    assert f"distinct on/off patterns on the grid: {regions} linear regions" in printed
    assert f"= {most_regions(8)}" in printed and f"= {regions} regions" in printed


def test_the_fold_lines_in_the_picture_and_where_the_dead_unit_switches_on(small):
    """The prose: 7 of the 8 fold lines cross the picture (unit 3's lies outside), and dead
    unit 6 is on only in the picture's lower-right corner, away from the data."""
    from helpers.hidden_units import hidden_unit_maps
    from helpers.plots import boundary_grid
    from helpers.style import description

    net, X, y = small
    W, b = net.weights[0], net.biases[0]
    *_, grid = boundary_grid(X, 300)
    lo, hi = grid.min(axis=0), grid.max(axis=0)
    corners = np.array([(lo[0], lo[1]), (lo[0], hi[1]), (hi[0], lo[1]), (hi[0], hi[1])])
    on = corners @ W.T + b > 0
    outside = [j + 1 for j in range(8) if on[:, j].all() or not on[:, j].any()]
    assert outside == [3]
    assert "7 lines across it" in tagged_output(NOTEBOOK)
    assert "outside the picture: 3." in description(hidden_unit_maps(net, X, y, resolution=30))
    assert on[:, 5].tolist() == [False, False, True, False]  # unit 6: the lower-right corner only
    assert np.all(X @ W[5] + b[5] <= 0)


def test_the_fold_lines_are_in_general_position_with_a_margin(small):
    """The prose says no two are parallel and no third passes through a crossing."""
    net, *_ = small
    W, b = net.weights[0], net.biases[0]
    unit = W / np.linalg.norm(W, axis=1, keepdims=True)
    for p in range(8):
        for q in range(p + 1, 8):
            assert abs(unit[p] @ unit[q]) < np.cos(np.radians(1.0))  # at least 1 degree apart
            x = np.linalg.solve(W[[p, q]], -b[[p, q]])
            others = [k for k in range(8) if k not in (p, q)]
            assert (
                np.min(np.abs(unit[others] @ x + b[others] / np.linalg.norm(W[others], axis=1)))
                > 1e-3
            )


def test_the_network_is_one_plane_on_each_region(small):
    """Fit a plane by least squares to the network's output over each region's grid points:
    the fit is exact, and two regions side by side have different planes."""
    from helpers.plots import boundary_grid

    net, X, _ = small
    *_, grid = boundary_grid(X, 120)
    codes = (grid @ net.weights[0].T + net.biases[0] > 0) @ (2 ** np.arange(8))
    out = net.forward(grid)[:, 0]
    planes = {}
    for code in np.unique(codes):
        pts = grid[codes == code]
        if len(pts) < 3:
            continue
        design = np.column_stack([pts, np.ones(len(pts))])
        coef, *_ = np.linalg.lstsq(design, out[codes == code], rcond=None)
        assert np.abs(design @ coef - out[codes == code]).max() < 1e-9
        planes[code] = coef
    assert len({tuple(np.round(c, 6)) for c in planes.values()}) > 1


def test_dead_units_printed_are_the_networks_dead_units(small):
    from helpers.network import dead_units

    net, X, _ = small
    dead = dead_units(net, net.forward_cache(X)[0])[0]
    printed = tagged_output(NOTEBOOK)
    assert (
        f"dead units (0 on every data point): {[int(j) + 1 for j in np.flatnonzero(dead)]}"
        in printed
    )
    assert dead.any()  # the figure shows a greyed unit, as the prose says
    assert "largest gap between the network's output and its region's plane: below 1e-12" in printed


def test_the_top_learning_rate_is_a_gamble_as_the_trainer_text_says():
    """'Things to try': 3 hidden layers of 16 at the far right of the learning-rate slider. The
    loss jumps up (on moons with ReLU, off the chart); on circles ReLU then stalls for good at
    ln 2 (50% everywhere) while tanh recovers and ends lower than ever."""
    runs = {}
    for data, act in [("circles", "relu"), ("circles", "tanh"), ("moons", "relu")]:
        trainer = BoundaryTrainer(dataset=data, activation=act, hidden_layers=3, width=16)
        slider = trainer.controls["learning_rate"]
        slider.value = 10.0**slider.max  # the far right
        trainer.train_steps(trainer.BUDGET, redraw=False)  # one press of Train
        runs[data, act] = np.array(trainer.loss_log), trainer.accuracy()
    for loss, _ in runs.values():
        assert loss.max() > loss[0] + 0.3  # the loss jumps up
    assert runs["moons", "relu"][0].max() > LOSS_CEILING  # off the chart
    relu, relu_accuracy = runs["circles", "relu"]
    assert relu[-1] == pytest.approx(np.log(2), abs=1e-3) and relu_accuracy == 0.5
    tanh, _ = runs["circles", "tanh"]
    assert tanh[-1] < 1e-3 < relu[-1]
