"""Notebook 03: a batched dense layer, Leaky ReLU and its derivative, and the quiz."""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from helpers.activations import LEAKY_SLOPE, get
from helpers.exercises import (
    Exercise,
    Question,
    as_number,
    call_learner,
    compare_function,
    register,
    register_quiz,
)

# ---- 03.dense_layer ------------------------------------------------------------------------
# Shapes chosen so that n, n_in and n_out all differ: a transposed product cannot pass by luck.
_RNG = np.random.default_rng(3)
_X = _RNG.standard_normal((7, 5))  # 7 examples, 5 inputs each
_W = _RNG.standard_normal((3, 5))  # 3 neurons, 5 inputs each
_B = _RNG.standard_normal(3)
_X_ONE = _RNG.standard_normal((1, 5))


def dense_batch(X, W, b, g):
    """A dense layer for a whole batch: one row of X per example."""
    Z = X @ W.T + b
    return g(Z)


def _check_dense(answer) -> str | None:
    for X, g, g_name in ((_X, np.tanh, "np.tanh"), (_X_ONE, get("relu"), "ReLU")):
        n, n_in, n_out = X.shape[0], X.shape[1], _W.shape[0]
        shapes = f"X {X.shape}, W {_W.shape}, b {_B.shape}"
        expected = dense_batch(X, _W, _B, g)
        call = call_learner(answer, X, _W, _B, g, name="dense_batch")
        if call.error and ("ValueError" in call.error or "A @ B" in call.error):  # shapes
            return (
                f"with {shapes}, {call.error.rstrip(' .')}. Check each step's shape: X has one "
                f"row per example, (n, n_in) = {X.shape}; W one row per neuron, (n_out, n_in) = "
                f"{_W.shape}; b one entry per neuron; the result one row per example, "
                f"(n, n_out) = {(n, n_out)}"
            )
        if call.error:
            return call.error
        got = call.value
        if got.shape != expected.shape:
            flipped = " (that is transposed)" if got.shape == expected.shape[::-1] else ""
            return (
                f"with {shapes} dense_batch returned shape {got.shape}{flipped}; the expected "
                f"shape is (n, n_out) = {expected.shape}: one row per example, one column "
                f"per neuron (n = {n} examples, n_out = {n_out} neurons, n_in = {n_in})"
            )
        if np.allclose(got, expected):
            continue
        Z = X @ _W.T + _B
        if np.allclose(got, Z):
            return f"you return Z, the pre-activation; apply the activation g ({g_name}) to it"
        if np.allclose(got, g(X @ _W.T)):
            return "the bias b is missing: add it to X @ W.T before applying g"
        for other, other_name in ((np.tanh, "tanh"), (get("relu"), "ReLU")):
            if other is not g and np.allclose(got, other(Z)):
                return f"your function ignores g: given g = {g_name}, it returns {other_name}(Z)"
        return compare_function(
            lambda Xa, _ans=answer, _g=g: _ans(Xa, _W.copy(), _B.copy(), _g),
            lambda Xa, _g=g: dense_batch(Xa, _W, _B, _g),
            [X],
            "dense_batch",
        )
    return None


register(
    Exercise(
        id="03.dense_layer",
        checker=_check_dense,
        hint=(
            "think in shapes: X is (n, n_in) and W is (n_out, n_in). Which of the two must be "
            "turned round (transposed) so that the product has one row per example and one "
            "column per neuron? The bias is added to every row, and g acts last, on each entry."
        ),
        reference=dense_batch,
        mistakes=[
            (None, "still empty"),
            (lambda X, W, b, g: g(X @ W + b), "A's columns must match B's rows"),
            (lambda X, W, b, g: g(X @ W.T + b[:, None]), "could not be broadcast"),
            (lambda X, W, b, g: np.tanh(X @ W.T + b), "ignores g"),
            (lambda X, W, b, g: g(W @ X.T + b[:, None]), "transposed"),
            (lambda X, W, b, g: X @ W.T + b, "apply the activation g"),
            (lambda X, W, b, g: g(X @ W.T), "bias b is missing"),
            (lambda X, W, b, g: None, "return"),
        ],
    )
)


