"""How fast the course is: `make bench` (or `.venv/bin/python benchmarks/run.py`).

Prints a table and writes benchmarks/results.json with

- "notebooks": wall seconds to execute each notebooks/*.ipynb in a fresh kernel (kernel start
  and shutdown included), one after the other, and their total;
- "widgets": for every registered widget, the cost of one update (set a control's value
  programmatically: the widget computes, changes its figure in place and renders the PNG
  the front end receives), over at least 30 control changes, the same number for each control
  and each control moved several times in a row (a slider drag, a walk through a dropdown's
  options); "by_control_median_ms" shows each control's own median. Beside it,
  the naive way measured right after each change: compute again, then draw the same view as
  a new figure the way a plain `interact` + inline backend does (layout, tight bounding box,
  PNG). The naive time leaves out building the new figure's artists (the copy is made outside
  the timer), so the ratio is a lower bound;
- "trainer": full-batch training steps per second of MLP([2, 16, 16, 1], "tanh") on 200 points,
  interleaved with the loop as it was before it was optimised (benchmarks/reference_mlp.py);
- "activations": milliseconds per million elements for each activation's value and derivative;
- "png": for each widget's figure, encoding it as PNG with helpers' own encoder (what every
  update sends) beside Pillow at its fastest setting, interleaved: milliseconds and kilobytes.

Timings on a shared machine are noisy: every figure is a median, compared variants are measured
side by side (interleaved), and the load average is recorded with the results. Each timing is
also taken in CPU seconds of this process, which other processes disturb far less.

Options: --only notebooks,widgets,trainer,activations,png; --changes N (per widget, default 40);
--output PATH.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {
    "course_s": 60.0,
    "notebook_s": 15.0,
    "widget_median_ms": 25.0,
    "widget_speedup": 2.0,
    "trainer_steps_per_s": 10_000.0,
}


def _median(values) -> float:
    return float(np.median(values)) if len(values) else float("nan")


def _p90(values) -> float:
    return float(np.percentile(values, 90)) if len(values) else float("nan")


# ---- notebooks -------------------------------------------------------------------------------
def bench_notebooks(paths: list[Path]) -> dict:
    """Execute each notebook in a fresh kernel (as `jupyter nbconvert --execute` would) and time
    it from kernel start to kernel shutdown. Nothing is written back to the notebook."""
    import nbformat
    from nbclient import NotebookClient

    seconds, cpu_seconds, errors = {}, {}, {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        try:
            client.execute()
        except Exception as exc:  # report it, keep timing the others
            errors[path.name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        seconds[path.name] = round(time.perf_counter() - start, 2)
        # the kernel is a child process: once it has exited, its CPU time is counted here
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
        cpu_seconds[path.name] = round(cpu, 2)
        stderr = [
            o.get("text", "")
            for cell in nb.cells
            for o in cell.get("outputs", [])
            if o.get("output_type") == "stream" and o.get("name") == "stderr"
        ]
        if stderr and path.name not in errors:
            errors[path.name] = "wrote to stderr: " + stderr[0][:200]
        print(
            f"  {path.name:40s} {seconds[path.name]:6.2f} s wall, "
            f"{cpu_seconds[path.name]:6.2f} s CPU of the kernel",
            flush=True,
        )
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "total_s": round(sum(seconds.values()), 2),
        "cpu_total_s": round(sum(cpu_seconds.values()), 2),
        "slowest": max(seconds, key=seconds.get) if seconds else None,
        "errors": errors,
    }


# ---- widgets ---------------------------------------------------------------------------------
def control_values(control, count: int) -> list:
    """`count` new values for one control, the way a person would move it: a slider is dragged
    across its range and back, a dropdown steps through its options, a checkbox toggles."""
    import ipywidgets as ipw

    if isinstance(control, ipw.FloatLogSlider):
        lo, hi = control.min, control.max
        path = _ping_pong(math.log(control.value, control.base), lo, hi, count)
        return [float(control.base**e) for e in path]
    if isinstance(control, ipw.IntSlider):  # whole steps, never the same value twice running
        step = max(1, round(2 * (control.max - control.min) / max(count, 1)))
        out, v, direction = [], control.value, 1
        for _ in range(count):
            if not control.min <= v + direction * step <= control.max:
                direction = -direction
            v = min(max(v + direction * step, control.min), control.max)
            out.append(int(v))
        return out
    if isinstance(control, ipw.FloatSlider):
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
    """The same view drawn as a plain `interact` would: compute, then a new figure laid out
    from scratch and shown by the inline backend (tight bounding box, default PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    widget.update()
    canvas = FigureCanvasAgg(figure_copy)
    layout = widget.live.initial_layout
    if layout is not None:
        figure_copy.set_layout_engine(layout)
    buffer = io.BytesIO()
    canvas.print_figure(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def bench_widget(name: str, builder, changes: int) -> dict:
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
    live_ms, live_cpu_ms, naive_ms, naive_cpu_ms, by_control, errors = [], [], [], [], {}, []
    full_before, renders_before = widget.live.full_draws, widget.live.renders
    for k, value in plan:
        control = controls[k]
        if control.value == value:
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        control.value = value
        live_ms.append((time.perf_counter() - wall) * 1e3)
        live_cpu_ms.append((time.process_time() - cpu) * 1e3)
        by_control.setdefault(k, []).append(live_ms[-1])
        if widget.last_error is not None:
            errors.append(f"{k}={value!r}: {widget.last_error!r}")
        figure_copy = copy.deepcopy(widget.figure)  # stands in for re-plotting; not timed
        wall, cpu = time.perf_counter(), time.process_time()
        naive_redraw(widget, figure_copy)
        naive_ms.append((time.perf_counter() - wall) * 1e3)
        naive_cpu_ms.append((time.process_time() - cpu) * 1e3)
    renders = widget.live.renders - renders_before
    median, naive = _median(live_ms), _median(naive_ms)
    widget.close()
    return {
        "median_ms": round(median, 2),
        "p90_ms": round(_p90(live_ms), 2),
        "naive_median_ms": round(naive, 2),
        "speedup": round(naive / median, 2) if median > 0 else None,
        "cpu_median_ms": round(_median(live_cpu_ms), 2),
        "naive_cpu_median_ms": round(_median(naive_cpu_ms), 2),
        "changes": len(live_ms),
        "full_draw_fraction": round((widget.live.full_draws - full_before) / max(renders, 1), 2),
        "by_control_median_ms": {k: round(_median(v), 2) for k, v in by_control.items()},
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
            f"  {name:22s} median {r['median_ms']:7.2f} ms  p90 {r['p90_ms']:7.2f} ms  "
            f"naive {r['naive_median_ms']:7.2f} ms  x{r['speedup']}  "
            f"full draws {r['full_draw_fraction']:.0%}",
            flush=True,
        )
    return results


# ---- trainer ---------------------------------------------------------------------------------
def bench_trainer(steps: int = 2000, repeats: int = 7) -> dict:
    from benchmarks.reference_mlp import reference_train
    from helpers import MLP, data

    X, y = data.make("moons", 200, seed=0)
    rates = {"current": [], "reference": []}
    cpu_rates = {"current": [], "reference": []}
    nets = {}
    for _ in range(repeats):  # interleaved: current, reference, current, ...
        for variant in ("current", "reference"):
            net = MLP([2, 16, 16, 1], "tanh", seed=0)
            wall, cpu = time.perf_counter(), time.process_time()
            if variant == "current":
                net.train(X, y, steps=steps, lr=0.1)
            else:
                reference_train(net, X, y, steps=steps, lr=0.1)
            rates[variant].append(steps / (time.perf_counter() - wall))
            cpu_rates[variant].append(steps / max(time.process_time() - cpu, 1e-9))
            nets[variant] = net
    identical = all(
        np.array_equal(a, b)
        for a, b in zip(
            nets["current"].weights + nets["current"].biases,
            nets["reference"].weights + nets["reference"].biases,
        )
    )
    current, reference = _median(rates["current"]), _median(rates["reference"])
    return {
        "steps_per_s": round(current),
        "reference_steps_per_s": round(reference),
        "speedup": round(current / reference, 2),
        "cpu_steps_per_s": round(_median(cpu_rates["current"])),
        "reference_cpu_steps_per_s": round(_median(cpu_rates["reference"])),
        "bit_identical_to_reference": bool(identical),
        "steps": steps,
        "repeats": repeats,
    }


# ---- activations -----------------------------------------------------------------------------
def bench_activations(size: int = 1_000_000, repeats: int = 7) -> dict:
    from helpers import activations

    z = np.random.default_rng(0).normal(0.0, 4.0, size)
    results = {}
    rows = [("numpy exp (yardstick)", np.exp, None)]
    for name in activations.names():
        act = activations.get(name)
        rows.append((name, act, act.derivative))
    for name, value, derivative in rows:
        times = {"value": [], "derivative": [], "value_cpu": [], "derivative_cpu": []}
        for _ in range(repeats):
            for kind, fn in (("value", value), ("derivative", derivative)):
                if fn is None:
                    continue
                start, cpu = time.perf_counter(), time.process_time()
                fn(z)
                scale = 1e3 * 1_000_000 / size
                times[kind].append((time.perf_counter() - start) * scale)
                times[kind + "_cpu"].append((time.process_time() - cpu) * scale)
        results[name] = {
            "value_ms_per_million": round(_median(times["value"]), 2),
            "derivative_ms_per_million": round(_median(times["derivative"]), 2)
            if times["derivative"]
            else None,
            "value_cpu_ms_per_million": round(_median(times["value_cpu"]), 2),
            "derivative_cpu_ms_per_million": round(_median(times["derivative_cpu"]), 2)
            if times["derivative"]
            else None,
        }
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
            "helpers_ms": round(_median(times["helpers"]), 2),
            "pillow_ms": round(_median(times["pillow"]), 2),
            "helpers_kb": round(sizes["helpers"] / 1024, 1),
            "pillow_kb": round(sizes["pillow"] / 1024, 1),
        }
        print(f"  {name:22s} {results[name]}", flush=True)
    return results


# ---- report ----------------------------------------------------------------------------------
def machine() -> dict:
    import matplotlib

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "when_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
    }


