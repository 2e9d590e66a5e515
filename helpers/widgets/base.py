"""What every course widget shares: a figure rendered to PNG in place, and errors shown in place."""

from __future__ import annotations

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
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Text


class LiveFigure:
    """One matplotlib figure shown in an `ipywidgets.Image` and redrawn in place.

    The layout is computed on the first render and then frozen. After that a render redraws
    only what an update changed, on top of a saved picture of everything else: in an axes
    whose limits, axes or legend stayed put, the data artists the update touched (lines,
    collections, patches, images, texts) and what that axes draws above them; an axes whose
    limits or decorations changed is redrawn whole; the other axes are not drawn at all. Tick
    labels and axis labels, most of the cost of an Agg draw, are drawn again only where they
    can have changed. The PNG is the same, pixel for pixel, as a full draw
    (tests/test_live_figure.py checks every registered widget), and no figure is ever left
    open in pyplot.
    """

    # an axes redrawn whole (its limits changed) goes back to the background after this many
    # renders without a change: 1 measured best while a slider is dragged after a dropdown
    CALM_RENDERS = 1

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self.image = ipw.Image(format="png", layout=ipw.Layout(max_width="100%", height="auto"))
        self.renders = 0
        self.initial_layout = figure.get_layout_engine()  # before render freezes it
        self.full_draws = 0  # renders that drew every artist (the others drew only changes)
        self._dynamic: set[Artist] = set()  # artists some update has changed
        self._whole: dict[Axes, int] = {}  # axes redrawn whole -> renders since it last changed
        self._background = None  # the figure drawn without the layers below
        self._layers: dict[Axes, set[Artist] | None] = {}  # axes -> its artists in the background
        self._later: dict[Axes, list] = {}  # axes -> extents of what the figure draws after it
        self._grids: dict[Axis, list] = {}  # axis held in the background -> its grid lines
        self._gridded: set[Axis] = set()  # the axes whose grid the next background leaves out
        self._axis_boxes: dict[Axis, list] = {}  # axis -> where it draws (ticks, labels)
        self._drawn: dict[Axes, tuple] = {}  # axes -> (its state, its children) when drawn
        self._size: tuple = ()

    def render(self) -> None:
        """Draw the figure and send the new PNG to the browser."""
        if self.renders == 0:
            self._draw_all()
            self.figure.set_layout_engine("none")  # keep the layout the first draw found
        else:
            try:
                self._draw_changes()
            except Exception:  # a case the partial redraw does not know: draw it all
                self._whole, self._dynamic, self._background = {}, set(), None
                self._draw_all()
        self.image.value = self.png()
        self._remember_drawn()
        self.renders += 1

    def png(self) -> bytes:
        """The canvas as PNG bytes; an opaque figure is sent as RGB, a quarter fewer bytes."""
        pixels = np.asarray(self.canvas.buffer_rgba())
        patch = self.figure.patch
        if patch.get_visible() and patch.get_facecolor()[3] == 1.0:
            pixels = pixels[..., :3]
        return png_bytes(pixels)

    # ---- full or partial ----------------------------------------------------------------
    def _draw_all(self) -> None:
        self.canvas.draw()
        self.full_draws += 1
        self._background = None

    def _draw_changes(self) -> None:
        found = self._changes()
        if found is None:  # the figure itself, its size or its list of axes changed
            self._whole, self._dynamic = {}, set()
            self._draw_all()
            return
        changed, restructured = found
        for ax in self._whole:
            self._whole[ax] = 0 if ax in restructured else self._whole[ax] + 1
        calm = all(n >= self.CALM_RENDERS for n in self._whole.values())
        if self._background is not None and not (self._whole and calm):
            if self._fits(changed, restructured) and self._blit():
                return
        live = {a for ax in self.figure.axes for a in ax.get_children()}
        self._dynamic = (self._dynamic | changed) & live
        if self._whole and calm:  # the restructuring is over: back to the data layers
            self._whole = {}
        for ax in restructured:
            self._whole[ax] = 0
        plan = self._plan()
        if plan is None:
            self._draw_all()
            return
        self._save_background(plan)
        if not self._blit():
            self._draw_all()

    def _changes(self) -> tuple[set[Artist], set[Axes]] | None:
        """The data artists changed since the last render, and the axes changed in more than
        their data (limits, an axis, a legend, a removed artist...); None when the figure as a
        whole changed."""
        fig = self.figure
        if fig.subfigs or (self.canvas.get_width_height(physical=True), fig.dpi) != self._size:
            return None
        if list(fig.axes) != list(self._drawn):
            return None
        if any(c.stale for c in fig.get_children() if not isinstance(c, Axes)):
            return None
        changed: set[Artist] = set()
        restructured: set[Axes] = set()
        for ax in fig.axes:
            state, before = self._drawn[ax]
            now = ax.get_children()
            mine = set()
            whole = _axes_state(ax) != state or bool(set(before) - set(now) - self._dynamic)
            known = set(before)
            for child in now:
                if child.stale or child not in known:
                    if not _is_data_artist(child, ax):
                        whole = True
                    mine.add(child)
            titles = (ax.title, ax._left_title, ax._right_title)
            if mine.intersection(titles) and not _titles_stay(ax, self.canvas.get_renderer()):
                whole = True
            if whole:
                restructured.add(ax)
            else:
                changed |= mine
        return changed, restructured

    def _fits(self, changed: set[Artist], restructured: set[Axes]) -> bool:
        """Whether the saved background still serves: every restructured axes is one drawn
        whole, and in each other axes the artists the background holds come first in draw
        order, unchanged, with every changed artist drawn above them."""
        if not restructured <= set(self._whole):
            return False
        renderer = self.canvas.get_renderer()
        for ax in self.figure.axes:
            if ax in self._whole:
                continue
            order = _draw_order(ax)
            held = self._layers.get(ax)
            if held is None:
                if changed.intersection(order):
                    return False
                continue
            cut = next((i for i, a in enumerate(order) if a not in held), len(order))
            above = [a for a in order[cut:] if a in held]
            boxes = self._axis_boxes
            if any(
                not (
                    _outside_axis(a, self._dynamic, renderer, boxes=boxes.get(a))
                    or a in self._grids
                )
                for a in above
            ):
                return False
            if changed.intersection(order[:cut]):
                return False
            if self._later[ax]:  # a changed artist drawn outside its axes must not reach them
                for artist in changed.intersection(order):
                    if not _clipped_to(artist, ax) and not _draws_nothing(artist):
                        extent = artist.get_window_extent(renderer).padded(3)
                        if any(extent.overlaps(other) for other in self._later[ax]):
                            return False
        return True

    def _plan(self) -> dict[Axes, list[Artist] | None] | None:
        """What a partial redraw draws, per axes: None for an axes drawn whole, else its
        artists from the first dynamic one on, in Axes.draw's order. None if that would not be
        exact, because something drawn later in the figure overlaps such an axes."""
        renderer = self.canvas.get_renderer()
        order = sorted(
            (c for c in self.figure.get_children() if c is not self.figure.patch),
            key=lambda c: c.get_zorder(),
        )
        plan, self._later, gridded, self._axis_boxes = {}, {}, set(), {}
        extents: dict[Artist, object] = {}  # measured once per plan: text layout is costly

        def extent(artist: Artist):
            if artist not in extents:
                extents[artist] = _extent(artist, renderer)
            return extents[artist]

        self._gridded = gridded
        for position, ax in enumerate(order):
            if not isinstance(ax, Axes) or not ax.get_visible():
                continue
            if ax in self._whole:
                layer = None
            else:
                artists = _draw_order(ax)
                first = next((i for i, a in enumerate(artists) if a in self._dynamic), None)
                if first is None:
                    continue
                # an axis that draws nothing inside the axes (no grid, ticks pointing out)
                # cannot overlap data clipped to it: it may stay in the background
                layer = []
                for a in artists[first:]:
                    if _outside_axis(a, self._dynamic, renderer, boxes=self._box(a, renderer)):
                        continue
                    if _outside_axis(a, self._dynamic, renderer, True, self._box(a, renderer)):
                        gridded.add(a)  # its ticks and labels stay behind, its grid on top
                        continue
                    layer.append(a)
            later = [
                extent(c) for c in order[position + 1 :] if c.get_visible() and c not in self._whole
            ]
            footprint = _footprint(ax, layer, renderer)
            if any(e is None or any(f.overlaps(e) for f in footprint) for e in later):
                return None
            plan[ax], self._later[ax] = layer, later
        return plan or None

    def _box(self, axis: Artist, renderer) -> list | None:
        """Where an axis held in the background draws (measured once per background)."""
        if isinstance(axis, Axis) and axis not in self._axis_boxes:
            self._axis_boxes[axis] = _axis_boxes(axis, renderer)
        return self._axis_boxes.get(axis)

    def _save_background(self, plan: dict[Axes, list[Artist] | None]) -> None:
        # A non-saving draw skips animated artists; unlike hiding them, this leaves the
        # layout (title positions, say) exactly as a full draw computes it.
        hidden = [ax if layer is None else a for ax, layer in plan.items() for a in layer or [ax]]
        for artist in hidden:
            artist.set_animated(True)
        grids = {axis: _grid_shown(axis) for axis in self._gridded}
        for axis in grids:
            _show_grid(axis, (False, False))
        try:
            self.canvas.draw()
            self.full_draws += 1
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        finally:
            for artist in hidden:
                artist.set_animated(False)
            for axis, shown in grids.items():
                _show_grid(axis, shown)
        self._grids = {
            axis: [t.gridline for t in axis._update_ticks() if t.get_visible()]
            if axis.get_visible()
            else []
            for axis in grids
        }
        self._layers = {
            ax: None if layer is None else set(ax.get_children()) - set(layer)
            for ax, layer in plan.items()
        }

    def _blit(self) -> bool:
        """Draw the layers on the background; False if an axes drawn whole now reaches
        something the background holds (the caller then draws everything)."""
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for ax, held in self._layers.items():
            if held is None:
                ax.draw(renderer)
                extent = ax.get_tightbbox(renderer).padded(3)
                if any(extent.overlaps(other) for other in self._later[ax]):
                    self._background = None
                    return False
                continue
            for artist in _draw_order(ax):
                if artist in self._grids:
                    for line in self._grids[artist]:
                        line.draw(renderer)
                elif artist not in held:
                    artist.draw(renderer)
        return True

    def _remember_drawn(self) -> None:
        """Record what was drawn and clear every stale flag, so that the next render sees
        exactly the artists the next update touches."""
        fig = self.figure
        self._size = (self.canvas.get_width_height(physical=True), fig.dpi)
        self._drawn = {}
        for ax in fig.axes:
            children = ax.get_children()
            for child in children:
                child.stale = False
            ax.stale = False
            self._drawn[ax] = (_axes_state(ax), children)
        for child in fig.get_children():
            child.stale = False
        fig.stale = False


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


