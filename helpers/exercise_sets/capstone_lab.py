"""Notebook 07: exercises on writing an activation safely and reading gradient flow, and the
summary quiz across the whole course."""

import numpy as np
from scipy.special import expit

from helpers.exercises import (
    Exercise,
    Question,
    call_learner,
    compare_function,
    register,
    register_quiz,
)

WIDE = np.array([-1000.0, -50.0, -3.0, -0.5, 0.0, 0.5, 3.0, 50.0, 1000.0])
MIDDLE = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])


def _values(fn, z):
    """fn(z) as floats, or NaN of z's shape when fn fails (the checkers explain failures)."""
    got = call_learner(fn, z).value
    return got if got is not None and got.shape == z.shape else np.full(z.shape, np.nan)


# ---- 07.softplus: a formula that survives z = 1000 -------------------------------------------
def _softplus(z):
    return np.logaddexp(0, z)


def _check_softplus(answer):
    relu = [(lambda z: np.maximum(z, 0), "that is ReLU, max(0, z): softplus is the smooth "
             "version, log(1 + e^z)")]  # fmt: skip
    reason = compare_function(answer, _softplus, [MIDDLE], "softplus", relu)
    if reason:
        return reason
    if np.isinf(_values(answer, WIDE)[-1]):
        return (
            "softplus(1000) is infinity: np.exp(1000) overflows before the log can bring it "
            "back. Use np.logaddexp(0, z), which computes log(e^0 + e^z) without overflowing"
        )
    return compare_function(answer, _softplus, [WIDE, [[0.0, 1.0], [-2.0, 2.0]]], "softplus")


register(
    Exercise(
        id="07.softplus",
        checker=_check_softplus,
        hint="the trouble is forming e^1000 at all. Write 1 as e^0: softplus is then the log of "
        "a sum of two exponentials, and numpy has a function for exactly that which never "
        "forms the exponentials.",
        reference=_softplus,
        solution_code=(
            "def softplus(z):\n    return np.logaddexp(0, z)  # log(1 + e^z), safe at z = 1000"
        ),
        mistakes=[
            (None, "still empty"),
            (lambda z: np.log(1 + np.exp(z)), "overflows"),
            (lambda z: np.maximum(z, 0), "ReLU"),
            (lambda z: np.log(np.exp(z)), "right value"),
        ],
    )
)


# ---- 07.silu_slope: the derivative of z * sigmoid(z) ----------------------------------------
def _silu_slope(z):
    s = expit(z)
    return s + z * s * (1 - s)


_SILU_MISTAKES = [
    (
        lambda z: expit(z) * (1 - expit(z)),
        "that is the sigmoid's slope σ(1 − σ); SiLU is z times σ(z), so use the product rule",
    ),
    (
        lambda z: z * expit(z) * (1 - expit(z)),
        "you have the second half of the product rule, z·σ′(z); add the first half, σ(z)",
    ),
    (
        lambda z: expit(z),
        "you have the first half of the product rule, σ(z); add the second half, z·σ(z)(1 − σ(z))",
    ),
    (
        lambda z: z * expit(z),
        "that is SiLU itself, not its slope",
    ),
]


def _check_silu_slope(answer):
    grid = np.linspace(-4, 4, 9)
    reason = compare_function(answer, _silu_slope, [grid], "silu_slope", _SILU_MISTAKES)
    return reason or compare_function(answer, _silu_slope, [[-1000.0, 1000.0]], "silu_slope")


register(
    Exercise(
        id="07.silu_slope",
        checker=_check_silu_slope,
        hint="write down u, u′, v and v′ separately first, then put them into u′·v + u·v′; "
        "compute σ(z) once with expit (safe at z = ±1000) and reuse it.",
        reference=_silu_slope,
        solution_code=(
            "def silu_slope(z):\n"
            "    s = expit(z)                 # σ(z), safe at z = ±1000\n"
            "    return s + z * s * (1 - s)   # u'v + uv' with u = z, v = σ(z)"
        ),
        mistakes=[
            (None, "still empty"),
            (lambda z: expit(z) * (1 - expit(z)), "sigmoid's slope"),
            (lambda z: z * expit(z) * (1 - expit(z)), "first half"),
            (lambda z: expit(z), "second half"),
            (lambda z: z * expit(z), "SiLU itself"),
        ],
    )
)


