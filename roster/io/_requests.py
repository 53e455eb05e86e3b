"""The optional 请假 (leave) and 意愿 (preferences) sheets of the staff workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from roster.errors import Problem
from roster.io._table import (
    Row,
    Sheet,
    as_date,
    as_minute,
    as_number,
    as_text,
    clean_name,
    norm,
    read_table,
)
from roster.model import Absence, Wish, WishKind

Problems = list[Problem]

_NAME = ("姓名", "名字", "name")
# 序号 is not a staff id here: on these sheets it only numbers their own rows.
_REF = {"id": ("编号", "工号", "id"), "name": _NAME, "date": ("日期", "date")}
_LEAVE_FIELDS = {
    **_REF,
    "start": ("开始", "开始时间", "start"),
    "end": ("结束", "结束时间", "end"),
    "reason": ("原因", "请假原因", "事由", "reason"),
}
_PREF_FIELDS = {
    **_REF,
    "shift": ("班次", "shift"),
    "wish": ("意愿", "wish"),
    "weight": ("权重", "weight"),
}

_WISHES = {"希望": WishKind.PREFER, "prefer": WishKind.PREFER} | {
    "避免": WishKind.AVOID,
    "avoid": WishKind.AVOID,
}


class Directory:
    """The staff rows, to find the person a leave or preference row names."""

    def __init__(self, people: Iterable[tuple[str, str]]) -> None:
        self.names: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for staff_id, name in people:
            self.names.setdefault(staff_id, name)
            self.by_name.setdefault(name, []).append(staff_id)

    def resolve(self, row: Row, problems: Problems) -> str | None:
        """The staff row a leave or preference row names, by 编号 if given, else by 姓名."""
        staff_id = row.text("id") if "id" in row.columns else ""
        name = clean_name(row.text("name")) if "name" in row.columns else ""
        if staff_id:
            name_of = self.names.get(staff_id)
            if name_of is None:
                zh, en = f'找不到编号为 "{staff_id}" 的人员', f'no staff member has id "{staff_id}"'
            elif name and name != name_of:
                zh = f'编号 "{staff_id}" 是 {name_of}，不是 "{name}"'
                en = f'id "{staff_id}" is {name_of}, not "{name}"'
                problems.append(Problem(row.ref("name"), zh, en))
                return None
            else:
                return staff_id
            problems.append(Problem(row.ref("id"), zh, en))
            return None
        where = row.ref("name" if "name" in row.columns else "id")
        matches = self.by_name.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if not name:
            zh, en = "缺少姓名或编号", "no name or id"
        elif not matches:
            zh, en = f'找不到姓名为 "{name}" 的人员', f'no staff member is named "{name}"'
        else:
            zh = f'姓名 "{name}" 对应多人（编号 {"、".join(matches)}），请在编号列填写编号'
            en = f'name "{name}" matches several people (ids {", ".join(matches)}); give the 编号'
        problems.append(Problem(where, zh, en))
        return None


def _date_field(row: Row, problems: Problems) -> dt.date | None:
    value, where = row.values["date"], row.ref("date")
    date = as_date(value)
    if date is None:
        text = as_text(value)
        zh, en = (f'日期 "{text}" 无法识别', f'date "{text}" is not a date') if text else ("", "")
        problems.append(Problem(where, zh or "日期为空", en or "date is empty"))
    return date


def read_leave(sheet: Sheet, people: Directory, problems: Problems) -> list[tuple[str, Absence]]:
    """Absences from the 请假 sheet, with the id of the person each is for.

    An end at or before the start runs past midnight into the next day (22:00 to 02:00),
    as the model and the checker read an absence.
    """
    rows = read_table(
        sheet, _LEAVE_FIELDS, keys=("name", "id"), required=("date",), problems=problems
    )
    if rows is None:
        return []
    found = []
    for row in rows:
        before = len(problems)
        staff_id = people.resolve(row, problems)
        date = _date_field(row, problems)
        times: dict[str, int | None] = {}
        for field in ("start", "end"):
            value = row.values.get(field)
            if as_text(value):
                times[field] = as_minute(value, end=field == "end")
                if times[field] is None:
                    problems.append(
                        Problem(
                            row.ref(field),
                            f'时间 "{as_text(value)}" 无法识别，应为 08:00 这样的时刻',
                            f'time "{as_text(value)}" is not a time of day like 08:00',
                        )
                    )
        start, end = times.get("start"), times.get("end")
        if len(times) == 1:
            blank = "end" if "start" in times else "start"
            where = (
                row.ref(blank)
                if blank in row.columns
                else f"{sheet.name}!{row.number}:{row.number}"
            )
            problems.append(
                Problem(where, "开始和结束须同时填写", "give both start and end, or neither")
            )
        if len(problems) == before and staff_id and date:
            reason = row.text("reason") if "reason" in row.columns else ""
            absence = Absence(date, start, end, reason=reason, source=row.ref("date"))
            found.append((staff_id, absence))
    return found


def read_wishes(sheet: Sheet, people: Directory, problems: Problems) -> list[Wish]:
    """Wishes from the 意愿 sheet, each for the id of the person it names."""
    rows = read_table(
        sheet,
        _PREF_FIELDS,
        keys=("name", "id"),
        required=("date", "wish"),
        problems=problems,
    )
    if rows is None:
        return []
    wishes = []
    for row in rows:
        before = len(problems)
        staff_id = people.resolve(row, problems)
        date = _date_field(row, problems)
        text = row.text("wish")
        kind = _WISHES.get(norm(text))
        if kind is None:
            problems.append(
                Problem(
                    row.ref("wish"),
                    f'意愿 "{text}" 应为 希望 或 避免',
                    f'wish "{text}" must be 希望/prefer or 避免/avoid',
                )
            )
        weight = 1.0
        if "weight" in row.columns and as_text(row.values["weight"]):
            number = as_number(row.values["weight"])
            if number is None or number <= 0:
                weight_text = row.text("weight")
                problems.append(
                    Problem(
                        row.ref("weight"),
                        f'权重 "{weight_text}" 应为大于0的数',
                        f'weight "{weight_text}" must be a number above 0',
                    )
                )
            else:
                weight = number
        if len(problems) == before and staff_id and date and kind:
            shift = row.text("shift") if "shift" in row.columns else ""
            wishes.append(Wish(staff_id, date, shift or None, kind, weight, row.ref("date")))
    return wishes
