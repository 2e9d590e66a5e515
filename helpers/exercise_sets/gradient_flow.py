"""Notebook 04: tanh's derivative, a gradient check written by the learner, one tanh layer's
backward pass proven by a gradient check, and the quiz."""

from __future__ import annotations

import numpy as np

from helpers.activations import get
from helpers.exercises import (
    Exercise,
    Question,
    call_learner,
    compare_function,
    kind_of,
    not_a_function,
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
        return "you return 1 - tanh(z); the derivative squares tanh: 1 - tanh(z)**2"
    if np.allclose(got, 1 / np.cosh(z)):
        return "1 / cosh(z) is not squared: the derivative is 1 / cosh(z)**2 = 1 - tanh(z)**2"
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
            (lambda z: 1 - np.tanh(z), "squares tanh"),
            (lambda z: np.tanh(z) * (1 - np.tanh(z)), "sigmoid's pattern"),
            (lambda z: 1 / np.cosh(z), "not squared"),
            (lambda z: np.tanh(z), "the value"),
            (lambda z: None, "return"),
        ],
    )
)


# ---- 04.gradient_check ---------------------------------------------------------------------
def numerical_gradient(f, w, h=1e-5):
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
    call = call_learner(answer, f, w, name="numerical_gradient")
    if call.error:
        return None, call.error
    got = call.value
    if got.shape != w.shape:
        return None, (
            f"for w of shape {w.shape} numerical_gradient returned shape {got.shape}; "
            f"it should return one slope per entry of w, shape {w.shape}"
        )
    if not np.all(np.isfinite(got)):
        return None, "numerical_gradient returned NaN or infinity"
    return got, None


def _check_gradient(answer) -> str | None:
    # f(w) = sum of w^2 at w = 0: every slope is exactly 0, and a central difference gives 0,
    # while a one-sided difference gives h (or -h).
    zero = np.zeros(3)
    got, problem = _call(answer, _square, zero)
    if problem:
        return problem
    if np.max(np.abs(got)) > 1e-8 and np.allclose(got, got[0]) and abs(got[0]) < 0.1:
        return (
            f"for f(w) = sum(w**2) at w = 0 every slope is exactly 0, but you get {got[0]:.3g}: "
            "that is what a one-sided difference (f(w + h) - f(w)) / h gives. Step to both "
            "sides: (f(w + h) - f(w - h)) / (2 h)"
        )
    w = np.array([1.0, -2.0, 0.5])
    got, problem = _call(answer, _cubic, w)
    if problem:
        return problem
    want = _cubic_gradient(w)
    if np.allclose(got, want, rtol=1e-6, atol=1e-8):
        return None
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
    return numerical_gradient(f, w, h)