# ---- 03.leaky_relu and 03.leaky_relu_derivative -------------------------------------------
_Z_TEST = [np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0]), 1.5, -4.0, np.array([[-2.0, 3.0]])]
_Z_NO_KINK = [np.array([-3.0, -1.0, -0.25, 0.5, 2.0]), 1.5, -4.0, np.array([[-2.0, 3.0]])]


def leaky_relu(z):
    """z for z > 0, 0.01 z otherwise."""
    return np.where(z > 0, z, 0.01 * z)


def leaky_relu_derivative(z):
    """1 for z > 0, 0.01 otherwise."""
    return np.where(z > 0, 1.0, 0.01)


def _values(answer, z: float) -> float | None:
    got = call_learner(answer, np.array([z])).value
    if got is None or got.size == 0 or not np.all(np.isfinite(got)):
        return None
    return float(got.ravel()[0])


def _compared(
    answer, reference, inputs, name: str
) -> tuple[str | None, float | None, float | None]:
    """compare_function's reason, and the answer's values at z = -2 and 2 when it is wrong but
    runs on every test input (else None, None: the reason says why)."""
    reason = compare_function(answer, reference, inputs, name)
    if reason is None or not callable(answer):
        return reason, None, None
    if any(call_learner(answer, z).error for z in inputs):  # a single number, say
        return reason, None, None
    return reason, _values(answer, -2.0), _values(answer, 2.0)


def _check_leaky(answer) -> str | None:
    reason, at_minus_two, at_two = _compared(answer, leaky_relu, _Z_TEST, "leaky_relu")
    if at_minus_two is None or at_two is None:
        return reason
    if at_minus_two == 0.0 and at_two == 2.0:
        return "leaky_relu(-2) is 0: that is ReLU. Leaky ReLU lets 0.01 * z through for z < 0"
    if at_minus_two < 0 and at_two == 2.0:
        slope = at_minus_two / -2.0
        return f"on the negative side your slope is {slope:.4g}; the course uses 0.01"
    return reason


def _check_leaky_derivative(answer) -> str | None:
    reason, at_minus_two, at_two = _compared(
        answer, leaky_relu_derivative, _Z_NO_KINK, "leaky_relu_derivative"
    )
    if at_minus_two is None or at_two is None:
        return reason
    if at_minus_two == 0.0 and at_two == 1.0:
        return "the slope at z = -2 is 0: that is ReLU's derivative; Leaky ReLU's is 0.01 there"
    if np.isclose(at_minus_two, -0.02):
        return "you return the value 0.01 * z for z < 0; the slope (derivative) there is 0.01"
    if np.isclose(at_two, 2.0):
        return "for z > 0 you return z itself; the slope of z is 1 there"
    got = call_learner(answer, np.array([-1.0, 1.0])).value
    if got is not None and got.shape == ():
        return (
            "for an array input you return a single number; choose the slope entry by entry "
            "(numpy's np.where does that) to get one slope per element"
        )
    return reason


register(
    Exercise(
        id="03.leaky_relu",
        checker=_check_leaky,
        hint=(
            "Leaky ReLU is ReLU with a leak: where z is positive it passes z on unchanged, and "
            "elsewhere it lets a small fixed fraction of z through instead of nothing. numpy "
            "can choose between two arrays entry by entry."
        ),
        reference=leaky_relu,
        mistakes=[
            (None, "still empty"),
            (lambda z: np.maximum(0, z), "that is ReLU"),
            (lambda z: np.where(z > 0, z, 0.1 * z), "slope is 0.1"),
            (lambda z: None, "return"),
        ],
    )
)
register(
    Exercise(
        id="03.leaky_relu_derivative",
        checker=_check_leaky_derivative,
        hint=(
            "on each side of the kink the function is a straight line through the origin, and "
            "the slope of the line c·z is the constant c, whatever z is. (At the kink itself "
            "any choice is accepted.)"
        ),
        reference=leaky_relu_derivative,
        mistakes=[
            (None, "still empty"),
            (lambda z: np.where(z > 0, 1.0, 0.0), "ReLU's derivative"),
            (lambda z: np.where(z > 0, 1.0, 0.01 * z), "slope (derivative) there is 0.01"),
            (lambda z: np.where(z > 0, z, 0.01), "slope of z is 1"),
            (lambda z: 1.0, "single number"),
        ],
    )
)

assert LEAKY_SLOPE == 0.01  # the exercises above state the slope the registry uses


