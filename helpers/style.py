"""The course's look, and how its figures are shown.

Colours are the Okabe-Ito palette, safe for the common kinds of colour blindness; every
activation has its own colour and marker, the two classes their own colour and marker shape.
Fonts and lines grow in projector mode. A figure is shown with its description in words (its
text alternative), which every figure helper gives it (`describe`).
"""

from __future__ import annotations

import base64
import html
import io
from weakref import WeakKeyDictionary

import matplotlib as mpl
import matplotlib.pyplot as plt  # noqa: F401  (activates the notebook backend so figures display)
from matplotlib.figure import Figure

from helpers.activations import get

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
CLASS_COLOURS = (OKABE_ITO["vermillion"], OKABE_ITO["blue"])  # class 0 "red", class 1 "blue"
CLASS_MARKERS = ("o", "s")

# One style per activation, the same in every figure: a colour and a marker, always a solid
# line. Activations that share a colour (a family: ELU and SELU) differ by marker, so no two are
# told apart by colour alone; dotted lines are kept for slopes (g'), never for an activation.
_ACTIVATION_STYLES = {
    "identity": (OKABE_ITO["grey"], "x"),
    "step": (OKABE_ITO["black"], "s"),
    "sigmoid": (OKABE_ITO["blue"], "o"),
    "tanh": (OKABE_ITO["orange"], "^"),
    "relu": (OKABE_ITO["green"], "D"),
    "leaky_relu": (OKABE_ITO["vermillion"], "v"),
    "elu": (OKABE_ITO["purple"], "P"),
    "selu": (OKABE_ITO["purple"], "X"),
    "gelu": (OKABE_ITO["sky_blue"], "*"),
    "silu": (OKABE_ITO["black"], "h"),
    "softplus": (OKABE_ITO["green"], "<"),
}
# Layers 1, 2, ... drawn dark to light (a sequential map, lighter for each later layer, so the
# order reads in greyscale too), and neighbours in different line styles.
LAYER_LINESTYLES = ("-", "--", "-.", ":")
SLOPE_LINESTYLE = ":"  # a derivative g'(z) drawn beside its activation: same colour, dotted
MARKS_EVERY = 0.1  # a marker every tenth of the axes' diagonal, whatever the number of points

BASE_STYLE = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(
        color=[
            OKABE_ITO[k]
            for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")
        ]
    ),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "image.cmap": "RdBu",
}
PROJECTOR_SCALE = 1.6


def use_course_style(projector: bool = False) -> None:
    """Apply the course style to every figure made from now on; projector=True enlarges fonts,
    lines and markers for the back of a room."""
    style = dict(BASE_STYLE)
    if projector:
        for key, value in BASE_STYLE.items():
            if key.endswith(("size", "linewidth", "markersize")):
                style[key] = value * PROJECTOR_SCALE
    mpl.rcParams.update(style)


def figure_scale() -> float:
    """How much the course style enlarges fonts and lines now: 1, or PROJECTOR_SCALE in
    projector mode. A widget's figure grows by it, so its layout stays as designed."""
    return mpl.rcParams["font.size"] / BASE_STYLE["font.size"]


def projector_mode(on: bool = True) -> None:
    """Enlarge (or restore) fonts, lines and markers in every course figure and widget made
    after this call. In a notebook it also enlarges, at once, the controls and text of every
    widget on the page: sliders, readouts, quizzes (a CSS rule shown in the cell's output)."""
    use_course_style(projector=on)
    show_html(projector_css(on))


# ipywidgets 8 sizes its controls with these CSS variables; projector mode raises them for the
# widgets in notebook outputs, and restores ipywidgets' own defaults when turned off.
_WIDGET_CSS_VARS = {
    True: {
        "--jp-widgets-font-size": "20px",
        "--jp-widgets-inline-height": "40px",
        "--jp-widgets-inline-label-width": "150px",
        "--jp-widgets-inline-width": "460px",
        "font-size": "20px",
    },
    False: {
        "--jp-widgets-font-size": "var(--jp-ui-font-size1)",
        "--jp-widgets-inline-height": "28px",
        "--jp-widgets-inline-label-width": "80px",
        "--jp-widgets-inline-width": "300px",
        "font-size": "inherit",
    },
}


def projector_css(on: bool = True) -> str:
    """The <style> rule projector mode shows: larger (or default) widget text and controls."""
    rules = " ".join(f"{key}: {value};" for key, value in _WIDGET_CSS_VARS[on].items())
    return f"<style>.jp-OutputArea-output .jupyter-widgets {{ {rules} }}</style>"


# JupyterLab's theme tells a link in rendered Markdown from the words around it by colour alone
# (#0d47a1 beside #212121 text, 1.86:1; axe's rule link-in-text-block). The course underlines
# its links, as GitHub and the course's slides do; `helpers.setup()` shows this rule (as specific
# as the theme's `.jp-RenderedHTMLCommon a:link`, and later on the page, so it wins).
LINK_CSS = (
    "<style>.jp-RenderedMarkdown a:link, .jp-RenderedMarkdown a:visited "
    "{ text-decoration: underline; }</style>"
)


def show_html(markup: str) -> None:
    """Show HTML (a <style> rule, say) in the cell's output: HTML only, so a front end that
    shows no HTML (a terminal) shows nothing; nothing at all outside IPython."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python
        return
    if get_ipython() is not None:
        display({"text/html": markup}, raw=True)


def activation_style(name: str) -> dict[str, object]:
    """The colour and marker one activation has in every figure of the course (solid line)."""
    colour, marker = _ACTIVATION_STYLES.get(get(name).name, (OKABE_ITO["grey"], "."))
    return {"color": colour, "linestyle": "-", "marker": marker, "markevery": MARKS_EVERY,
            "markersize": 5}  # fmt: skip


_DESCRIPTIONS: WeakKeyDictionary[Figure, str] = WeakKeyDictionary()


def describe(fig: Figure, text: str) -> Figure:
    """Give a figure its description in words: the text a screen reader reads in place of the
    picture, and what a reader who cannot see it is told. Returns the figure."""
    _DESCRIPTIONS[fig] = text[:1].upper() + text[1:]
    return fig


def description(fig: Figure) -> str | None:
    """The description `describe` gave the figure, if any."""
    return _DESCRIPTIONS.get(fig)


def alt_text(fig: Figure) -> str:
    """The figure's description, else its panels' titles and axes."""
    panels = [
        f"{ax.get_title() or 'a panel'} ({ax.get_ylabel() or 'y'} against {ax.get_xlabel() or 'x'})"
        for ax in fig.axes
        if ax.get_visible()
    ]
    return description(fig) or ("A figure: " + "; ".join(panels) + ".")


def figure_bundle(fig: Figure) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """What a notebook shows for a figure: the PNG with its description as alt text, both as
    an image (alt in the output's metadata, which nbconvert and nbviewer use) and as HTML
    (JupyterLab 4 puts no alt on an image output; it keeps the alt of an <img>), and the
    description as plain text. A committed notebook keeps only the image: an untrusted
    notebook does not show a data: image in HTML (tools/strip_widget_views.py)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = alt_text(fig)
    img = f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}" style="max-width:100%">'
    return {"image/png": png, "text/html": img, "text/plain": alt}, {"image/png": {"alt": alt}}


def show_figures_inline() -> None:
    """Let a notebook cell that ends with a `Figure` (as `activation_figure(...)` returns) show
    it as an image with its description (`figure_bundle`). The inline backend registers a
    formatter only after the first pyplot call, so without this such a cell shows just
    `<Figure size ...>`. Does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.mimebundle_formatter.for_type(Figure, figure_bundle)
