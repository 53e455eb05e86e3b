"""The staff workbook (SPEC §2.1): people, their unavailability and their wishes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from roster.errors import InputError, Problem
from roster.io._requests import Directory, read_leave, read_wishes
from roster.io._table import (
    DATE_PREFIX,
    Cell,
    Sheet,
    as_date,
    as_number,
    as_text,
    clean_name,
    load_sheets,
    norm,
    parse_date,
    parse_gender,
    parse_minute,
    read_table,
)
from roster.model import Absence, Person, Staff, Wish

__all__ = ["read_staff", "read_staff_partly"]

_STAFF_FIELDS = {
    "id": ("编号", "工号", "序号", "id"),
    "name": ("姓名", "名字", "name"),
    "unit": ("单位", "所属单位", "部门", "科室", "股室", "unit"),
    "title": ("职务", "职位", "title"),
    "gender": ("性别", "gender"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "phone"),
    "skills": ("技能", "资质", "岗位技能", "标签", "skills"),
    "cert": ("执法证号", "执法证", "enforcement_cert"),
    "unavailable": ("不可值班时间", "请假", "不可值班", "unavailable"),
    "max_hours": ("最多小时", "最多值班小时", "max_hours"),
    "note": ("备注", "note"),
}
_STAFF_SHEETS = {"人员", "staff"}
_LEAVE_SHEETS = {"请假", "leave"}
_PREF_SHEETS = {"意愿", "preferences"}

# What coordinators write in a certificate column for "none"; never a certificate.
_NO_CERT = {"无", "没有", "暂无", "无证", "否", "/", "-", "--", "—", "——", "n/a", "na", "none"}
_SKILL_SPLIT = re.compile(r"[,，、;；/\s]+")
_ITEM_SPLIT = re.compile(r"[;；\n]+")
_PHONE_PART_SPLIT = re.compile(r"[/、,，;；]+")
# a mobile; a landline with its area code (0774-1234567); or a bare local number, which
# starts with 2-9 (so a mobile missing digits, 1380013, is not taken for one)
_PHONE = re.compile(r"(?:\+?86)?1\d{10}|0\d{9,11}|[2-9]\d{6,7}")
_RANGE = re.compile(r"(\d{1,2}:\d{2})\s*[-~–—至到]\s*(\d{1,2}:\d{2})")
_BLOCK = re.compile(r"[^\W\d][\w-]*")

Problems = list[Problem]


def read_staff(path: str | Path) -> Staff:
    """Read a staff workbook (.xlsx, or .csv in UTF-8 or GBK) as SPEC §2.1 describes.

    Raises :class:`InputError` with every problem found, each at its ``sheet!cell``; the
    file is only read.
    """
    staff, problems = read_staff_partly(path)
    if problems:
        raise InputError(problems)
    return staff


def read_staff_partly(path: str | Path) -> tuple[Staff, tuple[Problem, ...]]:
    """The people whose rows read cleanly (with their leave and wishes), and every problem.

    With problems, the staff is incomplete: good for checking what those rows name (their
    absences' blocks), not for anything that needs everyone. Raises :class:`InputError`
    only when the file cannot be read at all.
    """
    path = Path(path)
    sheets = load_sheets(path)
    problems: Problems = []
    main = _pick(sheets, _STAFF_SHEETS) or next(
        (s for s in sheets if not _pick([s], _LEAVE_SHEETS | _PREF_SHEETS)), sheets[0]
    )
    rows = _read_people(main, problems)
    directory = Directory((staff_id, name) for staff_id, name, _ in rows)
    leave: dict[str, list[Absence]] = {}
    if (sheet := _pick(sheets, _LEAVE_SHEETS)) is not None and sheet is not main:
        for staff_id, absence in read_leave(sheet, directory, problems):
            leave.setdefault(staff_id, []).append(absence)
    wishes: list[Wish] = []
    if (sheet := _pick(sheets, _PREF_SHEETS)) is not None and sheet is not main:
        wishes = read_wishes(sheet, directory, problems)
    people: dict[str, Person] = {}
    for _, _, person in rows:
        if person is not None and person.id not in people:  # a repeated id is a problem
            absences = person.absences + tuple(leave.get(person.id, ()))
            people[person.id] = dataclasses.replace(person, absences=absences)
    readable = Staff(tuple(people.values()), tuple(wishes), source=str(path))
    return readable, tuple(problems)


def _pick(sheets: list[Sheet], names: set[str]) -> Sheet | None:
    return next((s for s in sheets if norm(s.name) in names), None)


def _read_people(sheet: Sheet, problems: Problems) -> list[tuple[str, str, Person | None]]:
    """Each named row's id, name and person (``None`` when the row has problems)."""
    rows = read_table(
        sheet,
        _STAFF_FIELDS,
        keys=("name",),
        required=("name", "unit"),
        not_content=("id",),  # a template's pre-numbered 序号 is not a person
        problems=problems,
    )
    if rows is None:
        return []
    if not rows:
        problems.append(Problem(sheet.name, "表头下没有人员", "no staff rows under the header"))
    explicit = {row.text("id"): row.ref("id") for row in reversed(rows) if row.text("id")}
    seen: dict[str, str] = {}
    entries = []
    for ordinal, row in enumerate(rows, start=1):
        before = len(problems)
        values: dict[str, object] = {}
        staff_id = ""
        for field in sorted(row.columns, key=row.columns.__getitem__):
            where, value = row.ref(field), row.values[field]
            if field == "id":
                staff_id = _parse_id(value, where, ordinal, explicit, seen, problems)
            else:
                values[_PERSON_FIELD.get(field, field)] = _PARSERS[field](value, where, problems)
        if "id" not in row.columns:
            staff_id = str(ordinal)
        person = None
        if len(problems) == before:
            person = Person(id=staff_id, **values, row=row.number)  # type: ignore[arg-type]
        if values["name"]:
            entries.append((staff_id, str(values["name"]), person))
    return entries


def _parse_id(
    value: Cell,
    where: str,
    ordinal: int,
    explicit: dict[str, str],
    seen: dict[str, str],
    problems: Problems,
) -> str:
    text = as_text(value)
    if not text:  # the row-order default, unless an explicit id elsewhere takes it
        text = str(ordinal)
        if text in explicit:
            problems.append(
                Problem(
                    where,
                    f'编号为空，按行序应为 "{text}"，但已被 {explicit[text]} 使用；请填写编号',
                    f'no id, and the row-order default "{text}" is taken by {explicit[text]};'
                    " fill in an id",
                )
            )
        return text
    if text in seen:
        problems.append(
            Problem(
                where,
                f'编号 "{text}" 重复（另见 {seen[text]}）',
                f'id "{text}" is used twice (also {seen[text]})',
            )
        )
    seen.setdefault(text, where)
    return text


def _p_required(label_zh: str, label_en: str) -> Callable[[Cell, str, Problems], str]:
    def parse(value: Cell, where: str, problems: Problems) -> str:
        text = clean_name(as_text(value))
        if not text:
            problems.append(Problem(where, f"{label_zh}为空", f"{label_en} is empty"))
        return text

    return parse


def _p_text(value: Cell, where: str, problems: Problems) -> str:
    return as_text(value)


def _p_gender(value: Cell, where: str, problems: Problems) -> str:
    text = as_text(value)
    if not text:
        return ""
    gender = parse_gender(text)
    if gender is None:
        problems.append(
            Problem(
                where, f'性别 "{text}" 应为 男 或 女', f'gender "{text}" must be 男 or 女 (M/F)'
            )
        )
        return ""
    return gender


def _p_phone(value: Cell, where: str, problems: Problems) -> str:
    text = unicodedata.normalize("NFKC", as_text(value)).strip()
    if not text:
        return ""
    parts = _PHONE_PART_SPLIT.split(text)
    if all(_PHONE.fullmatch(re.sub(r"[\s\-()]", "", p)) for p in parts):
        return text
    zh, en = "", ""
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", text):
        zh = "（科学计数法，位数已丢失；请把该列设为文本后重新输入）"
        en = " (scientific notation: digits are lost; format the column as text and re-enter)"
    elif isinstance(value, int | float):
        zh = "（单元格是数字格式，开头的0可能已丢失；请把该列设为文本）"
        en = " (the cell is a number: a leading 0 may be lost; format the column as text)"
    problems.append(
        Problem(
            where,
            f'电话 "{text}" 不是11位手机号或固定电话{zh}',
            f'phone "{text}" is not an 11-digit mobile or landline number{en}',
        )
    )
    return text


def _p_skills(value: Cell, where: str, problems: Problems) -> frozenset[str]:
    return frozenset(s for s in _SKILL_SPLIT.split(as_text(value)) if s)


def _p_cert(value: Cell, where: str, problems: Problems) -> str:
    text = as_text(value)
    return "" if norm(text) in _NO_CERT else text


def _p_unavailable(value: Cell, where: str, problems: Problems) -> tuple[Absence, ...]:
    if isinstance(value, dt.date) and (date := as_date(value)) is not None:
        return (Absence(date, source=where),)
    absences = []
    for raw in _ITEM_SPLIT.split(as_text(value)):
        if not (item := raw.strip()):
            continue
        absence = _parse_absence(unicodedata.normalize("NFKC", item), where)
        if absence is None:
            problems.append(
                Problem(
                    where,
                    f'不可值班时间 "{item}" 无法识别：应为 日期、日期 时间段 或 日期 班次，'
                    "如 2027-03-14、2027-03-14 08:00-12:00、2027-03-15 NIGHT",
                    f'unavailable "{item}" is not a date, a date and time range or a date and'
                    " shift, e.g. 2027-03-14, 2027-03-14 08:00-12:00, 2027-03-15 NIGHT",
                )
            )
        else:
            absences.append(absence)
    return tuple(absences)


def _parse_absence(item: str, where: str) -> Absence | None:
    """``DATE``, ``DATE HH:MM-HH:MM`` (may cross midnight) or ``DATE BLOCK``; else ``None``."""
    match = DATE_PREFIX.match(item)
    if match is None or (date := parse_date(match[0])) is None:
        return None
    rest = item[match.end() :].strip()
    if not rest:
        return Absence(date, source=where)
    if span := _RANGE.fullmatch(rest):
        start, end = parse_minute(span[1]), parse_minute(span[2], end=True)
        if start is None or end is None:
            return None
        # an end at or before the start runs past midnight (22:00-02:00), as the model and
        # the checker read it
        return Absence(date, start, end, source=where)
    if _BLOCK.fullmatch(rest):
        return Absence(date, block=rest, source=where)
    return None


def _p_max_hours(value: Cell, where: str, problems: Problems) -> float | None:
    text = as_text(value)
    if not text:
        return None
    number = as_number(value)
    if number is None or number < 0:
        problems.append(
            Problem(
                where,
                f'最多小时 "{text}" 应为不小于0的数',
                f'max_hours "{text}" must be a number of at least 0',
            )
        )
    return number


_PERSON_FIELD = {"unavailable": "absences"}
_PARSERS: dict[str, Callable[[Cell, str, Problems], object]] = {
    "name": _p_required("姓名", "name"),
    "unit": _p_required("单位", "unit"),
    "title": _p_text,
    "gender": _p_gender,
    "phone": _p_phone,
    "skills": _p_skills,
    "cert": _p_cert,
    "unavailable": _p_unavailable,
    "max_hours": _p_max_hours,
    "note": _p_text,
}
