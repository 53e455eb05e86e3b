"""The 公平性 sheet: the report's tables, its charts, earlier rosters from the run inputs."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from roster.io.run_info import read_recorded_bound
from roster.io.workbook import write_workbook
from roster.result import Result, SolverParams, StageResult, Status
from tests import _tiny_bureau as tiny


def solved() -> Result:
    stages = (StageResult("max_burden", Status.FEASIBLE, 20.0, 19.0, 1.0),)
    return Result(Status.FEASIBLE, tiny.roster(), stages, 1.0, SolverParams(workers=1))


def column(ws, letter: str) -> list:
    return [c.value for c in ws[letter]]


def write(path: Path, lang: str = "zh", **inputs: Path) -> openpyxl.Workbook:
    write_workbook(
        path, tiny.roster(), tiny.plan(), tiny.staff(), result=solved(), lang=lang, inputs=inputs
    )
    return openpyxl.load_workbook(path)


def test_tables_and_charts(tmp_path):
    ws = write(tmp_path / "out.xlsx")["公平性"]
    first = column(ws, "A")
    for caption in ("各单位：负担占比与可值班人员占比", "可比人员（能担任相同岗位者）之间的公平性",
                    "个人（按负担从高到低）", "意愿（意愿表）"):  # fmt: skip
        assert caption in first
    summary = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(4, 20)}
    assert summary["按人数计算的最大负担下界（任何排班）"] == 26
    assert summary["下界来源"] == "本次求解"
    # The comparables table: group 4 (陈刚 alone leads) is explained in words.
    top = first.index("可比人员（能担任相同岗位者）之间的公平性") + 1
    header = [c.value for c in ws[top + 1]]
    assert header[:4] == ["可比组", "人数", "单位", "可担任"]
    group4 = [c.value for c in ws[top + 5]]
    assert group4[0] == 4
    assert group4[8] == 19
    assert group4[9].startswith("只有 1 人（持有 带班）能担任带班领导")
    assert "李娜" in column(ws, "B")  # the wishes table names people in column B
    assert len(ws._charts) == 2


def test_english_sheet(tmp_path):
    ws = write(tmp_path / "out.xlsx", lang="en")["Fairness"]
    first = column(ws, "A")
    assert "Fairness among comparables (people who could staff the same posts)" in first
    assert "Headcount floor under the largest burden" in first


def test_history_from_the_run_inputs(tmp_path):
    last_year = tmp_path / "2026.csv"
    last_year.write_text(
        "date,block,start,end,post_id,post_name,team,staff_id,name,unit\n"
        "2026-03-15,NIGHT,20:00,24:00,hotline,12315专线坐席,1,2,李娜,12315中心\n",
        encoding="utf-8",
    )
    ws = write(tmp_path / "out.xlsx", history1=last_year)["公平性"]
    labels = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "往期负担" in labels
    assert "累计负担" in labels
    assert "多年累计：最大负担" in labels


def test_run_info_bound_reads_back(tmp_path):
    staff = tmp_path / "staff.xlsx"
    staff.write_bytes(b"staff")
    path = tmp_path / "out.xlsx"
    write(path, staff=staff)
    recorded = read_recorded_bound(path)
    assert recorded is not None
    assert (recorded.objective, recorded.bound, recorded.proven_optimal) == (20, 19, False)
    assert recorded.matches("staff", staff) is True
    staff.write_bytes(b"other staff")
    assert recorded.matches("staff", staff) is False
    assert recorded.matches("plan", staff) is None
    assert read_recorded_bound(tmp_path / "nothing.csv") is None
