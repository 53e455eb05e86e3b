"""The output workbook (SPEC §5): write it atomically, and read its ``assignments`` back.

``write_workbook`` builds eight sheets: the printable overview, squads, per-unit and
per-person lists, the fairness report, a duty log to fill in by hand, run info, and the
machine-readable ``assignments`` that ``read_roster`` reads (also from a .csv of the same
columns) for ``check``, ``report``, ``repair`` and ``--history``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from roster.changes import Change
from roster.errors import LANGS, InputError, Problem
from roster.fairness import measure
from roster.io import _wb_changes, _wb_fairness, _wb_info, _wb_overview, _wb_sheets
from roster.io._wb_common import Context
from roster.io._wb_sheets import ASSIGNMENT_COLUMNS
from roster.model import Assignment, Plan, Roster, Staff
from roster.result import Result

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "CHANGES_SHEET",
    "FIXED_COLUMNS",
    "SHEETS",
    "read_fixed",
    "read_roster",
    "sheet_names",
    "write_workbook",
]

SHEETS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "overview": ("值班总表", "Overview"),
        "squads": ("执法应急小分队", "Squads"),
        "units": ("各单位", "Units"),
        "people": ("个人", "People"),
        "fairness": ("公平性", "Fairness"),
        "log": ("值班情况登记表", "Duty log"),
        "info": ("说明", "Run info"),
        "assignments": ("assignments", "assignments"),
    }
)
"""Sheet keys in workbook order, with their Chinese and English names."""

UNFILLED_NAMES = ("【空缺】", "[UNFILLED]")
CHANGES_SHEET = ("变更", "Changes")
"""The sheet ``repair`` puts first: every duty that changes hands."""
FIXED_COLUMNS = ("fixed", "锁定", "固定")
"""Optional column of the assignments sheet: a mark there keeps the duty in ``repair``."""
_FIXED_MARKS = ("1", "y", "yes", "true", "x", "√", "✓", "✔", "是", "锁定", "固定")
_NO_INPUTS: Mapping[str, Path] = MappingProxyType({})
_REQUIRED = ("date", "block", "post_id", "team", "staff_id", "unit")

Builder = Callable[[Worksheet, Context], None]


def sheet_names(lang: str = "zh") -> tuple[str, ...]:
    """The sheet names of the workbook, in order."""
    return tuple(en if lang == "en" else zh for zh, en in SHEETS.values())


def write_workbook(
    path: str | os.PathLike[str],
    roster: Roster,
    plan: Plan,
    staff: Staff,
    *,
    result: Result | None = None,
    lang: str = "zh",
    inputs: Mapping[str, Path] = _NO_INPUTS,
    changes: Sequence[Change] | None = None,
) -> None:
    """Write the roster workbook to ``path``, replacing it only once it is complete.

    ``inputs`` names the input files (``{"staff": Path(...), "plan": ...}``) whose names and
    SHA-256 go into the run info. Every assignment must name a post and block of ``plan``.
    ``changes`` (from ``repair``) adds a first sheet ``变更``/``Changes`` listing them.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    roster = Roster.sorted(roster, plan)
    ctx = Context(roster, plan, staff, measure(roster, plan, staff), result, lang, inputs)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, build in _builders():
        zh, en = SHEETS[key]
        build(workbook.create_sheet(en if lang == "en" else zh), ctx)
    if changes is not None:
        zh, en = CHANGES_SHEET
        _wb_changes.build_changes(
            workbook.create_sheet(en if lang == "en" else zh, 0), ctx, changes
        )
    workbook.active = 0
    _save_atomically(workbook, Path(path))


def _builders() -> tuple[tuple[str, Builder], ...]:
    # Looked up on each call, so a test can replace one builder.
    return (
        ("overview", _wb_overview.build),
        ("squads", _wb_sheets.build_squads),
        ("units", _wb_sheets.build_units),
        ("people", _wb_sheets.build_people),
        ("fairness", _wb_fairness.build),
        ("log", _wb_sheets.build_log),
        ("info", _wb_info.build),
        ("assignments", _wb_sheets.build_assignments),
    )