# ---- quiz ----------------------------------------------------------------------------------
# ---- 03.gelu_zero: where GELU's slope crosses 0, read from the zoo explorer ------------------
GELU_TOLERANCE = 0.1  # one step of the explorer's z slider


def gelu_slope_zero() -> float:
    """The z < 0 where GELU's slope g'(z) crosses 0: the root of the derivative the zoo
    explorer draws (helpers.activations), inside the explorer's z range."""
    from helpers.widgets.zoo_explorer import Z_RANGE

    return float(brentq(get("gelu").derivative, Z_RANGE[0], 0.0))


def _check_gelu_zero(answer):
    value, reason = as_number(answer)
    if reason:
        return reason
    want = gelu_slope_zero()
    if abs(value - want) <= GELU_TOLERANCE:
        return None
    slope = float(get("gelu").derivative(np.array([value]))[0])
    silu_zero = float(brentq(get("silu").derivative, -5.0, 0.0))
    lowest = float(np.sqrt(2.0))  # GELU's slope is lowest at z = -sqrt(2)
    if value > GELU_TOLERANCE:
        return (
            f"at z = {value:g} GELU's slope is {slope:.3f}: to the right of 0 it is positive "
            "everywhere. Look left of 0, where the curve dips"
        )
    if abs(value) <= GELU_TOLERANCE:
        return (
            "at z = 0 GELU's value crosses 0 (GELU(0) = 0), but its slope there is 0.5: read "
            "g'(z) in the table, not g(z)"
        )
    if abs(value - silu_zero) < abs(value + lowest) and abs(value - silu_zero) <= 0.1:
        return (
            "that is where SiLU's slope crosses 0. Pick GELU alone: its dotted line crosses "
            "0 closer to z = 0"
        )
    if abs(value + lowest) <= 0.1:
        return (
            f"near z = {value:g} GELU's slope is at its lowest ({slope:.3f}), not 0: follow the "
            "dotted line to where it meets the axis"
        )
    if value <= -2:
        return (
            f"at z = {value:g} GELU's slope is {slope:.4f}: far left it creeps toward 0 from "
            "below but never gets back to 0. Look for where it changes sign"
        )
    side = "still positive: go further left" if slope > 0 else "already negative: go back right"
    return f"at z = {value:g} GELU's slope is {slope:.3f}, {side}"


register(
    Exercise(
        id="03.gelu_zero",
        checker=_check_gelu_zero,
        hint="show the slopes and pick GELU alone, then move the marker left from 0 and watch "
        "g'(z) in the table: where does it change sign? GELU's lowest value sits at the same z, "
        "because a curve is flat at its lowest point.",
        reference=-0.75,
        solution_code=(
            "answer = -0.75  # GELU'(-0.7) = +0.023 and GELU'(-0.8) = -0.020: the sign changes\n"
            "# between them, where GELU itself is lowest"
        ),
        mistakes=[
            (None, "still empty"),
            (0.0, "GELU's value crosses 0"),
            (0.5, "to the right of 0"),
            (-1.3, "SiLU's slope"),
            (-1.41, "at its lowest"),
            (-4.0, "never gets back"),
            (-0.3, "still positive"),
        ],
    )
)


