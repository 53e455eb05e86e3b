"""Cross-checks between a duty plan and a staff list: what neither file can check alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from roster.errors import Problem
from roster.io._toml_check import item, sub, suggestion
from roster.model import Block, Person, Plan, Selector, Staff


def check_references(plan: Plan, staff: Staff, plan_name: str, staff_name: str) -> list[Problem]:
    """Every reference from ``plan`` (and from the staff's absences and wishes) that fails.

    Units in ``units``/``per_unit``/selectors must be someone's unit; skills in
    ``require``/``at_least``/selectors must be someone's. A selector's titles and genders
    are attributes, not references: one that nobody has simply selects nobody (SPEC §2.2
    lists only block/post/skill/unit/staff references as errors). Staff named in pins,
    ``apart``, ``restrict`` and ``personal`` must name exactly one person (by 编号, else by
    a unique name). Absences must name plan blocks by id; wishes
    must name a block by id or name and a known person. Plan problems are located by key
    path in ``plan_name``; staff problems by their ``source`` cell (else ``staff_name``).
    """
    return _Refs(plan, staff, plan_name, staff_name).check()


def check_staff_blocks(blocks: Sequence[Block], staff: Staff, staff_name: str) -> list[Problem]:
    """The absences and wishes of ``staff`` that name a block ``blocks`` lacks.

    The part of :func:`check_references` that needs only the plan's blocks, so that the
    rows of a staff list that read can be checked when other rows, or the rest of the plan,
    did not.
    """
    refs = _Refs(None, staff, "", staff_name, blocks)
    refs.absences()
    refs.wishes(people=False)
    return refs.problems


class _Refs:
    def __init__(
        self,
        plan: Plan | None,
        staff: Staff,
        plan_name: str,
        staff_name: str,
        blocks: Sequence[Block] = (),
    ) -> None:
        self.plan = plan
        self.blocks = plan.blocks if plan is not None else tuple(blocks)
        self.staff = staff
        self.plan_name = plan_name
        self.staff_name = staff_name
        self.problems: list[Problem] = []

    def report(self, where: str, zh: str, en: str) -> None:
        self.problems.append(Problem(where, zh, en))

    def at(self, path: str) -> str:
        return f"{self.plan_name}: {path}"

    def check(self) -> list[Problem]:
        assert self.plan is not None
        for index, post in enumerate(self.plan.posts):
            path = item("posts", index)
            self.units(post.units or (), sub(path, "units"))
            self.units(post.per_unit or (), sub(path, "per_unit"))
            self.skills(sorted(post.require), sub(path, "require"))
            for skill, _ in post.at_least:
                self.skills([skill], sub(sub(path, "at_least"), skill))
        for index, pin in enumerate(self.plan.pins):
            self.person(pin.staff, self.at(sub(item("pins", index), "staff")))
        for index, apart in enumerate(self.plan.apart):
            where = self.at(sub(item("apart", index), "staff"))
            ids = [self.person(ref, where) for ref in apart.staff]
            if None not in ids and len(set(ids)) < len(ids):
                self.report(
                    where,
                    "同一人出现了两次（姓名和编号）",
                    "names the same person twice (by name and 编号)",
                )
        for index, restrict in enumerate(self.plan.restrict):
            self.selector(restrict.who, sub(item("restrict", index), "who"))
        for index, personal in enumerate(self.plan.personal):
            self.selector(personal.who, sub(item("personal", index), "who"))
        self.absences()
        self.wishes()
        return self.problems

    def units(self, units: Iterable[str], path: str) -> None:
        known = self.staff.units
        for unit in units:
            if unit not in known:
                zh_hint, en_hint = suggestion(unit, known)
                self.report(
                    self.at(path),
                    f"未知的单位 “{unit}”：{self.staff_name} 中没有人属于该单位{zh_hint}",
                    f'unknown unit "{unit}": no one in {self.staff_name} belongs to it{en_hint}',
                )

    def skills(self, skills: Iterable[str], path: str) -> None:
        held = self.staff.skills
        for skill in skills:
            if skill not in held:
                zh_hint, en_hint = suggestion(skill, held)
                self.report(
                    self.at(path),
                    f"{self.staff_name} 中没有人具有技能 “{skill}”{zh_hint}",
                    f'no one in {self.staff_name} holds skill "{skill}"{en_hint}',
                )

    def selector(self, who: Selector, path: str) -> None:
        self.units(who.unit, sub(path, "unit"))
        self.skills(who.skill, sub(path, "skill"))
        for ref in who.staff:
            self.person(ref, self.at(sub(path, "staff")))

    def person(self, ref: str, where: str) -> str | None:
        """The id of the one person ``ref`` names, else ``None`` (and a problem)."""
        found: list[Person] = self.staff.find(ref)
        if len(found) == 1:
            return found[0].id
        if not found:
            names = [p.name for p in self.staff] + [p.id for p in self.staff]
            zh_hint, en_hint = suggestion(ref, names)
            self.report(
                where,
                f"{self.staff_name} 中没有姓名或编号为 “{ref}” 的人{zh_hint}",
                f'no one in {self.staff_name} has the name or 编号 "{ref}"{en_hint}',
            )
        else:
            ids = "、".join(p.id for p in found)
            self.report(
                where,
                f"有 {len(found)} 人名为 “{ref}”（编号 {ids}），请改用编号",
                f'{len(found)} people are named "{ref}" (编号 {ids.replace("、", ", ")}); '
                "use the 编号",
            )
        return None

    def absences(self) -> None:
        block_ids = [b.id for b in self.blocks]
        by_name = {b.name: b.id for b in self.blocks}
        for person in self.staff:
            for absence in person.absences:
                if absence.block is None or absence.block in block_ids:
                    continue
                where = absence.source or self.staff_name
                if absence.block in by_name:
                    hint_zh = f"（请用班次编号 “{by_name[absence.block]}”）"
                    hint_en = f' (use the block id "{by_name[absence.block]}")'
                else:
                    hint_zh, hint_en = suggestion(absence.block, block_ids)
                self.report(
                    where,
                    f"未知的班次 “{absence.block}”{hint_zh}",
                    f'unknown block "{absence.block}"{hint_en}',
                )

    def wishes(self, people: bool = True) -> None:
        blocks = [b.id for b in self.blocks] + [b.name for b in self.blocks]
        for wish in self.staff.wishes:
            where = wish.source or self.staff_name
            if people:
                self.person(wish.staff, where)
            if wish.block is not None and wish.block not in blocks:
                zh_hint, en_hint = suggestion(wish.block, blocks)
                self.report(
                    where,
                    f"未知的班次 “{wish.block}”{zh_hint}",
                    f'unknown block "{wish.block}"{en_hint}',
                )
