"""``roster report``: exit codes, the three formats, the bound read back, hand edits, history."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from roster.cli import main
from roster.io.inputs import load_inputs
from roster.io.workbook import write_workbook
from roster.result import Result, SolverParams, StageResult, Status
from tests import _tiny_bureau as tiny
from tests import _tiny_files


def solved() -> Result:
    stages = (StageResult("max_burden", Status.FEASIBLE, 20.0, 19.0, 1.0),)
    return Result(Status.FEASIBLE, tiny.roster(), stages, 1.0, SolverParams(workers=1))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    staff, plan = _tiny_files.write(tmp_path)
    people, duty = load_inputs(staff, plan)
    roster = tmp_path / "roster.xlsx"
    write_workbook(
        roster, tiny.roster(), duty, people, result=solved(), inputs={"staff": staff, "plan": plan}
    )
    return {"staff": staff, "plan": plan, "roster": roster, "dir": tmp_path}


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def report_json(files: dict[str, Path], *extra: object, roster: Path | None = None) -> dict:
    code, out = run(
        "report",
        roster or files["roster"],
        files["staff"],
        files["plan"],
        "--format",
        "json",
        *extra,
    )
    assert code == 0, out
    return json.loads(out)


def test_help_names_the_options():
    code, out = run("report", "--help")
    assert code == 0
    assert all(word in out for word in ("--format", "--history", "--lang", "--table"))


def test_table_in_chinese_and_english(files):
    code, out = run("report", files["roster"], files["staff"], files["plan"])
    assert code == 0, out
    assert "测试局2027年“3·15”值班表" in out
    assert "全员汇总" in out
    assert "可比人员" in out
    assert "李娜" in out
    assert "休息日（计补休）：2027-03-14" in out
    code, out = run("report", files["roster"], files["staff"], files["plan"], "--lang", "en")
    assert code == 0, out
    assert "Fairness report" in out
    assert "Gini coefficient" in out
    assert "traded for fairness or another rule" in out


def test_json_reads_the_bound_back_from_the_run_info(files):
    data = report_json(files)
    summary = data["summary"]
    assert (summary["max"], summary["min"], summary["spread"]) == (20, 14, 6)
    assert summary["gini"] == pytest.approx(74 / 1284, abs=1e-6)
    assert summary["bound"] == 19
    assert summary["gap"] == pytest.approx(0.05)
    assert data["bound"] == {"value": 19.0, "source": "run_info", "other_inputs": False}
    assert [p["id"] for p in data["people"]] == ["2", "3", "5", "1", "4", "6", "7"]
    assert [w["reason"] for w in data["wishes"]] == ["met", "traded", "not_eligible", "met"]


def test_bound_recorded_for_other_inputs_is_flagged(files):
    text = files["plan"].read_text(encoding="utf-8")
    files["plan"].write_text(text + "\n# edited\n", encoding="utf-8")
    data = report_json(files, "--lang", "en")
    assert data["bound"]["other_inputs"] is True
    assert "different staff list or plan" in data["summary"]["bound_note"]


def test_csv_parses(files):
    code, out = run("report", files["roster"], files["staff"], files["plan"], "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7
    by_id = {r["id"]: r for r in rows}
    assert float(by_id["2"]["burden"]) == 20
    assert by_id["7"]["eligible"] == "false"
    code, out = run(
        "report", files["roster"], files["staff"], files["plan"], "--format", "csv",
        "--table", "groups",
    )  # fmt: skip
    assert code == 0, out
    groups = list(csv.DictReader(io.StringIO(out)))
    assert [(g["group"], g["people"], g["bound"]) for g in groups] == [
        ("1", "2", "19.0"),
        ("2", "2", "7.0"),
        ("3", "1", "14.0"),
        ("4", "1", "19.0"),
    ]


def test_report_reflects_a_hand_edit(files):
    # The coordinator gives 李娜's gala night on the hotline to 张伟 by hand.
    workbook = openpyxl.load_workbook(files["roster"])
    sheet = workbook["assignments"]
    head = [c.value for c in sheet[1]]
    col = {name: head.index(name) + 1 for name in head}
    for row in range(2, sheet.max_row + 1):
        cell = lambda name, row=row: sheet.cell(row=row, column=col[name])  # noqa: E731
        if (cell("date").value, cell("block").value, cell("post_id").value) == (
            "2027-03-15",
            "NIGHT",
            "hotline",
        ):
            cell("staff_id").value = "1"
            cell("name").value = "张伟"
    edited = files["dir"] / "edited.xlsx"
    workbook.save(edited)
    data = report_json(files, roster=edited)
    people = {p["id"]: p for p in data["people"]}
    # 张伟 18 + 8 = 26 with 4 gala hours; 李娜 20 - 8 = 12 and now meets her wish.
    assert (people["1"]["burden"], people["1"]["gala_hours"]) == (26, 4)
    assert (people["2"]["burden"], people["2"]["wishes_unmet"]) == (12, 0)
    assert data["summary"]["max"] == 26
    # The run info sheet survived the edit: the bound still holds for these inputs.
    assert data["summary"]["bound"] == 19


def test_a_csv_roster_has_no_bound(files):
    csv_roster = files["dir"] / "roster.csv"
    workbook = openpyxl.load_workbook(files["roster"], read_only=True)
    with open(csv_roster, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in workbook["assignments"].iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    workbook.close()
    data = report_json(files, "--lang", "en", roster=csv_roster)
    assert data["summary"]["bound"] is None
    assert data["summary"]["bound_note"] == "bound unknown for a hand-edited roster"
    code, out = run("report", csv_roster, files["staff"], files["plan"], "--lang", "en")
    assert code == 0
    assert "bound unknown for a hand-edited roster" in out


def test_history_gives_multi_year_totals(files):
    last_year = files["dir"] / "2026.csv"
    last_year.write_text(
        "date,block,start,end,post_id,post_name,team,staff_id,name,unit\n"
        "2026-03-15,NIGHT,20:00,24:00,hotline,12315专线坐席,1,1,张伟,12315中心\n",
        encoding="utf-8",
    )
    data = report_json(files, "--history", last_year)
    people = {p["id"]: p for p in data["people"]}
    assert (people["1"]["history_burden"], people["1"]["total_burden"]) == (8, 26)
    assert people["1"]["total_gala_hours"] == 4
    assert data["summary"]["total_max"] == 26


def test_bad_roster_exits_2(files):
    not_a_roster = files["dir"] / "bad.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "其他"
    workbook.save(not_a_roster)
    code, out = run("report", not_a_roster, files["staff"], files["plan"], "--lang", "en")
    assert code == 2
    assert "no sheet named assignments" in out
    code, _ = run("report", files["dir"] / "missing.xlsx", files["staff"], files["plan"])
    assert code == 2
    code, _ = run("report", files["roster"], files["staff"], files["plan"], "--format", "xml")
    assert code == 2


def test_unknown_post_in_an_edited_roster_exits_2(files):
    workbook = openpyxl.load_workbook(files["roster"])
    sheet = workbook["assignments"]
    head = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=head.index("post_id") + 1).value = "nosuchpost"
    edited = files["dir"] / "edited.xlsx"
    workbook.save(edited)
    code, out = run("report", edited, files["staff"], files["plan"], "--lang", "en")
    assert code == 2
    assert 'unknown post "nosuchpost"' in out


TWO_NIGHTS = """\
title = "两晚"

