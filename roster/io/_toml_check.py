"""Checked reading of parsed TOML values.

Every reader records what is wrong with its value as a :class:`Problem` located by key path
(``duty.toml: posts[2].blocks``) and returns ``None`` instead of raising, so that one pass
over a file finds every problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from roster.errors import Problem

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HH_MM = re.compile(r"^(\d{1,2}):(\d{2})$")

Table = dict[str, Any]


def sub(path: str, key: str) -> str:
    """The key path of ``key`` inside the table at ``path``, quoted as TOML would."""
    name = key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{name}" if path else name


def item(path: str, index: int) -> str:
    """The key path of element ``index`` (0-based) of the array at ``path``."""
    return f"{path}[{index}]"


class Checker:
    """Collects the problems of one file, each located as ``file: key.path``."""

    __slots__ = ("file", "problems")

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def report(self, path: str, zh: str, en: str) -> None:
        where = f"{self.file}: {path}" if path else self.file
        self.problems.append(Problem(where, zh, en))

    def count(self) -> int:
        return len(self.problems)


def suggestion(word: str, choices: Iterable[str]) -> tuple[str, str]:
    """A "did you mean" suffix in Chinese and English, or two empty strings."""
    options = list(choices)
    # a key written short ("max_onsite_hours") is most likely the one that contains it
    close = sorted((c for c in options if len(word) >= 3 and word in c and c != word), key=len)
    close = close or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        return "", ""
    return f"（是否应为 “{close[0]}”？）", f' (did you mean "{close[0]}"?)'


def unknown(ck: Checker, path: str, what: tuple[str, str], name: str, known: Iterable[str]) -> None:
    """Report an unknown reference, e.g. ``unknown block "MORNING"``."""
    zh_hint, en_hint = suggestion(name, known)
    ck.report(path, f"未知的{what[0]} “{name}”{zh_hint}", f'unknown {what[1]} "{name}"{en_hint}')


def _type_name(value: object) -> tuple[str, str]:
    if isinstance(value, bool):
        return "布尔值", "a boolean"
    if isinstance(value, int):
        return "整数", "an integer"
    if isinstance(value, float):
        return "小数", "a float"
    if isinstance(value, str):
        return "字符串", "a string"
    if isinstance(value, list):
        return "数组", "an array"
    if isinstance(value, dict):
        return "表", "a table"
    if isinstance(value, dt.datetime):
        return "日期时间", "a date-time"
    if isinstance(value, dt.date):
        return "日期", "a date"
    if isinstance(value, dt.time):
        return "时间", "a time"
    return "未知类型", type(value).__name__


def wrong_type(ck: Checker, path: str, value: object, zh: str, en: str) -> None:
    got_zh, got_en = _type_name(value)
    ck.report(path, f"应为{zh}，而不是{got_zh}", f"must be {en}, not {got_en}")


def table(
    ck: Checker, value: object, path: str, allowed: Sequence[str], required: Sequence[str] = ()
) -> Table | None:
    """A table with only ``allowed`` keys and every ``required`` one (reported if not)."""
    if not isinstance(value, dict):
        wrong_type(ck, path, value, "表", "a table")
        return None
    for key in value:
        if key not in allowed:
            zh_hint, en_hint = suggestion(key, allowed)
            ck.report(sub(path, key), f"未知的键 “{key}”{zh_hint}", f'unknown key "{key}"{en_hint}')
    for key in required:
        if key not in value:
            ck.report(path, f"缺少必填的键 “{key}”", f'missing required key "{key}"')
    return value


def tables(ck: Checker, value: object, path: str) -> list[tuple[str, Table]] | None:
    """The tables of an array of tables (``[[path]]``), each with its key path."""
    if not isinstance(value, list):
        wrong_type(ck, path, value, f"表数组 [[{path}]]", f"an array of tables [[{path}]]")
        return None
    out = []
    for index, element in enumerate(value):
        if isinstance(element, dict):
            out.append((item(path, index), element))
        else:
            wrong_type(ck, item(path, index), element, "表", "a table")
    return out


def string(ck: Checker, value: object, path: str) -> str | None:
    """A non-blank string, trimmed."""
    if not isinstance(value, str):
        wrong_type(ck, path, value, "字符串", "a string")
        return None
    if not value.strip():
        ck.report(path, "不能为空", "must not be empty")
        return None
    return value.strip()


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def staff_ref(ck: Checker, value: object, path: str) -> str | None:
    """A person's name or 编号: a non-blank string, or an integer as its digits (``1008``)."""
    return str(value) if _whole(value) else string(ck, value, path)


def ident(ck: Checker, value: object, path: str) -> str | None:
    """An id: a non-empty string without spaces."""
    text = string(ck, value, path)
    if text is not None and len(text.split()) != 1:
        ck.report(path, f"编号 “{text}” 不能含空格", f'id "{text}" must not contain spaces')
        return None
    return text


def boolean(ck: Checker, value: object, path: str) -> bool | None:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        wrong_type(ck, path, value, "true 或 false", "true or false")
        return None
    return value


