"""Relaxations of a duty plan: the edits ``roster explain`` suggests, and applying them.

Each edit is a small frozen dataclass that says what changes (in the coordinator's words,
with the TOML key to change) and can apply itself to a plan and staff list, so the solver
side can verify a suggestion by solving the relaxed plan before it is printed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from roster.errors import text
from roster.model import Apart, Personal, Plan, Post, Rules, Selector, Staff

RULE_NAMES = {
    "max_onsite_hours_per_day": ("每天现场值班上限", "daily on-site cap"),
    "max_consecutive_hours": ("连续值班上限", "longest unbroken duty"),
    "min_rest_hours": ("两天之间最少休息", "rest between dates"),
    "max_hours_total": ("全期现场值班上限", "on-site hours over the period"),
    "min_hours_total": ("全期现场值班下限", "least on-site hours over the period"),
}
SEQUENCE_RULES = (
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
    "max_blocks",
    "forbid_after",
)


def slot_text(plan: Plan, date: dt.date, block: str, lang: str) -> str:
    """``2027-03-15 全天`` (the block's name), or ``2027-03-15 DAY`` in English."""
    name = plan.block(block).name if lang != "en" else block
    return f"{date.isoformat()} {name}"


def person_text(staff: Staff, staff_id: str) -> str:
    person = staff.by_id().get(staff_id)
    return f"{person.name}（{staff_id}）" if person else staff_id


def _replace_post(plan: Plan, post: Post) -> Plan:
    return dataclasses.replace(
        plan, posts=tuple(post if p.id == post.id else p for p in plan.posts)
    )


@dataclass(frozen=True, slots=True)
class SizeEdit:
    """Fewer people per team of a post on one date and block."""

    post: str
    date: dt.date
    block: str
    old: int
    new: int

    @property
    def target(self) -> tuple[object, ...]:
        return ("size", self.post, self.date, self.block)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        post = plan.post(self.post)
        size_at = {**dict(post.size_at), (self.date, self.block): self.new}
        return _replace_post(plan, dataclasses.replace(post, size_at=tuple(size_at.items()))), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        post = plan.post(self.post)
        where = slot_text(plan, self.date, self.block, lang)
        per = text(lang, "每队人数" if post.teams_on(self.date, self.block) > 1 else "人数", "size")
        every = text(lang, "（各单位均按此）", " (every unit)") if post.per_unit else ""
        key = f'posts "{post.id}" size_at."{self.date} {self.block}" = {self.new}'
        return text(
            lang,
            f"{where} {post.name}：{per}由 {self.old} 改为 {self.new}{every}〔{key}〕",
            f"{post.name} on {where}: {per} {self.new} instead of {self.old}{every} [{key}]",
        )


@dataclass(frozen=True, slots=True)
class TeamsEdit:
    """Fewer teams of a post on one date and block."""

    post: str
    date: dt.date
    block: str
    old: int
    new: int

    @property
    def target(self) -> tuple[object, ...]:
        return ("teams", self.post, self.date, self.block)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        post = plan.post(self.post)
        teams_at = {**dict(post.teams_at), (self.date, self.block): self.new}
        return _replace_post(
            plan, dataclasses.replace(post, teams_at=tuple(teams_at.items()))
        ), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        post = plan.post(self.post)
        where = slot_text(plan, self.date, self.block, lang)
        key = f'posts "{post.id}" teams_at."{self.date} {self.block}" = {self.new}'
        return text(
            lang,
            f"{where} {post.name}：队数由 {self.old} 改为 {self.new}〔{key}〕",
            f"{post.name} on {where}: {self.new} team(s) instead of {self.old} [{key}]",
        )


@dataclass(frozen=True, slots=True)
class AtLeastEdit:
    """Fewer holders of a skill per team of a post (on every date)."""

    post: str
    skill: str
    old: int
    new: int

    @property
    def target(self) -> tuple[object, ...]:
        return ("at_least", self.post, self.skill)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        post = plan.post(self.post)
        at_least = tuple(
            (skill, self.new if skill == self.skill else n)
            for skill, n in post.at_least
            if skill != self.skill or self.new > 0
        )
        return _replace_post(plan, dataclasses.replace(post, at_least=at_least)), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        post = plan.post(self.post)
        key = f'posts "{post.id}" at_least."{self.skill}" = {self.new}'
        return text(
            lang,
            f"{post.name}：每队至少 {self.new} 名{self.skill}持有人（原为 {self.old}）〔{key}〕",
            f"{post.name}: at least {self.new} holder(s) of {self.skill} per team "
            f"instead of {self.old} [{key}]",
        )


@dataclass(frozen=True, slots=True)
class RuleEdit:
    """One person's limit (a ``[[personal]]`` override): a cap raised or a minimum lowered."""

    staff_id: str
    rule: str  # a field of Rules named in RULE_NAMES
    old: float
    new: float

    @property
    def target(self) -> tuple[object, ...]:
        return ("rule", self.staff_id, self.rule)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        limits: dict[str, Any] = {self.rule: self.new}
        personal = Personal(Selector(staff=(self.staff_id,)), Rules(**limits))
        plan = dataclasses.replace(plan, personal=(*plan.personal, personal))
        if self.rule == "max_hours_total":  # a staff row's max_hours caps it too
            people = tuple(
                dataclasses.replace(p, max_hours=max(p.max_hours, self.new))
                if p.id == self.staff_id and p.max_hours is not None
                else p
                for p in staff.people
            )
            staff = dataclasses.replace(staff, people=people)
        return plan, staff

    @staticmethod
    def describe_many(edits: list[RuleEdit], plan: Plan, staff: Staff, lang: str) -> str:
        """The same change for several people, in one line."""
        first = edits[0]
        zh, en = RULE_NAMES[first.rule]
        names = [person_text(staff, e.staff_id) for e in edits]
        shown = "、".join(names[:10]) + (
            text(lang, f" 等 {len(names)} 人", f" and {len(names) - 10} more")
            if len(names) > 10
            else ""
        )
        ids = ", ".join(f'"{e.staff_id}"' for e in edits)
        key = f"[[personal]] who = {{ staff = [{ids}] }}, {first.rule} = {first.new:g}"
        return text(
            lang,
            f"{shown}：{zh}由 {first.old:g} 小时改为 {first.new:g} 小时〔{key}〕",
            f"{shown}: {en} {first.new:g} h instead of {first.old:g} h [{key}]",
        )

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        zh, en = RULE_NAMES[self.rule]
        who = person_text(staff, self.staff_id)
        key = f'[[personal]] who = {{ staff = ["{self.staff_id}"] }}, {self.rule} = {self.new:g}'
        return text(
            lang,
            f"{who}：{zh}由 {self.old:g} 小时改为 {self.new:g} 小时〔{key}〕",
            f"{who}: {en} {self.new:g} h instead of {self.old:g} h [{key}]",
        )


@dataclass(frozen=True, slots=True)
class DropApart:
    """An ``apart`` group no longer kept apart."""

    index: int

    @property
    def target(self) -> tuple[object, ...]:
        return ("apart", self.index)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        # An empty group binds nobody and keeps the positions of the others.
        kept = tuple(Apart(()) if i == self.index else a for i, a in enumerate(plan.apart))
        return dataclasses.replace(plan, apart=kept), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        names = "、".join(_names(staff, plan.apart[self.index].staff))
        n = self.index + 1
        return text(
            lang,
            f"取消第 {n} 条 apart：允许 {names} 同时值班",
            f"drop apart #{n}: let {names} be on duty at the same time",
        )


@dataclass(frozen=True, slots=True)
class LiftRestrict:
    """A ``restrict`` no longer applies on some dates (or at all)."""

    index: int
    dates: tuple[dt.date, ...]

    @property
    def target(self) -> tuple[object, ...]:
        return ("restrict", self.index)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        restricts = list(plan.restrict)
        r = restricts[self.index]
        left = tuple(d for d in (r.dates or plan.dates) if d not in self.dates)
        # With no date left it keeps nobody out of any block (and its position).
        restricts[self.index] = dataclasses.replace(r, dates=left) if left else (
            dataclasses.replace(r, blocks=()))  # fmt: skip
        return dataclasses.replace(plan, restrict=tuple(restricts)), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        r = plan.restrict[self.index]
        n = self.index + 1
        blocks = "、".join(plan.block(b).name if lang != "en" else b for b in r.blocks)
        left = [d for d in (r.dates or plan.dates) if d not in self.dates]
        if not left:
            return text(
                lang,
                f"取消第 {n} 条 restrict（{selector_text(r.who, lang)}不排{blocks}）",
                f"drop restrict #{n} ({selector_text(r.who, lang)} kept out of {blocks})",
            )
        on = "、".join(d.isoformat() for d in self.dates)
        kept = ", ".join(f'"{d}"' for d in left)
        return text(
            lang,
            f"第 {n} 条 restrict（{selector_text(r.who, lang)}不排{blocks}）在 {on} 不适用"
            f"〔restrict dates = [{kept}]〕",
            f"restrict #{n} ({selector_text(r.who, lang)} kept out of {blocks}) not on {on} "
            f"[restrict dates = [{kept}]]",
        )


@dataclass(frozen=True, slots=True)
class DropPin:
    """A pin (or a duty marked fixed) given up."""

    index: int

    @property
    def target(self) -> tuple[object, ...]:
        return ("pin", self.index)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        kept = tuple(p for i, p in enumerate(plan.pins) if i != self.index)
        return dataclasses.replace(plan, pins=kept), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        pin = plan.pins[self.index]
        where = slot_text(plan, pin.date, pin.block, lang)
        who = "、".join(_names(staff, (pin.staff,)))
        post = plan.post(pin.post).name
        return text(
            lang,
            f"取消固定安排：{who} {where} {post}",
            f"give up the pin: {who} on {post}, {where}",
        )


@dataclass(frozen=True, slots=True)
class DropSequenceRules:
    """The §2.3 rules (runs of duty days, weekends, blocks, successions) given up."""

    @property
    def target(self) -> tuple[object, ...]:
        return ("sequence",)

    def apply(self, plan: Plan, staff: Staff) -> tuple[Plan, Staff]:
        off: dict[str, Any] = {name: None for name in SEQUENCE_RULES}
        off.update(max_blocks=(), forbid_after=())
        personal = tuple(
            dataclasses.replace(p, rules=dataclasses.replace(p.rules, **off)) for p in plan.personal
        )
        rules = dataclasses.replace(plan.rules, **off)
        return dataclasses.replace(plan, rules=rules, personal=personal), staff

    def describe(self, plan: Plan, staff: Staff, lang: str) -> str:
        return text(
            lang,
            "放宽 §2.3 的连续值班天数、周末、时段次数、衔接等规则",
            "relax the §2.3 rules (duty-day runs, weekends, block counts, successions)",
        )


Edit = (
    SizeEdit
    | TeamsEdit
    | AtLeastEdit
    | RuleEdit
    | DropApart
    | LiftRestrict
    | DropPin
    | (DropSequenceRules)
)


def apply_edits(plan: Plan, staff: Staff, edits: Iterable[Edit]) -> tuple[Plan, Staff]:
    """The plan and staff with every edit made.

    Pins are removed last, from the highest position down, so that each edit's position
    means the entry of the original plan (apart and restrict keep their positions).
    """
    edits = list(edits)
    for edit in edits:
        if not isinstance(edit, DropPin):
            plan, staff = edit.apply(plan, staff)
    for edit in sorted((e for e in edits if isinstance(e, DropPin)), key=lambda e: -e.index):
        plan, staff = edit.apply(plan, staff)
    return plan, staff


def pin_position(plan: Plan, edits: Iterable[Edit], relaxed: int) -> int:
    """The original position of the pin at ``relaxed`` in the plan with ``edits`` made."""
    dropped = {e.index for e in edits if isinstance(e, DropPin)}
    return [i for i in range(len(plan.pins)) if i not in dropped][relaxed]


def uses_sequence_rules(plan: Plan) -> bool:
    """Whether the plan sets any §2.3 rule (in ``[rules]`` or ``[[personal]]``)."""
    return any(
        getattr(rules, name) not in (None, (), 0)
        for rules in (plan.rules, *(p.rules for p in plan.personal))
        for name in SEQUENCE_RULES
    )


def selector_text(who: Selector, lang: str) -> str:
    """A selector in words, e.g. ``女、14 个单位``; a long list of units reads as its count."""
    fields = [who.gender, who.unit, who.title, who.skill, who.staff]
    parts = []
    for values in fields:
        if values is who.unit and len(values) > 3:
            parts.append(text(lang, f"{len(values)} 个单位", f"{len(values)} units"))
        elif values:
            parts.append("/".join(values))
    if not parts:
        return text(lang, "所有人", "everyone")
    return text(lang, "、".join(parts), " & ".join(parts))


def _names(staff: Staff, refs: Iterable[str]) -> list[str]:
    names = []
    for ref in refs:
        found = staff.find(ref)
        names.append(staff.label(found[0]) if len(found) == 1 else ref)
    return names
