"""Every registered exercise and quiz: references pass, mistakes get their specific message,
and nothing a learner can pass makes a check raise."""

import ast
import html
import inspect
import json
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from helpers.exercises import (
    EXERCISES,
    QUIZZES,
    as_number,
    check,
    load_all,
    quiz,
    reset_tries,
    solution,
)

load_all()
IDS = sorted(EXERCISES)
NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
SETS = Path(__file__).parent.parent / "helpers" / "exercise_sets"


@pytest.fixture(autouse=True)
def fresh_tries():
    """Every test starts with no wrong answers counted (the count lives in the module)."""
    reset_tries()
    yield
    reset_tries()


def raises(*args, **kwargs):
    raise RuntimeError("half-finished")


ODD_ANSWERS = [
    None,
    ...,
    object(),
    "a string",
    np.zeros((7, 7)),
    raises,
    lambda *a: None,
    3.0,
    [1, "x"],
    float("nan"),
]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_has_its_exercise_set_and_quiz(path):
    """notebooks/NN_name.ipynb has helpers/exercise_sets/nbNN_name.py, which registers quiz NN
    (the notebook calls quiz("NN")) and only exercises whose id starts with "NN."."""
    module = f"helpers.exercise_sets.nb{path.stem}"
    assert (SETS / f"nb{path.stem}.py").exists(), f"{path.name} has no {module}"
    number = path.stem[:2]
    cells = json.loads(path.read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert number in QUIZZES, f"no quiz {number} is registered"
    assert re.search(rf"\bquiz\(\s*[\"']{number}[\"']\s*\)", code), f"{path.name} never calls quiz"
    for exercise in EXERCISES.values():
        if exercise.checker.__module__ == module:
            assert exercise.id.startswith(f"{number}."), (exercise.id, module)


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_passes(exercise_id, capsys):
    assert check(exercise_id, EXERCISES[exercise_id].reference)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", IDS)
def test_odd_answers_are_rejected_without_raising(exercise_id, capsys):
    for n, answer in enumerate(ODD_ANSWERS):
        assert not check(exercise_id, answer)
        out = capsys.readouterr().out
        assert "Not yet, because" in out and "Traceback" not in out
        assert ("Hint:" in out) == (n > 0)  # the hint from the second wrong answer on


@pytest.mark.parametrize("exercise_id", IDS)
def test_feedback_comes_in_tiers(exercise_id, capsys):
    """First wrong answer: the reason only. Second and later: the reason and the hint. The
    solution is never printed by a check. A quiet check counts nothing; reset_tries starts
    again."""
    exercise = EXERCISES[exercise_id]
    assert not check(exercise_id, None, quiet=True)
    assert capsys.readouterr().out == ""  # quiet: printed nothing, and (below) counted nothing
    first = (check(exercise_id, None), capsys.readouterr().out)
    second = (check(exercise_id, None), capsys.readouterr().out)
    assert not first[0] and first[1].startswith("✗ Not yet, because") and "Hint" not in first[1]
    assert exercise.hint not in first[1]
    assert not second[0] and f"Hint: {exercise.hint}" in second[1]
    assert exercise.code() not in first[1] + second[1]
    assert check(exercise_id, exercise.reference)
    assert "Hint" not in capsys.readouterr().out
    reset_tries(exercise_id)
    check(exercise_id, None)
    assert "Hint" not in capsys.readouterr().out


# ---- hints never give the answer away ---------------------------------------------------------
def _normal(text: str) -> str:
    """Code or prose with the spacing, backticks and quote style that can differ removed."""
    return re.sub(r"[\s`]", "", text).replace("'", '"')


def _reference_sources(exercise) -> list[str]:
    sources = [exercise.code()]
    if callable(exercise.reference):
        try:
            sources.append(textwrap.dedent(inspect.getsource(exercise.reference)))
        except (OSError, TypeError):
            pass
    return sources


def answer_fragments(exercise) -> set[str]:
    """The pieces of the reference solution a hint must not contain: every line of its code
    longer than 10 characters (comments and docstrings aside), and every expression of it
    (call, arithmetic, comparison) of 6 characters or more, with each call's opening
    `f(first argument` (`np.where(z>0`) as well."""
    pieces = set()
    for source in _reference_sources(exercise):
        for line in source.splitlines():
            code = _normal(line.split("#")[0])
            if len(code) > 10 and not code.startswith(('"', "def")):
                pieces.add(code)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call | ast.BinOp | ast.Compare):
                text = _normal(ast.unparse(node))
                if len(text) >= 6:
                    pieces.add(text)
            if isinstance(node, ast.Call) and node.args:
                pieces.add(_normal(f"{ast.unparse(node.func)}({ast.unparse(node.args[0])}"))
            if isinstance(node, ast.Call) and ast.unparse(node.func) not in GENERIC_CALLS:
                pieces.add(ast.unparse(node.func))  # the trick itself: np.logaddexp
    pieces |= {p.replace("np.", "") for p in pieces}  # written without the np.
    return {p for p in pieces if len(p) >= 6}


