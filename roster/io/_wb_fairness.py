"""The fairness sheet (公平性): the tables of ``roster report`` and two native charts.

Summary on top with the charts beside it (burden per person, largest first; each unit's
share of the burden against its share of the eligible staff), then the units, the groups of
comparables, the people and the wishes. The tables are ``roster.report``'s, so the sheet and
the terminal report never disagree. A solve given earlier rosters (``--history``) names
them in the run's inputs; their duties then show as earlier and multi-year columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from roster.errors import InputError
from roster.io._wb_common import Context, fit_columns, header, page_setup, put, rows, title
from roster.model import Roster
from roster.report import Table, bound_of, build_report, tables

FORMATS = {"int": "0", "num": "0.00", "share": "0.0%", "ratio": "0.000"}
CHART_ROWS = 16  # rows of default height one chart covers (7.5 cm)


def build(ws: Worksheet, ctx: Context) -> None:
    """Summary and charts on top, then units, comparables, people and wishes."""
    t = ctx.t
    report = build_report(
        ctx.roster, ctx.plan, ctx.staff, history=_history(ctx), bound=bound_of(ctx.result)
    )
    laid_out = tables(report, ctx.lang)
    width = len(laid_out["people"].columns)
    title(ws, 1, ctx.plan.title, width)
    note = t(
        "公平性报告：负担 = Σ 小时 × 岗位权重 × 时段系数；汇总指标只统计至少能担任一个岗位的人员。",
        "Fairness: burden = Σ hours × post weight × time factor; the summary counts only "
        "people who could staff at least one post.",
    )
    notes = [note, *(t(zh, en) for zh, en in report.calendar)]
    put(ws, 2, 1, "\n".join(notes), wrap=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[2].height = 15 * len(notes)

    end = _summary(ws, 3, laid_out["summary"], ctx)
    top = max(end, 3 + 2 * CHART_ROWS) + 1
    placed: dict[str, tuple[int, int]] = {}
    for key in ("units", "groups", "people", "wishes"):
        table = laid_out[key]
        if key == "wishes" and not table.rows:
            continue
        placed[key] = (top + 1, _table(ws, top, table, ctx))
        top = placed[key][1] + 1

    fit_columns(ws, first_row=3, least=8, most=30)
    people_head, people_end = placed["people"]
    burden = _column(laid_out["people"], "burden")
    name = _column(laid_out["people"], "name")
    _burden_chart(ws, ctx, people_head, people_end - 1, burden, name)
    units_head, units_end = placed["units"]
    share = _column(laid_out["units"], "burden_share")
    _share_chart(ws, ctx, units_head, units_end - 1, share)
    page_setup(ws, landscape=True)


def _history(ctx: Context) -> Roster | None:
    """The earlier rosters a solve was given, from the run's inputs (``history1``, ...)."""
    from roster.io.workbook import read_roster  # the workbook module imports this one

    paths = [Path(p) for key, p in ctx.inputs.items() if key.startswith("history")]
    if not paths:
        return None
    try:
        return Roster(tuple(a for path in paths for a in read_roster(path)))
    except (InputError, OSError):  # read when solving; gone or changed since
        return None


def _summary(ws: Worksheet, row: int, table: Table, ctx: Context) -> int:
    """Measure and value; the gap as text (``5.00%``), numbers with their formats."""
    header(ws, row, [ctx.t("指标", "Measure"), ctx.t("数值", "Value")])
    body: list[list[Any]] = []
    for key, label, value in table.rows:
        if key == "gap":
            value = f"{value * 100:.2f}%" if value is not None else "—"
        elif value is None:
            value = "—"
        body.append([label, value])
    end = rows(ws, row + 1, body)
    for i, kind in enumerate(table.row_kinds):
        cell = ws.cell(row=row + 1 + i, column=2)
        if kind in FORMATS and isinstance(cell.value, int | float):
            cell.number_format = FORMATS[kind]
    return end


def _table(ws: Worksheet, top: int, table: Table, ctx: Context) -> int:
    """A caption, a header row and the body; returns the row after the last."""
    put(ws, top, 1, table.title(ctx.lang), bold=True)
    header(ws, top + 1, [c.label(ctx.lang) for c in table.columns])
    body = ([_cell(value, c.kind, ctx) for value, c in zip(row, table.columns, strict=True)]
            for row in table.rows)  # fmt: skip
    end = rows(ws, top + 2, body, wrap=table.key in ("groups", "wishes"))
    for column, spec in enumerate(table.columns, 1):
        if spec.kind in FORMATS:
            for row in range(top + 2, end):
                ws.cell(row=row, column=column).number_format = FORMATS[spec.kind]
    return end


def _cell(value: Any, kind: str, ctx: Context) -> Any:
    if kind == "yes":
        return ctx.t("是", "yes") if value else ctx.t("否", "no")
    if kind == "wish":
        return ctx.t("希望", "prefer") if value == "prefer" else ctx.t("避免", "avoid")
    return value


def _column(table: Table, key: str) -> int:
    return next(i for i, c in enumerate(table.columns, 1) if c.key == key)


def _burden_chart(
    ws: Worksheet, ctx: Context, head: int, last: int, burden: int, name: int
) -> None:
    """Burden per person, largest first (the people table's rows are in that order)."""
    chart = BarChart()
    chart.type = "col"
    chart.title = ctx.t("每人负担（从高到低）", "Burden per person (largest first)")
    chart.y_axis.title = ctx.t("负担", "Burden")
    chart.legend = None
    values = Reference(ws, min_col=burden, min_row=head, max_row=max(last, head))
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=name, min_row=head + 1, max_row=max(last, head + 1)))
    chart.width, chart.height = min(max(16.0, 0.5 * (last - head)), 40.0), 7.5
    ws.add_chart(chart, "D3")


def _share_chart(ws: Worksheet, ctx: Context, head: int, last: int, share: int) -> None:
    """Each unit's share of the burden against its share of the eligible staff."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = ctx.t("各单位：负担占比与可值班人员占比", "Units: burden share vs staff share")
    chart.y_axis.number_format = FORMATS["share"]
    chart.y_axis.title = ctx.t("占比", "Share")
    values = Reference(ws, min_col=share, max_col=share + 1, min_row=head, max_row=max(last, head))
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=max(last, head + 1)))
    chart.width, chart.height = 16.0, 7.5
    ws.add_chart(chart, f"D{3 + CHART_ROWS}")
