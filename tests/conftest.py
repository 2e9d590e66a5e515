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
