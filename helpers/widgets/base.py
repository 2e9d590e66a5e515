"""What every course widget shares: a figure rendered to PNG in place, and errors shown in place."""

from __future__ import annotations

import base64
import html
import importlib
import pkgutil
import traceback
import zlib
from collections.abc import Callable

import ipywidgets as ipw
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from traitlets import Unicode

from helpers.style import alt_text, describe, description, figure_scale


class DescribedImage(ipw.Image):
    """An image whose `tooltip` is its text alternative: the <img>'s title, which screen readers
    read as its name. ipywidgets 8.1's view reads `description` when it sets a tooltip and fails
    on a widget without one (jupyter-widgets/ipywidgets#3860), so this one has an empty one."""

    description = Unicode("").tag(sync=True)


class StaticText:
    """For a widget class: a notebook read without a kernel (on GitHub, in nbviewer, before Run
    All) shows `static_text` (Markdown) in the widget's place. tools/strip_widget_views.py keeps
    it, and nothing else of the widget, when a notebook is committed."""

    static_text = ""

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/markdown"] = self.static_text
        return bundle


class LiveFigure:
    """One matplotlib figure shown in an `ipywidgets.Image`, redrawn with matplotlib's
    blitting API (https://matplotlib.org/stable/users/explain/animations/blitting.html).

    A widget marks the artists its updates change as animated (`artist.set_animated(True)`):
    a draw of the figure leaves them out. `render` draws the rest (the static part) and saves
    it only when it changed: an artist that is not animated propagates its `stale` flag up to
    the figure, an animated one does not. Otherwise it restores the saved picture. Then it
    draws the animated artists on top, axes by axes in z-order, and sends the PNG. The layout
    found on the first render is kept, so that a changing text never moves the axes.
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self.image = DescribedImage(
            format="png", layout=ipw.Layout(max_width="100%", height="auto")
        )
        self._background = None
        self._size: tuple = ()

    def render(self) -> None:
        """Draw the figure and send the new PNG to the browser."""
        figure, canvas = self.figure, self.canvas
        size = (canvas.get_width_height(physical=True), figure.dpi)
        if self._background is None or figure.stale or size != self._size:
            canvas.draw()  # every artist that is not animated
            figure.set_layout_engine("none")  # from now on, keep the layout of the first draw
            self._background = canvas.copy_from_bbox(figure.bbox)
            self._size = size
        else:
            canvas.restore_region(self._background)
        for artist in animated_artists(figure):
            figure.draw_artist(artist)
        self.image.value = self.png()

    def png(self) -> bytes:
        """The canvas as PNG bytes; an opaque figure is sent as RGB, a quarter fewer bytes."""
        pixels = np.asarray(self.canvas.buffer_rgba())
        patch = self.figure.patch
        if patch.get_visible() and patch.get_facecolor()[3] == 1.0:
            pixels = pixels[..., :3]
        return png_bytes(pixels)


def animated_artists(figure: Figure) -> list[Artist]:
    """The figure's animated artists in drawing order: axes by axes, each in z-order."""
    found = []
    for child in sorted(figure.get_children(), key=lambda a: a.get_zorder()):
        if isinstance(child, Axes):
            own = (a for a in child.get_children() if a.get_animated())
            found += sorted(own, key=lambda a: a.get_zorder())
        elif child.get_animated():
            found.append(child)
    return found


def png_bytes(pixels: np.ndarray) -> bytes:
    """An (height, width, 3 or 4) uint8 RGB(A) array as a PNG file.

    Every row unfiltered, then zlib at level 1: a figure's flat colours compress as well that
    way as with Pillow's adaptive filters, in less than half the time (benchmarks/run.py
    --only png).
    """
    height, width, channels = pixels.shape
    rows = np.empty((height, 1 + width * channels), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) for every row
    rows[:, 1:] = pixels.reshape(height, -1)
    header = np.array([width, height], dtype=">u4").tobytes()
    header += bytes([8, {3: 2, 4: 6}[channels], 0, 0, 0])  # 8 bits, RGB or RGBA, no interlace

    def chunk(kind: bytes, body: bytes) -> bytes:
        size = len(body).to_bytes(4, "big")
        return size + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def error_html(exc: BaseException) -> str:
    """A friendly in-place message for an error raised while a widget updates."""
    details = html.escape("".join(traceback.format_exception(exc)[-3:]))
    return (
        "<div style='color:#B00020'><b>Something went wrong while updating this view:</b> "
        f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}"
        f"<details><summary>details</summary><pre>{details}</pre></details></div>"
    )