def targets_met(results: dict) -> dict:
    met = {}
    if "notebooks" in results:
        met["course <= 60 s"] = results["notebooks_total_s"] <= TARGETS["course_s"]
        met["every notebook <= 15 s"] = all(
            s <= TARGETS["notebook_s"] for s in results["notebooks"].values()
        )
        met["every notebook ran clean"] = not results["notebook_errors"]
    if "widgets" in results:
        w = results["widgets"]
        met["every widget median <= 25 ms"] = all(
            r["median_ms"] <= TARGETS["widget_median_ms"] for r in w.values()
        )
        met["every control's own median <= 25 ms (stricter than the issue's target)"] = all(
            ms <= TARGETS["widget_median_ms"]
            for r in w.values()
            for ms in r["by_control_median_ms"].values()
        )
        met["every widget >= 2x faster than naive"] = all(
            (r["speedup"] or 0) >= TARGETS["widget_speedup"] for r in w.values()
        )
    if "trainer" in results:
        met["trainer >= 10,000 steps/s"] = (
            results["trainer"]["steps_per_s"] >= TARGETS["trainer_steps_per_s"]
        )
    return met


def table(results: dict) -> str:
    """The results as a Markdown table (what the README's Performance section shows)."""
    lines = []
    if "widgets" in results:
        lines += [
            "| widget | median update (ms) | p90 (ms) | naive redraw (ms) | speed-up "
            "| slowest control: its median (ms) |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for name, r in results["widgets"].items():
            by_control = r["by_control_median_ms"]
            slowest = max(by_control, key=by_control.get) if by_control else None
            lines.append(
                f"| {name} | {r['median_ms']:.1f} | {r['p90_ms']:.1f} | "
                f"{r['naive_median_ms']:.1f} | {r['speedup']:.1f}x | "
                + (f"{slowest}: {by_control[slowest]:.1f} |" if slowest else " |")
            )
        lines.append("")
    if "png" in results:
        lines += [
            "| widget's figure | pixels | PNG, helpers (ms) | PNG, Pillow (ms) | helpers (KB) "
            "| Pillow (KB) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, r in results["png"].items():
            lines.append(
                f"| {name} | {r['pixels']} | {r['helpers_ms']:.1f} | {r['pillow_ms']:.1f} | "
                f"{r['helpers_kb']:.0f} | {r['pillow_kb']:.0f} |"
            )
        lines.append("")
    if "notebooks" in results:
        cpu = results.get("notebooks_kernel_cpu_s", {})
        lines += [
            "| notebook (fresh kernel) | wall seconds | kernel CPU seconds |",
            "|---|---:|---:|",
        ]
        for name, s in results["notebooks"].items():
            lines.append(f"| {name} | {s:.1f} | {cpu.get(name, float('nan')):.1f} |")
        total_cpu = results.get("notebooks_kernel_cpu_total_s", float("nan"))
        lines += [
            f"| **whole course** | **{results['notebooks_total_s']:.1f}** | **{total_cpu:.1f}** |",
            "",
        ]
    if "trainer" in results:
        t = results["trainer"]
        lines += [
            "| trainer, MLP([2, 16, 16, 1], tanh), 200 points, full batch | steps/s |",
            "|---|---:|",
            f"| now | {t['steps_per_s']:,} |",
            f"| before the optimisation (same run, interleaved) | {t['reference_steps_per_s']:,} |",
            "",
        ]
    if "activations" in results:
        lines += [
            "| activation | value (ms per million) | derivative (ms per million) |",
            "|---|---:|---:|",
        ]
        for name, r in results["activations"].items():
            d = r["derivative_ms_per_million"]
            lines.append(
                f"| {name} | {r['value_ms_per_million']:.1f} | {'' if d is None else f'{d:.1f}'} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="notebooks,widgets,trainer,activations,png")
    parser.add_argument("--changes", type=int, default=40, help="control changes per widget")
    parser.add_argument("--widgets", default="", help="comma-separated widget names")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    os.chdir(ROOT)
    results: dict = {"machine": machine()}
    if "widgets" in parts:
        print("widgets (one update = compute + in-place redraw + PNG):", flush=True)
        results["widgets"] = bench_widgets(
            max(args.changes, 30), [w for w in args.widgets.split(",") if w] or None
        )
    if "trainer" in parts:
        print("trainer:", flush=True)
        results["trainer"] = bench_trainer()
        results["trainer_steps_per_s"] = results["trainer"]["steps_per_s"]
        print(f"  {results['trainer']}", flush=True)
    if "activations" in parts:
        print("activations:", flush=True)
        results["activations"] = bench_activations()
    if "png" in parts:
        print("PNG encoding of each widget's figure (helpers' encoder, Pillow level 1):")
        results["png"] = bench_png()
    if "notebooks" in parts:
        print("notebooks (fresh kernel each, run one after the other):", flush=True)
        paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
        nb = bench_notebooks(paths)
        results["notebooks"] = nb["seconds"]
        results["notebooks_total_s"] = nb["total_s"]
        results["notebooks_kernel_cpu_s"] = nb["cpu_seconds"]
        results["notebooks_kernel_cpu_total_s"] = nb["cpu_total_s"]
        results["notebook_errors"] = nb["errors"]
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = TARGETS
    results["targets_met"] = targets_met(results)
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print()
    for target, ok in results["targets_met"].items():
        print(f"  {'met   ' if ok else 'MISSED'}  {target}")
    print(
        f"\nload average: start {results['machine']['load_average_at_start']}, "
        f"end {results['machine']['load_average_at_end']} ({os.cpu_count()} cores)"
    )
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
