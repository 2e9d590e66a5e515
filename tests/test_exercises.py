"""Every registered exercise and quiz: references pass, mistakes get their specific message,
and nothing a learner can pass makes a check raise."""

import html

import numpy as np
import pytest

from helpers.exercises import EXERCISES, QUIZZES, as_number, check, load_all, quiz, solution

load_all()
IDS = sorted(EXERCISES)


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


def test_every_notebook_exercise_set_is_registered():
    assert "00.double" in EXERCISES and "00" in QUIZZES


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_passes(exercise_id, capsys):
    assert check(exercise_id, EXERCISES[exercise_id].reference)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", IDS)
def test_odd_answers_are_rejected_without_raising(exercise_id, capsys):
    for answer in ODD_ANSWERS:
        assert not check(exercise_id, answer)
        out = capsys.readouterr().out
        assert "Not yet, because" in out and "Hint:" in out and "Traceback" not in out


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
