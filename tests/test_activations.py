"""The activation registry: exact values and derivatives over all of float64, PyTorch's
conventions at kinks, shapes, dtypes, and clear errors."""

import warnings

import mpmath as mp
import numpy as np
import pytest

from helpers import activations
from helpers.activations import ELU_ALPHA, LEAKY_SLOPE, SELU_ALPHA, SELU_SCALE

mp.mp.dps = 60

# High-precision definitions, written independently of the numpy ones.
REFERENCE = {
    "identity": lambda z: z,
    "step": lambda z: mp.mpf(1) if z > 0 else mp.mpf(0),
    "sigmoid": lambda z: 1 / (1 + mp.exp(-z)),
    "tanh": mp.tanh,
    "relu": lambda z: max(z, mp.mpf(0)),
    "leaky_relu": lambda z: z if z > 0 else LEAKY_SLOPE * z,
    "elu": lambda z: z if z > 0 else ELU_ALPHA * mp.expm1(z),
    "selu": lambda z: SELU_SCALE * (z if z > 0 else SELU_ALPHA * mp.expm1(z)),
    "gelu": lambda z: z * mp.erfc(-z / mp.sqrt(2)) / 2,
    "silu": lambda z: z / (1 + mp.exp(-z)),
    "softplus": lambda z: mp.log1p(mp.exp(z)),
}
REQUIRED = [
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "silu",
    "softplus",
    "selu",
]
EXTREMES = np.array([-1000.0, -50.0, -1e-8, 0.0, 1e-8, 50.0, 1000.0])
ORDINARY = np.linspace(-8.0, 8.0, 161) + 0.0123  # avoids z = 0 exactly, where kinks sit
TINY = 1e-300  # below this, float64 has no relative precision left to demand


def assert_close_to_reference(got, ref_values, rel=1e-12):
    for g, r in zip(got, ref_values):
        r = float(r)
        if abs(r) < TINY:
            assert abs(g) < TINY, (g, r)
        else:
            assert abs(g - r) <= rel * abs(r), (g, r, abs(g - r) / abs(r))


def test_registry_has_every_required_activation():
    assert set(REQUIRED) <= set(activations.names())
    assert set(activations.names()) == set(REFERENCE)


@pytest.mark.parametrize("name", list(REFERENCE))
def test_values_exact_and_warning_free_over_float64(name):
    act = activations.get(name)
    z = np.concatenate([EXTREMES, ORDINARY])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        got, slope = act(z), act.derivative(z)
    assert np.all(np.isfinite(got)) and np.all(np.isfinite(slope))
    assert_close_to_reference(got, [REFERENCE[name](mp.mpf(float(v))) for v in z])


@pytest.mark.parametrize("name", [n for n in REFERENCE if n != "step"])
def test_derivative_exact_away_from_kinks(name):
    act, f = activations.get(name), REFERENCE[name]
    z = np.concatenate([EXTREMES[EXTREMES != 0.0], ORDINARY])
    ref = [mp.diff(f, mp.mpf(float(v))) for v in z]
    assert_close_to_reference(act.derivative(z), ref, rel=1e-11)


