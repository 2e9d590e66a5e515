"""The course's interactive pieces. Each widget is a `CourseWidget`: controls, one figure
redrawn in place, a live readout, and a message line where any error shows.

Every widget module registers its builder with `@register("name")`; `registry()` imports them
all, so tests and benchmarks can drive every widget the course has.
"""

from helpers.widgets.base import CourseWidget, LiveFigure, register, registry

__all__ = ["CourseWidget", "LiveFigure", "register", "registry"]