class CourseWidget(ipw.VBox):
    """Controls, one live figure, a readout and an error line. Subclasses implement `update`,
    which changes the figure's artists in place and returns the readout's HTML (LaTeX allowed);
    the artists it changes on most updates are marked animated (see `LiveFigure`). Every
    change of a control's value calls `refresh`."""

    figure_text = ""  # the figure in words: its alt text (see helpers.style.describe)

    def __init__(
        self, controls: dict[str, ipw.Widget], figure: Figure, layout: str = "row"
    ) -> None:
        self.controls = controls
        # In projector mode the figure grows with its fonts: the same layout, larger pixels
        figure.set_size_inches(figure.get_size_inches() * figure_scale())
        self.live = LiveFigure(figure)
        self.readout = ipw.HTMLMath()
        self.message = ipw.HTML()
        self.last_error: BaseException | None = None
        for control in controls.values():
            if hasattr(control, "value"):
                control.observe(self.refresh, names="value")
        # The controls keep their width. In a row, the figure takes the rest of it, or the whole
        # next line when less than 30em is left (projector mode's larger controls), scaled to fit.
        panel = ipw.VBox(list(controls.values()), layout=ipw.Layout(flex="none"))
        view = ipw.VBox([self.readout, self.live.image], layout=ipw.Layout(min_width="0"))
        if layout == "row":
            view.layout = ipw.Layout(flex="1 1 0", min_width="min(100%, 30em)")
            main = ipw.HBox([panel, view], layout=ipw.Layout(flex_flow="row wrap"))
        else:
            main = ipw.VBox([panel, view])
        super().__init__([main, self.message])
        # Stable CSS hooks so the browser tests (tests/browser) find each part of any widget.
        self.add_class("course-widget")
        self.add_class(f"course-widget--{type(self).__name__}")
        self.readout.add_class("course-readout")
        self.message.add_class("course-message")
        self.live.image.add_class("course-figure")
        for key, control in controls.items():
            if isinstance(control, ipw.DOMWidget):
                control.add_class("course-control")
                control.add_class(f"course-control--{key}")
        self.refresh()
        if description(figure) is None and self.figure_text:
            describe(figure, self.figure_text)
        self.live.image.tooltip = alt_text(figure)  # the picture's text alternative

    def _repr_mimebundle_(self, **kwargs) -> tuple[dict, dict]:
        """The live widget and, for a notebook read without a kernel (on GitHub, in nbviewer,
        before Run All), a picture of its current state and a line on how to use it. When a
        notebook is committed, tools/strip_widget_views.py keeps only those two."""
        bundle = super()._repr_mimebundle_(**kwargs)
        names = [getattr(c, "description", "") or key for key, c in self.controls.items()]
        bundle["image/png"] = base64.b64encode(self.live.image.value).decode("ascii")
        bundle["text/markdown"] = (
            "*A live widget, shown here as a picture of how it starts. Run this cell to use "
            f"its controls: {', '.join(n.rstrip(':') for n in names)}.*"
        )
        return bundle, {"image/png": {"alt": self.live.image.tooltip}}

    @property
    def figure(self) -> Figure:
        return self.live.figure

    def update(self) -> str | None:
        """Change the figure for the current control values; return the readout HTML."""
        raise NotImplementedError

    def refresh(self, change: object = None) -> None:
        """Run `update` and redraw; an error becomes a message in the widget, never a traceback
        in a log console."""
        try:
            readout = self.update()
            if readout is not None:
                self.readout.value = readout
            self.live.render()
            self.message.value = ""
            self.last_error = None
        except Exception as exc:  # shown to the learner in place, by design
            self.last_error = exc
            self.message.value = error_html(exc)


_BUILDERS: dict[str, Callable[[], CourseWidget]] = {}


def register(name: str) -> Callable[[Callable[..., CourseWidget]], Callable[..., CourseWidget]]:
    """Record a widget builder (callable with no arguments) under `name`."""

    def decorate(builder: Callable[..., CourseWidget]) -> Callable[..., CourseWidget]:
        _BUILDERS[name] = builder
        return builder

    return decorate


def registry() -> dict[str, Callable[[], CourseWidget]]:
    """Every widget builder of the course, by name (imports every widget module first)."""
    import helpers.widgets as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"helpers.widgets.{module.name}")
    return dict(_BUILDERS)
