"""The browser checks must be able to fail: feed them notebooks with known faults and make sure
each fault is reported, and that the `make outputs` fix (tools/strip_widget_views.py) really
removes the plain-text widget a committed notebook would otherwise show."""

from __future__ import annotations

import nbformat
import pytest
from lab_driver import (
    log_console_problems,
    open_notebook,
    operate_every_control,
    page_problems,
    run_all,
    solution_problems,
    unfinished_cells,
)

from tools.strip_widget_views import WIDGET_VIEW, strip

KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}

FROZEN_WIDGET = '''
import ipywidgets as ipw
from matplotlib.figure import Figure

from helpers.widgets.base import CourseWidget


class Frozen(CourseWidget):
    """A faulty widget: its update ignores the slider, and its button's callback raises."""

    def __init__(self):
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot([0, 1], [0, 1])
        go = ipw.Button(description="Go")
        go.on_click(lambda _: 1 / 0)
        slider = ipw.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5, description="k")
        super().__init__({"k": slider, "go": go}, fig)

    def update(self):
        return "always the same"


Frozen()
'''


def _write(path, cells, outputs=None) -> None:
    notebook = nbformat.v4.new_notebook(metadata=KERNEL)
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    for index, cell_outputs in (outputs or {}).items():
        notebook.cells[index].outputs = cell_outputs
        notebook.cells[index].execution_count = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def _stored_view_output():
    return [
        nbformat.v4.new_output(
            "execute_result",
            data={
                WIDGET_VIEW: {"model_id": "0" * 32, "version_major": 2, "version_minor": 0},
                "text/plain": "IntSlider(value=3, description='n')",
            },
            execution_count=1,
        )
    ]


def test_a_stored_widget_view_is_caught_and_make_outputs_fixes_it(jupyterlab, page):
    folder = jupyterlab.root / "selftest"
    _write(
        folder / "stored.ipynb",
        ["import ipywidgets\nipywidgets.IntSlider(3)"],
        {0: _stored_view_output()},
    )
    open_notebook(page, jupyterlab, "selftest/stored.ipynb")
    problems = page_problems(page)
    assert any("widget as plain text" in p for p in problems), problems

    notebook = nbformat.read(str(folder / "stored.ipynb"), as_version=4)
    assert strip(notebook) == 1
    nbformat.write(notebook, str(folder / "stripped.ipynb"))
    open_notebook(page, jupyterlab, "selftest/stripped.ipynb")
    assert page_problems(page) == []


def test_errors_warnings_frozen_figures_and_callback_errors_are_caught(jupyterlab, page):
    cells = [
        FROZEN_WIDGET,
        "import warnings\n\nwarnings.warn('a careless warning')",
        "raise ValueError('a broken cell')",
        "print('never runs')",
    ]
    _write(jupyterlab.root / "selftest" / "faults.ipynb", cells)
    open_notebook(page, jupyterlab, "selftest/faults.ipynb")
    run_all(page)
    unfinished = unfinished_cells(page)
    assert any("never runs" in u for u in unfinished), unfinished
    problems = "\n".join(page_problems(page))
    assert "a careless warning" in problems and "a broken cell" in problems, problems

    problems, _ = operate_every_control(page, rules=lambda *_: {}, timeout=0.5)
    text = "\n".join(problems)
    assert "Frozen.k" in text and "the figure did not change" in text, text
    assert "the readout did not change" in text, text
    assert log_console_problems(page), "the raising button callback was not noticed"


def test_a_solution_the_keyboard_cannot_open_is_caught(jupyterlab, page):
    """An Accordion header takes no focus; a <details> summary does. Both open with a click."""
    cells = [
        "import ipywidgets as ipw\n\nbox = ipw.Accordion([ipw.HTML('<pre>x = 1</pre>')])\n"
        "box.selected_index = None\nbox",
        "ipw.HTML('<details><summary>Solution</summary><pre>x = 2</pre></details>')",
    ]
    _write(jupyterlab.root / "selftest" / "solutions.ipynb", cells)
    open_notebook(page, jupyterlab, "selftest/solutions.ipynb")
    run_all(page)
    assert solution_problems(page, keyboard=False) == []
    problems = solution_problems(page, keyboard=True)
    assert len(problems) == 1 and "solution 1" in problems[0], problems
