"""Drive JupyterLab in Chromium the way a learner does: open a notebook, Run All, read what the
page shows, and operate widget controls from the keyboard.

Everything here is plain Playwright (sync API) on Debian's Chromium; no `playwright install`.
The selectors were checked against JupyterLab 4.6 and ipywidgets 8.1 (see ../shared/COURSE.md).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "tests" / "screenshots"  # ignored by git
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = (
    f"Chromium is needed for the browser tests and was not found at {CHROMIUM}. Install "
    "Debian's package with `sudo apt-get update && sudo apt-get install -y chromium` "
    "(or point COURSE_CHROMIUM at a Chromium binary). Never use `playwright install`."
)

# JupyterLab settings for a clean, repeatable session: no news or update pop-up over the page,
# no autosave (the tests must never write into the notebooks they open), and every cell kept in
# the page (no virtual scrolling), so counting widgets counts all of them.
SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}

IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
WIDGET_REPR = re.compile(
    r"^\s*[A-Z]\w*\((children|value|options|description|layout|index|titles|selected_index)="
)


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the JupyterLab server -----------------------------------------------------------------
@dataclass
class LabServer:
    """A JupyterLab started by the tests, on 127.0.0.1, with its own throw-away directories."""

    base: Path
    port: int
    token: str
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.base / "root"
        self.log_path = self.base / "jupyterlab.log"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def notebook_url(self, relative: str) -> str:
        return self.url(f"lab/tree/{relative}?reset&token={self.token}")

    def start(self, timeout: float = 90.0) -> None:
        dirs = {
            name: self.base / name
            for name in ("config", "runtime", "data", "ipython", "settings", "user", "workspaces")
        }
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        (dirs["settings"] / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=1))
        # The learner's files: a copy of notebooks/ exactly as in the checkout, so that nothing
        # the browser does (checkpoints, a stray save) can touch the repository.
        shutil.copytree(
            NOTEBOOKS, self.root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(dirs["config"]),
            "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "JUPYTER_DATA_DIR": str(dirs["data"]),
            "JUPYTERLAB_SETTINGS_DIR": str(dirs["user"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
            "IPYTHONDIR": str(dirs["ipython"]),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.app_settings_dir={dirs['settings']}",
            f"--LabApp.user_settings_dir={dirs['user']}",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            "--LabApp.news_url=",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(
                    self.url(f"api/status?token={self.token}"), timeout=2
                ) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def end_sessions(self, timeout: float = 10.0) -> None:
        """Shut down every notebook's kernel (Jupyter's REST API: DELETE /api/sessions/ID), so
        the next test that opens a notebook starts it in a fresh kernel."""
        token = f"token={self.token}"
        with urllib.request.urlopen(self.url(f"api/sessions?{token}"), timeout=timeout) as r:
            sessions = json.load(r)
        for session in sessions:
            request = urllib.request.Request(
                self.url(f"api/sessions/{session['id']}?{token}"), method="DELETE"
            )
            urllib.request.urlopen(request, timeout=timeout).close()

    def stop(self) -> None:
        """Stop our own server (it shuts down its kernels), by its process, then its group."""
        try:
            self._stop()
        finally:
            if getattr(self, "_log", None):
                self._log.close()

    def _stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM: the server shuts down its kernels and exits. (SIGINT may be ignored when
        # the tests run as a background job.)
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the session this test created
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"


# ---- reading the page ----------------------------------------------------------------------
@dataclass
class PageLog:
    """Console errors and uncaught exceptions in the page, collected as they happen."""

    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))


def open_notebook(page, server: LabServer, relative: str, timeout: float = 60.0) -> None:
    """Open a notebook and wait until every cell and every stored output is in the page."""
    notebook = json.loads((server.root / relative).read_text(encoding="utf-8"))
    with_outputs = [i for i, c in enumerate(notebook["cells"]) if c.get("outputs")]
    page.goto(server.notebook_url(relative))
    page.locator(IDLE).wait_for(timeout=timeout * 1000)
    page.wait_for_function(
        """([panel, n, withOutputs]) => {
            const cells = document.querySelectorAll(panel + ' .jp-Cell');
            return cells.length === n && withOutputs.every(
                i => cells[i].querySelector('.jp-OutputArea-output'));
        }""",
        arg=[PANEL, len(notebook["cells"]), with_outputs],
        timeout=timeout * 1000,
    )
    settle(page)


def settle(page, quiet: float = 0.4, timeout: float = 10.0) -> None:
    """Wait until the notebook's DOM has stopped changing for `quiet` seconds (widget views and
    MathJax render asynchronously after the kernel reports idle)."""
    page.evaluate(
        """([quiet, timeout]) => new Promise(resolve => {
            const start = performance.now();
            let last = performance.now();
            const obs = new MutationObserver(() => { last = performance.now(); });
            obs.observe(document.body, {subtree: true, childList: true, attributes: true,
                                         characterData: true});
            const tick = () => {
                const now = performance.now();
                if (now - last >= quiet * 1000 || now - start >= timeout * 1000) {
                    obs.disconnect(); resolve();
                } else { setTimeout(tick, 50); }
            };
            tick();
        })""",
        [quiet, timeout],
    )


CELL_FACTS = """(panel) => {
    const root = document.querySelector(panel);
    const cells = [...root.querySelectorAll('.jp-Cell')];
    return cells.map((cell, index) => {
        const code = cell.classList.contains('jp-CodeCell');
        const prompt = cell.querySelector('.jp-InputArea-prompt');
        const source = cell.querySelector('.jp-InputArea-editor .cm-content');
        const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
            mime: o.dataset.mimeType || null,
            widget: !!o.querySelector('.jupyter-widgets'),
            text: (o.innerText || '').slice(0, 400),
        }));
        return {index, code, prompt: prompt ? prompt.textContent.trim() : '',
                source: source ? source.innerText : '', outputs};
    });
}"""


def cell_facts(page) -> list[dict]:
    return page.evaluate(CELL_FACTS, PANEL)


def page_problems(page) -> list[str]:
    """What a learner would see as broken anywhere in the notebook, in plain words."""
    problems = []
    text = "\n".join(page.locator(f"{PANEL} .jp-OutputArea-output").all_inner_texts())
    for phrase in ("Error displaying widget", "model not found", "Failed to load model class"):
        if phrase.lower() in text.lower():
            problems.append(f"the page shows {phrase!r}")
    for cell in cell_facts(page):
        for out in cell["outputs"]:
            where = f"cell {cell['index']} ({cell['source'][:60]!r})"
            if out["mime"] == "application/vnd.jupyter.stderr":
                problems.append(f"{where} shows an error or warning: {out['text'][:300]!r}")
            if out["mime"] == "text/plain" and WIDGET_REPR.match(out["text"]):
                problems.append(f"{where} shows a widget as plain text: {out['text'][:80]!r}")
    messages = page.locator(f"{PANEL} .course-message").all_inner_texts()
    problems += [f"a widget shows an error: {m.strip()[:300]!r}" for m in messages if m.strip()]
    problems += log_console_problems(page)
    return problems


def log_console_problems(page) -> list[str]:
    """Errors raised in widget callbacks land in JupyterLab's log console, not in a cell; the
    status bar then shows a log item with a count."""
    item = page.locator(".jp-LogConsoleStatusItem:not(.lm-mod-hidden) [title]")
    if item.count() == 0:
        return []
    title = item.first.get_attribute("title") or ""
    count = re.search(r"(\d+) log entr", title)
    if count and int(count.group(1)) > 0:
        return [f"the log console has entries (errors in widget callbacks): {title!r}"]
    return []


# ---- running --------------------------------------------------------------------------------
def run_all(page, timeout: float = 120.0) -> float:
    """Run menu -> Run All Cells, as a learner would; wait until every cell has finished.
    Returns the seconds it took."""
    # Watch for cells going to [*] (queued or running) or the kernel going busy, from before
    # the click, so a fast notebook cannot finish unseen.
    page.evaluate(
        """(panel) => {
            window.__courseSawBusy = false;
            const root = document.querySelector(panel);
            const look = () => {
                const busy = root.querySelector(
                    ".jp-Notebook-ExecutionIndicator:not([data-status='idle'])");
                if (busy || [...root.querySelectorAll('.jp-InputArea-prompt')]
                            .some(p => p.textContent.includes('*'))) {
                    window.__courseSawBusy = true; } };
            window.__courseObserver = new MutationObserver(look);
            window.__courseObserver.observe(root, {subtree: true, childList: true,
                                                   characterData: true, attributes: true,
                                                   attributeFilter: ['data-status']});
        }""",
        PANEL,
    )
    start = time.monotonic()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function("() => window.__courseSawBusy", timeout=15_000)
    page.wait_for_function(
        """(panel) => ![...document.querySelectorAll(panel + ' .jp-InputArea-prompt')]
                       .some(p => p.textContent.includes('*'))""",
        arg=PANEL,
        timeout=timeout * 1000,
    )
    page.evaluate("() => window.__courseObserver.disconnect()")
    page.locator(IDLE).wait_for(timeout=timeout * 1000)
    seconds = time.monotonic() - start
    settle(page)
    return seconds


def unfinished_cells(page) -> list[str]:
    """Code cells with code that did not get an execution number in this run."""
    bad = []
    counts = []
    for cell in cell_facts(page):
        if not cell["code"] or not cell["source"].strip():
            continue
        match = re.fullmatch(r"\[(\d+)\]:", cell["prompt"])
        if not match:
            bad.append(f"cell {cell['index']} ({cell['source'][:60]!r}) shows {cell['prompt']!r}")
        else:
            counts.append(int(match.group(1)))
    if not bad and counts != list(range(1, len(counts) + 1)):
        bad.append(f"execution counts are {counts}, not 1..{len(counts)} in a fresh kernel")
    return bad


def screenshot_notebook(page, path: Path, max_height: int = 14000) -> None:
    """One tall picture of the whole notebook: grow the viewport to the notebook's height."""
    size = page.viewport_size
    height = page.evaluate(
        """(panel) => { const n = document.querySelector(panel + ' .jp-WindowedPanel-outer')
                         || document.querySelector(panel + ' .jp-Notebook');
                         return n.scrollHeight; }""",
        PANEL,
    )
    page.set_viewport_size({"width": size["width"], "height": min(max_height, height + 200)})
    page.evaluate(
        """(panel) => { const n = document.querySelector(panel + ' .jp-WindowedPanel-outer');
                         if (n) n.scrollTop = 0; }""",
        PANEL,
    )
    settle(page, quiet=0.3)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


