"""SPEC §3.1-§3.5: who stands where, and the references that make a roster readable."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from roster.checker.base import (
    Context,
    Key,
    Violation,
    at_duty,
    clock,
    duty_where,
    plural,
    where,
    who,
)
from roster.model import Absence


def check_references(ctx: Context) -> list[Violation]:
    """Roster rows, pins, apart/restrict and rules that name what the plan or staff lacks."""
    found = [
        Violation(
            rule="unknown_reference",
            zh=f"排班记录 {a.date} {a.block} {a.post} 第{a.team}队 {a.staff_id or '空缺'}：{zh}",
            en=f"roster row {a.date} {a.block} {a.post} team {a.team} "
            f"{a.staff_id or 'unfilled'}: {en}",
            date=a.date,
            block=a.block,
            post=a.post,
            team=a.team,
            staff_id=a.staff_id,
            unit=a.unit or None,
        )
        for a, zh, en in ctx.unknown
    ]

    def unknown(zh: str, en: str, **at: Any) -> None:
        found.append(Violation(rule="unknown_reference", zh=zh, en=en, **at))

    def staff_ref(ref: str, zh_what: str, en_what: str) -> None:
        matches = len(ctx.staff.find(ref))
        if matches == 0:
            unknown(f"{zh_what}：人员名单中没有“{ref}”", f"{en_what}: nobody called {ref!r}")
        elif matches > 1:
            unknown(
                f"{zh_what}：“{ref}”对应 {matches} 人，请写编号",
                f"{en_what}: {ref!r} names {matches} people, give the id",
            )

    for pin in ctx.plan.pins:
        zh_what = f"固定安排 {pin.staff} {pin.date} {pin.block} {pin.post}"
        en_what = f"pin {pin.staff} {pin.date} {pin.block} {pin.post}"
        staff_ref(pin.staff, zh_what, en_what)
        post = ctx.posts.get(pin.post)
        if post is None or pin.block not in post.blocks or pin.date not in ctx.dates:
            unknown(
                f"{zh_what}：没有这个岗位、班次或日期",
                f"{en_what}: no such post, block or date",
                date=pin.date,
                block=pin.block,
                post=pin.post,
            )
        elif pin.team is not None and not 1 <= pin.team <= post.teams_on(pin.date, pin.block):
            unknown(
                f"{zh_what}：没有第{pin.team}队",
                f"{en_what}: no team {pin.team}",
                date=pin.date,
                block=pin.block,
                post=pin.post,
                team=pin.team,
            )
    for apart in ctx.plan.apart:
        for ref in apart.staff:
            staff_ref(
                ref, f"不同班人员 {'、'.join(apart.staff)}", f"apart {', '.join(apart.staff)}"
            )
    block_refs = [(b, "restrict") for r in ctx.plan.restrict for b in r.blocks]
    for rules in [ctx.plan.rules, *(p.rules for p in ctx.plan.personal)]:
        block_refs += [(b, "max_blocks") for b, _ in rules.max_blocks]
        block_refs += [(b, "forbid_after") for a, bs in rules.forbid_after for b in (a, *bs)]
    for block_id, key in dict.fromkeys(block_refs):
        if block_id not in ctx.blocks:
            unknown(f"{key}：没有编号为“{block_id}”的班次", f"{key}: no block with id {block_id!r}")
    for person in ctx.staff:
        for absence in person.absences:
            if ctx.absence_span(absence) is None:
                unknown(
                    f"{who(person)} 的不可值班时间 {absence.date} {absence.block}：没有这个班次",
                    f"{who(person)}, unavailable {absence.date} {absence.block}: no such block",
                    date=absence.date,
                    staff_id=person.id,
                )
    return found


def _filled(ctx: Context) -> dict[Key, set[str]]:
    """The distinct people in each place group."""
    members: dict[Key, set[str]] = defaultdict(set)
    for duty in ctx.duties:
        members[duty.key].add(duty.person.id)
    return members


def check_coverage(ctx: Context) -> list[Violation]:
    """§3.1: every post, date, block and team gets exactly its size (soft posts excepted)."""
    found = []
    members = _filled(ctx)
    marked = Counter(ctx.unfilled)
    for demand in ctx.plan.demands():
        post, date, block_id = demand.post, demand.date, demand.block
        if post.soft_on(date, block_id) is not None:
            continue  # the objective prices a soft post's shortfall or excess
        size, have = post.size_on(date, block_id), len(members[demand.key])
        if have == size:
            continue
        zh, en = where(ctx, date, block_id, post, demand.unit, demand.team)
        if have < size:
            short, unfilled = size - have, marked[demand.key]
            note_zh = f"，其中 {unfilled} 个标为空缺" if unfilled else ""
            note_en = f", {unfilled} marked unfilled" if unfilled else ""
            zh += f"：空缺 {short} 人（已排 {have} 人，需要 {size} 人{note_zh}）"
            en += f": {plural(short, 'place')} unfilled ({have} of {size} filled{note_en})"
        else:
            zh += f"：已排 {have} 人，只需 {size} 人"
            en += f": {have} people on duty, exactly {size} needed"
        found.append(
            Violation(
                rule="coverage",
                zh=zh,
                en=en,
                date=date,
                block=block_id,
                post=post.id,
                team=demand.team,
                unit=demand.unit,
            )
        )
    return found


def check_qualification(ctx: Context) -> list[Violation]:
    """§3.2: every member holds the post's ``require`` skills."""
    found = []
    for duty in ctx.duties:
        missing = sorted(duty.post.require - duty.person.skills)
        if missing:
            zh, en = duty_where(ctx, duty)
            found.append(
                at_duty(
                    "qualification",
                    duty,
                    f"{zh}：{who(duty.person)} 不具备岗位要求的{'、'.join(missing)}",
                    f"{en}: {who(duty.person)} lacks {', '.join(missing)}, required by the post",
                )
            )
    return found


