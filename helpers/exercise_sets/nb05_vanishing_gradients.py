"""Notebook 05: a gradient ratio predicted before the meter measures it, the exploding factor,
the std left in a ReLU stack with Xavier init, and picking the initialization for a ReLU stack;
quiz "05"."""

import numpy as np

from helpers.exercises import (
    Exercise,
    Question,
    as_number,
    compare_values,
    register,
    register_quiz,
)

DEPTHS = [1, 2, 3, 5, 10]


# ---- 05.predict_ratio: predict the gradient-flow meter's ratio before reading it ---------------
PREDICT_NET = {"depth": 10, "width": 32, "activation": "sigmoid", "init": "normal"}


def measured_ratio() -> float:
    """First hidden layer's bias-gradient norm / the last hidden layer's, measured exactly as
    the gradient-flow meter measures it (helpers.widgets.gradient_meter.gradient_profile)."""
    from helpers.widgets.gradient_meter import gradient_profile

    grad = gradient_profile(**PREDICT_NET)["grad"]
    return float(grad[0] / grad[-1])


def _check_predict_ratio(answer):
    value, reason = as_number(answer)
    if reason:
        return reason
    measured = measured_ratio()
    if value <= 0:
        return "a ratio of two gradient sizes (norms) is positive; predict a number above 0"
    if abs(np.log10(value) - np.log10(measured)) <= 1:  # a prediction: right within 10 times
        return None
    steps = PREDICT_NET["depth"] - 1
    if np.isclose(value, 0.25 * steps):
        return f"that is 1/4 times {steps}: a factor applied at every step multiplies, not adds"
    if value > 1:
        return (
            "your ratio is above 1: that says the first layer gets the larger gradient. Going "
            "back toward the input the signal shrinks, so first / last is far below 1"
        )
    if np.isclose(value, 1.0) or value > 0.1:
        return (
            "that predicts little or no shrink. Every sigmoid layer the signal passes on its way "
            f"back multiplies it by a slope of at most 1/4, and there are {steps} such steps"
        )
    if value > measured * 10:
        return (
            "not small enough: count the steps. From the last hidden layer back to the first the "
            f"signal crosses {steps} layers, and each multiplies it by about 1/4 or less"
        )
    return (
        f"too small: it means about {value ** (1 / steps):.2g} per layer, more shrink than the "
        "sigmoid gives. Near "
        "z = 0 its slope is close to its largest, 1/4, and this initialization keeps the weights' "
        "effect near 1"
    )


register(
    Exercise(
        id="05.predict_ratio",
        checker=_check_predict_ratio,
        hint="the initialization keeps each layer's weights from growing or shrinking the signal "
        "much, so the slopes decide. What is the most one sigmoid layer can pass on, and how "
        "many layers does the signal cross on its way back from the last hidden layer?",
        reference=0.25 ** (PREDICT_NET["depth"] - 1),
        solution_code=(
            "ratio = 0.25**9  # 9 steps back from layer 10 to layer 1, each at most 1/4\n"
            "# the meter measures a little less: slopes are at most 1/4, often below"
        ),
        mistakes=[
            (None, "still empty"),
            (-0.001, "positive"),
            (0.25**-9, "above 1"),
            (0.25, "little or no shrink"),
            (1e-3, "count the steps"),
            (0.1**9, "too small"),
            (0.25 * 9, "multiplies, not adds"),
        ],
    )
)


# ---- 05.explode: w = 100 and z = 0 in every layer --------------------------------------------
EXPLODE_LAYERS = 4


def _check_explode(answer):
    reason = compare_values(answer, 25.0**EXPLODE_LAYERS, "your factor")
    got, _ = as_number(answer)
    if reason is None or got is None:
        return reason
    if np.isclose(got, 100.0**EXPLODE_LAYERS):
        return "100**4 leaves out the slope: each layer multiplies by w * sigma'(0) = 100 * 1/4"
    if np.isclose(got, 0.25**EXPLODE_LAYERS):
        return "(1/4)**4 leaves out the weight w = 100 that each layer also multiplies by"
    if np.isclose(got, 25.0 * EXPLODE_LAYERS):
        return "25 * 4 adds the factors; the chain rule multiplies them: 25 * 25 * 25 * 25"
    for layers in range(1, 9):
        if layers != EXPLODE_LAYERS and np.isclose(got, 25.0**layers):
            return (
                f"that is 25 for each of {layers} layer{'s' * (layers > 1)}: count the layers again"
            )
    if np.isclose(got, 25.0**EXPLODE_LAYERS, rtol=0.05):
        return "close, but rounded: give the exact product (let Python compute it)"
    return reason


