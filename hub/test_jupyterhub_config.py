"""The hub `make test-hub` runs: hub/jupyterhub_config.py (the one-VM recipe) with only what a
test on one machine must change. tests/hub/test_hub.py starts it with the environment variables
below.

Changed from the recipe, and why:
- authenticator: "dummy" (any name, the test's password): the test makes its learners up;
- spawner: "simple" (SimpleLocalProcessSpawner: every learner a process of the test's user, home
  in the test's folder): systemd units need a systemd this machine may not have;
- every address on 127.0.0.1, ports chosen by the test;
- a service token the test uses to watch servers start and to stop them.
Everything else (the learner's command and environment, JupyterLab, kernel culling, the
pinned proxy, the idle culler) is the recipe's.
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
run = os.environ["COURSE_HUB_TEST_RUN"]  # marks every process of this run, to find and stop them

load_subconfig(str(HERE / "jupyterhub_config.py"))  # noqa: F821 (JupyterHub provides it)
c = get_config()  # noqa: F821

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['COURSE_HUB_TEST_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['COURSE_HUB_TEST_HUB_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['COURSE_HUB_TEST_PROXY_PORT']}"

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["COURSE_HUB_PASSWORD"]

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.environ["COURSE_HUB_TEST_HOMES"] + "/{username}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.environment = dict(c.Spawner.environment, COURSE_HUB_TEST_RUN=run)
if os.getuid() == 0:
    c.Spawner.args = [*c.Spawner.args, "--allow-root"]

for service in c.JupyterHub.services:
    service.setdefault("environment", {})["COURSE_HUB_TEST_RUN"] = run
c.JupyterHub.services = [
    *c.JupyterHub.services,
    {"name": "course-test", "api_token": os.environ["COURSE_HUB_TEST_TOKEN"]},
]
c.JupyterHub.load_roles = [
    *c.JupyterHub.load_roles,
    {
        "name": "course-test",
        "scopes": ["admin:users", "admin:servers", "access:servers"],
        "services": ["course-test"],
    },
]
