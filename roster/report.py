"""The §4 fairness report: what ``roster report`` prints and the 公平性 sheet shows.

``build_report`` gathers, for a roster (solved or edited by hand): per person and per unit
the metrics of ``roster.fairness``; the groups of comparables with their counting bounds
(``roster.comparables``); every wish, met or not and why (``roster.wishes``); the solver's
proven bound on the largest burden when known; and what the rest days rest on.
``tables`` lays it out as named tables of plain values, in Chinese or English, which the
terminal (``roster.report_render``), CSV, JSON and the workbook all share.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from roster import calendar
from roster.comparables import Comparables, comparables, describe_pool, explain
from roster.errors import text
from roster.fairness import Fairness, PersonStats, UnitStats, measure
from roster.model import Plan, Roster, Staff
from roster.result import Result
from roster.wishes import WishOutcome, outcomes


@dataclass(frozen=True, slots=True)
class Bound:
    """The solver's proven floor under the largest burden: no roster obeying every rule
    for these inputs does better."""

    value: float
    source: str  # "solve": this run; "run_info": read back from the workbook's 说明 sheet
    other_inputs: bool = False  # recorded for a different staff list or plan


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    fairness: Fairness
    comparables: Comparables
    explanations: tuple[tuple[str, str], ...]  # (zh, en) per group, in group order
    counting_reason: tuple[str, str]  # why the counting bound is what it is
    wishes: tuple[WishOutcome, ...]
    bound: Bound | None
    calendar: tuple[tuple[str, str], ...]
    unknown_staff: tuple[str, ...]  # staff ids on the roster but not on the staff list

    @property
    def largest(self) -> float:
        return self.fairness.summary.max

    @property
    def gap(self) -> float | None:
        """How far the largest burden may be above the best possible, relative to it."""
        if self.bound is None or self.largest <= 0:
            return None
        return max(0.0, (self.largest - self.bound.value) / self.largest)


def bound_of(result: Result | None) -> Bound | None:
    """The proven bound of a solve's ``max_burden`` stage, if it ran."""
    stage = result.max_burden if result is not None else None
    if stage is None or stage.bound is None:
        return None
    return Bound(stage.bound, "solve")


def build_report(
    roster: Roster,
    plan: Plan,
    staff: Staff,
    *,
    history: Roster | None = None,
    bound: Bound | None = None,
) -> Report:
    """The fairness report of ``roster`` (assignments must name the plan's posts and blocks)."""
    fairness = measure(roster, plan, staff, history)
    burdens = {p.id: p.burden for p in fairness.people}
    groups = comparables(plan, staff, burdens)
    mean = fairness.summary.mean
    reason = ("", "")
    if groups.binding is not None:
        zh, en = describe_pool(groups.binding, plan)
        reason = (
            f"{zh}，共 {groups.binding.forced:.1f} 负担，每人平均 {groups.bound:.1f}",
            f"{en}, {groups.binding.forced:.1f} of burden, {groups.bound:.1f} each on average",
        )
    known = {p.id for p in staff}
    return Report(
        title=plan.title,
        fairness=fairness,
        comparables=groups,
        explanations=tuple(explain(g, plan, mean) for g in groups.groups),
        counting_reason=reason,
        wishes=outcomes(roster, plan, staff, burdens),
        bound=bound,
        calendar=tuple(calendar.notes(plan)),
        unknown_staff=tuple(
            dict.fromkeys(
                a.staff_id for a in roster.filled if a.staff_id and a.staff_id not in known
            )
        ),
    )


# --- tables ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the CSV header and JSON key
    zh: str
    en: str
    # text, int, num, share (a fraction shown as %), ratio, yes (a bool), wish (prefer/avoid)
    kind: str = "text"

    def label(self, lang: str) -> str:
        return text(lang, self.zh, self.en)


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    row_kinds: tuple[str, ...] = ()  # per row, the kind of its last cell (a summary's value)

    def title(self, lang: str) -> str:
        return text(lang, self.zh, self.en)

    def kind(self, row: int, column: int) -> str:
        """How to show the cell: its column's kind, or its row's for a summary value."""
        if self.row_kinds and column == len(self.columns) - 1:
            return self.row_kinds[row]
        return self.columns[column].kind

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows]


TABLES = ("summary", "units", "groups", "people", "wishes")

_Get = Callable[[Any], Any]


