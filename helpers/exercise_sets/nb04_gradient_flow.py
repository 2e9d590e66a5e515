"""Notebook 04: tanh's derivative, a gradient check written by the learner, one tanh layer's
backward pass proven by a gradient check, and the quiz."""

from __future__ import annotations

from functools import cache

import numpy as np

from helpers.activations import get
from helpers.exercises import (
    Exercise,
    Question,
    as_choice,
    call_learner,
    compare_function,
    kind_of,
    register,
    register_quiz,
)


# ---- 04.tanh_derivative --------------------------------------------------------------------
def tanh_derivative(z):
    """The slope of tanh: 1 - tanh(z)^2."""
    return 1 - np.tanh(z) ** 2


_Z_TANH = [np.array([-3.0, -1.0, -0.3, 0.0, 0.4, 1.0, 2.5]), 0.7, np.array([[-2.0], [1.5]])]


def _check_tanh_derivative(answer) -> str | None:
    reason = compare_function(answer, get("tanh").derivative, _Z_TANH, "tanh_derivative")
    if reason is None or not callable(answer):
        return reason
    z = np.array([-1.0, 0.5, 2.0])
    try:
        got = np.asarray(answer(z.copy()), dtype=np.float64)
    except Exception:
        return reason
    if got.shape != z.shape or not np.all(np.isfinite(got)):
        return reason
    t = np.tanh(z)
    if np.allclose(got, 1 - t):
        return "you return 1 - tanh(z), which is not tanh's slope yet: check the power of tanh"
    if np.allclose(got, 1 / np.cosh(z)):
        return "1 / cosh(z) is not tanh's slope yet: check the power of cosh"
    if np.allclose(got, t * (1 - t)):
        return (
            "tanh(z) * (1 - tanh(z)) copies the sigmoid's pattern sigma * (1 - sigma); "
            "tanh's derivative is 1 - tanh(z)**2"
        )
    if np.allclose(got, t):
        return "you return tanh(z) itself, the value; the exercise asks for its slope"
    return reason


register(
    Exercise(
        id="04.tanh_derivative",
        checker=_check_tanh_derivative,
        hint="like the sigmoid's slope σ(1 − σ), tanh's slope can be written with tanh's own "
        "output. Check your formula at two places: at z = 0 tanh is steepest (slope 1), and far "
        "out, where tanh flattens at ±1, the slope must go to 0.",
        reference=tanh_derivative,
        mistakes=[
            (None, "still empty"),
            (lambda z: 1 - np.tanh(z), "check the power of tanh"),
            (lambda z: np.tanh(z) * (1 - np.tanh(z)), "sigmoid's pattern"),
            (lambda z: 1 / np.cosh(z), "check the power of cosh"),
            (lambda z: np.tanh(z), "the value"),
            (lambda z: None, "return"),
        ],
    )
)


# ---- 04.gradient_check ---------------------------------------------------------------------
def my_numerical_gradient(f, w, h=1e-5):
    """The gradient of f at w by central differences, one entry of w at a time."""
    grad = np.zeros_like(w)
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w - step)) / (2 * h)
    return grad


def _cubic(w):
    return float(np.sum(w**3) + w[0] * w[1])


def _cubic_gradient(w):
    grad = 3 * w**2
    grad[0] += w[1]
    grad[1] += w[0]
    return grad


def _square(w):
    return float(np.sum(w**2))


def _call(answer, f, w):
    """Run the learner's function; return (result array or None, problem text or None)."""
    call = call_learner(answer, f, w, name="my_numerical_gradient")
    if call.error:
        return None, call.error
    got = call.value
    if got.shape != w.shape:
        return None, (
            f"for w of shape {w.shape} my_numerical_gradient returned shape {got.shape}; "
            f"it should return one slope per entry of w, shape {w.shape}"
        )
    if not np.all(np.isfinite(got)):
        return None, "my_numerical_gradient returned NaN or infinity"
    return got, None


