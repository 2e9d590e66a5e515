"""What the per-notebook tests read of a notebook: the text it prints, and its cells run."""

import json
import warnings
from pathlib import Path

import nbformat


def tagged_output(notebook: Path) -> str:
    """All stdout text of the cells nbval compares (tagged nbval-check-output), in order."""
    return "".join(
        "".join(output.get("text", ""))
        for cell in json.loads(notebook.read_text())["cells"]
        if "nbval-check-output" in cell["metadata"].get("tags", [])
        for output in cell.get("outputs", [])
    )


def cell_text(notebook: Path, cell_id: str) -> str:
    """What one cell shows as text: a markdown cell's source, or a code cell's stdout and
    plain-text outputs."""
    cell = next(c for c in json.loads(notebook.read_text())["cells"] if c["id"] == cell_id)
    if cell["cell_type"] == "markdown":
        return "".join(cell["source"])
    return "".join(
        "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
        for output in cell.get("outputs", [])
    )


def run_cells(notebook: Path, until: str) -> dict:
    """Run the notebook's code cells in order in one namespace, up to and including the first
    cell whose source starts with `until`, and return the namespace; the cells must not warn."""
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, notebook.name, "exec"), namespace)
                if cell.source.startswith(until):
                    return namespace
    raise AssertionError(f"no code cell of {notebook.name} starts with {until!r}")
