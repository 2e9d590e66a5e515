"""Notebook 06: ReLU's slope, counting dead units, Leaky ReLU; quiz "06"."""

import numpy as np

from helpers.exercise_sets.vanishing_gradients import _diagnose
from helpers.exercises import Exercise, Question, register, register_quiz

Z = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])


# ---- 06.relu_slope ---------------------------------------------------------------------------
def relu_slope(z):
    return np.where(z > 0, 1.0, 0.0)


_SLOPE_MISTAKES = [
    (
        lambda z: np.maximum(0, z),
        "that is ReLU's value max(0, z), not its slope: the slope is 1 where z > 0 and 0 elsewhere",
    ),
    (
        lambda z: np.where(z >= 0, 1.0, 0.0),
        "at z = 0 the course (like PyTorch) uses slope 0: write z > 0, not z >= 0",
    ),
    (
        lambda z: np.ones_like(z),
        "the slope is 1 only where the unit is active (z > 0); for z <= 0 it is 0",
    ),
]

register(
    Exercise(
        id="06.relu_slope",
        checker=lambda answer: _diagnose(
            answer, relu_slope, [Z, Z.reshape(1, -1)], "relu_slope", _SLOPE_MISTAKES
        ),
        hint="np.where(condition, value_if_true, value_if_false) works element by element.",
        reference=relu_slope,
        solution_code="def relu_slope(z):\n    return np.where(z > 0, 1.0, 0.0)",
        mistakes=[
            (None, "still empty"),
            (_SLOPE_MISTAKES[0][0], "not its slope"),
            (_SLOPE_MISTAKES[1][0], "z >= 0"),
            (_SLOPE_MISTAKES[2][0], "only where the unit is active"),
        ],
    )
)


# ---- 06.dead_fraction: units with z <= 0 on every example ------------------------------------
def dead_fraction(Z):
    return np.mean(np.all(Z <= 0, axis=0))


_rng = np.random.default_rng(6)
_Z1 = _rng.normal(size=(8, 5))
_Z1[:, [1, 3]] = -np.abs(_Z1[:, [1, 3]])  # units 1 and 3 are dead
_Z1[2, :] = -1.0  # one example where every unit is off
_Z2 = np.array([[-1.0, 2.0, -0.5], [-2.0, -1.0, -0.1], [-0.3, 0.4, -2.0], [-1.0, 1.0, -1.0]])
_DEAD_MISTAKES = [
    (
        lambda Z: np.mean(Z <= 0),
        "that is the fraction of (example, unit) pairs with z <= 0; a unit is dead only when it "
        "is off on EVERY example: use np.all(Z <= 0, axis=0) first",
    ),
    (
        lambda Z: np.mean(np.all(Z <= 0, axis=1)),
        "axis=1 asks, for each example, whether every unit is off; rows are examples and "
        "columns are units, so ask per column: axis=0",
    ),
    (
        lambda Z: np.sum(np.all(Z <= 0, axis=0)),
        "that is the number of dead units; the exercise asks for the fraction (np.mean)",
    ),
    (
        lambda Z: np.mean(np.all(Z < 0, axis=0)),
        "z = 0 exactly also gives ReLU slope 0: use Z <= 0",
    ),
]
_Z3 = np.array([[0.0, 1.0], [-1.0, 2.0]])  # a unit sitting exactly at 0 is dead too

register(
    Exercise(
        id="06.dead_fraction",
        checker=lambda answer: _diagnose(
            answer, dead_fraction, [_Z1, _Z2, _Z3], "dead_fraction", _DEAD_MISTAKES
        ),
        hint="Z has one row per example and one column per unit. np.all(Z <= 0, axis=0) is True "
        "for each unit that is off on every example; np.mean turns that into a fraction.",
        reference=dead_fraction,
        solution_code="def dead_fraction(Z):\n    return np.mean(np.all(Z <= 0, axis=0))",
        mistakes=[
            (None, "still empty"),
            (_DEAD_MISTAKES[0][0], "EVERY example"),
            (_DEAD_MISTAKES[1][0], "axis=0"),
            (_DEAD_MISTAKES[2][0], "number of dead units"),
            (_DEAD_MISTAKES[3][0], "Z <= 0"),
        ],
    )
)


