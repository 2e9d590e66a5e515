"""Notebook 01 (the gatekeeper): step and sigmoid in numpy, a neuron worked by hand, and a quiz
on the gate's job and the dimmer analogy."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from helpers.exercises import (
    Exercise,
    Question,
    as_choice,
    as_number,
    compare_function,
    register,
    register_quiz,
)

# The neuron the learner works out by hand (also printed in notebook 01).
HAND_X = (2.0, -1.0, 4.0)
HAND_W = (1.5, 0.5, -0.25)
HAND_B = 0.5  # z = 3 - 0.5 - 1 + 0.5 = 2
HAND_B_CLOSED = -3.0  # the same neuron with a strongly negative bias: z = -1.5, ReLU gives 0

# Inputs for function checks: numpy arrays, as the exercises ask (one with z = 0 in it, a 2-D
# one, a single entry). Only the ordinary range: a naive 1 / (1 + np.exp(-z)) must pass here.
FUNCTION_INPUTS = [[-3.0, -0.5, 0.0, 0.5, 3.0], [[-10.0, -1.0], [1.0, 10.0]], [2.0]]


def _step(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)


def _sigmoid(z):
    return expit(np.asarray(z, dtype=float))


STEP_MISTAKES = [
    (
        lambda z: np.sign(z),
        "step gives -1 for negative z: `np.sign` is a three-way switch (-1, 0, 1), but the "
        "step gate outputs only 0 (closed) or 1 (open)",
    ),
    (
        lambda z: np.where(z >= 0, 1.0, 0.0),
        "step(0) gives 1, but at exactly z = 0 the gate stays closed: 1 only for z > 0 "
        "(use `>`, not `>=`)",
    ),
    (
        lambda z: np.where(z > 0, 0.0, 1.0),
        "the gate is the wrong way round: it should open (give 1) for positive z and stay "
        "closed (0) otherwise",
    ),
    (
        lambda z: np.maximum(z, 0.0),
        "step passes on how big z is (that is ReLU); the step gate only says yes (1) or no (0)",
    ),
]

SIGMOID_MISTAKES = [
    (
        lambda z: 1 / (1 + np.exp(z)),
        "sigmoid is falling where it should rise (sigmoid(3) comes out near 0.05, not 0.95): "
        "that is sigmoid(-z): check the sign in the exponent",
    ),
    (
        lambda z: 1 / 1 + np.exp(-z),
        "you have the denominator without the division: note that `1 / 1 + np.exp(-z)` "
        "means `1 + np.exp(-z)`. Brackets matter: the division must cover the whole denominator",
    ),
    (
        lambda z: np.tanh(z),
        "that is tanh, whose outputs go from -1 to 1; the sigmoid goes from 0 to 1",
    ),
    (
        lambda z: 1 / (1 - np.exp(-z)),
        "the denominator should be 1 + e^(-z), with a plus sign",
    ),
]


def _check_step(answer: object) -> str | None:
    return compare_function(answer, _step, FUNCTION_INPUTS, "step", STEP_MISTAKES)


def _check_sigmoid(answer: object) -> str | None:
    return compare_function(answer, _sigmoid, FUNCTION_INPUTS, "sigmoid", SIGMOID_MISTAKES)


def _math_step(z):
    return 1.0 if z > 0 else 0.0


def _math_sigmoid(z):
    import math

    return 1 / (1 + math.exp(-z))


register(
    Exercise(
        id="01.step",
        checker=_check_step,
        hint="the gate asks one yes-or-no question of each entry (is it positive?) and answers "
        "with one of two numbers; numpy can ask a question of every entry of an array at once "
        "and choose between two values entry by entry.",
        reference=_step,
        solution_code="def step(z):\n    return np.where(z > 0, 1.0, 0.0)",
        mistakes=[
            (None, "still empty"),
            (lambda z: ..., "still returns"),
            (lambda z: None, "return"),
            (STEP_MISTAKES[0][0], "np.sign"),
            (STEP_MISTAKES[1][0], "exactly z = 0"),
            (STEP_MISTAKES[2][0], "wrong way round"),
            (STEP_MISTAKES[3][0], "ReLU"),
            (_math_step, "not on a numpy array"),
        ],
    )
)

register(
    Exercise(
        id="01.sigmoid",
        checker=_check_sigmoid,
        hint="two things go wrong most often: the sign inside the exponential (the curve must "
        "rise with z) and the brackets (1 is divided by the whole denominator). Use numpy's "
        "exponential, which works on every entry of an array, not math's.",
        reference=_sigmoid,
        solution_code="def sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
        mistakes=[
            (None, "still empty"),
            (lambda z: None, "return"),
            (SIGMOID_MISTAKES[0][0], "that is sigmoid(-z)"),
            (SIGMOID_MISTAKES[1][0], "Brackets matter"),
            (SIGMOID_MISTAKES[2][0], "tanh"),
            (SIGMOID_MISTAKES[3][0], "plus sign"),
            (_math_sigmoid, "not on a numpy array"),
        ],
    )
)


# ---- a neuron by hand -----------------------------------------------------------------------
def _hand_z(b: float = HAND_B) -> float:
    return float(np.dot(HAND_W, HAND_X) + b)


def _check_by_hand(answer: object) -> str | None:
    value, reason = as_number(answer)
    if reason:
        return reason
    (_, x2, x3), (_, w2, w3) = HAND_X, HAND_W
    right = max(0.0, _hand_z())
    if abs(value - right) <= 1e-6:
        return None
    known = {
        _hand_z(0.0): "that is the weighted sum without the bias: add b at the end",
        _hand_z() - 2 * w2 * x2: (
            f"check the sign of w2·x2: {w2} × ({x2}) = {w2 * x2}, a negative contribution"
        ),
        _hand_z() - 2 * w3 * x3: (
            f"check the sign of w3·x3: ({w3}) × {x3} = {w3 * x3}, a negative contribution"
        ),
        sum(HAND_X) + HAND_B: "you added the inputs without multiplying each by its weight",
        sum(HAND_W) + HAND_B: "you added the weights without multiplying each by its input",
        0.0: "ReLU gives 0 only when z ≤ 0; here z is positive, so it passes z on unchanged",
    }
    for wrong, message in known.items():
        if abs(value - wrong) <= 1e-6:
            return message
    return (
        f"{value:.6g} is not the neuron's output. Work out z = w1·x1 + w2·x2 + w3·x3 + b term "
        "by term, then apply ReLU"
    )


def _check_closed(answer: object) -> str | None:
    value, reason = as_number(answer)
    if reason:
        return reason
    z = _hand_z(HAND_B_CLOSED)
    if abs(value) <= 1e-6:
        return None
    if abs(value - z) <= 1e-6:
        return (
            f"{value:g} is z, the weighted sum; the gate comes after it, and ReLU passes on "
            "max(0, z)"
        )
    if abs(value - max(0.0, _hand_z())) <= 1e-6:
        return "that is the output with the old bias 0.5; this time b = -3"
    return f"{value:.6g} is not the output. Compute z with b = -3 first, then apply ReLU"


register(
    Exercise(
        id="01.by_hand",
        checker=_check_by_hand,
        hint="multiply each input by its weight, add the three products and the bias to get z; "
        "then ask the gate: ReLU passes a positive z on unchanged and blocks anything else.",
        reference=max(0.0, _hand_z()),
        solution_code=(
            "# z = 1.5*2 + 0.5*(-1) + (-0.25)*4 + 0.5 = 3 - 0.5 - 1 + 0.5 = 2.0\n"
            "# ReLU(2.0) = 2.0: a positive z passes through unchanged\n"
            "answer = 2.0"
        ),
        mistakes=[
            (None, "still empty"),
            ("2", "without quotes"),
            ([2.0, 1.0], "give just one"),
            (1.5, "without the bias"),
            (3.0, "sign of w2"),
            (4.0, "sign of w3"),
            (5.5, "without multiplying each by its weight"),
            (0.0, "passes z on unchanged"),
            (7.0, "term by term"),
        ],
    )
)

register(
    Exercise(
        id="01.gate_closed",
        checker=_check_closed,
        hint="work out z again with the new bias, then ask the gate: what does ReLU do with a "
        "negative number?",
        reference=0.0,
        solution_code=(
            "# z = 3 - 0.5 - 1 + (-3) = -1.5, and ReLU(-1.5) = max(0, -1.5) = 0: the gate is shut\n"
            "answer = 0.0"
        ),
        mistakes=[
            (None, "still empty"),
            (-1.5, "is z"),
            (2.0, "old bias"),
            (1.0, "Compute z"),
        ],
    )
)


# ---- 01.predict_gate: predict which gate fires most, then read the interactive neuron --------
PREDICT_BIAS = -1.0  # the one slider the learner moves; inputs and weights stay at the start


def predict_gate_setting() -> tuple[np.ndarray, np.ndarray, float]:
    """The interactive neuron's starting inputs and weights (its own defaults), and the bias."""
    from helpers.widgets.neuron import START_W, START_X

    return np.array(START_X), np.array(START_W), PREDICT_BIAS


