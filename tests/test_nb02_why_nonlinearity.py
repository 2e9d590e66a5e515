"""Notebook 02 (why non-linearity): the boundary trainer driven through its controls and
buttons (synchronously and in the background), the exercise checks, and the notebook."""

import asyncio
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from helpers.exercise_sets.why_nonlinearity import (
    MAX_WIDTH,
    WIDTH_TARGET,
    collapse_layers,
    train_width,
)
from helpers.exercises import EXERCISES, check, load_all
from helpers.widgets import registry
from helpers.widgets.boundary_trainer import BoundaryTrainer

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
    from helpers.exercise_sets import why_nonlinearity as sets

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
    from helpers.exercise_sets import why_nonlinearity as sets

    monkeypatch.setattr(BoundaryTrainer, "BUDGET", 25)
    sets.spiral_accuracy.cache_clear()
    try:
        assert sets.fewest_spiral_layers() != EXERCISES["02.spiral_layers"].reference
        assert not check("02.spiral_layers", EXERCISES["02.spiral_layers"].reference, quiet=True)
    finally:
        sets.spiral_accuracy.cache_clear()
