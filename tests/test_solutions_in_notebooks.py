"""Every shown solution is proven in its own notebook (how Neuromatch's CI proves its solutions).

For each notebook, the code cells run top to bottom, in-process, in one namespace (as a kernel
would). At each exercise cell (the cell whose top-level statement is `check("NN.name", ...)`) the
untouched stub runs first and its check must fail; then the cell runs again with the shown
solution (`Exercise.code()`, what `solution("NN.name")` displays) pasted in place of the stub's
code, and its check must pass. Later cells then see the solved definitions, as a learner's would.
One pass per notebook keeps this fast. Widget cells run too (no front end: nothing is drawn).
"""

from __future__ import annotations

import ast
import contextlib
import io
import warnings
from pathlib import Path

import nbformat
import pytest

import helpers.exercises as exercises
from helpers.exercises import EXERCISES, load_all, reset_tries

load_all()
pytestmark = pytest.mark.notebook
NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def checked_ids(source: str) -> list[str]:
    """The exercise ids a cell checks with a top-level `check("id", ...)` statement."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    ids = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "check"
            and call.args
            and isinstance(call.args[0], ast.Constant)
        ):
            ids.append(call.args[0].value)
    return ids


def with_solutions(source: str) -> str:
    """The exercise cell with each shown solution in place of the stub's code: the cell's
    set-up lines (imports, printed data) stay, the stub's definitions give way to the solutions,
    and the check statements stay last."""
    tree = ast.parse(source)
    lines = source.splitlines()
    keep, checks = [], []
    for node in tree.body:
        text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        if checked_ids(text):
            checks.append(text)
        elif is_stub(node):
            continue  # the learner's part: replaced by the solution below
        else:
            keep.append(text)
    solutions = [EXERCISES[i].code() for i in checked_ids(source)]
    return "\n\n".join(keep + solutions + checks) + "\n"


def is_stub(node: ast.stmt) -> bool:
    """A statement the learner completes: it contains the `...` placeholder."""
    return any(isinstance(n, ast.Constant) and n.value is Ellipsis for n in ast.walk(node))


def run_notebook(path: Path) -> dict[str, tuple[list[bool], list[bool]]]:
    """Run the notebook's code cells; for each exercise id, the verdicts of its stub cell's
    checks and of the same cell with the solutions pasted in."""
    cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    namespace: dict = {"__name__": "__main__"}
    calls: list[tuple[str, bool]] = []
    real_check = exercises.check

    def recording_check(exercise_id, answer, quiet=False):
        verdict = real_check(exercise_id, answer, quiet=quiet)
        calls.append((exercise_id, bool(verdict)))
        return verdict

    results: dict[str, tuple[list[bool], list[bool]]] = {}
    exercises.check = recording_check
    try:
        with (
            contextlib.redirect_stdout(io.StringIO()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            for number, source in enumerate(cells):
                ids = checked_ids(source)
                if not ids:
                    exec(compile(source, f"{path.name} cell {number}", "exec"), namespace)
                    continue
                verdicts = []
                for version in (source, with_solutions(source)):
                    calls.clear()
                    exec(compile(version, f"{path.name} cell {number}", "exec"), namespace)
                    verdicts.append({i: [v for j, v in calls if j == i] for i in ids})
                for i in ids:
                    results[i] = (verdicts[0][i], verdicts[1][i])
    finally:
        exercises.check = real_check
        reset_tries()
    return results


def notebook_exercise_ids(path: Path) -> list[str]:
    cells = nbformat.read(path, as_version=4).cells
    return [i for c in cells if c.cell_type == "code" for i in checked_ids(c.source)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_shown_solution_passes_in_its_cell_and_the_stub_fails(path):
    expected = notebook_exercise_ids(path)
    results = run_notebook(path)
    assert sorted(results) == sorted(expected)
    for exercise_id, (stub, solved) in results.items():
        assert stub == [False], f"{exercise_id}: the untouched stub passes its check"
        assert solved == [True], f"{exercise_id}: the shown solution fails its check in its cell"


def test_every_registered_exercise_has_a_cell_in_a_notebook():
    in_notebooks = {i for path in NOTEBOOKS for i in notebook_exercise_ids(path)}
    assert in_notebooks == set(EXERCISES)


def test_pasting_a_wrong_solution_is_caught(monkeypatch):
    """The proof can fail: a shown solution that is wrong fails its cell's check."""
    monkeypatch.setattr(EXERCISES["00.double"], "solution_code", "def double(x):\n    return x")
    results = run_notebook(NOTEBOOKS[0])
    assert results["00.double"] == ([False], [False])
