"""Scaffolding for the activation-functions course: activations, a tiny MLP, toy data,
plots, widgets and exercise checks. Notebooks show the numpy being taught; this package
does everything around it.

Importing it changes nothing in your Python session. Each notebook's first cell calls
`helpers.setup()`, which prepares the kernel for the course in the open (see `setup`).
"""

from threadpoolctl import threadpool_limits

from helpers import activations, data
from helpers.network import MLP


def setup(projector: bool = False) -> None:
    """Prepare this kernel for the course: the course's figure style (`projector=True` for
    larger fonts and lines, see helpers.style.projector_mode), figures returned by a cell shown
    as images, links in the notebook underlined (JupyterLab tells them apart by colour alone),
    and one BLAS thread. The course's matrices are small: one thread is faster for them than
    several (no thread start-up, no fight for the cores of a shared Binder or workshop
    machine)."""
    from helpers import style

    style.use_course_style(projector)
    style.show_figures_inline()
    style.show_html(style.LINK_CSS)
    threadpool_limits(limits=1, user_api="blas")


__all__ = ["MLP", "activations", "data", "setup"]
