"""Memory: control changes on every registered widget leave no extra open figure, no extra
artist in the widget's figure and, over many changes, the process no more than 5 MB bigger.

The changes cycle through a fixed, periodic sequence of values (every control, over its whole
range), so one period after the warm-up the widget shows the same view, and anything that grew,
grew because something leaked. Each check is sized to what it must prove:
- a figure or an artist leaked per change shows in the exact counts after one period (50
  changes): that test is in the unit suite;
- memory needs many changes, because resident memory moves by up to about 2 MB on its own (the
  allocator's arenas; seen here after 100 changes of the network builder): a leaked PNG (about
  50 KB a change) or anything bigger than 25 KB a change passes the 5 MB line within 200. That
  soak test takes about 40 s, so it runs in `make test-soak` (CI runs it), not `make test-unit`.
  COURSE_MEMORY_CHANGES=N runs N changes instead (a multiple of 50), to hunt smaller leaks.
"""

import gc
import math
import os
from pathlib import Path

import ipywidgets as ipw
import matplotlib.pyplot as plt
import pytest

from helpers.widgets import registry
from helpers.widgets.controls import Slider

BUILDERS = registry()
CHANGES = int(os.environ.get("COURSE_MEMORY_CHANGES", "200"))
PERIOD = 50  # the value sequence repeats every PERIOD changes (CHANGES is a multiple of it)
MAX_GROWTH_MB = 5.0
STATM = Path("/proc/self/statm")


def rss_mb() -> float:
    """This process's resident memory now (not its peak), in MB."""
    resident_pages = int(STATM.read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def cycle_values(control, count: int) -> list:
    """`count` values spread over a control's range (or its options), first to last."""
    if isinstance(control, Slider):
        span = control.max - control.min
        positions = [control.min + span * i / max(count - 1, 1) for i in range(count)]
        if control.integer:
            return [round(p) for p in positions]
        return [10.0**p for p in positions] if control.log else positions
    if isinstance(control, ipw.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [tuple(options[: i % len(options) + 1]) for i in range(count)]
    if isinstance(control, ipw.Checkbox | ipw.ToggleButton):
        return [bool(i % 2) for i in range(count)]
    options = getattr(control, "options", None)
    if options and hasattr(control, "value"):
        options = [o[1] if isinstance(o, tuple) else o for o in options]
        return [options[i % len(options)] for i in range(count)]
    return []


def change_plan(widget) -> list[tuple[str, object]]:
    """One period of (control, value) changes, the controls taking turns."""
    movable = {k: c for k, c in widget.controls.items() if cycle_values(c, 2)}
    per_control = math.ceil(PERIOD / len(movable))
    values = {k: cycle_values(c, per_control) for k, c in movable.items()}
    plan = [(k, values[k][i]) for i in range(per_control) for k in movable]
    return plan[:PERIOD]


def count_artists(figure) -> int:
    return sum(len(ax.get_children()) for ax in figure.axes) + len(figure.get_children())


def run(widget, plan, changes: int) -> None:
    for i in range(changes):
        key, value = plan[i % len(plan)]
        widget.controls[key].value = value
        assert widget.last_error is None, f"{key}={value!r}: {widget.message.value}"


def test_rss_is_measured_not_peak():
    before = rss_mb()
    block = bytearray(64 * 2**20)  # touch 64 MB
    block[::4096] = b"x" * len(block[::4096])
    during = rss_mb()
    del block
    gc.collect()
    assert during - before > 50  # the measurement sees memory being used...
    assert rss_mb() < during - 50  # ...and given back, so it is the current size, not the peak


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_period_of_changes_leaves_no_figure_or_artist_behind(name):
    figures_before = len(plt.get_fignums())
    widget = BUILDERS[name]()
    plan = change_plan(widget)
    run(widget, plan, PERIOD)  # every control set once: the view the period comes back to
    artists_before = count_artists(widget.figure)
    run(widget, plan, PERIOD)
    assert len(plt.get_fignums()) == figures_before, "a figure was left open in pyplot"
    assert count_artists(widget.figure) == artists_before, "artists pile up in the figure"
    widget.close()


@pytest.mark.soak
@pytest.mark.skipif(not STATM.exists(), reason="needs /proc/self/statm (Linux)")
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_many_changes_leak_no_memory(name, count_calls):
    widget = BUILDERS[name]()
    plan = change_plan(widget)
    assert len(plan) == PERIOD and CHANGES % PERIOD == 0
    run(widget, plan, 2 * PERIOD)  # warm-up: caches, fonts, the saved background
    gc.collect()
    rss_before = rss_mb()
    renders = count_calls(widget.live, "render")

    run(widget, plan, CHANGES)
    gc.collect()

    assert len(renders) >= CHANGES * 0.9  # the changes did redraw
    growth = rss_mb() - rss_before
    assert growth < MAX_GROWTH_MB, f"{name}: the process grew by {growth:.1f} MB"
    widget.close()
