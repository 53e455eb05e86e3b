"""Earlier rosters (``--history``) measured under this year's plan.

An earlier roster's posts and blocks are looked up in this plan (duties whose post or
block the plan lacks are left out here), and each earlier date is read as the period's date
of the same month and day: last year's 15 March is this year's, so last year's gala night
falls in this year's gala-night factor window. That suits a yearly event on a fixed date
(3·15); for one that moves (Spring Festival) only the every-date windows (nights) carry
over. People are matched by staff id: keep ids stable across years (the 编号 column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from roster.model import Assignment, Factor, Plan, Roster


def raising_factors(plan: Plan) -> tuple[Factor, ...]:
    """The plan's factor windows above 1 (night, gala night), in plan order."""
    return tuple(f for f in plan.factors if f.factor > 1)


def window_hours(plan: Plan, date: dt.date, block_id: str) -> tuple[float, ...]:
    """Hours of the block on ``date`` inside each of ``raising_factors(plan)``."""
    block = plan.block(block_id)
    return tuple(
        covered(block.start, block.end, [(f.start, f.end)]) / 60
        if f.date is None or f.date == date
        else 0.0
        for f in raising_factors(plan)
    )


def redate(plan: Plan, date: dt.date) -> dt.date:
    """An earlier date as the period's date (or dated factor's) of the same month and day."""
    if date in plan.dates:
        return date
    for candidate in (*plan.dates, *(f.date for f in plan.factors if f.date is not None)):
        if (candidate.month, candidate.day) == (date.month, date.day):
            return candidate
    return date


def past_duties(duties: Iterable[Assignment], plan: Plan) -> list[Assignment]:
    """Earlier filled duties whose post and block the plan knows, redated onto the period."""
    posts = {p.id for p in plan.posts}
    blocks = {b.id: b.id for b in plan.blocks} | {b.name: b.id for b in plan.blocks}
    found = []
    for duty in duties:
        if duty.filled and duty.post in posts and duty.block in blocks:
            found.append(
                Assignment(
                    redate(plan, duty.date),
                    blocks[duty.block],
                    duty.post,
                    duty.team,
                    duty.staff_id,
                    duty.unit,
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class Exposure:
    """A person's earlier burden, and their earlier weighted hours in each raising window."""

    burden: float
    windows: tuple[float, ...]  # per raising_factors(plan): hours x post weight


def exposures(history: Roster, plan: Plan) -> dict[str, Exposure]:
    """Per staff id, what the earlier rosters gave them, measured under this plan."""
    burden: dict[str, float] = {}
    windows: dict[str, list[float]] = {}
    count = len(raising_factors(plan))
    for duty in past_duties(history.filled, plan):
        assert duty.staff_id is not None
        post = plan.post(duty.post)
        burden[duty.staff_id] = burden.get(duty.staff_id, 0.0) + plan.burden(
            post, duty.date, duty.block
        )
        mine = windows.setdefault(duty.staff_id, [0.0] * count)
        for i, hours in enumerate(window_hours(plan, duty.date, duty.block)):
            mine[i] += hours * post.weight
    return {key: Exposure(burden[key], tuple(windows[key])) for key in burden}


def covered(start: int, end: int, windows: Iterable[tuple[int, int]]) -> int:
    """Minutes of ``[start, end)`` inside the union of ``windows``."""
    minutes, cursor = 0, start
    for low, high in sorted(windows):
        low, high = max(low, cursor), min(high, end)
        if high > low:
            minutes += high - low
            cursor = high
    return minutes
