"""The list sheets of the output workbook: squads, units, people, duty log, run info, data."""

from __future__ import annotations

from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from roster.io._wb_common import (
    UNFILLED_FILL,
    Context,
    fit_columns,
    fit_rows,
    header,
    is_team_post,
    mark,
    merge_runs,
    page_setup,
    put,
    rows,
    title,
)
from roster.model import Assignment, format_minute

ASSIGNMENT_COLUMNS = (
    "date",
    "block",
    "start",
    "end",
    "post_id",
    "post_name",
    "team",
    "staff_id",
    "name",
    "unit",
)
"""The machine-readable roster's columns (SPEC §5), in order."""


# --- 执法应急小分队 --------------------------------------------------------------------


def build_squads(ws: Worksheet, ctx: Context) -> None:
    """Per date, block and team of every team post: members, certificates, phones, units."""
    t = ctx.t
    labels = [
        t("日期", "Date"),
        t("时段", "Time"),
        t("岗位", "Post"),
        t("队", "Team"),
        t("姓名", "Name"),
        t("执法证号", "Certificate"),
        t("电话", "Phone"),
        t("单位", "Unit"),
    ]
    title(ws, 1, ctx.plan.title, len(labels))
    put(ws, 2, 1, t("执法应急小分队备勤名单", "Standby squads"), bold=True)
    header(ws, 3, labels)
    team_posts = [p.id for p in ctx.plan.posts if is_team_post(p)]
    order = _time_order(ctx)
    duties = sorted(
        (a for a in ctx.roster if a.post in team_posts),
        key=lambda a: (order(a), team_posts.index(a.post), a.team),
    )
    if not team_posts:
        put(ws, 4, 1, t("本计划没有分队岗位。", "This plan has no team posts."))
    elif not duties:
        put(ws, 4, 1, t("本值班表没有分队人员。", "Nobody is on a team in this roster."))
    end = rows(ws, 4, (_squad_row(ctx, a) for a in duties), wrap=True)
    merge_runs(ws, 4, end - 1, 4)
    _mark_rows(ws, ctx, 4, end)
    fit_columns(ws, first_row=3, least=8, most=30)
    fit_rows(ws, 4, end - 1)
    ws.freeze_panes = "A4"
    page_setup(ws, landscape=True, title_rows="3:3")


def _squad_row(ctx: Context, duty: Assignment) -> list[Any]:
    person = ctx.person(duty)
    return [
        ctx.date_label(duty.date),
        ctx.block_label(duty.block),
        ctx.plan.post(duty.post).name,
        ctx.team_label(duty.team),
        ctx.name(duty),
        person.cert if person else None,
        person.phone if person else None,
        ctx.unit(duty),
    ]


# --- 各单位 ------------------------------------------------------------------------------


def build_units(ws: Worksheet, ctx: Context) -> None:
    """A section per unit, each on its own printed page: what that unit must staff."""
    t = ctx.t
    labels = [
        t("日期", "Date"),
        t("时段", "Time"),
        t("开始", "Start"),
        t("结束", "End"),
        t("岗位", "Post"),
        t("队", "Team"),
        t("姓名", "Name"),
        t("电话", "Phone"),
        t("备注", "Note"),
    ]
    units = list(ctx.staff.units)
    units += sorted({ctx.unit(a) for a in ctx.roster} - set(units) - {""})
    if any(not ctx.unit(a) for a in ctx.roster):
        units.append("")  # unfilled places of a post open to several units: none owns them
    row = 1
    for unit in units:
        if row > 1:
            ws.row_breaks.append(Break(id=row - 1))
        title(ws, row, ctx.plan.title, len(labels), size=14)
        duties = [a for a in ctx.roster if ctx.unit(a) == unit]
        vacant = sum(not a.filled for a in duties)
        put(
            ws,
            row + 1,
            1,
            t(
                f"单位：{unit or '未定（任一可担任的单位）'}（共 {len(duties)} 人次，其中空缺 {vacant}）",
                f"Unit: {unit or 'not decided (any eligible unit)'} ({len(duties)} duties, "
                f"{vacant} unfilled)",
            ),
            bold=True,
        )
        if not duties:
            put(ws, row + 2, 1, t("本单位无值班任务。", "No duties for this unit."))
            row += 4
            continue
        header(ws, row + 2, labels)
        end = rows(ws, row + 3, ([*_unit_row(ctx, a), _note(ctx, a)] for a in duties))
        _mark_rows(ws, ctx, row + 3, end)
        _wrap_column(ws, len(labels), row + 3, end)
        row = end + 1
    fit_columns(ws, first_row=3, least=8, most=30)
    page_setup(ws, landscape=False)


