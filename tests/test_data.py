"""The toy data sets: shapes, balance, reproducibility."""

import numpy as np
import pytest

from helpers import data


@pytest.mark.parametrize("name", list(data.DATASETS))
def test_shape_balance_and_seed(name):
    X, y = data.make(name, n=101, seed=4)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0.0, 1.0} and abs(y.sum() - 50.5) <= 0.5
    X2, y2 = data.make(name, n=101, seed=4)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, data.make(name, n=101, seed=5)[0])
    assert np.all(np.abs(X) < 5)


def test_unknown_name_and_bad_size():
    with pytest.raises(ValueError, match="blobs, xor, circles, moons, spirals"):
        data.make("mnist")
    with pytest.raises(ValueError, match="at least 2"):
        data.make("xor", n=1)
