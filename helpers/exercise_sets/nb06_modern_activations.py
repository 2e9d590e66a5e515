"""Notebook 06: ReLU's slope, counting the dead units of a trained network; quiz "06"."""

import numpy as np

from helpers.exercises import (
    Exercise,
    Question,
    as_number,
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


# ---- 06.dead_loss: predict the loss of a ReLU network pushed far into the negative -----------
DEAD_LOSS_SHIFT = -3.0  # the bias-shift slider's far left
DEAD_LOSS_TOLERANCE = 0.02


def dead_lab_final_loss() -> tuple[float, float, float]:
    """(final loss, dead fraction at the start, at the end) of the dead-ReLU lab's run for
    ReLU at its starting learning rate and the bias shift at the far left: the lab's own
    `helpers.diagnostics.DeadUnitRun`."""
    import inspect

    from helpers.diagnostics import DeadUnitRun
    from helpers.widgets.dead_relu_lab import DeadReluLab

    lr = inspect.signature(DeadReluLab.__init__).parameters["lr"].default
    run = DeadUnitRun("relu", lr=lr, bias_shift=DEAD_LOSS_SHIFT).run_to_end()
    r = run.records
    return float(r["loss"][-1]), float(r["dead"][0]), float(r["dead"][-1])


def _check_dead_loss(answer):
    value, reason = as_number(answer)
    if reason:
        return reason
    loss, dead_start, dead_end = dead_lab_final_loss()
    if abs(value - loss) <= DEAD_LOSS_TOLERANCE:
        return None
    if value < 0:
        return "a cross-entropy loss is never negative"
    if abs(value - 0.5) < 0.01:
        return (
            "0.5 is the probability the network gives every point, not the loss: how does "
            "cross-entropy turn a probability into a loss?"
        )
    if abs(value - loss / np.log(10)) < 0.01 or abs(value - loss / np.log(2)) < 0.01:
        return "that is the loss in another base of logarithm: the course uses the natural log, ln"
    if value < 0.1:
        return (
            f"a loss near 0 means the network learned the spirals, but {dead_end:.0%} of its "
            "units are dead from the first step: they give 0 and get no gradient, so nothing "
            "learns"
        )
    if value < loss:
        return (
            f"that says the network learns a little, but with {dead_start:.0%} of the units "
            "dead at the start, no signal reaches the output: it cannot tell the points apart. "
            "What does it say about each point, then?"
        )
    return (
        "that is worse than saying 'one half' for every point. A network whose hidden units all "
        "output 0 gives the same answer everywhere, and for two equal classes the best such "
        "answer is a probability of one half"
    )


register(
    Exercise(
        id="06.dead_loss",
        checker=_check_dead_loss,
        hint="if every unit of a layer outputs 0 on every example, what does the output unit see, "
        "and how does its answer depend on the point? Then: which probability, the same for "
        "every point, is best when the two classes are equally common, and what is its "
        "cross-entropy?",
        reference=float(np.log(2.0)),
        solution_code=(
            "answer = np.log(2)  # 94% of the units are dead from step 0; the output is the same\n"
            "# for every point, p = 1/2, and the loss stays at -log(1/2) = log 2"
        ),
        mistakes=[
            (None, "still empty"),
            (0.0, "learned the spirals"),
            (0.4, "learns a little"),
            (1.5, "worse than saying"),
            (-1.0, "never negative"),
            (0.5, "not the loss"),
            (np.log10(2), "another base"),
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
                    "Its z is ≤ 0 on every example, so its slope is 0 on every example and no "
                    "gradient reaches its weights or its bias",
                    True,
                    "Nothing moves its weights, so it stays off. In the first hidden layer, whose "
                    "inputs are the fixed data, that is for good; a deeper unit can come back "
                    "only if the layers below change its inputs.",
                ),
                (
                    "Its weights have become exactly 0",
                    False,
                    "Its weights can be any numbers. What makes it dead is that z = w·x + b is "
                    "≤ 0 on every training example, so its output is always 0.",
                ),
                (
                    "Its error signal is too small; a larger error would bring it back",
                    False,
                    "Any error, however large, is multiplied by the unit's slope, and that slope "
                    "is 0 on every example: 0 times anything is 0.",
                ),
                (
                    "It doesn't for long: after a while a dead unit switches back on by itself",
                    False,
                    "In the “bias shift only” run almost none came back in 300 steps (0.016). "
                    "Only a unit in a deeper layer can come back, and only when the layers "
                    "below it change its inputs.",
                ),
            ],
        ),
        Question(
            "What happens if you train the spirals ReLU network at learning rate 2.0 instead of "
            "0.1, with no bias shift?",
            [
                (
                    "Units die during training, up to a third of them at the worst point, and "
                    "yet the loss ends far lower than the gentle run's",
                    True,
                    "The dead fraction rose from 0.047 to 0.328 and ended at 0.156, while the "
                    "loss ended at 0.113 against 0.552. In 300 steps a larger rate simply gets "
                    "further, whatever happens to the units.",
                ),
                (
                    "No unit dies: only a negative bias kills ReLU units",
                    False,
                    "A large step kills units without any shift: one big update can move a "
                    "unit's weights so far that its z is ≤ 0 on every example (the dead "
                    "fraction peaked at 0.328).",
                ),
                (
                    "The loss blows up",
                    False,
                    "Not here: the loss ended at 0.113, the lowest of the four runs. Too large a "
                    "step is a gamble (notebook 02), not a sure failure; in the lab you can find "
                    "rates that do blow up.",
                ),
                (
                    "Units die, so the loss ends higher than the gentle run's: the loss shows "
                    "the damage",
                    False,
                    "The loss does not show it: the large-step run ended lower (0.113 against "
                    "0.552) with more units dead. Count the units, as the notebook does.",
                ),
            ],
        ),
        Question(
            "Under the hard push (bias shift −3), 94% of the ReLU network's hidden units start "
            "never active and stay so. What happens if you switch to another activation?",
            [
                (
                    "ELU brings a large share back (about 40% of the units); Leaky ReLU, GELU "
                    "and SiLU bring back almost none in 300 steps",
                    True,
                    "Near z = −3, ELU's slope e^z is still positive (about 0.05). Leaky ReLU's "
                    "0.01 is too little for 300 steps, and GELU's and SiLU's slopes have "
                    "crossed 0 out there (at −0.75 and −1.28).",
                ),
                (
                    "Leaky ReLU brings them all back: its units can never die",
                    False,
                    "By the 1% count they are never effectively dead, but a slope of 0.01 means "
                    "learning at a hundredth of the speed: in 300 steps none came back (0.000).",
                ),
                (
                    "GELU and SiLU bring them back: smooth curves have no flat part to die on",
                    False,
                    "Their slopes cross 0 and fade far left: GELU brought back none, SiLU 0.016. "
                    "Smooth is not the same as alive.",
                ),
                (
                    "No activation brings them back: a unit that is off on every example is "
                    "dead whatever its curve",
                    False,
                    "ELU brought 41% of the units back (came back 0.406). What matters is how "
                    "much slope is left on the negative side, where the units' z is.",
                ),
            ],
        ),
        Question(
            "Half the hidden units of a trained ReLU network are dead. What is the network now?",
            [
                (
                    "A narrower network: delete the dead units and its outputs stay the same",
                    True,
                    "A dead unit outputs 0 on every example, so the next layer gets nothing from "
                    "it: deleting them changed the outputs by less than 1e-12. Narrower costs "
                    "capacity, harmless while enough units live (width 16 fit the spirals), a "
                    "real loss when too few do (width 8 did not, reliably).",
                ),
                (
                    "Broken: the dead units send wrong values forward and spoil the live ones' "
                    "work",
                    False,
                    "Dead units send 0, always, so they add nothing and spoil nothing: deleting "
                    "them leaves the outputs unchanged.",
                ),
                (
                    "Unable to learn any more: the dead units block the whole network's gradient",
                    False,
                    "Only the dead units' own weights get no gradient. The live units keep "
                    "learning: the run that ended with half its units dead still lowered its "
                    "loss, to 0.322.",
                ),
                (
                    "Normal: ReLU units output 0 about half the time anyway",
                    False,
                    "A healthy ReLU unit is off on some examples and on for others, and learns "
                    "from those. A dead unit is off on every example and learns from none; the "
                    "gentle run had under 5% of them.",
                ),
            ],
        ),
        Question(
            "How should you choose the hidden activation of a new feed-forward network?",
            [
                (
                    "Start with ReLU and He initialization (or GELU or SiLU), and count dead "
                    "units as it trains",
                    True,
                    "That is what the notebook measured: cheap, no shrinking slopes, and at its "
                    "best learning rate as good as its relatives on the spirals (the table's "
                    "test accuracies). Switch if many units die.",
                ),
                (
                    "The sigmoid: its outputs are probabilities, the natural thing for a neuron "
                    "to pass on",
                    False,
                    "A sigmoid output is a fine probability at the output of a yes/no "
                    "classifier. In hidden layers its slope of at most 1/4 shrinks the gradient "
                    "at every layer: it stayed far behind the others at every rate (the table).",
                ),
                (
                    "Always Leaky ReLU: plain ReLU's dead units make it the riskier choice",
                    False,
                    "At their best rates ReLU and Leaky ReLU reached about the same test "
                    "accuracy on the spirals (the table). Leaky ReLU is the fix to reach for "
                    "when you count many dead units, not a rule.",
                ),
                (
                    "Train each candidate once at the same learning rate and keep the winner",
                    False,
                    "One rate suits some activations and not others: at ReLU's best rate, "
                    "tanh's final loss was more than five times its loss at its own, larger best "
                    "rate (the table). Compare each at its own best rate, over several seeds.",
                ),
            ],
        ),
    ],
)
