"""The controls course widgets are made of: a slider a screen reader can name, and a dropdown.

ipywidgets 8.1 draws a slider's handle with noUiSlider and gives it no name (axe's rule
aria-input-field-name): a screen reader says "slider, 0.5" and not which one. `Slider` is the
browser's own `<input type="range">` with a `<label>`, written with anywidget (the documented way
to give a widget its own front end without building a JupyterLab extension): its name is its
description, and the keyboard works as on any web page (arrows, Page Up/Down, Home, End).
"""

from __future__ import annotations

from numbers import Integral

import anywidget
import ipywidgets as ipw
import traitlets

_ESM = """
const KEYS = ["value", "min", "max", "step", "log", "description", "label_width", "readout_format"];
let views = 0;

function write(value, spec) {  // the readout: "d", ".2f" or ".3g", as Python's format writes
  const [, digits, kind] = /^\\.(\\d+)([fg])$/.exec(spec) || [];
  if (!kind) return String(Math.round(value));
  return kind === "f" ? value.toFixed(+digits) : String(Number(value.toPrecision(+digits)));
}

export default {
  render({ model, el }) {
    const id = `course-slider-${++views}-${Math.random().toString(36).slice(2)}`;
    const label = Object.assign(document.createElement("label"), { htmlFor: id });
    const input = Object.assign(document.createElement("input"), { type: "range", id });
    const readout = document.createElement("output");
    readout.htmlFor = id;
    // JupyterLab's keyboard shortcuts (Lumino's) skip an element marked so: the keys move the
    // slider, not the notebook's cursor (seen: without it ArrowRight left the slider)
    input.dataset.lmSuppressShortcuts = "true";
    el.classList.add("course-slider");
    el.append(label, input, readout);
    const chosen = () => (model.get("log") ? 10 ** Number(input.value) : Number(input.value));
    const show = () => {
      for (const key of ["min", "max", "step"]) input[key] = model.get(key);
      const value = model.get("value");
      input.value = model.get("log") ? Math.log10(value) : value;
      label.textContent = model.get("description");
      label.style.width = model.get("label_width");
      readout.textContent = write(value, model.get("readout_format"));
    };
    const send = () => {
      model.set("value", chosen());
      model.save_changes();
    };
    input.addEventListener("input", () => {
      readout.textContent = write(chosen(), model.get("readout_format"));  // follows the thumb
      if (model.get("continuous_update")) send();
    });
    input.addEventListener("change", send);
    for (const key of KEYS) model.on(`change:${key}`, show);
    show();
  },
};
"""

_CSS = """
.course-slider { display: flex; align-items: center; gap: 8px;
  width: var(--jp-widgets-inline-width); height: var(--jp-widgets-inline-height);
  font-size: var(--jp-widgets-font-size); }
.course-slider label { flex: none; width: var(--jp-widgets-inline-label-width);
  text-align: right; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.course-slider input { flex: 1; min-width: 60px; margin: 0; }
.course-slider output { flex: none; min-width: 3.5em; }
"""


class Slider(anywidget.AnyWidget):
    """A labelled slider: `value` moves from `min` to `max` in steps of `step`. With log=True,
    `min`, `max` and `step` are powers of ten (as in ipywidgets' FloatLogSlider) and the value
    is 10 ** position. integer=True keeps whole numbers; continuous_update=False sends a value
    when the slider is let go, not during a drag. Its readout writes the value as
    `readout_format` says ("d", ".2f", ".3g"), in the browser, as the thumb moves."""

    _esm = _ESM
    _css = _CSS
    value = traitlets.Any(0.0).tag(sync=True)  # a float, or an int with integer=True: see below
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    log = traitlets.Bool(False).tag(sync=True)
    integer = traitlets.Bool(False).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    readout_format = traitlets.Unicode(".2f").tag(sync=True)  # "d", ".Nf" or ".Ng"
    label_width = traitlets.Unicode("").tag(sync=True)

    def __init__(self, value: float = 0.0, **settings) -> None:
        super().__init__(**settings)
        self.value = value  # checked against the range and the kind just set

    @traitlets.validate("value")
    def _within_range(self, proposal: dict) -> int | float:
        """The value, from Python or the browser, as a number in range: an int for integer=True
        (the browser's JSON does not tell 3 from 3.0), else a float."""
        low, high = (10.0**self.min, 10.0**self.max) if self.log else (self.min, self.max)
        value = min(max(float(proposal["value"]), low), high)
        return round(value) if self.integer else value


def slider(
    description: str,
    value: float,
    low: float,
    high: float,
    step: float | None = None,
    log: bool = False,
    continuous: bool = True,
    fmt: str | None = None,
    label_width: str = "",
) -> Slider:
    """A `Slider`: of whole numbers when value, low and high are integers (Python's or numpy's),
    on a log scale with log=True (base 10, low and high as powers of ten), else of floats. By
    default, as in ipywidgets: steps of 1 for whole numbers and 0.1 otherwise; readouts "d",
    ".3g" on a log scale, ".2f" otherwise."""
    whole = not log and all(isinstance(v, Integral) for v in (value, low, high, step or 1))
    return Slider(
        min=low,
        max=high,
        step=step if step is not None else 1 if whole else 0.1,
        log=log,
        integer=whole,
        description=description,
        continuous_update=continuous,
        readout_format=fmt or ("d" if whole else ".3g" if log else ".2f"),
        label_width=label_width,
        value=value,
    )


def dropdown(description: str, options: list, value: object, label_width: str = "") -> ipw.Dropdown:
    """A labelled dropdown; options are values or (label, value) pairs."""
    style = {"style": {"description_width": label_width}} if label_width else {}
    return ipw.Dropdown(options=options, value=value, description=description, **style)
