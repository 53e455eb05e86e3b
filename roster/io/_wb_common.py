"""Shared pieces of the output workbook: the context, safe cells, styles and print setup."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roster.errors import text
from roster.fairness import Fairness
from roster.model import Assignment, Person, Plan, Post, Roster, Staff, format_minute
from roster.result import Result

FONT = "宋体"  # SimSun: present wherever Chinese Excel is, and prints CJK and digits well
TITLE_FONT = "黑体"
LINE_HEIGHT = 14.5  # points per line of 11 pt text
FORMULA_STARTS = ("=", "+", "-", "@")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
UNFILLED_FILL = PatternFill("solid", fgColor="FFE699")
IDLE_FILL = PatternFill("solid", fgColor="F2F2F2")
WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


@dataclass(frozen=True)
class Context:
    """Everything a sheet builder reads."""

    roster: Roster
    plan: Plan
    staff: Staff
    fairness: Fairness
    result: Result | None = None
    lang: str = "zh"
    inputs: Mapping[str, Path] = field(default_factory=dict)

    def t(self, zh: str, en: str) -> str:
        return text(self.lang, zh, en)

    @property
    def unfilled(self) -> str:
        return self.t("【空缺】", "[UNFILLED]")

    @cached_property
    def people(self) -> dict[str, Person]:
        return self.staff.by_id()

    def person(self, duty: Assignment) -> Person | None:
        return None if duty.staff_id is None else self.people.get(duty.staff_id)

    def name(self, duty: Assignment) -> str:
        """The person's name, the unfilled marker, or the bare id of someone not on staff."""
        if duty.staff_id is None:
            return self.unfilled
        person = self.person(duty)
        return person.name if person else duty.staff_id

    def contact(self, duty: Assignment) -> str:
        """``姓名 电话`` (or the unfilled marker)."""
        person = self.person(duty)
        if person is None or not person.phone:
            return self.name(duty)
        return f"{person.name} {person.phone}"

    def unit(self, duty: Assignment) -> str:
        """The person's unit; for an unfilled place, the unit whose part it is (if any)."""
        person = self.person(duty)
        return person.unit if person else duty.unit

    def block_label(self, block_id: str) -> str:
        block = self.plan.block(block_id)
        return f"{block.name}\n{format_minute(block.start)}–{format_minute(block.end)}"

    def date_label(self, date: dt.date) -> str:
        weekday = WEEKDAYS["en" if self.lang == "en" else "zh"][date.weekday()]
        if self.lang == "en":
            return f"{date.isoformat()}\n{weekday}"
        return f"{date.month}月{date.day}日\n星期{weekday}"

    def team_label(self, team: int) -> str:
        return self.t(f"第{team}队", f"Team {team}")


def is_team_post(post: Post) -> bool:
    """Posts staffed by teams: several teams, or a team composition (``at_least``)."""
    return post.teams > 1 or any(n > 1 for _, n in post.teams_at) or bool(post.at_least)


def duties_of(roster: Roster, post: str, date: dt.date, block: str) -> list[Assignment]:
    return [a for a in roster if a.post == post and a.date == date and a.block == block]


# --- cells -----------------------------------------------------------------------------


def put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    bold: bool = False,
    border: bool = False,
    wrap: bool = False,
    center: bool = False,
    fill: PatternFill | None = None,
    number_format: str | None = None,
) -> Cell:
    """Write one cell; text is always stored as text, never as a formula or error code."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    cell.font = Font(name=FONT, size=11, bold=bold)
    cell.alignment = Alignment(
        wrap_text=wrap or (isinstance(value, str) and "\n" in value),
        vertical="center",
        horizontal="center" if center else None,
    )
    if border:
        cell.border = BORDER
    if fill is not None:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    return cell


def title(ws: Worksheet, row: int, value: str, width: int, *, size: int = 16) -> None:
    """A heading merged across ``width`` columns."""
    cell = put(ws, row, 1, value, center=True, wrap=True)
    cell.font = Font(name=TITLE_FONT, size=size, bold=True)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = size * 2


def header(ws: Worksheet, row: int, labels: Sequence[str], first_column: int = 1) -> None:
    for offset, label in enumerate(labels):
        put(
            ws,
            row,
            first_column + offset,
            label,
            bold=True,
            border=True,
            center=True,
            wrap=True,
            fill=HEADER_FILL,
        )


def rows(ws: Worksheet, first_row: int, values: Iterable[Sequence[Any]], **style: Any) -> int:
    """Write rows of values with borders; returns the row after the last."""
    row = first_row
    for line in values:
        for column, value in enumerate(line, 1):
            put(ws, row, column, value, border=True, **style)
        row += 1
    return row


def merge_runs(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    """Merge, in each of the first ``columns`` columns, runs of rows with equal leading values."""
    values = {
        row: tuple(ws.cell(row=row, column=c).value for c in range(1, columns + 1))
        for row in range(first_row, last_row + 1)
    }
    for column in range(1, columns + 1):
        start = first_row
        for row in range(first_row + 1, last_row + 2):
            if row <= last_row and values[row][:column] == values[start][:column]:
                continue
            if row - 1 > start:
                ws.merge_cells(
                    start_row=start, start_column=column, end_row=row - 1, end_column=column
                )
            start = row


def mark(cell: Cell, marker: str) -> None:
    """Highlight a cell that shows an unfilled place."""
    if isinstance(cell.value, str) and marker in cell.value:
        cell.fill = UNFILLED_FILL


# --- layout ----------------------------------------------------------------------------


def text_width(value: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def fit_columns(ws: Worksheet, *, first_row: int = 1, least: float = 6, most: float = 40) -> None:
    """Set each column's width to its widest line from ``first_row`` on, within limits."""
    widest: dict[int, int] = {}
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges if r.max_col > r.min_col}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            lines = str(cell.value).split("\n")
            width = max(text_width(line) for line in lines)
            widest[cell.column] = max(widest.get(cell.column, 0), width)
    for column, width in widest.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, least), most)


def fit_rows(ws: Worksheet, first_row: int, last_row: int, *, least: float = 18) -> None:
    """Set row heights so wrapped text shows in full (Excel does not fit merged cells)."""
    spans = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    covered = {
        (row, col)
        for r in ws.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for col in range(r.min_col, r.max_col + 1)
        if (row, col) != (r.min_row, r.min_col)
    }
    heights = {row: least for row in range(first_row, last_row + 1)}
    tall: list[tuple[int, int, float]] = []
    for row in range(first_row, last_row + 1):
        for cell in ws[row]:
            if cell.value is None or (row, cell.column) in covered:
                continue
            span = spans.get((row, cell.column))
            last_col = span.max_col if span else cell.column
            need = _lines(str(cell.value), _width(ws, cell.column, last_col)) * LINE_HEIGHT + 4
            if span and span.max_row > row:
                tall.append((row, min(span.max_row, last_row), need))
            else:
                heights[row] = max(heights[row], need)
    for top, bottom, need in tall:
        have = sum(heights[r] for r in range(top, bottom + 1))
        if have < need:
            extra = (need - have) / (bottom - top + 1)
            for r in range(top, bottom + 1):
                heights[r] += extra
    for row, height in heights.items():
        ws.row_dimensions[row].height = round(height, 1)


def _width(ws: Worksheet, first_col: int, last_col: int) -> float:
    return sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43
        for c in range(first_col, last_col + 1)
    )


def _lines(value: str, width: float) -> int:
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in value.split("\n"))


def page_setup(ws: Worksheet, *, landscape: bool = True, title_rows: str | None = None) -> None:
    """A4, fit to the page width (any number of pages tall), centred, gridless."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&P / &N"