# ---- 07.fix_flow: choose the activation and init that let the gradient through 10 layers ------
FLOW_DEPTH, FLOW_WIDTH = 10, 32
FLOW_BAND = (0.5, 2.0)  # first hidden layer's gradient / last's: within a factor of 2
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
INIT_NAMES = ("normal", "xavier", "he")


def flow_ratio(activation: str, init: str) -> float:
    """First hidden layer's bias-gradient norm / the last's, in the gradient-flow meter's
    10 x 32 network on its batch (the meter's own gradient_profile)."""
    from helpers.widgets.gradient_meter import gradient_profile

    grad = gradient_profile(FLOW_DEPTH, FLOW_WIDTH, activation, init)["grad"]
    return float(grad[0] / grad[-1])


def _check_fix_flow(answer):
    if (
        answer is None
        or answer is Ellipsis
        or (isinstance(answer, tuple | list) and any(part is Ellipsis for part in answer))
    ):
        return 'your answer is still empty; give a pair such as ("tanh", "xavier")'
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return 'give a pair (activation, init), for example ("tanh", "xavier")'
    activation, init = (str(part).strip().lower() for part in answer)
    init = {"glorot": "xavier", "kaiming": "he", "lecun": "normal"}.get(init, init)
    if activation not in ACTIVATION_NAMES or init not in INIT_NAMES:
        if activation in INIT_NAMES and init in ACTIVATION_NAMES:
            return "the pair is the wrong way round: the activation first, then the init"
        return (
            f"choose the activation from {ACTIVATION_NAMES} and the init from {INIT_NAMES}, "
            "as in the gradient-flow meter"
        )
    ratio = flow_ratio(activation, init)
    low, high = FLOW_BAND
    if low <= ratio <= high:
        return None
    said = f"the meter measures first / last = {ratio:.2g} for {activation} with {init}"
    if activation == "sigmoid":
        return (
            f"{said}. No initialization rescues the sigmoid here: its slope is at most 1/4, so "
            "every layer shrinks the signal on its way back whatever the weights"
        )
    if activation == "relu":
        return (
            f"{said}. ReLU sets about half of its inputs to 0, which halves the signal's "
            f"variance at every layer; {init} does not make up for that"
        )
    return (
        f"{said}: close, but the layers still shrink the signal a little each, and ten of them "
        "add up. Which init gives each layer's weights a larger variance?"
    )


register(
    Exercise(
        id="07.fix_flow",
        checker=_check_fix_flow,
        hint="two things set the factor each layer multiplies the gradient by: the activation's "
        "slope and the size of the weights. Pick an activation whose slope can be 1, then the "
        "init designed for that activation (notebook 05).",
        reference=("relu", "he"),
        solution_code=(
            'choice = ("relu", "he")  # slope 1 where active; variance 2 / n_in makes up for the\n'
            "#                          half of the inputs ReLU sets to 0 (tanh with he works too)"
        ),
        mistakes=[
            (None, "still empty"),
            ("relu", "give a pair"),
            (("he", "relu"), "wrong way round"),
            (("swish", "he"), "choose the activation"),
            (("sigmoid", "he"), "No initialization rescues the sigmoid"),
            (("relu", "xavier"), "halves the signal's variance"),
            (("tanh", "xavier"), "close, but"),
        ],
    )
)


