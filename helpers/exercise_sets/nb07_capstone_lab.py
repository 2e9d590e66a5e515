"""Notebook 07: exercises on writing an activation safely and reading gradient flow, and the
summary quiz across the whole course."""

import numpy as np
from scipy.special import expit

from helpers.exercises import (
    Exercise,
    Question,
    as_number,
    call_learner,
    compare_function,
    kind_of,
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
            "softplus(1000) is infinity: np.exp(1000) overflows (a float64 holds at most "
            "about 1.8e308) before the log can bring it back; the formula must never form e^1000"
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
INIT_LABELS = {"normal": "LeCun normal", "xavier": "Xavier", "he": "He"}


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
        part, known = (
            (activation, ACTIVATION_NAMES)
            if activation not in ACTIVATION_NAMES
            else (init, INIT_NAMES)
        )
        return f"{part!r} is not one of {known}: choose from them, as in the gradient-flow meter"
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
        f"{said}: too small. tanh's slope is 1 only at z = 0 and below 1 everywhere else, "
        f"but {INIT_LABELS[init]} sizes the weights as if it were 1 (notebook 05). So each layer "
        "shrinks the signal a little, and ten of them add up"
    )


register(
    Exercise(
        id="07.fix_flow",
        checker=_check_fix_flow,
        hint="two things set the factor each layer multiplies the gradient by: the activation's "
        "slope and the size of the weights. Pick an activation whose slope is exactly 1 wherever "
        "it is active, not only at one point, then the init designed for that activation "
        "(notebook 05).",
        reference=("relu", "he"),
        solution_code=(
            'choice = ("relu", "he")  # slope 1 where active; variance 2 / n_in makes up for the\n'
            "#                          half of the inputs ReLU sets to 0 (tanh with he works too)"
        ),
        mistakes=[
            (None, "still empty"),
            ("relu", "give a pair"),
            (("he", "relu"), "wrong way round"),
            (("swish", "he"), "'swish' is not one of"),
            (("relu", "he_normal"), "'he_normal' is not one of"),
            (("sigmoid", "he"), "No initialization rescues the sigmoid"),
            (("relu", "xavier"), "halves the signal's variance"),
            (("tanh", "xavier"), "only at z = 0"),
        ],
    )
)


# ---- the summary quiz --------------------------------------------------------------------------
# ---- 07.builder_depth: predict at which depth the builder's first bar sinks below 1e-3 -------
BUILDER_THRESHOLD = 1e-3


def builder_first_gradient(hidden_layers: int) -> float:
    """The network builder's first bar before training, ||dL/dW_1||, for `hidden_layers`
    sigmoid layers with LeCun normal init, every other setting at the builder's default: the
    builder's own `builder_network`, data and measurement (helpers.widgets.network_builder)."""
    from helpers.widgets import network_builder as nb
    from helpers.widgets.training import toy_data

    net = nb.builder_network(("sigmoid",) * hidden_layers, nb.START_WIDTH, "normal", nb.START_SEED)
    dWs, _ = net.gradients(*toy_data(nb.START_DATASET, nb.START_SEED))
    return float(np.linalg.norm(dWs[0]))


def builder_depth() -> int | None:
    """The fewest hidden layers at which the first bar falls below BUILDER_THRESHOLD."""
    from helpers.widgets.network_builder import MAX_LAYERS

    for layers in range(1, MAX_LAYERS + 1):
        if builder_first_gradient(layers) < BUILDER_THRESHOLD:
            return layers
    return None


def _check_builder_depth(answer):
    from helpers.widgets.network_builder import MAX_LAYERS

    value, reason = as_number(answer)
    if reason:
        return reason
    if value != int(value) or not 1 <= value <= MAX_LAYERS:
        return f"give a whole number of hidden layers the builder offers, 1 to {MAX_LAYERS}"
    layers, want = int(value), builder_depth()
    if layers == want:
        return None
    if layers < want:
        return (
            f"with {layers} hidden sigmoid layer{'s' * (layers > 1)} the first bar is still above "
            "1e-3: the gradient has not yet shrunk enough"
        )
    return (
        f"with {layers} hidden layers the first bar is below 1e-3, but it is already with fewer: "
        "the question asks for the first depth that gets there"
    )


