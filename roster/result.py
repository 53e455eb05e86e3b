"""What a solve returns: status, roster, and the proof of how good it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from roster.model import Roster


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a roster, not proven optimal
    INFEASIBLE = "infeasible"  # proven: no roster obeys every rule
    UNKNOWN = "unknown"  # no roster found within the limit, nothing proven

    @property
    def has_roster(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True, slots=True)
class SolverParams:
    """How to run the solver. ``time_limit`` is in seconds for the whole solve."""

    time_limit: float = 60.0
    workers: int = 8
    seed: int = 0
    gap_limit: float = 0.0  # stop a stage once its relative gap is at most this
    log: bool = False
    cpsat: tuple[tuple[str, object], ...] = ()
    """Extra CP-SAT parameters as (name, value), e.g. ``(("subsolvers", ("max_lp",)),)``; a
    repeated field takes a tuple. Passed through as given; an unknown name is an error."""

    def __post_init__(self) -> None:
        if self.time_limit <= 0:
            raise ValueError("time_limit must be positive")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if not 0 <= self.gap_limit < 1:
            raise ValueError("gap_limit must be in [0, 1)")


@dataclass(frozen=True, slots=True)
class StageResult:
    """One lexicographic stage: what it minimised and how far from proven best."""

    name: str  # the stage's terms joined by "+"
    status: Status
    objective: float | None
    bound: float | None
    runtime: float

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0.0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        if self.status is Status.OPTIMAL:
            return 0.0
        denominator = max(abs(self.objective), 1e-9)
        return max(0.0, (self.objective - self.bound) / denominator)


@dataclass(frozen=True, slots=True)
class Result:
    status: Status
    roster: Roster | None
    stages: tuple[StageResult, ...]
    runtime: float
    params: SolverParams
    interrupted: bool = False
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def max_burden(self) -> StageResult | None:
        return next((s for s in self.stages if s.name == "max_burden"), None)