register(
    Exercise(
        id="04.gradient_check",
        checker=_check_gradient,
        hint=(
            "move one entry of w at a time, leaving the others (and w itself) alone: evaluate f "
            "a little above and a little below that entry, and divide the difference of the two "
            "values by the distance between the two points."
        ),
        reference=numerical_gradient,
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


def _check_layer_backward(answer) -> str | None:
    from helpers.network import relative_error

    returned = {}

    def run(*args):
        returned["out"] = answer(*args)
        return 0.0

    reason = not_a_function(answer, "tanh_layer_backward")
    if reason:
        return reason
    call = call_learner(run, BACK_X, BACK_W, BACK_B, BACK_DA, name="tanh_layer_backward")
    if call.error:
        return call.error
    out = returned["out"]
    if out is None:
        return "tanh_layer_backward returned None: is there a `return dW, db, dX` line?"
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
    A = np.tanh(BACK_X @ BACK_W.T + BACK_B)
    if np.allclose(got["dW"], BACK_DA.T @ BACK_X):
        return (
            "the gradient check fails: your dW leaves out tanh's slope. On its way back through "
            "the layer the signal dA is first multiplied, entry by entry, by g'(Z)"
        )
    if np.allclose(got["dW"], (BACK_DA * (1 - A)).T @ BACK_X):
        return (
            "the gradient check fails: the slope of tanh is not 1 - tanh(z); notebook 03's "
            "table (and exercise 1) has it, written with tanh's output squared"
        )
    if np.allclose(got["dW"], (BACK_DA * (1 - np.tanh(A) ** 2)).T @ BACK_X):
        return (
            "the gradient check fails: you took tanh of A, which is already tanh(Z); the slope "
            "needs A itself (or Z, through tanh once)"
        )
    worst = max(errors, key=errors.get)
    return (
        f"the gradient check fails for {worst}: relative error {errors[worst]:.1e} against "
        "central differences (1e-7 or less is good, above 1e-2 is a bug). Derive it from the "
        "signal at Z with the chain rule"
    )


def _no_slope(X, W, b, dA):
    return dA.T @ X, dA.sum(axis=0), dA @ W


def _half_slope(X, W, b, dA):
    dZ = dA * (1 - np.tanh(X @ W.T + b))
    return dZ.T @ X, dZ.sum(axis=0), dZ @ W


def _tanh_twice(X, W, b, dA):
    A = np.tanh(X @ W.T + b)
    dZ = dA * (1 - np.tanh(A) ** 2)
    return dZ.T @ X, dZ.sum(axis=0), dZ @ W


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
            (_no_slope, "leaves out tanh's slope"),
            (_half_slope, "not 1 - tanh(z)"),
            (_tanh_twice, "tanh of A"),
            (_db_per_example, "one row per example"),
            (_dw_transposed, "(transposed)"),
            (_dx_wrong, "fails for dX"),
        ],
    )
)


# ---- quiz ----------------------------------------------------------------------------------
register_quiz(
    "04",
    [
        Question(
            "In backprop, what happens to the error signal as it passes back through one layer?",
            [
                (
                    "It is multiplied by the activation's slope g'(z) (and by the weights)",
                    True,
                    "That is the chain rule: each link of the chain multiplies in its own slope.",
                ),
                (
                    "It is added to g(z)",
                    False,
                    "Slopes along a chain multiply; nothing is added.",
                ),
                (
                    "It passes through unchanged",
                    False,
                    "Only if g'(z) = 1 and the weights keep its size, as for ReLU with z > 0.",
                ),
            ],
        ),
        Question(
            "What is the largest value the sigmoid's derivative ever takes?",
            [
                ("1/4, at z = 0", True, "sigma(0) = 1/2, so sigma(1 - sigma) = 1/2 * 1/2 = 1/4."),
                ("1, at z = 0", False, "That is tanh's largest slope; the sigmoid's is 1/4."),
                ("1/2, at z = 0", False, "1/2 is sigma(0), the value; the slope is 1/4."),
            ],
        ),
        Question(
            "A gradient check gives a relative error of 0.3. What does that mean?",
            [
                (
                    "The backprop code has a bug",
                    True,
                    "Above about 1e-2 the two gradients disagree: look for a missing factor.",
                ),
                (
                    "All is fine: numerical gradients are never exact",
                    False,
                    "A correct backprop agrees to about 1e-7 or better; 0.3 is far too large.",
                ),
                (
                    "The learning rate is too large",
                    False,
                    "A gradient check involves no training, so the learning rate plays no part.",
                ),
            ],
        ),
        Question(
            "A sigmoid neuron starts at output 0.98; the target is 0. Why does it learn slowly?",
            [
                (
                    "Its slope sigma'(z) is tiny there, and the update is multiplied by it",
                    True,
                    "The neuron is saturated: the error is large, but the slope shrinks it.",
                ),
                (
                    "The error (a - y) is too small",
                    False,
                    "a - y = 0.98 is large; it is the slope that is small.",
                ),
                (
                    "The learning rate is negative",
                    False,
                    "It is 0.15, as in the other run, which learns quickly.",
                ),
            ],
        ),
    ],
)