register(
    Exercise(
        id="07.builder_depth",
        checker=_check_builder_depth,
        hint="start from the one-layer bar printed above the answer cell, and divide it by "
        "about 5 for every sigmoid layer you add: the factor notebook 05 measured per layer, "
        "not the quarter of the sigmoid's largest slope. How many such factors does it take to "
        "sink past 1e-3?",
        reference=4,
        solution_code=(
            "answer = 4  # predicted: 6.7e-02 / 5**2 = 2.7e-03, 6.7e-02 / 5**3 = 5.4e-04 < 1e-3\n"
            "# measured first bar: 1 layer 6.7e-02, 2: 1.3e-02, 3: 1.8e-03, 4: 5.6e-04, 5: 1.6e-04"
        ),
        mistakes=[
            (None, "still empty"),
            (3, "still above 1e-3"),
            (2, "not yet shrunk enough"),
            (5, "already"),
            (0, "the builder offers"),
        ],
    )
)


# ---- 07.diagnosis: name the fault of each mystery run ---------------------------------------
def _fault_evidence(run: str) -> str:
    """What in the figures gives run `run`'s fault away (numbers from helpers.mystery_runs)."""
    from helpers.mystery_runs import FAULT_OF, mystery_runs

    runs = mystery_runs()
    r, fault = runs[run], FAULT_OF[run]
    healthy = [k for k, f in FAULT_OF.items() if f == "learning rate too small"][0]
    if fault == "exploding gradient":
        times = r["grad"].min() / runs[healthy]["grad"].max()
        return (
            f"run {run}'s gradients are {r['grad'].min():.0f} to {r['grad'].max():.0f} at every "
            f"layer, over {times:.0f} times run {healthy}'s, its activations pile up beyond "
            f"the histogram's right edge and its loss starts at {r['loss'][0]:.0f}: far too "
            "large weights blow the signal and its gradient up. Its output is pinned too "
            f"({r['output_low']:.0%} near 0, {r['output_high']:.0%} near 1), but only because "
            "the blown-up signal drives it there"
        )
    if fault == "dead ReLUs":
        return (
            f"run {run}'s gradient is exactly 0 at every hidden layer (drawn at the bottom), its "
            f"histogram is one spike at 0 and {r['dead'][-1]:.0%} of its last layer's units "
            "are dead; its loss never moves"
        )
    if fault == "learning rate too small":
        return (
            f"run {run}'s loss falls steadily but slowly, and its gradients are healthy at every "
            "layer (about the same size everywhere, no dead or saturated units): look at the "
            "learning rate"
        )
    if fault == "vanishing gradient":
        return (
            f"run {run}'s gradient shrinks layer by layer toward the input, from "
            f"{r['grad'][-1]:.0e} at its last hidden layer to {r['grad'][0]:.0e} at its "
            "first, while no unit is dead"
        )
    return (
        f"run {run}'s hidden layers look healthy (spread-out histogram, nothing dead or "
        f"saturated), yet every gradient is tiny and about equal across layers, its loss does "
        f"not move, and its output unit sits on its flat end near 1 for "
        f"{r['output_high']:.0%} of the examples: under squared error the output's flat slope "
        "multiplies every gradient"
    )


def _fault_name(text: str) -> str | None:
    from helpers.mystery_runs import FAULTS

    key = "".join(ch for ch in text.lower() if ch.isalnum()).removesuffix("s")  # or plural
    for name in FAULTS:
        if key == "".join(ch for ch in name.lower() if ch.isalnum()).removesuffix("s"):
            return name
    return None