_DATA_ARTISTS = (Line2D, Collection, AxesImage, Patch, Text)


def _is_data_artist(artist: Artist, ax: Axes) -> bool:
    """An artist whose change needs no new layout: data or text drawn by the axes itself
    (not an axis, a spine, the legend or the background patch)."""
    return (
        isinstance(artist, _DATA_ARTISTS)
        and not isinstance(artist, Spine)
        and artist is not ax.patch
    )


def _grid_shown(axis: Axis) -> tuple[bool, bool]:
    """Whether the axis shows major and minor grid lines (as its first ticks say)."""
    return tuple(
        bool(ticks) and ticks[0].gridline.get_visible()
        for ticks in (axis.majorTicks, axis.minorTicks)
    )


def _show_grid(axis: Axis, shown: tuple[bool, bool]) -> None:
    for ticks, visible in zip((axis.majorTicks, axis.minorTicks), shown):
        for tick in ticks:
            tick.gridline.set_visible(visible)


def _outside_axis(
    artist: Artist, dynamic: set[Artist], renderer, grid: bool = False, boxes: list | None = None
) -> bool:
    """Whether `artist` is an axis that draws only outside its axes (tick marks pointing out;
    no grid lines, unless grid=True), where no dynamic artist of that axes draws: those are
    clipped to the axes or, like a title written as a text, lie clear of the axis's `boxes`.
    With grid=True its grid lines are drawn apart, on top of the dynamic artists."""
    if not isinstance(artist, Axis):
        return False
    for tick in artist.majorTicks + artist.minorTicks:
        if tick.gridline.get_visible() and not grid:
            return False
        marks = tick.tick1line.get_visible() or tick.tick2line.get_visible()
        if marks and tick._tickdir != "out":
            return False
    ax = artist.axes
    for a in ax.get_children():
        if a in dynamic and not _clipped_to(a, ax) and not _draws_nothing(a):
            extent = _extent(a, renderer)
            if boxes is None or extent is None:
                return False
            if any(extent.padded(2).overlaps(box) for box in boxes):
                return False
    return True


