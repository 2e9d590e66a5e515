"""Notebook 02 (why non-linearity): collapse a stack of linear layers into one (W, b), find a
small hidden width that separates the circles, and a quiz."""

from __future__ import annotations

import numpy as np

from helpers import data
from helpers.exercises import Exercise, Question, compare_values, register, register_quiz
from helpers.network import MLP

# ---- collapse a 3-layer linear network --------------------------------------------------------
LAYER_SIZES = (2, 4, 3, 1)


def collapse_layers(seed: int = 2) -> tuple[np.ndarray, ...]:
    """The 3-layer linear network of the exercise: W1, b1, W2, b2, W3, b3 (small integers, so
    the learner can read them). W1 is (4, 2), W2 is (3, 4), W3 is (1, 3)."""
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    for fan_in, fan_out in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]):
        out.append(rng.integers(-2, 3, (fan_out, fan_in)).astype(float))
        out.append(rng.integers(-2, 3, fan_out).astype(float))
    return tuple(out)


def _collapsed() -> tuple[np.ndarray, np.ndarray]:
    W1, b1, W2, b2, W3, b3 = collapse_layers()
    return W3 @ W2 @ W1, W3 @ (W2 @ b1 + b2) + b3


def _as_array(value: object, name: str) -> tuple[np.ndarray | None, str | None]:
    if value is None or value is Ellipsis:
        return None, f"{name} is still empty; replace the `...` with your {name}"
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"{name} should be a numpy array of numbers, but it is {type(value).__name__}"
    if not np.all(np.isfinite(arr)):
        return None, f"{name} contains NaN or infinity"
    return arr, None


def _check_collapse(answer: object) -> str | None:
    if answer is None or answer is Ellipsis:
        return "your answer is still empty; set `W, b = ...` and pass `(W, b)`"
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "the answer should be a pair `(W, b)`: the collapsed weight matrix and bias"
    W, reason = _as_array(answer[0], "W")
    if reason:
        return reason
    b, reason = _as_array(answer[1], "b")
    if reason:
        return reason
    W1, b1, W2, b2, W3, b3 = collapse_layers()
    W_ref, b_ref = _collapsed()
    if W.shape == (2, 1):
        return (
            "W has shape (2, 1) but should be (1, 2): one output, two inputs. The layer "
            "applied first goes on the right: W3 @ W2 @ W1"
        )
    if W.shape != W_ref.shape and W.size != W_ref.size:
        return (
            f"W has shape {W.shape}, but the whole network maps 2 inputs to 1 output, so W "
            "should have shape (1, 2). Multiply all three: W3 @ W2 @ W1"
        )
    if b.size != 1:
        return f"b has shape {b.shape}, but the network has one output, so b has one number"
    W, b = W.reshape(W_ref.shape), b.reshape(b_ref.shape)
    if not np.allclose(W, W_ref):
        return "W is not the product of the three weight matrices. " + (
            compare_values(W, W_ref, "W") or ""
        )
    wrong_b = {
        "b3 alone": b3,
        "b1 forgotten": W3 @ b2 + b3,
        "b2 forgotten": W3 @ W2 @ b1 + b3,
    }
    if np.allclose(b, b_ref):
        return None
    if np.allclose(b, wrong_b["b3 alone"]):
        return (
            "W is right, but b is only b3. The earlier biases also reach the output: b1 is "
            "multiplied by W2 and then W3, b2 by W3"
        )
    if np.allclose(b, wrong_b["b1 forgotten"]):
        return "W is right, but b leaves out b1, which passes through W2 and then W3"
    if np.allclose(b, wrong_b["b2 forgotten"]):
        return "W is right, but b leaves out b2, which passes through W3"
    return (
        "W is right, but b is not: push the biases through the layers; each bias is multiplied "
        f"by every weight matrix that comes after it (yours is {float(b.ravel()[0]):.6g})"
    )


_W1, _b1, _W2, _b2, _W3, _b3 = collapse_layers()
register(
    Exercise(
        id="02.collapse",
        checker=_check_collapse,
        hint="start with two layers: W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2), which is one "
        "layer. Then put the third layer on top of that one in the same way.",
        reference=_collapsed(),
        solution_code=(
            "W = W3 @ W2 @ W1\n"
            "b = W3 @ (W2 @ b1 + b2) + b3\n"
            "# check on many inputs: the stack and the single layer agree\n"
            "X = np.random.default_rng(0).normal(size=(1000, 2))\n"
            "stack = ((X @ W1.T + b1) @ W2.T + b2) @ W3.T + b3\n"
            "print(np.allclose(stack, X @ W.T + b))"
        ),
        mistakes=[
            (None, "still empty"),
            (np.ones((1, 2)), "pair"),
            ((..., ...), "still empty"),
            ((_W3 @ _W2 @ _W1, _b3), "only b3"),
            ((_W3 @ _W2 @ _W1, _W3 @ _b2 + _b3), "leaves out b1"),
            ((_W3 @ _W2 @ _W1, _W3 @ _W2 @ _b1 + _b3), "leaves out b2"),
            (((_W3 @ _W2 @ _W1).T, _collapsed()[1]), "applied first goes on the right"),
            ((_W3 @ _W2, _collapsed()[1]), "shape (1, 2)"),
            ((_W3 @ _W2 @ _W1 + 1, _collapsed()[1]), "not the product"),
            ((_W3 @ _W2 @ _W1, _collapsed()[1] + 1), "push the biases"),
            ((_W3 @ _W2 @ _W1, np.zeros(3)), "one number"),
            ((_W3 @ _W2 @ _W1, "b"), "numpy array"),
        ],
    )
)