def _check_diagnosis(answer):
    from helpers.mystery_runs import FAULT_OF, FAULTS

    names = ", ".join(repr(n) for n in FAULTS)
    if answer is None or answer is Ellipsis:
        return "your answer is still empty; replace the `...` with a dict, one fault per run"
    if not isinstance(answer, dict):
        return (
            f"your answer is {kind_of(answer)}; give a dict with one fault name per run, "
            'like {"A": "dead ReLUs", "B": ...}'
        )
    given = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [run for run in FAULT_OF if run not in given]
    if missing:
        return f"name a fault for every run: {', '.join(missing)} missing"
    extra = [run for run in given if run not in FAULT_OF]
    if extra:
        return f"there are runs {', '.join(FAULT_OF)} only, not {', '.join(extra)}"
    empty = [run for run in FAULT_OF if given[run] is None or given[run] is Ellipsis]
    if empty:
        runs = f"run {empty[0]} is" if len(empty) == 1 else f"runs {', '.join(empty)} are"
        return f"{runs} still empty: replace each `...` with a fault name"
    wrong = []
    for run, fault in FAULT_OF.items():
        name = _fault_name(given[run]) if isinstance(given[run], str) else None
        if name is None:
            return f"{given[run]!r} (run {run}) is not one of the fault names: {names}"
        if name != fault:
            wrong.append(f"run {run} is not {name!r}: {_fault_evidence(run)}")
    if not wrong:
        return None
    right = len(FAULT_OF) - len(wrong)
    return f"{right} of {len(FAULT_OF)} right. " + " — ".join(wrong)


register(
    Exercise(
        id="07.diagnosis",
        checker=_check_diagnosis,
        hint="for each run ask three questions: does the loss move, and how? Are the gradients "
        "the same size at every layer, shrinking toward the input, huge, tiny everywhere, or "
        "zero? Are the units spread out, stuck at 0, or pinned at the ends (the table)? A pinned "
        "output can be the fault itself or the result of a fault further in: look at the layers "
        "behind it. Each fault leaves one pattern, and each name fits exactly one run.",
        reference={
            "A": "exploding gradient",
            "B": "dead ReLUs",
            "C": "learning rate too small",
            "D": "vanishing gradient",
            "E": "saturated output",
        },
        solution_code=(
            "diagnosis = {\n"
            '    "A": "exploding gradient",  # ReLU, N(0,1) x 1.0: gradients near 100, loss 12\n'
            '    "B": "dead ReLUs",  # hidden biases shifted by -2.5: gradient 0, spike at 0\n'
            '    "C": "learning rate too small",  # healthy tanh net, lr 0.003: slow, steady\n'
            '    "D": "vanishing gradient",  # 8 sigmoid layers, LeCun normal: a staircase\n'
            '    "E": "saturated output",  # sigmoid output at z = 8 under squared error\n'
            "}"
        ),
        mistakes=[
            (None, "still empty"),
            ("vanishing", "give a dict"),
            ({"A": ..., "B": ..., "C": ..., "D": ..., "E": ...}, "replace each"),
            ({"A": "exploding gradient"}, "missing"),
            (
                {
                    "A": "exploding gradient",
                    "B": "dead ReLUs",
                    "C": "vanishing gradient",
                    "D": "vanishing gradient",
                    "E": "saturated output",
                },
                "falls steadily but slowly",
            ),
            (
                {
                    "A": "exploding gradient",
                    "B": "dead ReLUs",
                    "C": "learning rate too small",
                    "D": "vanishing gradient",
                    "E": "vanishing gradient",
                },
                "flat end near 1",
            ),
            (
                {
                    "A": "dead ReLUs",
                    "B": "dead ReLUs",
                    "C": "learning rate too small",
                    "D": "vanishing gradient",
                    "E": "saturated output",
                },
                "blow the signal",
            ),
            (
                {
                    "A": "exploding gradient",
                    "B": "vanishing gradient",
                    "C": "learning rate too small",
                    "D": "vanishing gradient",
                    "E": "saturated output",
                },
                "exactly 0",
            ),
            (
                {
                    "A": "exploding gradient",
                    "B": "dead ReLUs",
                    "C": "learning rate too small",
                    "D": "saturated output",
                    "E": "saturated output",
                },
                "shrinks layer by layer",
            ),
            (
                {
                    "A": "saturated output",
                    "B": "dead ReLUs",
                    "C": "learning rate too small",
                    "D": "vanishing gradient",
                    "E": "exploding gradient",
                },
                "drives it there",
            ),
            (
                {
                    "A": "exploding",
                    "B": "dead ReLUs",
                    "C": "learning rate too small",
                    "D": "vanishing gradient",
                    "E": "saturated output",
                },
                "not one of the fault names",
            ),
        ],  # fmt: skip
    )
)