def gate_outputs() -> tuple[float, dict[str, float]]:
    """z and every gate's output a = g(z), computed as the interactive neuron computes them."""
    from helpers.widgets.neuron import GATES, neuron_output

    x, w, b = predict_gate_setting()
    outputs = {label: neuron_output(x, w, b, name)[1] for label, name in GATES.items()}
    return neuron_output(x, w, b, "identity")[0], outputs


def _check_predict_gate(answer):
    z, outputs = gate_outputs()
    gate, reason = as_choice(answer, list(outputs))
    if reason:
        return reason
    best = max(outputs, key=outputs.get)
    if gate == best:
        return None
    a = outputs[gate]
    if gate == "step":
        return (
            f"the step gives {a:g} here: it is on only for z > 0, and the readout shows z = {z:.2f}"
        )
    if gate == "ReLU":
        return (
            f"ReLU gives {a:g} here: it passes z on only when z is positive, and the readout "
            f"shows z = {z:.2f}, below 0"
        )
    if gate == "tanh":
        return (
            f"tanh gives {a:.3f} here: its output has the sign of z (z = {z:.2f}), so it is "
            "below the gates that give 0"
        )
    return f"{gate} gives {a:.3f} here, and another gate gives more: read the bar for each gate"


register(
    Exercise(
        id="01.predict_gate",
        checker=_check_predict_gate,
        hint="work out z first: its sign decides most. Then ask which gates can give something "
        "above 0 for a z of that sign, and which of them go below 0.",
        reference="sigmoid",
        solution_code=(
            'answer = "sigmoid"  # z = -0.98 < 0: step and ReLU give 0, tanh is negative,\n'
            "# and the sigmoid is never 0: 0.273"
        ),
        mistakes=[
            (None, "still empty"),
            ("step", "the step gives 0"),
            ("ReLU", "ReLU gives 0"),
            ("tanh", "has the sign of z"),
            ("softmax", "not one of the choices"),
        ],
    )
)


