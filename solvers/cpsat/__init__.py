"""The CP-SAT backend: variables, the §3 rules, objective terms and the staged solve."""

from solvers.cpsat.solver import Model, Progress, build, solve

__all__ = ["Model", "Progress", "build", "solve"]