def _check_gradient(answer) -> str | None:
    # f(w) = sum of w^2 at w = 0: every slope is exactly 0, and a central difference gives 0,
    # while a one-sided difference gives h (or -h).
    at_zero, problem = _call(answer, _square, np.zeros(3))
    if problem:
        return problem
    w = np.array([1.0, -2.0, 0.5])
    got, problem = _call(answer, _cubic, w)
    if problem:
        return problem
    want = _cubic_gradient(w)
    if np.allclose(got, want, rtol=1e-6, atol=1e-8):
        return None
    if np.max(np.abs(got)) > 1e3:  # f(w - h) / (2 h) for the cubic's f(w) of about -9
        return (
            "your slopes are huge: does the division by 2 h apply to the whole difference? In "
            "Python `a - b / c` divides only b"
        )
    if 0 < np.max(np.abs(got)) < 1e-6:  # the slope times h**2 / 2
        return (
            "your slopes are tiny: `/ 2 * h` divides by 2 and then multiplies by h; the 2 h "
            "you divide by needs brackets"
        )
    if (
        np.max(np.abs(at_zero)) > 1e-8
        and np.allclose(at_zero, at_zero[0])
        and abs(at_zero[0]) < 0.1
    ):
        return (
            f"for f(w) = sum(w**2) at w = 0 every slope is exactly 0, but you get "
            f"{at_zero[0]:.3g}: that is what a one-sided difference (f(w + h) - f(w)) / h gives. "
            "Step to both sides: (f(w + h) - f(w - h)) / (2 h)"
        )
    if np.all(got == 0):
        return (
            "your function returns all zeros: grad is never filled in. Loop over the entries "
            "of w and set grad[i] to one central difference each"
        )
    if np.allclose(got, 2 * want, rtol=1e-4):
        return (
            "your slopes are twice the right ones: divide by 2 h, "
            "the distance between w - h and w + h"
        )
    if np.allclose(got, -want, rtol=1e-4):
        return "your slopes have the wrong sign: compute f(w + h) - f(w - h), in that order"
    if np.allclose(got, want, rtol=1e-1):
        return (
            f"your slopes are close but not close enough (you get {got[0]:.6g} where the slope "
            f"is {want[0]:.6g}): is h small, about 1e-5?"
        )
    if got[0] == 0 and np.allclose(got[1:], want[1:], rtol=1e-6):
        return "slope 0 is never filled in: does your loop start at the first entry, index 0?"
    if not np.isclose(got[0], want[0], rtol=1e-6) and np.allclose(got[1:], want[1:], rtol=1e-6):
        return "only the first slope is wrong; does the step move exactly one entry of w?"
    i = int(np.argmax(np.abs(got - want)))
    return (
        f"for f(w) = sum(w**3) + w[0] w[1] at w = [1, -2, 0.5] your slope {i} is {got[i]:.6g}, "
        f"but the right value is {want[i]:.6g}"
    )


def _one_sided(f, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w)) / h
    return grad


def _no_two(f, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w - step)) / h
    return grad