# ---- counting what rendered -----------------------------------------------------------------
COUNT_SELECTORS = {
    "course_widgets": ".course-widget",
    "sliders": ".widget-slider, .course-slider",
    "dropdowns": ".widget-dropdown",
    "buttons": "button.widget-button",
    "checkboxes": ".widget-checkbox",
    "multi_selects": ".widget-select-multiple",
    "widget_figures": "img.widget-image",
    # a figure shows as its HTML <img> (with alt text) after a run, as a PNG output when committed
    "static_figures": ".jp-OutputArea-output:is([data-mime-type='image/png'], "
    "[data-mime-type='text/html']) img",
    "quiz_questions": ".widget-radio:not(.course-widget .widget-radio)",
    "solutions": ".widget-accordion, .jp-OutputArea-output details:not(.course-widget details)",
}

WIDGET_FACTS = """(panel) => [...document.querySelectorAll(panel + ' .course-widget')].map(w => {
    const n = sel => w.querySelectorAll(sel).length;
    const img = w.querySelector('img.course-figure');
    return {
        cls: [...w.classList].find(c => c.startsWith('course-widget--')).slice(15),
        controls: [...w.querySelectorAll('.course-control')].map(c =>
            [...c.classList].find(k => k.startsWith('course-control--')).slice(16)),
        kinds: {sliders: n('.widget-slider, .course-slider'), dropdowns: n('.widget-dropdown'),
                buttons: n('button.widget-button'), checkboxes: n('.widget-checkbox'),
                multi_selects: n('.widget-select-multiple')},
        figure: img ? (img.getAttribute('src') || '') : null,
        figure_size: img ? [img.naturalWidth, img.naturalHeight] : null,
        readout: (w.querySelector('.course-readout') || {}).textContent || '',
        message: ((w.querySelector('.course-message') || {}).textContent || '').trim(),
    };
})"""