[period]
dates = ["2027-03-14", "2027-03-15"]

[[blocks]]
id = "NIGHT"
name = "晚上"
start = "20:00"
end = "24:00"

[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["NIGHT"]

[[factors]]
when = "20:00-24:00"
factor = 1.5

[[factors]]
when = "2027-03-15 20:00-24:00"
factor = 2.0
"""


def test_solve_and_report_with_history(tmp_path):
    # Two equals, one seat on two nights: last year's gala-night holder (乙) is spared it.
    plan = tmp_path / "duty.toml"
    plan.write_text(TWO_NIGHTS, encoding="utf-8")
    staff = tmp_path / "staff.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "人员"
    for row in (("编号", "姓名", "单位"), ("A", "甲", "中心"), ("B", "乙", "中心")):
        workbook.active.append(row)
    workbook.save(staff)
    last_year = tmp_path / "2026.csv"
    last_year.write_text(
        "date,block,start,end,post_id,post_name,team,staff_id,name,unit\n"
        "2026-03-15,NIGHT,20:00,24:00,hotline,12315专线坐席,1,B,乙,中心\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.xlsx"
    code, text = run(
        "solve", staff, plan, "-o", out, "--history", last_year, "--workers", 1,
        "--time-limit", 10, "--lang", "en",
    )  # fmt: skip
    assert code == 0, text
    code, text = run("report", out, staff, plan, "--history", last_year, "--format", "json")
    assert code == 0, text
    people = {p["id"]: p for p in json.loads(text)["people"]}
    assert (people["A"]["gala_hours"], people["B"]["gala_hours"]) == (4, 0)
    assert (people["A"]["total_gala_hours"], people["B"]["total_gala_hours"]) == (4, 4)
    # The workbook's own fairness sheet shows last year too: the solve named it an input.
    sheet = openpyxl.load_workbook(out)["Fairness"]
    assert "Total burden" in [c.value for row in sheet.iter_rows() for c in row]
