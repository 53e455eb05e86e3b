"""Both inputs at once: the staff workbook and the duty plan, checked against each other."""

from __future__ import annotations

from pathlib import Path

from roster.errors import InputError, Problem
from roster.io.plan import check_references, read_plan
from roster.io.staff import read_staff
from roster.model import Plan, Staff

__all__ = ["load_inputs"]


def load_inputs(staff_path: str | Path, plan_path: str | Path) -> tuple[Staff, Plan]:
    """Read the staff workbook and the duty plan and check each against the other.

    Raises one :class:`InputError` with every problem: the staff file's, the plan's (each
    file is read even when the other is bad) and, when both read cleanly, the references
    between them (:func:`roster.io.plan.check_references`).
    """
    staff_path, plan_path = Path(staff_path), Path(plan_path)
    problems: list[Problem] = []
    staff: Staff | None = None
    plan: Plan | None = None
    try:
        staff = read_staff(staff_path)
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        plan = read_plan(plan_path)
    except InputError as exc:
        problems.extend(exc.problems)
    if staff is not None and plan is not None:
        problems.extend(check_references(plan, staff, plan_path.name, staff_path.name))
    if problems:
        raise InputError(problems)
    assert staff is not None and plan is not None  # noqa: PT018 - no problems means both read
    return staff, plan
