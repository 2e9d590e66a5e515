"""Exercise checks that answer at once and never raise at the learner (quizzes: helpers.quizzes).

Each notebook's module of `helpers.exercise_sets` registers its exercises. `check("01.step",
step)` prints a tick or "not yet, because ..." (from the second wrong answer on, with a hint) and
returns true or false, whatever it is given; `solution("01.step")` shows the reference, folded.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as ipw
import numpy as np

from helpers.quizzes import QUIZZES, Question, quiz, register_quiz  # noqa: F401 (re-exported)
from helpers.widgets.base import StaticText


@dataclass
class Exercise:
    """One exercise. `checker(answer)` returns None when the answer is right, else the reason.
    `mistakes` lists typical wrong answers with a phrase their message must contain (tests use
    it to prove each mistake gets a specific hint)."""

    id: str
    checker: Callable[[Any], str | None]
    hint: str
    reference: Any
    solution_code: str = ""
    mistakes: list[tuple[Any, str]] = field(default_factory=list)

    def code(self) -> str:
        """The reference solution as code to show the learner."""
        return textwrap.dedent(self.solution_code or inspect.getsource(self.reference)).strip()


EXERCISES: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry."""
    EXERCISES[exercise.id] = exercise
    return exercise


def load_all() -> None:
    """Import every exercise set, `helpers/exercise_sets/nbNN_<notebook name>.py` (one per
    notebook, found by that pattern), so their exercises and quizzes are registered."""
    import helpers.exercise_sets as package

    for module in pkgutil.iter_modules(package.__path__):
        if re.fullmatch(r"nb\d\d_\w+", module.name):
            importlib.import_module(f"helpers.exercise_sets.{module.name}")


def _lookup(registry: dict, key: str, what: str):
    load_all()
    if key not in registry:  # after load_all, never empty
        raise KeyError(f"there is no {what} called {key!r}; known: {', '.join(sorted(registry))}")
    return registry[key]


# ---- checking ------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Verdict:
    """What `check` returns: true or false like a bool (`if check(...)`, `== True`), but it
    shows nothing as a cell's last value, since `check` has already printed its message."""

    passed: bool
    reason: str | None

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other: object) -> bool:
        return self.passed == bool(other) if isinstance(other, bool | Verdict) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.passed)

    def _ipython_display_(self) -> None:
        """Display nothing: the message was printed when the check ran."""


_TRIES: dict[str, int] = {}  # wrong answers so far in this session, per exercise id


def reset_tries(exercise_id: str | None = None) -> None:
    """Forget the wrong answers counted so far (for one exercise, or all): the next wrong
    answer is a first try again, with no hint (for an instructor's demonstration, and tests)."""
    for key in [exercise_id] if exercise_id is not None else list(_TRIES):
        _TRIES.pop(key, None)


def check(exercise_id: str, answer: Any, quiet: bool = False) -> Verdict:
    """Check an answer: print a tick, or the reason it is not right yet; from the second wrong
    answer to the same exercise on, a conceptual hint as well. Each printed check counts as a
    try (re-running the cell too); a quiet one prints nothing and counts nothing.
    Returns a Verdict that is true or false like a bool; never raises."""
    try:
        exercise = _lookup(EXERCISES, exercise_id, "exercise")
    except KeyError as exc:
        if not quiet:
            print(f"✗ {exc.args[0]}")
        return Verdict(False, exc.args[0])
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            reason = exercise.checker(answer)
    except Exception as exc:  # a checker must never put a traceback in front of a learner
        reason = f"checking your answer raised {type(exc).__name__}: {exc}"
    if not quiet:
        if reason is None:
            print(f"✓ Correct! ({exercise_id})")
        else:
            _TRIES[exercise_id] = _TRIES.get(exercise_id, 0) + 1
            hint = f"\n  Hint: {exercise.hint}" if _TRIES[exercise_id] > 1 else ""
            print(f"✗ Not yet, because {reason}{hint}")
    return Verdict(reason is None, reason)


def kind_of(obj: object) -> str:
    """'an array', 'a str', 'a function'...: what a learner's object is, in words."""
    name = "array" if isinstance(obj, np.ndarray) else type(obj).__name__
    return f"{'an' if name[0] in 'aeio' else 'a'} {name}"  # "a ufunc", "an int"


# ---- calling the learner's code: the one place that does it ---------------------------------
@dataclass
class Call:
    """What calling the learner's function gave: its result as a float array, or the reason
    (plain words) there is none; and numpy's warnings on the way."""

    value: Any  # a float array; with call_learner(numbers=False), what the function returned
    error: str | None
    warnings: list[str] = field(default_factory=list)


def not_a_function(obj: object, name: str) -> str | None:
    """Why `obj` is not a function the learner can hand in, or None if it is one."""
    if obj is None or obj is Ellipsis:
        return f"{name} is still empty: define it with `def` (or `lambda z: ...`)"
    if isinstance(obj, str):  # a short formula in z is shown as a function; others are not cut
        short = len(obj) <= 60 and re.search(r"\bz\b", obj)
        example = f"`lambda z: {obj.strip()}`" if short else "`def`, then `return` the formula"
        return f"{name} is text ({obj[:40]!r}), not a function: write it as a function, {example}"
    if isinstance(obj, np.ndarray | list | tuple | int | float | np.number):
        return (
            f"{name} is {kind_of(obj)}, not a function: pass the function itself (`g`), not its "
            "value (`g(z)`)"
        )
    if not callable(obj):
        return f"{name} is {kind_of(obj)}, not a function: define one with `def`"
    return None


