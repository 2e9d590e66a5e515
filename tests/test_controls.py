"""The course's slider (helpers.widgets.controls): whatever sends a value, Python or the browser,
the widget gets a number of the slider's kind, within its range."""

import pytest

from helpers.widgets.controls import slider


@pytest.mark.parametrize("sent", [11, 11.0, "11"])
def test_a_whole_number_slider_gives_ints_whatever_the_browser_sends(sent):
    depth = slider("layers", 10, 1, 20)
    depth.set_state({"value": sent})  # what a message from the browser does
    assert depth.value == 11 and type(depth.value) is int
    depth.value = 12.0  # and from Python
    assert depth.value == 12 and type(depth.value) is int


def test_a_float_slider_gives_floats_and_a_log_slider_stays_in_its_decades():
    k = slider("k", 1.0, 0.2, 5.0, step=0.2)
    k.set_state({"value": 2})
    assert k.value == 2.0 and type(k.value) is float
    rate = slider("learning rate", 0.3, -3, 0.5, step=0.25, log=True, fmt=".3g")
    rate.set_state({"value": 100})
    assert rate.value == pytest.approx(10**0.5)  # the top of the range
    rate.value = 1e-9
    assert rate.value == pytest.approx(1e-3)


def test_defaults_follow_ipywidgets():
    whole, real, log = (
        slider("n", 3, 1, 20),
        slider("x", 0.5, -1.0, 1.0),
        slider("r", 1.0, -2, 1, log=True),
    )
    assert (whole.step, whole.readout_format, whole.integer) == (1, "d", True)
    assert (real.step, real.readout_format, real.integer) == (0.1, ".2f", False)
    assert (log.step, log.readout_format, log.integer) == (0.1, ".3g", False)