def widget_counts(page) -> dict:
    return {k: page.locator(f"{PANEL} {sel}").count() for k, sel in COUNT_SELECTORS.items()}


def widget_facts(page) -> list[dict]:
    return page.evaluate(WIDGET_FACTS, PANEL)


# ---- operating controls from the keyboard ---------------------------------------------------
STATE = """(w) => {
    const img = w.querySelector('img.course-figure');
    const readout = w.querySelector('.course-readout');
    const message = w.querySelector('.course-message');
    return {src: img ? img.getAttribute('src') : null,
            readout: readout ? readout.textContent : '',
            message: message ? message.textContent.trim() : ''};
}"""


@dataclass
class Action:
    """One operation on one control element, as a person does it with the keyboard."""

    control: str  # the key in the widget's controls dict
    what: str  # e.g. "slider 'k': ArrowRight"
    value: str = ""  # the control's new value as the control itself shows it
    numeric: float | None = None  # the new value when it is a number
    tolerance: float = 0.0


def operable_elements(control) -> list[tuple[str, object]]:
    """(kind, locator) for every element of a control a person can operate; a container control
    (a box of buttons) gives each of its children."""
    kind = control.evaluate(
        """(e) => { const c = e.classList;
            if (c.contains('widget-slider') || c.contains('course-slider')) return 'slider';
            if (c.contains('widget-dropdown')) return 'dropdown';
            if (c.contains('widget-select-multiple')) return 'select';
            if (c.contains('widget-select')) return 'select';
            if (c.contains('widget-checkbox')) return 'checkbox';
            if (c.contains('widget-toggle-buttons')) return 'toggle_buttons';
            if (c.contains('widget-toggle-button')) return 'toggle_button';
            if (c.contains('widget-button')) return 'button';
            if (c.contains('widget-radio')) return 'radio';
            if (c.contains('widget-text') || c.contains('widget-textarea'))
                return e.querySelector('input[type=number]') ? 'number' : 'text';
            if (c.contains('widget-box')) return 'box';
            return 'unknown:' + e.className; }"""
    )
    if kind == "box":
        children = control.locator(":scope > .jupyter-widgets")
        return [
            pair for i in range(children.count()) for pair in operable_elements(children.nth(i))
        ]
    return [(kind, control)]


