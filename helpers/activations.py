"""The activation registry: `get(name)` gives a function with its derivative and properties.

Every function is exact in float64 over the whole real line: no overflow at z = +-1000, no NaN,
and no catastrophic cancellation (for example sigmoid' is computed as sigmoid(z) * sigmoid(-z),
not s * (1 - s), which is 0 for every z > 37). Definitions and defaults follow PyTorch,
including the derivative it reports at a kink.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import erfc, expit

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
_SQRT2 = np.sqrt(2.0)
_SQRT2PI = np.sqrt(2.0 * np.pi)


def as_float_array(z: object) -> np.ndarray:
    """Return z as a float64 array, or raise TypeError saying what was expected."""
    arr = None if isinstance(z, bool | str | dict) else np.asarray(z)
    if arr is None or arr.dtype.kind not in "iufb":
        got = type(z).__name__ + (f" of dtype {arr.dtype}" if isinstance(z, list | tuple) else "")
        raise TypeError(
            "an activation needs numbers: a float, a list of floats or a numpy array; got " + got
        )
    return arr.astype(np.float64, copy=False)


@dataclass(frozen=True)
class Activation:
    """An activation g with its derivative g' and the facts a learner compares them by."""

    name: str
    label: str
    formula: str  # LaTeX for g(z)
    derivative_formula: str  # LaTeX for g'(z)
    value_fn: Callable[[np.ndarray], np.ndarray]
    derivative_fn: Callable[[np.ndarray], np.ndarray]
    output_range: tuple[float, float] = (-np.inf, np.inf)
    zero_centred: bool = False  # mean output within 0.05 of 0 for z ~ N(0, 1)
    saturating: bool = False  # g'(z) -> 0 as z -> -inf AND as z -> +inf
    monotone: bool = False
    smooth: bool = False  # infinitely differentiable everywhere

    def __call__(self, z: object) -> np.ndarray:
        """g(z), element-wise, as float64 of z's shape."""
        return np.asarray(self.value_fn(as_float_array(z)), dtype=np.float64)

    def derivative(self, z: object) -> np.ndarray:
        """g'(z), element-wise, as float64 of z's shape."""
        return np.asarray(self.derivative_fn(as_float_array(z)), dtype=np.float64)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _tanh_derivative(z: np.ndarray) -> np.ndarray:
    # 1 - tanh(z)^2 = 4 e / (1 + e)^2 with e = exp(-2|z|) in (0, 1]: no overflow, full precision.
    e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


def _gelu(z: np.ndarray) -> np.ndarray:
    # z * Phi(z) with Phi(z) = erfc(-z / sqrt 2) / 2: erfc keeps its precision far in the tail.
    return z * 0.5 * erfc(-z / _SQRT2)


def _gelu_derivative(z: np.ndarray) -> np.ndarray:
    return 0.5 * erfc(-z / _SQRT2) + z * np.exp(-0.5 * z * z) / _SQRT2PI


def _silu_derivative(z: np.ndarray) -> np.ndarray:
    s = expit(z)
    return s + z * s * expit(-z)


