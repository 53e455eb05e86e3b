"""Optimization models for roster. CP-SAT (OR-Tools) is the backend."""

from solvers.cpsat import Progress, build, solve

__all__ = ["Progress", "build", "solve"]
