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


def test_digits_are_a_seeded_split_of_scikit_learns_1797_images():
    X_train, Y_train, X_test, Y_test = data.digits(seed=0)
    assert X_train.shape == (1348, 64) and X_test.shape == (449, 64)
    assert Y_train.shape == (1348, 10) and Y_test.shape == (449, 10)
    for X, Y in ((X_train, Y_train), (X_test, Y_test)):
        assert X.min() == 0.0 and X.max() == 1.0  # pixels 0..16 scaled to [0, 1]
        assert np.all(Y.sum(axis=1) == 1) and set(np.unique(Y)) == {0.0, 1.0}  # one-hot
        assert np.all(Y.sum(axis=0) > 30)  # every digit on both sides
    # the two parts together are the whole set, each image once
    from sklearn.datasets import load_digits

    images, labels = load_digits(return_X_y=True)
    together = np.vstack([X_train, X_test]) * 16
    order = np.lexsort(together.T)
    assert np.array_equal(together[order], images[np.lexsort(images.T)])
    assert np.array_equal(
        np.sort(np.concatenate([Y_train, Y_test]).argmax(axis=1)), np.sort(labels)
    )
    again = data.digits(seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, Y_train, X_test, Y_test)))
    assert not np.array_equal(data.digits(seed=1)[0], X_train)
    assert data.digits(seed=0, test_fraction=0.5)[2].shape == (898, 64)
