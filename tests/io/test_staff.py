"""The staff workbook import, SPEC §2.1."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from roster.errors import InputError
from roster.io._table import ZeroPadded, as_minute, as_text, parse_minute
from roster.io.staff import read_staff
from roster.model import CERT_SKILL, Absence, Person, Staff, Wish, WishKind

D14, D15 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
Rows = Sequence[Sequence[object]]
MakeXlsx = Callable[..., Path]


@pytest.fixture
def xlsx(tmp_path: Path) -> MakeXlsx:
    """Writes a workbook: the staff rows in sheet ``title``, then any further sheets."""

    def make(rows: Rows, *, title: str = "人员", sheets: dict[str, Rows] | None = None) -> Path:
        book = Workbook()
        ws = book.active
        ws.title = title
        for row in rows:
            ws.append(list(row))
        for name, more in (sheets or {}).items():
            extra = book.create_sheet(name)
            for row in more:
                extra.append(list(row))
        path = tmp_path / "staff.xlsx"
        book.save(path)
        return path

    return make


def problems(path: Path) -> list[tuple[str, str]]:
    """The ``(where, en)`` of every problem reading ``path`` reports."""
    with pytest.raises(InputError) as info:
        read_staff(path)
    return [(p.where, p.en) for p in info.value.problems]


def one(path: Path) -> Person:
    (person,) = read_staff(path).people
    return person


HEAD = ["姓名", "单位"]


# --- headers and layout --------------------------------------------------------------

SAMPLES: dict[str, tuple[object, str, object]] = {
    # field: (cell value, Person attribute, expected)
    "id": ("P7", "id", "P7"),
    "name": ("张伟", "name", "张伟"),
    "unit": ("岑城所", "unit", "岑城所"),
    "title": ("所长", "title", "所长"),
    "gender": ("女", "gender", "女"),
    "phone": ("13800138000", "phone", "13800138000"),
    "skills": ("坐席", "skills", frozenset({"坐席"})),
    "cert": ("450001", "cert", "450001"),
    "unavailable": ("2027-03-14", "absences", (Absence(D14, source="人员!C2"),)),
    "max_hours": (8, "max_hours", 8.0),
    "note": ("产假后返岗", "note", "产假后返岗"),
}
ALIASES = {
    "id": ["编号", "工号", "序号", "id"],
    "name": ["姓名", "名字", "name"],
    "unit": ["单位", "所属单位", "部门", "科室", "股室", "unit"],
    "title": ["职务", "职位", "title"],
    "gender": ["性别", "gender"],
    "phone": ["手机", "手机号", "手机号码", "联系电话", "电话", "phone"],
    "skills": ["技能", "资质", "岗位技能", "标签", "skills"],
    "cert": ["执法证号", "执法证", "enforcement_cert"],
    "unavailable": ["不可值班时间", "请假", "不可值班", "unavailable"],
    "max_hours": ["最多小时", "最多值班小时", "max_hours"],
    "note": ["备注", "note"],
}


@pytest.mark.parametrize(
    ("field", "alias"), [(f, a) for f, aliases in ALIASES.items() for a in aliases]
)
def test_every_header_alias(xlsx: MakeXlsx, field: str, alias: str) -> None:
    header = {"name": "姓名", "unit": "单位", field: alias}
    values = {"name": "李娜", "unit": "岑城所", field: SAMPLES[field][0]}
    order = ["name", "unit"] + [f for f in header if f not in ("name", "unit")]
    person = one(xlsx([[header[f] for f in order], [values[f] for f in order]]))
    _, attribute, expected = SAMPLES[field]
    assert getattr(person, attribute) == expected


@pytest.mark.parametrize(
    "header", ["姓　名", " 姓名 ", "ＮＡＭＥ", "Name", "NAME ", "*姓名", "姓 名", "名\u3000字"]
)
def test_header_spacing_width_and_case_are_ignored(xlsx: MakeXlsx, header: str) -> None:
    assert one(xlsx([[header, "Unit"], ["王芳", "岑城所"]])).name == "王芳"


def test_other_headers_match_full_width_and_case(xlsx: MakeXlsx) -> None:
    path = xlsx(
        [["姓名", "单　位", "Enforcement_Cert", "ＭＡＸ＿ＨＯＵＲＳ"], ["王芳", "所", "A1", 4]]
    )
    person = one(path)
    assert (person.unit, person.cert, person.max_hours) == ("所", "A1", 4.0)


def test_banner_rows_blank_rows_and_extra_columns(xlsx: MakeXlsx) -> None:
    book_rows = [
        ["岑溪市市场监督管理局“3·15”值班人员名单"],
        [None, None, "填报日期：2027年3月1日"],
        [],
        ["序号", "姓名", "单位", "出生年月", "手机"],
        [1, "张伟", "岑城所", "1980-01", "13800138000"],
        [],
        [None, None, None, None, None],
        [2, "王芳", "南渡所", "1990-02", "13800138001"],
    ]
    path = xlsx(book_rows)
    staff = read_staff(path)
    assert [(p.id, p.name, p.unit, p.row) for p in staff] == [
        ("1", "张伟", "岑城所", 5),
        ("2", "王芳", "南渡所", 8),
    ]


def test_merged_banner_above_header(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "人员"
    ws["A1"] = "值班人员名单"
    ws.merge_cells("A1:C2")
    for col, (head, value) in enumerate(zip(HEAD, ["张伟", "岑城所"], strict=True), start=1):
        ws.cell(3, col, head)
        ws.cell(4, col, value)
    book.save(tmp_path / "s.xlsx")
    assert one(tmp_path / "s.xlsx").row == 4


def test_default_id_is_row_order_among_data_rows(xlsx: MakeXlsx) -> None:
    staff = read_staff(xlsx([["名单"], HEAD, ["甲", "A"], [], ["乙", "B"]]))
    assert [p.id for p in staff] == ["1", "2"]


def test_prenumbered_template_rows_without_names_are_skipped(xlsx: MakeXlsx) -> None:
    staff = read_staff(xlsx([["序号", "姓名", "单位"], [1, "甲", "A"], [2], [3]]))
    assert [p.name for p in staff] == ["甲"]


def test_numeric_ids_lose_their_point_zero(xlsx: MakeXlsx) -> None:
    staff = read_staff(xlsx([["编号", *HEAD], [7.0, "甲", "A"], [12, "乙", "A"]]))
    assert [p.id for p in staff] == ["7", "12"]


def formatted(path: Path, rows: Rows, formats: dict[str, str]) -> Path:
    """Writes ``rows`` to sheet 人员 with the number format of each cell in ``formats``."""
    book = Workbook()
    ws = book.active
    ws.title = "人员"
    for row in rows:
        ws.append(list(row))
    for ref, number_format in formats.items():
        ws[ref].number_format = number_format
    book.save(path)
    return path


def test_zero_padded_numeric_ids_read_as_excel_shows_them(tmp_path: Path) -> None:
    rows: list[list[object]] = [["工号", *HEAD, "手机"]]
    rows += [[1, "甲", "A", 13800138000], [12.0, "乙", "A", 7741234567], [1234, "丙", "A", None]]
    rows += [[5, "丁", "A", 13800138001], [6, "戊", "A", None], [True, "己", "A", None]]
    formats = {"A2": "000", "A3": "00000000", "A4": "000", "A5": "0", "A6": "0.00"}
    formats |= {"A7": "000", "D2": "00000000000", "D3": "00000000000", "D5": "0"}
    staff = read_staff(formatted(tmp_path / "staff.xlsx", rows, formats))
    assert [p.id for p in staff] == ["001", "00000012", "1234", "5", "6", "TRUE"]
    # phones stored as numbers read as shown: a landline's leading 0 kept by its format
    assert [p.phone for p in staff][:2] == ["13800138000", "07741234567"]


def test_a_zero_padded_id_names_the_person_on_the_leave_sheet(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "人员"
    ws.append(["工号", *HEAD])
    ws.append([7, "甲", "A"])
    ws["A2"].number_format = "000"
    leave = book.create_sheet("请假")
    leave.append(["工号", "日期"])
    leave.append([7, "2027-03-14"])
    leave["A2"].number_format = "000"
    book.save(tmp_path / "staff.xlsx")
    (person,) = read_staff(tmp_path / "staff.xlsx").people
    assert (person.id, [a.date for a in person.absences]) == ("007", [D14])


def test_namesakes_in_different_units(xlsx: MakeXlsx) -> None:
    staff = read_staff(xlsx([HEAD, ["张伟", "岑城所"], ["张伟", "南渡所"]]))
    assert [(p.id, p.unit) for p in staff] == [("1", "岑城所"), ("2", "南渡所")]


def test_alignment_spaces_in_chinese_names_are_dropped(xlsx: MakeXlsx) -> None:
    staff = read_staff(xlsx([HEAD, ["王  芳", "A"], ["Li\u3000Na", "A"]]))
    assert [p.name for p in staff] == ["王芳", "Li Na"]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["说明", "Staff"], "Staff"),
        (["说明", "人员"], "人员"),
        (["名单", "其他"], "名单"),
        (["请假", "名单"], "名单"),
    ],
)
def test_sheet_selection(tmp_path: Path, titles: list[str], expected: str) -> None:
    book = Workbook()
    book.active.title = titles[0]
    book.create_sheet(titles[1])
    for ws in book.worksheets:
        ws.append(HEAD if ws.title != "请假" else ["姓名", "日期"])
        ws.append([ws.title, "A"] if ws.title != "请假" else [expected, "2027-03-14"])
    book.save(tmp_path / "s.xlsx")
    assert [p.name for p in read_staff(tmp_path / "s.xlsx")] == [expected]


# --- fields --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),
        ("13800138000", "13800138000"),
        ("138 0013 8000", "138 0013 8000"),
        ("0774-1234567", "0774-1234567"),
        ("07741234567", "07741234567"),
        ("0774-12345678", "0774-12345678"),
        ("0774 1234567", "0774 1234567"),
        ("010-12345678", "010-12345678"),
        ("2345678", "2345678"),
        ("１３８００１３８０００", "13800138000"),
        ("13800138000/0774-1234567", "13800138000/0774-1234567"),
    ],
)
def test_valid_phones_are_kept_as_text(xlsx: MakeXlsx, cell: object, expected: str) -> None:
    assert one(xlsx([[*HEAD, "手机"], ["甲", "A", cell]])).phone == expected


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("1380013", ""),
        ("1380013800a", ""),
        ("138001380001", ""),
        ("电话", ""),
        (7741234567, "leading 0"),
        ("1.38001E+10", "scientific notation"),
    ],
)
def test_bad_phones(xlsx: MakeXlsx, cell: object, hint: str) -> None:
    ((where, en),) = problems(xlsx([[*HEAD, "手机"], ["甲", "A", cell]]))
    assert where == "人员!C2"
    assert en.startswith(f'phone "{cell}" is not an 11-digit mobile or landline number')
    assert hint in en


def test_phone_problem_text_in_both_languages(xlsx: MakeXlsx) -> None:
    with pytest.raises(InputError) as info:
        read_staff(xlsx([[*HEAD, "电话"], ["甲", "A", "1380013"]]))
    (problem,) = info.value.problems
    assert problem.where == "人员!C2"
    assert problem.zh == '电话 "1380013" 不是11位手机号或固定电话'
    assert problem.en == 'phone "1380013" is not an 11-digit mobile or landline number'


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("男", "男"), ("女", "女"), ("M", "男"), ("f", "女"), ("Male", "男"), ("FEMALE", "女")],
)
def test_gender_is_normalised(xlsx: MakeXlsx, cell: str, expected: str) -> None:
    assert one(xlsx([[*HEAD, "性别"], ["甲", "A", cell]])).gender == expected


def test_bad_gender(xlsx: MakeXlsx) -> None:
    assert problems(xlsx([[*HEAD, "性别"], ["甲", "A", "X"]])) == [
        ("人员!C2", 'gender "X" must be 男 or 女 (M/F)')
    ]


@pytest.mark.parametrize("sep", [",", "，", "、", ";", "；", "/", " ", "\u3000", " / ", "、 "])
def test_every_skill_separator(xlsx: MakeXlsx, sep: str) -> None:
    cell = sep.join(["坐席", "转办", "带班", "坐席"])
    person = one(xlsx([[*HEAD, "技能"], ["甲", "A", cell]]))
    assert person.skills == {"坐席", "转办", "带班"}


def test_cert_implies_the_cert_skill_and_numbers_lose_point_zero(xlsx: MakeXlsx) -> None:
    staff = read_staff(
        xlsx([[*HEAD, "技能", "执法证号"], ["甲", "A", "驾驶员", 4500123.0], ["乙", "A", "", ""]])
    )
    holder, other = staff.people
    assert holder.cert == "4500123"
    assert holder.skills == {"驾驶员", CERT_SKILL}
    assert (other.cert, other.skills) == ("", frozenset())


@pytest.mark.parametrize("none", ["无", "/", "-", "暂无", "None"])
def test_cert_placeholders_for_none_give_no_cert(xlsx: MakeXlsx, none: str) -> None:
    person = one(xlsx([[*HEAD, "执法证号"], ["甲", "A", none]]))
    assert (person.cert, CERT_SKILL in person.skills) == ("", False)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2027-03-14", [Absence(D14)]),
        ("2027/3/14", [Absence(D14)]),
        ("2027年3月14日", [Absence(D14)]),
        (dt.datetime(2027, 3, 14), [Absence(D14)]),
        ("2027-03-14 08:00-12:00", [Absence(D14, 480, 720)]),
        ("2027-03-14 8:00-12:00", [Absence(D14, 480, 720)]),
        ("2027-03-14 20:00-24:00", [Absence(D14, 1200, 1440)]),
        ("2027-03-15 NIGHT", [Absence(D15, block="NIGHT")]),
        # an end at or before the start runs past midnight, as the model and checker read it
        ("2027-03-14 22:00-02:00", [Absence(D14, 1320, 120)]),
        ("2027-03-14 22:00-00:00", [Absence(D14, 1320, 0)]),
        ("2027-03-14 08:00-08:00", [Absence(D14, 480, 480)]),  # 24 hours from 08:00
        (
            "2027-03-14; 2027-03-15 08:00-12:00；2027-03-15 NIGHT;",
            [Absence(D14), Absence(D15, 480, 720), Absence(D15, block="NIGHT")],
        ),
    ],
)
def test_unavailable_forms(xlsx: MakeXlsx, cell: object, expected: list[Absence]) -> None:
    person = one(xlsx([[*HEAD, "不可值班时间"], ["甲", "A", cell]]))
    assert list(person.absences) == [
        Absence(a.date, a.start, a.end, a.block, source="人员!C2") for a in expected
    ]


def test_malformed_unavailable_items_are_each_quoted(xlsx: MakeXlsx) -> None:
    cell = "2027-03-14; 明天; 2027-02-30; 2027-03-14 24:00-02:00; 2027-03-14 08:00-25:00"
    found = problems(xlsx([[*HEAD, "不可值班时间"], ["甲", "A", cell]]))
    quoted = ["明天", "2027-02-30", "2027-03-14 24:00-02:00", "2027-03-14 08:00-25:00"]
    assert [w for w, _ in found] == ["人员!C2"] * 4
    assert [en.split('"')[1] for _, en in found] == quoted


@pytest.mark.parametrize(("cell", "expected"), [(8, 8.0), (0, 0.0), ("12.5", 12.5), (None, None)])
def test_max_hours(xlsx: MakeXlsx, cell: object, expected: float | None) -> None:
    assert one(xlsx([[*HEAD, "最多小时"], ["甲", "A", cell]])).max_hours == expected


@pytest.mark.parametrize("cell", [-1, "八", "nan"])
def test_bad_max_hours(xlsx: MakeXlsx, cell: object) -> None:
    ((where, en),) = problems(xlsx([[*HEAD, "最多小时"], ["甲", "A", cell]]))
    assert (where, en.split('"')[1]) == ("人员!C2", str(cell))


# --- leave and preferences sheets ----------------------------------------------------

STAFF_ROWS = [
    ["编号", *HEAD],
    ["P1", "张伟", "岑城所"],
    ["P2", "张伟", "南渡所"],
    ["P3", "王芳", "A"],
]


def test_leave_sheet_adds_absences(xlsx: MakeXlsx) -> None:
    leave = [
        ["请假登记"],
        ["姓名", "编号", "日期", "开始", "结束", "原因"],
        ["王芳", None, dt.datetime(2027, 3, 14), dt.time(8), dt.time(12), "病假"],
        [None, "P2", "2027-03-15", "20:00", "24:00", None],
        [None, "P1", "2027-03-14", "22:00", dt.time(2), "夜间就医"],
        ["王芳", None, "2027/3/15", None, None, "事假"],
    ]
    staff = read_staff(xlsx(STAFF_ROWS, sheets={"请假": leave}))
    by_id = staff.by_id()
    assert by_id["P3"].absences == (
        Absence(D14, 480, 720, reason="病假", source="请假!C3"),
        Absence(D15, reason="事假", source="请假!C6"),
    )
    assert by_id["P2"].absences == (Absence(D15, 1200, 1440, source="请假!C4"),)
    # start 22:00, end 02:00: past midnight into the 15th
    assert by_id["P1"].absences == (Absence(D14, 1320, 120, reason="夜间就医", source="请假!C5"),)


def test_leave_sheet_problems(xlsx: MakeXlsx) -> None:
    leave = [
        ["姓名", "编号", "日期", "开始", "结束"],
        ["张伟", None, "2027-03-14"],
        ["李四", None, "2027-03-14"],
        [None, "P9", "2027-03-14"],
        ["王芳", "P1", "2027-03-14"],
        ["王芳", None, "3月14日"],
        ["王芳", None, "2027-03-14", "8点"],
    ]
    found = problems(xlsx(STAFF_ROWS, sheets={"leave": leave}))
    assert [w for w, _ in found] == [
        "leave!A2",
        "leave!A3",
        "leave!B4",
        "leave!A5",
        "leave!C6",
        "leave!D7",
        "leave!E7",
    ]
    assert "编号" in found[0][1]
    assert "P1" in found[0][1]
    assert "P2" in found[0][1]


def test_preferences_sheet_adds_wishes(xlsx: MakeXlsx) -> None:
    prefs = [
        ["编号", "姓名", "日期", "班次", "意愿", "权重"],
        ["P1", None, "2027-03-15", "NIGHT", "避免", 3],
        [None, "王芳", dt.datetime(2027, 3, 14), None, "希望", None],
        ["P2", "张伟", "2027-03-14", "上午", "Prefer", "0.5"],
        [None, "王芳", "2027-03-15", "PM", "avoid", None],
    ]
    staff = read_staff(xlsx(STAFF_ROWS, sheets={"意愿": prefs}))
    assert staff.wishes == (
        Wish("P1", D15, "NIGHT", WishKind.AVOID, 3.0, "意愿!C2"),
        Wish("P3", D14, None, WishKind.PREFER, 1.0, "意愿!C3"),
        Wish("P2", D14, "上午", WishKind.PREFER, 0.5, "意愿!C4"),
        Wish("P3", D15, "PM", WishKind.AVOID, 1.0, "意愿!C5"),
    )


def test_preferences_sheet_problems(xlsx: MakeXlsx) -> None:
    prefs = [
        ["name", "date", "shift", "wish", "weight"],
        ["王芳", "2027-03-15", "NIGHT", "maybe", None],
        ["王芳", "2027-03-15", "NIGHT", "希望", -1],
        ["张伟", "2027-03-15", None, "希望", None],
        ["王芳", None, None, "希望", None],
    ]
    found = problems(xlsx(STAFF_ROWS, sheets={"preferences": prefs}))
    assert [w for w, _ in found] == [
        "preferences!D2",
        "preferences!E3",
        "preferences!A4",
        "preferences!B5",
    ]


# --- CSV -----------------------------------------------------------------------------

CSV_TEXT = "姓名,单位,手机,技能\n张伟,岑城市场监管所,07741234567,坐席、转办\n王芳,南渡所,1380013,\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(CSV_TEXT.replace("1380013", "13800138000").encode(encoding))
    staff = read_staff(path)
    assert [(p.name, p.unit, p.phone) for p in staff] == [
        ("张伟", "岑城市场监管所", "07741234567"),
        ("王芳", "南渡所", "13800138000"),
    ]
    assert staff.people[0].skills == {"坐席", "转办"}


def test_csv_problems_name_the_file_as_sheet(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(CSV_TEXT.encode("gbk"))
    assert [w for w, _ in problems(path)] == ["staff.csv!C3"]


# --- whole-file behaviour ------------------------------------------------------------


def test_every_problem_is_reported_at_once(xlsx: MakeXlsx) -> None:
    rows = [
        ["编号", "姓名", "单位", "性别", "手机", "不可值班时间", "最多小时"],
        ["P1", "甲", "A", "男", "13800138000", None, None],
        ["P1", "乙", None, "X", "1380013", "soon", -2],
        ["P3", None, "A"],
    ]
    prefs = [["姓名", "日期", "意愿"], ["丙", "2027-03-14", "希望"]]
    assert [w for w, _ in problems(xlsx(rows, sheets={"意愿": prefs}))] == [
        "人员!A3",
        "人员!C3",
        "人员!D3",
        "人员!E3",
        "人员!F3",
        "人员!G3",
        "人员!B4",
        "意愿!A2",
    ]


def test_missing_unit_column_names_the_header_row(xlsx: MakeXlsx) -> None:
    assert problems(xlsx([["名单"], ["姓名", "手机"], ["甲", "13800138000"]])) == [
        ("人员!2:2", "header row 2 has no unit column (单位, 所属单位, 部门, 科室, 股室, unit)")
    ]


def test_no_header_row(xlsx: MakeXlsx) -> None:
    ((where, en),) = problems(xlsx([["人名", "单位"], ["甲", "A"]]))
    assert where == "人员"
    assert "name" in en


def test_duplicate_ids_are_reported_at_the_cell(xlsx: MakeXlsx) -> None:
    found = problems(xlsx([["工号", *HEAD], [7, "甲", "A"], [None, "乙", "A"], [7.0, "丙", "B"]]))
    assert found == [("人员!A4", 'id "7" is used twice (also 人员!A2)')]


def test_row_order_default_clashing_with_an_explicit_id(xlsx: MakeXlsx) -> None:
    found = problems(xlsx([["编号", *HEAD], [None, "甲", "A"], ["1", "乙", "A"]]))
    assert [w for w, _ in found] == ["人员!A2"]


def test_duplicate_header_column(xlsx: MakeXlsx) -> None:
    found = problems(xlsx([["姓名", "单位", "姓名"], ["甲", "A", "乙"]]))
    assert [w for w, _ in found] == ["人员!C1"]


def test_earlier_alias_in_the_spec_wins_whatever_the_column_order(xlsx: MakeXlsx) -> None:
    rows = [["序号", "工号", *HEAD, "手机", "电话"], [1, "G7", "甲", "A", "13800138000", "2345678"]]
    person = one(xlsx(rows))
    assert (person.id, person.phone) == ("G7", "13800138000")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7.0, "7"),
        (13800138000.0, "13800138000"),
        (7.5, "7.5"),
        (7, "7"),
        ("  7 ", "7"),
        (None, ""),
        (dt.datetime(2027, 3, 14), "2027-03-14"),
        (dt.time(8, 30), "08:30"),
        (ZeroPadded(7, 3), "007"),
    ],
)
def test_cell_text(value: object, expected: str) -> None:
    assert as_text(value) == expected


def test_24_00_ends_a_range_but_never_starts_one() -> None:
    assert (parse_minute("24:00"), parse_minute("24:00", end=True)) == (None, 1440)
    assert (as_minute(dt.timedelta(days=1)), as_minute(dt.timedelta(days=1), end=True)) == (
        None,
        1440,
    )


def test_empty_sheet_is_a_problem(xlsx: MakeXlsx) -> None:
    assert [w for w, _ in problems(xlsx([HEAD]))] == ["人员"]


@pytest.mark.parametrize("name", ["missing.xlsx", "old.xls", "broken.xlsx", "dir.xlsx"])
def test_unreadable_files_name_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "old.xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0")
    elif name == "broken.xlsx":
        path.write_bytes(b"not a zip")
    elif name == "dir.xlsx":
        path.mkdir()
    ((where, _),) = problems(path)
    assert where == str(path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("good", [True, False])
def test_input_file_is_unchanged(xlsx: MakeXlsx, tmp_path: Path, good: bool) -> None:
    phone = "13800138000" if good else "1380013"
    leave = [["姓名", "日期"], ["甲", "2027-03-14"]]
    paths = [xlsx([[*HEAD, "手机"], ["甲", "A", phone]], sheets={"请假": leave})]
    paths.append(tmp_path / "staff.csv")
    paths[1].write_bytes(f"姓名,单位,手机\n甲,A,{phone}\n".encode("gbk"))
    for path in paths:
        before, mtime = digest(path), path.stat().st_mtime_ns
        if good:
            assert len(read_staff(path)) == 1
        else:
            assert problems(path)
        assert (digest(path), path.stat().st_mtime_ns) == (before, mtime)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv", "staff.xlsx"]


# --- round trip ----------------------------------------------------------------------

COLUMNS = ["id", "name", "unit", "title", "gender", "phone", "skills", "cert", "unavailable"]
COLUMNS += ["max_hours", "note"]
CJK = "张王李赵刘陈杨黄周吴伟芳娜敏静丽强磊军洋"


@st.composite
def absences(draw: st.DrawFn) -> tuple[Absence, str]:
    """An absence and how it is written."""
    date = draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
    form = draw(st.sampled_from(["date", "slash", "range", "block"]))
    if form in ("date", "slash"):
        text = date.isoformat() if form == "date" else f"{date.year}/{date.month}/{date.day}"
        return Absence(date), text
    if form == "block":
        block = draw(st.sampled_from(["AM", "NIGHT", "夜班", "B_2"]))
        return Absence(date, block=block), f"{date.isoformat()} {block}"
    start = draw(st.integers(0, 47)) * 30
    end = draw(st.integers(start // 30 + 1, 48)) * 30
    text = f"{date.isoformat()} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
    return Absence(date, start, end), text


@st.composite
def people(draw: st.DrawFn) -> list[tuple[Person, dict[str, object]]]:
    """People with unique ids, each with the cells it is written as."""
    count = draw(st.integers(1, 6))
    ids = draw(
        st.lists(
            st.from_regex(r"P[0-9]{1,4}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    found = []
    for staff_id in ids:
        name = draw(st.text(CJK, min_size=2, max_size=3))
        gender, gender_cell = draw(
            st.sampled_from([("", None), ("男", "M"), ("女", "女"), ("女", "female")])
        )
        mobile = draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
        phone = draw(st.sampled_from(["", mobile, "0774-2345678"]))
        phone_cell: object = int(phone) if phone == mobile and draw(st.booleans()) else phone
        skills = draw(st.frozensets(st.sampled_from(["坐席", "转办", "带班", "驾驶员"])))
        separator = draw(st.sampled_from([",", "，", "、", ";", "；", "/", " ", "\u3000"]))
        cert = draw(st.sampled_from(["", "4500123", "桂执字01号"]))
        cert_cell: object = int(cert) if cert.isdigit() and draw(st.booleans()) else cert
        drawn = draw(st.lists(absences(), max_size=3))
        max_hours = draw(st.one_of(st.none(), st.integers(0, 40).map(float)))
        note = draw(st.text(st.characters(codec="utf-8", categories=["L", "N"]), max_size=8))
        person = Person(
            id=staff_id,
            name=name,
            unit=draw(st.sampled_from(["岑城所", "南渡所", "12315投诉举报中心"])),
            title=draw(st.sampled_from(["", "所长", "科员"])),
            gender=gender,
            phone=phone,
            skills=skills,
            cert=cert,
            absences=tuple(a for a, _ in drawn),
            max_hours=max_hours,
            note=note,
        )
        cells = {
            "id": staff_id,
            "name": name,
            "unit": person.unit,
            "title": person.title,
            "gender": gender_cell,
            "phone": phone_cell,
            "skills": separator.join(sorted(skills)),
            "cert": cert_cell,
            "unavailable": "; ".join(text for _, text in drawn),
            "max_hours": max_hours,
            "note": note,
        }
        found.append((person, cells))
    return found


def write_staff(
    path: Path, rows: list[dict[str, object]], aliases: dict[str, str], banner: int
) -> int:
    """Writes the staff rows under ``banner`` title rows; returns the header's row number."""
    book = Workbook()
    ws = book.active
    ws.title = "人员"
    for i in range(banner):
        ws.append([f"值班人员名单 {i}"])
    ws.append([aliases[c] for c in COLUMNS])
    for cells in rows:
        ws.append([cells[c] if cells[c] != "" else None for c in COLUMNS])
    book.save(path)
    return banner + 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=people(),
    aliases=st.fixed_dictionaries({f: st.sampled_from(ALIASES[f]) for f in COLUMNS}),
    banner=st.integers(0, 2),
)
def test_written_staff_reads_back_equal(
    tmp_path_factory: pytest.TempPathFactory,
    drawn: list[tuple[Person, dict[str, object]]],
    aliases: dict[str, str],
    banner: int,
) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / "staff.xlsx"
    header = write_staff(path, [cells for _, cells in drawn], aliases, banner)
    unavailable = f"人员!{'ABCDEFGHIJK'[COLUMNS.index('unavailable')]}"
    expected = Staff(
        tuple(
            Person(
                **{
                    f: getattr(p, f)
                    for f in Person.__dataclass_fields__
                    if f not in ("absences", "row")
                },
                absences=tuple(
                    Absence(a.date, a.start, a.end, a.block, source=f"{unavailable}{header + i}")
                    for a in p.absences
                ),
                row=header + i,
            )
            for i, (p, _) in enumerate(drawn, start=1)
        ),
        source=str(path),
    )
    assert read_staff(path) == expected