def check_team_composition(ctx: Context) -> list[Violation]:
    """§3.2: each team meets ``at_least`` (an empty team of a soft post is not held to it)."""
    found = []
    members = _filled(ctx)
    for demand in ctx.plan.demands():
        post, date, block_id = demand.post, demand.date, demand.block
        if not post.at_least or post.size_on(date, block_id) == 0:
            continue
        team = [ctx.people[i] for i in members[demand.key]]
        if not team and post.soft_on(date, block_id) is not None:
            continue
        for skill, need in post.at_least:
            have = sum(skill in p.skills for p in team)
            if have < need:
                zh, en = where(ctx, date, block_id, post, demand.unit, demand.team)
                found.append(
                    Violation(
                        rule="team_composition",
                        zh=f"{zh}：{skill}持有人 {have} 人，至少需要 {need} 人",
                        en=f"{en}: {plural(have, 'holder')} of {skill}, at least {need} needed",
                        date=date,
                        block=block_id,
                        post=post.id,
                        team=demand.team,
                        unit=demand.unit,
                    )
                )
    return found


def check_eligibility(ctx: Context) -> list[Violation]:
    """§3.3: members come from the post's units; a ``per_unit`` post's part from its unit."""
    found = []
    for duty in ctx.duties:
        post, person = duty.post, duty.person
        if post.per_unit is not None:
            ok = duty.part in post.per_unit and post.admits(person.unit, duty.part)
            allowed = duty.part if duty.part in post.per_unit else "、".join(post.per_unit)
        else:
            ok = post.admits(person.unit, None)
            allowed = "、".join(post.units or ())
        if not ok:
            zh, en = duty_where(ctx, duty)
            found.append(
                at_duty(
                    "eligibility",
                    duty,
                    f"{zh}：{who(person)} 属于{person.unit}，该岗位只能由{allowed}人员担任",
                    f"{en}: {who(person)} is of {person.unit}; "
                    f"the post is staffed only by {allowed.replace('、', ', ')}",
                )
            )
    return found


def check_overlap(ctx: Context) -> list[Violation]:
    """§3.4: nobody holds two duties whose times overlap, nor one duty twice."""
    found = []
    for person in ctx.staff:
        duties = ctx.of(person.id)
        for i, first in enumerate(duties):
            for second in duties[i + 1 :]:
                if second.start >= first.end:
                    break  # sorted by start: no later duty overlaps ``first`` either
                zh1, en1 = duty_where(ctx, first)
                if first.key == second.key:
                    zh = f"{who(person)} 在 {zh1} 重复排班"
                    en = f"{who(person)} is listed twice for {en1}"
                else:
                    zh2, en2 = duty_where(ctx, second)
                    zh = f"{who(person)} 同时担任 {zh1} 和 {zh2}，时间重叠"
                    en = f"{who(person)} holds {en1} and {en2} at overlapping times"
                found.append(at_duty("overlap", first, zh, en))
    return found


def _absence_text(absence: Absence) -> tuple[str, str]:
    if absence.block is not None:
        zh = en = f"{absence.date} {absence.block}"
    elif absence.start is None and absence.end is None:
        zh, en = f"{absence.date} 全天", f"{absence.date} all day"
    else:
        start, end = absence.start or 0, 1440 if absence.end is None else absence.end
        span = f"{clock(start)}-{'24:00' if end == 1440 else clock(end)}"
        zh = en = f"{absence.date} {span}"
    if absence.reason:
        zh, en = f"{zh}，{absence.reason}", f"{en}, {absence.reason}"
    return zh, en


def check_availability(ctx: Context) -> list[Violation]:
    """§3.5: nobody is rostered into time they are unavailable."""
    found = []
    for duty in ctx.duties:
        for absence in duty.person.absences:
            span = ctx.absence_span(absence)
            if span is not None and duty.overlaps(*span):
                zh, en = duty_where(ctx, duty)
                away_zh, away_en = _absence_text(absence)
                found.append(
                    at_duty(
                        "availability",
                        duty,
                        f"{zh}：{who(duty.person)} 不可值班（{away_zh}）",
                        f"{en}: {who(duty.person)} is unavailable ({away_en})",
                    )
                )
                break  # one report per duty
    return found
