"""Seeded 2-D toy data sets for classification, made with numpy alone (nothing downloaded),
and real handwritten digits that ship inside scikit-learn (`digits`).

Each `make_*` returns X of shape (n, 2) and labels y of shape (n,) holding 0.0 or 1.0,
half of each class, the same numbers for the same seed.
"""

from __future__ import annotations

import numpy as np


def _two_halves(n: int) -> tuple[int, int]:
    if not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer of at least 2 (points in the data set), got {n!r}")
    return n // 2, n - n // 2


def make_blobs(n: int = 200, noise: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds centred at (-1, -1) and (1, 1): a straight line separates them."""
    rng = np.random.default_rng(seed)
    n0, n1 = _two_halves(n)
    X = np.vstack([rng.normal(-1.0, noise, (n0, 2)), rng.normal(1.0, noise, (n1, 2))])
    return X, np.repeat([0.0, 1.0], [n0, n1])


def make_xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four clusters at the corners of a square; opposite corners share a class (XOR)."""
    rng = np.random.default_rng(seed)
    n0, n1 = _two_halves(n)
    signs0 = rng.choice([-1.0, 1.0], size=n0)  # class 0: (+,+) and (-,-)
    signs1 = rng.choice([-1.0, 1.0], size=n1)  # class 1: (+,-) and (-,+)
    c0 = np.column_stack([signs0, signs0])
    c1 = np.column_stack([signs1, -signs1])
    X = np.vstack([c0, c1]) + rng.normal(0.0, noise, (n, 2))
    X += rng.uniform(-0.35, 0.35, (n, 2))  # spread each corner into a patch
    return X, np.repeat([0.0, 1.0], [n0, n1])


def _circle(t: np.ndarray) -> np.ndarray:
    """Points at angles t on the unit circle, one row each."""
    return np.column_stack([np.cos(t), np.sin(t)])


def _two_curves(n: int, noise: float, seed: int, span: float, curve0, curve1):
    """Class 0 along curve0(t) and class 1 along curve1(t), t uniform in [0, span], plus noise."""
    rng = np.random.default_rng(seed)
    n0, n1 = _two_halves(n)
    t0, t1 = rng.uniform(0, span, n0), rng.uniform(0, span, n1)
    X = np.vstack([curve0(t0), curve1(t1)]) + rng.normal(0.0, noise, (n, 2))
    return X, np.repeat([0.0, 1.0], [n0, n1])


def make_circles(
    n: int = 200, noise: float = 0.08, factor: float = 0.45, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """An inner disc of class 1 inside a ring of class 0."""
    return _two_curves(n, noise, seed, 2 * np.pi, _circle, lambda t: factor * _circle(t))


def make_moons(n: int = 200, noise: float = 0.12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half-moons: the upper half of a circle, and its lower half moved by
    (1, 0.5)."""
    X, y = _two_curves(n, noise, seed, np.pi, _circle, lambda t: np.array([1.0, 0.5]) - _circle(t))
    X -= np.array([0.5, 0.25])  # centre the pair on the origin
    return X, y


def make_spirals(
    n: int = 200, noise: float = 0.15, turns: float = 1.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms: the hardest of the set."""
    rng = np.random.default_rng(seed)
    n0, n1 = _two_halves(n)
    X_parts = []
    for k, m in enumerate((n0, n1)):
        r = np.sqrt(rng.uniform(0.0, 1.0, m))  # more points further out, as on a disc
        t = r * turns * 2 * np.pi + k * np.pi
        arm = np.column_stack([r * np.cos(t), r * np.sin(t)]) * 2.0
        X_parts.append(arm + rng.normal(0.0, noise, (m, 2)))
    return np.vstack(X_parts), np.repeat([0.0, 1.0], [n0, n1])


DATASETS = {
    "blobs": make_blobs,
    "xor": make_xor,
    "circles": make_circles,
    "moons": make_moons,
    "spirals": make_spirals,
}


def make(name: str, n: int = 200, seed: int = 0, **kwargs: float) -> tuple[np.ndarray, np.ndarray]:
    """Make the toy data set called `name` (one of `DATASETS`)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}")
    return DATASETS[name](n=n, seed=seed, **kwargs)


def digits(seed: int = 0, test_fraction: float = 0.25):
    """scikit-learn's handwritten digits (1,797 images of 8 x 8 pixels, read from the installed
    package, nothing downloaded), split at random by `seed` into a training and a test set.

    Returns X_train, Y_train, X_test, Y_test: X has one row of 64 pixels per image, scaled from
    0..16 to [0, 1]; Y is one-hot, one column per digit 0-9 (the label is `Y.argmax(axis=1)`).
    """
    from sklearn.datasets import load_digits  # imported here: only notebook 08 needs it

    images, labels = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = round(test_fraction * len(labels))
    X, Y = images[order] / 16.0, np.eye(10)[labels[order]]
    return X[n_test:], Y[n_test:], X[:n_test], Y[:n_test]
