"""Both inputs at once: the staff workbook and the duty plan, checked against each other."""

from __future__ import annotations

from pathlib import Path

from roster.errors import InputError, Problem
from roster.io.plan import check_references, check_staff_blocks, read_plan_partly
from roster.io.staff import read_staff_partly
from roster.model import Plan, Staff

__all__ = ["load_inputs"]


def load_inputs(staff_path: str | Path, plan_path: str | Path) -> tuple[Staff, Plan]:
    """Read the staff workbook and the duty plan and check each against the other.

    Raises one :class:`InputError` with every problem: the staff file's, the plan's (each
    file is read even when the other is bad) and the references between them
    (:func:`roster.io.plan.check_references`). When either file is bad, the blocks named by
    the staff rows that did read are still checked against the plan's blocks, if those
    read (:func:`roster.io.plan.check_staff_blocks`); references that need every person or
    the whole plan wait until both files are clean, lest a bad row look like a missing one.
    """
    staff_path, plan_path = Path(staff_path), Path(plan_path)
    problems: list[Problem] = []
    staff: Staff | None = None
    try:
        staff, staff_problems = read_staff_partly(staff_path)
    except InputError as exc:
        staff_problems = exc.problems
    problems.extend(staff_problems)
    plan, blocks, plan_problems = read_plan_partly(plan_path)
    problems.extend(plan_problems)
    if staff is not None and plan is not None and not problems:
        problems.extend(check_references(plan, staff, plan_path.name, staff_path.name))
    elif staff is not None and blocks is not None:
        problems.extend(check_staff_blocks(blocks, staff, staff_path.name))
    if problems:
        raise InputError(problems)
    assert staff is not None and plan is not None  # noqa: PT018 - no problems means both read
    return staff, plan
