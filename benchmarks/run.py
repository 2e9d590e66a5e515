"""How fast the course is: `make bench` (or `.venv/bin/python benchmarks/run.py`).

Prints a table and writes benchmarks/results.json with

- "notebooks": wall seconds to execute each notebooks/*.ipynb in a fresh kernel (kernel start
  and shutdown included), one after the other, and their total;
- "widgets": for every registered widget, the cost of one update (set a control's value
  programmatically: the widget computes, draws with blitting and renders the PNG the front
  end receives), over at least 30 control changes, the same number for each control and each
  control moved several times in a row (a slider drag, a walk through a dropdown's options);
  "by_control_median_ms" shows each control's own median and "full_draw_fraction" how often
  an update drew the whole figure. Beside it, measured right after each change: the same
  persistent figure drawn whole (compute, `canvas.draw()`, the animated artists, level-1 PNG),
  and a new figure per change the way a plain `interact` + inline backend draws it (compute,
  tight bounding box, PNG; building the new figure's artists is left out, the copy is made
  outside the timer, so that ratio is a lower bound);
- "browser": what the learner feels, in JupyterLab in Chromium: key press to image painted,
  per widget, beside a plain `interact` version of the same view (benchmarks/browser_latency.py);
- "trainer": full-batch training steps per second of MLP([2, 16, 16, 1], "tanh") on 200 points,
  interleaved with a plain loop over `MLP.gradients` (both must end with the same weights);
- "activations": milliseconds per million elements for each activation's value and derivative;
- "png": for each widget's figure, encoding it as PNG with helpers' own encoder (what every
  update sends) beside Pillow at its fastest setting, interleaved: milliseconds and kilobytes.

Timings on a shared machine are noisy: every figure is a median, compared variants are measured
side by side (interleaved), and the load average is recorded with the results. Each timing is
also taken in CPU seconds of this process, which other processes disturb far less.

Options: --only notebooks,widgets,browser,trainer,activations,png; --changes N (per widget,
default 40); --presses N (per widget in the browser, default 12); --widgets a,b; --output PATH.
"""

from __future__ import annotations

import argparse
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

from benchmarks.widget_timing import bench_png, bench_widgets, median  # noqa: E402

TARGETS = {
    "course_s": 60.0,
    "notebook_s": 15.0,
    "widget_median_ms": 25.0,
    "widget_vs_full_draw": 2.0,
    "widget_vs_naive": 5.0,
    "trainer_steps_per_s": 10_000.0,
}


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


# ---- trainer ---------------------------------------------------------------------------------
def bench_trainer(steps: int = 2000, repeats: int = 7) -> dict:
    """`MLP.train` (full batch) beside the plain loop a notebook would write over the public
    `MLP.gradients` (W -= lr * dW), interleaved; both must end with the same weights."""
    from helpers import MLP, data

    X, y = data.make("moons", 200, seed=0)

    def plain_loop(net) -> None:
        for _ in range(steps):
            dWs, dbs = net.gradients(X, y)
            for W, b, dW, db in zip(net.weights, net.biases, dWs, dbs):
                W -= 0.1 * dW
                b -= 0.1 * db

    rates = {"train": [], "plain": []}
    cpu_rates = {"train": [], "plain": []}
    nets = {}
    for _ in range(repeats):  # interleaved: train, plain, train, ...
        for variant in ("train", "plain"):
            net = MLP([2, 16, 16, 1], "tanh", seed=0)
            wall, cpu = time.perf_counter(), time.process_time()
            if variant == "train":
                net.train(X, y, steps=steps, lr=0.1)
            else:
                plain_loop(net)
            rates[variant].append(steps / (time.perf_counter() - wall))
            cpu_rates[variant].append(steps / max(time.process_time() - cpu, 1e-9))
            nets[variant] = net
    params = {v: net.weights + net.biases for v, net in nets.items()}
    identical = all(np.array_equal(a, b) for a, b in zip(params["train"], params["plain"]))
    return {
        "steps_per_s": round(median(rates["train"])),
        "plain_loop_steps_per_s": round(median(rates["plain"])),
        "cpu_steps_per_s": round(median(cpu_rates["train"])),
        "plain_loop_cpu_steps_per_s": round(median(cpu_rates["plain"])),
        "same_weights_as_plain_loop": bool(identical),
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
            "value_ms_per_million": round(median(times["value"]), 2),
            "derivative_ms_per_million": round(median(times["derivative"]), 2)
            if times["derivative"]
            else None,
            "value_cpu_ms_per_million": round(median(times["value_cpu"]), 2),
            "derivative_cpu_ms_per_million": round(median(times["derivative_cpu"]), 2)
            if times["derivative"]
            else None,
        }
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
        met["every widget >= 2x faster than its figure drawn whole"] = all(
            (r["vs_full_draw"] or 0) >= TARGETS["widget_vs_full_draw"] for r in w.values()
        )
        met["every widget >= 5x faster than a new figure per change"] = all(
            (r["vs_naive"] or 0) >= TARGETS["widget_vs_naive"] for r in w.values()
        )
    if results.get("browser") and "skipped" not in results["browser"]:
        met["in the browser, every widget's median latency below its interact version's"] = all(
            (r["course_widget"]["median_ms"] or math.inf) < (r["interact"]["median_ms"] or math.inf)
            for r in results["browser"].values()
        )
    if "trainer" in results:
        met["trainer >= 10,000 steps/s"] = (
            results["trainer"]["steps_per_s"] >= TARGETS["trainer_steps_per_s"]
        )
        met["trainer ends with the plain loop's weights"] = results["trainer"][
            "same_weights_as_plain_loop"
        ]
    return met


