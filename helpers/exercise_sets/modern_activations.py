"""Notebook 06: ReLU's slope, counting the dead units of a trained network; quiz "06"."""

import numpy as np

from helpers.exercises import (
    Exercise,
    Question,
    compare_function,
    kind_of,
    register,
    register_quiz,
)

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


# ---- 06.dead_count: count the effectively dead units of a trained ReLU network ----------------
DEAD_RUN = {"lr": 1.5, "bias_shift": -0.8, "seed": 4}  # pushed, then trained: some units die


def trained_relu_zs() -> list[np.ndarray]:
    """The pre-activations Z of every layer (hidden layers, then the output) of a ReLU network
    2 -> 32 -> 32 -> 1 trained on the spirals by the dead-ReLU lab's run (helpers.diagnostics),
    on the notebook's 200 spirals points. zs[k] has shape (200 examples, units)."""
    from helpers import data
    from helpers.diagnostics import DeadUnitRun

    X, _ = data.make("spirals", n=200, seed=0)
    net = DeadUnitRun("relu", **DEAD_RUN).run_to_end().net
    zs, _ = net.forward_cache(X)
    return zs


def dead_counts(zs: list[np.ndarray]) -> list[int]:
    """Per hidden layer, the number of effectively dead units (helpers.network.dead_units: for
    ReLU, z <= 0 on every example)."""
    return [int(np.all(Z <= 0, axis=0).sum()) for Z in zs[:-1]]


def _check_dead_count(answer):
    zs = trained_relu_zs()
    want = dead_counts(zs)
    hidden = zs[:-1]
    if answer is None or answer is Ellipsis:
        return "your answer is still empty; give one count per hidden layer, e.g. [5, 7]"
    if callable(answer) or isinstance(answer, str):
        return f"your answer is {kind_of(answer)}; give a list of counts, one per hidden layer"
    try:
        got = np.asarray(answer, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return f"your answer should be a list of numbers, but it is {kind_of(answer)}"
    if got.size == 1:
        if np.isclose(got[0], sum(want)):
            return (
                "that is the total over both hidden layers; give one count per hidden layer "
                "(a list of two numbers)"
            )
        return "give one count per hidden layer: a list of two numbers"
    if got.size == len(zs):
        return (
            "you counted the output layer too; only hidden units are ReLUs that can die (the "
            "output unit has no ReLU): use zs[:-1]"
        )
    if got.size != len(want):
        return f"your answer has {got.size} numbers; the network has {len(want)} hidden layers"
    if not np.all(np.isfinite(got)):
        return "your answer contains NaN or infinity"
    if np.allclose(got, want):
        return None
    checks = [
        ([np.all(Z <= 0, axis=0).mean() for Z in hidden], "those are the fractions of dead "
         "units; the exercise asks for how many (a count)"),
        ([np.any(Z <= 0, axis=0).sum() for Z in hidden], "you counted units that are off on "
         "some example; a unit is dead only if it is off on every example (np.any is too weak)"),
        ([np.all(Z <= 0, axis=1).sum() for Z in hidden], "you counted examples (rows) on which "
         "every unit is off; a dead unit is a column of Z that is <= 0 in every row"),
        ([(Z <= 0).sum() for Z in hidden], "you counted the entries of Z that are <= 0; a unit "
         "is one column of Z, and it is dead only if its whole column is <= 0"),
        ([Z.shape[1] - np.all(Z <= 0, axis=0).sum() for Z in hidden], "those are the live "
         "units; the exercise asks for the dead ones"),
        (want[::-1], "the counts are in the wrong order: layer 1 first"),
    ]  # fmt: skip
    for wrong, message in checks:
        if np.allclose(got, wrong):
            return message
    return (
        f"{got.tolist()} are not the dead counts. A unit is one column of Z; it is dead when its "
        "z is <= 0 for every example"
    )


_ZS = trained_relu_zs()
_HIDDEN = _ZS[:-1]
register(
    Exercise(
        id="06.dead_count",
        checker=_check_dead_count,
        hint="a unit is one column of Z, an example one row. Is the unit dead if it is off on "
        "one example, or only if it is off on every example? And which of the layers in zs "
        "have ReLUs at all?",
        reference=dead_counts(_ZS),
        solution_code=(
            "dead = [int(np.all(Z <= 0, axis=0).sum()) for Z in zs[:-1]]  # hidden layers only"
        ),
        mistakes=[
            (None, "still empty"),
            (sum(dead_counts(_ZS)), "total"),
            ([1, 2, 3], "output layer"),
            ([float(np.all(Z <= 0, axis=0).mean()) for Z in _HIDDEN], "fractions"),
            ([int(np.any(Z <= 0, axis=0).sum()) for Z in _HIDDEN], "on some example"),
            ([int(np.all(Z <= 0, axis=1).sum()) for Z in _HIDDEN], "counted examples"),
            ([int((Z <= 0).sum()) for Z in _HIDDEN], "entries of Z"),
            ([32 - c for c in dead_counts(_ZS)], "live units"),
            (dead_counts(_ZS)[::-1], "wrong order"),
            ([0, 0], "not the dead counts"),
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
