"""helpers.hidden_units: one map per hidden unit (its output over the plane, its fold line),
dead units hatched and labelled, the network's boundary with every fold line, and whether the
fold lines are in general position."""

import matplotlib as mpl
import numpy as np
import pytest

from helpers import data
from helpers.hidden_units import fold_crossings, general_position, hidden_unit_maps
from helpers.network import MLP
from helpers.plots import boundary_grid


@pytest.fixture(scope="module")
def moons():
    return data.make("moons", 100, seed=1)


def relu_net(biases=None, width=5):
    net = MLP([2, width, 1], "relu", seed=2, loss="cross_entropy")
    if biases is not None:
        net.biases[0][:] = biases
    return net


def fold_lines(ax):
    """The axes' endless straight lines (drawn with `ax.axline`)."""
    return [line for line in ax.get_lines() if isinstance(line, mpl.lines.AxLine)]


def on_line(line, w, b):
    """Both points that define the drawn line satisfy w·x + b = 0."""
    points = np.array([line.get_xy1(), line.get_xy2()])
    return np.allclose(points @ w + b, 0.0, atol=1e-9)


def test_each_unit_map_is_that_units_relu_output_with_its_fold_line(moons):
    X, y = moons
    net = relu_net()
    fig = hidden_unit_maps(net, X, y, resolution=40)
    W, b = net.weights[0], net.biases[0]
    *_, points = boundary_grid(X, 40)
    expected = np.maximum(points @ W.T + b, 0.0)
    unit_axes = [ax for ax in fig.axes if ax.get_title().startswith("unit")]
    assert len(unit_axes) == 5
    for j, ax in enumerate(unit_axes):
        (image,) = ax.get_images()
        np.testing.assert_array_equal(np.asarray(image.get_array()).ravel(), expected[:, j])
        assert image.get_clim() == (0.0, expected.max())  # one scale for all units
        (line,) = fold_lines(ax)
        assert on_line(line, W[j], b[j])
    boundary = next(ax for ax in fig.axes if ax.get_title() == "the network's boundary")
    assert len(fold_lines(boundary)) == 5
    assert [ax.get_label() for ax in fig.axes].count("<colorbar>") == 1


def test_a_dead_unit_is_hatched_over_its_map_and_labelled(moons):
    X, y = moons
    net = relu_net(biases=[0.0, -50.0, 0.0, 0.0, 0.0])  # unit 2 is off on every point
    fig = hidden_unit_maps(net, X, y, resolution=30)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles.count("unit 2: dead") == 1 and sum("dead" in t for t in titles) == 1
    dead_ax = fig.axes[titles.index("unit 2: dead")]
    assert len(dead_ax.get_images()) == 1  # its map still shows, under the hatching
    (patch,) = [p for p in dead_ax.patches if isinstance(p, mpl.patches.Rectangle)]
    assert patch.get_hatch() == "//"  # readable without colour: hatching and the title
    assert patch.get_facecolor()[3] < 0.5  # see-through: the map and the data show
    live_ax = fig.axes[titles.index("unit 1")]
    assert len(live_ax.get_images()) == 1 and not live_ax.patches


def test_a_unit_off_on_the_data_but_on_in_a_corner_still_counts_as_dead(moons):
    """Dead means dead on the data (as network.dead_units says), not on the whole picture."""
    X, y = moons
    net = relu_net()
    w = net.weights[0][0]
    net.biases[0][0] = -np.max(X @ w) - 0.1  # the fold line just past the last data point
    *_, points = boundary_grid(X, 30)
    assert np.any(points @ w + net.biases[0][0] > 0)  # on in a corner of the picture
    titles = [ax.get_title() for ax in hidden_unit_maps(net, X, y, resolution=30).axes]
    assert "unit 1: dead" in titles


def test_all_units_dead_draws_no_colour_scale_and_no_error(moons):
    X, y = moons
    fig = hidden_unit_maps(relu_net(biases=-50.0), X, y, resolution=20)
    titles = [ax.get_title() for ax in fig.axes]
    assert sum(t.endswith(": dead") for t in titles) == 5
    assert "<colorbar>" not in [ax.get_label() for ax in fig.axes]


def test_the_boundary_panel_shows_the_networks_probability(moons):
    X, y = moons
    net = relu_net()
    net.train(X, y, steps=200, lr=0.5)
    fig = hidden_unit_maps(net, X, y, resolution=25)
    boundary = next(ax for ax in fig.axes if ax.get_title() == "the network's boundary")
    (image,) = boundary.get_images()
    *_, points = boundary_grid(X, 25)
    probability = 1 / (1 + np.exp(-net.forward(points)[:, 0]))
    np.testing.assert_allclose(np.asarray(image.get_array()).ravel(), probability, atol=1e-12)
    assert sum(ax.get_visible() for ax in fig.axes if ax.get_label() != "<colorbar>") == 6


def test_the_description_names_the_units_and_the_dead_ones(moons):
    from helpers.style import description

    X, y = moons
    text = description(hidden_unit_maps(relu_net(biases=[0.0, -50.0, 0.0, -50.0, 0.0]), X, y))
    assert text.startswith("5 small maps, one per hidden unit") and "(hatched grey): 2, 4." in text
    assert "(hatched grey): none." in description(hidden_unit_maps(relu_net(), X, y))


def test_the_description_names_the_fold_lines_outside_the_picture(moons):
    from helpers.style import description

    X, y = moons
    net = relu_net()
    *_, points = boundary_grid(X, 150)
    net.biases[0][2] = -np.min(points @ net.weights[0][2]) + 0.5  # unit 3: on everywhere
    net.biases[0][4] = -np.max(points @ net.weights[0][4]) - 0.5  # unit 5: off everywhere
    text = description(hidden_unit_maps(net, X, y))
    assert "fold line lies outside the picture: 3, 5." in text
    assert "fold line lies outside the picture: none." in description(
        hidden_unit_maps(relu_net(), X, y)
    )


def test_general_position_measures_angles_and_a_third_lines_distance():
    # x = 0, y = 0 and x + y = 1: 45 degrees apart at least; the line x + y = 1 passes
    # 1/sqrt(2) from the crossing (0, 0), the others 1 from (0, 1) and (1, 0)
    W, b = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), np.array([0.0, 0.0, -1.0])
    np.testing.assert_allclose(fold_crossings(W, b), [[0, 0], [0, 1], [1, 0]], atol=1e-15)
    angle, closest = general_position(W, b)
    assert angle == pytest.approx(45.0) and closest == pytest.approx(1 / np.sqrt(2))
    angle, closest = general_position(W, np.zeros(3))  # all three through the origin
    assert angle == pytest.approx(45.0) and closest == pytest.approx(0.0, abs=1e-15)
    angle, closest = general_position(np.array([[1.0, 0.0], [-2.0, 0.0]]), np.array([0.0, 1.0]))
    assert angle == 0.0 and np.isnan(closest)  # parallel: no crossing to measure
