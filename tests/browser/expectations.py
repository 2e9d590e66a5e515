"""What each notebook should show in the browser, and how to operate each widget.

Every count is derived from the course itself, so a new notebook, widget, exercise or quiz is
covered without editing this file:

- every `quiz("NN")` call in a notebook's code must render one radio group per question of
  quiz NN (from `helpers.exercises.QUIZZES`), and every `solution(...)` call one collapsed panel;
- every call of a registered widget builder (`helpers.widgets.registry()`) must render one
  course widget with the same controls as that builder's default widget (sliders, dropdowns,
  buttons, ...), one figure, a readout and an empty message line; the notebook's totals of
  widgets, controls and widget figures are the sums over those calls;
- the static figures after Run All (each an image in a cell's output) are as many as the
  committed notebook's outputs that hold an image, a PNG or an HTML <img>, leaving out a
  widget's static picture (its live widget replaces it), so the committed outputs must be
  current: `make outputs`;
- every control of every course widget is operated from the keyboard, and the figure and the
  readout must change within a second, the readout showing the control's new value.

The one table below holds the exceptions to the last rule, each with its reason.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

# How to operate a control, per widget class and control key ("key" or "key/Button label").
# Options (all optional):
#   readout: "value"   the readout must show the control's new value (default for sliders,
#                      dropdowns and number boxes)
#            "changed" the readout must change (default for buttons, checkboxes, lists)
#            "same"    the readout is not expected to change (say why)
#   figure:  False     the figure is not expected to change (say why)
#   text:    what to type into a text box
#   timeout: seconds to wait for the change (default 1.0)
#   why:     the reason for any exception above
LEARNING_RATE = {
    "figure": False,
    "readout": "same",
    "why": "the learning rate acts on the next training steps; its slider shows the value",
}
SHOWN_IN_FIGURE = {
    "readout": "changed",
    "why": "the figure shows the choice; the readout "
    "reports its effect (loss, accuracy, network shape), which must change",
}
INTERACTIONS: dict[str, dict[str, dict]] = {
    "EnvironmentCheck": {},
    "BoundaryTrainer": {"dataset": SHOWN_IN_FIGURE, "learning_rate": LEARNING_RATE},
    "NetworkBuilder": {
        "dataset": SHOWN_IN_FIGURE,
        "hidden_layers": {
            "readout": "changed",
            "why": "the readout shows the layers as the network's shape, 2 → 16 → … → 1",
        },
        "init": SHOWN_IN_FIGURE,
        "learning_rate": LEARNING_RATE,
    },
    "ZooExplorer": {
        "slopes": {"readout": "same", "why": "the checkbox shows or hides the slope lines"},
    },
    "ErrorSignal": {
        "depth": {
            "readout": "changed",
            "why": "the readout gives the total shrink factor across the layers, not their number",
        },
    },
    "GradientMeter": {"init": SHOWN_IN_FIGURE},
}

DEFAULT_TIMEOUT = 1.0


def interaction(widget_class: str, key: str, label: str) -> dict:
    table = INTERACTIONS.get(widget_class, {})
    return {**table.get(key, {}), **table.get(f"{key}/{label}", {})}


# ---- derived from the course's registries -----------------------------------------------------
def _control_kinds(control) -> Counter:
    import ipywidgets as ipw

    from helpers.widgets.controls import Slider

    kinds: Counter = Counter()
    if isinstance(control, ipw.Box):
        for child in control.children:
            kinds += _control_kinds(child)
    elif isinstance(
        control, ipw.widgets.widget_int._IntRange | ipw.widgets.widget_float._FloatRange
    ):
        kinds["sliders"] += 1
    elif isinstance(control, ipw.IntSlider | ipw.FloatSlider | ipw.FloatLogSlider | Slider):
        kinds["sliders"] += 1
    elif isinstance(control, ipw.Dropdown):
        kinds["dropdowns"] += 1
    elif isinstance(control, ipw.Button):
        kinds["buttons"] += 1
    elif isinstance(control, ipw.Checkbox):
        kinds["checkboxes"] += 1
    elif isinstance(control, ipw.SelectMultiple):
        kinds["multi_selects"] += 1
    else:
        kinds["other_controls"] += 1
    return kinds


@cache
def widget_profile(name: str) -> tuple[str, Counter, int]:
    """(widget class name, control kinds, number of controls) of the default widget of the
    registered builder `name`, built once in the test process."""
    from helpers.widgets import registry

    widget = registry()[name]()
    kinds: Counter = Counter()
    for control in widget.controls.values():
        kinds += _control_kinds(control)
    return type(widget).__name__, kinds, len(widget.controls)


@cache
def builder_names() -> tuple[str, ...]:
    from helpers.widgets import registry

    return tuple(registry())


def code_of(notebook: dict) -> str:
    """The notebook's code cells, comments removed, one string."""
    cells = (c for c in notebook["cells"] if c["cell_type"] == "code")
    text = "\n".join("".join(c["source"]) for c in cells)
    return re.sub(r"#[^\n]*", "", text)


def derived_counts(notebook: dict) -> tuple[dict[str, int], Counter, dict]:
    """Counts implied by the notebook: quizzes, solutions, the controls of every registered
    widget its code builds, and its committed static figures. Returns (totals, widget classes
    expected, and per class its (control kinds, number of controls))."""
    from helpers.exercises import QUIZZES, load_all

    load_all()
    code = code_of(notebook)
    totals: Counter = Counter()
    totals["static_figures"] = sum(
        "image/png" in data or "<img" in "".join(data.get("text/html", ""))
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if not output.get("metadata", {}).get("widget_static_form")  # a live widget after Run All
        for data in [output.get("data", {})]
    )
    for quiz_id in re.findall(r"\bquiz\(\s*[\"']([^\"']+)[\"']", code):
        totals["quiz_questions"] += len(QUIZZES.get(quiz_id, []))
    totals["solutions"] = len(re.findall(r"\bsolution\(", code))
    classes: Counter = Counter()
    profiles = {}
    for name in builder_names():
        calls = len(re.findall(rf"(?<![\w.]){re.escape(name)}\(", code))
        calls -= len(re.findall(rf"\bdef\s+{re.escape(name)}\(", code))
        if calls > 0:
            cls, kinds, n = widget_profile(name)
            profiles[cls] = (kinds, n)
            classes[cls] += calls
            totals["course_widgets"] += calls
            totals["widget_figures"] += calls
            for kind, count in kinds.items():
                totals[kind] += count * calls
    return dict(totals), classes, profiles
