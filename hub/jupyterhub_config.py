"""JupyterHub for one VM, serving this course to a workshop (see hub/README.md).

Install on the VM (as root, from a clone of this repository in a folder every user can read,
e.g. /opt/activation-functions-course):

    python3.11 -m venv /opt/course-hub
    /opt/course-hub/bin/pip install -r hub/requirements.txt   # the course's pins + the hub
    npm ci --prefix hub                                       # the pinned proxy
    COURSE_HUB_PASSWORD='a long workshop password' \\
        /opt/course-hub/bin/jupyterhub -f hub/jupyterhub_config.py

Learners log in with any name and the workshop password, get JupyterLab with the course's
pinned environment, and receive the notebooks through the nbgitpuller link the instructor hands
out. Servers idle for an hour are stopped by jupyterhub-idle-culler.

Settings come from environment variables, so the file stays as tested:

    COURSE_HUB_PASSWORD        the shared workshop password (required, at least 8 characters)
    COURSE_HUB_ADMINS          comma-separated admin names (optional); they log in with
    COURSE_HUB_ADMIN_PASSWORD  this other password (required when COURSE_HUB_ADMINS is set)
    COURSE_HUB_URL             where the hub listens (default http://:8000; put TLS in front,
                               or set COURSE_HUB_SSL_CERT and COURSE_HUB_SSL_KEY)
    COURSE_HUB_STATE           the hub's database and cookie secret (default /srv/course-hub)
    COURSE_HUB_SEATS           the most servers running at once (default 0 = no limit); set it
                               from the capacity table in INSTRUCTOR_GUIDE.md
    COURSE_HUB_MEM_LIMIT       each learner's memory limit (default 2G)
    COURSE_HUB_CPU_LIMIT       each learner's CPU limit in cores (default 1)
    COURSE_HUB_IDLE_TIMEOUT    seconds without activity before a server is stopped (default 3600)

tests/hub/test_hub.py (`make test-hub`) loads this file and replaces only the authenticator, the
spawner, the addresses and the state folder (hub/test_jupyterhub_config.py); what it does and
does not exercise is listed in hub/README.md.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV_BIN = Path(sys.executable).parent  # the venv JupyterHub runs from: the course's pins too
STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/course-hub"))
IDLE_TIMEOUT = int(os.environ.get("COURSE_HUB_IDLE_TIMEOUT", "3600"))

c = get_config()  # noqa: F821 (JupyterHub provides get_config)

# ---- the hub ---------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_URL", "http://:8000")
if os.environ.get("COURSE_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = os.environ["COURSE_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = os.environ["COURSE_HUB_SSL_KEY"]
STATE.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.active_server_limit = int(os.environ.get("COURSE_HUB_SEATS", "0"))
# The proxy: configurable-http-proxy pinned in hub/package.json (`npm ci --prefix hub`).
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]

# ---- who may log in: any name, with the workshop password ------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("COURSE_HUB_PASSWORD", "")
c.Authenticator.allow_all = True
admins = {name.strip() for name in os.environ.get("COURSE_HUB_ADMINS", "").split(",") if name}
if admins:
    c.Authenticator.admin_users = admins
    c.SharedPasswordAuthenticator.admin_password = os.environ["COURSE_HUB_ADMIN_PASSWORD"]

# ---- each learner's server: JupyterLab from the course's environment --------------------------
# systemd: one unit per learner under a throw-away system user, with its own home and /tmp,
# and memory and CPU limits (jupyterhub-systemdspawner, pinned in hub/requirements.txt).
c.JupyterHub.spawner_class = "systemd"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.mem_limit = os.environ.get("COURSE_HUB_MEM_LIMIT", "2G")
c.SystemdSpawner.cpu_limit = float(os.environ.get("COURSE_HUB_CPU_LIMIT", "1"))
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    # nbgitpuller opens JupyterLab after a pull (its default is the classic notebook).
    "NBGITPULLER_APP": "lab",
    # The helpers limit BLAS to one thread themselves; this also covers a learner's own numpy.
    "OPENBLAS_NUM_THREADS": "1",
}
c.Spawner.args = [
    # A kernel whose notebook tab was closed is shut down after 30 idle minutes (an open tab
    # keeps its kernel): abandoned kernels are most of the memory a workshop wastes.
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
]
# Many learners log in within the same minute: allow for a slow start under load.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# ---- idle culling: a server without activity for IDLE_TIMEOUT seconds is stopped -------------
# The learner's files stay; logging in again starts a fresh server in a few seconds.
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={IDLE_TIMEOUT}",
            "--cull-every=300",
        ],
    }
]