register(
    Exercise(
        id="05.explode",
        checker=_check_explode,
        hint="each layer multiplies the signal by two things: its weight and the sigmoid's slope "
        "at that layer's z (notebook 04 gives the slope at z = 0). The chain rule multiplies "
        "the layers' factors together.",
        reference=25.0**EXPLODE_LAYERS,
        solution_code="factor = (100 * 0.25) ** 4  # 25 per layer, four layers: 390625",
        mistakes=[
            (None, "still empty"),
            (100.0**4, "leaves out the slope"),
            (0.25**4, "leaves out the weight"),
            (100.0, "adds the factors"),
            (25.0**3, "25 for each of 3 layers"),
            (3.9e5, "rounded"),
        ],
    )
)


# ---- 05.relu_xavier_std: the std of a ReLU stack with Xavier, predicted at layer 10 -----------
# ReLU of N(0, 1) has std sqrt(1/2 - 1/(2 pi)) = 0.584 (not 1: it is 0 half of the time), and
# each further layer multiplies the std by sqrt(1/2). The notebook measures 0.584 at layer 1 and
# checks the rule at layer 5; at layer 10 the rule gives 0.0258 and the notebook measures 0.0253,
# so both are accepted (the per-layer factor of a finite random stack fluctuates around 1/2).
XAVIER_LAYER = 10
RELU_STD = float(np.sqrt(0.5 - 1 / (2 * np.pi)))  # 0.5839
XAVIER_RTOL = 0.05  # the measured std is itself a sample: 0.0253 vs 0.0258 at layer 10


def _check_relu_xavier_std(answer):
    want = RELU_STD * np.sqrt(0.5) ** (XAVIER_LAYER - 1)
    reason = compare_values(answer, want, "your std", rtol=XAVIER_RTOL)
    got, _ = as_number(answer)
    if reason is None or got is None:
        return reason

    def near(value):
        return np.isclose(got, value, rtol=XAVIER_RTOL / 2)

    if near(RELU_STD * np.sqrt(0.5) ** XAVIER_LAYER):
        return (
            "that multiplies by sqrt(0.5) ten times, but layer 1 already has std 0.584: from "
            "layer 1 to layer 10 there are 9 steps"
        )
    if near(np.sqrt(0.5) ** XAVIER_LAYER) or near(np.sqrt(0.5) ** (XAVIER_LAYER - 1)):
        return (
            "that starts from std 1, but ReLU of N(0, 1) has std 0.584 (it is 0 half of the "
            "time): start from layer 1's measured std"
        )
    if near(RELU_STD * 0.5 ** (XAVIER_LAYER - 1)):
        return (
            "0.5 per layer is the factor for the variance; the std is its square root, so each "
            "layer multiplies the std by sqrt(0.5)"
        )
    for steps in range(1, 13):
        if near(RELU_STD * np.sqrt(0.5) ** steps):
            times = "once" if steps == 1 else f"{steps} times"
            return f"that applies the factor {times}: count the steps from layer 1 to 10"
    if near(RELU_STD * np.sqrt(0.5) * (XAVIER_LAYER - 1)):
        return "that multiplies by the number of steps; the factor applies once per step"
    if got > RELU_STD:
        return "that is larger than layer 1's std: with Xavier, a ReLU stack's std shrinks"
    if np.isclose(got, want, rtol=0.15):
        return "close: is a factor rounded? Raising it to a power magnifies the rounding"
    return reason


register(
    Exercise(
        id="05.relu_xavier_std",
        checker=_check_relu_xavier_std,
        hint="start from layer 1's measured std, not from 1, and apply the per-layer factor once "
        "for every step from one layer to the next: how many steps lead from layer 1 to layer "
        "10?",
        reference=RELU_STD * np.sqrt(0.5) ** (XAVIER_LAYER - 1),
        solution_code=(
            "std_at_10 = 0.584 * np.sqrt(0.5) ** 9  # layer 1's std, 9 more layers: 0.0258"
        ),
        mistakes=[
            (None, "still empty"),
            (RELU_STD * np.sqrt(0.5) ** XAVIER_LAYER, "9 steps"),
            (np.sqrt(0.5) ** XAVIER_LAYER, "starts from std 1"),
            (RELU_STD * 0.5 ** (XAVIER_LAYER - 1), "factor for the variance"),
            (RELU_STD * np.sqrt(0.5) ** 7, "7 times"),
            (RELU_STD * np.sqrt(0.5) * (XAVIER_LAYER - 1), "once per step"),
            (RELU_STD * np.sqrt(2) ** (XAVIER_LAYER - 1), "shrinks"),
            (RELU_STD * 0.7 ** (XAVIER_LAYER - 1), "rounded"),
        ],
    )
)


