"""SPEC §3.7: the coordinator's directives — pins, ``apart`` groups and ``restrict``."""

from __future__ import annotations

import itertools

from roster.checker.base import Context, Violation, at_duty, duty_where, where, who


def check_pins(ctx: Context) -> list[Violation]:
    """§3.7: each pinned person holds the pinned post, date and block (and team, if given)."""
    found = []
    for pin in ctx.plan.pins:
        person, post = ctx.resolve(pin.staff), ctx.posts.get(pin.post)
        if (
            person is None
            or post is None
            or pin.block not in post.blocks
            or pin.date not in ctx.dates
        ):
            continue  # reported as unknown_reference
        held = any(
            d.post.id == pin.post
            and d.date == pin.date
            and d.block.id == pin.block
            and (pin.team is None or d.team == pin.team)
            for d in ctx.of(person.id)
        )
        if not held:
            zh, en = where(ctx, pin.date, pin.block, post, None, pin.team)
            found.append(
                Violation(
                    rule="pin",
                    zh=f"固定安排未落实：{who(person)} 应在 {zh}",
                    en=f"pin not held: {who(person)} should be on {en}",
                    date=pin.date,
                    block=pin.block,
                    post=pin.post,
                    team=pin.team,
                    staff_id=person.id,
                )
            )
    return found


def check_apart(ctx: Context) -> list[Violation]:
    """§3.7: no two people of an ``apart`` group are on duty at overlapping times."""
    found = []
    for apart in ctx.plan.apart:
        people = {p.id: p for ref in apart.staff if (p := ctx.resolve(ref)) is not None}
        for one, other in itertools.combinations(people.values(), 2):
            for mine in ctx.held(one.id):
                for theirs in ctx.held(other.id):
                    if mine.overlaps(theirs.start, theirs.end):
                        zh1, en1 = duty_where(ctx, mine)
                        zh2, en2 = duty_where(ctx, theirs)
                        found.append(
                            at_duty(
                                "apart",
                                mine,
                                f"{who(one)} 与 {who(other)} 不能同时值班：{zh1} 与 {zh2} 时间重叠",
                                f"{who(one)} and {who(other)} must not be on duty together: "
                                f"{en1} overlaps {en2}",
                            )
                        )
    return found


def check_restrict(ctx: Context) -> list[Violation]:
    """§3.7: people a ``restrict`` selector matches hold no duty in its blocks (on its dates,
    or any date when it lists none). Blocks are matched by id, not by time."""
    found = []
    for restrict in ctx.plan.restrict:
        for person in ctx.staff:
            if not restrict.who.matches(person):
                continue
            for duty in ctx.held(person.id):
                if duty.block.id in restrict.blocks and (
                    not restrict.dates or duty.date in restrict.dates
                ):
                    zh, en = duty_where(ctx, duty)
                    found.append(
                        at_duty(
                            "restrict",
                            duty,
                            f"{zh}：按限制规定 {who(person)} 不排{duty.block.name}",
                            f"{en}: {who(person)} is restricted from {duty.block.id} duty",
                        )
                    )
    return found
