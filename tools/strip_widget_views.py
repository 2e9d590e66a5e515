"""Remove widget views and saved widget state from executed notebooks (`make outputs` runs it).

Why: a committed notebook is untrusted on the learner's machine (and in Binder), so JupyterLab
shows a stored widget view as its plain-text repr, `EnvironmentCheck(children=(HBox(...`, the
very text notebook 00 tells learners means "broken". Once trusted, the same output shows
"Error displaying widget" whenever the kernel that made the widget is gone. Without the stored
view the cell simply shows nothing until it runs, and then the live widget. Text, images and
check messages stay; nbval compares none of the removed outputs.

Usage: python tools/strip_widget_views.py NOTEBOOK.ipynb ...
"""

from __future__ import annotations

import sys

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip(notebook) -> int:
    """Remove widget-view outputs and the widget-state metadata in place; return how many
    outputs were removed."""
    removed = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
        removed += len(cell.outputs) - len(kept)
        cell.outputs = kept
    notebook.metadata.pop("widgets", None)
    return removed


def main(paths: list[str]) -> None:
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        had_state = "widgets" in notebook.metadata
        removed = strip(notebook)
        if removed or had_state:
            nbformat.write(notebook, path)
            print(f"{path}: removed {removed} widget view(s) and the saved widget state")


if __name__ == "__main__":
    main(sys.argv[1:])
