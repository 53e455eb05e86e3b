"""Models whose rule groups are switched by literals, and the clock of an explanation.

Used by ``explain`` (conflicts) and ``relaxations`` (which groups to relax). A group is
switched by the ``enforce`` hook of ``build``: its key names the rule and where it binds,
e.g. ``("coverage", d)``, ``("composition", d, skill)``, ``("daily", p, date)``,
``("rest", p)``, ``("apart", i)``, ``("restrict", i, date)``, ``("pin", i)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from roster.model import Plan, Staff
from roster.result import SolverParams
from solvers.cpsat.solver import Model, build

Key = tuple[Any, ...]
PLACE_GROUPS = ("coverage", "composition")
HAS_ROSTER = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(slots=True)
class Clock:
    """An explanation's deadline and parameters, and the plain solves it runs."""

    deadline: float
    params: SolverParams

    @classmethod
    def start(cls, params: SolverParams) -> Clock:
        return cls(time.monotonic() + params.time_limit, params)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def solver(self, limit: float | None = None, workers: int = 1) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        limit = self.left() if limit is None else min(limit, self.left())
        solver.parameters.max_time_in_seconds = max(limit, 0.05)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = self.params.seed
        return solver

    def feasible(self, plan: Plan, staff: Staff) -> bool | None:
        """Whether the ordinary model of the plan has a roster (``None``: not decided)."""
        if self.left() <= 0.05:
            return None
        try:
            model = build(plan, staff)
        except ValueError:  # a pin that names nobody: the plan cannot hold
            return False
        code = self.solver(workers=self.params.workers).solve(model.cp)
        if code in HAS_ROSTER:
            return True
        return False if code == cp_model.INFEASIBLE else None


@dataclass(slots=True)
class Guarded:
    """A model whose chosen rule groups are switched by literals (in creation order)."""

    model: Model
    literals: dict[Key, cp_model.IntVar] = field(default_factory=dict)

    def core(self, keys: Iterable[Key], clock: Clock, limit: float | None = None
             ) -> tuple[Any, list[Key]]:  # fmt: skip
        """Solve with ``keys`` switched on (the others free); a conflict if infeasible.

        Assumptions need a single worker.
        """
        cp = self.model.cp
        cp.clear_objective()
        cp.clear_assumptions()
        cp.add_assumptions([self.literals[k] for k in keys])
        solver = clock.solver(limit)
        code = solver.solve(cp)
        if code != cp_model.INFEASIBLE:
            return code, []
        by_index = {lit.index: k for k, lit in self.literals.items()}
        found = solver.sufficient_assumptions_for_infeasibility()
        return code, [by_index[i] for i in found if i in by_index]

    def fewest_off(self, clock: Clock, limit: float | None = None) -> list[Key] | None:
        """The groups to switch off so that a roster exists, as few as found in time."""
        cp = self.model.cp
        cp.clear_assumptions()
        cp.maximize(sum(self.literals.values()))
        for literal in self.literals.values():
            cp.add_hint(literal, 1)
        solver = clock.solver(limit, clock.params.workers)
        if solver.solve(cp) not in HAS_ROSTER:
            return None
        return [k for k, lit in self.literals.items() if not solver.boolean_value(lit)]


def guarded(plan: Plan, staff: Staff, wanted: Callable[[Key], bool]) -> Guarded:
    """The plan's model with the groups ``wanted`` picks switchable (raises ``ValueError``
    for a pin that names nobody)."""
    literals: dict[Key, cp_model.IntVar] = {}

    def enforce(cp: cp_model.CpModel, key: Key) -> cp_model.IntVar | None:
        if not wanted(key):
            return None
        if key not in literals:
            literals[key] = cp.new_bool_var(f"on_{len(literals)}")
        return literals[key]

    return Guarded(build(plan, staff, enforce=enforce), literals)
