"""Quizzes: multiple-choice questions that explain every answer the moment it is chosen.

Each notebook's exercise set registers its quiz with `register_quiz("NN", [Question(...)])`;
`quiz("NN")` shows it, with a running score.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np

from helpers.widgets.base import StaticText


@dataclass
class Question:
    """A multiple-choice question: options are (text, is_correct, explanation)."""

    prompt: str
    options: list[tuple[str, bool, str]]


QUIZZES: dict[str, list[Question]] = {}


def register_quiz(quiz_id: str, questions: Sequence[Question]) -> None:
    """Add a quiz (a list of questions) to the registry."""
    QUIZZES[quiz_id] = list(questions)


class QuizBox(StaticText, ipw.VBox):
    """The quiz's questions and score; without a kernel, its questions and options as text."""


def _shown_order(question: Question) -> list[str]:
    """The options in an order of their own (fixed per question), so the right answer is not
    always first."""
    order = np.random.default_rng(zlib.crc32(question.prompt.encode())).permutation(
        len(question.options)
    )
    return [question.options[i][0] for i in order]


def _question_widget(number: int, question: Question, on_answer: Callable[[], None]) -> ipw.VBox:
    prompt = ipw.HTMLMath(f"<b>{number}. {question.prompt}</b>")
    choices = ipw.RadioButtons(
        options=_shown_order(question),
        value=None,
        layout=ipw.Layout(width="auto"),
    )
    feedback = ipw.HTMLMath()
    box = ipw.VBox([prompt, choices, feedback])
    box.correct = False

    def show(change: dict) -> None:
        for text, correct, explanation in question.options:
            if text == change["new"]:
                box.correct = correct
                mark = "✓ Right." if correct else "✗ Not quite."
                colour = "#007A4D" if correct else "#B00020"
                feedback.value = f"<span style='color:{colour}'>{mark}</span> {explanation}"
        on_answer()

    choices.observe(show, names="value")
    box.choices, box.feedback = choices, feedback
    return box


def quiz(quiz_id: str) -> ipw.Widget:
    """A multiple-choice quiz that explains every answer the moment it is chosen."""
    from helpers.exercises import load_all

    load_all()
    if quiz_id not in QUIZZES:
        known = ", ".join(sorted(QUIZZES)) or "none"
        return ipw.HTML(html.escape(f"there is no quiz called {quiz_id!r}; known: {known}"))
    questions = QUIZZES[quiz_id]
    score = ipw.HTML()

    def update_score() -> None:
        right = sum(item.correct for item in items)
        score.value = f"<i>{right} of {len(items)} right so far.</i>"

    items = [_question_widget(i + 1, q, lambda: update_score()) for i, q in enumerate(questions)]
    update_score()
    box = QuizBox([*items, score])
    box.questions = items
    box.static_text = "\n\n".join(
        ["**Quiz.** Run this cell to answer; each answer is explained the moment you pick it."]
        + [
            f"{i + 1}. {q.prompt}\n" + "\n".join(f"    - {text}" for text in _shown_order(q))
            for i, q in enumerate(questions)
        ]
    )
    return box
