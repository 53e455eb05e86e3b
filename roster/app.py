"""What the commands do, as plain functions: load, solve, write, check.

The CLI parses arguments and calls one of these; notebooks and scripts may too.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from roster.changes import Change, diff
from roster.checker import Violation, check
from roster.diagnose import Diagnosis, render
from roster.errors import InputError, Problem
from roster.io.inputs import load_inputs
from roster.io.run_info import read_recorded_bound
from roster.io.workbook import read_fixed, read_roster, write_workbook
from roster.model import Assignment, Pin, Plan, Roster, Staff
from roster.report import Bound, Report, build_report
from roster.result import Result, SolverParams
from solvers import Progress, solve
from solvers.cpsat.explain import explain

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


def report_files(
    roster_path: Path, staff_path: Path, plan_path: Path, *, history: Sequence[Path] = ()
) -> Report:
    """The §4 fairness report of a (possibly hand-edited) roster workbook or .csv.

    The proven bound comes from the workbook's run info sheet when it records one, flagged
    when the staff list or plan it was proven for differs from these.
    """
    staff, plan = load_inputs(staff_path, plan_path)
    roster = read_roster(roster_path, plan)
    recorded = read_recorded_bound(roster_path)
    bound = None
    if recorded is not None and recorded.bound is not None:
        other = any(
            recorded.matches(role, path) is False
            for role, path in (("staff", staff_path), ("plan", plan_path))
        )
        bound = Bound(recorded.bound, "run_info", other_inputs=other)
    return build_report(roster, plan, staff, history=read_history(history), bound=bound)


# --- explain and repair ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Explained:
    """Whether a plan can be staffed, why not, and what would make it possible."""

    staff: Staff
    plan: Plan
    diagnosis: Diagnosis

    def render(self, lang: str = "zh") -> str:
        return render(self.diagnosis, self.plan, self.staff, lang)


def explain_files(staff_path: Path, plan_path: Path, params: SolverParams) -> Explained:
    """Read and validate both inputs (raising ``InputError``), then explain the plan."""
    staff, plan = load_inputs(staff_path, plan_path)
    return Explained(staff, plan, explain(plan, staff, params))


def explain_solved(solved: Solved, params: SolverParams) -> Explained:
    """Why a solve found no roster (or left places unfilled)."""
    return Explained(solved.staff, solved.plan, explain(solved.plan, solved.staff, params))


@dataclass(frozen=True, slots=True)
class Repaired:
    """A repair: the solve (its plan holds the fixed duties as pins), and what changed."""

    solved: Solved
    previous: Roster
    fixed: Roster
    changes: tuple[Change, ...]


def repair_files(
    roster_path: Path,
    staff_path: Path,
    plan_path: Path,
    params: SolverParams,
    *,
    fix: Sequence[str] = (),
    partial: bool = False,
    progress: Progress | None = None,
    interrupt: threading.Event | None = None,
) -> Repaired:
    """Re-roster after the staff list or plan changed, changing as few duties as possible
    (then as fair as possible).

    Fixed, never moved: the plan's pins, the previous roster's duties marked in its
    ``fixed``/``锁定`` column, and every duty of the people in ``fix`` (ids or names).
    Duties whose post, date or block the plan no longer has are dropped (and listed).
    """
    staff, plan = load_inputs(staff_path, plan_path)
    previous = _with_block_ids(read_roster(roster_path), plan)
    fixed = _fixed(_with_block_ids(read_fixed(roster_path), plan), previous, fix, plan, staff)
    pinned = dataclasses.replace(plan, pins=plan.pins + tuple(_pin(a, plan) for a in fixed))
    result = solve(
        pinned,
        staff,
        params,
        partial=partial,
        previous=previous,
        progress=progress,
        interrupt=interrupt,
    )
    changes = diff(previous, result.roster, plan, staff) if result.roster is not None else ()
    inputs = {"roster": Path(roster_path), "staff": Path(staff_path), "plan": Path(plan_path)}
    return Repaired(Solved(staff, pinned, result, inputs), previous, fixed, changes)


def write_repaired(repaired: Repaired, out: Path, *, lang: str = "zh") -> None:
    """Write the repaired roster workbook, with its ``变更`` (Changes) sheet first."""
    solved = repaired.solved
    assert solved.result.roster is not None
    write_workbook(
        out,
        solved.result.roster,
        solved.plan,
        solved.staff,
        result=solved.result,
        lang=lang,
        inputs=solved.inputs,
        changes=repaired.changes,
    )


def _with_block_ids(roster: Roster, plan: Plan) -> Roster:
    """A roster read without the plan, with blocks written by name turned into ids."""
    ids = {b.id for b in plan.blocks}
    names = {b.name: b.id for b in plan.blocks}
    return Roster(
        tuple(
            a if a.block in ids else dataclasses.replace(a, block=names.get(a.block, a.block))
            for a in roster
        )
    )


def _fixed(
    marked: Roster, previous: Roster, fix: Sequence[str], plan: Plan, staff: Staff
) -> Roster:
    """The duties to keep: those marked fixed and those of the people named in ``fix``."""
    problems = []
    kept = list(marked.filled)
    for ref in fix:
        found = staff.find(ref)
        if len(found) != 1:
            problems.append(
                Problem(
                    "--fix",
                    f"“{ref}”不是人员名单中唯一的一个人（请用编号）",
                    f"{ref!r} is not exactly one person on the staff list (use the id)",
                )
            )
            continue
        kept += [a for a in previous.filled if a.staff_id == found[0].id]
    people = staff.by_id()
    for a in dict.fromkeys(kept):
        duty = f"{a.date} {a.block} {a.post}"
        if a.staff_id not in people:
            problems.append(
                Problem(
                    "fixed",
                    f"锁定的值班 {duty} 的 {a.staff_id} 已不在人员名单中",
                    f"the fixed duty {duty} is held by {a.staff_id}, who is not on the staff list",
                )
            )
        elif not _in_plan(a, plan):
            problems.append(
                Problem(
                    "fixed",
                    f"锁定的值班 {duty} 在值班计划中已不存在",
                    f"the fixed duty {duty} is no longer in the plan",
                )
            )
    if problems:
        raise InputError(problems)
    return Roster(tuple(dict.fromkeys(kept)))


def _in_plan(a: Assignment, plan: Plan) -> bool:
    post = next((p for p in plan.posts if p.id == a.post), None)
    return post is not None and a.date in plan.dates and a.block in post.blocks


def _pin(a: Assignment, plan: Plan) -> Pin:
    """A fixed duty as a pin: same post, date, block and team (any team if it is gone)."""
    assert a.staff_id is not None
    teams = plan.post(a.post).teams_on(a.date, a.block)
    return Pin(a.staff_id, a.post, a.date, a.block, a.team if a.team <= teams else None)
