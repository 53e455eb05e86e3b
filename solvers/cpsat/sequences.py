"""The longer-period rules of SPEC §2.3: runs of duty days, weekends, blocks, successions.

A person "works" a date when they hold any duty (on-site or on-call) that starts on it.
Runs are counted over calendar-consecutive dates of the period; a run that touches the
first or last date of a contiguous stretch of the period is not held to the ``min_`` rules,
since the duty before and after it is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ortools.sat.python import cp_model

from roster.model import Plan
from solvers.cpsat.variables import Variables

Var = cp_model.IntVar
ONE_DAY = dt.timedelta(days=1)


def stretches(dates: tuple[dt.date, ...]) -> list[list[dt.date]]:
    """The period's dates split into runs of calendar-consecutive dates."""
    runs: list[list[dt.date]] = []
    for date in dates:
        if runs and runs[-1][-1] + ONE_DAY == date:
            runs[-1].append(date)
        else:
            runs.append([date])
    return runs


def _sequence_rules_used(v: Variables) -> bool:
    return any(
        r.max_consecutive_days is not None
        or r.min_consecutive_days
        or r.min_consecutive_days_off
        or r.max_weekends is not None
        for r in v.rules
    )


def add_sequence_rules(model: cp_model.CpModel, v: Variables, plan: Plan) -> None:
    """§2.3 runs of duty days, free days and weekends, per person (personal overrides)."""
    if not _sequence_rules_used(v):
        return
    runs = stretches(plan.dates)
    for p in v.by_person:
        rules = v.rules[p]
        works = _work_days(model, v, p, plan)
        for run in runs:
            w = [works.get(date, 0) for date in run]
            if rules.max_consecutive_days is not None:
                n = rules.max_consecutive_days
                for i in range(len(w) - n):
                    _at_most(model, w[i : i + n + 1], n)
            if rules.min_consecutive_days and rules.min_consecutive_days > 1:
                _forbid_short_runs(model, w, rules.min_consecutive_days, on=True)
            if rules.min_consecutive_days_off and rules.min_consecutive_days_off > 1:
                _forbid_short_runs(model, w, rules.min_consecutive_days_off, on=False)
        if rules.max_weekends is not None:
            weekends: dict[tuple[int, int], list[Var | int]] = defaultdict(list)
            for date, var in works.items():
                if date.weekday() >= 5:
                    weekends[date.isocalendar()[:2]].append(var)
            worked = []
            for days in weekends.values():
                flag = model.NewBoolVar("")
                for day in days:
                    model.Add(flag >= day)
                worked.append(flag)
            if len(worked) > rules.max_weekends:
                model.Add(sum(worked) <= rules.max_weekends)


def add_block_limits(model: cp_model.CpModel, v: Variables, plan: Plan) -> None:
    """§2.3 ``max_blocks``: duties per block id per person over the period."""
    for p, duties in v.by_person.items():
        limits = dict(v.rules[p].max_blocks)
        if not limits:
            continue
        by_block: dict[str, list[Var]] = defaultdict(list)
        for d, var in duties:
            by_block[v.demands[d].block].append(var)
        for block, limit in limits.items():
            if len(by_block.get(block, [])) > limit:
                model.Add(sum(by_block[block]) <= limit)


def add_forbidden_successions(model: cp_model.CpModel, v: Variables, plan: Plan) -> None:
    """§2.3 ``forbid_after``: a duty in block A on a date bars blocks B on the next date."""
    for p, duties in v.by_person.items():
        forbid = dict(v.rules[p].forbid_after)
        if not forbid:
            continue
        on: dict[tuple[dt.date, str], list[Var]] = defaultdict(list)
        for d, var in duties:
            on[v.demands[d].date, v.demands[d].block].append(var)
        for (date, block), first in list(on.items()):
            for after in forbid.get(block, ()):
                second = on.get((date + ONE_DAY, after))
                if second:
                    # Each side holds at most one duty (one place at a time per block).
                    model.Add(sum(first) + sum(second) <= 1)


def _work_days(
    model: cp_model.CpModel, v: Variables, p: int, plan: Plan
) -> dict[dt.date, Var | int]:
    """A 0/1 variable per date: the person holds a duty that day (0 when none possible)."""
    by_date: dict[dt.date, list[Var]] = defaultdict(list)
    for d, var in v.by_person[p]:
        by_date[v.demands[d].date].append(var)
    works: dict[dt.date, Var | int] = {}
    for date in plan.dates:
        duties = by_date.get(date, [])
        if not duties:
            works[date] = 0
            continue
        if len(duties) == 1:
            works[date] = duties[0]
            continue
        flag = model.NewBoolVar(f"w_p{p}_{date:%m%d}")
        model.AddMaxEquality(flag, duties)
        works[date] = flag
    return works


def _forbid_short_runs(model: cp_model.CpModel, w: list[Var | int], n: int, *, on: bool) -> None:
    """No maximal run of worked (``on``) or free dates shorter than ``n`` inside ``w``."""

    def lit(x: Var | int, value: bool) -> Var | int:
        # The literal "date has this value": x for worked, 1 - x for free.
        return x if value else 1 - x

    for length in range(1, n):
        for i in range(1, len(w) - length):
            # Forbid: w[i-1] differs, w[i..i+length-1] all `on`, w[i+length] differs.
            terms = [lit(w[i - 1], not on), lit(w[i + length], not on)]
            terms += [lit(w[k], on) for k in range(i, i + length)]
            _at_most(model, terms, len(terms) - 1)


def _at_most(model: cp_model.CpModel, terms: list[Var | int], bound: int) -> None:
    """Σ terms ≤ bound, skipping constraints that hold for constants alone."""
    constant = sum(t for t in terms if isinstance(t, int))
    variables = [t for t in terms if not isinstance(t, int)]
    if not variables:
        if constant > bound:
            model.AddBoolOr([])
        return
    if len(variables) + constant > bound:
        model.Add(sum(variables) <= bound - constant)
