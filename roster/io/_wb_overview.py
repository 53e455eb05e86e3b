"""The printable overview sheet (值班总表): dates x blocks against posts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from roster.io._wb_common import (
    IDLE_FILL,
    Context,
    duties_of,
    fit_columns,
    fit_rows,
    header,
    is_team_post,
    mark,
    merge_runs,
    page_setup,
    put,
    title,
)
from roster.model import Assignment, Plan, Post, format_minute

MAX_COLUMNS = 10
"""Post columns that still print legibly across A4 landscape; beyond it, each ``per_unit``
post folds into one column that names the unit on every line."""

LEADER_SKILL = "带班"
FIRST_ROW = 4  # title, period, header


@dataclass(frozen=True, slots=True)
class Column:
    post: Post
    unit: str | None = None  # one part of a per_unit post
    combined: bool = False  # a per_unit post in one column, a line per unit


def build(ws: Worksheet, ctx: Context) -> None:
    """Title, then a row per date and block; day-long posts span the date's rows."""
    plan = ctx.plan
    cols = columns(plan)
    width = 2 + len(cols)
    title(ws, 1, plan.title, width)
    put(ws, 2, 1, _period(ctx))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 2))
    header(ws, 3, [ctx.t("日期", "Date"), ctx.t("时段", "Time")] + [_label(ctx, c) for c in cols])
    blocks = row_blocks(plan, cols)
    row = FIRST_ROW
    for date in plan.dates:
        first = row
        for block in blocks:
            put(ws, row, 1, ctx.date_label(date), border=True, center=True, bold=True)
            put(ws, row, 2, ctx.block_label(block), border=True, center=True)
            for index, column in enumerate(cols, 3):
                if is_day_post(plan, column.post):
                    continue
                active = block in column.post.blocks
                value = _cell(ctx, column, date, [block]) if active else None
                fill = None if active else IDLE_FILL
                put(ws, row, index, value, border=True, wrap=True, fill=fill)
            row += 1
        for index, column in enumerate(cols, 3):
            if is_day_post(plan, column.post):
                _day_cell(ws, ctx, column, date, first, row - 1, index)
    last = row - 1
    merge_runs(ws, FIRST_ROW, last, 1)
    for line in ws.iter_rows(min_row=FIRST_ROW, max_row=last, min_col=3):
        for cell in line:
            mark(cell, ctx.unfilled)
    fit_columns(ws, first_row=3, least=14, most=28)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 14
    fit_rows(ws, 3, last)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    page_setup(ws, landscape=True, title_rows="3:3")


def columns(plan: Plan) -> list[Column]:
    """Leaders first, then the other posts, the per_unit posts, and the team posts last."""

    def group(post: Post) -> int:
        if is_leader(post):
            return 0
        if is_team_post(post):
            return 3
        return 2 if post.per_unit is not None else 1

    posts = sorted(plan.posts, key=lambda p: (group(p), plan.posts.index(p)))
    split = [p for p in posts if p.per_unit is not None]
    inline = len(posts) - len(split) + sum(len(p.per_unit or ()) for p in split) <= MAX_COLUMNS
    result = []
    for post in posts:
        if post.per_unit is None:
            result.append(Column(post))
        elif inline:
            result.extend(Column(post, unit) for unit in post.per_unit)
        else:
            result.append(Column(post, combined=True))
    return result


def is_leader(post: Post) -> bool:
    return LEADER_SKILL in post.name or LEADER_SKILL in post.require


def is_day_post(plan: Plan, post: Post) -> bool:
    """A post whose every block spans at least two other blocks (a day-long duty)."""
    return all(_umbrella(plan, block) for block in post.blocks)


def _umbrella(plan: Plan, block_id: str) -> bool:
    outer = plan.block(block_id)
    inside = [
        b for b in plan.blocks if b.id != block_id and outer.start <= b.start < b.end <= outer.end
    ]
    return len(inside) >= 2


def row_blocks(plan: Plan, cols: list[Column]) -> list[str]:
    """The blocks that get a row on each date, in time order."""
    used = {b for c in cols if not is_day_post(plan, c.post) for b in c.post.blocks}
    if not used:
        used = {b for c in cols for b in c.post.blocks}
    order = {b.id: (b.start, b.end, i) for i, b in enumerate(plan.blocks)}
    return sorted(used, key=order.__getitem__)


def _period(ctx: Context) -> str:
    dates = ctx.plan.dates
    if not dates:
        return ""
    first, last = dates[0].isoformat(), dates[-1].isoformat()
    return ctx.t(
        f"值班日期：{first} 至 {last}（{len(dates)} 天）",
        f"Duty dates: {first} to {last} ({len(dates)} days)",
    )


def _label(ctx: Context, column: Column) -> str:
    label = column.post.name
    if column.unit is not None:
        label += f"\n{column.unit}"
    if is_day_post(ctx.plan, column.post):
        spans = (ctx.plan.block(b) for b in column.post.blocks)
        label += "\n" + "；".join(
            f"{b.name} {format_minute(b.start)}–{format_minute(b.end)}" for b in spans
        )
    return label


def _day_cell(
    ws: Worksheet, ctx: Context, column: Column, date: dt.date, first: int, last: int, index: int
) -> None:
    put(ws, first, index, _cell(ctx, column, date, column.post.blocks), border=True, wrap=True)
    for row in range(first + 1, last + 1):
        put(ws, row, index, None, border=True)
    if last > first:
        ws.merge_cells(start_row=first, start_column=index, end_row=last, end_column=index)


def _cell(ctx: Context, column: Column, date: dt.date, blocks: list[str] | tuple[str, ...]) -> str:
    """The people of one column on one date in ``blocks``: a line each (a team per line)."""
    lines: list[str] = []
    for block in blocks:
        duties = duties_of(ctx.roster, column.post.id, date, block)
        if column.unit is not None:
            duties = [d for d in duties if d.unit == column.unit]
        prefix = f"{ctx.plan.block(block).name}：" if len(blocks) > 1 and duties else ""
        lines.extend(prefix + line for line in _lines(ctx, column, duties))
    return "\n".join(lines)


def _lines(ctx: Context, column: Column, duties: list[Assignment]) -> list[str]:
    if is_team_post(column.post):
        teams = sorted({d.team for d in duties})
        sep = ctx.t("、", ", ")
        return [
            f"{ctx.team_label(t)}：" + sep.join(ctx.name(d) for d in duties if d.team == t)
            for t in teams
        ]
    if column.combined:
        order = {u: i for i, u in enumerate(column.post.per_unit or ())}
        duties = sorted(duties, key=lambda d: order.get(d.unit, len(order)))
        return [f"{d.unit}：{ctx.contact(d)}" for d in duties]
    return [ctx.contact(d) for d in duties]
