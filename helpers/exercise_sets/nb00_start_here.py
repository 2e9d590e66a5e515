"""Notebook 00: a warm-up exercise and quiz that show how checks and quizzes behave."""

import numpy as np

from helpers.exercises import Exercise, Question, compare_function, register, register_quiz


def _double(x):
    return 2 * np.asarray(x, dtype=float)


register(
    Exercise(
        id="00.double",
        checker=lambda answer: compare_function(answer, _double, [[1.0, -2.0, 0.3], 3.0], "double"),
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
            "An exercise check prints “✗ Not yet, because …”. What should you do next?",
            [
                (
                    "Read the reason, change your code and run the cell again",
                    True,
                    "Yes. The reason says what is wrong with this answer, and from your second "
                    "try on the check adds a hint. Trying again costs nothing, and working it out "
                    "yourself is what makes it stick.",
                ),
                (
                    "Open the reference solution: the check has shown that you are wrong",
                    False,
                    "Reading a solution feels like understanding it, but one more try teaches you "
                    "far more. The solution waits, collapsed, for when you are really stuck.",
                ),
                (
                    "Restart the kernel: a failed check leaves the notebook in a broken state",
                    False,
                    "A check never raises an error and never stops the notebook: the unfinished "
                    "`double` above printed “Not yet”, and every cell after it still ran. Nothing "
                    "needs restarting.",
                ),
                (
                    "Rewrite your code to look like the reference solution, since the check "
                    "compares code",
                    False,
                    "The check compares values, not code: it calls your function on several "
                    "inputs and compares the numbers. `2 * x`, `x + x` and `x * 2.0` all pass "
                    "`00.double`.",
                ),
            ],
        ),
        Question(
            "What happens if you close your Binder tab at lunch and come back an hour later?",
            [
                (
                    "The session has stopped and your changes are gone: download what you want "
                    "to keep before you leave (File → Download)",
                    True,
                    "Right. A Binder session is temporary: it stops after some minutes without "
                    "activity, and the files you changed go with it.",
                ),
                (
                    "Your work is waiting: Binder saves your changes to the course's repository",
                    False,
                    "Binder only reads the repository to build your session; it never writes "
                    "back to it. Your edits live in the temporary session alone.",
                ),
                (
                    "The notebook is back as you left it, its variables still defined",
                    False,
                    "A stopped session takes its kernel, and every variable in it, with it. Even "
                    "a session you keep gets a fresh kernel when it restarts: run the cells again "
                    "from the top.",
                ),
                (
                    "Only the outputs are lost; the code you typed is kept in your browser",
                    False,
                    "The browser only shows the notebook; its file lives in the session on "
                    "Binder's server. When the session stops, the code you typed goes with it.",
                ),
            ],
        ),
        Question(
            "In the notation table, what does g′(z) mean?",
            [
                (
                    "The slope of the activation g at z: how fast its output changes as z changes",
                    True,
                    "Yes: the prime marks a derivative. Notebook 04 shows why it matters: "
                    "backpropagation multiplies the learning signal by this slope at every layer.",
                ),
                (
                    "g(z) transposed, as an apostrophe means in MATLAB",
                    False,
                    "In this course, as in most maths, the prime means a derivative. A transpose "
                    "is written with a T: Wᵀ, `W.T` in numpy.",
                ),
                (
                    "The activation's output at z, the number the neuron passes on",
                    False,
                    "That is g(z) itself, the activation a. g′(z) is its slope, a different "
                    "number: a saturated sigmoid has an output near 1 and a slope near 0 "
                    "(notebook 04).",
                ),
                (
                    "The gradient of the loss, ∂L/∂W",
                    False,
                    "The gradient of the loss is a product of many factors (notebook 04); g′(z) "
                    "is one of them, the activation's own slope. The table lists them apart.",
                ),
            ],
        ),
    ],
)
