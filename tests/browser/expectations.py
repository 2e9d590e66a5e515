"""What each notebook should show in the browser, and how to operate each widget.

Most expectations are derived, so a new notebook or widget is covered without editing this file:

- every `quiz("NN")` call in a notebook's code must render one radio group per question of
  quiz NN (from `helpers.exercises.QUIZZES`), and every `solution(...)` call one collapsed panel;
- every call of a registered widget builder (`helpers.widgets.registry()`) must render one
  course widget with the same controls as that builder's default widget (sliders, dropdowns,
  buttons, ...), one figure, a readout and an empty message line;
- every control of every course widget is operated from the keyboard, and the figure and the
  readout must change within a second, the readout showing the control's new value.

The tables below pin what cannot be derived (exact totals per notebook, static figures) and the
exceptions, each with its reason. A notebook not in NOTEBOOK_COUNTS gets GENERIC_MINIMUM.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

# Exact totals per notebook after Run All (keys as in lab_driver.COUNT_SELECTORS; quiz questions
# and solutions are derived from the code). Update a row when you add or remove a widget or a
# figure; a notebook without a row gets GENERIC_MINIMUM plus the derived checks.
_KEYS = (
    "course_widgets",
    "sliders",
    "dropdowns",
    "buttons",
    "checkboxes",
    "multi_selects",
    "widget_figures",
    "static_figures",
)
NOTEBOOK_COUNTS: dict[str, dict[str, int]] = {
    name: dict(zip(_KEYS, row, strict=True))
    for name, row in {
        # in the order of _KEYS: widgets, sliders, dropdowns, buttons, checkboxes, lists,
        # widget figures, static (matplotlib) figures
        "00_start_here": (2, 2, 0, 0, 0, 0, 2, 0),
        "01_the_gatekeeper": (1, 7, 1, 0, 0, 0, 1, 1),
        "02_why_nonlinearity": (1, 3, 2, 3, 0, 0, 1, 2),
        "03_the_formal_neuron": (1, 1, 0, 0, 1, 1, 1, 3),
        "04_gradient_flow": (1, 2, 1, 0, 0, 0, 1, 3),
        "05_vanishing_gradients": (1, 2, 2, 0, 0, 0, 1, 4),
        "06_modern_activations": (1, 2, 1, 0, 0, 0, 1, 3),
        "07_capstone_lab": (1, 3, 7, 3, 0, 0, 1, 3),  # the diagnosis: loss, gradients, histograms
    }.items()
}

# For a notebook not in the table yet: at least this much must render after Run All.
GENERIC_MINIMUM: dict[str, int] = {"course_widgets": 0, "widget_figures": 0}

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

    kinds: Counter = Counter()
    if isinstance(control, ipw.Box):
        for child in control.children:
            kinds += _control_kinds(child)
    elif isinstance(
        control, ipw.widgets.widget_int._IntRange | ipw.widgets.widget_float._FloatRange
    ):
        kinds["sliders"] += 1
    elif isinstance(control, ipw.IntSlider | ipw.FloatSlider | ipw.FloatLogSlider):
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
    """Counts implied by the notebook's code: quizzes, solutions, and the controls of every
    registered widget it builds. Returns (totals, widget classes expected, and per class its
    (control kinds, number of controls))."""
    from helpers.exercises import QUIZZES, load_all

    load_all()
    code = code_of(notebook)
    totals: Counter = Counter()
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
