"""The install: exact pins, Binder's environment.yml in step with requirements.txt, and the
versions in the venv are the pinned ones (so what CI tests is what learners get)."""

import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    result = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line == "-e .":
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([0-9][^\s;]*)", line)
        assert match, f"requirements.txt: {line!r} is not an exact pin (name==version)"
        result[match[1].lower()] = match[2]
    return result


def test_requirements_are_exact_pins_and_install_helpers_editable():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-e ." in lines
    assert {"jupyterlab", "ipywidgets", "numpy", "matplotlib", "nbval", "pytest"} <= set(pins())


def test_installed_versions_are_the_pinned_ones():
    for name, pinned in pins().items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, pinned {pinned}"


def test_environment_yml_installs_requirements_with_ci_python():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*python=3\.11\s*$", text, re.M)
    assert re.search(r"^\s*-\s*pip\s*$", text, re.M)
    assert re.search(r"^\s*-\s*-r requirements\.txt\s*$", text, re.M)
    # Pins belong in requirements.txt alone, so the two files cannot disagree.
    for name in pins():
        assert not re.search(rf"^\s*-\s*{re.escape(name)}\b", text, re.M | re.I), name
    assert not (ROOT / "binder").exists()  # a binder/ folder would hide the root files


def test_helpers_package_has_a_distinctive_name_and_ci_calls_make_test():
    assert 'name = "activation-functions-course-helpers"' in (ROOT / "pyproject.toml").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()
