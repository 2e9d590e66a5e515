"""helpers/ stays small and legible: no module over 400 lines (the exercise sets, whose length is
exercise and quiz prose, aside)."""

from pathlib import Path

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
MAX_LINES = 400


def test_no_helpers_module_is_over_400_lines():
    modules = [p for p in HELPERS.rglob("*.py") if "exercise_sets" not in p.parts]
    assert len(modules) > 10  # the scan found the package
    too_long = {
        str(p.relative_to(HELPERS)): n
        for p in modules
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these modules (lines): {too_long}"
