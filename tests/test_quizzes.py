"""Quizzes that teach (issue 15, item 5): four options unless a question is a plain yes/no, a
prediction ("What happens if ...") in every quiz, and no question asked twice, in the quizzes or
in the exercises. One right answer per question and an explanation for every option are checked
in test_exercises.py.

The wrong options come from INSTRUCTOR_GUIDE's table of misconceptions; add a row there when you
add an option."""

import difflib
import itertools
import re
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import EXERCISES, QUIZZES, Question, load_all

load_all()
NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))

# A prediction question: its prompt starts "What happens if ..." or "What happens to ... if ..."
# (or "What would happen ... if ...").
PREDICTION = re.compile(r"^What (happens|would happen)\b.*\bif\b", re.DOTALL)
# Two prompts ask the same question when their word sequences are more alike than this (see
# `similarity`). The repeats issue 15 found in the earlier quizzes scored 0.57 and 0.69; the two
# most alike prompts of different questions today score 0.37.
NEAR = 0.55


def is_yes_no(question: Question) -> bool:
    return {text for text, _, _ in question.options} == {"Yes", "No"}


def words(text: str) -> list[str]:
    """The text lowercased, markup and punctuation dropped, as a list of words."""
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def similarity(a: str, b: str) -> float:
    """1.0 for the same words in the same order (case and punctuation ignored), less the more
    words differ (difflib's ratio over the two word sequences)."""
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if len(words(s)) >= 4]


def exercise_prompts() -> dict[str, str]:
    """Each exercise's prompt, the markdown cell above the cell that checks it, under the ids
    it asks for ("03.leaky_relu, 03.leaky_relu_derivative" when one prompt asks for two)."""
    ids_by_prompt: dict[str, list[str]] = {}
    for path in NOTEBOOKS:
        above = ""
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                above = cell.source
            elif cell.cell_type == "code" and "quiet=True" not in cell.source:
                for exercise_id in re.findall(r"\bcheck\(\s*[\"']([^\"']+)[\"']", cell.source):
                    ids = ids_by_prompt.setdefault(above, [])
                    ids += [exercise_id] * (exercise_id not in ids)
    return {", ".join(ids): prompt for prompt, ids in ids_by_prompt.items()}


def quiz_prompts() -> dict[str, str]:
    return {
        f"quiz {quiz_id}, question {n}": question.prompt
        for quiz_id, questions in sorted(QUIZZES.items())
        for n, question in enumerate(questions, start=1)
    }


def repeats(prompts: dict[str, str], exercises: dict[str, str]) -> list[str]:
    """Every pair of prompts that ask the same question: two quiz prompts, a quiz prompt and an
    exercise's prompt or any one sentence of it, or two exercise prompts."""
    found = []
    pairs = itertools.chain(
        itertools.combinations(prompts.items(), 2),
        itertools.combinations(exercises.items(), 2),
        (
            ((label, prompt), (f"exercise {exercise_id}", part))
            for label, prompt in prompts.items()
            for exercise_id, text in exercises.items()
            for part in [text, *sentences(text)]
        ),
    )
    for (label_a, a), (label_b, b) in pairs:
        score = similarity(a, b)
        if score > NEAR:
            found.append(f"{label_a} and {label_b} ({score:.2f}): {a!r} / {b!r}")
    return found


@pytest.mark.parametrize("quiz_id", sorted(QUIZZES))
def test_four_options_unless_yes_no(quiz_id):
    for question in QUIZZES[quiz_id]:
        want = 2 if is_yes_no(question) else 4
        assert len(question.options) == want, (
            f"quiz {quiz_id}: {question.prompt!r} has {len(question.options)} options; a "
            f"question that is not a plain Yes/No needs 4 (three real misconceptions)"
        )


@pytest.mark.parametrize("quiz_id", sorted(QUIZZES))
def test_every_quiz_asks_for_a_prediction(quiz_id):
    prompts = [question.prompt for question in QUIZZES[quiz_id]]
    assert any(PREDICTION.match(prompt) for prompt in prompts), (
        f"quiz {quiz_id} has no question that starts “What happens if …” (or “What happens "
        f"to … if …”): {prompts}"
    )


def test_every_exercise_prompt_is_found_in_its_notebook():
    found = {i for ids in exercise_prompts() for i in ids.split(", ")}
    missing = sorted(set(EXERCISES) - found)
    assert not missing, f"no notebook cell checks {missing}: their prompts can't be compared"


def test_no_question_is_asked_twice():
    found = repeats(quiz_prompts(), exercise_prompts())
    assert not found, "the same question asked twice:\n" + "\n".join(found)


def test_the_repeat_finder_finds_repeats_and_only_those():
    asked = "A gradient check gives a relative error of 0.3. What does that mean?"
    exercise = (
        "**4. Pick the init.** You build a 20-layer ReLU network. Which scheme keeps its "
        'activations\' std about constant: `"normal"`, `"xavier"` or `"he"`?'
    )
    # the same words, other case and punctuation; one sentence of an exercise
    assert repeats({"a": asked, "b": asked.upper().replace(".", ":")}, {})
    assert repeats(
        {"a": "Which scheme keeps the activations' std about constant?"}, {"x": exercise}
    )
    # the repeats issue 15 named: the earlier quizzes' 04 Q3 and 07 Q5, 02 Q1 and 07 Q1
    assert repeats(
        {
            "04": asked,
            "07": "A gradient check reports a relative error of 0.3 between your derivative "
            "and central differences. What does that tell you?",
        },
        {},
    )
    assert repeats(
        {
            "02": "You stack 10 linear layers with no activation between them. What can the "
            "network compute?",
            "07": "You stack three layers with no activation (g(z) = z). What can the network "
            "draw between red and blue dots?",
        },
        {},
    )
    # different questions on the same subject
    assert not repeats({"a": asked, "b": "What happens if the gradient check gives 1e-9?"}, {})
    assert not repeats({"a": asked}, {"x": exercise})
