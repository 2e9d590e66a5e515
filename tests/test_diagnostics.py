"""Looking inside a network while it trains: Nielsen's per-layer gradient norms, the watcher
(update-to-data ratios, activations and gradients at chosen steps) and its figures."""

import copy
import warnings

import numpy as np
import pytest

from helpers.diagnostics import bias_gradient_norms, watch_training
from helpers.inside import (
    RATIO_FLOOR,
    digits_figure,
    gradient_histograms_figure,
    saturation_map_figure,
    update_ratio_figure,
)
from helpers.network import MLP

RNG = np.random.default_rng(5)
X = RNG.random((40, 6))
Y = np.eye(3)[RNG.integers(0, 3, 40)]


def small_net(seed=0, **kwargs):
    return MLP([6, 5, 4, 3], "tanh", init="xavier", seed=seed, loss="cross_entropy", **kwargs)


def test_bias_gradient_norms_are_the_hidden_layers_bias_gradient_lengths():
    net = small_net()
    _, dbs = net.gradients(X, Y)
    norms = bias_gradient_norms(net, X, Y)
    assert norms == pytest.approx([np.linalg.norm(dbs[0]), np.linalg.norm(dbs[1])])
    assert len(norms) == 2  # the hidden layers only, not the output layer


def test_watch_training_is_mlp_train_on_shuffled_mini_batches():
    """The watched network ends where plain MLP.train steps on the same batches end, and each
    recorded ratio is that step's ||W_after - W_before|| / ||W_before||."""
    net, twin = small_net(), small_net()
    watch = watch_training(net, X, Y, steps=7, lr=0.5, batch_size=16, seed=3)
    rng = np.random.default_rng(3)
    batches = []
    while len(batches) < 7:  # a new shuffle per pass; the 8 left over after two batches skipped
        order = rng.permutation(40)
        batches += [order[:16], order[16:32]]
    for t, idx in enumerate(batches[:7]):
        before = copy.deepcopy(twin.weights)
        history = twin.train(X[idx], Y[idx], steps=1, lr=0.5)
        assert watch.loss[t] == history.loss[0]
        want = [np.linalg.norm(w - b) / np.linalg.norm(b) for w, b in zip(twin.weights, before)]
        np.testing.assert_allclose(watch.update_ratio[t], want)
    for w, v in zip(net.weights, twin.weights):
        np.testing.assert_array_equal(w, v)
    assert watch.update_ratio.shape == (7, 3) and watch.loss.shape == (7,)


def test_snapshots_hold_activations_on_all_of_x_and_the_steps_batch_gradients():
    net = small_net()
    fresh = small_net()
    watch = watch_training(net, X, Y, steps=5, lr=0.5, batch_size=8, snapshots=(0, 5), seed=1)
    assert sorted(watch.acts) == sorted(watch.grads) == [0, 5]
    assert [a.shape for a in watch.acts[0]] == [(40, 5), (40, 4)]  # hidden layers only
    np.testing.assert_array_equal(watch.acts[0][0], fresh.forward_cache(X)[1][1])
    first_batch = np.random.default_rng(1).permutation(40)[:8]
    for g, want in zip(watch.grads[0], fresh.gradients(X[first_batch], Y[first_batch])[0]):
        np.testing.assert_array_equal(g, want)
    np.testing.assert_array_equal(watch.acts[5][1], net.forward_cache(X)[1][2])  # after training


def test_a_step_that_changes_nothing_has_ratio_zero():
    watch = watch_training(small_net(), X, Y, steps=3, lr=0.0)
    assert np.all(watch.update_ratio == 0.0)


def test_a_run_that_blows_up_ends_quietly_where_it_blew_up():
    net = MLP([6, 5, 3], "relu", init=10.0, seed=0, loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        watch = watch_training(net, X * 100, Y, steps=50, lr=1e6, snapshots=(49,))
    assert len(watch.loss) < 50 and np.all(np.isfinite(watch.loss))
    assert len(watch.update_ratio) == len(watch.loss) and 49 not in watch.acts


# ---- figures -----------------------------------------------------------------------------
def test_update_ratio_figure_draws_every_layer_the_rule_and_zero_at_the_floor():
    ratios = np.full((150, 3), 1e-2)
    ratios[5, 0] = 1e3  # one huge step: a running median of 20 steps does not follow it
    ratios[30:] = 0.0  # nothing moved after step 30
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log10 of 0 must not warn
        fig = update_ratio_figure({"a": ratios, "b": ratios * 10})
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 4  # three layers and the rule of thumb
    np.testing.assert_allclose(lines[0].get_ydata()[6:30], -2.0)  # the spike is smoothed away
    np.testing.assert_allclose(lines[0].get_ydata()[49:], np.log10(RATIO_FLOOR))
    np.testing.assert_allclose(lines[-1].get_ydata(), -3.0)
    assert ax.get_ylim()[0] < np.log10(RATIO_FLOOR) < -3 < ax.get_ylim()[1]
    from helpers.style import description

    text = description(fig)  # the raw largest step, and no made-up value for "nothing moved"
    assert "a: largest 3, exactly 0 in the last 100 steps: nothing moved" in text
    assert "-6" not in text


def test_gradient_histograms_put_exact_zeros_at_the_left_edge():
    grads = [np.array([0.0, 0.0, 1e-3, -1e-3]), np.array([1e-2, 0.0])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = gradient_histograms_figure({"run": grads})
    first = fig.axes[0].patches[0]  # layer 1's outline: half its values are 0
    assert first.get_data().values[0] == pytest.approx(0.5)


def test_saturation_map_shows_white_where_true_and_counts_white_columns():
    on = np.zeros((4, 3), dtype=bool)
    on[:, 1] = True
    fig = saturation_map_figure({"run": on})
    image = fig.axes[0].get_images()[0]
    np.testing.assert_array_equal(image.get_array(), on)
    assert image.get_cmap().name == "gray" and image.get_clim() == (0, 1)  # True is white
    from helpers.style import description

    assert "1 white column." in description(fig)


def test_digits_figure_titles_each_image_by_its_label():
    pixels = np.linspace(0, 1, 64)[None, :].repeat(3, axis=0)
    fig = digits_figure(pixels, np.eye(10)[[4, 0, 7]], n=3)
    assert [ax.get_title() for ax in fig.axes] == ["4", "0", "7"]
