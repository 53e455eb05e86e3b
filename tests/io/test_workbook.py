"""The output workbook (SPEC §5): sheets, print setup, text safety, atomic writes, read back."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roster.errors import InputError
from roster.io import _wb_sheets
from roster.io.workbook import ASSIGNMENT_COLUMNS, read_roster, write_workbook
from roster.model import Assignment, Roster
from roster.result import Result, SolverParams, StageResult, Status
from tests import _tiny_bureau as tiny

ZH_SHEETS = ["值班总表", "执法应急小分队", "各单位", "个人", "公平性", "值班情况登记表", "说明"]
EN_SHEETS = ["Overview", "Squads", "Units", "People", "Fairness", "Duty log", "Run info"]
INJECTIONS = ["=SUM(A1)", "+86 138 0000 0009", "-2+3", "@cmd", '=HYPERLINK("x")']


@pytest.fixture
def written(tmp_path) -> Path:
    path = tmp_path / "roster.xlsx"
    write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff())
    return path


def values(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def result() -> Result:
    stages = (
        StageResult("max_burden", Status.FEASIBLE, objective=20, bound=19, runtime=1.25),
        StageResult("evenness", Status.OPTIMAL, objective=2000, bound=2000, runtime=0.5),
    )
    return Result(Status.FEASIBLE, tiny.roster(), stages, 1.75, SolverParams(seed=7, workers=1))


# --- sheets ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "names"), [("zh", ZH_SHEETS), ("en", EN_SHEETS)])
def test_all_eight_sheets_in_order(tmp_path, lang, names):
    path = tmp_path / "out.xlsx"
    write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff(), lang=lang)
    assert openpyxl.load_workbook(path).sheetnames == [*names, "assignments"]


def test_assignments_has_exactly_the_spec_columns(written):
    ws = openpyxl.load_workbook(written)["assignments"]
    assert [c.value for c in ws[1]] == list(ASSIGNMENT_COLUMNS)
    spec = "date, block, start, end, post_id, post_name, team, staff_id, name, unit"  # §5
    assert ", ".join(ASSIGNMENT_COLUMNS) == spec
    first = [c.value for c in ws[2]]
    assert first == [
        "2027-03-14",
        "AM",
        "08:00",
        "12:00",
        "hotline",
        "12315专线坐席",
        1,
        "1",
        "张伟",
        tiny.CENTRE,
    ]
    assert ws.max_row == 1 + len(tiny.roster())


def test_round_trip(written):
    assert read_roster(written, tiny.plan()) == tiny.roster()
    assert read_roster(written) == tiny.roster()  # written in print order


def _places():
    return [(d, slot) for d in tiny.plan().demands() for slot in range(d.size)]


@st.composite
def rosters(draw) -> Roster:
    people = {p.id: p for p in tiny.staff()}
    chosen = draw(st.lists(st.sampled_from(_places()), unique=True, max_size=20))
    duties = []
    for demand, _ in chosen:
        staff_id = draw(st.sampled_from([None, *people]))
        unit = people[staff_id].unit if staff_id else (demand.unit or "")
        duties.append(
            Assignment(demand.date, demand.block, demand.post.id, demand.team, staff_id, unit)
        )
    return Roster.sorted(duties, tiny.plan())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters())
def test_round_trip_of_any_roster(roster):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.xlsx"
        write_workbook(path, roster, tiny.plan(), tiny.staff())
        assert read_roster(path, tiny.plan()) == roster


# --- overview --------------------------------------------------------------------------


def test_overview_is_printable(written):
    ws = openpyxl.load_workbook(written)["值班总表"]
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,  # 9: A4
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "C4"
    assert ws["C5"].border.left.style == "thin"


def test_overview_cells(written):
    ws = openpyxl.load_workbook(written)["值班总表"]
    assert ws["A1"].value == tiny.plan().title
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    heads = [ws.cell(row=3, column=c).value for c in range(1, 8)]
    # the leader first; the per_unit post a column per office; the team post last
    assert heads[:3] == ["日期", "时段", "带班领导\n全天 08:00–24:00"]
    assert heads[3:6] == ["12315专线坐席", "基层所值班\n甲所", "基层所值班\n乙所"]
    assert heads[6].startswith("执法应急小分队")
    # rows: the 14th AM, PM, NIGHT (4-6), the 15th (7-9); day-long posts span the date
    assert [ws.cell(row=r, column=2).value.split("\n")[0] for r in range(4, 10)] == [
        "上午",
        "下午",
        "晚上",
    ] * 2
    assert ws["C4"].value == "陈刚 0774-8888888"
    assert "C4:C6" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["D4"].value == "张伟 13800000001"
    assert ws["D4"].alignment.wrap_text
    assert (ws["E6"].value, ws["F6"].value) == ("周敏 13800000006", "【空缺】")
    assert ws["F9"].value == "刘洋 +86 138 0000 0004"
    assert ws["G7"].value == "第1队：王芳\n第2队：【空缺】"
    assert ws["E4"].value is None  # the office has no AM duty


def test_overview_folds_many_offices_into_one_column(tmp_path):
    offices = tuple(f"第{i}所" for i in range(12))
    plan = tiny.plan()
    office = dataclasses.replace(plan.post("office"), per_unit=(*offices, tiny.OFFICE_A))
    plan = dataclasses.replace(
        plan, posts=tuple(office if p.id == "office" else p for p in plan.posts)
    )
    path = tmp_path / "wide.xlsx"
    write_workbook(path, tiny.roster(), plan, tiny.staff())
    ws = openpyxl.load_workbook(path)["值班总表"]
    assert ws.max_column == 6
    # 乙所 is no longer listed, so its (unfilled) place comes after the listed offices
    assert ws["E6"].value == "甲所：周敏 13800000006\n乙所：【空缺】"


# --- the other sheets ------------------------------------------------------------------


def test_squads_list_members_with_certificates(written):
    ws = openpyxl.load_workbook(written)["执法应急小分队"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[3:] for r in rows] == [
        ["第1队", "王芳", "G-0003", "13800000003", tiny.OFFICE_A],
        ["第2队", "刘洋", "G-0004", "+86 138 0000 0004", tiny.OFFICE_B],
        ["第1队", "王芳", "G-0003", "13800000003", tiny.OFFICE_A],
        ["第2队", "【空缺】", None, None, None],
    ]


def test_units_each_on_its_own_page(written):
    ws = openpyxl.load_workbook(written)["各单位"]
    headings = [
        c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("单位：")
    ]
    assert [h.split("：")[1].split("（")[0] for h in headings] == [
        tiny.CENTRE,
        tiny.OFFICE_A,
        tiny.OFFICE_B,
        tiny.LEADERS,
        tiny.ADMIN,
        "未定",  # the unfilled squad place: the squad is open to several units
    ]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == 5
    # each page starts with the plan's title, right after a break
    assert all(ws.cell(row=b + 1, column=1).value == tiny.plan().title for b in breaks)
    assert "【空缺】" in values(ws)  # 乙所 must still staff its office on the 14th


def test_people_in_time_order(written):
    ws = openpyxl.load_workbook(written)["个人"]
    assert [c.value for c in ws[2]] == [
        "单位",
        "编号",
        "姓名",
        "电话",
        "日期",
        "时段",
        "开始",
        "结束",
        "岗位",
        "队",
        "备注",
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    zhang = [(r[4], r[5]) for r in rows if r[1] == "1"]
    assert zhang == [("2027-03-14", "上午"), ("2027-03-14", "晚上"), ("2027-03-15", "下午")]
    assert [r[2] for r in rows[-2:]] == ["【空缺】", "【空缺】"]


def test_notes_are_carried_into_the_people_and_unit_sheets(tmp_path):
    # SPEC §2.1: 备注 is carried through, to where a coordinator sends and reads duties.
    notes = {"1": "哺乳期，夜班前请先电话确认", "3": "=不是公式"}
    people = tuple(dataclasses.replace(p, note=notes.get(p.id, "")) for p in tiny.staff().people)
    path = tmp_path / "out.xlsx"
    write_workbook(
        path, tiny.roster(), tiny.plan(), dataclasses.replace(tiny.staff(), people=people)
    )
    book = openpyxl.load_workbook(path)
    ws = book["个人"]
    assert ws.cell(row=2, column=11).value == "备注"
    assert ws.auto_filter.ref.startswith("A2:K")
    by_id = {r[1]: r[10] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert (by_id["1"], by_id["3"], by_id["2"]) == (notes["1"], notes["3"], None)
    ws = book["各单位"]
    label_rows = [r for r in ws.iter_rows(values_only=True) if r[0] == "日期"]
    assert all(r[8] == "备注" for r in label_rows)
    found = {(r[6], r[8]) for r in ws.iter_rows(values_only=True) if r[6] in ("张伟", "王芳")}
    assert found == {("张伟", notes["1"]), ("王芳", notes["3"])}
    cell = next(c for row in ws.iter_rows() for c in row if c.value == notes["3"])
    assert cell.data_type == "s"  # written as text, not a formula


def test_fairness_sheet(tmp_path):
    path = tmp_path / "out.xlsx"
    write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff(), result=result())
    ws = openpyxl.load_workbook(path)["公平性"]
    summary = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(4, 14)}
    assert summary["最大负担"] == 20
    assert summary["最大负担：求解器证明的下界"] == 19
    assert summary["最大负担：与下界的差距"] == "5.00%"  # (20 - 19) / 20
    assert summary["空缺岗位数"] == 2
    names = [c.value for c in ws["C"]]
    start = names.index("姓名") + 1
    assert names[start : start + 7] == ["李娜", "王芳", "陈刚", "张伟", "刘洋", "周敏", "孙丽"]
    assert len(ws._charts) == 2


def test_duty_log_rows_and_blank_columns(written):
    ws = openpyxl.load_workbook(written)["值班情况登记表"]
    assert [c.value for c in ws[3]] == [
        "日期",
        "时段",
        "岗位",
        "值班人",
        "来电数",
        "投诉数",
        "转办数",
        "处置情况",
        "值班人签名",
    ]
    rows = list(ws.iter_rows(min_row=4))
    # hotline 3 blocks + office 2 units + leader + squad, on 2 dates
    assert len(rows) == (3 + 2 + 1 + 1) * 2
    assert all(c.value is None and c.border.bottom.style == "thin" for r in rows for c in r[4:])
    assert "基层所值班\n乙所" in [r[2].value for r in rows]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$3"


def test_run_info(tmp_path):
    staff_file = tmp_path / "staff.xlsx"
    staff_file.write_bytes(b"not really a workbook")
    path = tmp_path / "out.xlsx"
    write_workbook(
        path,
        tiny.roster(),
        tiny.plan(),
        tiny.staff(),
        result=result(),
        inputs={"staff": staff_file},
    )
    text = values(openpyxl.load_workbook(path)["说明"])
    assert hashlib.sha256(b"not really a workbook").hexdigest() in text
    assert "staff.xlsx" in text
    assert "max_burden → evenness → wishes" in text
    assert "可行（未证明最优）" in text
    rows = list(openpyxl.load_workbook(path)["说明"].iter_rows(values_only=True))
    assert ("max_burden", "可行（未证明最优）", 20, 19, 5.0, 1.25) in rows
    assert ("随机种子", 7, None, None, None, None) in rows
    calendar = next(r for r in rows if r[0] == "calendar")
    assert calendar[2].startswith("休息日（计补休）：2027-03-14；按周六、周日（默认）")


# --- text safety, unfilled places, atomic writes ------------------------------------------


def test_formula_like_text_stays_text(tmp_path):
    people = list(tiny.staff().people)
    people[0] = dataclasses.replace(people[0], name=INJECTIONS[0], phone=INJECTIONS[1])
    people[1] = dataclasses.replace(people[1], name=INJECTIONS[2], cert=INJECTIONS[3])
    staff = dataclasses.replace(tiny.staff(), people=tuple(people), wishes=())
    plan = dataclasses.replace(tiny.plan(), title=INJECTIONS[4])
    path = tmp_path / "out.xlsx"
    write_workbook(path, tiny.roster(), plan, staff)
    workbook = openpyxl.load_workbook(path)
    seen = set()
    for ws in workbook:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    seen.add(cell.value)
    assert {INJECTIONS[0], INJECTIONS[2], INJECTIONS[4]} <= seen
    assert "=SUM(A1) +86 138 0000 0009" in seen  # name and phone in the overview
    data = openpyxl.load_workbook(path, data_only=True)["assignments"]
    assert data["I2"].value == "=SUM(A1)"
    assert read_roster(path, plan) == tiny.roster()


def test_phones_are_text(written):
    ws = openpyxl.load_workbook(written)["个人"]
    phones = {c.value: c.data_type for c in ws["D"][2:]}
    assert phones["0774-8888888"] == "s"
    assert phones["13800000001"] == "s"


def test_unfilled_places_marked_everywhere(tmp_path):
    for lang, marker in (("zh", "【空缺】"), ("en", "[UNFILLED]")):
        path = tmp_path / f"{lang}.xlsx"
        write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff(), lang=lang)
        workbook = openpyxl.load_workbook(path)
        for ws in [*workbook.worksheets[:4], workbook.worksheets[5]]:
            assert any(marker in v for v in values(ws)), ws.title
        data = workbook["assignments"]
        empty = [r for r in data.iter_rows(min_row=2, values_only=True) if r[7] is None]
        assert len(empty) == 2
        assert all(r[8] is None for r in empty)
        assert data["I8"].comment.text == marker  # 乙所's office on the night of the 14th


def test_failed_build_leaves_existing_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"the coordinator's roster")

    def broken(ws, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(_wb_sheets, "build_people", broken)
    with pytest.raises(RuntimeError, match="boom"):
        write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff())
    assert path.read_bytes() == b"the coordinator's roster"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_failed_save_removes_its_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")

    def half_save(self, handle):
        handle.write(b"PK half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", half_save)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff())
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_writing_replaces_an_existing_file(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    write_workbook(path, tiny.roster(), tiny.plan(), tiny.staff())
    assert read_roster(path) == tiny.roster()


# --- reading hand-edited rosters --------------------------------------------------------


def hand_edited(path: Path, rows: list[list], header=ASSIGNMENT_COLUMNS) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Assignments"
    ws = workbook.active
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def test_read_tolerates_hand_edits(tmp_path):
    path = hand_edited(
        tmp_path / "edited.xlsx",
        [
            [
                dt.datetime(2027, 3, 15),
                "AM",
                None,
                None,
                "hotline",
                None,
                "1",
                2.0,
                "李娜",
                "12315中心",
            ],
            [],
            ["2027/3/14", "晚上", "20:00", "24:00", "office", None, 1.0, None, "【空缺】", "乙所"],
            [None, None, None, None, None, None, None, None, None, "  "],
            ["2027-03-14", "DAY", None, None, "squad", None, 2, 4, None, "乙所"],
        ],
    )
    assert read_roster(path, tiny.plan()) == Roster(
        (
            Assignment(tiny.D1, "DAY", "squad", 2, "4", tiny.OFFICE_B),
            Assignment(tiny.D1, "NIGHT", "office", 1, None, tiny.OFFICE_B),
            Assignment(tiny.D2, "AM", "hotline", 1, "2", tiny.CENTRE),
        )
    )


def test_read_csv(tmp_path, written):
    path = tmp_path / "roster.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        for row in openpyxl.load_workbook(written)["assignments"].iter_rows(values_only=True):
            out.writerow(["" if v is None else v for v in row])
    assert read_roster(path, tiny.plan()) == tiny.roster()


def test_read_reports_every_problem_with_its_cell(tmp_path):
    path = hand_edited(
        tmp_path / "bad.xlsx",
        [
            ["2027-03-14", "AM", None, None, "hotline", None, 1, "1", None, "12315中心"],
            ["14 March", "AM", None, None, "hotline", None, 1, "1", None, "12315中心"],
            ["2027-03-14", "MORNING", None, None, "hotline", None, 1, "1", None, "12315中心"],
            ["2027-03-14", "AM", None, None, "hotline", None, "one", "1", None, "12315中心"],
            ["2027-03-14", "AM", None, None, "canteen", None, 1, "1", None, "12315中心"],
            ["2027-03-14", "AM", None, None, "hotline", None, 1, None, "张伟", "12315中心"],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_roster(path, tiny.plan())
    where = [p.where for p in caught.value.problems]
    assert where == [
        "assignments!A3",
        "assignments!B4",
        "assignments!G5",
        "assignments!E6",
        "assignments!H7",
    ]
    assert "MORNING" in caught.value.render("en")
    # without the plan, blocks and posts are not checked
    with pytest.raises(InputError) as caught:
        read_roster(path)
    assert [p.where for p in caught.value.problems] == [
        "assignments!A3",
        "assignments!G5",
        "assignments!H7",
    ]


def test_read_reports_missing_columns_at_once(tmp_path):
    header = [c for c in ASSIGNMENT_COLUMNS if c not in ("team", "unit")]
    path = hand_edited(tmp_path / "bad.xlsx", [], header=header)
    with pytest.raises(InputError) as caught:
        read_roster(path)
    assert [p.render("en") for p in caught.value.problems] == [
        "assignments!A1: missing column team",
        "assignments!A1: missing column unit",
    ]


def test_read_needs_an_assignments_sheet(tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(InputError, match="no sheet named assignments"):
        read_roster(path)
    (tmp_path / "junk.xlsx").write_bytes(b"junk")
    with pytest.raises(InputError, match="cannot read"):
        read_roster(tmp_path / "junk.xlsx")