# ---- the summary quiz --------------------------------------------------------------------------
register_quiz(
    "07",
    [
        Question(
            "You stack three layers with no activation (g(z) = z). What can the network draw "
            "between red and blue dots?",
            [
                (
                    "Only a straight line",
                    True,
                    "Linear layers compose into one linear map, W = W₃W₂W₁ (notebook 02): "
                    "depth adds nothing without a non-linear activation.",
                ),
                (
                    "A curve with up to three bends",
                    False,
                    "Bends need a non-linear g. Without it the three layers collapse into one.",
                ),
                (
                    "Any shape, given enough units",
                    False,
                    "That is true with a non-linear activation, not without one.",
                ),
            ],
        ),
        Question(
            "Why did deep sigmoid networks learn so slowly in their first layers?",
            [
                (
                    "Backpropagation multiplies the error signal by σ′(z) ≤ 1/4 once per layer, "
                    "so it shrinks on the way back",
                    True,
                    "Right: the product of many small slopes vanishes (notebooks 04 and 05).",
                ),
                (
                    "The sigmoid is too expensive to compute",
                    False,
                    "Cost is not the problem; the small slope is.",
                ),
                (
                    "The first layers have fewer weights",
                    False,
                    "The number of weights does not shrink the gradient; the chain of slopes does.",
                ),
            ],
        ),
        Question(
            "A ReLU unit has z < 0 for every training example. What happens to its weights?",
            [
                (
                    "They stop changing: its slope is 0 everywhere it is used, so no gradient "
                    "reaches them (a dead ReLU)",
                    True,
                    "Right. Leaky ReLU keeps a slope of 0.01 for z < 0, so such a unit can "
                    "still learn, if slowly; ELU's, GELU's and SiLU's slopes shrink towards 0 "
                    "far left, so a unit pushed far enough is stuck with them too (notebook 06).",
                ),
                (
                    "They grow until the unit switches on again",
                    False,
                    "With a zero slope there is no gradient to push them anywhere.",
                ),
                (
                    "They are reset to their starting values",
                    False,
                    "Nothing resets them; they simply stay where they are.",
                ),
            ],
        ),
        Question(
            "Your formula `np.log(1 + np.exp(z))` prints “overflow encountered in exp” at "
            "z = 1000. What is the fix?",
            [
                (
                    "Rewrite it as `np.logaddexp(0, z)`, the same function computed safely",
                    True,
                    "Right: it never forms e^1000. The maths is unchanged, only the arithmetic.",
                ),
                (
                    "Hide the warning with `warnings.filterwarnings('ignore')`",
                    False,
                    "The warning is telling the truth: e^1000 is infinity in float64 and the "
                    "result is infinity too.",
                ),
                (
                    "Clip z to [-10, 10] first",
                    False,
                    "That changes the function: softplus(1000) is 1000, not about 10.",
                ),
            ],
        ),
        Question(
            "A gradient check reports a relative error of 0.3 between your derivative and "
            "central differences. What does that tell you?",
            [
                (
                    "The derivative is wrong",
                    True,
                    "A right one gives about 1e-7 or less; above 1e-2 something is wrong "
                    "(notebook 04).",
                ),
                (
                    "It is fine: 0.3 is small",
                    False,
                    "Relative error compares the two; 0.3 means they differ by about a third.",
                ),
                (
                    "Central differences are inaccurate, so ignore it",
                    False,
                    "They are accurate to about 1e-8 for smooth functions: trust the check.",
                ),
            ],
        ),
        Question(
            "Which pairing of activation and initialization is the usual starting point?",
            [
                (
                    "tanh with Xavier (Glorot), ReLU with He",
                    True,
                    "Both keep the size of the signal about the same from layer to layer for "
                    "that activation (notebook 05).",
                ),
                (
                    "Any activation with weights times 0.01",
                    False,
                    "Tiny weights make the signal and the gradient collapse in deep networks.",
                ),
                (
                    "Any activation with weights from N(0, 1)",
                    False,
                    "With many inputs per unit that saturates tanh and sigmoid at once.",
                ),
            ],
        ),
    ],
)
