"""The install: exact pins, each in one file; a learner's set (requirements.txt, what Binder and a
hub image install) that holds what the course imports and no test tool; Binder's environment.yml
in step with requirements.txt; and the versions in the venv are the pinned ones (so what CI tests
is what learners get)."""

import re
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LEARNER = ROOT / "requirements.txt"
DEV = ROOT / "requirements-dev.txt"
HUB = ROOT / "hub" / "requirements.txt"
# Tools only the tests (and the hub's own process) use: never in a learner's environment.
TEST_TOOLS = {
    "pytest", "nbval", "ruff", "playwright", "mpmath", "jupyter-repo2docker", "jupyterhub",
    "jupyterhub-idle-culler", "jupyterhub-systemdspawner",
}  # fmt: skip


def pins_in(path: Path) -> dict[str, str]:
    """name -> version for each exact pin in one requirements file (its -r and -e lines skipped)."""
    result = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line == "-e ." or line.startswith("-r "):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([0-9][^\s;]*)", line)
        assert match, f"{path.name}: {line!r} is not an exact pin (name==version)"
        result[canonicalize_name(match[1])] = match[2]
    return result


def pins() -> dict[str, str]:
    """Every pin of the learner's file (the set Binder installs)."""
    return pins_in(LEARNER)


def installed_closure(names) -> set[str]:
    """The distributions these pulls in, as the installed metadata declares (extras ignored)."""
    seen, todo = set(), [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def test_requirements_are_exact_pins_and_install_helpers_editable():
    lines = LEARNER.read_text().splitlines()
    assert "-e ." in lines
    assert {"jupyterlab", "ipywidgets", "numpy", "matplotlib", "nbgitpuller"} <= set(pins())
    # The learner's file pulls in no other file: Binder installs exactly this set.
    assert not [ln for ln in lines if ln.strip().startswith(("-r", "-c", "--"))]


def test_every_package_is_pinned_in_exactly_one_file():
    files = {path: pins_in(path) for path in (LEARNER, HUB, DEV)}
    for name in {n for found in files.values() for n in found}:
        holders = [path.relative_to(ROOT) for path, found in files.items() if name in found]
        assert len(holders) == 1, f"{name} is pinned in {holders}: keep one pin"
    assert "-r ../requirements.txt" in HUB.read_text().splitlines()
    assert "-r hub/requirements.txt" in DEV.read_text().splitlines()


def test_learner_environment_holds_no_test_tool():
    brought = installed_closure([*pins(), "activation-functions-course-helpers"])
    assert not brought & TEST_TOOLS, f"a learner would install {brought & TEST_TOOLS}"
    assert TEST_TOOLS <= set(pins_in(DEV)) | set(pins_in(HUB)), "each test tool keeps its pin"


def imported_modules(paths) -> set[str]:
    found = set()
    for path in paths:
        text = path.read_text()
        found |= set(re.findall(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", text, re.M))
        found |= set(re.findall(r'"\s*(?:from|import)\s+([A-Za-z_]\w*)', text))  # notebooks
    return found


def test_learner_environment_brings_everything_the_course_imports():
    sources = [*(ROOT / "helpers").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    brought = installed_closure([*pins(), "activation-functions-course-helpers"])
    providers = packages_distributions()
    for module in sorted(imported_modules(sources)):
        if module in providers:  # a third-party module (the standard library has no distribution)
            dists = {canonicalize_name(d) for d in providers[module]}
            assert dists & brought, f"the course imports {module}, which requirements.txt lacks"


def test_installed_versions_are_the_pinned_ones():
    every = {**pins_in(LEARNER), **pins_in(HUB), **pins_in(DEV)}
    for name, pinned in every.items():
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
