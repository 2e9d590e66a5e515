"""Scaffolding for the activation-functions course: activations, a tiny MLP, toy data,
plots, widgets and exercise checks. Notebooks show the numpy being taught; this package
does everything around it."""

from threadpoolctl import threadpool_limits

from helpers import activations, data
from helpers.network import MLP

# The course's matrices are small. One BLAS thread is faster for them than several (no thread
# start-up, no fight for the cores of a shared Binder or workshop machine) and sums in the same
# order on every machine, so the printed numbers do not depend on the core count.
threadpool_limits(limits=1, user_api="blas")

__all__ = ["MLP", "activations", "data"]
