"""Importing helpers changes nothing in the learner's session; each notebook's first cell
calls helpers.setup(), which applies the course style, shows returned figures, underlines
links and sets one BLAS thread, in the open."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))

PROBE = """
import matplotlib as mpl
from threadpoolctl import threadpool_info

def state():
    blas = sorted({p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"})
    return dict(mpl.rcParams), blas

before = state()
import helpers, helpers.style, helpers.plots, helpers.exercises, helpers.own_activation
from helpers.widgets import registry
registry()  # imports every widget module
after_import = state()
helpers.setup()
after_setup = state()
print(after_import == before, after_setup[0] != before[0], after_setup[1])
"""


def test_importing_helpers_changes_nothing_and_setup_does_what_it_says():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    unchanged, styled, threads = out[0], out[1], out[2]
    assert unchanged == "True", "importing helpers changed rcParams or the BLAS threads"
    assert styled == "True"  # setup applied the course style
    assert threads == "[1]"  # and one BLAS thread


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_calls_setup_in_its_first_code_cell(path):
    cells = json.loads(path.read_text())["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    assert "helpers.setup()" in "".join(first["source"])
