"""The ``变更`` (Changes) sheet of a repaired roster: every duty that changes hands."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet.worksheet import Worksheet

from roster.changes import WHY_TEXT, Change, place_text
from roster.io._wb_common import Context, fit_columns, header, page_setup, put, rows, title
from roster.model import Person


def build_changes(ws: Worksheet, ctx: Context, changes: Sequence[Change]) -> None:
    """One row per change: the duty, who leaves it and why, who takes it; phones to call."""
    t = ctx.t
    labels = [
        t("值班", "Duty"),
        t("原值班人", "Was"),
        t("原值班人电话", "Phone"),
        t("原因", "Why"),
        t("改由", "Now"),
        t("电话", "Phone"),
        t("单位", "Unit"),
    ]
    title(ws, 1, t(f"{ctx.plan.title}　变更通知", f"{ctx.plan.title}: changes"), len(labels))
    put(
        ws,
        2,
        1,
        t(
            f"共 {len(changes)} 处变更，请逐一电话通知原值班人和新值班人。",
            f"{len(changes)} change(s): please phone each person named.",
        ),
    )
    header(ws, 3, labels)
    people = ctx.people
    values = []
    for change in changes:
        was = people.get(change.left or "")
        now = people.get(change.taken or "")
        zh, en = WHY_TEXT[change.why]
        values.append(
            [
                place_text(change, ctx.plan, ctx.lang),
                ctx.staff.label(was) if was else (change.left or ""),
                was.phone if was else "",
                t(zh, en),
                ctx.staff.label(now) if now else ("" if change.left is None else ctx.unfilled),
                now.phone if now else "",
                _unit(now or was, change.unit),
            ]
        )
    if not values:
        put(ws, 4, 1, t("没有变更。", "No changes."))
    rows(ws, 4, values)
    ws.freeze_panes = "A4"
    fit_columns(ws, first_row=3, least=8, most=40)
    page_setup(ws, title_rows="3:3")


def _unit(person: Person | None, part: str | None) -> str:
    return person.unit if person is not None else (part or "")
