"""Widget timings for `make bench`: every registered widget's update beside the same figure
drawn whole and beside a new figure per change, and the PNG encoders (see benchmarks/run.py)."""

from __future__ import annotations

import copy
import io
import math
import time

import numpy as np


def median(values) -> float:
    return float(np.median(values)) if len(values) else float("nan")


def p90(values) -> float:
    return float(np.percentile(values, 90)) if len(values) else float("nan")


# ---- widgets ---------------------------------------------------------------------------------
def control_values(control, count: int) -> list:
    """`count` new values for one control, the way a person would move it: a slider is dragged
    across its range and back, a dropdown steps through its options, a checkbox toggles."""
    import ipywidgets as ipw

    from helpers.widgets.controls import Slider

    if isinstance(control, Slider) and control.log:
        path = _ping_pong(math.log10(control.value), control.min, control.max, count)
        return [float(10.0**e) for e in path]
    if isinstance(control, Slider) and control.integer:  # whole steps, never one value twice
        step = max(1, round(2 * (control.max - control.min) / max(count, 1)))
        out, v, direction = [], control.value, 1
        for _ in range(count):
            if not control.min <= v + direction * step <= control.max:
                direction = -direction
            v = min(max(v + direction * step, control.min), control.max)
            out.append(int(v))
        return out
    if isinstance(control, Slider):
        path = _ping_pong(control.value, control.min, control.max, count)
        return [round(float(v), 6) for v in path]
    if isinstance(control, ipw.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        picks = [tuple(options[j] for j in range(i % len(options) + 1)) for i in range(count)]
        return [p if i % 2 else p[-1:] for i, p in enumerate(picks)]
    if isinstance(control, ipw.Checkbox | ipw.ToggleButton):
        return [not control.value if i % 2 == 0 else control.value for i in range(count)]
    options = getattr(control, "options", None)
    if options and hasattr(control, "value"):
        options = [o[1] if isinstance(o, tuple) else o for o in options]
        start = options.index(control.value) if control.value in options else 0
        return [options[(start + 1 + i) % len(options)] for i in range(count)]
    return []


def _ping_pong(value: float, lo: float, hi: float, count: int) -> list[float]:
    """A drag from the current value to the top of the range, down to the bottom and back."""
    span = hi - lo
    step = 2 * span / max(count, 1)
    out, v, direction = [], float(value), 1.0
    for _ in range(count):
        v += direction * step
        if v > hi:
            v, direction = hi - (v - hi), -1.0
        if v < lo:
            v, direction = lo + (lo - v), 1.0
        out.append(min(max(v, lo), hi))
    return out


def naive_redraw(widget, figure_copy) -> bytes:
    """The same view drawn as a plain `interact` would: compute, then a new figure shown by
    the inline backend (tight bounding box, default PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    widget.update()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure_copy).print_figure(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def bench_widget(name: str, builder, changes: int) -> dict:
    """Per change, interleaved: the widget's own update (a control's new value: compute, draw
    with blitting, PNG), the same persistent figure drawn whole (`refresh` with the figure
    marked stale: compute, `canvas.draw()`, the animated artists, PNG), and a new figure."""
    widget = builder()
    controls = {k: c for k, c in widget.controls.items() if control_values(c, 1)}
    per_control = max(1, math.ceil(changes / max(len(controls), 1)))
    # (control name, value): each control in turn is moved several times in a row, the way a
    # person drags a slider or steps through a dropdown, and every control gets as many moves
    sequences = {k: control_values(c, per_control + 3) for k, c in controls.items()}
    for k, values in sequences.items():  # warm-up: caches, first layout, first background
        for v in values[:3]:
            controls[k].value = v
    plan = [(k, v) for k, values in sequences.items() for v in values[3:]]
    ms: dict[str, list[float]] = {"live": [], "full": [], "naive": []}
    cpu_ms: dict[str, list[float]] = {"live": [], "full": [], "naive": []}
    by_control: dict[str, list[float]] = {}
    draws, redrew, errors = [], 0, []
    draw = widget.live.canvas.draw
    widget.live.canvas.draw = lambda: (draws.append(1), draw())

    def timed(variant: str, action, *args) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action(*args)
        ms[variant].append((time.perf_counter() - wall) * 1e3)
        cpu_ms[variant].append((time.process_time() - cpu) * 1e3)

    def full_draw() -> None:
        widget.figure.stale = True  # as if every artist had changed: draw the figure whole
        widget.refresh()

    for k, value in plan:
        control = controls[k]
        if control.value == value:
            continue
        before = len(draws)
        timed("live", setattr, control, "value", value)
        redrew += len(draws) > before
        by_control.setdefault(k, []).append(ms["live"][-1])
        if widget.last_error is not None:
            errors.append(f"{k}={value!r}: {widget.last_error!r}")
        timed("full", full_draw)
        figure_copy = copy.deepcopy(widget.figure)  # stands in for re-plotting; not timed
        timed("naive", naive_redraw, widget, figure_copy)
    widget.close()
    live, full, naive = (median(ms[v]) for v in ("live", "full", "naive"))
    return {
        "median_ms": round(live, 2),
        "p90_ms": round(p90(ms["live"]), 2),
        "full_draw_median_ms": round(full, 2),
        "naive_median_ms": round(naive, 2),
        "vs_full_draw": round(full / live, 2) if live > 0 else None,
        "vs_naive": round(naive / live, 2) if live > 0 else None,
        "cpu_median_ms": round(median(cpu_ms["live"]), 2),
        "full_draw_cpu_median_ms": round(median(cpu_ms["full"]), 2),
        "naive_cpu_median_ms": round(median(cpu_ms["naive"]), 2),
        "changes": len(ms["live"]),
        "full_draw_fraction": round(redrew / max(len(ms["live"]), 1), 2),
        "by_control_median_ms": {k: round(median(v), 2) for k, v in by_control.items()},
        "errors": errors[:5],
    }


def bench_widgets(changes: int, names: list[str] | None = None) -> dict:
    from helpers.widgets import registry

    results = {}
    for name, builder in sorted(registry().items()):
        if names and name not in names:
            continue
        results[name] = bench_widget(name, builder, changes)
        r = results[name]
        print(
            f"  {name:22s} median {r['median_ms']:6.1f} ms  p90 {r['p90_ms']:6.1f} ms  "
            f"full draw {r['full_draw_median_ms']:6.1f} ms (x{r['vs_full_draw']})  "
            f"new figure {r['naive_median_ms']:6.1f} ms (x{r['vs_naive']})  "
            f"drew whole {r['full_draw_fraction']:.0%}",
            flush=True,
        )
    return results


# ---- PNG encoding ----------------------------------------------------------------------------
def bench_png(repeats: int = 31) -> dict:
    import PIL.Image

    from helpers.widgets import registry
    from helpers.widgets.base import png_bytes

    def pillow(pixels: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        PIL.Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    results = {}
    for name, builder in sorted(registry().items()):
        widget = builder()
        pixels = np.asarray(widget.live.canvas.buffer_rgba())[..., :3]
        times: dict[str, list[float]] = {"helpers": [], "pillow": []}
        sizes = {}
        for _ in range(repeats):  # interleaved: helpers, Pillow, helpers, ...
            for variant, encode in (("helpers", png_bytes), ("pillow", pillow)):
                start = time.perf_counter()
                sizes[variant] = len(encode(pixels))
                times[variant].append((time.perf_counter() - start) * 1e3)
        widget.close()
        results[name] = {
            "pixels": f"{pixels.shape[1]}x{pixels.shape[0]}",
            "helpers_ms": round(median(times["helpers"]), 2),
            "pillow_ms": round(median(times["pillow"]), 2),
            "helpers_kb": round(sizes["helpers"] / 1024, 1),
            "pillow_kb": round(sizes["pillow"] / 1024, 1),
        }
        print(f"  {name:22s} {results[name]}", flush=True)
    return results
