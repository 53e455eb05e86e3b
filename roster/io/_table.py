"""Sheets of an .xlsx or .csv file as rows of cell values, with Excel cell references."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from roster.errors import InputError, Problem

Cell = object
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZEROS = re.compile(r"0+")


class ZeroPadded(int):
    """A whole number whose cell format (``000``) shows it zero-padded: 1 shown as ``001``.

    Still a number to every reader; :func:`as_text` gives the padded text Excel displays,
    so a 工号 typed as 001 into a ``000`` column reads as ``"001"``, not ``"1"``.
    """

    width: int

    def __new__(cls, value: int, width: int) -> ZeroPadded:
        number = super().__new__(cls, value)
        number.width = width
        return number

    def text(self) -> str:
        return f"{int(self):0{self.width}d}"


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet's name and its rows as ``(Excel row number, cell values)``."""

    name: str
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a table: raw values of the recognised columns by field."""

    sheet: str
    number: int
    values: Mapping[str, Cell]
    columns: Mapping[str, int]

    def ref(self, field: str) -> str:
        """``人员!C14`` for this row's cell of ``field``."""
        return cell_ref(self.sheet, self.columns[field], self.number)

    def text(self, field: str) -> str:
        return as_text(self.values.get(field))


def cell_ref(sheet: str, column: int, row: int) -> str:
    """``sheet!C14`` for a 0-based column index and an Excel row number."""
    return f"{sheet}!{get_column_letter(column + 1)}{row}"


def load_sheets(path: Path) -> list[Sheet]:
    """Every sheet of an .xlsx file, or a .csv file as one sheet named after the file."""
    where = str(path)
    if not path.is_file():
        raise InputError([Problem(where, "找不到文件", "file not found")])
    suffix = path.suffix.lower()
    if suffix not in (*EXCEL_SUFFIXES, ".csv"):
        raise InputError(
            [
                Problem(
                    where, "不支持的文件类型，请另存为 .xlsx 或 .csv", "not an .xlsx or .csv file"
                )
            ]
        )
    try:
        return [_read_csv(path)] if suffix == ".csv" else _read_xlsx(path)
    except (OSError, UnicodeError, csv.Error) as exc:
        raise InputError([Problem(where, f"无法读取文件：{exc}", f"cannot read: {exc}")]) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InputError(
            [Problem(where, f"无法打开工作簿：{exc}", f"not a readable workbook: {exc}")]
        ) from None


def _read_xlsx(path: Path) -> list[Sheet]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in book.worksheets:
            ws.reset_dimensions()  # some writers store wrong dimensions; read every cell
            rows = tuple(
                (number, tuple(_cell_value(cell) for cell in cells))
                for number, cells in enumerate(ws.iter_rows(), start=1)
            )
            sheets.append(Sheet(ws.title, rows))
        return sheets
    finally:
        book.close()


def _cell_value(cell: Any) -> Cell:
    """A cell's value; a whole number formatted all zeros (``000``) as :class:`ZeroPadded`."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
        and float(value).is_integer()
        and isinstance(fmt := cell.number_format, str)
        and _ZEROS.fullmatch(fmt)
        and len(str(int(value))) < len(fmt)
    ):
        return ZeroPadded(int(value), len(fmt))
    return value


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # what Excel on Chinese Windows saves
    rows = csv.reader(io.StringIO(text, newline=""))
    return Sheet(path.name, tuple((n, tuple(r)) for n, r in enumerate(rows, start=1)))


def norm(value: Cell) -> str:
    """A header or keyword as compared: NFKC, without whitespace, ``_`` or ``*``, case-folded."""
    text = unicodedata.normalize("NFKC", as_text(value))
    return re.sub(r"[\s_*]+", "", text).casefold()


_GENDERS = {"男": "男", "男性": "男", "m": "男", "male": "男"} | {
    "女": "女",
    "女性": "女",
    "f": "女",
    "female": "女",
}


def parse_gender(text: str) -> str | None:
    """``男`` or ``女`` for any spelling the staff sheet and selectors accept; else ``None``."""
    return _GENDERS.get(norm(text))


def as_text(value: Cell) -> str:
    """A cell as trimmed text; whole numbers without ``.0`` (or padded as shown), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, ZeroPadded):
        return value.text()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_DATE = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日?"
DATE_PREFIX = re.compile(rf"^(?:{_DATE})")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")