def explain_error(exc: BaseException, name: str) -> str:
    """A plain-words reason for an exception raised by the learner's code."""
    text = str(exc)
    if isinstance(exc, NameError):
        missing = getattr(exc, "name", None) or (text.split("'")[1] if "'" in text else text)
        if hasattr(np, str(missing)):
            return (
                f"{name} uses `{missing}`, which Python does not know here: write "
                f"`np.{missing}` (numpy's version, which works on whole arrays)"
            )
        return (
            f"{name} uses the name `{missing}`, which is not defined: is the input called `z`, "
            "and is every helper defined before you call it?"
        )
    if isinstance(exc, TypeError) and any(
        word in text for word in ("scalar", "real number", "only length-1", "convert")
    ):
        return (
            f"{name} works one number at a time, not on a numpy array: functions from `math` "
            "(such as `math.exp`) take a single number; numpy's `np.exp`, `np.tanh`, ... take "
            "a whole array"
        )
    if isinstance(exc, TypeError) and "bitwise_xor" in text:
        return f"{name} uses `^`, which in Python is not a power: write `**` (`z**2`, not `z^2`)"
    if isinstance(exc, ValueError) and "truth value" in text:
        return (
            f"{name} works one number at a time, not on a numpy array: `if`, `and`, `or` and "
            "`max` ask one yes-or-no question of the whole array; numpy's functions work entry "
            "by entry"
        )
    if isinstance(exc, ValueError) and (size := re.search(r"size \d+ is different from \d+", text)):
        return f"{name}: in a product A @ B, A's columns must match B's rows ({size[0]})"
    if isinstance(exc, ZeroDivisionError | OverflowError):
        return f"{name} raised {type(exc).__name__} ({text}): it is working on plain Python numbers"
    return f"{name} raised {type(exc).__name__}: {text}"


def call_learner(fn: object, *args: Any, name: str = "your function", numbers: bool = True) -> Call:
    """Call the learner's `fn(*args)` on copies of the arguments, never raising: an error, an
    empty or non-numeric result, complex numbers, or a changed input becomes a reason. With
    numbers=False the result is returned as it is (several arrays, say) for the caller to check."""
    reason = not_a_function(fn, name)
    if reason:
        return Call(None, reason)
    copies = [np.array(a, dtype=np.float64) if isinstance(a, list | tuple) else a for a in args]
    given = [c.copy() if isinstance(c, np.ndarray) else c for c in copies]
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        try:
            out = fn(*given)
        except Exception as exc:  # the learner's code: explain, never raise
            return Call(None, explain_error(exc, name))
    found = sorted({str(w.message) for w in caught})
    if out is None:
        return Call(None, f"{name} returned None: is there a `return` line?", found)
    if out is Ellipsis:
        return Call(None, f"{name} still returns `...`: replace it with your code", found)
    if any(
        isinstance(c, np.ndarray) and not np.array_equal(c, g, equal_nan=True)
        for c, g in zip(copies, given)
    ):
        return Call(
            None,
            f"{name} changes its input (the array it was given is not the same after the "
            "call), and the caller still needs it: build new arrays (`np.where(...)`, "
            "`w + step`) or begin with a copy (`z = z.copy()`)",
            found,
        )
    if not numbers:
        return Call(out, None, found)
    if np.iscomplexobj(out):
        return Call(
            None,
            f"{name} returned complex numbers (a square root or log of a negative number?): "
            "it must give real numbers",
            found,
        )
    try:
        value = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return Call(None, f"{name} returned {kind_of(out)}, not numbers", found)
    return Call(value, None, found)


def as_number(answer: object) -> tuple[float | None, str | None]:
    """The answer as one float and None, or None and the reason (plain words) it is not one
    finite number: empty, text, a function, not a number, several numbers, NaN or infinity."""
    if answer is None or answer is Ellipsis:
        return None, "your answer is still empty; replace the `...` with a number"
    if isinstance(answer, str):
        return None, f"your answer is the text {answer!r}; type the number without quotes"
    if callable(answer):
        return None, "your answer is a function; the exercise asks for one number"
    try:
        arr = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"your answer should be one number, but it is a {type(answer).__name__}"
    if arr.size != 1:
        return None, f"your answer has {arr.size} numbers (shape {arr.shape}); give just one"
    value = float(arr.ravel()[0])
    if not np.isfinite(value):
        return None, "your answer is NaN or infinity; give an ordinary number"
    return value, None


