"""Fixtures for the browser tests: one JupyterLab and one Chromium for the whole session.

JupyterLab is started here on 127.0.0.1 with a random token, a free port and throw-away
config, runtime, data, settings and workspace directories, and stopped by its own process at
the end. Chromium is Debian's (/usr/bin/chromium, or COURSE_CHROMIUM). When it is missing the
tests are skipped with the install command, except in CI (CI or COURSE_BROWSER_REQUIRED set),
where a missing browser fails the run.
"""

from __future__ import annotations

import os
import secrets

import pytest
from lab_driver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INSTALL_HINT,
    SCREENSHOTS,
    LabServer,
    chromium_available,
    free_port,
)


def browser_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("COURSE_BROWSER_REQUIRED"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not chromium_available():
        terminalreporter.write_sep("=", "browser tests not run", yellow=True)
        terminalreporter.write_line(INSTALL_HINT)


@pytest.fixture(scope="session")
def chromium_path():
    if not chromium_available():
        if browser_required():
            pytest.fail(INSTALL_HINT, pytrace=False)
        pytest.skip(INSTALL_HINT)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def jupyterlab(chromium_path, tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"), free_port(), secrets.token_hex(24))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    chromium = manager.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