# ---- 05.relu_init: which init keeps a ReLU stack's std constant -----------------------------
_INIT_MESSAGES = {
    "xavier": "Xavier keeps the variance for tanh, but ReLU sets half of its inputs to 0, so a "
    "ReLU stack with Xavier loses about half its variance at every layer (you measured it)",
    "normal": "LeCun normal, N(0,1)/sqrt(n_in), has the same variance as Xavier when the layers "
    "are equally wide: a ReLU stack loses about half its variance per layer",
    0.01: "weights times 0.01 make the activations collapse toward 0 layer after layer",
    1.0: "plain N(0,1) weights are far too large: the std grows by about sqrt(n/2) per layer",
}


def _check_relu_init(answer):
    if answer is None or answer is Ellipsis:
        return "your answer is still empty (None); replace the `...` with a scheme's name"
    if isinstance(answer, str):
        key = answer.strip().lower().replace("_", " ").removesuffix(" init")  # "He init"
        key = key.removesuffix(" normal").removesuffix(" uniform")  # "he_normal", "lecun normal"
        key = {"glorot": "xavier", "lecun": "normal", "kaiming": "he"}.get(key, key)
        if key == "he":
            return None
        if key in _INIT_MESSAGES:
            return _INIT_MESSAGES[key]
    elif isinstance(answer, int | float) and not isinstance(answer, bool):
        for scale in (0.01, 1.0):
            if np.isclose(answer, scale):
                return _INIT_MESSAGES[scale]
    return (
        f"{answer!r} is not one of the schemes in the notebook; answer with a string: "
        "'normal' (LeCun normal), 'xavier' or 'he' (or the numbers 0.01 or 1.0)"
    )


register(
    Exercise(
        id="05.relu_init",
        checker=_check_relu_init,
        hint="ReLU passes only the positive half of its input, which halves the signal's second "
        "moment at every layer. What must the weights' variance do to make up for it?",
        reference="he",
        solution_code='relu_init = "he"  # variance 2 / n_in makes up for the half ReLU zeros',
        mistakes=[
            (None, "still empty"),
            ("xavier", "loses about half its variance"),
            ("normal", "same variance as Xavier"),
            (0.01, "collapse"),
            (1.0, "far too large"),
            ("kaiming?", "not one of the schemes"),
        ],
    )
)


