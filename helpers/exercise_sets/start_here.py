"""Notebook 00: a warm-up exercise and quiz that show how checks and quizzes behave."""

import numpy as np

from helpers.exercises import Exercise, Question, compare_function, register, register_quiz


def _double(x):
    return 2 * np.asarray(x, dtype=float)


register(
    Exercise(
        id="00.double",
        checker=lambda answer: compare_function(answer, _double, [[1.0, -2.0, 0.5], 3.0], "double"),
        hint="numpy does arithmetic on every entry of an array at once: the expression you "
        "would write for one number works unchanged for a whole array.",
        reference=_double,
        solution_code="def double(x):\n    return 2 * x",
        mistakes=[
            (None, "still empty"),
            (lambda x: x + 2, "right value"),
            (lambda x: None, "return"),
        ],
    )
)

register_quiz(
    "00",
    [
        Question(
            "An exercise check prints “✗ Not yet”. What should you do?",
            [
                (
                    "Read the reason and the hint, change your code, run the cell again",
                    True,
                    "Checks are there to answer at once; try as often as you like.",
                ),
                (
                    "Open the reference solution straight away",
                    False,
                    "You learn more by trying first; the solution waits for when you are stuck.",
                ),
                (
                    "Restart the kernel",
                    False,
                    "A wrong answer never breaks anything; no restart is needed.",
                ),
            ],
        ),
    ],
)
