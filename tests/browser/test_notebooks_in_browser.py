"""Every notebook in notebooks/, in JupyterLab in Chromium, the way a learner meets it.

Per notebook (one fresh kernel, one page): open it as committed, Run All Cells, count what
rendered, then operate every widget control from the keyboard, every quiz question and every
hidden solution. Screenshots go to tests/screenshots/ (ignored by git):
NN_0_as_committed.png, NN_1_after_run_all.png (the whole notebook) and one per interaction.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import lab_driver as lab
import pytest
from expectations import (
    DEFAULT_TIMEOUT,
    derived_counts,
    interaction,
)

NOTEBOOK_PATHS = sorted(lab.NOTEBOOKS.glob("*.ipynb"))
EXACT_COUNTS = (
    "course_widgets",
    "sliders",
    "dropdowns",
    "buttons",
    "checkboxes",
    "multi_selects",
    "widget_figures",
    "static_figures",
)


@dataclass
class NotebookRun:
    """What one notebook showed in the browser, phase by phase."""

    path: Path
    page: object = None
    committed_problems: list[str] = field(default_factory=list)
    committed_errors: list[str] = field(default_factory=list)
    run_error: str | None = None
    run_seconds: float | None = None
    unfinished: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    run_errors: list[str] = field(default_factory=list)
    log: lab.PageLog = field(default_factory=lab.PageLog)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def notebook(self) -> dict:
        return json.loads(self.path.read_text(encoding="utf-8"))

    def shot(self, directory: Path, suffix: str) -> Path:
        return directory / f"{self.name}_{re.sub(r'[^A-Za-z0-9_.-]+', '-', suffix)}.png"


def _committed_widget_views(notebook: dict) -> int:
    mime = "application/vnd.jupyter.widget-view+json"
    return sum(
        mime in output.get("data", {})
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
    )


@pytest.fixture(scope="module", params=NOTEBOOK_PATHS, ids=lambda p: p.stem)
def nb(request, jupyterlab, browser, screenshots):
    """Open the notebook as committed, record what shows, Run All, record again."""
    run = NotebookRun(request.param)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    run.page = page
    run.log.attach(page)
    jupyterlab.end_sessions()  # a fresh kernel, whatever ran this notebook before
    lab.open_notebook(page, jupyterlab, f"notebooks/{run.path.name}")
    run.committed_problems = lab.page_problems(page)
    run.committed_errors = list(run.log.errors)
    page.screenshot(path=str(run.shot(screenshots, "0_as_committed")))
    seen = len(run.log.errors)
    try:
        run.run_seconds = lab.run_all(page)
    except Exception as exc:  # reported by the test below, with a screenshot
        run.run_error = f"{type(exc).__name__}: {exc}"
    run.unfinished = lab.unfinished_cells(page)
    run.problems = lab.page_problems(page)
    run.run_errors = run.log.errors[seen:]
    lab.screenshot_notebook(page, run.shot(screenshots, "1_after_run_all"))
    yield run
    context.close()


# ---- 1. as committed ------------------------------------------------------------------------
def test_opens_cleanly_as_committed(nb):
    """Before anything runs: no widget errors, no widget shown as text, no console errors."""
    problems = list(nb.committed_problems) + nb.committed_errors
    views = _committed_widget_views(nb.notebook)
    if views:
        problems.append(
            f"the committed notebook stores {views} widget view(s): JupyterLab shows them as "
            "plain text until the notebook is trusted, or as 'Error displaying widget' once "
            "the kernel that made them is gone. Commit it through `make outputs`, which "
            "removes widget views and widget state."
        )
    assert not problems, "\n".join(problems)


# ---- 2. Run All -----------------------------------------------------------------------------
def test_run_all_finishes_without_errors(nb):
    problems = []
    if nb.run_error:
        problems.append(f"Run All did not finish: {nb.run_error}")
    problems += nb.unfinished + nb.problems + nb.run_errors
    assert not problems, "\n".join(problems)
    print(f"{nb.name}: Run All took {nb.run_seconds:.1f} s")


# ---- 3. everything renders ------------------------------------------------------------------
def test_every_widget_renders(nb):
    page = nb.page
    counts = lab.widget_counts(page)
    facts = lab.widget_facts(page)
    expected, classes, profiles = derived_counts(nb.notebook)
    problems = [
        f"{key}: {counts[key]} rendered, {expected.get(key, 0)} expected (from the notebook's "
        "code, the widget registry and its committed figures)"
        for key in EXACT_COUNTS
        if counts[key] != expected.get(key, 0)
    ]
    for key in ("quiz_questions", "solutions"):
        if counts[key] != expected.get(key, 0):
            problems.append(
                f"{key}: {counts[key]} rendered, but the code's quiz()/solution() calls make "
                f"{expected.get(key, 0)}"
            )
    if counts["course_widgets"] < expected.get("course_widgets", 0):
        problems.append(
            f"{counts['course_widgets']} course widgets rendered, but the code calls "
            f"{expected['course_widgets']} widget builders ({dict(classes)})"
        )
    rendered = {}
    for fact in facts:
        rendered[fact["cls"]] = rendered.get(fact["cls"], 0) + 1
    for cls, n in classes.items():
        if rendered.get(cls, 0) < n:
            problems.append(f"{cls}: {rendered.get(cls, 0)} rendered, {n} built by the code")
    for i, fact in enumerate(facts):
        where = f"widget {i} ({fact['cls']})"
        if not fact["figure"] or not fact["figure"].startswith("blob:"):
            problems.append(f"{where} shows no figure")
        elif not fact["figure_size"] or min(fact["figure_size"]) < 50:
            problems.append(f"{where}: its figure is {fact['figure_size']} pixels")
        if not fact["readout"].strip():
            problems.append(f"{where} has an empty readout")
        if fact["message"]:
            problems.append(f"{where} shows an error: {fact['message'][:300]}")
        if not fact["controls"]:
            problems.append(f"{where} has no controls")
        if fact["cls"] in profiles:
            kinds, n = profiles[fact["cls"]]
            if len(fact["controls"]) != n:
                problems.append(f"{where}: {len(fact['controls'])} controls shown, {n} built")
            for kind, want in kinds.items():
                if kind in fact["kinds"] and fact["kinds"][kind] != want:
                    problems.append(f"{where}: {fact['kinds'][kind]} {kind} shown, {want} built")
    print(f"{nb.name}: {counts}")
    assert not problems, "\n".join(problems)


# ---- 4. every control, from the keyboard ----------------------------------------------------
def test_every_control_works_from_the_keyboard(nb, screenshots):
    """Operate each control of each course widget as a person with a keyboard would; the
    figure and the readout must follow within a second."""
    seen = len(nb.log.errors)
    problems, timings = lab.operate_every_control(
        nb.page,
        rules=interaction,
        timeout=DEFAULT_TIMEOUT,
        shot=lambda suffix: nb.shot(screenshots, f"2_{suffix}"),
    )
    problems += nb.log.errors[seen:]
    lines = [f"Run All: {nb.run_seconds or float('nan'):.1f} s"]
    lines += [f"{where}: {ms} ms until the figure and readout changed" for where, ms in timings]
    (screenshots / f"{nb.name}_timings.txt").write_text("\n".join(lines) + "\n")
    print(f"{nb.name}: ms until the figure and readout changed: {timings}")
    assert not problems, "\n".join(problems)


def test_sliders_at_their_ends(nb, screenshots):
    """Every slider pushed to its maximum and minimum (End, Home) still gives a picture and no
    error or warning."""
    seen = len(nb.log.errors)
    problems = lab.slider_extreme_problems(
        nb.page, shot=lambda suffix: nb.shot(screenshots, f"5_{suffix}")
    )
    assert not problems + nb.log.errors[seen:], "\n".join(problems + nb.log.errors[seen:])


# ---- quizzes and solutions ------------------------------------------------------------------
def test_quiz_answers_from_the_keyboard(nb, screenshots):
    """Choose an answer to every quiz question with Space: its explanation appears at once."""
    page = nb.page
    questions = page.locator(f"{lab.PANEL} {lab.COUNT_SELECTORS['quiz_questions']}")
    problems = []
    for i in range(questions.count()):
        radio = questions.nth(i)
        box = radio.locator("xpath=..")
        choice = radio.locator("input[type=radio]").first
        choice.scroll_into_view_if_needed()
        choice.focus()
        page.keyboard.press("Space")
        feedback = box.locator(".widget-htmlmath-content").last
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while time.monotonic() < deadline and not feedback.inner_text().strip():
            time.sleep(0.02)
        text = feedback.inner_text().strip()
        if not choice.is_checked():
            problems.append(f"question {i + 1}: Space did not choose the answer")
        if not re.match(r"[✓✗]", text):
            problems.append(f"question {i + 1}: no explanation within a second ({text[:80]!r})")
    if questions.count():
        questions.last.locator("xpath=../..").screenshot(path=str(nb.shot(screenshots, "3_quiz")))
    problems += lab.log_console_problems(page)
    assert not problems, "\n".join(problems)


def test_solutions_stay_hidden_then_open(nb, screenshots):
    """Each reference solution is collapsed after Run All, and opens to show code."""
    problems = lab.solution_problems(
        nb.page, keyboard=False, shot=lambda i: nb.shot(screenshots, f"4_solution_{i}")
    )
    assert not problems, "\n".join(problems)


def test_solutions_open_from_the_keyboard(nb):
    """A learner who cannot use a mouse must reach and open a solution with Tab and Enter."""
    problems = lab.solution_problems(nb.page, keyboard=True)
    assert not problems, "\n".join(problems)
