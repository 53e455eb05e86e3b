"""SPEC §2.3: rules over sequences of dates and blocks (bind only where the plan sets them).

A duty day is a date of the period with any duty starting on it, on-site or on-call. Dates
"in a row" are calendar-consecutive dates of the period: a gap in the period (a weekend-only
plan) ends a stretch, duty or free.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from roster.checker.base import (
    ONE_DAY,
    Context,
    Violation,
    at_duty,
    duty_where,
    plural,
    when,
    who,
)
from roster.model import Person

Stretch = tuple[bool, list[dt.date]]  # on duty?, its dates


def _stretches(ctx: Context, person: Person) -> list[Stretch]:
    """Maximal stretches of duty days and of free dates, in date order."""
    on = {d.date for d in ctx.held(person.id)}
    stretches: list[Stretch] = []
    for date in ctx.plan.dates:
        duty = date in on
        if stretches and stretches[-1][0] == duty and stretches[-1][1][-1] + ONE_DAY == date:
            stretches[-1][1].append(date)
        else:
            stretches.append((duty, [date]))
    return stretches


def _span(dates: list[dt.date]) -> str:
    return str(dates[0]) if len(dates) == 1 else f"{dates[0]}~{dates[-1]}"


def check_max_consecutive_days(ctx: Context) -> list[Violation]:
    """§2.3: at most ``max_consecutive_days`` duty days in a row."""
    found = []
    for person in ctx.staff:
        cap = ctx.rules(person).max_consecutive_days
        if cap is None:
            continue
        for duty, dates in _stretches(ctx, person):
            if duty and len(dates) > cap:
                found.append(
                    Violation(
                        rule="max_consecutive_days",
                        zh=f"{who(person)} {_span(dates)} 连续值班 {len(dates)} 天，"
                        f"最多连续 {cap} 天",
                        en=f"{who(person)}: on duty {len(dates)} days in a row "
                        f"({_span(dates)}), at most {cap}",
                        date=dates[0],
                        staff_id=person.id,
                    )
                )
    return found


def _too_short(ctx: Context, rule: str, on_duty: bool) -> list[Violation]:
    """Stretches (of duty days or free dates) shorter than the rule's minimum, except those
    touching the first or last date of the period."""
    found = []
    first, last = ctx.plan.dates[0], ctx.plan.dates[-1]
    for person in ctx.staff:
        floor = getattr(ctx.rules(person), rule)
        if floor is None:
            continue
        for duty, dates in _stretches(ctx, person):
            if duty != on_duty or len(dates) >= floor or first in dates or last in dates:
                continue
            what_zh, what_en = ("值班", "on duty") if on_duty else ("休息", "off duty")
            found.append(
                Violation(
                    rule=rule,
                    zh=f"{who(person)} {_span(dates)} 只连续{what_zh} {len(dates)} 天，"
                    f"至少需要连续 {floor} 天",
                    en=f"{who(person)}: {what_en} only {plural(len(dates), 'day')} in a row "
                    f"({_span(dates)}), "
                    f"at least {floor} needed",
                    date=dates[0],
                    staff_id=person.id,
                )
            )
    return found


def check_min_consecutive_days(ctx: Context) -> list[Violation]:
    """§2.3: a stretch of duty days is at least ``min_consecutive_days`` long."""
    return _too_short(ctx, "min_consecutive_days", on_duty=True)


def check_min_consecutive_days_off(ctx: Context) -> list[Violation]:
    """§2.3: a stretch of free dates is at least ``min_consecutive_days_off`` long."""
    return _too_short(ctx, "min_consecutive_days_off", on_duty=False)


def check_max_weekends(ctx: Context) -> list[Violation]:
    """§2.3: at most ``max_weekends`` weekends (Sat/Sun of one ISO week) with any duty.
    Reported at the first duty day of the first weekend over the cap."""
    found = []
    for person in ctx.staff:
        cap = ctx.rules(person).max_weekends
        if cap is None:
            continue
        weekends: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for date in sorted({d.date for d in ctx.held(person.id)}):
            if date.weekday() >= 5:
                weekends[date.isocalendar()[:2]].append(date)
        if len(weekends) > cap:
            days = ", ".join("/".join(str(d) for d in ds) for ds in weekends.values())
            found.append(
                Violation(
                    rule="max_weekends",
                    zh=f"{who(person)} 有 {len(weekends)} 个周末值班（{days}），最多 {cap} 个",
                    en=f"{who(person)}: on duty on {plural(len(weekends), 'weekend')} ({days}), "
                    f"at most {cap}",
                    date=list(weekends.values())[cap][0],
                    staff_id=person.id,
                )
            )
    return found


def check_max_blocks(ctx: Context) -> list[Violation]:
    """§2.3: per person, at most ``max_blocks[block]`` duties in that block (any post).
    Reported at the first duty over the cap."""
    found = []
    for person in ctx.staff:
        caps = dict(ctx.rules(person).max_blocks)
        in_block = defaultdict(list)
        for duty in ctx.held(person.id):
            in_block[duty.block.id].append(duty)
        for block_id, cap in caps.items():
            duties = in_block.get(block_id, [])
            if len(duties) > cap:
                name = ctx.blocks[block_id].name if block_id in ctx.blocks else block_id
                found.append(
                    at_duty(
                        "max_blocks",
                        duties[cap],
                        f"{who(person)} {name}值班 {len(duties)} 次，最多 {cap} 次",
                        f"{who(person)}: {len(duties)} {block_id} duties, at most {cap}",
                    )
                )
    return found


def check_forbid_after(ctx: Context) -> list[Violation]:
    """§2.3: after a duty in block A on date d, none of ``forbid_after[A]`` on d + 1."""
    found = []
    for person in ctx.staff:
        forbidden = dict(ctx.rules(person).forbid_after)
        if not forbidden:
            continue
        duties = ctx.held(person.id)
        for before in duties:
            for after in duties:
                if after.date == before.date + ONE_DAY and after.block.id in forbidden.get(
                    before.block.id, ()
                ):
                    zh1, en1 = when(ctx, before.date, before.block.id)
                    zh2, en2 = duty_where(ctx, after)
                    found.append(
                        at_duty(
                            "forbid_after",
                            after,
                            f"{who(person)} 值 {zh1} 后，次日不能值 {zh2}",
                            f"{who(person)}: {en2} may not follow {en1}",
                        )
                    )
    return found