def _unit_row(ctx: Context, duty: Assignment) -> list[Any]:
    block = ctx.plan.block(duty.block)
    person = ctx.person(duty)
    return [
        duty.date.isoformat(),
        block.name,
        format_minute(block.start),
        format_minute(block.end),
        ctx.plan.post(duty.post).name,
        _team(ctx, duty),
        ctx.name(duty),
        person.phone if person else None,
    ]


# --- 个人 --------------------------------------------------------------------------------


def build_people(ws: Worksheet, ctx: Context) -> None:
    """Each person's duties in time order, people by unit; unfilled places at the end."""
    t = ctx.t
    labels = [
        t("单位", "Unit"),
        t("编号", "ID"),
        t("姓名", "Name"),
        t("电话", "Phone"),
        t("日期", "Date"),
        t("时段", "Time"),
        t("开始", "Start"),
        t("结束", "End"),
        t("岗位", "Post"),
        t("队", "Team"),
        t("备注", "Note"),
    ]
    title(ws, 1, ctx.plan.title, len(labels))
    header(ws, 2, labels)
    units = {u: i for i, u in enumerate(ctx.staff.units)}
    people = sorted(ctx.staff.people, key=lambda p: units[p.unit])
    ordered = [a for p in people for a in ctx.roster.of(p.id)]
    ordered += [a for a in ctx.roster if a.staff_id not in ctx.people]
    end = rows(ws, 3, (_person_row(ctx, a) for a in ordered))
    _mark_rows(ws, ctx, 3, end)
    _wrap_column(ws, len(labels), 3, end)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(labels))}{max(end - 1, 2)}"
    fit_columns(ws, first_row=2, least=6, most=30)
    ws.freeze_panes = "A3"
    page_setup(ws, landscape=True, title_rows="2:2")


def _person_row(ctx: Context, duty: Assignment) -> list[Any]:
    person = ctx.person(duty)
    return [
        ctx.unit(duty),
        duty.staff_id,
        ctx.name(duty),
        person.phone if person else None,
        *_unit_row(ctx, duty)[:5],
        _team(ctx, duty),
        _note(ctx, duty),
    ]


def _note(ctx: Context, duty: Assignment) -> str | None:
    """The staff row's 备注 (SPEC §2.1 carries it through), where a coordinator reads it."""
    person = ctx.person(duty)
    return (person.note or None) if person else None


def _wrap_column(ws: Worksheet, column: int, first: int, end: int) -> None:
    """Wrap a free-text column so a long note stays readable within its width."""
    for (cell,) in ws.iter_rows(min_row=first, max_row=end - 1, min_col=column, max_col=column):
        cell.alignment = Alignment(wrap_text=True, vertical="center")


# --- 值班情况登记表 ------------------------------------------------------------------------


def build_log(ws: Worksheet, ctx: Context) -> None:
    """A row per post (per unit part), date and block, with blank columns to fill in by hand."""
    t = ctx.t
    labels = [
        t("日期", "Date"),
        t("时段", "Time"),
        t("岗位", "Post"),
        t("值班人", "On duty"),
        t("来电数", "Calls"),
        t("投诉数", "Complaints"),
        t("转办数", "Referred"),
        t("处置情况", "Action taken"),
        t("值班人签名", "Signature"),
    ]
    title(ws, 1, t("值班情况登记表", "Duty log"), len(labels))
    put(
        ws,
        2,
        1,
        t(
            f"{ctx.plan.title}　　请值班人如实填写并签名，值班结束后交回。",
            f"{ctx.plan.title}. Fill in, sign, and hand back after the duty.",
        ),
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(labels))
    header(ws, 3, labels)
    row = 4
    for key, duties in _log_groups(ctx):
        date, block, post_id, unit = key
        post = ctx.plan.post(post_id)
        values = [
            ctx.date_label(date).replace("\n", " "),
            ctx.block_label(block),
            post.name + (f"\n{unit}" if unit else ""),
            _names(ctx, post_id, duties),
            None,
            None,
            None,
            None,
            None,
        ]
        rows(ws, row, [values], wrap=True)
        mark(ws.cell(row=row, column=4), ctx.unfilled)
        row += 1
    widths = {"A": 14, "B": 14, "C": 18, "D": 26, "E": 8, "F": 8, "G": 8, "H": 36, "I": 14}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    fit_rows(ws, 4, row - 1, least=36)
    ws.freeze_panes = "A4"
    page_setup(ws, landscape=True, title_rows="3:3")


