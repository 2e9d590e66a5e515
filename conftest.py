"""Make nbval strict about what a learner would see: a cell that writes to stderr (a warning,
a traceback) fails, even where --nbval-lax does not compare the cell's outputs."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    for output in getattr(item, "test_outputs", None) or []:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            raise AssertionError(f"the cell wrote to stderr:\n{output.get('text', '')}")
    return result


def pytest_configure(config):
    """Tests run in the kernel state every notebook's first cell sets up (helpers.setup)."""
    import helpers

    helpers.setup()