# ---- 06.leaky_relu ---------------------------------------------------------------------------
def leaky_relu(z):
    return np.where(z > 0, z, 0.01 * z)


_LEAKY_MISTAKES = [
    (
        lambda z: np.maximum(0, z),
        "that is plain ReLU: for z <= 0 Leaky ReLU gives 0.01 * z, a small slope instead of 0",
    ),
    (
        lambda z: np.where(z > 0, z, 0.01),
        "for z <= 0 the output is 0.01 * z (a line through 0), not the constant 0.01",
    ),
    (
        lambda z: np.where(z > 0, z, 0.1 * z),
        "the slope on the negative side is 0.01 in this course (PyTorch's default), not 0.1",
    ),
]

register(
    Exercise(
        id="06.leaky_relu",
        checker=lambda answer: _diagnose(
            answer, leaky_relu, [Z, np.array([[-100.0, 100.0]])], "leaky_relu", _LEAKY_MISTAKES
        ),
        hint="np.where(z > 0, z, 0.01 * z): the value itself where active, a hundredth of it "
        "elsewhere.",
        reference=leaky_relu,
        solution_code="def leaky_relu(z):\n    return np.where(z > 0, z, 0.01 * z)",
        mistakes=[
            (None, "still empty"),
            (_LEAKY_MISTAKES[0][0], "plain ReLU"),
            (_LEAKY_MISTAKES[1][0], "not the constant 0.01"),
            (_LEAKY_MISTAKES[2][0], "not 0.1"),
        ],
    )
)


register_quiz(
    "06",
    [
        Question(
            "Why does a dead ReLU unit stay dead?",
            [
                (
                    "Its z is <= 0 on every example, so its slope is 0 and no gradient reaches "
                    "its weights",
                    True,
                    "No gradient means no update: nothing can bring it back.",
                ),
                (
                    "Its weights are exactly 0",
                    False,
                    "Its weights can be anything; what matters is that z = Wx + b is never "
                    "positive on the data.",
                ),
                (
                    "The learning rate becomes 0",
                    False,
                    "The learning rate is the same for every unit; the unit's gradient is 0.",
                ),
            ],
        ),
        Question(
            "What did the notebook use to push many ReLU units into death?",
            [
                (
                    "A large learning rate and a negative shift of the biases",
                    True,
                    "Both move z below 0 for every example; a big step can do it in one update.",
                ),
                (
                    "Too many training steps at a small learning rate",
                    False,
                    "At a small learning rate the dead fraction hardly changed.",
                ),
                (
                    "Using the spirals data",
                    False,
                    "The data are the same for every run; the push is what changed.",
                ),
            ],
        ),
        Question(
            "Why can a never-active Leaky ReLU unit recover when a ReLU unit cannot?",
            [
                (
                    "Its slope for z <= 0 is 0.01, not 0, so it still gets a (small) gradient",
                    True,
                    "A small gradient is still a gradient: the unit keeps learning.",
                ),
                (
                    "It has no negative outputs",
                    False,
                    "It does: 0.01 * z for z < 0.",
                ),
                (
                    "Leaky ReLU is smooth",
                    False,
                    "It has a kink at 0, like ReLU; smoothness is not the point here.",
                ),
            ],
        ),
        Question(
            "A default choice for the hidden layers of a new feed-forward network?",
            [
                (
                    "ReLU (with He initialization), or GELU/SiLU; watch the dead fraction",
                    True,
                    "That matches what the notebook measured: fast, cheap and no vanishing.",
                ),
                (
                    "Sigmoid",
                    False,
                    "Its slope is at most 1/4 per layer: in the comparison it learned slowest.",
                ),
                (
                    "The step function",
                    False,
                    "Its slope is 0 everywhere: gradient descent cannot train it at all.",
                ),
            ],
        ),
    ],
)
