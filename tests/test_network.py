"""The tiny MLP: exact gradients, the shapes that are taught, training, diagnostics, errors."""

import warnings

import numpy as np
import pytest

from helpers import data
from helpers.activations import Activation, get
from helpers.network import (
    DEAD_SLOPE,
    MLP,
    dead_units,
    gradient_check,
    layer_statistics,
    numerical_gradient,
    peak_slope,
    relative_error,
)

RNG = np.random.default_rng(123)
X = RNG.normal(size=(12, 3))
Y1 = RNG.normal(size=12)
Y2 = RNG.normal(size=(12, 2))


@pytest.mark.parametrize(
    "act",
    [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "elu",
        "gelu",
        "silu",
        "softplus",
        "selu",
        "identity",
    ],
)
@pytest.mark.parametrize("sizes", [[3, 4, 1], [3, 5, 4, 2]])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_backprop_matches_central_differences(act, sizes, loss):
    net = MLP(sizes, act, seed=1, loss=loss)
    y = Y1 if sizes[-1] == 1 else Y2
    if loss == "cross_entropy":
        y = (y > 0).astype(float)
    assert gradient_check(net, X, y) <= 1e-7


def test_gradient_check_catches_a_wrong_derivative():
    tanh = get("tanh")
    wrong = Activation(**{**vars(tanh), "name": "wrong", "derivative_fn": lambda z: 1 - z**2})
    net = MLP([3, 4, 1], [wrong], seed=0)
    assert gradient_check(net, X, Y1) > 1e-2


def test_per_layer_activations_and_output_activation():
    net = MLP([3, 4, 5, 1], ["relu", "tanh"], output_activation="sigmoid", seed=0)
    assert [a.name for a in net.activations] == ["relu", "tanh", "sigmoid"]
    assert np.all((net.forward(X) > 0) & (net.forward(X) < 1))


def test_shapes_follow_z_equals_W_x_plus_b():
    net = MLP([2, 16, 16, 1], "tanh", seed=0)
    assert [w.shape for w in net.weights] == [(16, 2), (16, 16), (1, 16)]
    assert [b.shape for b in net.biases] == [(16,), (16,), (1,)]
    assert net.forward(np.zeros((7, 2))).shape == (7, 1)
    dWs, dbs = net.gradients(np.zeros((7, 2)), np.zeros(7))
    assert [d.shape for d in dWs] == [w.shape for w in net.weights]
    assert [d.shape for d in dbs] == [b.shape for b in net.biases]


def test_weights_can_be_assigned_and_loss_is_half_mean_squared_error():
    net = MLP([2, 1], [], seed=0)
    net.weights[0] = np.array([[2.0, 3.0]])
    net.biases[0] = np.array([1.0])
    Xs = np.array([[1.0, 1.0], [0.0, 2.0]])
    np.testing.assert_allclose(net.forward(Xs)[:, 0], [6.0, 7.0])
    assert net.loss(Xs, [5.0, 5.0]) == pytest.approx(0.5 * (1.0 + 4.0) / 2)


def test_init_schemes_have_their_variance():
    big = dict(layer_sizes=[400, 600, 1], activation="tanh", seed=0)
    std = {i: MLP(init=i, **big).weights[0].std() for i in ("normal", "xavier", "he", 0.01, 1.0)}
    assert std["normal"] == pytest.approx(np.sqrt(1 / 400), rel=0.02)
    assert std["xavier"] == pytest.approx(np.sqrt(2 / 1000), rel=0.02)
    assert std["he"] == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert std[0.01] == pytest.approx(0.01, rel=0.02) and std[1.0] == pytest.approx(1.0, rel=0.02)
    assert np.all(MLP(**big).biases[0] == 0)
    assert MLP(bias_init="normal", **big).biases[0].std() == pytest.approx(1.0, rel=0.1)


def test_training_learns_xor_and_is_reproducible():
    Xd, yd = data.make("xor", n=200, seed=0)
    runs = []
    for _ in range(2):
        net = MLP([2, 8, 1], "tanh", seed=3)
        history = net.train(Xd, yd, steps=600, lr=0.2)
        runs.append((history.loss, net.weights[0].copy()))
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])
    assert runs[0][0][-1] < 0.3 * runs[0][0][0]
    assert net.accuracy(Xd, yd) >= 0.95


def test_minibatch_training_and_records():
    Xd, yd = data.make("circles", n=100, seed=0)
    net = MLP([2, 6, 6, 1], "relu", seed=0, loss="cross_entropy")
    history = net.train(Xd, yd, steps=50, lr=0.1, batch_size=16, record_every=10).as_arrays()
    assert list(history["step"]) == [0, 10, 20, 30, 40, 49]
    assert history["weight_grad_norm"].shape == (6, 3)
    assert history["act_std"].shape == (6, 2) and history["dead"].shape == (6, 2)


