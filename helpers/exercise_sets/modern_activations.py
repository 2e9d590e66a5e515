"""Notebook 06: ReLU's slope, Leaky ReLU's value and slope; quiz "06"."""

import numpy as np

from helpers.exercises import Exercise, Question, compare_function, register, register_quiz

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
        checker=lambda answer: compare_function(
            answer, relu_slope, [Z, Z.reshape(1, -1)], "relu_slope", _SLOPE_MISTAKES
        ),
        hint="ReLU is flat (slope 0) where it is off and a line of slope 1 where it is on; "
        "numpy can choose between two values entry by entry.",
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
        checker=lambda answer: compare_function(
            answer, leaky_relu, [Z, np.array([[-100.0, 100.0]])], "leaky_relu", _LEAKY_MISTAKES
        ),
        hint="the value itself where the unit is active, a small fixed fraction of it elsewhere.",
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


# ---- 06.leaky_slope ---------------------------------------------------------------------------
def leaky_slope(z):
    return np.where(z > 0, 1.0, 0.01)


_LEAKY_SLOPE_MISTAKES = [
    (
        relu_slope,
        "that is plain ReLU's slope: for z <= 0 Leaky ReLU's slope is 0.01, not 0 (that small "
        "slope is what keeps its units from dying)",
    ),
    (
        lambda z: np.where(z > 0, 1.0, 0.01 * z),
        "0.01 * z is Leaky ReLU's value for z <= 0; its slope there is the constant 0.01",
    ),
    (
        lambda z: np.where(z >= 0, 1.0, 0.01),
        "at z = 0 the course (like PyTorch) uses the negative side's slope, 0.01: write z > 0",
    ),
]

register(
    Exercise(
        id="06.leaky_slope",
        checker=lambda answer: compare_function(
            answer, leaky_slope, [Z, Z.reshape(1, -1)], "leaky_slope", _LEAKY_SLOPE_MISTAKES
        ),
        hint="on each side of the kink Leaky ReLU is a straight line; the slope of the line "
        "c·z is c.",
        reference=leaky_slope,
        solution_code="def leaky_slope(z):\n    return np.where(z > 0, 1.0, 0.01)",
        mistakes=[
            (None, "still empty"),
            (relu_slope, "plain ReLU's slope"),
            (_LEAKY_SLOPE_MISTAKES[1][0], "the constant 0.01"),
            (_LEAKY_SLOPE_MISTAKES[2][0], "write z > 0"),
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
                    "No gradient reaches its weights and bias, so they stop changing; only a "
                    "change in the layers below it could ever switch it back on.",
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
                    "A small gradient is still a gradient: the unit keeps learning, though at "
                    "1% of the speed (under the hard push none came back within 300 steps).",
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
                    "That matches what the notebook measured: cheap, no vanishing, and at its "
                    "best learning rate as good as its relatives on the spirals.",
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
