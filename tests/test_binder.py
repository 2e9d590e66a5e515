"""Binder proven with Binder's own builder: `repo2docker --no-build --no-run --debug .` prints
the Dockerfile mybinder.org would build, with no Docker daemon. From it we check that the
environment is installed after the repository is copied in (so `-r requirements.txt` and
`-e .` can be honoured), that Python is CI's, and that the pins installed are the ones tested.

repo2docker comes from requirements-dev.txt, which `make install` installs (CI runs `make test`,
which runs `make install` first); learners and Binder never need it."""

import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
REPO2DOCKER = Path(sys.executable).with_name("repo2docker")


def plan_for(folder: Path) -> str:
    """What repo2docker prints for a folder: its choices, then the Dockerfile."""
    exe = REPO2DOCKER if REPO2DOCKER.exists() else shutil.which("repo2docker")
    assert exe, "repo2docker is missing: run `make install` (it installs requirements-dev.txt)"
    result = subprocess.run(
        [str(exe), "--no-build", "--no-run", "--debug", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def build_plan() -> str:
    return plan_for(ROOT)


def dockerfile_lines(plan: str) -> list[str]:
    return plan[plan.index("FROM ") :].splitlines()


def test_binder_uses_environment_yml_and_python_3_11_like_ci(build_plan):
    assert "Building conda environment for python=3.11" in build_plan
    assert sys.version_info[:2] == (3, 11), "CI's Python is 3.11: Binder must match it"
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in build_plan


def copied_before_installed(plan: str) -> bool:
    """True when the whole repository is copied in before environment.yml is installed."""
    lines = dockerfile_lines(plan)
    copy = next(
        i for i, line in enumerate(lines) if re.match(r"COPY .*\bsrc/ \$\{REPO_DIR\}/", line)
    )
    install = next(i for i, line in enumerate(lines) if '--file "environment.yml"' in line)
    return copy < install


def test_environment_is_installed_after_the_repository_is_copied_in(build_plan):
    assert copied_before_installed(build_plan), (
        "environment.yml is installed before the repository is copied in, so `-r "
        "requirements.txt` and `-e .` cannot be found: keep the pip section referencing a file"
    )


def test_the_order_check_catches_an_environment_that_references_no_file(tmp_path):
    (tmp_path / "environment.yml").write_text(
        "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - numpy==2.4.6\n"
    )
    assert not copied_before_installed(plan_for(tmp_path))


def test_binder_installs_the_learner_set_only(build_plan):
    """Binder's only install step of the repository is environment.yml, whose pip section is
    requirements.txt (checked below), which pulls in no other file: the test tools
    (requirements-dev.txt) and the hub (hub/requirements.txt) never reach a learner."""
    dockerfile = "\n".join(dockerfile_lines(build_plan))
    repo_installs = [
        line
        for line in dockerfile.splitlines()
        if re.search(r"\b(pip|mamba|conda)\b.*\binstall\b|env (update|create)", line)
        and "install-base-env" not in line  # repo2docker's own base (JupyterLab, Python)
    ]
    assert len(repo_installs) == 1 and '--file "environment.yml"' in repo_installs[0], repo_installs
    assert "requirements-dev" not in build_plan and "hub/" not in dockerfile
    learner = [
        ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    assert not [ln for ln in learner if ln.startswith(("-r", "-c", "--"))], "no other file"


def test_nothing_overrides_the_root_build_files():
    # repo2docker prefers these over environment.yml, or reads only the folder's files
    for name in ("binder", ".binder", "Dockerfile", "runtime.txt", "postBuild", "apt.txt"):
        assert not (ROOT / name).exists(), f"{name} would change what Binder builds"


def test_environment_yml_installs_exactly_the_pins_ci_tests():
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict)]
    assert sorted(conda) == ["pip", "python=3.11"], "conda installs only Python and pip"
    assert pip_sections == [["-r requirements.txt"]], "pip installs requirements.txt, nothing else"
    lines = [
        ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    lines = [ln for ln in lines if ln]
    assert "-e ." in lines, "requirements.txt must install the helpers package"
    for line in lines:
        if line == "-e .":
            continue
        name, _, pinned = line.partition("==")
        assert pinned, f"{line!r} is not an exact pin"
        assert version(name) == pinned, f"{name}: CI has {version(name)}, Binder gets {pinned}"
