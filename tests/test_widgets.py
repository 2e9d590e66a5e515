"""Every registered widget: it builds, every control (at its extremes too) updates the one
figure in place without an error or a warning, and the readout follows."""

import warnings

import ipywidgets as ipw
import matplotlib.pyplot as plt
import pytest

from helpers.widgets import registry

BUILDERS = registry()


def control_values(control):
    """Values a person could set: the extremes and the middle of a slider, every option."""
    if isinstance(control, ipw.SelectMultiple):
        options = list(control.options)
        return [tuple(options[:1]), tuple(options), tuple(options[-1:])]
    if hasattr(control, "options"):
        return [v if not isinstance(v, tuple) else v[1] for v in control.options]
    if isinstance(control, ipw.Checkbox | ipw.ToggleButton):
        return [not control.value, control.value]
    if hasattr(control, "min") and hasattr(control, "max"):
        if isinstance(control.value, tuple):
            return [(control.min, control.max)]
        return [control.max, control.min, control.value]
    return []


def test_the_environment_check_is_registered():
    assert "environment_check" in BUILDERS


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_widget_builds_and_every_control_updates_in_place(name, count_calls):
    figures_before = len(plt.get_fignums())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        widget = BUILDERS[name]()
        assert widget.last_error is None, widget.message.value
        figure = widget.figure
        assert widget.live.image.value  # a PNG was rendered
        renders = count_calls(widget.live, "render")
        for key, control in widget.controls.items():
            for value in control_values(control):
                old_value, before = control.value, len(renders)
                control.value = value
                assert widget.last_error is None, f"{name}.{key}={value!r}: {widget.message.value}"
                if control.value != old_value:  # a change redraws the figure
                    assert len(renders) > before, f"{name}.{key} did not redraw"
        assert widget.figure is figure  # the same figure, updated in place
    assert len(plt.get_fignums()) == figures_before  # nothing leaked into pyplot


def test_an_error_in_update_shows_in_the_widget_not_as_a_traceback():
    widget = BUILDERS["environment_check"]()
    widget.update = lambda: 1 / 0
    widget.controls["steepness"].value = 2.0
    assert isinstance(widget.last_error, ZeroDivisionError)
    assert "ZeroDivisionError" in widget.message.value
    del widget.update  # back to the class's update: the message clears
    widget.controls["steepness"].value = 3.0
    assert widget.last_error is None and widget.message.value == ""


def test_environment_check_slider_moves_the_curve():
    widget = BUILDERS["environment_check"]()
    png, ydata = widget.live.image.value, widget.line.get_ydata().copy()
    widget.controls["steepness"].value = 4.0
    assert widget.live.image.value != png
    assert not (widget.line.get_ydata() == ydata).all()
    assert r"\sigma(4.0\,z)" in widget.readout.value
