"""What the commands do, as plain functions: load, solve, write, check.

The CLI parses arguments and calls one of these; notebooks and scripts may too.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from roster.checker import Violation, check
from roster.io.inputs import load_inputs
from roster.io.workbook import read_roster, write_workbook
from roster.model import Plan, Roster, Staff
from roster.result import Result, SolverParams
from solvers import Progress, solve

SAMPLE_STAFF = "staff.xlsx"
SAMPLE_PLAN = "duty.toml"


@dataclass(frozen=True, slots=True)
class Solved:
    """A solve with what it was solved from."""

    staff: Staff
    plan: Plan
    result: Result
    inputs: dict[str, Path]


def sample_paths() -> tuple[Path, Path]:
    """The bundled sample bureau's staff workbook and duty plan."""
    folder = Path(str(resources.files("roster.sample")))
    return folder / SAMPLE_STAFF, folder / SAMPLE_PLAN


def read_history(paths: Sequence[Path]) -> Roster | None:
    """Earlier rosters (their ``assignments`` sheets) merged into one, or ``None``."""
    if not paths:
        return None
    return Roster(tuple(a for path in paths for a in read_roster(path)))


def solve_files(
    staff_path: Path,
    plan_path: Path,
    params: SolverParams,
    *,
    history: Sequence[Path] = (),
    partial: bool = False,
    progress: Progress | None = None,
    interrupt: threading.Event | None = None,
) -> Solved:
    """Read and validate both inputs (raising ``InputError``), then solve."""
    staff, plan = load_inputs(staff_path, plan_path)
    past = read_history(history)
    result = solve(
        plan, staff, params, partial=partial, history=past, progress=progress, interrupt=interrupt
    )
    inputs = {"staff": Path(staff_path), "plan": Path(plan_path)}
    inputs.update({f"history{i + 1}": Path(p) for i, p in enumerate(history)})
    return Solved(staff, plan, result, inputs)


def write_solved(solved: Solved, out: Path, *, lang: str = "zh") -> None:
    """Write the solve's roster workbook (atomically)."""
    assert solved.result.roster is not None
    write_workbook(
        out,
        solved.result.roster,
        solved.plan,
        solved.staff,
        result=solved.result,
        lang=lang,
        inputs=solved.inputs,
    )


def check_files(roster_path: Path, staff_path: Path, plan_path: Path) -> list[Violation]:
    """Every §3 violation of a (possibly hand-edited) roster workbook."""
    staff, plan = load_inputs(staff_path, plan_path)
    return check(read_roster(roster_path, plan), plan, staff)
