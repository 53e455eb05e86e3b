"""SPEC §3.6: the hour caps. Only on-site duties (``kind = "onsite"``) count hours."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from roster.checker.base import (
    DAY_MINUTES,
    Context,
    Duty,
    Violation,
    at_duty,
    clock,
    duty_where,
    hours,
    moment,
    num,
    over,
    under,
    who,
)
from roster.model import Person


def _onsite(ctx: Context, person: Person) -> list[Duty]:
    return [d for d in ctx.held(person.id) if d.onsite]


def _until(end: int) -> str:
    """An absolute end minute as ``2027-03-14 24:00`` (midnight ends the date before)."""
    date = dt.date.fromordinal((end - 1) // DAY_MINUTES)
    return f"{date} {'24:00' if end % DAY_MINUTES == 0 else clock(end)}"


def check_daily_hours(ctx: Context) -> list[Violation]:
    """§3.6: on-site hours of the duties starting on a date ≤ ``max_onsite_hours_per_day``."""
    found = []
    for person in ctx.staff:
        cap = ctx.rules(person).max_onsite_hours_per_day
        if cap is None:
            continue
        per_date: dict[dt.date, int] = defaultdict(int)
        for duty in _onsite(ctx, person):
            per_date[duty.date] += duty.minutes
        for date in sorted(per_date):
            if over(per_date[date], cap):
                h = hours(per_date[date])
                found.append(
                    Violation(
                        rule="daily_hours",
                        zh=f"{who(person)} {date} 现场值班 {h} 小时，每天最多 {num(cap)} 小时",
                        en=f"{who(person)}: {h} on-site hours on {date}, at most {num(cap)}",
                        date=date,
                        staff_id=person.id,
                    )
                )
    return found


def check_consecutive_hours(ctx: Context) -> list[Violation]:
    """§3.6: on-site duties that touch or overlap (also across midnight) form one unbroken
    stretch, at most ``max_consecutive_hours`` long."""
    found = []
    for person in ctx.staff:
        cap = ctx.rules(person).max_consecutive_hours
        if cap is None:
            continue
        stretches: list[tuple[Duty, int, int]] = []  # first duty, start, end
        for duty in sorted(_onsite(ctx, person), key=lambda d: d.start):
            if stretches and duty.start <= stretches[-1][2]:
                first, start, end = stretches[-1]
                stretches[-1] = (first, start, max(end, duty.end))
            else:
                stretches.append((duty, duty.start, duty.end))
        for first, start, end in stretches:
            if over(end - start, cap):
                h, since = hours(end - start), f"{first.date} {clock(start)}"
                found.append(
                    at_duty(
                        "consecutive_hours",
                        first,
                        f"{who(person)} 从 {since} 到 {_until(end)} 连续现场值班 {h} 小时，"
                        f"最多 {num(cap)} 小时",
                        f"{who(person)}: {h} unbroken on-site hours from {since} "
                        f"to {_until(end)}, at most {num(cap)}",
                    )
                )
    return found


def check_rest(ctx: Context) -> list[Violation]:
    """§3.6: between the last on-site duty of a date and the first of a later date, at least
    ``min_rest_hours`` of rest. Reported at the later duty."""
    found = []
    for person in ctx.staff:
        cap = ctx.rules(person).min_rest_hours
        if cap is None:
            continue
        by_date: dict[dt.date, list[Duty]] = defaultdict(list)
        for duty in _onsite(ctx, person):
            by_date[duty.date].append(duty)
        dates = sorted(by_date)
        for i, earlier in enumerate(dates):
            last = max(by_date[earlier], key=lambda d: d.end)
            for later in dates[i + 1 :]:
                if not under(moment(later, 0) - last.end, cap):
                    break  # this date and every later one start late enough
                first = min(by_date[later], key=lambda d: d.start)
                rest = first.start - last.end
                if under(rest, cap):
                    zh1, en1 = duty_where(ctx, last)
                    zh2, en2 = duty_where(ctx, first)
                    found.append(
                        at_duty(
                            "rest",
                            first,
                            f"{who(person)} 从 {zh1} 到 {zh2} 只休息 {hours(rest)} 小时，"
                            f"至少需要 {num(cap)} 小时",
                            f"{who(person)}: {hours(rest)} hours of rest between {en1} "
                            f"and {en2}, at least {num(cap)} needed",
                        )
                    )
    return found


def _total(ctx: Context, person: Person) -> int:
    return sum(d.minutes for d in _onsite(ctx, person))


def check_total_hours(ctx: Context) -> list[Violation]:
    """§3.6: on-site hours over the period ≤ ``max_hours_total`` (a staff ``max_hours`` may
    lower it)."""
    found = []
    for person in ctx.staff:
        cap = ctx.rules(person).max_hours_total
        if cap is not None and over(total := _total(ctx, person), cap):
            found.append(
                Violation(
                    rule="total_hours",
                    zh=f"{who(person)} 值班期间现场值班共 {hours(total)} 小时，"
                    f"最多 {num(cap)} 小时",
                    en=f"{who(person)}: {hours(total)} on-site hours over the period, "
                    f"at most {num(cap)}",
                    staff_id=person.id,
                )
            )
    return found


def check_min_hours_total(ctx: Context) -> list[Violation]:
    """§2.3: on-site hours over the period ≥ ``min_hours_total``, for everyone on the staff."""
    found = []
    for person in ctx.staff:
        floor = ctx.rules(person).min_hours_total
        if floor is not None and under(total := _total(ctx, person), floor):
            found.append(
                Violation(
                    rule="min_hours_total",
                    zh=f"{who(person)} 值班期间现场值班共 {hours(total)} 小时，"
                    f"至少需要 {num(floor)} 小时",
                    en=f"{who(person)}: {hours(total)} on-site hours over the period, "
                    f"at least {num(floor)} needed",
                    staff_id=person.id,
                )
            )
    return found