def _ms(value: float | None) -> str:
    return "no image" if value is None else f"{value:.0f}"


def table(results: dict) -> str:
    """The results as a Markdown table (what the README's Performance section shows)."""
    lines = []
    if "widgets" in results:
        lines += [
            "| widget | median update (ms) | p90 (ms) | drawn whole (ms) | ratio "
            "| new figure (ms) | ratio | drew whole | slowest control: its median (ms) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for name, r in results["widgets"].items():
            by_control = r["by_control_median_ms"]
            slowest = max(by_control, key=by_control.get) if by_control else None
            lines.append(
                f"| {name} | {r['median_ms']:.1f} | {r['p90_ms']:.1f} | "
                f"{r['full_draw_median_ms']:.1f} | {r['vs_full_draw']:.1f}x | "
                f"{r['naive_median_ms']:.1f} | {r['vs_naive']:.1f}x | "
                f"{r['full_draw_fraction']:.0%} | "
                + (f"{slowest}: {by_control[slowest]:.1f} |" if slowest else " |")
            )
        lines.append("")
    if results.get("browser") and "skipped" not in results["browser"]:
        lines += [
            "| widget (key press to image painted, Chromium) | course widget: median (ms) "
            "| p90 (ms) | interact version: median (ms) | p90 (ms) |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, r in results["browser"].items():
            variants = (r["course_widget"], r["interact"])
            cells = [v[k] for v in variants for k in ("median_ms", "p90_ms")]
            lines.append(f"| {name} | " + " | ".join(_ms(c) for c in cells) + " |")
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
            f"| `MLP.train` | {t['steps_per_s']:,} |",
            f"| a plain loop over `MLP.gradients` (same run, interleaved) "
            f"| {t['plain_loop_steps_per_s']:,} |",
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
    parser.add_argument("--only", default="notebooks,widgets,browser,trainer,activations,png")
    parser.add_argument("--presses", type=int, default=12, help="key presses per widget")
    parser.add_argument("--changes", type=int, default=40, help="control changes per widget")
    parser.add_argument("--widgets", default="", help="comma-separated widget names")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    os.chdir(ROOT)
    import helpers

    helpers.setup()  # the course style and one BLAS thread, as every notebook's first cell
    results: dict = {"machine": machine()}
    if "widgets" in parts:
        print("widgets (one update = compute + in-place redraw + PNG):", flush=True)
        results["widgets"] = bench_widgets(
            max(args.changes, 30), [w for w in args.widgets.split(",") if w] or None
        )
    if "browser" in parts:
        from benchmarks.browser_latency import bench_browser

        print("browser (key press to image painted; course widget, then interact):", flush=True)
        results["browser"] = bench_browser(
            args.presses, [w for w in args.widgets.split(",") if w] or None
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