# Calls any answer may mention: building arrays, looping, and the sigmoid the exercises name.
GENERIC_CALLS = {"np.asarray", "np.array", "np.zeros_like", "np.zeros", "range", "float", "print"}
GENERIC_CALLS |= {"expit", "np.random.default_rng", "len", "zeros_like"}


def value_spellings(value) -> list[str]:
    """The ways a hint could spell a value answer: 390625, 3.906e+05, 0.0258, 0.026, "he"."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return []
    v = float(value)
    spellings = {repr(v), f"{v:g}", f"{v:,.0f}"}
    spellings |= {f"{v:.{d}g}" for d in range(2, 7)} | {f"{v:.{d}f}" for d in range(1, 5)}
    if v.is_integer():
        spellings.add(str(int(v)))
    return sorted(s for s in spellings if s.strip("0.-") or v == 0)


@pytest.mark.parametrize("exercise_id", IDS)
def test_hint_contains_neither_the_answers_code_nor_its_value(exercise_id):
    exercise = EXERCISES[exercise_id]
    hint = _normal(exercise.hint)
    leaked = sorted(piece for piece in answer_fragments(exercise) if piece in hint)
    assert not leaked, f"{exercise_id}'s hint gives away the solution's code: {leaked}"
    for spelling in value_spellings(exercise.reference):
        pattern = r"(?<![\w.])" + re.escape(spelling) + r"(?![\w]|\.\d)"
        assert not re.search(pattern, exercise.hint, re.IGNORECASE), (
            f"{exercise_id}'s hint gives away the answer's value {spelling}"
        )


def test_the_answer_detector_finds_answers_in_hints():
    """The two checks above can fail: a hint made of the solution's code, or of its value."""
    step = EXERCISES["01.step"]
    assert "np.where(z>0" in answer_fragments(step)
    assert any(p in _normal("use `np.where(z > 0, ...)`") for p in answer_fragments(step))
    assert "tanh(z)**2" in answer_fragments(EXERCISES["04.tanh_derivative"])
    assert "np.logaddexp" in answer_fragments(EXERCISES["07.softplus"])
    assert "390625" in value_spellings(390625.0) and "0.0258" in value_spellings(0.02581)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_show_the_first_tier_only(path):
    """A fresh Run All prints each stub's first wrong answer: the reason, never a hint."""
    for cell in json.loads(path.read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + json.dumps(output.get("data", {}))
            assert "Hint:" not in text, (path.name, "".join(cell["source"])[:80])


@pytest.mark.parametrize("exercise_id", IDS)
def test_typical_mistakes_get_their_specific_message(exercise_id, capsys):
    exercise = EXERCISES[exercise_id]
    assert exercise.mistakes, f"{exercise_id} lists no typical mistakes"
    reasons = set()
    for answer, phrase in exercise.mistakes:
        verdict = check(exercise_id, answer)
        assert not verdict
        assert phrase in capsys.readouterr().out, (exercise_id, phrase)
        reasons.add(verdict.reason)
    assert len(reasons) == len(exercise.mistakes)  # no two mistakes share one vague message


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_is_collapsed_code(exercise_id):
    shown = solution(exercise_id).value
    assert shown.startswith("<details") and " open" not in shown.split(">")[0]  # collapsed
    assert html.escape(EXERCISES[exercise_id].code()) in shown


def test_unknown_exercise_and_quiz_answer_politely(capsys):
    assert not check("99.nothing", 1)
    assert "no exercise called '99.nothing'" in capsys.readouterr().out
    assert "no quiz called" in quiz("99").value


@pytest.mark.parametrize("quiz_id", sorted(QUIZZES))
def test_quiz_explains_every_answer_and_keeps_score(quiz_id):
    widget = quiz(quiz_id)
    for item, question in zip(widget.questions, QUIZZES[quiz_id]):
        assert sum(correct for _, correct, _ in question.options) == 1  # one right answer
        assert len(question.options) >= 3
        for text, correct, explanation in question.options:
            assert explanation
            item.choices.value = text
            assert explanation in item.feedback.value
            assert ("✓" in item.feedback.value) == correct
    for item, question in zip(widget.questions, QUIZZES[quiz_id]):
        item.choices.value = next(t for t, c, _ in question.options if c)
    n = len(widget.questions)
    assert f"{n} of {n} right" in widget.children[-1].value


@pytest.mark.parametrize(
    "answer, value, words",
    [
        (2.5, 2.5, None),
        (np.array([[3.0]]), 3.0, None),
        (np.int64(4), 4.0, None),
        (None, None, "still empty"),
        (..., None, "still empty"),
        ("2.5", None, "without quotes"),
        (np.sin, None, "a function"),
        ([1.0, 2.0], None, "2 numbers"),
        (float("nan"), None, "NaN or infinity"),
        (object(), None, "one number"),
    ],
)
def test_as_number_gives_the_number_or_the_reason_it_is_not_one(answer, value, words):
    got, reason = as_number(answer)
    assert got == value
    assert (reason is None) if words is None else (words in reason)