def _save_atomically(workbook: Workbook, path: Path) -> None:
    """Save to a temporary file beside ``path``, then rename it over ``path``."""
    temporary = path.with_name(f"{path.name}.tmp{secrets.token_hex(4)}")
    try:
        # 0o666 less the umask, like any new file (mkstemp would make it owner-only).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            workbook.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- reading ---------------------------------------------------------------------------

Table = list[tuple[int, tuple[Any, ...]]]  # (row number, cell values)


def read_roster(path: str | os.PathLike[str], plan: Plan | None = None) -> Roster:
    """Read the ``assignments`` sheet of a roster workbook, or a .csv with its columns.

    Tolerates hand edits: blank rows, numbers or text for ``team`` and ``staff_id``, Excel
    dates or ISO text for ``date``, a block's name for its id. An empty ``staff_id`` is an
    unfilled place. With ``plan``, posts and blocks must be the plan's, and the roster comes
    back in print order. Every problem is raised at once as an ``InputError``.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        sheet, table = path.name, _read_csv(path)
    else:
        sheet, table = "assignments", _read_xlsx(path)
    assignments = _parse(sheet, table, plan)
    if plan is not None:
        return Roster.sorted(assignments, plan)
    return Roster(tuple(assignments))


def read_fixed(path: str | os.PathLike[str], plan: Plan | None = None) -> Roster:
    """The duties of a roster workbook (or .csv) marked in an optional ``fixed``/``锁定``
    column of its assignments sheet (``1``, ``x``, ``√``, ``是``, ...): ``repair`` keeps them.

    Empty when there is no such column; problems in marked rows are raised as by
    ``read_roster``.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        sheet, table = path.name, _read_csv(path)
    else:
        sheet, table = "assignments", _read_xlsx(path)
    rows = [(n, values) for n, values in table if not _blank(values)]
    if not rows:
        return Roster(())
    column = next((i for i, v in enumerate(rows[0][1]) if _text(v).lower() in FIXED_COLUMNS), None)
    if column is None:
        return Roster(())
    marked = [(n, v) for n, v in rows[1:] if column < len(v) and _is_marked(v[column])]
    return Roster(tuple(a for a in _parse(sheet, [rows[0], *marked], plan) if a.filled))


