"""Make executed notebooks read well without a kernel (`make outputs` runs it).

A committed notebook is untrusted on the learner's machine, in Binder, on GitHub and in nbviewer,
and no kernel holds its widgets. So:

- A widget output keeps only its static form: the picture of how the widget starts and the line
  saying how to use it (`CourseWidget`), a quiz's questions as text, a note for a hidden
  solution. Its widget view goes: JupyterLab would show an untrusted one as its plain-text
  repr, `EnvironmentCheck(children=(HBox(...`, the very text notebook 00 tells learners means
  "broken", and a trusted one as "Error displaying widget" once its kernel is gone. Running the
  cell replaces the static form with the live widget. A widget output with no static form goes.
- A figure output keeps its PNG, with the description as alt text in its metadata, and its
  text; its HTML copy goes (an untrusted notebook does not show a data: image inside HTML).
- The saved widget state goes, and so do the cells' run timestamps.

Text, check messages and every compared output stay as they are. PNGs are recompressed.

Usage: python tools/strip_widget_views.py NOTEBOOK.ipynb ...
"""

from __future__ import annotations

import base64
import io
import sys

import nbformat
from PIL import Image

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATIC_FORMS = ("image/png", "text/markdown")  # what a widget shows without a kernel
STATIC_MARK = "widget_static_form"  # in such an output's metadata: Run All replaces it


def smaller_png(data: str) -> str:
    """The same picture as a base64 PNG compressed as far as Pillow can."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(base64.b64decode(data))).save(buffer, "PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def static_outputs(output) -> list:
    """What one output becomes in the committed notebook (see the module's docstring)."""
    data = output.get("data", {})
    if WIDGET_VIEW in data:
        return [
            nbformat.v4.new_output(
                "display_data",
                data={kind: smaller_png(data[kind]) if kind == "image/png" else data[kind]},
                metadata={STATIC_MARK: True, kind: output.get("metadata", {}).get(kind, {})},
            )
            for kind in STATIC_FORMS
            if kind in data
        ]
    if "image/png" in data:
        data.pop("text/html", None)
        data["image/png"] = smaller_png(data["image/png"])
    return [output]


def strip(notebook) -> int:
    """Give every output its committed form in place and drop the saved widget state; return
    how many widget views were removed."""
    removed = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # run timestamps: a diff on every run, nothing to read
        removed += sum(WIDGET_VIEW in o.get("data", {}) for o in cell.outputs)
        cell.outputs = [new for output in cell.outputs for new in static_outputs(output)]
    notebook.metadata.pop("widgets", None)
    return removed


def main(paths: list[str]) -> None:
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        removed = strip(notebook)
        nbformat.write(notebook, path)
        print(f"{path}: {removed} widget view(s) replaced by their static form")


if __name__ == "__main__":
    main(sys.argv[1:])