def operate(page, kind: str, element, key: str, text: str | None = None) -> Action:
    """Operate one element from the keyboard; return what was done and the value it now shows."""
    label = element.locator(".widget-label, label").first
    name = label.inner_text().strip() if label.count() else ""
    if kind == "slider":
        native = element.locator("input[type=range]")
        if native.count():  # the course's Slider: an <input type="range"> and its <output>
            handle, shown_in = native, "output"
            now, top = float(native.input_value()), float(native.get_attribute("max"))
        else:  # an ipywidgets slider: a noUiSlider handle
            handle, shown_in = element.locator(".noUi-handle").first, ".widget-readout"
            now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        press = "ArrowLeft" if now >= top else "ArrowRight"
        handle.focus()
        page.keyboard.press(press)
        shown = element.locator(shown_in).inner_text().strip()
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        return Action(
            key,
            f"slider {name or key!r}: focus, {press}",
            shown,
            _number(shown),
            0.51 * 10.0**-decimals,
        )
    if kind == "dropdown":
        select = element.locator("select")
        index, n = select.evaluate("s => [s.selectedIndex, s.options.length]")
        press = "ArrowUp" if index == n - 1 else "ArrowDown"
        select.focus()
        for k in ("Alt+ArrowDown", press, "Enter"):  # open the list, move, choose
            page.keyboard.press(k)
        shown = select.evaluate("s => s.options[s.selectedIndex].text")
        return Action(key, f"dropdown {name or key!r}: Alt+ArrowDown, {press}, Enter", shown)
    if kind == "select":
        # ArrowUp/ArrowDown do not reach a list box in a notebook output: JupyterLab's command
        # mode takes them to move between cells. Home and End do reach it.
        select = element.locator("select")
        last_alone = select.evaluate(
            "s => s.selectedOptions.length === 1 && s.selectedIndex === s.options.length - 1"
        )
        press = "Home" if last_alone else "End"
        select.focus()
        page.keyboard.press(press)
        shown = select.evaluate("s => [...s.selectedOptions].map(o => o.text).join(', ')")
        return Action(key, f"list {name or key!r}: {press}", shown)
    if kind == "checkbox":
        box = element.locator("input[type=checkbox]")
        box.focus()
        page.keyboard.press("Space")
        return Action(key, f"checkbox {name or key!r}: Space", str(box.is_checked()))
    if kind in ("toggle_buttons", "toggle_button"):
        target = (
            element.locator("button:not(.mod-active)").first
            if kind == "toggle_buttons"
            else element
        )
        shown = target.inner_text().strip()
        target.focus()
        page.keyboard.press("Space")
        return Action(key, f"toggle {shown or key!r}: Space", shown)
    if kind == "button":
        shown = element.inner_text().strip() or element.get_attribute("title") or key
        element.focus()
        page.keyboard.press("Enter")
        return Action(key, f"button {shown!r}: Enter", shown)
    if kind == "radio":
        target = element.locator("input[type=radio]:not(:checked)").first
        target.focus()
        page.keyboard.press("Space")
        return Action(key, f"radio {name or key!r}: Space", "")
    if kind == "number":
        box = element.locator("input")
        box.focus()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        shown = box.input_value()
        return Action(key, f"number {name or key!r}: ArrowUp, Enter", shown, _number(shown), 1e-9)
    if kind == "text":
        if text is None:
            raise LookupError(
                f"control {key!r} is a text box: add the text to type to INTERACTIONS in "
                "tests/browser/expectations.py"
            )
        box = element.locator("input, textarea").first
        box.focus()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        return Action(key, f"text {name or key!r}: typed {text!r}, Enter", text)
    raise LookupError(f"control {key!r} ({kind}) has no keyboard operation known to the tests")


