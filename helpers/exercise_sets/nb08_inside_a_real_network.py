"""Notebook 08: the update-to-data ratio by hand, Nielsen's measurement predicted one step
deeper, and a mystery run diagnosed from what practitioners watch; quiz "08"."""

from functools import cache

import numpy as np

from helpers.exercises import (
    Exercise,
    Question,
    as_choice,
    as_number,
    call_learner,
    register,
    register_quiz,
)


# ---- 08.update_ratio: log10 ||W_after - W_before|| / ||W_before|| ----
def _ratio_inputs() -> list[tuple[np.ndarray, np.ndarray]]:
    """Two steps to test on: a small one (as in training) and a large one, where dividing by the
    weights after the step differs clearly from dividing by the weights before it."""
    rng = np.random.default_rng(8)
    W = rng.standard_normal((30, 64)) / 8.0
    return [
        (W, W - 0.002 * rng.standard_normal(W.shape)),
        (W, 3.0 * W + rng.standard_normal(W.shape)),
    ]


def _reference_ratio(W_before, W_after):
    return np.log10(np.linalg.norm(W_after - W_before) / np.linalg.norm(W_before))


def _ratio_mistakes(W_before, W_after) -> dict[str, float]:
    norm, step = np.linalg.norm, np.linalg.norm(W_after - W_before)
    return {
        "the ratio itself: the exercise asks for its log10, the number the figure plots": step
        / norm(W_before),
        "a natural logarithm (np.log); the rule of thumb -3 is in base 10": np.log(
            step / norm(W_before)
        ),
        "divided by the weights after the step; the ratio compares the step with the weights "
        "it started from": np.log10(step / norm(W_after)),
        "the difference of the two lengths, not the length of the difference: two matrices of "
        "the same length can differ a lot": np.log10(
            abs(norm(W_after) - norm(W_before)) / norm(W_before)
        ),
        "upside down: the weights' length over the step's, where the step goes on top": np.log10(
            norm(W_before) / step
        ),
        "the step's length alone: divide it by the weights' length": np.log10(step),
        "Karpathy's standard deviations (np.std): nearly the same number, but this exercise asks "
        "for lengths (np.linalg.norm)": np.log10(np.std(W_after - W_before) / np.std(W_before)),
        "a matrix norm (ord=2, the largest stretch): the length here takes all of a matrix's "
        "numbers together, np.linalg.norm without ord": np.log10(
            norm(W_after - W_before, 2) / norm(W_before, 2)
        ),
    }


def _check_update_ratio(answer):
    for W_before, W_after in _ratio_inputs():
        call = call_learner(answer, W_before, W_after, name="update_ratio")
        if call.error:
            return call.error
        if call.value.size != 1:
            return (
                f"update_ratio returned {call.value.size} numbers (shape {call.value.shape}); it "
                "should return one number: a length takes all of a matrix's numbers together"
            )
        got, want = float(call.value.ravel()[0]), _reference_ratio(W_before, W_after)
        if np.isclose(got, want, rtol=1e-6, atol=1e-9):
            continue
        for message, wrong in _ratio_mistakes(W_before, W_after).items():
            if np.isclose(got, wrong, rtol=1e-6):
                return f"update_ratio gives {message}"
        return f"update_ratio gives {got:.6g} for one step, but the right value is {want:.6g}"
    return None


def _wrong_ratio(kind: str):
    """A typical wrong answer: the function whose result is the mistake named `kind`."""
    return lambda W_before, W_after: next(
        v for k, v in _ratio_mistakes(W_before, W_after).items() if k.startswith(kind)
    )


register(
    Exercise(
        id="08.update_ratio",
        checker=_check_update_ratio,
        hint="first find the step the update made: what changed between the two matrices? Then "
        "put its length over the length of the weights it started from, and take the base-10 "
        "logarithm of that one number, as the figure's axis does.",
        reference=_reference_ratio,
        solution_code=(
            "def update_ratio(W_before, W_after):\n"
            "    step = W_after - W_before  # the update the training step made\n"
            "    return np.log10(np.linalg.norm(step) / np.linalg.norm(W_before))"
        ),
        mistakes=[
            (None, "still empty"),
            (_wrong_ratio("the ratio itself"), "asks for its log10"),
            (_wrong_ratio("a natural"), "natural logarithm"),
            (_wrong_ratio("divided by the weights after"), "after the step"),
            (_wrong_ratio("the difference of the two"), "length of the difference"),
            (_wrong_ratio("upside down"), "upside down"),
            (_wrong_ratio("the step's length alone"), "divide it by"),
            (_wrong_ratio("Karpathy's standard"), "asks for lengths"),
            (_wrong_ratio("a matrix norm"), "without ord"),
            (lambda W_before, W_after: np.log10(np.abs(W_after - W_before)), "one number"),
        ],
    )
)


