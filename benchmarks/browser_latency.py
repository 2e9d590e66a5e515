"""What the learner feels: in JupyterLab in Chromium, the time from a key press on a widget's
slider to its new image painted, for every course widget and, beside it in the same notebook
and the same run, a plain `ipywidgets.interact` version of the same view.

The interact version is what a learner would write: the same controls, a function that computes
the view and shows it as a new inline figure in the interact's Output widget (a copy of the
course widget's figure after `update()`, standing for re-plotting; the inline backend's PNG
with a tight bounding box). The dead-ReLU lab's function trains the whole run first, as a plain
function must; the lab itself shows the run's start at once and the rest as it trains, and its
time is to that first image. Key presses alternate between the two versions of a widget, so
both are measured under the same load.

A press is timed in the page, on one clock: from the keydown event to the first animation
frame after the new image (a new `src`) has been decoded, i.e. painted.
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

# the slider a learner drags in each widget: one whose every step changes the picture
SLIDERS = {
    "boundary_trainer": "width",
    "dead_relu_lab": "bias_shift",
    "environment_check": "steepness",
    "error_signal": "scale",
    "gradient_meter": "depth",
    "network_builder": "width",
    "neuron": "w1",
    "zoo_explorer": "z",
}

SETUP = '''\
import copy
import ipywidgets as ipw
from IPython.display import display
import helpers
from helpers.widgets import registry
from helpers.widgets.controls import Slider

helpers.setup()


def plain(control):
    """The ipywidgets control a plain interact has in place of a course control."""
    if not isinstance(control, Slider):
        return control
    kind = ipw.IntSlider if control.integer else ipw.FloatSlider
    kind = ipw.FloatLogSlider if control.log else kind
    return kind(value=control.value, min=control.min, max=control.max, step=control.step,
                description=control.description, continuous_update=control.continuous_update,
                readout_format=control.readout_format)


def as_interact(name):
    """The same view as a plain interact: the same controls, a new inline figure per change."""
    model = registry()[name]()
    for control in model.controls.values():  # the model computes; it shows nothing itself
        if hasattr(control, "value"):
            control.unobserve(model.refresh, names="value")

    def show(**values):
        for key, value in values.items():
            model.controls[key].value = value
        model.update()
        if hasattr(model, "run_to_end"):  # the dead-ReLU lab: a plain function trains it all
            model.run_to_end()
        display(copy.deepcopy(model.figure))  # a new figure, drawn by the inline backend

    controls = {k: plain(c) for k, c in model.controls.items() if hasattr(c, "value")}
    box = ipw.interactive(show, **controls)
    box.add_class(f"bench-interact--{name}")
    return box
'''

ARM = """([selector, timeout]) => {
    const box = document.querySelector(selector);
    const seen = new Set([...box.querySelectorAll('img')].map(i => i.src));
    window.__benchT0 = null;
    document.addEventListener('keydown', () => { window.__benchT0 = performance.now(); },
                              {capture: true, once: true});
    window.__benchResult = new Promise(resolve => {
        const done = (value) => { observer.disconnect(); clearTimeout(timer); resolve(value); };
        const look = () => {
            const img = [...box.querySelectorAll('img')].find(i => i.src && !seen.has(i.src));
            if (!img) return;
            seen.add(img.src);
            const t0 = () => window.__benchT0;
            img.decode().catch(() => null).then(() => requestAnimationFrame(
                () => done(t0() === null ? null : performance.now() - t0())));
        };
        const observer = new MutationObserver(look);
        observer.observe(box, {subtree: true, childList: true, attributes: true,
                               attributeFilter: ['src']});
        const timer = setTimeout(() => done(null), timeout);
    });
}"""


def _notebook(names: list[str]) -> dict:
    cells = [SETUP]
    for name in names:
        cells.append(f"registry()[{name!r}]()")
        cells.append(f"as_interact({name!r})")
    return {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": c,
                "outputs": [],
                "execution_count": None,
            }
            for c in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _press(page, slider, selector: str, key: str, timeout_ms: int = 5000) -> float | None:
    """Press `key` on the slider's handle; milliseconds until the new image in `selector` was
    painted (None if none came)."""
    handle = slider.locator(".noUi-handle, input[type=range]").first  # ipywidgets', the course's
    handle.focus()
    page.evaluate(ARM, [selector, timeout_ms])
    page.keyboard.press(key)
    return page.evaluate("() => window.__benchResult")


def _slider(container, label: str):
    """The slider in a widget whose label reads `label`."""
    sliders = container.locator(".widget-slider, .course-slider")
    for i in range(sliders.count()):
        if sliders.nth(i).locator(".widget-label, label").first.inner_text().strip() == label:
            return sliders.nth(i)
    raise LookupError(f"no slider labelled {label!r}")


def bench_browser(presses: int = 12, names: list[str] | None = None) -> dict:
    """Median and p90 milliseconds from key press to painted image, per widget, course widget
    and interact version side by side."""
    import lab_driver as lab
    from playwright.sync_api import sync_playwright

    from helpers.widgets import registry

    if not lab.chromium_available():
        return {"skipped": lab.INSTALL_HINT}
    names = [n for n in sorted(registry()) if n in SLIDERS and (not names or n in names)]
    labels = {n: registry()[n]().controls[SLIDERS[n]].description for n in names}
    base = Path(tempfile.mkdtemp(prefix="course-bench-"))
    server = lab.LabServer(base, lab.free_port(), secrets.token_hex(16))
    server.start()
    results: dict = {}
    try:
        (server.root / "bench_latency.ipynb").write_text(json.dumps(_notebook(names)))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(lab.CHROMIUM), args=lab.CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            lab.open_notebook(page, server, "bench_latency.ipynb")
            lab.run_all(page)
            time.sleep(1.0)
            for name in names:
                cls = type(registry()[name]()).__name__
                course = page.locator(f".course-widget--{cls}").first
                interact = page.locator(f".bench-interact--{name}").first
                targets = {
                    "course_widget": (_slider(course, labels[name]), f".course-widget--{cls}"),
                    "interact": (_slider(interact, labels[name]), f".bench-interact--{name}"),
                }
                times: dict[str, list] = {k: [] for k in targets}
                for i in range(presses + 2):  # two warm-up presses
                    key = "ArrowRight" if (i // 3) % 2 == 0 else "ArrowLeft"
                    for variant, (slider, selector) in targets.items():
                        slider.scroll_into_view_if_needed()
                        ms = _press(page, slider, selector, key)
                        if i >= 2:
                            times[variant].append(ms)
                results[name] = {variant: _summary(ms) for variant, ms in times.items()}
                print(f"  {name:22s} {_line(results[name])}", flush=True)
            browser.close()
    finally:
        server.stop()
    return results


def _line(result: dict) -> str:
    def ms(value) -> str:
        return "  none" if value is None else f"{value:6.0f}"

    c, n = result["course_widget"], result["interact"]
    return (
        f"course widget median {ms(c['median_ms'])} ms, p90 {ms(c['p90_ms'])} | "
        f"interact median {ms(n['median_ms'])} ms, p90 {ms(n['p90_ms'])}"
    )


def _summary(values: list) -> dict:
    got = [v for v in values if v is not None]
    return {
        "median_ms": round(float(np.median(got)), 1) if got else None,
        "p90_ms": round(float(np.percentile(got, 90)), 1) if got else None,
        "presses": len(values),
        "no_image": len(values) - len(got),
    }