register_quiz(
    "07",
    [
        Question(
            "Your 12-layer network with g(z) = z in every layer draws a straight line through "
            "the circles. Which single change lets it draw the circle?",
            [
                (
                    "Put a non-linear activation, such as tanh or ReLU, between the layers",
                    True,
                    "Without one the 12 layers collapse into one W x + b (notebook 02). With "
                    "tanh or ReLU between them, two hidden layers of 16 already fit the circles "
                    "(100%).",
                ),
                (
                    "Add more layers",
                    False,
                    "Linear layers collapse into one however many there are: 3 and 10 of them "
                    "gave the same single layer in notebook 02.",
                ),
                (
                    "Make every layer wider",
                    False,
                    "A wider linear layer is still linear: the product of the weight matrices "
                    "is one matrix, whatever its inner sizes.",
                ),
                (
                    "Train longer: the gradient has to cross 12 layers, so it arrives slowly",
                    False,
                    "g(z) = z has slope 1, so no slope shrinks the gradient on its way back. The "
                    "problem is not speed but shape: no amount of training bends a line (the "
                    "network with no activation stayed at 52.5%).",
                ),
            ],
        ),
        Question(
            "What happens to the gradients of five ReLU hidden layers (spirals, Xavier "
            "initialization) if the top two become sigmoid layers?",
            [
                (
                    "The gradient drops sharply across the two sigmoid layers; the three ReLU "
                    "layers below pass on what is left, shrinking it only a little more",
                    True,
                    "Read the first cell's mixed row from right to left: 2.25e-01 in layer 5, "
                    "1.08e-02 in layer 4, then 8.53e-03, 6.73e-03, 5.13e-03. First / last hidden "
                    "is 0.0227, between all ReLU (0.672) and all sigmoid (0.00108).",
                ),
                (
                    "The ReLU layers below restore the gradient to the size it had above the "
                    "sigmoid layers",
                    False,
                    "A ReLU unit multiplies the signal by 1 at most: it can pass a signal on, "
                    "never restore what the layers above took away. The ReLU layers' gradients "
                    "keep falling, from 8.53e-03 to 5.13e-03.",
                ),
                (
                    "The gradient shrinks evenly, layer by layer: vanishing depends on the "
                    "depth, not on which layers are sigmoid",
                    False,
                    "Where the small slopes are decides where the signal is lost: about 20 "
                    "times at the top, in the sigmoid layers, and about 1.3 times per ReLU layer "
                    "below them.",
                ),
                (
                    "Only the two sigmoid layers learn slowly; the ReLU layers below are "
                    "unaffected, since their own slopes are 1",
                    False,
                    "The other way round: near the output the sigmoid layers get the largest "
                    "gradients (2.25e-01). The ReLU layers below pay for the sigmoid slopes above "
                    "them: layer 1's gradient fell from 1.32e-02 (all ReLU) to 5.13e-03.",
                ),
            ],
        ),
        Question(
            "A network's per-layer gradient bars grow, layer after layer, toward the input. What "
            "is the most likely cause?",
            [
                (
                    "Weights too large for the number of inputs, such as N(0, 1) × 1.0: each "
                    "layer multiplies the backward signal by more than its slopes take away",
                    True,
                    "That is an exploding gradient. In the gradient-flow meter (10 layers of 32) "
                    "weights × 1.0 give a first layer's bias gradient about 230 times the last's "
                    "with tanh, and about 300,000 times with ReLU.",
                ),
                (
                    "Sigmoid activations, whose slopes pile up toward the input",
                    False,
                    "Slopes multiply, and the sigmoid's are at most 1/4: its bars fall toward "
                    "the input (notebook 05, and the first cell here), they don't grow.",
                ),
                (
                    "Many dead ReLU units",
                    False,
                    "A dead unit passes back exactly 0. Dead units cut the flow; they never make "
                    "it grow.",
                ),
                (
                    "A learning rate that is too large",
                    False,
                    "The bars of a fresh network are measured before any step is taken: the "
                    "learning rate only scales the step made with the gradient, not the "
                    "gradient itself.",
                ),
            ],
        ),
        Question(
            "Why is He initialization's weight variance, 2/n_in, twice Xavier's for layers of "
            "equal width?",
            [
                (
                    "ReLU sets every negative z to 0, which halves the signal's mean square at "
                    "each layer; doubling the variance makes up for it",
                    True,
                    "Measured in notebook 05: with Xavier a ReLU stack keeps 0.499 of its "
                    "variance per layer, and its std falls from 0.584 to 0.0253 over ten layers; "
                    "with He it stays near 0.8.",
                ),
                (
                    "Xavier was made for the sigmoid, whose slope is 1/4; ReLU's slope of 1 "
                    "needs more",
                    False,
                    "Xavier's derivation assumes a slope of 1 at 0, as tanh has; for the sigmoid "
                    "it is only a rough guide (notebook 05). And a larger slope would call for "
                    "smaller weights, not larger ones.",
                ),
                (
                    "Larger weights keep ReLU units from dying",
                    False,
                    "Scaling weights drawn around 0 changes the sign of no z (the biases start "
                    "at 0): in the gradient-flow meter the same 42% of layer 1's ReLU units are "
                    "off with every initialization.",
                ),
                (
                    "The factor 2 is a rule of thumb found by trial and error",
                    False,
                    "It is derived: ReLU of a symmetric z keeps half of its mean square, so a "
                    "factor 2 puts it back. Notebook 05 measures the half: 0.499 of the variance "
                    "kept per layer with Xavier.",
                ),
            ],
        ),
        Question(
            "Which property of an activation has the course kept coming back to, from the step "
            "to the dead ReLU?",
            [
                (
                    "Its slope g′(z): where it is 0 or tiny, the learning signal stops",
                    True,
                    "The step's flat line (01), the saturated neuron (04), the vanishing product "
                    "of sigmoid slopes (05) and the dead ReLU (06) are one story: "
                    "backpropagation multiplies the signal by g′(z).",
                ),
                (
                    "Its output range: bounded activations are the safe ones",
                    False,
                    "ReLU is unbounded above and trained as well as its relatives in notebook "
                    "06; the bounded sigmoid trained worst. The slope decided, not the range.",
                ),
                (
                    "Its cost: cheaper activations train better",
                    False,
                    "Cost sets the time per step, not what the network learns: Leaky ReLU cost "
                    "many times ReLU's in numpy and reached the same accuracy (0.940).",
                ),
                (
                    "Its smoothness: smooth activations learn better",
                    False,
                    "ReLU has a kink at 0 and trains as well as any; GELU and SiLU are smooth "
                    "and still got stuck under the hard push. Where the slope is near 0 matters "
                    "far more than smoothness.",
                ),
            ],
        ),
        Question(
            "A residual connection computes a = x + F(x) instead of a = F(x). Why does it help "
            "very deep networks train?",
            [
                (
                    "The x term has slope 1, so the gradient always has a path around the block "
                    "that no activation can shrink",
                    True,
                    "The slope of x + F(x) is 1 plus the block's own, so however small the "
                    "block's slopes, the signal gets through. Networks of more than a hundred "
                    "layers train this way.",
                ),
                (
                    "It makes the network linear, and linear networks have no vanishing gradients",
                    False,
                    "F(x) keeps its activations, so x + F(x) is as non-linear as F. Adding x "
                    "only adds a path for the gradient.",
                ),
                (
                    "It doubles the gradient at every block, which balances the shrinking",
                    False,
                    "It adds rather than doubles: the slope becomes 1 plus the block's slope, "
                    "which stays near 1 when the block's slope is small.",
                ),
                (
                    "It helps only the forward pass, by carrying the input through unchanged",
                    False,
                    "The same path serves the backward pass, with slope 1, so the gradient flows "
                    "back through it undiminished: that is its main point.",
                ),
            ],
        ),
    ],
)