# ---- a hidden width that separates the circles -------------------------------------------------
WIDTH_TARGET = 0.95  # accuracy the learner's network must reach on the circles
MAX_WIDTH = 8


def train_width(width: int, seed: int = 0) -> tuple[MLP, float]:
    """Train a 2 -> width -> 1 tanh network on the circles, seeded (about 0.1 s); return the
    network and its accuracy. This is how `check("02.width", ...)` measures an answer."""
    X, y = data.make("circles", 200, seed=seed)
    net = MLP([2, int(width), 1], "tanh", seed=seed, loss="cross_entropy")
    net.train(X, y, steps=1000, lr=0.5)
    return net, net.accuracy(X, y)


def _check_width(answer: object) -> str | None:
    if answer is None or answer is Ellipsis:
        return "your answer is still empty; replace the `...` with a whole number"
    if isinstance(answer, bool):
        return "True or False is not a width; give the number of hidden units"
    if isinstance(answer, str):
        return f"your answer is the text {answer!r}; type the number without quotes"
    if isinstance(answer, float | np.floating) and float(answer).is_integer():
        return (
            f"a width counts units, so it is written without a decimal point: "
            f"{int(answer)}, not {answer!r}"
        )
    if not isinstance(answer, int | np.integer):
        return f"a width is a whole number of hidden units, not {answer!r}"
    if answer < 1:
        return "a hidden layer needs at least one unit"
    if answer > MAX_WIDTH:
        return (
            f"{answer} units will do it, but the exercise asks for a small width, at most "
            f"{MAX_WIDTH}: how few bends does a closed curve around the inner disc need?"
        )
    _, accuracy = train_width(int(answer))
    if accuracy >= WIDTH_TARGET:
        return None
    if answer == 1:
        return (
            f"with 1 hidden unit the network reaches {accuracy:.1%}: one unit can only cut the "
            "plane along one straight line, and no single line fences in a disc"
        )
    return (
        f"with {answer} hidden units the network reaches {accuracy:.1%}, short of "
        f"{WIDTH_TARGET:.0%}: each tanh unit adds one straight edge, and {answer} edges "
        "cannot close around the inner disc"
    )


register(
    Exercise(
        id="02.width",
        checker=_check_width,
        hint="each hidden tanh unit contributes one straight edge to the boundary. How many "
        "straight edges does the smallest closed shape need?",
        reference=3,
        solution_code=(
            "width = 3  # three edges make a triangle around the inner disc;\n"
            "#            4 or more also work, 1 or 2 cannot close the curve"
        ),
        mistakes=[
            (None, "still empty"),
            ("3", "without quotes"),
            (2.5, "whole number"),
            (3.0, "decimal point"),
            (0, "at least one unit"),
            (100, "small width"),
            (1, "one straight line"),
            (2, "cannot close"),
        ],
    )
)


register_quiz(
    "02",
    [
        Question(
            "You stack 10 linear layers with no activation between them. What can the network "
            "compute?",
            [
                (
                    "Exactly what one linear layer can: a single W x + b",
                    True,
                    "Each layer is multiply-and-add, and multiply-and-add after multiply-and-add "
                    "is again one multiply-and-add.",
                ),
                (
                    "Curved boundaries, if the layers are wide enough",
                    False,
                    "Width doesn't help: the product of the weight matrices is still one matrix, "
                    "so the boundary stays a straight line.",
                ),
                (
                    "More than one layer, but less than a network with activations",
                    False,
                    "Depth adds nothing without a non-linearity: the stack collapses to one "
                    "layer exactly (np.allclose says True).",
                ),
            ],
        ),
        Question(
            "Why does a linear classifier fail on XOR?",
            [
                (
                    "No single straight line puts both red corners on one side and both blue "
                    "corners on the other",
                    True,
                    "Opposite corners share a class, so any line leaves at least one corner on "
                    "the wrong side.",
                ),
                (
                    "It was not trained for long enough",
                    False,
                    "More training moves the line, but no position of a line is right.",
                ),
                (
                    "Its learning rate was too small",
                    False,
                    "The learning rate only changes how fast the line moves, not what shapes it "
                    "can draw.",
                ),
            ],
        ),
        Question(
            "In the trainer you choose activation “none” with 3 hidden layers of 16 units on the "
            "circles. What do you expect?",
            [
                (
                    "A straight boundary and an accuracy near 50%",
                    True,
                    "Without a gate the 3 layers collapse to one, and one line can't separate a "
                    "ring from a disc.",
                ),
                (
                    "A circle, since the network is big",
                    False,
                    "Size doesn't matter without a non-linearity: the boundary stays straight.",
                ),
                (
                    "An error",
                    False,
                    "It trains fine; it just can't do better than a single line.",
                ),
            ],
        ),
    ],
)
