"""Notebook 02 (why non-linearity): collapse a stack of linear layers into one (W, b), find a
small hidden width that separates the circles, and a quiz."""

from __future__ import annotations

from functools import cache

import numpy as np

from helpers import data
from helpers.exercises import Exercise, Question, as_number, compare_values, register, register_quiz
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
    if W.size == 1 and b.size == W_ref.size:
        return "the pair is the wrong way round: W first, then b, as in `(W, b)`"
    if W.shape == (2, 1):
        return (
            "W has shape (2, 1) but should be (1, 2): one output, two inputs. In a product of "
            "layers, the layer applied first goes on the right"
        )
    if W.shape != W_ref.shape and W.size != W_ref.size:
        return (
            f"W has shape {W.shape}, but the whole network maps 2 inputs to 1 output, so W "
            "should have shape (1, 2): every layer's weights take part"
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
            ((_collapsed()[1], _W3 @ _W2 @ _W1), "wrong way round"),
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
        hint="each hidden tanh unit draws one soft straight edge across the plane, and the "
        "boundary is built from these edges. Try widths in the trainer: which is the first whose "
        "boundary closes around the inner disc?",
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


# ---- 02.spiral_layers: how many hidden layers the trainer needs on the spirals ----------------
SPIRAL_SETTINGS = {"dataset": "spirals", "activation": "tanh", "width": 8}
SPIRAL_TARGET = 0.95  # accuracy to reach within one press of Train


@cache
def spiral_accuracy(hidden_layers: int) -> float:
    """The boundary trainer's accuracy after one press of Train (its BUDGET of steps) on the
    spirals with `hidden_layers` hidden tanh layers of 8, everything else at its default."""
    from helpers.widgets.boundary_trainer import BoundaryTrainer

    trainer = BoundaryTrainer(hidden_layers=hidden_layers, **SPIRAL_SETTINGS)
    trainer.train_steps(trainer.BUDGET, redraw=False)
    return trainer.accuracy()


def fewest_spiral_layers() -> int | None:
    """The fewest hidden layers (of the trainer's slider) that reach SPIRAL_TARGET, or None."""
    for layers in range(0, 5):  # the trainer's hidden-layers slider: 0 to 4
        if spiral_accuracy(layers) >= SPIRAL_TARGET:
            return layers
    return None


def _check_spiral_layers(answer):
    value, reason = as_number(answer)
    if reason:
        return reason
    if isinstance(answer, bool) or value != int(value) or not 0 <= value <= 4:
        return "your answer should be a whole number of hidden layers the trainer offers, 0 to 4"
    layers, want = int(value), fewest_spiral_layers()
    if layers == want:
        return None
    accuracy = spiral_accuracy(layers)
    if layers == 0:
        return (
            f"with no hidden layer the boundary is a straight line: one press of Train reaches "
            f"{accuracy:.1%}, and no line can separate two spiral arms"
        )
    if layers < want:
        return (
            f"one press of Train with {layers} hidden layer{'s' * (layers > 1)} of 8 reaches "
            f"{accuracy:.1%}: the boundary bends, but not enough to wind round both arms"
        )
    return (
        f"{layers} hidden layers reach {accuracy:.1%}, but the question asks for the fewest: "
        "press Train with fewer layers and read the accuracy"
    )


register(
    Exercise(
        id="02.spiral_layers",
        checker=_check_spiral_layers,
        hint="a layer of tanh units bends the boundary once in a few places; a layer on top can "
        "bend those bends again. Try the slider from the bottom up, one press of Train each, "
        "and stop at the first accuracy of 95% or more.",
        reference=2,
        solution_code=("answer = 2  # one press of Train: 0 layers 68%, 1 layer 78%, 2 layers 99%"),
        mistakes=[
            (None, "still empty"),
            (0, "straight line"),
            (1, "not enough to wind"),
            (3, "the fewest"),
            (2.5, "whole number"),
            ("two", "without quotes"),
            (float("nan"), "NaN or infinity"),
        ],
    )
)


register_quiz(
    "02",
    [
        Question(
            "You stack 10 linear layers, 8 units each, with no activation between them. What can "
            "the stack compute?",
            [
                (
                    "Exactly what one linear layer can: a single W x + b",
                    True,
                    "Multiply-and-add after multiply-and-add is again one multiply-and-add: the "
                    "notebook collapses the 10 layers into one W of shape (1, 2) and one b, and "
                    "np.allclose says True.",
                ),
                (
                    "Curved boundaries, if the layers are wide enough",
                    False,
                    "Width does not help: the product of the weight matrices is still one matrix, "
                    "whatever their inner sizes, so the boundary stays a straight line.",
                ),
                (
                    "A little more than one layer: each extra layer adds a slight bend",
                    False,
                    "Without a non-linearity depth adds nothing at all, not even a little: the "
                    "stack and the single layer agree to 12 decimal places.",
                ),
                (
                    "Products of the inputs such as x₁·x₂, because the weight matrices are "
                    "multiplied together",
                    False,
                    "The weights multiply each other, W = W₁₀⋯W₂W₁, but that product is one "
                    "fixed matrix of numbers. Each input is still only multiplied by numbers and "
                    "added; x₁ never multiplies x₂.",
                ),
            ],
        ),
        Question(
            "Why does a single neuron, a linear classifier, fail on XOR?",
            [
                (
                    "No straight line puts both red corners on one side and both blue corners on "
                    "the other",
                    True,
                    "Opposite corners share a class, so any line leaves at least one corner on "
                    "the wrong side: the trained line scored 55.5%, about what guessing gives.",
                ),
                (
                    "It was not trained for long enough",
                    False,
                    "More training moves the line, but no position of a line is right. Training "
                    "chooses among the shapes a model can draw; it cannot add new ones.",
                ),
                (
                    "Its learning rate was too small",
                    False,
                    "The learning rate sets the size of each step the line takes, not the shapes "
                    "it can draw. A line is a line at any speed.",
                ),
                (
                    "The corners are noisy, so red and blue points overlap",
                    False,
                    "The four corners are separate patches with gaps between them: networks with "
                    "tanh or ReLU between their layers separate them completely (100%). The data "
                    "are fine; the model is too simple.",
                ),
            ],
        ),
        Question(
            "What happens if you take the 2 → 16 → 16 → 1 network that fits the circles with "
            "tanh and train it again with no activation between its layers?",
            [
                (
                    "It draws a straight line and scores what a single line does, about 50%",
                    True,
                    "Without a gate the layers collapse into one, and no line fences in the "
                    "disc: the notebook's run with no activation scored 52.5% on the circles, "
                    "exactly the single neuron's score.",
                ),
                (
                    "It still fits the circles, only more slowly",
                    False,
                    "Speed is not the issue: with no activation no amount of training bends the "
                    "line. The activation decides what a network can draw, not only how fast it "
                    "learns.",
                ),
                (
                    "It does better than a single line, since the extra layers still help a little",
                    False,
                    "The extra layers add nothing without a non-linearity: the network with no "
                    "activation scored exactly what the single line did, 52.5%.",
                ),
                (
                    "Its loss blows up, because nothing keeps the numbers in a small range",
                    False,
                    "It trains calmly; its loss just stops at the best a line can do. An "
                    "activation's job is to bend, not to keep numbers small: ReLU is unbounded, "
                    "and it fits the circles at 100%.",
                ),
            ],
        ),
        Question(
            "Why does putting tanh between the layers stop the collapse?",
            [
                (
                    "The collapse needs every layer to be multiply-and-add, and W₂ cannot be "
                    "multiplied into W₁ through a tanh",
                    True,
                    "Right: tanh(W₂ tanh(W₁x + b₁) + b₂) cannot be rewritten as one Wx + b. Each "
                    "hidden unit gives a soft straight edge, and the next layer combines the "
                    "edges into a bent boundary.",
                ),
                (
                    "tanh keeps the numbers small, so the layers cannot add up to one big layer",
                    False,
                    "Small numbers are not the point: ReLU is unbounded and stops the collapse "
                    "just as well (100% on the circles and xor). What matters is that the gate "
                    "is not multiply-and-add.",
                ),
                (
                    "tanh brings weights of its own that the linear layers lack",
                    False,
                    "tanh has no weights at all: it is one fixed function applied to each "
                    "number. The network has exactly the same weights with and without it.",
                ),
                (
                    "Each tanh unit draws a curved boundary of its own",
                    False,
                    "A single tanh unit still divides the plane along a straight line, where "
                    "w·x + b = 0; it only makes the edge soft. The bend appears when the next "
                    "layer combines several such edges.",
                ),
            ],
        ),
    ],
)
