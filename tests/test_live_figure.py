"""LiveFigure draws the static part of a figure again only when it changed; these tests prove
the picture is still exact.

After every change, the PNG a widget sent must equal a fresh full draw of its figure as it is
now (every static artist, then the animated ones, axes by axes in z-order): a saved picture
that should have been drawn again (a stale background) shows as pixels that differ.
"""

import ast
import io
from pathlib import Path

import ipywidgets as ipw
import numpy as np
import PIL.Image
import pytest
from matplotlib.figure import Figure

from helpers.widgets import registry
from helpers.widgets.base import CourseWidget, LiveFigure, png_bytes
from helpers.widgets.controls import Slider

BUILDERS = registry()
HELPERS = Path(__file__).resolve().parent.parent / "helpers"


def random_value(control, rng):
    """A value a person could set on a control, or None for one without a value."""
    if isinstance(control, Slider):
        position = rng.uniform(control.min, control.max)
        if control.integer:
            return int(rng.integers(int(control.min), int(control.max) + 1))
        return float(10.0**position if control.log else position)
    if isinstance(control, ipw.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return tuple(rng.choice(options, size=int(rng.integers(0, 4)), replace=False))
    if isinstance(control, ipw.Checkbox):
        return not control.value
    options = getattr(control, "options", None)
    if options and hasattr(control, "value"):
        options = [o[1] if isinstance(o, tuple) else o for o in options]
        return options[int(rng.integers(len(options)))]
    return None


def fresh_draw(figure: Figure) -> np.ndarray:
    """The figure drawn from scratch: the static part, then each axes' animated artists in
    z-order (the order blitting draws them in), as RGBA pixels."""
    canvas = figure.canvas
    canvas.draw()
    for ax in sorted(figure.axes, key=lambda a: a.get_zorder()):
        animated = [a for a in ax.get_children() if a.get_animated()]
        for artist in sorted(animated, key=lambda a: a.get_zorder()):
            figure.draw_artist(artist)
    return np.asarray(canvas.buffer_rgba()).copy()


def assert_shows_the_figure(live: LiveFigure, what: str) -> None:
    shown = np.asarray(PIL.Image.open(io.BytesIO(live.image.value)).convert("RGBA"))
    differ = np.argwhere((shown != fresh_draw(live.figure)).any(axis=2))
    assert differ.size == 0, (
        f"{what}: {len(differ)} pixels differ from a fresh draw, e.g. {differ[:3]}"
    )


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_after_random_changes_every_widget_shows_a_fresh_draw(name):
    widget = BUILDERS[name]()
    rng = np.random.default_rng(sum(map(ord, name)))
    movable = [k for k, c in widget.controls.items() if random_value(c, rng) is not None]
    assert_shows_the_figure(widget.live, f"{name} as built")
    key = movable[0]
    for step in range(16):
        if step % 3 == 0:  # runs of the same control (a drag), then a jump to another one
            key = movable[int(rng.integers(len(movable)))]
        widget.controls[key].value = random_value(widget.controls[key], rng)
        if hasattr(widget, "train_steps") and step % 4 == 3:  # the training widgets train
            widget.train_steps(20)
        assert widget.last_error is None, widget.message.value
        assert_shows_the_figure(widget.live, f"{name} after {key}={widget.controls[key].value!r}")
    widget.close()


class Playground(CourseWidget):
    """A two-panel figure whose update does whatever the test sets in `self.action`."""

    def __init__(self) -> None:
        fig = Figure(figsize=(6, 3), layout="constrained")
        self.ax, self.ax2 = fig.subplots(1, 2)
        self.z = np.linspace(-3, 3, 200)
        (self.line,) = self.ax.plot(self.z, np.tanh(self.z), label="tanh", animated=True)
        self.ax.legend(loc="center")
        self.ax.set_title("start")
        self.bars = self.ax2.bar([1, 2, 3], [1, 2, 3])
        self.action = lambda w, k: None
        super().__init__({"k": ipw.FloatSlider(value=1.0, min=0.1, max=5.0)}, fig)

    def update(self) -> str:
        k = self.controls["k"].value
        self.line.set_ydata(np.tanh(k * self.z))
        self.action(self, k)
        return f"k = {k}"


ACTIONS = {
    "animated data only": lambda w, k: None,
    "limits change": lambda w, k: w.ax.set_ylim(-k, k),
    "a static bar changes": lambda w, k: w.bars[0].set_height(k),
    "the title changes": lambda w, k: w.ax.set_title(f"k = {k:.2f}"),
    "the legend changes": lambda w, k: w.ax.legend([f"k={k:.1f}"], loc="upper left"),
    "a text appears": lambda w, k: w.ax2.text(1, k % 3, f"{k:.1f}"),
    "the figure grows": lambda w, k: w.figure.set_size_inches(6 + k / 10, 3),
}


@pytest.mark.parametrize("case", sorted(ACTIONS))
def test_each_kind_of_change_shows_a_fresh_draw(case):
    widget = Playground()
    widget.action = ACTIONS[case]
    for k in (1.5, 2.0, 0.5, 3.0, 4.5):
        widget.controls["k"].value = k
        assert widget.last_error is None, widget.message.value
        assert_shows_the_figure(widget.live, f"{case}, k={k}")


def test_a_change_of_animated_artists_only_does_not_draw_the_figure_again():
    widget = BUILDERS["environment_check"]()
    draws = []
    draw = widget.live.canvas.draw
    widget.live.canvas.draw = lambda: (draws.append(1), draw())
    for k in (2.0, 3.0, 4.0):
        widget.controls["steepness"].value = k
    assert draws == []
    widget.figure.axes[0].set_title("changed")  # a static artist: the next render draws all
    widget.controls["steepness"].value = 1.0
    assert draws == [1]


def test_an_error_while_drawing_shows_in_the_widget():
    widget = Playground()
    widget.line.set_animated(False)
    widget.action = lambda w, k: w.line.set_color("not a colour")
    widget.controls["k"].value = 2.0
    assert isinstance(widget.last_error, ValueError)
    assert "not a colour" in widget.message.value


def private_attributes(path: Path) -> list[str]:
    """`x._name` in a file, where x is not self, cls or super() (their attributes are theirs)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            mine = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
            mine |= isinstance(owner, ast.Call) and getattr(owner.func, "id", "") == "super"
            if not node.attr.startswith("__") and not mine:
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
    return found


def test_helpers_use_no_private_attribute_of_other_objects():
    found = [hit for path in sorted(HELPERS.rglob("*.py")) for hit in private_attributes(path)]
    assert found == []


def test_the_private_attribute_check_finds_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(self, ax):\n    return ax._left_title, self._mine, ax.__class__\n")
    assert private_attributes(bad) == ["bad.py:2: ._left_title"]


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