def _axis_boxes(axis: Axis, renderer) -> list | None:
    """Boxes covering what an axis draws: its labels, and its spines' boxes, which include the
    tick marks. None if they cannot be measured."""
    try:
        boxes = [axis.get_tightbbox(renderer)]
        sides = ("bottom", "top") if axis.axis_name == "x" else ("left", "right")
        boxes += [axis.axes.spines[side].get_window_extent(renderer) for side in sides]
    except Exception:
        return None
    return [box.padded(2) for box in boxes if box is not None]


def _draws_nothing(artist: Artist) -> bool:
    """An invisible artist, or an empty text (an axes' unused titles, say)."""
    return not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text())


def _clipped_to(artist: Artist, ax: Axes) -> bool:
    """Whether `artist` draws only inside the axes box (clipped to it, or to less)."""
    box = artist.get_clip_box()
    if not artist.get_clip_on() or box is None:
        return False
    inner, outer = box.extents, ax.bbox.extents
    return bool(
        inner[0] >= outer[0] - 1e-6
        and inner[1] >= outer[1] - 1e-6
        and inner[2] <= outer[2] + 1e-6
        and inner[3] <= outer[3] + 1e-6
    )


def _titles_stay(ax: Axes, renderer) -> bool:
    """Whether Axes.draw would leave the titles where they are (it lifts a title above any
    decoration it would overlap), so that a changed title can be drawn in place."""
    try:
        if ax._autotitlepos is not None and not ax._autotitlepos:
            return True  # placed by hand: never moved
        if ax.child_axes or len(ax._twinned_axes.get_siblings(ax)) > 1:
            return False
        if len(ax.get_figure(root=False)._align_label_groups["title"].get_siblings(ax)) > 1:
            return False
        if ax.xaxis.get_ticks_position() in ("top", "unknown"):
            return False
        if ax.xaxis.get_label_position() == "top":
            return False
        if ax.yaxis.offsetText.get_visible() and ax.yaxis.offsetText.get_text():
            return False
        top = ax.get_window_extent().ymax
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_position()[1] != 1.0:
                return False
            if title.get_text() and title.get_window_extent(renderer).ymin < top:
                return False
        return True
    except Exception:  # a matplotlib we do not know: take the safe, full draw
        return False