def parse_date(text: str) -> dt.date | None:
    """``2027-03-14``, ``2027/3/14``, ``2027.3.14`` or ``2027年3月14日``; ``None`` if not."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s+0?0:00(:00)?$", "", text)  # a date cell exported with its midnight
    match = re.fullmatch(_DATE, text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def as_date(value: Cell) -> dt.date | None:
    """A date cell or date text; ``None`` when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    return parse_date(value) if isinstance(value, str) else None


def parse_minute(text: str, *, end: bool = False) -> int | None:
    """``8:00``/``08:00`` as minutes after midnight (``24:00`` only as an end); else ``None``."""
    match = _TIME.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if minute >= 60 or hour > 24 or (hour == 24 and (minute or not end)):
        return None
    return hour * 60 + minute


def as_minute(value: Cell, *, end: bool = False) -> int | None:
    """A time cell (time, ``[h]:mm`` duration or day fraction) or time text as minutes."""
    minute: int | None = None
    if isinstance(value, dt.datetime | dt.time):
        minute = value.hour * 60 + value.minute
    elif isinstance(value, dt.timedelta):
        minute = round(value.total_seconds() / 60)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        minute = round(value * 1440) if math.isfinite(value) and 0 <= value <= 1 else None
    elif isinstance(value, str):
        return parse_minute(value, end=end)
    if minute is None or not 0 <= minute <= 1440 or (minute == 1440 and not end):
        return None
    return minute


def read_table(
    sheet: Sheet,
    fields: Mapping[str, Sequence[str]],
    *,
    keys: Sequence[str],
    required: Sequence[str] = (),
    not_content: Sequence[str] = (),
    problems: list[Problem],
) -> list[Row] | None:
    """The data rows under the first row holding a ``keys`` column.

    ``None`` (with the problem added) when there is no such row or a required column is
    missing.
    Headers match ``fields`` aliases after :func:`norm`; where several aliases of one field
    are present, the earlier alias wins. Rows are skipped when every recognised column but
    ``not_content`` is blank.
    """
    lookup = {
        norm(alias): (field, rank)
        for field, aliases in fields.items()
        for rank, alias in enumerate(aliases)
    }
    key_aliases = {norm(a) for k in keys for a in fields[k]}
    start = next(
        (i for i, (_, values) in enumerate(sheet.rows) if key_aliases & {norm(v) for v in values}),
        None,
    )
    if start is None:
        names = "、".join(a for k in keys for a in fields[k])
        problems.append(
            Problem(
                sheet.name,
                f"找不到表头：没有一行含“{names}”列",
                f"no header row: no row has a column {names.replace('、', ', ')}",
            )
        )
        return None
    number, header = sheet.rows[start]
    columns: dict[str, int] = {}
    ranks: dict[str, int] = {}
    seen: dict[str, int] = {}
    for col, value in enumerate(header):
        key = norm(value)
        if key not in lookup:
            continue
        if key in seen:
            other = get_column_letter(seen[key] + 1)
            problems.append(
                Problem(
                    cell_ref(sheet.name, col, number),
                    f"列“{as_text(value)}”重复（另见 {other}{number}）",
                    f'column "{as_text(value)}" appears twice (also {other}{number})',
                )
            )
            continue
        seen[key] = col
        field, rank = lookup[key]
        if rank < ranks.get(field, len(fields[field])):
            columns[field], ranks[field] = col, rank
    for field in required:
        if field not in columns:
            names = "、".join(fields[field])
            problems.append(
                Problem(
                    f"{sheet.name}!{number}:{number}",
                    f"第{number}行表头缺少“{fields[field][0]}”列（{names}）",
                    f"header row {number} has no {field} column ({names.replace('、', ', ')})",
                )
            )
    if any(field not in columns for field in required):
        return None
    content = [f for f in columns if f not in not_content]
    rows = []
    for number, values in sheet.rows[start + 1 :]:
        cells = {f: values[c] if c < len(values) else None for f, c in columns.items()}
        if any(as_text(cells[f]) for f in content):
            rows.append(Row(sheet.name, number, cells, columns))
    return rows


def as_number(value: Cell) -> float | None:
    """A number cell or number text as a finite float; ``None`` when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(unicodedata.normalize("NFKC", as_text(value)))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def clean_name(text: str) -> str:
    """A name with alignment spaces between Chinese characters removed (王  芳 → 王芳)."""
    return re.sub(r"\s+", " ", _CJK_GAP.sub("", text.strip()))
