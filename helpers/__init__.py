"""Scaffolding for the activation-functions course: activations, a tiny MLP, toy data,
plots, widgets and exercise checks. Notebooks show the numpy being taught; this package
does everything around it."""

from helpers import activations, data
from helpers.network import MLP

__all__ = ["MLP", "activations", "data"]
