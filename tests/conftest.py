"""Fixtures the unit tests share."""

import pytest

from helpers.exercises import check


@pytest.fixture
def say(capsys):
    """Check an answer as the learner's cell does: say(exercise_id, answer) gives (passed, the
    message the check printed)."""

    def run(exercise_id, answer):
        passed = check(exercise_id, answer)
        return bool(passed), capsys.readouterr().out

    return run


@pytest.fixture
def count_calls():
    """count_calls(obj, "name") wraps obj.name and gives a list that grows by one per call
    (a widget's renders, say: count_calls(widget.live, "render"))."""

    def wrap(obj, name):
        calls, method = [], getattr(obj, name)

        def counted(*args, **kwargs):
            calls.append(1)
            return method(*args, **kwargs)

        setattr(obj, name, counted)
        return calls

    return wrap
