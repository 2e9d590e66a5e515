"""`make test-hub`: a real JupyterHub on 127.0.0.1 serving the course to simulated learners.

What it does, in order (everything bounded in count and time; everything it starts, it stops):

1. Clones the repository's committed HEAD into a throw-away "upstream" git repository, and
   starts JupyterHub 6 with hub/test_jupyterhub_config.py (the one-VM recipe with a dummy
   authenticator and local processes; its own pinned proxy from hub/node_modules).
2. LEARNERS learners at once, each in a thread, as a browser would: log in through the login
   form, follow the instructor's nbgitpuller link (which spawns their server), pull the course
   through nbgitpuller's event stream, then run notebooks cell by cell in kernels of their own
   server (a session through the Jupyter server REST API, the kernel's websocket for the cells,
   the contents API to read the notebook and save it back with its outputs).
3. Checks every learner's outputs hold no error and nothing on stderr.
4. Measures with psutil, while every learner's server and kernels are still running: each
   server's and kernel's memory, the kernel CPU seconds of each notebook, and the hub, proxy
   and idle culler's own memory; writes them, with the capacity they imply, to hub/capacity.json
   (INSTRUCTOR_GUIDE.md quotes it).
5. Each learner writes a note into a notebook; upstream gets a new commit touching the same
   notebook; the learner follows the link again: the note must survive and the update arrive.

COURSE_HUB_TEST_FAULT=error (a cell raising in upstream) or =lose-edit (a learner's note lost
before the second pull) shows that the test fails when it should.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

import psutil
import pytest
import requests
import websocket

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "hub"  # the recipe this test starts
CHP = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
CAPACITY = HUB / "capacity.json"

LEARNERS = 10
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COURSE = "activation-course"  # the folder nbgitpuller pulls into (the upstream's name)
BRANCH = "course"
PASSWORD = "workshop-" + uuid.uuid4().hex[:8]
NOTE = "My note, kept across pulls: "
CELL_TIMEOUT = 120  # seconds, for one cell
LEARNER_TIMEOUT = 420  # seconds, for one learner's whole first round
FAULT = os.environ.get("COURSE_HUB_TEST_FAULT", "")


def notebooks_for(index: int) -> list[str]:
    """Learner i runs notebook 00 (as every learner starts) and one lesson; together the
    learners run every notebook at least once, so the CPU table covers the whole course."""
    lessons = NOTEBOOKS[1:]
    return [NOTEBOOKS[0], lessons[index % len(lessons)]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout


def commit_all(repo: Path, message: str) -> None:
    git("add", "-A", cwd=repo)
    git("-c", "user.name=hub test", "-c", "user.email=hub-test@localhost", "commit", "-qm",
        message, cwd=repo)  # fmt: skip


# ---- checks (pure functions, also tested on their own below) ---------------------------------
def problems_in(outputs_by_cell: list[list[dict]]) -> list[str]:
    """What a learner would see go wrong: an error output, or anything written to stderr."""
    found = []
    for i, outputs in enumerate(outputs_by_cell):
        for out in outputs:
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append(f"cell {i}: stderr: {out.get('text', '')[:300]}")
    return found


def note_cell(name: str) -> dict:
    return {"cell_type": "markdown", "id": f"note-{name}", "metadata": {}, "source": NOTE + name}


def has_note(notebook: dict, name: str) -> bool:
    return any(cell.get("source") == NOTE + name for cell in notebook["cells"])


def test_the_checks_see_an_error_stderr_and_a_lost_note():
    assert problems_in([[{"output_type": "stream", "name": "stdout", "text": "ok"}]]) == []
    assert problems_in([[], [{"output_type": "error", "ename": "ZeroDivisionError"}]])
    assert problems_in([[{"output_type": "stream", "name": "stderr", "text": "Warning"}]])
    notebook = {"cells": [note_cell("ada")]}
    assert has_note(notebook, "ada") and not has_note(notebook, "bob")


def test_ci_runs_the_hub_test_and_the_proxy_comes_from_the_lock_file():
    assert "make test-hub" in (ROOT / ".ci" / "run").read_text()
    lock = json.loads((HUB / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.3.0"
    assert "hub/node_modules/" in (ROOT / ".gitignore").read_text().split()


# ---- processes -------------------------------------------------------------------------------
def processes_of(run: str) -> list[psutil.Process]:
    """Every live process carrying this run's marker in its environment."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("COURSE_HUB_TEST_RUN") == run:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def stop(procs: list[psutil.Process], grace: float = 10) -> None:
    """SIGTERM each process's group and the process, then SIGKILL what is left after `grace`."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        for proc in procs:
            try:
                os.killpg(os.getpgid(proc.pid), sig) if proc.pid != os.getpgid(0) else None
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.send_signal(sig)
            except psutil.NoSuchProcess:
                pass
        _, procs = psutil.wait_procs(procs, timeout=wait)
        if not procs:
            return


def memory(proc: psutil.Process) -> dict:
    """Resident (RSS), proportional (PSS: shared pages split between their users) and unique
    memory now, and the peak RSS since the process started (VmHWM), in MB."""
    info = proc.memory_full_info()
    peak = 0
    with open(f"/proc/{proc.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    mb = 1024 * 1024
    return {"rss": info.rss / mb, "pss": info.pss / mb, "uss": info.uss / mb, "peak_rss": peak}


def cpu_seconds(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


# ---- the hub ---------------------------------------------------------------------------------
class Hub:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.run = uuid.uuid4().hex
        self.token = uuid.uuid4().hex
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.homes = tmp / "homes"
        self.upstream = tmp / COURSE
        self.proc: subprocess.Popen | None = None
        self.log = tmp / "jupyterhub.log"

    def make_upstream(self) -> None:
        """The course as the repository has committed it, as a git repository of its own that
        nbgitpuller clones (nbgitpuller runs `git clone`, so a local path is a git URL)."""
        git("clone", "-q", "--no-local", str(ROOT), str(self.upstream), cwd=self.tmp)
        git("checkout", "-q", "-B", BRANCH, cwd=self.upstream)
        if FAULT == "error":
            path = self.upstream / "notebooks" / NOTEBOOKS[0]
            nb = json.loads(path.read_text())
            nb["cells"].append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": "fault",
                    "metadata": {},
                    "outputs": [],
                    "source": "1 / 0",
                }  # fmt: skip
            )
            path.write_text(json.dumps(nb, indent=1))
            commit_all(self.upstream, "a cell that raises (COURSE_HUB_TEST_FAULT=error)")

    def start(self) -> None:
        self.homes.mkdir()
        env = dict(
            os.environ,
            COURSE_HUB_TEST_RUN=self.run,
            COURSE_HUB_TEST_PORT=str(self.port),
            COURSE_HUB_TEST_HUB_PORT=str(free_port()),
            COURSE_HUB_TEST_PROXY_PORT=str(free_port()),
            COURSE_HUB_TEST_TOKEN=self.token,
            COURSE_HUB_TEST_HOMES=str(self.homes),
            COURSE_HUB_STATE=str(self.tmp / "state"),
            COURSE_HUB_PASSWORD=PASSWORD,
        )
        exe = Path(sys.executable).with_name("jupyterhub")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [str(exe), "-f", str(HUB / "test_jupyterhub_config.py")],
                cwd=self.tmp,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "the hub exited:\n" + self.log_tail()
            try:
                if requests.get(self.url + "/hub/api/", timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise AssertionError("the hub did not answer within 60 s:\n" + self.log_tail())

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text()[-chars:] if self.log.exists() else ""

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=30, **kwargs
        )

    def stop(self) -> None:
        """Stop every server through the API, then the hub (its proxy with it), then anything
        of this run still alive, by process group."""
        if self.proc and self.proc.poll() is None:
            try:
                users = self.api("GET", "/users").json()
                for user in users:
                    if user.get("servers"):
                        self.api("DELETE", f"/users/{user['name']}/server")
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and any(
                    u.get("servers") for u in self.api("GET", "/users").json()
                ):
                    time.sleep(1)
            except (requests.RequestException, ValueError):
                pass
            stop([psutil.Process(self.proc.pid)], grace=20)
        if self.proc:
            self.proc.wait(timeout=10)
        stop(processes_of(self.run))
        leftover = processes_of(self.run)
        assert not leftover, f"processes left running: {[p.pid for p in leftover]}"

    def processes(self) -> dict[str, list[psutil.Process]]:
        """The hub, the proxy, the idle culler, and each learner's server, by name."""
        hub = psutil.Process(self.proc.pid)
        found: dict[str, list[psutil.Process]] = {"hub": [hub], "proxy": [], "culler": []}
        for proc in hub.children():
            cmdline = " ".join(proc.cmdline())
            if "configurable-http-proxy" in cmdline:
                found["proxy"].append(proc)
            elif "jupyterhub_idle_culler" in cmdline:
                found["culler"].append(proc)
            elif "jupyterhub-singleuser" in cmdline:
                found.setdefault("server:" + proc.environ()["JUPYTERHUB_USER"], []).append(proc)
        return found


