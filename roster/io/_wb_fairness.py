"""The fairness sheet (公平性): SPEC §4's summary, unit and person tables, and two charts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from roster.io._wb_common import Context, fit_columns, header, page_setup, put, rows, title

NUMBER = "0.00"
SHARE = "0.0%"
CHART_ROWS = 16  # rows of default height one chart covers (7.5 cm)


def build(ws: Worksheet, ctx: Context) -> None:
    """Summary and charts on top, then the unit table and the person table."""
    t = ctx.t
    people = ctx.fairness.by_burden()
    history = any(p.history_duties is not None for p in people)
    person_cols = _person_columns(ctx, history)
    width = len(person_cols)
    title(ws, 1, ctx.plan.title, width)
    note = t(
        "公平性报告：负担 = Σ 小时 × 岗位权重 × 时段系数；汇总指标只统计至少能担任一个岗位的人员。",
        "Fairness: burden = Σ hours × post weight × time factor; the summary counts only "
        "people who could staff at least one post.",
    )
    put(ws, 2, 1, note, wrap=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    header(ws, 3, [t("指标", "Measure"), t("数值", "Value")])
    end = rows(ws, 4, _summary(ctx))
    for row in range(4, end):
        ws.cell(row=row, column=2).number_format = NUMBER

    unit_top = max(end, 3 + 2 * CHART_ROWS) + 1
    unit_cols = _unit_columns(ctx)
    put(ws, unit_top, 1, t("各单位", "Units"), bold=True)
    header(ws, unit_top + 1, [label for label, _, _ in unit_cols])
    units = ctx.fairness.units
    unit_end = rows(ws, unit_top + 2, ([get(u) for _, get, _ in unit_cols] for u in units))
    _formats(ws, unit_top + 2, unit_end, [fmt for _, _, fmt in unit_cols])

    person_top = unit_end + 1
    put(
        ws,
        person_top,
        1,
        t("个人（按负担从高到低）", "People (by burden, largest first)"),
        bold=True,
    )
    header(ws, person_top + 1, [label for label, _, _ in person_cols])
    body = ([rank, *(get(p) for _, get, _ in person_cols[1:])] for rank, p in enumerate(people, 1))
    person_end = rows(ws, person_top + 2, body)
    _formats(ws, person_top + 2, person_end, [fmt for _, _, fmt in person_cols])

    fit_columns(ws, first_row=3, least=8, most=24)
    burden = [label for label, _, _ in person_cols].index(t("负担", "Burden")) + 1
    _burden_chart(ws, ctx, person_top + 1, person_end - 1, burden)
    _share_chart(ws, ctx, unit_top + 1, unit_end - 1)
    page_setup(ws, landscape=True)


def _summary(ctx: Context) -> list[list[Any]]:
    t, s = ctx.t, ctx.fairness.summary
    stage = ctx.result.max_burden if ctx.result is not None else None
    gap = stage.gap if stage is not None else None
    return [
        [t("有资格值班人数", "People who could staff a post"), s.count],
        [t("最大负担", "Largest burden"), s.max],
        [t("最小负担", "Smallest burden"), s.min],
        [t("极差（最大 − 最小）", "Spread (largest − smallest)"), s.spread],
        [t("平均负担", "Mean burden"), s.mean],
        [t("标准差", "Standard deviation"), s.std],
        [t("基尼系数（0 为完全平均）", "Gini coefficient (0: all equal)"), s.gini],
        [
            t("最大负担：求解器证明的下界", "Largest burden: bound proven by the solver"),
            stage.bound if stage is not None and stage.bound is not None else "—",
        ],
        [
            t("最大负担：与下界的差距", "Largest burden: gap to the bound"),
            f"{gap * 100:.2f}%" if gap is not None else "—",
        ],
        [t("空缺岗位数", "Unfilled places"), ctx.fairness.unfilled],
    ]


Column = tuple[str, Any, str | None]  # label, getter, number format


def _common(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        (t("值班次数", "Duties"), lambda x: x.duties, None),
        (t("在岗小时", "On-site hours"), lambda x: x.hours, NUMBER),
        (t("备勤小时", "On-call hours"), lambda x: x.oncall_hours, NUMBER),
        (t("负担", "Burden"), lambda x: x.burden, NUMBER),
        (t("夜间小时", "Night hours"), lambda x: x.night_hours, NUMBER),
        (t("重点时段小时", "Gala hours"), lambda x: x.gala_hours, NUMBER),
        (t("应补休小时", "Time off owed (h)"), lambda x: x.rest_day_hours, NUMBER),
        (t("意愿满足", "Wishes met"), lambda x: x.wishes_met, None),
        (t("意愿未满足", "Wishes unmet"), lambda x: x.wishes_unmet, None),
    ]


def _person_columns(ctx: Context, history: bool) -> list[Column]:
    t = ctx.t

    columns: list[Column] = [
        (t("序号", "Rank"), None, None),
        (t("编号", "ID"), lambda p: p.id, None),
        (t("姓名", "Name"), lambda p: p.name, None),
        (t("单位", "Unit"), lambda p: p.unit, None),
        (t("可值班", "Eligible"), lambda p: t("是", "yes") if p.eligible else t("否", "no"), None),
        *_common(ctx),
    ]
    if history:
        columns += [
            (t("往期值班次数", "Earlier duties"), lambda p: p.history_duties, None),
            (t("往期负担", "Earlier burden"), lambda p: p.history_burden, NUMBER),
        ]
    return columns


def _unit_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    columns: list[Column] = [
        (t("单位", "Unit"), lambda u: u.unit, None),
        (t("人数", "People"), lambda u: u.people, None),
        (t("可值班人数", "Eligible"), lambda u: u.eligible, None),
        (t("负担占比", "Burden share"), lambda u: u.burden_share, SHARE),
        (t("可值班人员占比", "Eligible share"), lambda u: u.staff_share, SHARE),
        *_common(ctx),
    ]
    return columns


def _formats(ws: Worksheet, first: int, end: int, formats: Sequence[str | None]) -> None:
    for column, fmt in enumerate(formats, 1):
        if fmt:
            for row in range(first, end):
                ws.cell(row=row, column=column).number_format = fmt


def _burden_chart(ws: Worksheet, ctx: Context, head: int, last: int, burden: int) -> None:
    """Burden per person, largest first (``burden``: the column of the person table)."""
    chart = BarChart()
    chart.type = "col"
    chart.title = ctx.t("每人负担（从高到低）", "Burden per person (largest first)")
    chart.y_axis.title = ctx.t("负担", "Burden")
    chart.legend = None
    values = Reference(ws, min_col=burden, min_row=head, max_row=max(last, head))
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=3, min_row=head + 1, max_row=max(last, head + 1)))
    chart.width, chart.height = min(max(16.0, 0.5 * (last - head)), 40.0), 7.5
    ws.add_chart(chart, "D3")


def _share_chart(ws: Worksheet, ctx: Context, head: int, last: int) -> None:
    """Each unit's share of the burden against its share of the eligible staff."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = ctx.t("各单位：负担占比与人员占比", "Units: burden share vs staff share")
    chart.y_axis.number_format = SHARE
    chart.y_axis.title = ctx.t("占比", "Share")
    values = Reference(ws, min_col=4, max_col=5, min_row=head, max_row=max(last, head))
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=max(last, head + 1)))
    chart.width, chart.height = 16.0, 7.5
    ws.add_chart(chart, f"D{3 + CHART_ROWS}")