_ACTIVATIONS = (  # the value and slope functions, then the range (default: all reals) and
    # the properties that hold (the others are False)
    Activation(
        "identity",
        "none (identity)",
        r"z",
        r"1",
        lambda z: z.copy(),
        np.ones_like,
        zero_centred=True,
        monotone=True,
        smooth=True,
    ),
    Activation(
        "step",
        "step",
        r"\begin{cases}1 & z > 0\\ 0 & z \le 0\end{cases}",
        r"0",
        lambda z: np.where(z > 0, 1.0, 0.0),
        np.zeros_like,
        (0.0, 1.0),
        saturating=True,
        monotone=True,
    ),
    Activation(
        "sigmoid",
        "sigmoid",
        r"\sigma(z) = \frac{1}{1 + e^{-z}}",
        r"\sigma(z)\,(1 - \sigma(z))",
        expit,
        lambda z: expit(z) * expit(-z),
        (0.0, 1.0),
        saturating=True,
        monotone=True,
        smooth=True,
    ),
    Activation(
        "tanh",
        "tanh",
        r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
        r"1 - \tanh^2(z)",
        np.tanh,
        _tanh_derivative,
        (-1.0, 1.0),
        zero_centred=True,
        saturating=True,
        monotone=True,
        smooth=True,
    ),
    Activation(
        "relu",
        "ReLU",
        r"\max(0, z)",
        r"\begin{cases}1 & z > 0\\ 0 & z \le 0\end{cases}",
        lambda z: np.maximum(z, 0.0),
        lambda z: np.where(z > 0, 1.0, 0.0),
        (0.0, np.inf),
        monotone=True,
    ),
    Activation(
        "leaky_relu",
        "Leaky ReLU",
        r"\begin{cases}z & z > 0\\ 0.01\,z & z \le 0\end{cases}",
        r"\begin{cases}1 & z > 0\\ 0.01 & z \le 0\end{cases}",
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
        monotone=True,
    ),
    Activation(
        "elu",
        "ELU",
        r"\begin{cases}z & z > 0\\ e^{z} - 1 & z \le 0\end{cases}",
        r"\begin{cases}1 & z > 0\\ e^{z} & z \le 0\end{cases}",
        lambda z: np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0))),
        lambda z: np.where(z > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(z, 0.0))),
        (-ELU_ALPHA, np.inf),
        monotone=True,
    ),
    Activation(
        "selu",
        "SELU",
        r"\lambda\begin{cases}z & z > 0\\ \alpha\,(e^{z} - 1) & z \le 0\end{cases},"
        r"\ \lambda \approx 1.0507,\ \alpha \approx 1.6733",
        r"\lambda\begin{cases}1 & z > 0\\ \alpha\,e^{z} & z \le 0\end{cases}",
        lambda z: SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0))),
        lambda z: SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0))),
        (-SELU_SCALE * SELU_ALPHA, np.inf),
        zero_centred=True,
        monotone=True,
    ),
    Activation(
        "gelu",
        "GELU",
        r"z\,\Phi(z) = \frac{z}{2}\left(1 + \operatorname{erf}\frac{z}{\sqrt{2}}\right)",
        r"\Phi(z) + z\,\varphi(z)",
        _gelu,
        _gelu_derivative,
        (-0.16997120747990369, np.inf),
        smooth=True,
    ),
    Activation(
        "silu",
        "SiLU (swish)",
        r"z\,\sigma(z) = \frac{z}{1 + e^{-z}}",
        r"\sigma(z)\,\bigl(1 + z\,(1 - \sigma(z))\bigr)",
        lambda z: z * expit(z),
        _silu_derivative,
        (-0.27846454276107380, np.inf),
        smooth=True,
    ),
    Activation(
        "softplus",
        "softplus",
        r"\ln(1 + e^{z})",
        r"\sigma(z)",
        lambda z: np.logaddexp(0.0, z),
        expit,
        (0.0, np.inf),
        monotone=True,
        smooth=True,
    ),
)
_REGISTRY: dict[str, Activation] = {act.name: act for act in _ACTIVATIONS}


# The zoo the course compares: every registered activation except "no activation".
ZOO: tuple[str, ...] = tuple(name for name in _REGISTRY if name != "identity")


def names() -> list[str]:
    """The registered activation names (including 'identity', the 'no activation' case)."""
    return list(_REGISTRY)


def get(name: str | Activation) -> Activation:
    """The activation called `name`; a ValueError lists the valid names and the closest one."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"an activation name must be a string, got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = {
        "none": "identity",
        "linear": "identity",
        "swish": "silu",
        "leakyrelu": "leaky_relu",
    }.get(key, key)
    if key in _REGISTRY:
        return _REGISTRY[key]
    close = difflib.get_close_matches(key, _REGISTRY, n=1)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(
        f"unknown activation {name!r}.{suggestion} Valid names: {', '.join(_REGISTRY)}"
    )