def _load_columns(lang: str) -> list[tuple[Column, _Get]]:
    """The measures people and units share."""
    return [
        (Column("duties", "值班次数", "Duties", "int"), lambda x: x.duties),
        (Column("hours", "在岗小时", "On-site h", "num"), lambda x: x.hours),
        (Column("oncall_hours", "备勤小时", "On-call h", "num"), lambda x: x.oncall_hours),
        (Column("burden", "负担", "Burden", "num"), lambda x: x.burden),
        (Column("night_hours", "夜间小时", "Night h", "num"), lambda x: x.night_hours),
        (Column("gala_hours", "重点时段小时", "Gala h", "num"), lambda x: x.gala_hours),
        (
            Column("rest_day_hours", "应补休小时", "Time off owed h", "num"),
            lambda x: x.rest_day_hours,
        ),
        (Column("wishes_met", "意愿满足", "Wishes met", "int"), lambda x: x.wishes_met),
        (Column("wishes_unmet", "意愿未满足", "Wishes unmet", "int"), lambda x: x.wishes_unmet),
    ]


def _people(report: Report, lang: str) -> Table:
    groups = report.comparables.group_of()
    columns: list[tuple[Column, _Get]] = [
        (Column("id", "编号", "ID"), lambda p: p.id),
        (Column("name", "姓名", "Name"), lambda p: p.name),
        (Column("unit", "单位", "Unit"), lambda p: p.unit),
        (Column("group", "可比组", "Group", "int"), lambda p: groups.get(p.id)),
        (Column("eligible", "可值班", "Eligible", "yes"), lambda p: p.eligible),
        *_load_columns(lang),
    ]
    if report.fairness.has_history:
        columns += [
            (Column("history_duties", "往期值班次数", "Earlier duties", "int"),
             lambda p: p.history_duties),
            (Column("history_burden", "往期负担", "Earlier burden", "num"),
             lambda p: p.history_burden),
            (Column("history_night_hours", "往期夜间小时", "Earlier night h", "num"),
             lambda p: p.history_night_hours),
            (Column("history_gala_hours", "往期重点时段小时", "Earlier gala h", "num"),
             lambda p: p.history_gala_hours),
            (Column("total_burden", "累计负担", "Total burden", "num"), lambda p: p.total_burden),
            (Column("total_night_hours", "累计夜间小时", "Total night h", "num"),
             lambda p: p.total_night_hours),
            (Column("total_gala_hours", "累计重点时段小时", "Total gala h", "num"),
             lambda p: p.total_gala_hours),
        ]  # fmt: skip
    people: Sequence[PersonStats] = report.fairness.by_burden()
    rank = Column("rank", "序号", "Rank", "int")
    return Table(
        "people",
        "个人（按负担从高到低）",
        "People (by burden, largest first)",
        (rank, *(c for c, _ in columns)),
        tuple((i, *(get(p) for _, get in columns)) for i, p in enumerate(people, 1)),
    )


def _units(report: Report, lang: str) -> Table:
    columns: list[tuple[Column, _Get]] = [
        (Column("unit", "单位", "Unit"), lambda u: u.unit),
        (Column("people", "人数", "People", "int"), lambda u: u.people),
        (Column("eligible", "可值班人数", "Eligible", "int"), lambda u: u.eligible),
        (Column("burden_share", "负担占比", "Burden share", "share"), lambda u: u.burden_share),
        (Column("staff_share", "可值班人员占比", "Eligible share", "share"),
         lambda u: u.staff_share),
        *_load_columns(lang),
    ]  # fmt: skip
    if report.fairness.has_history:
        columns.append(
            (
                Column("history_burden", "往期负担", "Earlier burden", "num"),
                lambda u: u.history_burden,
            )
        )
    units: Sequence[UnitStats] = report.fairness.units
    return Table(
        "units",
        "各单位：负担占比与可值班人员占比",
        "Units: share of the burden against share of the eligible staff",
        tuple(c for c, _ in columns),
        tuple(tuple(get(u) for _, get in columns) for u in units),
    )


def _groups(report: Report, lang: str) -> Table:
    sep = text(lang, "、", ", ")
    columns = (
        Column("group", "可比组", "Group", "int"),
        Column("people", "人数", "People", "int"),
        Column("units", "单位", "Units"),
        Column("can_do", "可担任", "Could staff"),
        Column("min", "最小负担", "Smallest", "num"),
        Column("mean", "平均负担", "Mean", "num"),
        Column("max", "最大负担", "Largest", "num"),
        Column("spread", "组内极差", "Spread", "num"),
        Column("bound", "按人数计算的下界", "Headcount floor", "num"),
        Column("explanation", "说明", "Why"),
    )
    rows = []
    for group, explanation in zip(report.comparables.groups, report.explanations, strict=True):
        rows.append(
            (
                group.index,
                group.size,
                sep.join(group.units),
                sep.join(text(lang, zh, en) for zh, en in group.can_do),
                group.min,
                group.mean,
                group.max,
                group.spread,
                group.bound,
                text(lang, *explanation),
            )
        )
    return Table(
        "groups",
        "可比人员（能担任相同岗位者）之间的公平性",
        "Fairness among comparables (people who could staff the same posts)",
        columns,
        tuple(rows),
    )


