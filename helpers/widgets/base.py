"""What every course widget shares: a figure rendered to PNG in place, and errors shown in place."""

from __future__ import annotations

import html
import importlib
import io
import pkgutil
import traceback
from collections.abc import Callable

import ipywidgets as ipw
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class LiveFigure:
    """One matplotlib figure shown in an `ipywidgets.Image` and redrawn in place.

    The layout is computed on the first render and then frozen, so a redraw costs one Agg draw
    and one PNG encode, and no figure is ever left open in pyplot.
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self.image = ipw.Image(format="png", layout=ipw.Layout(max_width="100%", height="auto"))
        self.renders = 0

    def render(self) -> None:
        """Draw the figure and send the new PNG to the browser."""
        buffer = io.BytesIO()
        self.canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
        if self.renders == 0:
            self.figure.set_layout_engine("none")  # keep the layout the first draw found
        self.image.value = buffer.getvalue()
        self.renders += 1


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
    which changes the figure's artists in place and returns the readout's HTML (LaTeX allowed).
    Every change of a control's value calls `refresh`."""

    def __init__(
        self, controls: dict[str, ipw.Widget], figure: Figure, layout: str = "row"
    ) -> None:
        self.controls = controls
        self.live = LiveFigure(figure)
        self.readout = ipw.HTMLMath()
        self.message = ipw.HTML()
        self.last_error: BaseException | None = None
        for control in controls.values():
            if hasattr(control, "value"):
                control.observe(self.refresh, names="value")
        panel = ipw.VBox(list(controls.values()), layout=ipw.Layout(min_width="300px"))
        body = [panel, ipw.VBox([self.readout, self.live.image])]
        main = ipw.HBox(body) if layout == "row" else ipw.VBox(body)
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