def _is_marked(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return _text(value).lower() in _FIXED_MARKS


def _read_xlsx(path: Path) -> Table:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(
            [Problem(path.name, f"无法读取工作簿：{error}", f"cannot read the workbook: {error}")]
        ) from error
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        if "assignments" not in names:
            raise InputError(
                [
                    Problem(
                        path.name,
                        "没有名为 assignments 的工作表",
                        "no sheet named assignments",
                    )
                ]
            )
        sheet = workbook[names["assignments"]]
        sheet.reset_dimensions()  # a file saved by other tools may understate its size
        return [(n, tuple(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        workbook.close()


def _read_csv(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(
            [Problem(path.name, f"无法读取：{error}", f"cannot read: {error}")]
        ) from error
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("gb18030", errors="replace")  # what Chinese Excel saves
    reader = csv.reader(io.StringIO(content))
    return [(n, tuple(v if v.strip() else None for v in row)) for n, row in enumerate(reader, 1)]


def _parse(sheet: str, table: Table, plan: Plan | None) -> list[Assignment]:
    rows = [(n, values) for n, values in table if not _blank(values)]
    if not rows:
        raise InputError([Problem(f"{sheet}!A1", "没有表头和数据", "no header and no rows")])
    head_row, head = rows[0]
    columns = {_text(v).lower(): i for i, v in reversed(list(enumerate(head))) if _text(v)}
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise InputError(
            Problem(f"{sheet}!A{head_row}", f"缺少列 {name}", f"missing column {name}")
            for name in missing
        )
    problems: list[Problem] = []
    assignments = []
    for number, values in rows[1:]:
        row = _Row(sheet, number, values, columns, problems)
        duty = _assignment(row, plan)
        if duty is not None:
            assignments.append(duty)
    if problems:
        raise InputError(problems)
    return assignments


class _Row:
    """One data row: its cells by column name, and where to report a problem."""

    def __init__(
        self,
        sheet: str,
        number: int,
        values: Sequence[Any],
        columns: Mapping[str, int],
        problems: list[Problem],
    ) -> None:
        self.sheet, self.number, self.values = sheet, number, values
        self.columns, self.problems = columns, problems

    def get(self, name: str) -> Any:
        index = self.columns.get(name)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index]
        return None if isinstance(value, str) and not value.strip() else value

    def problem(self, name: str, zh: str, en: str) -> None:
        where = f"{self.sheet}!{get_column_letter(self.columns[name] + 1)}{self.number}"
        self.problems.append(Problem(where, zh, en))


def _assignment(row: _Row, plan: Plan | None) -> Assignment | None:
    count = len(row.problems)
    date = _date(row)
    block = _block(row, plan)
    post = _post(row, plan)
    team = _team(row)
    staff_id = _id(row.get("staff_id"))
    name = _text(row.get("name"))
    if staff_id is None and name and name not in UNFILLED_NAMES:
        row.problem(
            "staff_id",
            f"有姓名“{name}”却没有 staff_id；请填写编号，或清空姓名表示空缺",
            f'name "{name}" without a staff_id: fill in the id, or clear the name for a vacancy',
        )
    if len(row.problems) > count or date is None or block is None or post is None:
        return None
    return Assignment(date, block, post, team, staff_id, _text(row.get("unit")))


def _date(row: _Row) -> dt.date | None:
    value = row.get("date")
    try:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            found = from_excel(value)
            return found.date() if isinstance(found, dt.datetime) else None
        if isinstance(value, str):
            return _date_text(value)
    except (ValueError, OverflowError, TypeError):
        pass
    shown = "" if value is None else value
    row.problem(
        "date",
        f"日期“{shown}”无法识别（应为 2027-03-14）",
        f'date "{shown}" is not a date like 2027-03-14',
    )
    return None


def _date_text(value: str) -> dt.date:
    head = value.strip().split()[0].split("T")[0]
    for sep in ("/", ".", "年", "月"):
        head = head.replace(sep, "-")
    year, month, day = (int(part) for part in head.rstrip("日").split("-"))
    return dt.date(year, month, day)


def _block(row: _Row, plan: Plan | None) -> str | None:
    ref = _id(row.get("block"))
    if ref is None:
        row.problem("block", "缺少时段", "missing block")
        return None
    if plan is None or any(b.id == ref for b in plan.blocks):
        return ref
    named = [b.id for b in plan.blocks if b.name == ref]
    if len(named) == 1:
        return named[0]
    row.problem("block", f"未知时段“{ref}”", f'unknown block "{ref}"')
    return None


def _post(row: _Row, plan: Plan | None) -> str | None:
    ref = _id(row.get("post_id"))
    if ref is None:
        row.problem("post_id", "缺少岗位编号", "missing post_id")
        return None
    if plan is None or any(p.id == ref for p in plan.posts):
        return ref
    row.problem("post_id", f"未知岗位“{ref}”", f'unknown post "{ref}"')
    return None


def _team(row: _Row) -> int:
    value = row.get("team")
    if value is None:
        return 1
    try:
        number = float(value)
        if number.is_integer() and number >= 1 and not isinstance(value, bool):
            return int(number)
    except (TypeError, ValueError):
        pass
    row.problem(
        "team", f"队号“{value}”应为从 1 起的整数", f'team "{value}" is not a whole number from 1'
    )
    return 1


def _id(value: Any) -> str | None:
    """An id cell as text: 7, 7.0 and "7" all give "7"; blank gives None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = _text(value)
    return found or None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)
