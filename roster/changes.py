"""What a repaired roster changes against the previous one: who leaves which duty, who takes it.

A duty is a post (its unit part for a ``per_unit`` post), date and block; the team a person
is in does not count, so renumbered teams are no change. Each change pairs one person who
no longer holds a duty with one who now does, in the plan's print order, so the coordinator
can phone exactly those people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from roster.errors import text
from roster.model import MINUTES_PER_DAY, Person, Plan, Roster, Staff, absolute

Place = tuple[str, str | None, dt.date, str]
"""post id, unit part (``per_unit`` posts) or ``None``, date, block id."""


class ChangeWhy(StrEnum):
    """Why the previous holder no longer holds the duty."""

    GONE = "gone"  # no longer on the staff list
    UNAVAILABLE = "unavailable"  # on leave (or otherwise unavailable) then
    CANCELLED = "cancelled"  # the plan no longer has this place
    MOVED = "moved"  # re-rostered so that every rule holds
    NEW = "new"  # a place the previous roster did not fill


@dataclass(frozen=True, slots=True)
class Change:
    """One duty that changes hands; ``left`` or ``taken`` is ``None`` when nobody."""

    date: dt.date
    block: str
    post: str
    unit: str | None
    team: int
    left: str | None  # staff id of the previous holder
    taken: str | None  # staff id of the new holder
    why: ChangeWhy


def diff(previous: Roster, new: Roster, plan: Plan, staff: Staff) -> tuple[Change, ...]:
    """Every duty held by someone else in ``new`` than in ``previous``, in print order."""
    people = staff.by_id()
    before, after = _held(previous, plan, people), _held(new, plan, people)
    places = list(dict.fromkeys([*before, *after]))
    order = {a_key: i for i, a_key in enumerate(_print_order(places, plan))}
    changes = []
    for place in sorted(places, key=order.__getitem__):
        old, now = before.get(place, {}), after.get(place, {})
        gone = [sid for sid in old if sid not in now]
        came = [sid for sid in now if sid not in old]
        for i in range(max(len(gone), len(came))):
            left = gone[i] if i < len(gone) else None
            taken = came[i] if i < len(came) else None
            team = now[taken] if taken is not None else old[left] if left is not None else 1
            why = _why(left, place, plan, staff) if left is not None else ChangeWhy.NEW
            post, unit, date, block = place
            changes.append(Change(date, block, post, unit, team, left, taken, why))
    return tuple(changes)


def _held(roster: Roster, plan: Plan, people: Mapping[str, Person]) -> dict[Place, dict[str, int]]:
    """Who holds each duty (with their team), in roster order."""
    per_unit = {p.id for p in plan.posts if p.per_unit is not None}
    held: dict[Place, dict[str, int]] = {}
    for a in roster.filled:
        assert a.staff_id is not None
        unit = None
        if a.post in per_unit:
            person = people.get(a.staff_id)
            unit = a.unit or (person.unit if person is not None else None)
        held.setdefault((a.post, unit, a.date, a.block), {}).setdefault(a.staff_id, a.team)
    return held


def _print_order(places: Iterable[Place], plan: Plan) -> list[Place]:
    blocks = {b.id: (b.start, i) for i, b in enumerate(plan.blocks)}
    posts = {p.id: i for i, p in enumerate(plan.posts)}
    return sorted(
        places,
        key=lambda k: (
            k[2],
            blocks.get(k[3], (MINUTES_PER_DAY, len(blocks))),
            posts.get(k[0], len(posts)),
            k[1] or "",
        ),
    )


def _why(staff_id: str, place: Place, plan: Plan, staff: Staff) -> ChangeWhy:
    person = staff.by_id().get(staff_id)
    if person is None:
        return ChangeWhy.GONE
    _, _, date, block_id = place
    if not _in_plan(place, plan):
        return ChangeWhy.CANCELLED
    block = plan.block(block_id)
    start, end = absolute(date, block.start), absolute(date, block.end)
    for absence in person.absences:
        a_start, a_end = _span(absence.date, absence.start, absence.end, absence.block, plan)
        if a_start < end and start < a_end:
            return ChangeWhy.UNAVAILABLE
    return ChangeWhy.MOVED


def _in_plan(place: Place, plan: Plan) -> bool:
    post_id, unit, date, block = place
    post = next((p for p in plan.posts if p.id == post_id), None)
    return (
        post is not None
        and date in plan.dates
        and block in post.blocks
        and post.size_on(date, block) > 0
        and post.teams_on(date, block) > 0
        and (post.per_unit is None or unit in post.per_unit)
    )


def _span(date: dt.date, start: int | None, end: int | None, block: str | None, plan: Plan
          ) -> tuple[int, int]:  # fmt: skip
    if block is not None:
        found = next((b for b in plan.blocks if b.id == block), None)
        if found is not None:
            return absolute(date, found.start), absolute(date, found.end)
    first = 0 if start is None else start
    last = MINUTES_PER_DAY if end is None else end
    if last <= first:
        last += MINUTES_PER_DAY
    return absolute(date, first), absolute(date, last)


# --- words -----------------------------------------------------------------------------

WHY_TEXT = {
    ChangeWhy.GONE: ("已不在人员名单", "no longer on the staff list"),
    ChangeWhy.UNAVAILABLE: ("请假或不可值班", "on leave or unavailable"),
    ChangeWhy.CANCELLED: ("该岗位已取消", "the place was cancelled"),
    ChangeWhy.MOVED: ("为满足规则调整", "moved so that every rule holds"),
    ChangeWhy.NEW: ("新增岗位", "a new place"),
}


def describe(change: Change, plan: Plan, staff: Staff, lang: str = "zh") -> str:
    """``2027-03-15 全天 执法应急小分队 第2队：张三（请假或不可值班）→ 李四 138…``"""
    where = place_text(change, plan, lang)
    left = person_text(change.left, staff, lang, phone=True) if change.left else None
    taken = person_text(change.taken, staff, lang, phone=True) if change.taken else None
    zh, en = WHY_TEXT[change.why]
    nobody = text(lang, "【空缺】", "[UNFILLED]")
    if left is None:
        return f"{where}: {text(lang, '新增', 'new')} → {taken or nobody}"
    return f"{where}: {left}（{text(lang, zh, en)}）→ {taken or nobody}"


def place_text(change: Change, plan: Plan, lang: str) -> str:
    post = next((p for p in plan.posts if p.id == change.post), None)
    block = next((b for b in plan.blocks if b.id == change.block), None)
    block_name = block.name if block is not None and lang != "en" else change.block
    name = post.name if post is not None else change.post
    part = f"（{change.unit}）" if change.unit else ""
    team = ""
    if post is not None and post.teams_on(change.date, change.block) > 1:
        team = text(lang, f" 第{change.team}队", f" team {change.team}")
    return f"{change.date.isoformat()} {block_name} {name}{part}{team}"


def person_text(staff_id: str, staff: Staff, lang: str, *, phone: bool = False) -> str:
    person = staff.by_id().get(staff_id)
    if person is None:
        return text(lang, f"编号 {staff_id}", f"id {staff_id}")
    name = staff.label(person)  # with the id when the name is shared
    return f"{name} {person.phone}".strip() if phone else name
