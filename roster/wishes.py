"""Wishes (意愿) met and unmet, and why (SPEC §4: honoured after fairness).

The solver weighs wishes only after the fairness stages, so a wish it leaves unmet was
either impossible (the person is unavailable, could take no place then, or a pin holds
them) or traded for fairness or another rule. ``outcomes`` tells these apart from the
roster and the inputs alone, so it works on a hand-edited roster too (where "traded"
means the roster's choice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from roster.comparables import could_take
from roster.fairness import names_block, resolve_wishes, wish_met
from roster.model import (
    MINUTES_PER_DAY,
    Absence,
    Demand,
    Person,
    Plan,
    Roster,
    Staff,
    Wish,
    WishKind,
    absolute,
)


class Reason(StrEnum):
    MET = "met"
    UNKNOWN_PERSON = "unknown_person"  # the reference names nobody, or several people
    OUTSIDE = "outside_period"  # the date or block is not in the plan
    UNAVAILABLE = "unavailable"  # on leave for every place they could take then
    NOT_ELIGIBLE = "not_eligible"  # unit, skills or restrict: no place they could take
    PINNED = "pinned"  # the plan pins them onto the duty they wished to avoid
    NO_ONE_ELSE = "no_one_else"  # nobody else could take that duty
    RAISES_MAX = "raises_max"  # the smallest duty then would lift them above the largest
    TRADED = "traded"  # traded for fairness or another rule


REASONS: Mapping[Reason, tuple[str, str]] = {
    Reason.MET: ("已满足", "met"),
    Reason.UNKNOWN_PERSON: ("人员无法对应", "names no single person"),
    Reason.OUTSIDE: ("不在值班期间或时段", "outside the period or blocks"),
    Reason.UNAVAILABLE: ("本人当时不可值班", "the person is unavailable then"),
    Reason.NOT_ELIGIBLE: ("本人当时无可担任的岗位", "no post the person could take then"),
    Reason.PINNED: ("计划指定其值此班", "the plan pins them to it"),
    Reason.NO_ONE_ELSE: ("无他人可替", "nobody else could take it"),
    Reason.RAISES_MAX: ("会抬高最大负担", "would raise the largest burden"),
    Reason.TRADED: ("让位于公平或其他规则", "traded for fairness or another rule"),
}


@dataclass(frozen=True, slots=True)
class WishOutcome:
    wish: Wish
    person: Person | None
    met: bool
    reason: Reason
    detail: tuple[str, str] = ("", "")  # (zh, en), e.g. which duty, which burden

    def reason_text(self, lang: str) -> str:
        zh, en = REASONS[self.reason]
        return en if lang == "en" else zh


def outcomes(
    roster: Roster, plan: Plan, staff: Staff, burdens: Mapping[str, float]
) -> tuple[WishOutcome, ...]:
    """Every wish of ``staff`` in order, met or not, and why."""
    largest = max(burdens.values(), default=0.0)
    found = []
    for wish, person in resolve_wishes(staff):
        if person is None:
            found.append(WishOutcome(wish, None, False, Reason.UNKNOWN_PERSON))
            continue
        duties = roster.of(person.id)
        if wish_met(wish, duties, plan):
            found.append(WishOutcome(wish, person, True, Reason.MET))
            continue
        blocks = _blocks(wish, plan)
        if wish.date not in plan.dates or not blocks:
            found.append(WishOutcome(wish, person, False, Reason.OUTSIDE))
        elif wish.kind is WishKind.PREFER:
            found.append(_why_not_on(wish, person, plan, blocks, burdens, largest))
        else:
            found.append(_why_on(wish, person, roster, plan, staff, blocks))
    return tuple(found)


def _blocks(wish: Wish, plan: Plan) -> list[str]:
    if wish.block is None:
        return [b.id for b in plan.blocks]
    return [b.id for b in plan.blocks if names_block(wish.block, b.id, plan)]


def _demands(plan: Plan, date: dt.date, blocks: list[str]) -> list[Demand]:
    seen: dict[tuple[str, str | None, str], Demand] = {}
    for demand in plan.demands():
        if demand.date == date and demand.block in blocks and demand.size > 0:
            seen.setdefault((demand.post.id, demand.unit, demand.block), demand)
    return list(seen.values())


def _why_not_on(
    wish: Wish,
    person: Person,
    plan: Plan,
    blocks: list[str],
    burdens: Mapping[str, float],
    largest: float,
) -> WishOutcome:
    """A prefer wish unmet: could they have been on duty then at all?"""
    open_ = [d for d in _demands(plan, wish.date, blocks) if could_take(person, plan, d)]
    if not open_:
        return WishOutcome(wish, person, False, Reason.NOT_ELIGIBLE)
    free = [d for d in open_ if is_available(person, plan, d.date, d.block)]
    if not free:
        return WishOutcome(wish, person, False, Reason.UNAVAILABLE)
    smallest = min(plan.burden(d.post, d.date, d.block) for d in free)
    mine = burdens.get(person.id, 0.0)
    if mine + smallest > largest + 1e-9:
        return WishOutcome(
            wish,
            person,
            False,
            Reason.RAISES_MAX,
            (
                f"负担将由 {mine:.1f} 增至 {mine + smallest:.1f}，超过当前最大 {largest:.1f}",
                f"their burden would go from {mine:.1f} to {mine + smallest:.1f}, above "
                f"the largest {largest:.1f}",
            ),
        )
    return WishOutcome(wish, person, False, Reason.TRADED)


def _why_on(
    wish: Wish, person: Person, roster: Roster, plan: Plan, staff: Staff, blocks: list[str]
) -> WishOutcome:
    """An avoid wish unmet: was the duty pinned, or could nobody else take it?"""
    offending = [d for d in roster.of(person.id) if d.date == wish.date and d.block in blocks]
    for duty in offending:
        for pin in plan.pins:
            if (
                pin.post == duty.post
                and pin.date == duty.date
                and pin.block == duty.block
                and person in staff.find(pin.staff)
            ):
                return WishOutcome(wish, person, False, Reason.PINNED)
    for duty in offending:
        post = plan.post(duty.post)
        part = duty.unit if post.per_unit is not None else None
        demand = Demand(post, part, duty.date, duty.block, duty.team)
        others = [
            p
            for p in staff
            if p.id != person.id
            and could_take(p, plan, demand)
            and is_available(p, plan, duty.date, duty.block)
        ]
        if not others:
            return WishOutcome(
                wish,
                person,
                False,
                Reason.NO_ONE_ELSE,
                (f"{post.name} {duty.block}", f"{post.name} {duty.block}"),
            )
    return WishOutcome(wish, person, False, Reason.TRADED)


def is_available(person: Person, plan: Plan, date: dt.date, block_id: str) -> bool:
    """No absence of the person overlaps the block on ``date``."""
    start, end = plan.block(block_id).span(date)
    return not any(
        a_start < end and start < a_end
        for a_start, a_end in (_span(a, plan) for a in person.absences)
    )


def _span(absence: Absence, plan: Plan) -> tuple[int, int]:
    if absence.block is not None:
        block = next(
            (b for b in plan.blocks if absence.block in (b.id, b.name)),
            None,
        )
        if block is None:
            return 0, 0
        return block.span(absence.date)
    start = 0 if absence.start is None else absence.start
    end = MINUTES_PER_DAY if absence.end is None else absence.end
    if end <= start:  # "22:00-02:00" runs past midnight
        end += MINUTES_PER_DAY
    return absolute(absence.date, start), absolute(absence.date, end)
