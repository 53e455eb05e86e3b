"""Rest days: which dates of a plan earn 补休 (compensatory time off, SPEC §2.2, §4).

One rule, kept here and nowhere else:

- When the plan's ``[calendar] rest_days`` is given, exactly those dates are rest days. The
  coordinator's list overrides everything else: it is how to follow the State Council's
  schedule for a year the ``holidays`` library does not know yet, or a unit's own practice.
- Otherwise, with ``[calendar] official_holidays = true``, a date is a rest day when it is a
  Saturday or Sunday or one of China's official public holidays (with the substituted days
  off), unless it is a make-up working day (调休, a weekend turned into a working day), as
  ``holidays.China`` knows them. For Spring Festival or National Day duty.
- Otherwise (the SPEC's default) Saturdays and Sundays are the rest days.

``holidays`` carries the make-up working days only for years whose official schedule it
holds (0.109 holds them up to 2026). For a later year it still computes the public
holidays by rule, but knows no make-up working day, so every weekend stays a rest day;
``notes`` says so, and ``[calendar] rest_days`` fixes it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import holidays

from roster.model import Plan


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # an official public holiday or substituted day off
    MAKEUP_WORKDAY = "makeup_workday"  # 调休: a weekend that is a working day
    PLAN_REST = "plan_rest_day"  # listed in the plan's calendar.rest_days
    PLAN_WORK = "plan_workday"  # not listed, while the plan lists rest days


@dataclass(frozen=True, slots=True)
class Day:
    """A date, whether it is a rest day, and why."""

    date: dt.date
    rest: bool
    kind: DayKind
    name_zh: str = ""  # the holiday's name, when it is one
    name_en: str = ""


@functools.lru_cache(maxsize=64)
def _china(year: int, language: str = "en_US") -> holidays.HolidayBase:
    return holidays.China(years=year, language=language)


def official(date: dt.date) -> Day:
    """The date by China's official calendar: weekends and holidays rest, 调休 works."""
    calendar = _china(date.year)
    if date in calendar.weekend_workdays:
        return Day(date, False, DayKind.MAKEUP_WORKDAY)
    name = calendar.get(date)
    if name is not None:
        return Day(date, True, DayKind.HOLIDAY, str(_china(date.year, "zh_CN").get(date)), name)
    return weekend(date)


def weekend(date: dt.date) -> Day:
    """The date by the default rule: Saturdays and Sundays rest."""
    if date.weekday() >= 5:
        return Day(date, True, DayKind.WEEKEND)
    return Day(date, False, DayKind.WORKDAY)


def day(plan: Plan, date: dt.date) -> Day:
    """The date under the plan: its ``rest_days`` when given, else the official calendar
    when it opts in (``official_holidays``), else Saturday and Sunday."""
    if plan.rest_days is not None:
        if date in plan.rest_days:
            return Day(date, True, DayKind.PLAN_REST)
        return Day(date, False, DayKind.PLAN_WORK)
    return official(date) if plan.official_holidays else weekend(date)


def is_rest_day(plan: Plan, date: dt.date) -> bool:
    """Whether on-site duty on ``date`` earns 补休 under the plan."""
    return day(plan, date).rest


def rest_days(plan: Plan, dates: Iterable[dt.date] | None = None) -> frozenset[dt.date]:
    """The rest days among ``dates`` (default: the plan's period)."""
    return frozenset(d for d in (plan.dates if dates is None else dates) if is_rest_day(plan, d))


def makeup_workdays_known(year: int) -> bool:
    """Whether ``holidays`` knows any make-up working day (调休) of ``year``."""
    return any(d.year == year for d in _china(year).weekend_workdays)


def notes(plan: Plan) -> list[tuple[str, str]]:
    """What the rest days of the plan's period rest on, in Chinese and English."""
    days = [day(plan, d) for d in plan.dates]
    rest = [d for d in days if d.rest]
    listed = "、".join(_label(d, "zh") for d in rest) or "无"
    listed_en = ", ".join(_label(d, "en") for d in rest) or "none"
    if plan.rest_days is not None:
        return [
            (
                f"休息日（计补休）：{listed}；按值班计划 [calendar] rest_days。",
                f"rest days (earning time off): {listed_en}; from the plan's [calendar] rest_days.",
            )
        ]
    if not plan.official_holidays:
        return [
            (
                f"休息日（计补休）：{listed}；按周六、周日（默认）。按国家法定节假日计请在"
                "值班计划 [calendar] 中写 official_holidays = true，或用 rest_days 列出休息日。",
                f"rest days (earning time off): {listed_en}; Saturdays and Sundays (the "
                "default). For China's official holidays set [calendar] official_holidays = "
                "true in the plan, or list the rest days in rest_days.",
            )
        ]
    found = [
        (
            f"休息日（计补休）：{listed}；按周六、周日与国家法定节假日，扣除调休上班日"
            "（[calendar] official_holidays = true）。",
            f"rest days (earning time off): {listed_en}; weekends and China's official "
            "holidays, less make-up working days ([calendar] official_holidays = true).",
        )
    ]
    for year in sorted({d.year for d in plan.dates}):
        if not makeup_workdays_known(year):
            found.append(
                (
                    f"holidays {holidays.__version__} 未收录 {year} 年的调休上班日：周末一律按休息日计；"
                    "如有调休，请在值班计划 [calendar] rest_days 中列出休息日。",
                    f"holidays {holidays.__version__} knows no make-up working day of {year}: "
                    "every weekend counts as a rest day; list the rest days in the plan's "
                    "[calendar] rest_days if the official schedule differs.",
                )
            )
    return found


def _label(d: Day, lang: str) -> str:
    if d.kind is DayKind.HOLIDAY:
        return f"{d.date}（{d.name_zh}）" if lang == "zh" else f"{d.date} ({d.name_en})"
    return d.date.isoformat()