@pytest.mark.parametrize("name", list(REFERENCE))
def test_derivative_matches_central_differences(name):
    act, h = activations.get(name), 1e-6
    numeric = (act(ORDINARY + h) - act(ORDINARY - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(ORDINARY), numeric, rtol=1e-7, atol=1e-8)


def test_kink_conventions_are_pytorch_autograd():
    d = {name: float(activations.get(name).derivative(0.0)) for name in REFERENCE}
    assert d["relu"] == 0.0
    assert d["leaky_relu"] == 0.01
    assert d["elu"] == 1.0
    assert d["selu"] == pytest.approx(SELU_SCALE * SELU_ALPHA, rel=1e-15)
    assert float(activations.get("step")(0.0)) == 0.0
    assert np.all(activations.get("step").derivative(EXTREMES) == 0.0)


def test_naive_formulas_fail_where_the_registry_does_not():
    """The reason for the stable forms: the textbook ones warn or lose every digit."""
    with np.errstate(over="ignore"):
        s = 1 / (1 + np.exp(-np.float64(40.0)))
    assert float(s * (1 - s)) == 0.0  # the naive sigmoid' is 0 at z = 40
    assert float(activations.get("sigmoid").derivative(40.0)) == pytest.approx(
        float(mp.exp(-40) / (1 + mp.exp(-40)) ** 2), rel=1e-13
    )


@pytest.mark.parametrize("name", list(REFERENCE))
def test_shapes_and_dtypes(name):
    act = activations.get(name)
    for z, shape in [(0.5, ()), (3, ()), ([1.0, -2.0, 3.0], (3,)), (np.ones((4, 5)), (4, 5))]:
        for out in (act(z), act.derivative(z)):
            assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == shape
    out32 = act(np.ones(3, dtype=np.float32))
    assert out32.dtype == np.float64


def test_properties_are_stated():
    for name in REQUIRED:
        act = activations.get(name)
        assert act.name == name and act.formula and act.derivative_formula
        lo, hi = act.output_range
        assert lo < hi
        values = act(np.linspace(-30, 30, 60001))
        assert values.min() >= lo - 1e-12 and values.max() <= hi + 1e-12
        assert isinstance(act.zero_centred, bool) and isinstance(act.monotone, bool)
        assert isinstance(act.saturating, bool) and isinstance(act.smooth, bool)
    assert activations.get("tanh").saturating and not activations.get("relu").saturating
    assert not activations.get("gelu").monotone and activations.get("sigmoid").monotone


def test_unknown_name_lists_names_and_suggests_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'sigmoid'") as info:
        activations.get("sigmod")
    for name in REQUIRED:
        assert name in str(info.value)
    assert activations.get("ReLU") is activations.get("relu")
    assert activations.get("none") is activations.get("identity")


@pytest.mark.parametrize("bad", ["abc", None, object(), ["a", "b"], {"z": 1}])
def test_non_numeric_input_raises_type_error(bad):
    with pytest.raises(TypeError, match="needs numbers"):
        activations.get("relu")(bad)


@pytest.mark.parametrize("name", REQUIRED)
def test_zero_centred_flag_matches_the_mean_output_on_standard_normal_input(name):
    z = np.random.default_rng(0).standard_normal(1_000_000)
    act = activations.get(name)
    assert act.zero_centred == bool(abs(act(z).mean()) < 0.05), act(z).mean()


# ---- the frameworks' documented defaults (notebook 03's table) --------------------------------
# From the PyTorch and Keras API docs: nn.LeakyReLU(negative_slope=0.01), nn.ELU(alpha=1.0)
# (Keras: elu(x, alpha=1.0)), nn.SELU() with the two constants below, nn.GELU(approximate='none')
# (Keras: gelu(x, approximate=False)), nn.Softplus(beta=1, threshold=20), nn.SiLU, nn.Sigmoid,
# nn.Tanh, nn.ReLU. Each formula is written here as the docs state it and evaluated with mpmath.
TORCH_SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
TORCH_SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")
TORCH_LEAKY_SLOPE = mp.mpf("0.01")  # nn.LeakyReLU(negative_slope=0.01)
TORCH_ELU_ALPHA = mp.mpf("1.0")  # nn.ELU(alpha=1.0), keras elu(x, alpha=1.0)


def _torch_softplus(z, beta=1, threshold=20):
    # "For numerical stability the implementation reverts to the linear function when
    # input * beta > threshold."
    return z if beta * z > threshold else mp.log(1 + mp.exp(beta * z)) / beta


FRAMEWORK = {
    "sigmoid": lambda z: 1 / (1 + mp.exp(-z)),
    "tanh": mp.tanh,
    "relu": lambda z: max(mp.mpf(0), z),
    "leaky_relu": lambda z: z if z >= 0 else TORCH_LEAKY_SLOPE * z,
    "elu": lambda z: z if z > 0 else TORCH_ELU_ALPHA * (mp.exp(z) - 1),
    "selu": lambda z: TORCH_SELU_SCALE * (max(0, z) + min(0, TORCH_SELU_ALPHA * (mp.exp(z) - 1))),
    # z (1 + erf(z / sqrt 2)) / 2, written with erfc(-x) = 1 + erf(x) so that mpmath keeps its
    # digits far left, where 1 + erf cancels
    "gelu": lambda z: z * mp.erfc(-z / mp.sqrt(2)) / 2,
    "silu": lambda z: z / (1 + mp.exp(-z)),
    "softplus": _torch_softplus,
}


def test_course_constants_are_pytorchs_defaults():
    assert LEAKY_SLOPE == 0.01 and ELU_ALPHA == 1.0
    assert SELU_ALPHA == float(TORCH_SELU_ALPHA) and SELU_SCALE == float(TORCH_SELU_SCALE)
    # Keras' leaky_relu defaults to 0.2 (the layer to 0.3): notebook 03 warns; not ours
    assert activations.get("leaky_relu")(-1.0) == pytest.approx(-0.01, rel=1e-15)


@pytest.mark.parametrize("name", list(FRAMEWORK))
def test_course_functions_match_the_framework_defaults(name):
    z = np.concatenate([ORDINARY, [-30.0, -12.5, 19.5, 20.5, 25.0, 40.0]])
    got = activations.get(name)(z)
    for g, v in zip(got, z):
        ref = FRAMEWORK[name](mp.mpf(float(v)))
        if name == "softplus" and v > 20:
            # PyTorch returns z itself there; the course keeps ln(1 + e^z), which is larger by
            # ln(1 + e^-z) < e^-z: the two differ by at most e^-20 (about 2e-9)
            assert 0 <= g - float(ref) <= float(mp.exp(-v)) * (1 + 1e-9) + abs(g) * 1e-15
        else:
            assert_close_to_reference([g], [ref])