def integer(ck: Checker, value: object, path: str, minimum: int = 0) -> int | None:
    """A whole number of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        wrong_type(ck, path, value, "整数", "a whole number")
        return None
    if value < minimum:
        if minimum == 0:
            ck.report(path, f"{value} 不能为负数", f"{value} must not be negative")
        else:
            ck.report(path, f"{value} 应不小于 {minimum}", f"{value} must be at least {minimum}")
        return None
    return value


def number(ck: Checker, value: object, path: str, positive: bool = False) -> float | None:
    """A number, not negative (with ``positive``: greater than 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        wrong_type(ck, path, value, "数字", "a number")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        ck.report(path, f"{value} 不是有限的数", f"{value} is not a finite number")
        return None
    if positive and value <= 0:
        ck.report(path, f"{value} 应大于 0", f"{value} must be greater than 0")
        return None
    if value < 0:
        ck.report(path, f"{value} 不能为负数", f"{value} must not be negative")
        return None
    return float(value)


def strings(
    ck: Checker,
    value: object,
    path: str,
    single: bool = False,
    minimum: int = 1,
    staff: bool = False,
) -> tuple[str, ...] | None:
    """An array of at least ``minimum`` distinct non-blank strings (with ``single``: or one).

    With ``staff`` (names or 编号 of people) integers count as their digits, as in
    :func:`staff_ref`.
    """
    if single and (isinstance(value, str) or (staff and _whole(value))):
        value = [value]
    if staff and isinstance(value, list):
        value = [str(v) if _whole(v) else v for v in value]
    if not isinstance(value, list):
        what = ("字符串或字符串数组", "a string or an array of strings")
        wrong_type(ck, path, value, *(what if single else ("字符串数组", "an array of strings")))
        return None
    before = ck.count()
    out: list[str] = []
    for element in value:
        if not isinstance(element, str) or not element.strip():
            got = _type_name(element) if not isinstance(element, str) else ("空字符串", "empty")
            ck.report(
                path, f"元素应为非空字符串，而不是{got[0]}", f"items must be text, not {got[1]}"
            )
        elif element.strip() in out:
            ck.report(path, f"“{element.strip()}” 重复", f'"{element.strip()}" is repeated')
        else:
            out.append(element.strip())
    if ck.count() == before and len(out) < minimum:
        ck.report(path, f"至少需要 {minimum} 项", f"needs at least {minimum} item(s)")
    return tuple(out) if ck.count() == before else None


def date(ck: Checker, value: object, path: str) -> dt.date | None:
    """A date: ``"YYYY-MM-DD"`` or a TOML local date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        wrong_type(ck, path, value, "日期 YYYY-MM-DD", "a date YYYY-MM-DD")
        return None
    text = value.strip()
    if not _ISO_DATE.match(text):
        ck.report(
            path,
            f"日期 “{text}” 应为 YYYY-MM-DD 格式",
            f'date "{text}" is not an ISO date (YYYY-MM-DD)',
        )
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        ck.report(path, f"日期 “{text}” 不存在", f'date "{text}" is not a real date')
        return None


def known(
    ck: Checker, ids: tuple[str, ...] | None, path: str, block_ids: Collection[str] | None
) -> tuple[str, ...] | None:
    """``ids`` if each names a block (each unknown one reported), else ``None``.

    With ``block_ids`` ``None`` (the blocks could not be read) nothing is checked.
    """
    if ids is None or block_ids is None:
        return ids
    missing = [b for b in ids if b not in block_ids]
    for block in missing:
        unknown(ck, path, ("班次", "block"), block, sorted(block_ids))
    return None if missing else ids


def in_period(ck: Checker, day: dt.date, path: str, period: Collection[dt.date] | None) -> bool:
    """Whether ``day`` is a date of the period (reported if not; unknown period: yes)."""
    if period is None or day in period:
        return True
    ck.report(path, f"日期 {day} 不在值班期内", f"date {day} is not in the period")
    return False


def dates(
    ck: Checker, value: object, path: str, ordered: bool = False, minimum: int = 0
) -> tuple[dt.date, ...] | None:
    """An array of distinct dates (with ``ordered``: in increasing order)."""
    if not isinstance(value, list):
        wrong_type(ck, path, value, "日期数组", "an array of dates")
        return None
    before = ck.count()
    out: list[dt.date] = []
    for element in value:
        day = date(ck, element, path)
        if day is None:
            continue
        if day in out:
            ck.report(path, f"日期 {day} 重复", f"date {day} is repeated")
        elif ordered and out and day < out[-1]:
            ck.report(path, f"日期 {day} 应排在 {out[-1]} 之前", f"date {day} is out of order")
        out.append(day)
    if ck.count() == before and len(out) < minimum:
        ck.report(path, f"至少需要 {minimum} 个日期", f"needs at least {minimum} date(s)")
    return tuple(out) if ck.count() == before else None


def time_of_day(ck: Checker, value: object, path: str, end: bool = False) -> int | None:
    """Minutes after midnight of ``"HH:MM"`` (with ``end``, ``"24:00"`` is 1440)."""
    if isinstance(value, dt.time):
        if value.second or value.microsecond or value.tzinfo:
            ck.report(path, f"时间 {value} 应为整分钟", f"time {value} must be whole minutes")
            return None
        return value.hour * 60 + value.minute
    if not isinstance(value, str):
        wrong_type(ck, path, value, "时间 “HH:MM”", 'a time "HH:MM"')
        return None
    text = value.strip()
    match = _HH_MM.match(text)
    if not match:
        ck.report(path, f"时间 “{text}” 应为 HH:MM 格式", f'time "{text}" is not HH:MM')
        return None
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        ck.report(
            path,
            f"时间 “{text}” 不存在（小时 00–23，结束时间可为 24:00）",
            f'time "{text}" does not exist (hours 00-23; an end may be 24:00)',
        )
        return None
    return hours * 60 + minutes