def widget_state(widget) -> dict:
    return widget.evaluate(STATE)


def wait_for_change(
    widget, before: dict, want: set[str], timeout: float = 1.0, done=None
) -> tuple[dict, float]:
    """Poll the widget until every part in `want` ('src', 'readout') differs from `before`
    and `done(state)` (if given) holds, or `timeout` passes. Returns the last state and the
    seconds waited. (`done` matters for a widget that trains in the background: its readout
    changes by itself, so "changed" alone can come before the kernel has seen the new value.)"""
    start = time.monotonic()
    while True:
        state = widget_state(widget)
        elapsed = time.monotonic() - start
        changed = all(state[k] != before[k] for k in want)
        if (changed and (done is None or done(state))) or elapsed >= timeout:
            return state, elapsed
        time.sleep(0.02)


def numbers_in(text: str) -> list[float]:
    text = text.replace("\u2212", "-")  # MathJax writes a real minus sign
    return [float(m) for m in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text)]


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _number(text: str) -> float | None:
    found = numbers_in(text)
    return found[0] if len(found) == 1 else None


def readout_problem(rule: str, action: Action, before: str, after: str) -> str | None:
    """Whether the readout did what `rule` asks ("value", "changed" or "same")."""
    if rule == "same":
        return None
    if after == before:
        return "the readout did not change"
    if rule != "value":
        return None
    if action.numeric is not None:
        tolerance = max(action.tolerance, 0.02 * abs(action.numeric))
        if any(abs(n - action.numeric) <= tolerance for n in numbers_in(after)):
            return None
        return f"the readout does not show the new value {action.value}: {after.strip()[:200]!r}"
    if action.value and normalise(action.value) not in normalise(after):
        return f"the readout does not show the new choice {action.value!r}: {after.strip()[:200]!r}"
    return None