def _axes_state(ax: Axes) -> tuple:
    """What a partial redraw of `ax` relies on staying the same."""
    return (
        tuple(ax.viewLim.bounds),  # reading viewLim first applies any pending autoscaling
        ax.get_xscale(),
        ax.get_yscale(),
        tuple(ax.get_position().bounds),
        ax.axison,
        ax.get_frame_on(),
        ax.get_visible(),
        ax.get_zorder(),
    )


def _draw_order(ax: Axes) -> list[Artist]:
    """The artists Axes.draw draws after the axes background patch, in its order."""
    artists = ax.get_children()
    artists.remove(ax.patch)
    if not (ax.axison and ax.get_frame_on()):
        artists = [a for a in artists if a not in ax.spines.values()]
    if not ax.axison:
        artists = [a for a in artists if a not in (ax.xaxis, ax.yaxis)]
    return sorted((a for a in artists if not a.get_animated()), key=lambda a: a.get_zorder())


def _footprint(ax: Axes, layer: list[Artist] | None, renderer) -> list:
    """Boxes (pixels) covering all that a layer of `ax` draws: the whole axes with its
    decorations, or its box for what is clipped to it plus the extent of anything else."""

    def whole() -> list:  # measured only when needed: text layout is costly
        return [ax.get_tightbbox(renderer).padded(3)]

    if layer is None:
        return whole()
    boxes = [ax.bbox.padded(2)]
    for artist in layer:
        if isinstance(artist, Axis):
            return whole()
        if _draws_nothing(artist):
            continue
        if not _clipped_to(artist, ax):
            extent = _extent(artist, renderer)
            if extent is None:
                return whole()
            boxes.append(extent.padded(3))
    return boxes


def _extent(artist: Artist, renderer):
    """Where an artist draws, in pixels (None if that cannot be measured)."""
    try:
        if isinstance(artist, Axes):
            return artist.get_tightbbox(renderer)
        return artist.get_window_extent(renderer)
    except Exception:
        return None


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
