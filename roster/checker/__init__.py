"""The independent checker: a roster against every hard rule of SPEC §3 and the §2.3 rules.

``check(roster, plan, staff)`` returns every violation, grouped by rule in the order of
``RULES``. It is written from the SPEC and shares no code with ``solvers/``; it reads only the
plain data of the domain types and does its own time arithmetic and counting.

Readings where the SPEC is silent (the stricter one a coordinator would expect):

- Rows that name a post, block, team, person or unit part the plan or staff lacks, or a date
  outside the period, are ``unknown_reference`` and take no further part: they fill no place
  (so replacing a person by an unknown id also leaves the place short) and hold no hours.
  The same code covers pins, ``apart``, ``restrict``, ``max_blocks``/``forbid_after`` and
  absences that name unknown people or blocks (a name shared by several people is unknown).
- Coverage counts distinct people per post, unit part, date, block and team; rows with no
  person are places left unfilled. A soft post is not held to its size (the objective prices
  it), but its members still obey every other rule.
- A ``per_unit`` row's part is its ``unit`` field (the person's unit when blank). A person in
  another unit's part, or in a part the post lacks, breaks eligibility.
- ``at_least`` binds every team whose size is not 0, except an empty team of a soft post.
- Times: a duty spans its block on its date; spans that only touch do not overlap (12:00 end,
  12:00 start). A date-only absence covers 00:00-24:00; a range ending at or before its start
  runs past midnight. One place at a time covers on-call duties too and a duty listed twice.
- Hours count on-site duties only, each distinct duty once. A date's hours are those of the
  duties starting on it. Duties that touch or overlap, also across midnight, make one unbroken
  stretch. Rest is measured between the last on-site duty of a date and the first of every
  later date; a short rest is reported at the later duty.
- ``min_hours_total`` and the other per-person rules bind everyone on the staff, also people
  with no duty. Personal rules come from ``Plan.rules_for`` (``[[personal]]`` and ``max_hours``).
- §2.3 sequences count any duty, on-site or on-call. Dates are in a row when they are
  calendar-consecutive dates of the period: a gap in the period ends a stretch, duty or free.
  Only stretches containing the first or last date of the period are exempt from the
  ``min_`` rules. A weekend is the Saturday and Sunday of one ISO week.
- ``apart`` forbids any overlap in time (so also DAY against AM), ``restrict`` matches block
  ids (an on-call DAY duty is not a NIGHT duty).
"""

from __future__ import annotations

from collections.abc import Callable

from roster.checker.base import RULES, Context, Violation
from roster.checker.caps import (
    check_consecutive_hours,
    check_daily_hours,
    check_min_hours_total,
    check_rest,
    check_total_hours,
)
from roster.checker.directives import check_apart, check_pins, check_restrict
from roster.checker.placement import (
    check_availability,
    check_coverage,
    check_eligibility,
    check_overlap,
    check_qualification,
    check_references,
    check_team_composition,
)
from roster.checker.sequences import (
    check_forbid_after,
    check_max_blocks,
    check_max_consecutive_days,
    check_max_weekends,
    check_min_consecutive_days,
    check_min_consecutive_days_off,
)
from roster.model import Plan, Roster, Staff

__all__ = ["CHECKS", "RULES", "Violation", "check"]

CHECKS: tuple[Callable[[Context], list[Violation]], ...] = (
    check_references,
    check_coverage,
    check_qualification,
    check_team_composition,
    check_eligibility,
    check_overlap,
    check_availability,
    check_daily_hours,
    check_consecutive_hours,
    check_rest,
    check_total_hours,
    check_max_consecutive_days,
    check_min_consecutive_days,
    check_min_consecutive_days_off,
    check_max_weekends,
    check_max_blocks,
    check_min_hours_total,
    check_forbid_after,
    check_pins,
    check_apart,
    check_restrict,
)
"""One check per rule code, in the order of ``RULES``."""


def check(roster: Roster, plan: Plan, staff: Staff) -> list[Violation]:
    """Every violation of SPEC §3 (and the §2.3 rules the plan sets) in ``roster``.

    An empty list means the roster obeys every hard rule.
    """
    ctx = Context(roster, plan, staff)
    return [violation for rule in CHECKS for violation in rule(ctx)]