def _wishes(report: Report, lang: str) -> Table:
    columns = (
        Column("staff_id", "编号", "ID"),
        Column("name", "姓名", "Name"),
        Column("date", "日期", "Date"),
        Column("block", "时段", "Block"),
        Column("wish", "意愿", "Wish", "wish"),
        Column("weight", "权重", "Weight", "num"),
        Column("met", "满足", "Met", "yes"),
        Column("reason", "原因代码", "Reason code"),
        Column("reason_text", "原因", "Reason"),
        Column("detail", "详情", "Detail"),
    )
    rows = tuple(
        (
            o.person.id if o.person else "",
            o.person.name if o.person else o.wish.staff,
            o.wish.date.isoformat(),
            o.wish.block or text(lang, "全天", "all day"),
            o.wish.kind.value,
            o.wish.weight,
            o.met,
            o.reason.value,
            o.reason_text(lang),
            text(lang, *o.detail),
        )
        for o in report.wishes
    )
    return Table("wishes", "意愿（意愿表）", "Wishes (意愿 sheet)", columns, rows)


def _summary(report: Report, lang: str) -> Table:
    s = report.fairness.summary
    t = lambda zh, en: text(lang, zh, en)  # noqa: E731
    rows: list[tuple[str, str, Any]] = [
        ("count", t("有资格值班人数", "People who could staff a post"), s.count),
        ("max", t("最大负担", "Largest burden"), s.max),
        ("min", t("最小负担", "Smallest burden"), s.min),
        ("spread", t("极差（最大 − 最小）", "Spread (largest − smallest)"), s.spread),
        ("mean", t("平均负担", "Mean burden"), s.mean),
        ("std", t("标准差", "Standard deviation"), s.std),
        ("gini", t("基尼系数（0 为完全平均）", "Gini coefficient (0: all equal)"), s.gini),
    ]
    bound = report.bound
    rows += [
        (
            "bound",
            t("最大负担：求解器证明的下界", "Largest burden: bound proven by the solver"),
            bound.value if bound is not None else None,
        ),
        ("gap", t("最大负担：与下界的差距", "Largest burden: gap to the bound"), report.gap),
        ("unfilled", t("空缺岗位数", "Unfilled places"), report.fairness.unfilled),
        ("bound_note", t("下界来源", "Bound from"), _bound_note(report, lang)),
        (
            "counting_bound",
            t("按人数计算的最大负担下界（任何排班）", "Headcount floor under the largest burden"),
            report.comparables.bound,
        ),
        ("counting_note", t("其依据", "Because"), text(lang, *report.counting_reason)),
    ]
    total = report.fairness.history_summary
    if total is not None:
        rows += [
            ("total_max", t("多年累计：最大负担", "All years: largest burden"), total.max),
            ("total_min", t("多年累计：最小负担", "All years: smallest burden"), total.min),
            ("total_spread", t("多年累计：极差", "All years: spread"), total.spread),
            ("total_std", t("多年累计：标准差", "All years: standard deviation"), total.std),
            ("total_gini", t("多年累计：基尼系数", "All years: Gini coefficient"), total.gini),
        ]
    kinds = {"count": "int", "unfilled": "int", "gini": "ratio", "total_gini": "ratio",
             "gap": "share", "bound_note": "text", "counting_note": "text"}  # fmt: skip
    columns = (
        Column("measure", "指标键", "Key"),
        Column("label", "指标", "Measure"),
        Column("value", "数值", "Value", "num"),
    )
    return Table(
        "summary",
        "全员汇总",
        "Roster-wide",
        columns,
        tuple(rows),
        tuple(kinds.get(key, "num") for key, _, _ in rows),
    )


def _bound_note(report: Report, lang: str) -> str:
    bound = report.bound
    if bound is None:
        return text(
            lang,
            "下界未知：没有求解记录（手工编辑的排班表）",
            "bound unknown for a hand-edited roster",
        )
    note = text(
        lang,
        "本次求解" if bound.source == "solve" else "排班表“说明”页记录的求解结果",
        "this solve" if bound.source == "solve" else "the solve recorded in the run info sheet",
    )
    if bound.other_inputs:
        note += text(
            lang,
            "（注意：记录的人员表或值班计划与本次输入不同）",
            " (note: recorded for a different staff list or plan)",
        )
    if report.largest < bound.value - 1e-9:
        note += text(
            lang,
            "；最大负担低于下界，说明排班表违反了规则，请运行 roster check",
            "; the largest burden is below the bound, so the roster breaks a rule: run roster check",
        )
    return note


def tables(report: Report, lang: str = "zh") -> dict[str, Table]:
    """The report's tables by key, in ``TABLES`` order."""
    return {
        "summary": _summary(report, lang),
        "units": _units(report, lang),
        "groups": _groups(report, lang),
        "people": _people(report, lang),
        "wishes": _wishes(report, lang),
    }