# ---- a learner, as their browser would act -----------------------------------------------------
class Learner:
    def __init__(self, hub: Hub, name: str):
        self.hub = hub
        self.name = name
        self.http = requests.Session()
        self.http.headers["Sec-Fetch-Mode"] = "navigate"  # a page view, as a browser sends it
        self.base = f"{hub.url}/user/{name}"
        self.results: dict[str, dict] = {}

    def link(self) -> str:
        """The nbgitpuller link the instructor hands out (hub/README.md), with a local repo."""
        query = urlencode(
            {
                "repo": str(self.hub.upstream),
                "branch": BRANCH,
                "urlpath": f"lab/tree/{COURSE}/notebooks/{NOTEBOOKS[0]}",
            }
        )
        return f"/hub/user-redirect/git-pull?{query}"

    def log_in_and_follow_link(self) -> None:
        page = self.http.get(f"{self.hub.url}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        form = {"username": self.name, "password": PASSWORD, "_xsrf": xsrf}
        url = f"{self.hub.url}/hub/login?next={quote(self.link())}"
        self.http.post(url, data=form, timeout=120).raise_for_status()
        # Under load the hub answers with its "server starting" page; a browser waits there.
        self.wait_until_ready()
        landing = self.http.get(self.hub.url + self.link(), timeout=60)
        landing.raise_for_status()
        assert f"/user/{self.name}/git-pull" in landing.url, landing.url
        self.landing = landing.text

    def page_xsrf(self) -> str:
        """The xsrf token nbgitpuller's page hands its script (the body's data-xsrf)."""
        match = re.search(r'data-xsrf="([^"]+)"', self.landing)
        assert match, f"{self.name}: the link did not open nbgitpuller's page"
        return unquote(match[1])

    def wait_until_ready(self, limit: float = 180) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            server = self.hub.api("GET", f"/users/{self.name}").json()["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"{self.name}: server not ready after {limit} s")

    def pull(self) -> list[dict]:
        """What the nbgitpuller page's script does: read the sync event stream to the end."""
        query = urlencode(
            {
                "_xsrf": self.page_xsrf(),
                "repo": str(self.hub.upstream),
                "targetpath": COURSE,
                "branch": BRANCH,
            }
        )
        events = []
        with self.http.get(
            f"{self.base}/git-pull/api?{query}",
            headers={"Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"},
            stream=True,
            timeout=120,
        ) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        assert events and events[-1]["phase"] == "finished", f"{self.name}: pull failed: {events}"
        return events

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A JupyterLab-style API call with the learner's cookies and xsrf token."""
        xsrf = self.http.cookies.get("_xsrf", path=f"/user/{self.name}/")
        headers = {"X-XSRFToken": xsrf, "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}
        response = self.http.request(
            method, f"{self.base}/api{path}", headers=headers, timeout=60, **kwargs
        )
        response.raise_for_status()
        return response

    def read(self, notebook: str) -> dict:
        path = quote(f"{COURSE}/notebooks/{notebook}")
        return self.api("GET", f"/contents/{path}?content=1").json()["content"]

    def save(self, notebook: str, content: dict) -> None:
        path = quote(f"{COURSE}/notebooks/{notebook}")
        self.api("PUT", f"/contents/{path}", json={"type": "notebook", "content": content})

    def run_notebook(self, notebook: str, hub_procs) -> None:
        """Open the notebook as JupyterLab does (a session starts its kernel), run every code
        cell through the kernel's websocket, save the outputs, keep the kernel running."""
        nb = self.read(notebook)
        session = self.api(
            "POST",
            "/sessions",
            json={
                "path": f"{COURSE}/notebooks/{notebook}",
                "name": notebook,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        ).json()
        kernel_id = session["kernel"]["id"]
        started = time.monotonic()
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        ws = websocket.create_connection(
            ws_url + f"?session_id={uuid.uuid4().hex}",
            header=["Sec-Fetch-Mode: websocket"],
            cookie=cookie,
            origin=self.hub.url,
            timeout=CELL_TIMEOUT,
        )
        try:
            all_outputs = []
            for cell in nb["cells"]:
                if cell["cell_type"] != "code":
                    continue
                cell["outputs"], cell["execution_count"] = execute(ws, cell["source"])
                all_outputs.append(cell["outputs"])
        finally:
            ws.close()
        wall = time.monotonic() - started
        kernel = kernel_process(hub_procs(self.name), kernel_id)
        self.save(notebook, nb)
        self.results[notebook] = {
            "wall_seconds": wall,
            "kernel_cpu_seconds": cpu_seconds(kernel),
            "kernel_pid": kernel.pid,
            "problems": problems_in(all_outputs),
        }


def kernel_process(server: psutil.Process, kernel_id: str) -> psutil.Process:
    for proc in server.children():
        if kernel_id in " ".join(proc.cmdline()):
            return proc
    raise AssertionError(f"no kernel process for {kernel_id}")


def execute(ws: websocket.WebSocket, code: str) -> tuple[list[dict], int | None]:
    """Send one execute_request on the kernel websocket (Jupyter messaging protocol 5.3) and
    gather its outputs, in nbformat's form, until the kernel is idle again."""
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "learner",
                    "session": uuid.uuid4().hex,
                    "date": datetime.now(UTC).isoformat(),
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    outputs: list[dict] = []
    count = None
    deadline = time.monotonic() + CELL_TIMEOUT
    while time.monotonic() < deadline:
        frame = ws.recv()
        if isinstance(frame, bytes):
            continue  # a message with binary buffers: widget comms, never a cell's output
        msg = json.loads(frame)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["header"]["msg_type"], msg["content"]
        if kind == "stream":
            outputs.append({"output_type": "stream", "name": content["name"],
                            "text": content["text"]})  # fmt: skip
        elif kind in ("display_data", "execute_result"):
            out = {"output_type": kind, "data": content["data"], "metadata": content["metadata"]}
            if kind == "execute_result":
                out["execution_count"] = content["execution_count"]
            outputs.append(out)
        elif kind == "error":
            outputs.append({"output_type": "error", **content})
        elif kind == "execute_input":
            count = content.get("execution_count")
        elif kind == "status" and content["execution_state"] == "idle":
            return outputs, count
    raise AssertionError(f"a cell did not finish within {CELL_TIMEOUT} s: {code[:200]}")


# ---- the test ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not CHP.exists():
        pytest.fail("hub/node_modules is missing: run `make test-hub` (it runs `npm ci`)")
    hub = Hub(tmp_path_factory.mktemp("hub"))
    try:
        hub.make_upstream()
        hub.start()
        yield hub
    finally:
        hub.stop()
        shutil.rmtree(hub.homes, ignore_errors=True)


def test_learners_pull_run_and_keep_their_edits(hub):
    names = [f"learner{i:02d}" for i in range(LEARNERS)]
    learners = [Learner(hub, name) for name in names]
    lock = threading.Lock()

    def servers() -> dict[str, list[psutil.Process]]:
        with lock:
            return hub.processes()

    def first_round(index: int) -> float:
        learner = learners[index]
        started = time.monotonic()
        learner.log_in_and_follow_link()
        learner.pull()
        for notebook in notebooks_for(index):
            learner.run_notebook(notebook, lambda name: servers()["server:" + name][0])
        return time.monotonic() - started

    started = time.monotonic()
    with ThreadPoolExecutor(LEARNERS) as pool:
        futures = [pool.submit(first_round, i) for i in range(LEARNERS)]
        durations = [f.result(timeout=LEARNER_TIMEOUT) for f in futures]
    burst = time.monotonic() - started

    # 3. every learner's outputs are free of errors
    problems = {f"{lr.name} {nb}": r["problems"] for lr in learners for nb, r in lr.results.items()}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    for index, learner in enumerate(learners):
        assert set(learner.results) == set(notebooks_for(index)), learner.name
        saved = learner.read(notebooks_for(index)[1])
        assert any(c.get("outputs") for c in saved["cells"]), f"{learner.name}: outputs not saved"

    # 4. measure while every server and kernel is still running (written once all checks pass)
    data = measure(hub, learners, durations, burst)

    # 5. a note in a notebook survives a second pull that brings an upstream change to it
    for index, learner in enumerate(learners):
        notebook = notebooks_for(index)[1]
        nb = learner.read(notebook)
        nb["cells"].insert(1, note_cell(learner.name))
        learner.save(notebook, nb)
    update = "Updated upstream after the first pull."
    for notebook in NOTEBOOKS:
        path = hub.upstream / "notebooks" / notebook
        nb = json.loads(path.read_text())
        nb["cells"][-1]["source"] += "\n\n" + update
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    (hub.upstream / "NEWS.md").write_text(update + "\n")
    commit_all(hub.upstream, "an update after the learners' first pull")
    if FAULT == "lose-edit":
        learners[0].save(notebooks_for(0)[1], learners[0].read(NOTEBOOKS[0]))

    def second_round(index: int) -> None:
        learner = learners[index]
        landing = learner.http.get(hub.url + learner.link(), timeout=60)
        landing.raise_for_status()
        learner.landing = landing.text
        learner.pull()

    with ThreadPoolExecutor(LEARNERS) as pool:
        for future in [pool.submit(second_round, i) for i in range(LEARNERS)]:
            future.result(timeout=180)
    merged = []
    for index, learner in enumerate(learners):
        notebook = notebooks_for(index)[1]
        nb = learner.read(notebook)  # the server parses it: still a valid notebook
        assert has_note(nb, learner.name), f"{learner.name}: their note in {notebook} was lost"
        assert any(c.get("outputs") for c in nb["cells"]), f"{learner.name}: outputs lost"
        news = learner.api("GET", f"/contents/{COURSE}/NEWS.md?content=1").json()
        assert news["content"].strip() == update, f"{learner.name}: the update did not arrive"
        untouched = learner.read(NOTEBOOKS[-1] if notebook != NOTEBOOKS[-1] else NOTEBOOKS[1])
        assert update in untouched["cells"][-1]["source"], f"{learner.name}: update not merged"
        # nbgitpuller merges with the learner's side winning a conflict: an upstream change
        # next to the learner's own reaches their copy only if git can merge it. Recorded.
        merged.append(update in nb["cells"][-1]["source"])
    data["second_pull"] = {
        "notes_kept": LEARNERS,
        "upstream_change_also_in_the_edited_notebook": sum(merged),
    }
    CAPACITY.write_text(json.dumps(data, indent=1) + "\n")


def measure(hub: Hub, learners, durations, burst) -> dict:
    procs = hub.processes()
    own = {role: sum(memory(p)["rss"] for p in procs[role]) for role in ("hub", "proxy", "culler")}
    own_pss = {role: sum(memory(p)["pss"] for p in procs[role]) for role in own}
    servers, kernels, per_notebook = [], [], {}
    for learner in learners:
        server = procs["server:" + learner.name][0]
        servers.append(
            {"learner": learner.name, **memory(server), "cpu_seconds": cpu_seconds(server)}
        )
        for notebook, result in learner.results.items():
            kernel = psutil.Process(result["kernel_pid"])
            kernels.append({"learner": learner.name, "notebook": notebook, **memory(kernel)})
            per_notebook.setdefault(notebook, []).append(result["kernel_cpu_seconds"])
    cpu_per_notebook = {nb: statistics.median(v) for nb, v in sorted(per_notebook.items())}
    assert set(cpu_per_notebook) == set(NOTEBOOKS), "every notebook must have been run"
    data = {
        "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cpus": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_average_1min_after": round(os.getloadavg()[0], 2),
        },
        "learners": len(learners),
        "kernels_per_learner": len(learners[0].results),
        "first_round_seconds": {
            "all_learners_together": round(burst, 1),
            "slowest_learner": round(max(durations), 1),
        },  # fmt: skip
        "hub_proxy_culler_rss_mb": {k: round(v, 1) for k, v in own.items()},
        "hub_proxy_culler_pss_mb": {k: round(v, 1) for k, v in own_pss.items()},
        "server_mb": summary(servers),
        "server_cpu_seconds_median": round(statistics.median(s["cpu_seconds"] for s in servers), 2),
        "kernel_mb": summary(kernels),
        "kernel_cpu_seconds_by_notebook": {k: round(v, 2) for k, v in cpu_per_notebook.items()},
        "course_kernel_cpu_seconds": round(sum(cpu_per_notebook.values()), 1),
        "total_pss_mb_all_running": round(
            sum(own_pss.values()) + sum(s["pss"] for s in servers) + sum(k["pss"] for k in kernels)
        ),
    }
    data["capacity"] = capacity(data)
    return data


def summary(rows: list[dict]) -> dict:
    return {
        key: {
            "median": round(statistics.median(r[key] for r in rows), 1),
            "max": round(max(r[key] for r in rows), 1),
        }  # fmt: skip
        for key in ("rss", "pss", "uss", "peak_rss")
    }


# How measurements become seats (INSTRUCTOR_GUIDE.md explains each number). Memory is PSS
# (proportional set size: a library's pages shared by many processes split between them), the
# memory a learner really adds; the hub, proxy and culler count with their whole RSS.
# A learner: their server, the heaviest notebook's kernel and a typical second kernel open.
MEMORY_HEADROOM = 1.25  # 25 % above that, for widgets, exercises and a third notebook
OS_RESERVE_MB = 1024  # the operating system and page cache left alone
BURST_SECONDS = 60  # everyone presses Run All on the heaviest notebook: done within a minute
VMS = [(2, 8), (4, 16), (8, 32), (16, 64), (32, 128)]  # cores, GB: common cloud shapes


def capacity(data: dict) -> dict:
    kernel = data["kernel_mb"]["pss"]
    learner_mb = data["server_mb"]["pss"]["max"] + kernel["max"] + kernel["median"]
    overhead_mb = sum(data["hub_proxy_culler_rss_mb"].values())
    heaviest = max(data["kernel_cpu_seconds_by_notebook"].values())
    rows = []
    for cores, gb in VMS:
        by_memory = (gb * 1024 - OS_RESERVE_MB - overhead_mb) / (learner_mb * MEMORY_HEADROOM)
        by_cpu = cores * BURST_SECONDS / heaviest
        rows.append({"cores": cores, "memory_gb": gb, "seats": int(min(by_memory, by_cpu)),
                     "by_memory": int(by_memory), "by_cpu": int(by_cpu)})  # fmt: skip
    return {
        "learner_mb_planned": round(learner_mb),
        "overhead_mb": round(overhead_mb),
        "heaviest_notebook_cpu_seconds": round(heaviest, 2),
        "learner_mb_planned_is": "server PSS max + kernel PSS max + kernel PSS median",
        "memory_headroom": MEMORY_HEADROOM,
        "os_reserve_mb": OS_RESERVE_MB,
        "burst_seconds": BURST_SECONDS,
        "vms": rows,
    }