def test_diagnostics_on_cases_with_known_answers():
    net = MLP([2, 4, 3, 1], ["relu", "tanh"], seed=0)
    net.biases[0] = np.array([-100.0, -100.0, 100.0, 100.0])  # two units can never fire
    net.weights[1] = np.full((3, 4), 0.02)  # z near 4: tanh saturated, slope below 1% of 1
    stats = layer_statistics(net, np.random.default_rng(0).uniform(-1, 1, (50, 2)))
    assert stats["dead"][0] == 0.5 and stats["dead"][1] == 1.0  # saturated everywhere: dead too
    assert stats["saturated"][1] == 1.0
    assert stats["saturated"][0] == pytest.approx(0.5)  # ReLU's idle half has slope 0


def test_numerical_gradient_and_relative_error():
    x = np.array([1.0, -2.0, 0.5])
    g = numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)
    np.testing.assert_array_equal(x, [1.0, -2.0, 0.5])  # restored
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: MLP([2, 3, 1], "tanh").forward(np.zeros((5, 3))), r"shape \(n, 2\)"),
        (lambda: MLP([2, 3, 1], "tanh").forward(np.zeros(2)), r"shape \(n, 2\)"),
        (lambda: MLP([2, 3, 1], "tanh").gradients(np.zeros((5, 2)), np.zeros(4)), r"\(5,\)"),
        (lambda: MLP([2, 3, 2], "tanh").gradients(np.zeros((5, 2)), np.zeros(5)), r"\(5, 2\)"),
        (lambda: MLP([2, 3, 3, 1], ["tanh"]), "2 hidden layers need 2"),
        (lambda: MLP([2], "tanh"), "at least two"),
        (lambda: MLP([2, 3, 1], "tanh", init="glorious"), "unknown init"),
        (lambda: MLP([2, 3, 1], "tanh", loss="hinge"), "unknown loss"),
        (lambda: MLP([2, 3, 1], "tanhh"), "Did you mean 'tanh'"),
    ],
)
def test_errors_name_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "activation, z, dead",
    [("relu", -0.1, True), ("relu", 0.1, False), ("leaky_relu", -1e6, False),
     ("elu", -4.0, False), ("elu", -5.0, True), ("gelu", -2.0, False), ("gelu", -3.5, True),
     ("gelu", -0.752, True), ("silu", -1.278, True), ("silu", -8.0, True),
     ("tanh", 2.0, False), ("tanh", 3.0, True), ("sigmoid", -6.0, True)],
)  # fmt: skip
def test_effectively_dead_means_slope_below_one_percent_of_the_peak(activation, z, dead):
    """A unit whose z is the same on every example: dead exactly when |g'(z)| < 1% of g's
    largest slope (GELU's and SiLU's slopes are 0 near z = -0.752 and -1.278)."""
    net = MLP([1, 1, 1], activation)
    net.weights[0][:], net.biases[0][:] = 0.0, z
    zs, _ = net.forward_cache(np.zeros((3, 1)))
    g = get(activation)
    assert (abs(g.derivative(z)) < DEAD_SLOPE * peak_slope(g)) == dead  # the case is as named
    assert dead_units(net, zs)[0].tolist() == [dead]


def test_a_run_that_blows_up_stops_and_says_so_in_plain_words():
    """A learner's learning rate far too large: one warning in plain words (the step, the loss,
    what to do), none of numpy's overflow warnings, and training stops at the blow-up."""
    net = MLP([2, 3, 1], "relu", seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = net.train(np.ones((4, 2)), np.ones((4, 1)), steps=50, lr=1e6)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert f"blew up at step {history.diverged_at}" in messages[0]
    assert "too large" in messages[0] and "smaller one" in messages[0]
    assert history.step[-1] == history.diverged_at < 49 and not np.isfinite(history.loss[-1])


def test_a_caller_that_silenced_overflow_gets_no_warning_but_the_step():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="ignore"):
            history = MLP([2, 3, 1], "relu", seed=0).train(
                np.ones((4, 2)), np.ones((4, 1)), steps=50, lr=1e6
            )
    assert history.diverged_at is not None


def test_a_healthy_run_records_no_blow_up():
    Xd, yd = data.make("circles", n=100, seed=0)
    history = MLP([2, 6, 1], "tanh", seed=0, loss="cross_entropy").train(Xd, yd, steps=20)
    assert history.diverged_at is None and len(history.loss) == 20
    assert "diverged_at" not in history.as_arrays()


def test_gradient_norms_are_each_layers_gradient_lengths():
    from helpers.network import gradient_norms

    net = MLP([2, 5, 4, 1], "tanh", seed=1)
    X, y = np.random.default_rng(0).normal(size=(30, 2)), np.ones((30, 1))
    weights, biases = gradient_norms(net, X, y)
    dWs, dbs = net.gradients(X, y)
    assert weights.tolist() == [np.linalg.norm(d) for d in dWs]
    assert biases.tolist() == [np.linalg.norm(d) for d in dbs]