register_quiz(
    "01",
    [
        Question(
            "What does a neuron's activation function (its gate) do?",
            [
                (
                    "It turns the weighted sum z into what the neuron passes on, a = g(z)",
                    True,
                    "Yes: first the neuron adds up its weighted inputs, z = w·x + b; then the gate "
                    "decides what to pass on. The notebook's first two cells do exactly that, in "
                    "that order.",
                ),
                (
                    "It adds up the inputs, each multiplied by its weight",
                    False,
                    "That is the neuron's first half, the weighted sum z = w·x + b. The gate "
                    "comes after it and acts on that one number z.",
                ),
                (
                    "It is the part of the neuron that learns: training changes the gate",
                    False,
                    "Training changes the weights and the bias. The gate is a fixed function "
                    "chosen in advance: in the interactive neuron you pick it from a list, while "
                    "the sliders move the weights and the bias.",
                ),
                (
                    "It filters the inputs: those it does not like are set to 0 before the sum",
                    False,
                    "The gate never sees the separate inputs; it acts on their weighted sum z. A "
                    "ReLU outputs 0 when z is negative, whichever inputs made it so.",
                ),
            ],
        ),
        Question(
            "What happens if you nudge z from 0.5 to 0.6 in a step neuron and in a sigmoid neuron?",
            [
                (
                    "The step's output stays at 1; the sigmoid's rises a little, by about 0.02",
                    True,
                    "Right, as the nudge table shows (0 for the step, 0.0232 for the sigmoid at "
                    "z = 0.5). A small change of z passes no “how much” through a switch; only "
                    "crossing 0 flips it.",
                ),
                (
                    "Both outputs rise by 0.1: a gate passes the change of z on",
                    False,
                    "Only ReLU passes a nudge on one-to-one, and only for positive z (its row "
                    "reads 0.1). The step passes nothing on, the sigmoid a fraction that depends "
                    "on z.",
                ),
                (
                    "The step's output jumps, since every change of z moves a switch",
                    False,
                    "The step jumps only where z crosses 0. From 0.5 to 0.6 it stays on: 1 both "
                    "times, a change of 0.",
                ),
                (
                    "Neither output changes: 0.1 is too small a nudge for a gate to notice",
                    False,
                    "The dimmers notice every nudge, however small: the sigmoid's output changes "
                    "by 0.0232, tanh's by 0.0749. Learning relies on exactly that.",
                ),
            ],
        ),
        Question(
            "Why does learning need a dimmer, such as the sigmoid, rather than an on/off switch?",
            [
                (
                    "A dimmer's output changes a little when a weight changes a little, so "
                    "learning can tell which way to move each weight; a switch's slope is 0 "
                    "almost everywhere",
                    True,
                    "Yes. Learning nudges the weights and asks whether the output got better; a "
                    "switch answers “no change” to every small nudge, which gives nothing to "
                    "follow.",
                ),
                (
                    "A network of switches can only draw straight lines",
                    False,
                    "The step is not linear: switches with hand-picked weights can carve out "
                    "XOR. The trouble is finding those weights: with a slope of 0, gradient "
                    "descent gets no direction.",
                ),
                (
                    "Biological neurons are dimmers, and networks copy them",
                    False,
                    "Biological neurons fire in all-or-nothing spikes, more like switches. "
                    "Networks use dimmers for a practical reason: a slope that learning can "
                    "follow.",
                ),
                (
                    "A switch is too slow to compute",
                    False,
                    "A switch is one comparison, `z > 0`: as cheap as ReLU and cheaper than the "
                    "sigmoid's exponential. Its speed is fine; its zero slope is the problem.",
                ),
            ],
        ),
        Question(
            r"Why do the course's helpers compute the sigmoid with `scipy.special.expit` rather "
            r"than `1 / (1 + np.exp(-z))`?",
            [
                (
                    "At z = −1000, `np.exp(-z)` overflows to infinity: numpy warns, and related "
                    "formulas such as the slope give nan; expit never forms e^1000",
                    True,
                    "Right. The naive sigmoid still gives the right 0 there, with a warning, but "
                    "the naive slope gives nan (the table above). expit computes the same "
                    "function without overflowing.",
                ),
                (
                    "The naive formula is slightly wrong even for ordinary z, such as 2",
                    False,
                    "For ordinary z the two agree to within float64's rounding (about 1e-16). "
                    "The trouble is only far out, where e^−z is larger than a float64 can hold "
                    "(about 1.8e308).",
                ),
                (
                    "expit is a faster approximation of the sigmoid",
                    False,
                    "expit is not an approximation: it is exactly the sigmoid, computed in an "
                    "order that never overflows. Where the naive formula works, the table shows "
                    "the same values.",
                ),
                (
                    "At z = −1000 the naive sigmoid returns nan",
                    False,
                    "It returns 0, the right answer, with an overflow warning: 1/(1 + ∞) = 0. "
                    "It is the naive slope, e^−z/(1 + e^−z)², that becomes ∞/∞, which is nan.",
                ),
            ],
        ),
    ],
)
