"""LiveFigure redraws only what changed; these tests prove the picture is still exact.

After every update, the pixels a partial redraw produced (and the PNG sent to the browser)
must equal those of a full draw of the same figure: for every registered widget driven through
its controls, and for hand-made figures that exercise each case (data under a legend, changed
limits, a new or removed artist, a changed title, overlapping axes)."""

import io

import ipywidgets as ipw
import numpy as np
import PIL.Image
import pytest
from matplotlib.figure import Figure

from helpers.widgets import registry
from helpers.widgets.base import CourseWidget, LiveFigure, png_bytes

BUILDERS = registry()


def values_for(control, rng, count):
    """`count` random values a person could set on a control."""
    if isinstance(control, ipw.FloatLogSlider):
        return [float(control.base ** rng.uniform(control.min, control.max)) for _ in range(count)]
    if isinstance(control, ipw.FloatSlider):
        return [float(rng.uniform(control.min, control.max)) for _ in range(count)]
    if isinstance(control, ipw.IntSlider):
        return [int(rng.integers(control.min, control.max + 1)) for _ in range(count)]
    if isinstance(control, ipw.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [tuple(options[: int(rng.integers(1, len(options) + 1))]) for _ in range(count)]
    if isinstance(control, ipw.Checkbox | ipw.ToggleButton):
        return [bool(rng.integers(2)) for _ in range(count)]
    options = getattr(control, "options", None)
    if options and hasattr(control, "value"):
        options = [o[1] if isinstance(o, tuple) else o for o in options]
        return [options[int(rng.integers(len(options)))] for _ in range(count)]
    return []


def shown_and_full(live: LiveFigure) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of the PNG last sent, and those of a full draw of the figure as it is."""
    shown = np.asarray(PIL.Image.open(io.BytesIO(live.image.value)).convert("RGBA"))
    live.canvas.draw()
    full = np.asarray(live.canvas.buffer_rgba()).copy()
    live._remember_drawn()  # the test's own draw is not a change the widget made
    return shown, full


def assert_same(shown, full, what):
    differ = np.argwhere((shown != full).any(axis=2))
    assert differ.size == 0, (
        f"{what}: {len(differ)} pixels differ from a full draw, e.g. {differ[:3]}"
    )


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_widget_shows_exactly_what_a_full_draw_shows(name):
    widget = BUILDERS[name]()
    rng = np.random.default_rng(0)
    movable = [k for k, c in widget.controls.items() if values_for(c, rng, 1)]
    # mostly drags of one slider at a time (the partial path), with jumps between controls
    for step in range(24):
        key = movable[int(rng.integers(len(movable)))] if step % 4 == 0 else movable[-1]
        control = widget.controls[key]
        control.value = values_for(control, rng, 1)[0]
        assert widget.last_error is None, widget.message.value
        shown, full = shown_and_full(widget.live)
        assert_same(shown, full, f"{name} after {key}={control.value!r}")
    widget.close()


def test_a_slider_drag_draws_only_the_changes():
    widget = BUILDERS["environment_check"]()
    full_before = widget.live.full_draws
    for k in np.linspace(0.2, 5.0, 25):
        widget.controls["steepness"].value = round(float(k), 1)
    assert widget.live.renders >= 25
    assert widget.live.full_draws - full_before <= 2  # the first change saves the background


class Playground(CourseWidget):
    """A two-panel figure whose update does whatever the test sets in `self.action`."""

    def __init__(self) -> None:
        fig = Figure(figsize=(6, 3), layout="constrained")
        self.ax, self.ax2 = fig.subplots(1, 2)
        self.z = np.linspace(-3, 3, 200)
        (self.line,) = self.ax.plot(self.z, np.tanh(self.z), label="tanh")
        self.ax.legend(loc="center")  # the legend sits on top of the line
        self.ax.set_title("start")
        self.bars = self.ax2.bar([1, 2, 3], [1, 2, 3])
        self.image = self.ax2.imshow(np.zeros((4, 4)), extent=(0.5, 3.5, 0, 3), alpha=0.5)
        self.ax2.set_aspect("auto")
        self.action = lambda w, k: None
        super().__init__({"k": ipw.FloatSlider(value=1.0, min=0.1, max=5.0)}, fig)

    def update(self) -> str:
        k = self.controls["k"].value
        self.line.set_ydata(np.tanh(k * self.z))
        self.action(self, k)
        return f"k = {k}"


ACTIONS = {
    "data only, under a legend": lambda w, k: None,
    "bars and an image": lambda w, k: (
        w.bars[0].set_height(k),
        w.image.set_data(np.full((4, 4), k)),
    ),
    "limits change": lambda w, k: w.ax.set_ylim(-k, k),
    "limits change after data-only changes": lambda w, k: w.ax.set_ylim(-k, k) if k > 2.9 else None,
    "the other panel's data change after a while": lambda w, k: (
        w.bars[1].set_height(k) if k > 2.9 else None
    ),
    "title changes": lambda w, k: w.ax.set_title(f"k = {k:.2f}"),
    "a text appears in the other axes": lambda w, k: w.ax2.text(1, k % 3, f"{k:.1f}"),
    "an artist comes and goes": lambda w, k: (
        [t.remove() for t in list(w.ax.texts)],
        w.ax.text(0, 0, f"{k:.2f}"),
    ),
    "the legend changes": lambda w, k: w.ax.legend([f"k={k:.1f}"], loc="upper left"),
    "the static panel changes": lambda w, k: w.ax2.set_xlim(0, 3 + k),
}


@pytest.mark.parametrize("case", sorted(ACTIONS))
def test_each_kind_of_change_gives_the_full_draw_pixels(case):
    widget = Playground()
    widget.action = ACTIONS[case]
    for k in (1.5, 2.0, 0.5, 3.0, 3.0001, 4.5):
        widget.controls["k"].value = k
        assert widget.last_error is None, widget.message.value
        shown, full = shown_and_full(widget.live)
        assert_same(shown, full, f"{case}, k={k}")


def test_an_overlapping_later_axes_forces_a_full_draw_and_stays_exact():
    widget = Playground()
    inset = widget.figure.add_axes((0.2, 0.3, 0.2, 0.3))  # over the line, drawn after it
    inset.plot([0, 1], [1, 0])
    widget.controls["k"].value = 2.0
    full_before = widget.live.full_draws
    for k in (2.5, 3.0, 3.5):
        widget.controls["k"].value = k
        shown, full = shown_and_full(widget.live)
        assert_same(shown, full, f"inset, k={k}")
    assert widget.live.full_draws - full_before == 3


@pytest.mark.parametrize("channels", [3, 4])
def test_png_bytes_decode_to_the_same_pixels(channels):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(37, 53, channels), dtype=np.uint8)
    pixels[:10] = 255  # a flat band, as figures have, next to noise
    decoded = PIL.Image.open(io.BytesIO(png_bytes(pixels)))
    assert decoded.mode == {3: "RGB", 4: "RGBA"}[channels]
    assert np.array_equal(np.asarray(decoded), pixels)


def test_an_opaque_figure_is_sent_as_rgb_a_transparent_one_as_rgba():
    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([0, 1], [1, 0])
    live = LiveFigure(figure)
    live.render()
    assert PIL.Image.open(io.BytesIO(live.image.value)).mode == "RGB"
    figure.patch.set_alpha(0.0)
    live.render()
    shown = PIL.Image.open(io.BytesIO(live.image.value))
    assert shown.mode == "RGBA" and np.asarray(shown)[0, 0, 3] == 0