# ---- 08.predict_depth: Nielsen's measurement, two layers deeper ----
DEPTH = 6  # hidden layers of 30 sigmoid units; the notebook measures 2, 3 and 4
FACTOR = 3.0  # a prediction counts as right within this factor of the measurement


@cache
def nielsen_norms(hidden: int) -> np.ndarray:
    """The notebook's measurement, `hidden` layers deep: Nielsen's recipe on the first 1,000
    training digits, one row per seed 0-4, one column per hidden layer's bias-gradient norm."""
    from helpers import data
    from helpers.diagnostics import bias_gradient_norms
    from helpers.network import MLP

    X, Y = (part[:1000] for part in data.digits(seed=0)[:2])
    sizes = [64] + [30] * hidden + [10]
    return np.array(
        [
            bias_gradient_norms(
                MLP(
                    sizes,
                    "sigmoid",
                    init="normal",
                    bias_init="normal",
                    loss="cross_entropy",
                    seed=seed,
                ),  # fmt: skip
                X,
                Y,
            )
            for seed in range(5)
        ]
    )


def first_layer_norm(hidden: int) -> float:
    """The median over the seeds of the first hidden layer's norm, `hidden` layers deep."""
    return float(np.median(nielsen_norms(hidden)[:, 0]))


def _check_predict_depth(answer):
    value, reason = as_number(answer)
    if reason:
        return reason
    if value <= 0:
        return "a norm (a length) is positive; predict a number above 0"
    measured, four = first_layer_norm(DEPTH), first_layer_norm(4)
    if abs(np.log10(value / measured)) <= np.log10(FACTOR):
        return None
    if value >= 0.1:
        return (
            "that is the size of a last hidden layer's gradient (about 0.3 at every depth); the "
            "first layer sits at the bottom of the chain, far smaller"
        )
    if abs(np.log10(value / four)) <= np.log10(1.5):
        return (
            "that is about the 4-layer network's first layer. The deeper network has two more "
            "sigmoid layers between its first layer and the loss, and each shrinks the signal"
        )
    if value > measured:
        return (
            "not small enough: count the extra layers. Each one multiplies the gradient by the "
            "per-layer factor you can read off the measured values above"
        )
    return (
        "too small: compare the factor per layer you used with the factors between the measured "
        "values above"
    )


register(
    Exercise(
        id="08.predict_depth",
        checker=_check_predict_depth,
        hint="read two things off the measured values: the first layer's norm in the deepest "
        "network measured, and by what factor the norm changes from one layer to the next. How "
        "many more layers does the new network put between its first layer and the loss?",
        reference=0.00221 * 0.2**2,  # the notebook prints 0.00221 for 4 layers; 1/5 per layer
        solution_code=(
            "first_layer_norm = measured[4][0] * 0.2**2  # two more layers, about 1/5 each"
        ),
        mistakes=[
            (None, "still empty"),
            (-1e-4, "positive"),
            (0.3, "last hidden layer"),
            (0.0022, "4-layer network"),
            (5e-4, "not small enough"),
            (1e-6, "too small"),
        ],
    )
)


# ---- 08.mystery: what went wrong, read from the diagnostics ----
DIAGNOSES = (
    "learning rate too large",
    "learning rate too small",
    "initial weights too large",
    "nothing",
)
MYSTERY = {"activation": "tanh", "init": "xavier", "lr": 0.001}  # the learning rate, 100x too small
MYSTERY_FAULT = "learning rate too small"