def operate_every_control(page, rules, timeout: float = 1.0, shot=None):
    """Operate every control of every course widget on the page from the keyboard, and check
    that the figure and the readout follow within `timeout` seconds.

    `rules(widget_class, key, label)` gives the exceptions (see expectations.INTERACTIONS);
    `shot(name)` gives a path for a screenshot of the widget after each operation.
    Returns (problems, [(control, milliseconds until the change)])."""
    widgets = page.locator(f"{PANEL} .course-widget")
    problems, timings = [], []
    for i in range(widgets.count()):
        widget = widgets.nth(i)
        widget.scroll_into_view_if_needed()
        cls = widget_facts(page)[i]["cls"]
        controls = widget.locator(".course-control")
        for j in range(controls.count()):
            control = controls.nth(j)
            key = re.search(r"course-control--(\S+)", control.get_attribute("class")).group(1)
            for kind, element in operable_elements(control):
                label = element.inner_text().strip() if kind == "button" else ""
                rule = rules(cls, key, label)
                where = f"{cls}.{key}{'/' + label if label else ''}"
                if rule.get("skip"):
                    continue
                if kind.startswith("unknown"):
                    problems.append(f"{where}: no keyboard operation known ({kind})")
                    continue
                before = widget_state(widget)
                try:
                    action = operate(page, kind, element, key, rule.get("text"))
                except LookupError as exc:
                    problems.append(f"{where}: {exc}")
                    continue
                want = {"src"} if rule.get("figure", True) else set()
                value_kinds = ("slider", "dropdown", "number")
                readout_rule = rule.get("readout", "value" if kind in value_kinds else "changed")
                if readout_rule != "same":
                    want.add("readout")
                reachable = page.evaluate(
                    """(w) => { const a = document.activeElement;
                                return !!a && w.contains(a) && a.tabIndex >= 0; }""",
                    widget.element_handle(),
                )
                if not reachable:
                    problems.append(f"{where} ({action.what}): Tab cannot reach this control")
                wait = rule.get("timeout", timeout)

                def shows_the_change(state, rule=readout_rule, action=action, before=before):
                    problem = readout_problem(rule, action, before["readout"], state["readout"])
                    return problem is None

                after, waited = wait_for_change(widget, before, want, wait, shows_the_change)
                timings.append((where, round(waited * 1000)))
                if "src" in want and after["src"] == before["src"]:
                    problems.append(
                        f"{where} ({action.what}): the figure did not change in {wait} s"
                    )
                problem = readout_problem(readout_rule, action, before["readout"], after["readout"])
                if problem:
                    problems.append(f"{where} ({action.what}): {problem}")
                if after["message"]:
                    problems.append(
                        f"{where} ({action.what}): the widget shows an error: "
                        f"{after['message'][:300]}"
                    )
                if shot is not None:
                    name = "_".join(part for part in (cls, str(i), key, label) if part)
                    widget.screenshot(path=str(shot(name)))
    time.sleep(0.3)  # let a late callback error reach the log console
    problems += log_console_problems(page)
    return problems, timings


