"""Every hidden unit made visible (in the spirit of TensorFlow Playground): one map per first-layer
unit with its fold line w·x + b = 0, the network's boundary, and the lines' general position."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from scipy.special import expit

from helpers.network import MLP, dead_units
from helpers.plots import BoundaryView, boundary_grid, new_figure
from helpers.style import activation_style, describe

# Output 0 is white, larger outputs darker green: lightness alone tells the values apart.
UNIT_COLOURS = mpl.colors.LinearSegmentedColormap.from_list(
    "unit_output", ["#FFFFFF", activation_style("relu")["color"], "#00331F"]
)


def fold_crossings(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where each pair p < q of fold lines meets, in `np.triu_indices` order (none parallel)."""
    pairs = zip(*np.triu_indices(len(b), k=1))
    return np.array([np.linalg.solve(W[[p, q]], -b[[p, q]]) for p, q in pairs])


def general_position(W: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """The smallest angle (degrees) between two fold lines, and the closest a third fold line
    comes to the crossing of two. Both above 0: no two parallel, no three through one point."""
    norms, (p, q) = np.linalg.norm(W, axis=1), np.triu_indices(len(b), k=1)
    cosine = (np.abs(np.sum(W[p] * W[q], axis=1)) / (norms[p] * norms[q])).max()
    if np.isclose(cosine, 1.0):  # two parallel lines: they never cross
        return 0.0, float("nan")
    distance = np.abs(fold_crossings(W, b) @ W.T + b) / norms  # from each crossing to each line
    distance[np.arange(len(p)), p] = distance[np.arange(len(p)), q] = np.inf  # not its own two
    return float(np.degrees(np.arccos(cosine))), float(distance.min())


def _fold_line(ax, w: np.ndarray, b: float, **style) -> None:
    """Draw the straight line w·x + b = 0 across the axes (nothing if w is zero)."""
    if np.any(w):
        point = -b * w / (w @ w)  # the line's point nearest the origin
        ax.axline(point, point + np.array([-w[1], w[0]]), **style)


def hidden_unit_maps(
    net: MLP, X: np.ndarray, y: np.ndarray, resolution: int = 150, ncols: int = 3
) -> Figure:
    """One map per first-layer ReLU unit, g(w·x + b) on one colour scale with the data as dots (a
    unit dead on X, `network.dead_units`, hatched grey), then the boundary with every fold line."""
    W, b, g = net.weights[0], net.biases[0], net.activations[0]
    gx, gy, points = boundary_grid(X, resolution)
    outputs = g.value_fn(points @ W.T + b)  # (grid points, units)
    dead = dead_units(net, net.forward_cache(X)[0])[0]
    n, nrows = len(b), -(-(len(b) + 1) // ncols)
    fig, axes = new_figure(ncols, nrows, width=2.4 * ncols + 0.8, height=2.3 * nrows)
    limits = (gx.min(), gx.max(), gy.min(), gy.max())
    top = float(outputs[:, ~dead].max()) if (~dead).any() else 1.0
    hatch = {"facecolor": (0.6, 0.6, 0.6, 0.25), "edgecolor": (0.3, 0.3, 0.3, 0.5), "hatch": "//"}
    for j, ax in enumerate(axes[:n]):
        image = ax.imshow(outputs[:, j].reshape(gx.shape), origin="lower", extent=limits,
                          vmin=0.0, vmax=top, cmap=UNIT_COLOURS, aspect="auto")  # fmt: skip
        if dead[j]:
            ax.add_patch(mpl.patches.Rectangle((0, 0), 1, 1, transform=ax.transAxes, **hatch))
        ax.set_title(f"unit {j + 1}" + (": dead" if dead[j] else ""), fontsize="small")
        ax.scatter(X[:, 0], X[:, 1], s=2, color="black", alpha=0.5, linewidths=0)
        _fold_line(ax, W[j], b[j], color="black", linestyle="--", linewidth=1.2)
    if (~dead).any():
        fig.colorbar(image, ax=axes[:n], label="unit output", shrink=0.6)
    view = BoundaryView(axes[n], X, y, resolution=resolution)
    out = net.forward(view.points)[:, 0]
    view.update(expit(out) if net.loss_name == "cross_entropy" else out)
    for w_j, b_j in zip(W, b):
        _fold_line(axes[n], w_j, b_j, color="#555555", linestyle="--", linewidth=1.0)
    axes[n].set_title("the network's boundary", fontsize="small")
    for ax in axes[: n + 1]:
        ax.set(xlim=limits[:2], ylim=limits[2:], xticks=[], yticks=[], xlabel="", ylabel="")
        ax.grid(False)
    for ax in axes[n + 1 :]:
        ax.set_visible(False)
    corners = np.array([(x, y) for x in limits[:2] for y in limits[2:]])
    outside = np.ptp(np.sign(corners @ W.T + b), axis=0) == 0  # all corners on one side
    names = [", ".join(str(j + 1) for j in np.flatnonzero(m)) or "none" for m in (dead, outside)]
    return describe(
        fig,
        f"{n} small maps, one per hidden unit: its output over the plane, white at 0, darker green "
        "above, its straight fold line dashed, the data as dots. Units dead on the data (hatched "
        f"grey): {names[0]}. Units whose fold line lies outside the picture: {names[1]}. Last "
        "panel: the network's boundary, straight pieces with corners on fold lines (dashed grey).",
    )
