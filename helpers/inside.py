"""Figures for looking inside a network (notebook 08): real digits, the update-to-data ratio over
training, gradient histograms per layer and the saturation map. The measurements they draw come
from `helpers.diagnostics.watch_training`; the style from `helpers.style`."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from helpers.plots import layer_histograms_figure, new_figure
from helpers.style import LAYER_LINESTYLES, describe

RATIO_FLOOR = 1e-6  # an update-to-data ratio of 0 (nothing moved) is drawn at this floor


def digits_figure(X: np.ndarray, Y: np.ndarray, n: int = 10) -> Figure:
    """The first n images of X (rows of 64 pixels) as 8 x 8 pictures, each titled by its label."""
    fig, axes = new_figure(n, width=0.9 * n, height=1.3)
    for ax, pixels, label in zip(axes, X, Y.argmax(axis=1)):
        ax.imshow(pixels.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(str(label))
        ax.set_axis_off()
    labels = ", ".join(str(d) for d in Y[:n].argmax(axis=1))
    return describe(fig, f"{n} handwritten digits of 8 by 8 pixels, labelled {labels}.")


def update_ratio_figure(
    runs: dict[str, np.ndarray], rule: float = -3.0, window: int = 20
) -> Figure:
    """One panel per run: log10 of each weight matrix's update-to-data ratio over training, a
    running median of `window` steps, with the rule of thumb `rule` as a dashed black line. A
    ratio of 0 (nothing moved) is drawn at the floor, log10 RATIO_FLOOR; a panel reaches as high
    as its median line. The description gives the raw ratios' largest and late values."""
    fig, axes = new_figure(len(runs), width=3.3 * len(runs), height=3.2)
    summary = []
    for ax, (title, ratio) in zip(axes, runs.items()):
        logs = np.log10(np.maximum(ratio, RATIO_FLOOR))
        smooth = np.array(
            [np.median(logs[max(0, t + 1 - window) : t + 1], axis=0) for t in range(len(logs))]
        )
        shades = mpl.colormaps["viridis"](np.linspace(0.0, 0.85, logs.shape[1]))
        for k, colour in enumerate(shades):
            ax.plot(
                smooth[:, k],
                color=colour,
                ls=LAYER_LINESTYLES[k % len(LAYER_LINESTYLES)],
                lw=1,
                label=f"layer {k + 1}",
            )
        ax.axhline(rule, color="black", ls="--", lw=1)  # named on the line, not in the legend
        ax.text(0.98, rule, f"rule of thumb ({rule:g})", transform=ax.get_yaxis_transform(),
                ha="right", va="bottom", fontsize="x-small")  # fmt: skip
        top = max(1.0, float(smooth.max())) + 0.5
        ax.set(title=title, xlabel="training step", ylim=(np.log10(RATIO_FLOOR) - 0.2, top))
        late = (
            "exactly 0 in the last 100 steps: nothing moved"
            if np.all(ratio[-100:] == 0)
            else f"median of the last 100 steps {np.log10(np.median(ratio[-100:])):.2g}"
        )
        summary.append(f"{title}: largest {np.log10(ratio.max()):.2g}, {late}")
    axes[0].set_ylabel("log10(|update| / |weights|)")
    axes[-1].legend(fontsize="x-small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    return describe(
        fig,
        f"Log10 of each layer's update-to-data ratio, running median of {window} steps, one "
        "panel per run, "
        "the rule of thumb -3 as a dashed line: " + "; ".join(summary) + ".",
    )


def gradient_histograms_figure(panels: dict[str, list[np.ndarray]], low: float = -8.0):
    """`layer_histograms_figure` of log10 |weight gradient| per layer: a layer whose gradients
    are far smaller sits far left; exact zeros (no gradient at all) pile up at the left edge."""
    logs = {
        title: [np.log10(np.maximum(np.abs(g), 10.0**low)) for g in grads]
        for title, grads in panels.items()
    }
    return layer_histograms_figure(logs, (low, 1.0), bins=45, xlabel="log10 |weight gradient|")


def saturation_map_figure(maps: dict[str, np.ndarray]) -> Figure:
    """One panel per title: a map of examples (rows) by units (columns), white where the unit is
    saturated or off for that example. A white column is a unit that is so on every example."""
    fig, axes = new_figure(len(maps), width=3.0 * len(maps), height=3.4)
    counts = []
    for ax, (title, on) in zip(axes, maps.items()):
        ax.imshow(on, cmap="gray", vmin=0, vmax=1, interpolation="nearest", aspect="auto")
        ax.set(title=title, xlabel="unit (white: saturated or off)")
        ax.grid(False)
        for spine in ax.spines.values():  # a frame, so that an all-white map still shows
            spine.set(visible=True, color="black", linewidth=1.2)
        columns = int(np.all(on, axis=0).sum())
        counts.append(
            f"{title}: {np.mean(on):.0%} white, {columns} white column{'' if columns == 1 else 's'}"
        )
    axes[0].set_ylabel("example")
    return describe(
        fig, "Saturation maps, white where a unit is saturated or off: " + "; ".join(counts) + "."
    )