def _log_groups(ctx: Context) -> list[tuple[tuple[Any, ...], list[Assignment]]]:
    """Every place group of the plan (and any the roster adds), in print order."""
    plan = ctx.plan
    groups: dict[tuple[Any, ...], list[Assignment]] = {}
    for demand in plan.demands():
        if demand.size > 0:
            groups.setdefault((demand.date, demand.block, demand.post.id, demand.unit), [])
    for a in ctx.roster:
        unit = a.unit if plan.post(a.post).per_unit is not None else None
        groups.setdefault((a.date, a.block, a.post, unit), []).append(a)
    # Within a date, by start; a day-long block before the shorter ones that start with it.
    blocks = {b.id: (b.start, -b.end, i) for i, b in enumerate(plan.blocks)}
    posts = {p.id: i for i, p in enumerate(plan.posts)}

    def order(key: tuple[Any, ...]) -> tuple[Any, ...]:
        date, block, post, unit = key
        parts = plan.post(post).per_unit or ()
        return date, blocks[block], posts[post], parts.index(unit) if unit in parts else 0

    return sorted(groups.items(), key=lambda item: order(item[0]))


def _names(ctx: Context, post_id: str, duties: list[Assignment]) -> str:
    sep = ctx.t("、", ", ")
    if not is_team_post(ctx.plan.post(post_id)):
        return sep.join(ctx.name(a) for a in duties)
    teams = sorted({a.team for a in duties})
    return "\n".join(
        f"{ctx.team_label(n)}：" + sep.join(ctx.name(a) for a in duties if a.team == n)
        for n in teams
    )


# --- assignments -----------------------------------------------------------------------


def build_assignments(ws: Worksheet, ctx: Context) -> None:
    """One row per person-duty, exactly the SPEC §5 columns; always in English."""
    for column, label in enumerate(ASSIGNMENT_COLUMNS, 1):
        put(ws, 1, column, label, bold=True)
    for row, duty in enumerate(ctx.roster, 2):
        for column, value in enumerate(assignment_values(ctx, duty), 1):
            cell = put(ws, row, column, value)
            if not duty.filled:
                cell.fill = UNFILLED_FILL
        if not duty.filled:
            ws.cell(row=row, column=9).comment = Comment(ctx.unfilled, "roster")
    ws.auto_filter.ref = f"A1:J{max(len(ctx.roster) + 1, 1)}"
    ws.freeze_panes = "A2"
    fit_columns(ws, least=8, most=30)


def assignment_values(ctx: Context, duty: Assignment) -> list[Any]:
    block, post = ctx.plan.block(duty.block), ctx.plan.post(duty.post)
    person = ctx.person(duty)
    return [
        duty.date.isoformat(),
        duty.block,
        format_minute(block.start),
        format_minute(block.end),
        post.id,
        post.name,
        duty.team,
        duty.staff_id,
        person.name if person else None,
        ctx.unit(duty),
    ]


# --- helpers ---------------------------------------------------------------------------


def _time_order(ctx: Context) -> Any:
    blocks = {b.id: (b.start, i) for i, b in enumerate(ctx.plan.blocks)}
    return lambda a: (a.date, blocks[a.block])


def _team(ctx: Context, duty: Assignment) -> int | None:
    return duty.team if is_team_post(ctx.plan.post(duty.post)) else None


def _mark_rows(ws: Worksheet, ctx: Context, first: int, end: int) -> None:
    for line in ws.iter_rows(min_row=first, max_row=end - 1):
        for cell in line:
            mark(cell, ctx.unfilled)