@cache
def mystery_evidence() -> dict:
    """The mystery run, watched as in the notebook (64-30-30-30-10, 15 passes of mini-batches of
    32): its update-to-data ratios, test accuracy and saturated fractions at the end."""
    from helpers import data
    from helpers.diagnostics import watch_training
    from helpers.network import MLP

    X_train, Y_train, X_test, Y_test = data.digits(seed=0)
    steps = 15 * len(X_train) // 32
    net = MLP([64, 30, 30, 30, 10], MYSTERY["activation"], init=MYSTERY["init"], seed=0,
              loss="cross_entropy")  # fmt: skip
    watch = watch_training(net, X_train, Y_train, steps=steps, lr=MYSTERY["lr"], snapshots=(steps,))
    return {
        "ratio": watch.update_ratio,
        "log_ratio_end": np.log10(watch.update_ratio[-20:].mean(axis=0)),
        "accuracy": float(np.mean(net.forward(X_test).argmax(axis=1) == Y_test.argmax(axis=1))),
        "saturated": [float(np.mean(np.abs(h) > 0.97)) for h in watch.acts[steps]],
        "loss": float(watch.loss[-20:].mean()),
    }


def mystery_run():
    """Print the mystery run's evidence and return its update-to-data ratio figure."""
    from helpers.inside import update_ratio_figure

    e = mystery_evidence()
    print(f"test accuracy after 15 passes: {e['accuracy']:.3f}")
    print(f"training loss, last 20 steps:  {e['loss']:.3f}")
    print("saturated (|h| > 0.97) per hidden layer at the end:", np.round(e["saturated"], 3))
    print("log10 update-to-data ratio per layer, last 20 steps:", np.round(e["log_ratio_end"], 2))
    return update_ratio_figure({"mystery run": e["ratio"]})


def _check_mystery(answer):
    choice, reason = as_choice(answer, DIAGNOSES)
    if reason:
        return reason
    if choice == MYSTERY_FAULT:
        return None
    e = mystery_evidence()
    ratio, saturated = float(np.max(e["log_ratio_end"])), float(np.max(e["saturated"]))
    if choice == "learning rate too large":
        return (
            f"steps that are too large show as a ratio that stays near -1 or above, or reaches 0; "
            f"this run's highest layer sits at {ratio:.1f}, below the rule of thumb of -3"
        )
    if choice == "initial weights too large":
        return (
            f"weights that start too large saturate the tanh units from the first step; at most "
            f"{saturated:.1%} of this run's values are saturated in any layer"
        )
    return (
        f"its test accuracy is {e['accuracy']:.0%} after 15 passes, where the healthy tanh run "
        "reached over 90% in the same time: something is wrong"
    )


register(
    Exercise(
        id="08.mystery",
        checker=_check_mystery,
        hint="go through the diagnostics one by one and rule out what each one can see: are the "
        "units saturated? Are the steps large or small compared with the weights, measured "
        "against the rule of thumb? Is the network learning as fast as the healthy runs did?",
        reference=MYSTERY_FAULT,
        solution_code=(
            'diagnosis = "learning rate too small"\n'
            "# no saturation, and every layer's update ratio sits near -4 (-4.2 to -3.7), about\n"
            "# 1.5 powers of ten below the healthy tanh run's late ones (-2 to -2.7): the weights\n"
            "# hardly move, so the network is still guessing"
        ),
        mistakes=[
            (None, "still empty"),
            ("learning rate too large", "stays near -1 or above"),
            ("initial weights too large", "saturate the tanh units"),
            ("nothing", "something is wrong"),
            ("vanishing gradients", "not one of the choices"),
        ],
    )
)


