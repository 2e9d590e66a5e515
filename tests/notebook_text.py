"""What a committed notebook prints: the text the per-notebook tests read."""

import json
from pathlib import Path


def tagged_output(notebook: Path) -> str:
    """All stdout text of the cells nbval compares (tagged nbval-check-output), in order."""
    return "".join(
        "".join(output.get("text", ""))
        for cell in json.loads(notebook.read_text())["cells"]
        if "nbval-check-output" in cell["metadata"].get("tags", [])
        for output in cell.get("outputs", [])
    )