def as_choice(answer: object, options: Sequence[str]) -> tuple[str | None, str | None]:
    """The option the answer names (case, spaces, hyphens, underscores, a final s ignored) and
    None, or None and the reason (plain words) it names none of them."""
    listed = ", ".join(repr(o) for o in options)
    if answer is None or answer is Ellipsis:
        return None, f"your answer is still empty; replace the `...` with one of {listed}"
    if not isinstance(answer, str):
        return None, f"your answer is {kind_of(answer)}; type one of {listed} (in quotes)"

    def key(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum()).removesuffix("s")

    for option in options:
        if key(answer) == key(option):
            return option, None
    return None, f"{answer!r} is not one of the choices; type one of {listed}"


def compare_values(
    answer: Any, expected: Any, name: str = "your answer", rtol: float = 1e-6, atol: float = 1e-9
) -> str | None:
    """None if `answer` matches `expected` (numbers or arrays), else a reason in plain words."""
    if answer is None or answer is Ellipsis:
        return f"{name} is still empty (None); replace the `...` with your answer"
    if callable(answer):
        return f"{name} is a function; the exercise asks for its value"
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{name} should be numbers, but it is {kind_of(answer)}"
    want = np.asarray(expected, dtype=np.float64)
    if got.shape != want.shape:
        return f"{name} has shape {got.shape}, but it should have shape {want.shape}"
    if not np.all(np.isfinite(got)):
        shown = np.array2string(got, precision=4, separator=", ", threshold=8)
        return f"{name} contains NaN or infinity: {shown}"
    if not np.allclose(got, want, rtol=rtol, atol=atol):
        if got.ndim == 0:
            return f"{name} is {float(got):.6g}, which is not the expected value"
        i = np.unravel_index(np.argmax(np.abs(got - want) - rtol * np.abs(want)), got.shape)
        return f"{name} is not right at index {tuple(int(k) for k in i)}: it is {got[i]:.6g} there"
    return None


def compare_function(
    answer: Any,
    reference: Callable[..., Any],
    inputs: Sequence[Any],
    name: str = "your function",
    mistakes: Sequence[tuple[Callable[..., Any], str]] = (),
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> str | None:
    """None if the function `answer` agrees with `reference` on every input, else a reason.
    `mistakes` are typical wrong functions with their explanation: an answer that agrees with
    one of them on every input gets that explanation."""
    outputs, warned, expected = [], set(), [quietly(reference)(x) for x in inputs]
    for x, want in zip(inputs, expected):
        call = call_learner(answer, x, name=name)
        if call.error:  # a single number too, as in g(1.5)
            alone = f" (it was called with the single number {x:g})" if np.ndim(x) == 0 else ""
            return call.error + alone
        if call.value.shape != want.shape:
            return (
                f"for an input of shape {np.shape(x)} {name} returned shape {call.value.shape}; "
                f"it should return shape {want.shape} (one value per element)"
            )
        outputs.append(call.value)
        warned.update(call.warnings)

    def agrees(wants: list[np.ndarray]) -> bool:
        return all(
            got.shape == want.shape and np.allclose(got, want, rtol=rtol, atol=atol)
            for got, want in zip(outputs, wants)
        )

    if agrees(expected):
        return None
    for wrong, message in mistakes:
        if agrees([quietly(wrong)(x) for x in inputs]):
            return message
    said = f" (numpy warned: {'; '.join(sorted(warned))})" if warned else ""
    for got, want, x in zip(outputs, expected, inputs):
        if not np.allclose(got, want, rtol=rtol, atol=atol):
            bad = np.flatnonzero(~np.isclose(got, want, rtol=rtol, atol=atol).ravel())[0]
            x_flat = np.asarray(x, dtype=np.float64).ravel()
            where = f"at input {x_flat[bad]:.6g} " if x_flat.size == want.size else ""
            return (
                f"{name} gives {got.ravel()[bad]:.6g} {where}but the right value is "
                f"{want.ravel()[bad]:.6g}{'' if np.isfinite(got.ravel()[bad]) else said}"
            )
    return None


def quietly(fn: Callable[..., Any]) -> Callable[[Any], np.ndarray]:
    """fn as a float64 function of a float64 copy of its input, numpy's warnings silenced: for
    our own functions (references, typical mistakes) and learner code `call_learner` has
    already checked, whose warnings were reported there."""

    def run(x: Any) -> np.ndarray:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return np.asarray(fn(np.array(x, dtype=np.float64)), dtype=np.float64)

    return run


class SolutionBox(StaticText, ipw.HTML):
    """A reference solution; without a kernel, a line saying where it appears."""

    static_text = "*The reference solution appears here, folded, when this cell runs.*"


def solution(exercise_id: str) -> ipw.HTML:
    """The reference solution, collapsed until the learner opens it (a click, or Tab to the
    summary and Enter: an HTML <details> works from the keyboard)."""
    try:
        code = _lookup(EXERCISES, exercise_id, "exercise").code()
    except KeyError as exc:
        return ipw.HTML(html.escape(exc.args[0]))
    return SolutionBox(
        "<details class='course-solution'>"
        f"<summary style='cursor:pointer'><b>Reference solution ({html.escape(exercise_id)})"
        "</b>: open only after you have tried</summary>"
        f"<pre style='font-size:0.95em'>{html.escape(code)}</pre></details>"
    )