register_quiz(
    "08",
    [
        Question(
            "What happens if the sigmoid network on the digits is trained at learning rate 0.3, "
            "the best rate of ReLU and GELU, instead of at its own best rate?",
            [
                (
                    "Its final training loss is many times higher than at its own best rate: its "
                    "slopes of at most 1/4 shrink every gradient, so it needs larger steps",
                    True,
                    "The comparison's 0.3 column: the sigmoid's median loss there is many times "
                    "its loss at its best rate, 3. Judged at a rate that "
                    "suits ReLU, it would look far worse than it is.",
                ),
                (
                    "It ends where it would anyway: the learning rate changes how fast training "
                    "goes, not where it ends",
                    False,
                    "With a fixed budget of steps, how fast is where it ends: after 15 passes at "
                    "0.3 the sigmoid network is far from done (compare its 0.3 and 3 columns).",
                ),
                (
                    "It blows up: a rate that suits ReLU is too large for the gentler sigmoid",
                    False,
                    "The opposite: the sigmoid's small slopes make its gradients small, so it "
                    "needs a larger rate than ReLU, not a smaller one. Its best rate was 3, ten "
                    "times ReLU's, and nothing blew up at 0.3.",
                ),
                (
                    "It beats ReLU: smooth activations do best with small, careful steps",
                    False,
                    "At 0.3 the sigmoid's loss is far above ReLU's (the comparison's 0.3 "
                    "column). Smoothness does not decide the rate; the size of the slopes does.",
                ),
            ],
        ),
        Question(
            "A network with no hidden layer already reaches 95.5% on the test digits. What "
            "does that tell you about the comparison of activations on this task?",
            [
                (
                    "The digits are nearly separable by straight boundaries, so hidden layers, "
                    "and the choice of activation, can add only a point or two here",
                    True,
                    "All four activations land within two points of the yardstick. On the "
                    "spirals (notebook 06), which no straight boundary separates, the activation "
                    "decided everything.",
                ),
                (
                    "Hidden layers are useless for images",
                    False,
                    "On these tiny 8 × 8 digits they add little; on harder images (MNIST, "
                    "photographs) they add a great deal. One small, easy task does not speak "
                    "for all images.",
                ),
                (
                    "It must be a mistake: without an activation in a hidden layer a network "
                    "cannot classify at all",
                    False,
                    "A single layer with sigmoid outputs is logistic regression: it classifies "
                    "with straight boundaries. What it cannot do is bend them (notebook 02).",
                ),
                (
                    "The output layer's sigmoid does all the work, so hidden activations never "
                    "matter",
                    False,
                    "They mattered completely on the spirals (notebook 06). How much they matter "
                    "depends on how far the task is from straight boundaries.",
                ),
            ],
        ),
        Question(
            "Three hundred steps into your run, the update-to-data ratio of every layer still "
            "sits near -1 on the log10 scale, where a healthy run's has settled near -2 or lower. "
            "What is the most likely problem?",
            [
                (
                    "The learning rate is too large: every step changes the weights by about a "
                    "tenth of their size",
                    True,
                    "A log10 ratio of -1 is a step a tenth as long as the weights, a hundred "
                    "times the rule of thumb, at every step. Early steps that large are common "
                    "(the notebook's healthy runs start between -1 and -1.7); staying there is "
                    'not. "ReLU, rate 1" took steps larger still and ended with almost every unit '
                    "off.",
                ),
                (
                    "The learning rate is too small: -1 is a negative number",
                    False,
                    "The scale is log10: -1 means a ratio of 0.1, -3 a ratio of 0.001. -1 is far "
                    "above the rule of thumb, so the steps are too large, not too small.",
                ),
                (
                    "Nothing: a larger ratio means faster learning, so -1 is better than -3",
                    False,
                    "Steps a tenth of the weights' size, step after step, throw the weights "
                    "around instead of refining them; the healthy runs' ratios fall to -2 or "
                    'lower as they learn. "ReLU, rate 1" took even larger steps and ended at '
                    "chance.",
                ),
                (
                    "Vanishing gradients in the first layers",
                    False,
                    "Vanishing gradients show as the first layers' ratios far *below* the "
                    "others'. Here every layer's ratio is high.",
                ),
            ],
        ),
        Question(
            "In a saturation map of a ReLU layer, one column is white from top to bottom. What "
            "does it mean?",
            [
                (
                    "That unit outputs 0 for every example shown: it is dead on them, and its "
                    "incoming weights get no gradient from them",
                    True,
                    'A column is one unit across the examples; white is off (h = 0). In "ReLU, '
                    'rate 1" every column is white, and its weights no longer learn.',
                ),
                (
                    "That unit is the most active one: white means a large output",
                    False,
                    "In the map white means saturated or off; for ReLU, an output of exactly 0. "
                    "An active unit shows black.",
                ),
                (
                    "That example is misclassified",
                    False,
                    "The map has one row per example and one column per unit; a column is a "
                    "unit, and the map knows nothing about the labels.",
                ),
                (
                    "The unit is stuck at its largest output, as a saturated tanh unit is at +1",
                    False,
                    "ReLU has no largest output: it saturates only on the left, at 0. For ReLU, "
                    "white means off.",
                ),
            ],
        ),
    ],
)