register_quiz(
    "05",
    [
        Question(
            "What happens to the bias gradients if Nielsen's sigmoid network gets a fourth "
            "hidden layer of 30 units?",
            [
                (
                    "The first hidden layer's gradient ends about 5 times smaller than before, "
                    "while the last hidden layer's stays about the same",
                    True,
                    "Each extra sigmoid layer adds one more factor w σ′(z) on the way back: "
                    "measured, the first layer's norm fell from 0.012 (3 hidden layers) to "
                    "0.00228 (4), while the last stayed near 0.3 (0.303, then 0.298).",
                ),
                (
                    "Every layer's gradient shrinks a little, since the same loss is now shared "
                    "by more layers",
                    False,
                    "There is no fixed amount of gradient to share out: the last hidden layer's "
                    "norm stayed near 0.3. Only the layers below it lose, one factor for each "
                    "layer they sit under.",
                ),
                (
                    "The first layer's gradient grows: more layers send more signal back to it",
                    False,
                    "Each layer multiplies the signal by a factor, and the sigmoid's is small "
                    "(about 1/5 measured), so one more layer means less signal, not more.",
                ),
                (
                    "The last hidden layer's gradient shrinks most, since it is now furthest "
                    "from the data",
                    False,
                    "The error comes from the loss, not from the data: the layer next to the "
                    "loss gets it first and largest (0.298). The layer next to the input, "
                    "reached last, gets the smallest.",
                ),
            ],
        ),
        Question(
            "Nielsen's networks use the cross-entropy cost, which cancels the output sigmoid's "
            "slope (notebook 04). Why does their first hidden layer still learn about a hundred "
            "times more slowly than their last?",
            [
                (
                    "The cancellation happens only at the output; every hidden sigmoid layer "
                    "still multiplies the signal by its own σ′(z), at most 1/4",
                    True,
                    "Cross-entropy removes one slope, the output unit's. The hidden layers' "
                    "slopes stay, and each step back toward the input divides the gradient by "
                    "about 5 (the printed ratios, about 0.2).",
                ),
                (
                    "By then the loss is small, so there is little error left to pass back",
                    False,
                    "Vanishing gradients are not a small loss: the loss went only from 7.46 to "
                    "3.26 in 100 steps, far from 0, while the first layer stayed over a hundred "
                    "times slower than the last.",
                ),
                (
                    "The weights shrink during training; at the start all layers learn equally "
                    "fast",
                    False,
                    "The gap is there before the first step: last / first was 111 at the start "
                    "and 118 after 100 steps.",
                ),
                (
                    "The stand-in images are not real digits; on MNIST the layers would learn "
                    "equally fast",
                    False,
                    "Nielsen measured the same pattern on MNIST (0.003 up to 0.285 over four "
                    "layers). At the start the gradients depend on the inputs' size and scale, "
                    "not on what the pictures show.",
                ),
            ],
        ),
        Question(
            "What happens if a 10-layer tanh network of 32 units per layer starts with weights "
            "drawn from N(0, 1) × 1.0, not scaled down by the number of inputs?",
            [
                (
                    "Most units saturate, so their slopes are small, yet the gradients explode "
                    "toward the input rather than vanish",
                    True,
                    "Weights of size 1 over 32 inputs multiply the backward signal by about "
                    "√32 ≈ 6 per layer, more than the small slopes take away. In the "
                    "gradient-flow meter about 70% of the units are saturated, and the first "
                    "hidden layer's bias gradient is about 230 times the last's.",
                ),
                (
                    "Most units saturate, so their slopes and the gradients are almost 0",
                    False,
                    "The slopes are small, but the gradient is slopes times weights, and the "
                    "weights are large: in the meter the gradient grows toward the input, layer "
                    "1's about 230 times layer 10's. Saturated units mean small local slopes, "
                    "not necessarily a vanishing gradient.",
                ),
                (
                    "The activations collapse toward 0, layer after layer",
                    False,
                    "That is what weights that are too small do (× 0.01). With × 1.0 the "
                    "activations are pinned near ±1: in the 500-unit stack their std stays "
                    "about 0.98 in every layer.",
                ),
                (
                    "Nothing goes wrong: tanh is zero-centred, so the signal keeps its size",
                    False,
                    "Zero-centred outputs help the next layer's updates (notebook 03), but they "
                    "do not stop saturation: over 90% of the 500-unit stack's units sit beyond "
                    "±0.97.",
                ),
            ],
        ),
        Question(
            "Weights drawn from N(0, 1) × 0.01 keep every tanh unit in the steep middle of its "
            "curve, where the slope is about 1. Why do the activations of a 10-layer stack of "
            "500 such units still fade to almost nothing?",
            [
                (
                    "Each layer's small weights shrink the signal: over 500 inputs they multiply "
                    "its size by about 0.01 × √500 ≈ 0.22, ten times over",
                    True,
                    "The measured std falls from 0.214 in layer 1 to 0.000531 in layer 5 and "
                    "2.95e-07 in layer 10, with no unit saturated. On the way back the same "
                    "small weights shrink the gradient too.",
                ),
                (
                    "The units saturate after all: small weights pile the outputs up at ±1",
                    False,
                    "That happens with weights that are too large (× 1.0). With × 0.01 not one "
                    "unit saturates (0.0 in every layer): the outputs pile up at 0.",
                ),
                (
                    "tanh's outputs are zero-centred, and zero-centred signals average out to "
                    "nothing over the layers",
                    False,
                    "A mean of 0 is not a size of 0: the Xavier stack is just as zero-centred and "
                    "keeps a std of 0.228 at layer 10. Here the spread shrinks, because the "
                    "weights are small.",
                ),
                (
                    "The stack has no biases, so nothing new enters the signal after layer 1",
                    False,
                    "The Xavier stack has no biases either and keeps its signal (std 0.228 at "
                    "layer 10). What decides is the weights' scale.",
                ),
            ],
        ),
    ],
)