register_quiz(
    "03",
    [
        Question(
            "A layer has 8 neurons and receives 3 inputs. In this course, what shape is its "
            "weight matrix W?",
            [
                (
                    "(8, 3)",
                    True,
                    "One row per neuron, one column per input: (n_out, n_in), so that "
                    "z = W x + b. PyTorch's nn.Linear stores its weight the same way.",
                ),
                (
                    "(3, 8)",
                    False,
                    "That is Wᵀ, the shape Keras uses for its kernel (inputs × units). The "
                    "course, like PyTorch, stores (n_out, n_in) and writes a batch as X Wᵀ + b.",
                ),
                (
                    "(8,)",
                    False,
                    "That is the bias b, one number per neuron. Each neuron needs one weight per "
                    "input: 8 × 3 weights in all.",
                ),
                (
                    "(3,)",
                    False,
                    "That is one neuron's weights, one per input. The layer has such a row for "
                    "each of its 8 neurons; they do not share weights.",
                ),
            ],
        ),
        Question(
            "A batch X of shape (32, 3) goes through that layer. What shape is Z = X Wᵀ + b?",
            [
                (
                    "(32, 8)",
                    True,
                    "One row per example, one column per neuron: (32, 3) @ (3, 8) gives (32, 8), "
                    "and b is added to every row.",
                ),
                (
                    "(8, 32)",
                    False,
                    "That would be W Xᵀ, one column per example. The course puts examples in "
                    "rows, in X and in Z.",
                ),
                (
                    "(32, 3)",
                    False,
                    "The activation keeps the shape of z, but the layer does not keep the shape "
                    "of its input: W maps 3 numbers to 8 for every example. The width is set by "
                    "W, not by g.",
                ),
                (
                    "(8,)",
                    False,
                    "A layer does not average its examples: each of the 32 gets its own 8 "
                    "pre-activations. Averaging over the batch happens only in the loss.",
                ),
            ],
        ),
        Question(
            "Which activation's slope tends to 0 on both sides, so that a unit pushed far "
            "either way stops learning?",
            [
                (
                    "tanh",
                    True,
                    "Far from 0, tanh is flat at −1 or 1, so its slope vanishes on both sides: "
                    "the measuring table says “both”, as for the sigmoid and the step.",
                ),
                (
                    "ReLU",
                    False,
                    "ReLU's slope is 0 for every z < 0 but exactly 1 for every z > 0, however "
                    "large: it saturates on the left only.",
                ),
                (
                    "GELU",
                    False,
                    "Smooth does not mean saturating: GELU flattens on the left but grows like z "
                    "on the right, with slope 1 (the table says “left”).",
                ),
                (
                    "Leaky ReLU",
                    False,
                    "Its slope is 0.01 or 1 everywhere: it never goes flat on either side (the "
                    "table says “no”).",
                ),
            ],
        ),
        Question(
            "What happens if a unit of the next layer learns from sigmoid outputs (all "
            "positive) instead of the same outputs moved down by 1/2, centred like tanh's?",
            [
                (
                    "It reaches the same fit, but in several times as many steps: the loss's "
                    "valley is longer and narrower",
                    True,
                    "Right: reaching the best fit took 3.2 to 10.5 times the steps (median 8.0), "
                    "each at its own best learning rate. The inputs' shared mean makes one "
                    "direction of the loss far steeper than the rest, so the steps must stay "
                    "small; and every example moved all 8 weights the same way.",
                ),
                (
                    "It cannot fit the target as well: all-positive inputs lose the sign's "
                    "information",
                    False,
                    "The best possible fit is the same for both: the unit's bias absorbs the "
                    "shift by 1/2. What differs is how long gradient descent takes to get there.",
                ),
                (
                    "Its weights can only become positive, because its inputs are positive",
                    False,
                    "Weights can take any sign, whatever the inputs. What all-positive inputs do "
                    "is make one example's weight changes share a sign: all up or all down.",
                ),
                (
                    "Nothing changes: only the range differs, and the bias absorbs that",
                    False,
                    "The bias absorbs the shift in the final fit, not on the way there: the same "
                    "unit needed several times as many steps with sigmoid inputs (median 8.0).",
                ),
            ],
        ),
        Question(
            "tanh(z) = 2σ(2z) − 1. What follows from this identity?",
            [
                (
                    "tanh is the sigmoid stretched to (−1, 1), centred on 0 and twice as steep "
                    "in z: the same S shape, so it saturates on both sides too",
                    True,
                    "Right. The same curve, moved and stretched: its outputs average 0 (the "
                    "table's 0.00 against the sigmoid's 0.50), and it still goes flat far from 0.",
                ),
                (
                    "tanh and the sigmoid give the same outputs",
                    False,
                    "Their ranges differ: (0, 1) for the sigmoid, (−1, 1) for tanh. At z = 0 the "
                    "sigmoid gives 1/2 and tanh gives 0.",
                ),
                (
                    "tanh is only approximately a rescaled sigmoid",
                    False,
                    "The identity is exact: the two sides differ by less than 1e-15 on "
                    "[−10, 10], which is float64's rounding.",
                ),
                (
                    "Since tanh is built from the sigmoid, its largest slope is also 1/4",
                    False,
                    "Stretching changes the slope: twice the height and twice as steep "
                    "multiply it by 4, so tanh's largest slope is 4 × 1/4 = 1 (the table's "
                    "“largest slope”).",
                ),
            ],
        ),
    ],
)