# ---- hidden solutions -----------------------------------------------------------------------
def solution_parts(box):
    """(header, body) of a hidden solution: ipywidgets' Accordion or an HTML <details>."""
    if box.evaluate("e => e.tagName") == "DETAILS":
        return box.locator(":scope > summary"), box.locator(":scope > :not(summary)").first
    return (
        box.locator(".jupyter-widget-Collapse-header").first,
        box.locator(".jupyter-widget-Collapse-contents").first,
    )


def solution_problems(page, keyboard: bool, shot=None) -> list[str]:
    """Every hidden solution must be closed, then open to show code: with a click, or with
    `keyboard`, by focusing its header and pressing Enter. Each is closed again afterwards."""
    problems = []
    solutions = page.locator(f"{PANEL} {COUNT_SELECTORS['solutions']}")
    for i in range(solutions.count()):
        box = solutions.nth(i)
        header, body = solution_parts(box)
        box.scroll_into_view_if_needed()
        if body.is_visible():
            problems.append(f"solution {i + 1} is open before the learner asks for it")
            continue
        if keyboard:
            focusable = header.evaluate(
                """h => h.tabIndex >= 0 || !!h.querySelector(
                       'button, a[href], summary, [tabindex]:not([tabindex="-1"])')"""
            )
            if not focusable:
                problems.append(
                    f"solution {i + 1}: its header cannot take keyboard focus, so it cannot be "
                    "opened without a mouse (ipywidgets' Accordion header has no tabindex)"
                )
                continue
            header.focus()
            page.keyboard.press("Enter")
        else:
            header.click()
        try:
            body.wait_for(state="visible", timeout=1000)
        except Exception:
            how = "Enter on its header" if keyboard else "a click on its header"
            problems.append(f"solution {i + 1}: {how} does not open it")
            continue
        if not body.inner_text().strip():
            problems.append(f"solution {i + 1} opens empty")
        if shot is not None:
            box.screenshot(path=str(shot(i + 1)))
        header.click()  # close it again
    return problems


# ---- sliders at their ends ------------------------------------------------------------------
def slider_extreme_problems(page, timeout: float = 1.0, shot=None) -> list[str]:
    """Push every slider of every course widget to its maximum (End) and its minimum (Home)
    from the keyboard: the handle must get there, the figure must still render, and no error
    may show in the widget, the log console or the page."""
    problems = []
    widgets = page.locator(f"{PANEL} .course-widget")
    for i in range(widgets.count()):
        widget = widgets.nth(i)
        cls = widget_facts(page)[i]["cls"]
        sliders = widget.locator(".course-control.course-slider")
        for j in range(sliders.count()):
            slider = sliders.nth(j)
            handle = slider.locator("input[type=range]")
            name = slider.locator("label").first.inner_text().strip()
            low, high, step = (float(handle.get_attribute(a)) for a in ("min", "max", "step"))
            top = low + math.floor((high - low) / step + 1e-9) * step  # the last step's value
            for key, end in (("End", top), ("Home", low)):
                before = widget_state(widget)
                handle.focus()
                page.keyboard.press(key)
                after, _ = wait_for_change(widget, before, {"src"}, timeout)
                where = f"{cls} slider {name!r} at its {'maximum' if key == 'End' else 'minimum'}"
                if abs(float(handle.input_value()) - end) > 1e-9 * max(1.0, abs(end)):
                    problems.append(f"{where}: {key} did not move the handle there")
                if after["message"]:
                    problems.append(f"{where}: the widget shows an error: {after['message'][:300]}")
                if not after["src"]:
                    problems.append(f"{where}: the figure is gone")
                if shot is not None:
                    widget.screenshot(path=str(shot(f"{cls}_{i}_{name}_{key}")))
    time.sleep(0.3)
    return problems + log_console_problems(page)
