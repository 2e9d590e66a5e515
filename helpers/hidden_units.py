"""Every hidden unit made visible, in the spirit of TensorFlow Playground: one small map per unit
of a network's first hidden layer (that unit's output over the input plane, its fold line
w·x + b = 0 dashed) beside the network's decision boundary, which carries every fold line."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from scipy.special import expit

from helpers.network import MLP, dead_units
from helpers.plots import BoundaryView, boundary_grid, new_figure
from helpers.style import OKABE_ITO, activation_style, describe

# Output 0 is white, larger outputs darker green: lightness alone tells the values apart.
UNIT_COLOURS = mpl.colors.LinearSegmentedColormap.from_list(
    "unit_output", ["#FFFFFF", activation_style("relu")["color"], "#00331F"]
)


def _fold_line(ax, w: np.ndarray, b: float, **style) -> None:
    """Draw the straight line w·x + b = 0 across the axes (nothing if w is zero)."""
    if np.any(w):
        point = -b * w / (w @ w)  # the line's point nearest the origin
        ax.axline(point, point + np.array([-w[1], w[0]]), **style)


def hidden_unit_maps(
    net: MLP, X: np.ndarray, y: np.ndarray, resolution: int = 150, ncols: int = 3
) -> Figure:
    """One panel per unit of the first hidden layer (made for ReLU units, outputs from 0 up):
    g(w·x + b) on the data's grid, one colour scale for all, the data as dots; a unit dead on
    X (`network.dead_units`) is grey, hatched and titled "dead". The last panel: the network's
    boundary and every fold line."""
    W, b, g = net.weights[0], net.biases[0], net.activations[0]
    gx, gy, points = boundary_grid(X, resolution)
    outputs = g.value_fn(points @ W.T + b)  # (grid points, units)
    dead = dead_units(net, net.forward_cache(X)[0])[0]
    n = len(b)
    nrows = -(-(n + 1) // ncols)
    fig, axes = new_figure(ncols, nrows, width=2.4 * ncols + 0.8, height=2.3 * nrows)
    limits = (gx.min(), gx.max(), gy.min(), gy.max())
    top = float(outputs[:, ~dead].max()) if (~dead).any() else 1.0
    fold = {"color": "black", "linestyle": "--", "linewidth": 1.2}
    for j, ax in enumerate(axes[:n]):
        if dead[j]:
            grey = {"facecolor": OKABE_ITO["grey"], "edgecolor": "white", "hatch": "//"}
            ax.add_patch(mpl.patches.Rectangle((0, 0), 1, 1, transform=ax.transAxes, **grey))
            ax.set_title(f"unit {j + 1}: dead", fontsize="small")
        else:
            image = ax.imshow(outputs[:, j].reshape(gx.shape), origin="lower", extent=limits,
                              vmin=0.0, vmax=top, cmap=UNIT_COLOURS, aspect="auto")  # fmt: skip
            ax.set_title(f"unit {j + 1}", fontsize="small")
        ax.scatter(X[:, 0], X[:, 1], s=2, color="black", alpha=0.4, linewidths=0)
        _fold_line(ax, W[j], b[j], **fold)
    if (~dead).any():
        fig.colorbar(image, ax=axes[:n], label="unit output", shrink=0.6)
    view = BoundaryView(axes[n], X, y, resolution=resolution)
    out = net.forward(view.points)[:, 0]
    view.update(expit(out) if net.loss_name == "cross_entropy" else out)
    for w_j, b_j in zip(W, b):
        _fold_line(axes[n], w_j, b_j, color=OKABE_ITO["grey"], linestyle="--", linewidth=0.8)
    axes[n].set_title("the network's boundary", fontsize="small")
    for ax in axes[: n + 1]:
        ax.set(xlim=limits[:2], ylim=limits[2:], xticks=[], yticks=[], xlabel="", ylabel="")
        ax.grid(False)
    for ax in axes[n + 1 :]:
        ax.set_visible(False)
    dead_names = ", ".join(str(j + 1) for j in np.flatnonzero(dead)) or "none"
    return describe(
        fig,
        f"{n} small maps, one per hidden unit: its output over the input plane, white where 0, "
        "darker green where larger, its straight fold line dashed, the data as dots. Units dead "
        f"on the data (grey, hatched): {dead_names}. The last panel: the network's decision "
        "boundary, every fold line dashed in grey.",
    )