def _in_place(f, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in range(w.size):
        w[i] += h
        up = f(w)
        w[i] -= 2 * h
        grad[i] = (up - f(w)) / (2 * h)  # forgets to put w[i] back
    return grad


def _big_step(f, w, h=0.1):
    return my_numerical_gradient(f, w, h)


register(
    Exercise(
        id="04.gradient_check",
        checker=_check_gradient,
        hint=(
            "move one entry of w at a time, leaving the others (and w itself) alone: evaluate f "
            "a little above and a little below that entry, and divide the difference of the two "
            "values by the distance between the two points."
        ),
        reference=my_numerical_gradient,
        mistakes=[
            (None, "still empty"),
            (_one_sided, "one-sided difference"),
            (_no_two, "twice the right ones"),
            (_in_place, "changes its input"),
            (_big_step, "is h small"),
            (lambda f, w, h=1e-5: f(w), "shape"),
            (lambda f, w, h=1e-5: np.zeros_like(w), "all zeros"),
            (lambda f, w, h=1e-5: None, "return"),
        ],
    )
)


# ---- 04.layer_backward: one tanh layer's backward pass, proven by a gradient check ---------------
_RNG = np.random.default_rng(41)
BACK_X = _RNG.normal(size=(6, 4))  # 6 examples, 4 inputs: n, n_in and n_out all differ
BACK_W = _RNG.normal(size=(3, 4)) * 0.7  # 3 units
BACK_B = _RNG.normal(size=3) * 0.5
BACK_DA = _RNG.normal(size=(6, 3))  # dL/dA for the loss L = sum(BACK_DA * A)
GOOD_ERROR = 1e-7  # CS231n's scale, as in the notebook: 1e-7 or less is good


def tanh_layer_backward(X, W, b, dA):
    """The backward pass of A = tanh(X @ W.T + b): given dA = dL/dA, return dW, db, dX."""
    A = np.tanh(X @ W.T + b)
    dZ = dA * (1 - A**2)  # the signal times tanh's slope, entry by entry
    dW = dZ.T @ X  # (n_out, n_in), like W
    db = dZ.sum(axis=0)  # the bias is shared by every example
    dX = dZ @ W  # (n, n_in), like X: what the layer below receives
    return dW, db, dX


def _layer_loss(X, W, b):
    return float(np.sum(BACK_DA * np.tanh(X @ W.T + b)))


def numerical_layer_gradients() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dW, db, dX of the loss sum(dA * tanh(X W^T + b)) by central differences (a gradient
    check with the course's numerical_gradient)."""
    from helpers.network import numerical_gradient

    X, W, b = BACK_X, BACK_W, BACK_B
    return (
        numerical_gradient(lambda P: _layer_loss(X, P, b), W.copy()),
        numerical_gradient(lambda P: _layer_loss(X, W, P), b.copy()),
        numerical_gradient(lambda P: _layer_loss(P, W, b), X.copy()),
    )


# Typical wrong slopes in place of tanh's g'(Z) = 1 - A**2, each with what the check says.
WRONG_SLOPES = [
    (
        lambda Z, A: np.ones_like(Z),
        "your dW leaves out tanh's slope. On its way back through the layer the signal dA is "
        "first multiplied, entry by entry, by g'(Z)",
    ),
    (
        lambda Z, A: 1 - A,
        "the slope of tanh is not 1 - tanh(z); notebook 03's table (and exercise 1) has it, "
        "written with tanh's output squared",
    ),
    (
        lambda Z, A: 1 - np.tanh(A) ** 2,
        "you took tanh of A, which is already tanh(Z); the slope needs A itself (or Z, through "
        "tanh once)",
    ),
    (lambda Z, A: A * (1 - A), "A (1 - A) is the sigmoid's slope, not tanh's"),
    (lambda Z, A: 1 - Z**2, "tanh's slope is written with its output A, not with Z"),
    (lambda Z, A: -(1 - A**2), "your gradients have the wrong sign"),
]


def _slope_of(slope):
    """A backward pass with the layer's slope g'(Z) replaced by slope(Z, A): a typical mistake."""

    def backward(X, W, b, dA):
        Z = X @ W.T + b
        dZ = dA * slope(Z, np.tanh(Z))
        return dZ.T @ X, dZ.sum(axis=0), dZ @ W

    return backward


def _check_layer_backward(answer) -> str | None:
    from helpers.network import relative_error

    call = call_learner(
        answer, BACK_X, BACK_W, BACK_B, BACK_DA, name="tanh_layer_backward", numbers=False
    )
    if call.error and "returned None" in call.error:
        return "tanh_layer_backward returned None: is there a `return dW, db, dX` line?"
    if call.error:
        return call.error
    out = call.value
    if not isinstance(out, tuple | list) or len(out) != 3:
        return "tanh_layer_backward should return three arrays, in this order: dW, db, dX"
    if any(part is Ellipsis for part in out):
        return "tanh_layer_backward still returns `...`: replace each `...` with your code"
    names = ("dW", "db", "dX")
    like = {"dW": BACK_W, "db": BACK_B, "dX": BACK_X}
    got = {}
    for name, part in zip(names, out):
        try:
            got[name] = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError):
            return f"{name} should be a numpy array, but it is {kind_of(part)}"
        want_shape = like[name].shape
        if got[name].shape != want_shape:
            if name == "db" and got[name].shape == BACK_DA.shape:
                return (
                    "db has one row per example: the bias is shared by every example, so its "
                    "gradient adds up what each example contributes (sum over the batch)"
                )
            flipped = " (transposed)" if got[name].shape == want_shape[::-1] else ""
            return (
                f"{name} has shape {got[name].shape}{flipped}; a gradient has the shape of what "
                f"it is the gradient of: {want_shape}, like {name[1:]}"
            )
        if not np.all(np.isfinite(got[name])):
            return f"{name} contains NaN or infinity"
    numeric = dict(zip(names, numerical_layer_gradients()))
    errors = {name: relative_error(got[name], numeric[name]) for name in names}
    if max(errors.values()) <= GOOD_ERROR:
        return None
    for slope, message in WRONG_SLOPES:  # dW shows which slope the signal was multiplied by
        if np.allclose(got["dW"], _slope_of(slope)(BACK_X, BACK_W, BACK_B, BACK_DA)[0]):
            return f"the gradient check fails: {message}"
    right_db = tanh_layer_backward(BACK_X, BACK_W, BACK_B, BACK_DA)[1]
    if np.allclose(got["db"] * len(BACK_X), right_db):
        return (
            f"db is 1/{len(BACK_X)} of the right value: the loss adds up what every example "
            "contributes, so db is a sum over the batch, not an average"
        )
    if min(errors.values()) > GOOD_ERROR:
        return (
            "the gradient check fails for dW, db and dX alike: all three are built from the "
            "signal at Z, so look there first (dA times the layer's slope, entry by entry)"
        )
    worst = max(errors, key=errors.get)
    return (
        f"the gradient check fails for {worst}: relative error {errors[worst]:.1e} against "
        "central differences (1e-7 or less is good, above 1e-2 is a bug). Derive it from the "
        "signal at Z with the chain rule"
    )


def _db_averaged(X, W, b, dA):
    dW, db, dX = tanh_layer_backward(X, W, b, dA)
    return dW, db / len(X), dX


def _db_per_example(X, W, b, dA):
    dW, _, dX = tanh_layer_backward(X, W, b, dA)
    return dW, dA * (1 - np.tanh(X @ W.T + b) ** 2), dX


def _dw_transposed(X, W, b, dA):
    dW, db, dX = tanh_layer_backward(X, W, b, dA)
    return dW.T, db, dX


def _dx_wrong(X, W, b, dA):
    dW, db, _ = tanh_layer_backward(X, W, b, dA)
    return dW, db, dA @ W  # tanh' forgotten on the way to the layer below


register(
    Exercise(
        id="04.layer_backward",
        checker=_check_layer_backward,
        hint=(
            "go back one step at a time. First the signal at Z: the chain rule multiplies dA by "
            "the activation's slope, entry by entry. Then each of W, b and X gets a gradient of "
            "its own shape, made from that signal and whatever Z was multiplied with; the bias "
            "is shared by every example of the batch."
        ),
        reference=tanh_layer_backward,
        mistakes=[
            (None, "still empty"),
            (lambda X, W, b, dA: None, "return dW, db, dX"),
            (lambda X, W, b, dA: (..., ..., ...), "still returns"),
            (lambda X, W, b, dA: dA, "three arrays"),
            *[(_slope_of(slope), message) for slope, message in WRONG_SLOPES],
            (_db_per_example, "one row per example"),
            (_dw_transposed, "(transposed)"),
            (_dx_wrong, "fails for dX"),
            (_slope_of(lambda Z, A: 2 * (1 - A**2)), "dW, db and dX alike"),
            (_db_averaged, "not an average"),
        ],
    )
)


# ---- quiz ----------------------------------------------------------------------------------
# ---- 04.saturated_signal: which activation carries the signal best when z is large -----------
SIGNAL_SCALE = 10**0.5  # the slider's "size of z" mark 3.16
SIGNAL_CHOICES = {"sigmoid": "sigmoid", "tanh": "tanh", "ReLU": "relu"}


@cache
def _signal_widget():
    from helpers.widgets.error_signal import ErrorSignal

    return ErrorSignal()


def signal_at_layer_1() -> dict[str, float]:
    """The error signal's size at layer 1 for each choice, computed by the widget's own
    `signal_sizes` on its own fixed pre-activations and rotations, at its starting depth."""
    import inspect

    from helpers.widgets.error_signal import ErrorSignal, signal_sizes

    widget = _signal_widget()
    depth = inspect.signature(ErrorSignal.__init__).parameters["depth"].default
    return {
        label: float(signal_sizes(name, SIGNAL_SCALE, depth, widget.eps, widget.rotations)[0])
        for label, name in SIGNAL_CHOICES.items()
    }


def _check_saturated_signal(answer):
    choice, reason = as_choice(answer, list(SIGNAL_CHOICES))
    if reason:
        return reason
    sizes = signal_at_layer_1()
    best = max(sizes, key=sizes.get)
    if choice == best:
        return None
    if choice == "tanh":
        return (
            f"with z of size 3.16 most tanh units sit on its flat arms, where the slope is "
            f"near 0: the signal reaches layer 1 at {sizes['tanh']:.1e}. Switch the dropdown "
            "and compare the bars"
        )
    return (
        f"the sigmoid's slope is at most 1/4 even at z = 0, and smaller still for large z: "
        f"the signal reaches layer 1 at {sizes['sigmoid']:.1e}"
    )


register(
    Exercise(
        id="04.saturated_signal",
        checker=_check_saturated_signal,
        hint="ask, for each activation, what its slope does when |z| is large, and whether its "
        "slope depends on the size of z at all.",
        reference="ReLU",
        solution_code=(
            'answer = "ReLU"  # its slope is 1 or 0 whatever the size of z (2e-2 at layer 1);\n'
            "# tanh saturates (1e-4) and the sigmoid's slope is small everywhere (3e-9)"
        ),
        mistakes=[
            (None, "still empty"),
            ("tanh", "flat arms"),
            ("sigmoid", "at most 1/4"),
            ("step", "not one of the choices"),
        ],
    )
)


register_quiz(
    "04",
    [
        Question(
            "In backpropagation, what happens to the error signal as it passes back through one "
            "layer?",
            [
                (
                    "Each unit's share is multiplied by that unit's slope g′(z), and the weights "
                    "pass it on to the layer below",
                    True,
                    "That is the chain rule: the ★ line `dZ1 = dA1 * (1 - A1**2)` multiplies by "
                    "tanh′, and `d_out @ W2` sends each neuron its share.",
                ),
                (
                    "It is multiplied by the activation's output g(z)",
                    False,
                    "The chain rule uses the slope, not the output, and they differ: the "
                    "saturated neuron's output is 0.98, its slope 0.018. For the sigmoid the "
                    "slope is written with the output, σ(1 − σ), which makes them easy to mix up.",
                ),
                (
                    "It passes through unchanged: activations matter only on the way forward",
                    False,
                    "Backprop goes back through the same activations. Leave out the ★ factor and "
                    "the gradient check says “wrong” (relative error 1.4e-01).",
                ),
                (
                    "Every layer receives the same error signal, straight from the loss",
                    False,
                    "Only the last layer gets the loss's signal directly; each layer below gets "
                    "it after all the slopes and weights above it. That is why layers learn at "
                    "different speeds (notebook 05).",
                ),
            ],
        ),
        Question(
            "What happens if Nielsen's sigmoid neuron (quadratic cost, target 0) starts at "
            "w = b = 2, output 0.98, instead of at w = 0.6, b = 0.9, output 0.82?",
            [
                (
                    "It learns more slowly at first, although it is more wrong: its output "
                    "barely moves for about 150 epochs",
                    True,
                    "Its slope σ′(z) is 0.018 against 0.149, and every step is multiplied by "
                    "it. After 150 epochs its output is still 0.933, while the other neuron's is "
                    "0.153; it drops only later (0.203 after 300).",
                ),
                (
                    "It learns faster, because its error a − y is larger",
                    False,
                    "The error is larger (0.98 against 0.82), but the step is the error times "
                    "σ′(z), and the slope is 8 times smaller: its first step is 0.0173 against "
                    "0.1219.",
                ),
                (
                    "It never learns: a saturated neuron is stuck for good",
                    False,
                    "Saturated is not dead: its slope is small, not 0. It creeps along, then "
                    "falls: 0.203 after 300 epochs.",
                ),
                (
                    "It learns at the same speed, since the learning rate is the same, 0.15",
                    False,
                    "The learning rate is one factor of each step, the slope another. The same "
                    "rate with a slope 8 times smaller makes far smaller steps.",
                ),
            ],
        ),
        Question(
            "What happens if that saturated neuron (w = b = 2) is trained with the cross-entropy "
            "loss instead of the quadratic cost, at the same learning rate?",
            [
                (
                    "It learns at once: the sigmoid's slope cancels, and its first step is about "
                    "57 times larger",
                    True,
                    "The step becomes the error alone, a − y. After 10 epochs its output is "
                    "0.775, against 0.981 with the quadratic cost.",
                ),
                (
                    "Nothing changes: its slope is still tiny, so it still creeps",
                    False,
                    "With cross-entropy the sigmoid's slope cancels out of the step, "
                    "∂C/∂z = a − y, so the saturated neuron's small slope no longer enters.",
                ),
                (
                    "It learns faster, but only as a larger learning rate would make it",
                    False,
                    "A larger learning rate speeds every neuron up by the same factor. This "
                    "speed-up is 1/σ′(z): 57 for the saturated neuron, about 7 for the other, so "
                    "the most wrong neuron gains most.",
                ),
                (
                    "It overshoots the target and oscillates, since nothing slows it down near 0",
                    False,
                    "It settles smoothly: 0.099 after 50 epochs, 0.012 after 300. As the output "
                    "nears the target, a − y shrinks, and so does the step.",
                ),
            ],
        ),
        Question(
            "The gradient check of your hand-written backward pass for a tanh network gives a "
            "relative error of 0.3. What does that mean?",
            [
                (
                    "The backward pass has a bug: look for a missing or wrong factor",
                    True,
                    "On CS231n's scale anything above 1e-2 is probably wrong; a correct one "
                    "gives 1e-7 or better. The notebook's forgotten tanh′ factor gave 1.4e-01.",
                ),
                (
                    "Nothing: central differences are never exact, so some disagreement is normal",
                    False,
                    "Central differences are close enough that a correct gradient agrees to "
                    "below 1e-7 (the notebook's table). 0.3 means the two differ by about a third.",
                ),
                (
                    "The step h is too large; a smaller h will make the error go away",
                    False,
                    "h matters only far below 0.3: with the notebook's h = 1e-5 a right "
                    "gradient agrees to better than 1e-7. A much smaller h (say 1e-12) lets "
                    "rounding make the check worse, not better.",
                ),
                (
                    "A kink makes the check unreliable there, so the gradient may well be right",
                    False,
                    "tanh has no kink; kinks belong to ReLU-like activations. Even there the "
                    "notebook suspects a kink only for errors in the uncomfortable range, 1e-4 "
                    "to 1e-2, not for 0.3.",
                ),
            ],
        ),
        Question(
            "What happens to ReLU's bars in the error-signal widget if you make the size of z "
            "ten times larger?",
            [
                (
                    "Nothing: each unit's slope is still 1 where z > 0 and 0 where z < 0, so the "
                    "signal shrinks by the same factor as before",
                    True,
                    "Scaling z changes neither its sign nor ReLU's slope. The units with "
                    "negative z block their share and the others pass theirs untouched, at any "
                    "size of z.",
                ),
                (
                    "The signal vanishes, as tanh's does with large z: large inputs saturate "
                    "every activation",
                    False,
                    "Only curves that flatten out saturate. ReLU never flattens on the right: "
                    "its slope is exactly 1 for every positive z.",
                ),
                (
                    "The signal grows: larger z gives larger outputs, and so a larger gradient",
                    False,
                    "The signal is multiplied by the slope, not by the output, and ReLU's slope "
                    "is 1 at z = 2 and at z = 200 alike.",
                ),
                (
                    "Every bar reaches 1: with large z all units are on and pass the signal "
                    "untouched",
                    False,
                    "Making z larger does not change its sign: the units with negative z are "
                    "still off, and still block their share.",
                ),
            ],
        ),
    ],
)
