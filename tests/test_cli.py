"""The command line (SPEC §6): exit codes, messages, and what is (never) written.

A 6-person bureau over two dates is solved once per module; tests that edit files work on
copies. Every solve runs with ``--workers 1`` and a fixed seed, so it is deterministic.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook

from roster import app
from roster.cli import main

FAST = ["--time-limit", "10", "--workers", "1", "--seed", "0"]
CENTRE, OFFICE = "12315中心", "甲所"
HEADERS = ["编号", "姓名", "单位", "性别", "手机", "技能", "执法证号", "不可值班时间"]
PEOPLE = [
    ["P1", "张伟", CENTRE, "男", "13800000001", "坐席", None, None],
    ["P2", "李娜", CENTRE, "女", "13800000002", "坐席", None, None],
    ["P3", "王芳", CENTRE, "女", "13800000003", "坐席", None, "2027-03-14"],  # on leave the 14th
    ["P4", "刘洋", OFFICE, "男", "13800000004", "带班", "Z-0004", None],
    ["P5", "陈刚", OFFICE, "男", "0774-8888888", None, "Z-0005", None],
    ["P6", "周敏", OFFICE, "女", "13800000006", None, None, None],
]
PLAN = f"""\
title = "测试局值班表"

[period]
dates = ["2027-03-14", "2027-03-15"]

[rules]
max_onsite_hours_per_day = 8
max_hours_total = 12

[[blocks]]
id = "AM"
name = "上午"
start = "08:00"
end = "12:00"

[[blocks]]
id = "PM"
name = "下午"
start = "12:00"
end = "16:00"

[[blocks]]
id = "NIGHT"
name = "晚上"
start = "20:00"
end = "24:00"

[[blocks]]
id = "DAY"
name = "全天"
start = "08:00"
end = "24:00"

[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["AM", "PM", "NIGHT"]
units = ["{CENTRE}"]
require = ["坐席"]
size = 1

[[posts]]
id = "office"
name = "基层所值班"
blocks = ["NIGHT"]
per_unit = ["{OFFICE}"]
size = 1

[[posts]]
id = "leader"
name = "带班领导"
blocks = ["DAY"]
require = ["带班"]
size = 1
kind = "oncall"
weight = 0.5
"""


def write_staff(
    path: Path,
    rows: Sequence[Sequence[object]] = PEOPLE,
    headers: Sequence[str] = HEADERS,
) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_plan(path: Path, text: str = PLAN) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def edited(old: str, new: str, text: str = PLAN) -> str:
    assert old in text
    return text.replace(old, new, 1)


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assignments(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="assignments", dtype=str)


@dataclass(frozen=True)
class Solved:
    folder: Path
    staff: Path
    plan: Path
    roster: Path
    hashes_before: tuple[str, str]
    result: Result


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Solved:
    folder = tmp_path_factory.mktemp("solved")
    staff, plan = write_staff(folder / "staff.xlsx"), write_plan(folder / "duty.toml")
    before = (sha256(staff), sha256(plan))
    out = folder / "roster.xlsx"
    result = run("solve", staff, plan, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    return Solved(folder, staff, plan, out, before, result)


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    return write_staff(tmp_path / "staff.xlsx"), write_plan(tmp_path / "duty.toml")


# --- demo, init, validate ------------------------------------------------------------------


def test_demo_writes_a_roster_that_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = run("demo", "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert out.exists()
    for part in ("状态", "最大负担", "已证明下界", "差距"):
        assert part in result.stdout
    staff, plan = app.sample_paths()
    checked = run("check", out, staff, plan)
    assert checked.exit_code == 0, checked.output
    assert "排班表符合全部规则" in checked.stdout


def test_init_writes_inputs_that_validate(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    staff, plan = folder / "staff.xlsx", folder / "duty.toml"
    assert str(staff) in result.stdout
    assert str(plan) in result.stdout
    validated = run("validate", staff, plan)
    assert validated.exit_code == 0, validated.output
    assert "输入无误" in validated.stdout


def test_init_twice_overwrites_nothing(tmp_path: Path) -> None:
    assert run("init", tmp_path).exit_code == 0
    write_plan(tmp_path / "duty.toml", "# my own plan\n")
    hashes = (sha256(tmp_path / "staff.xlsx"), sha256(tmp_path / "duty.toml"))
    again = run("init", tmp_path, "--lang", "en")
    assert again.exit_code == 2
    assert "not overwritten" in again.output
    assert "Traceback" not in again.output
    assert (sha256(tmp_path / "staff.xlsx"), sha256(tmp_path / "duty.toml")) == hashes
    assert listing(tmp_path) == ["duty.toml", "staff.xlsx"]


def test_validate_reports_the_inputs_in_english(inputs: tuple[Path, Path]) -> None:
    result = run("validate", *inputs, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "inputs are valid: 6 people in 2 units; 3 posts over 2 dates, 10 places to fill."
    )


# --- bad input: exit 2, every problem named, nothing written ---------------------------------

HEADERS_WITHOUT_NAME = [h for h in HEADERS if h != "姓名"]
BAD_INPUTS = {
    "staff without a name column": (
        {"headers": HEADERS_WITHOUT_NAME, "rows": [[*r[:1], *r[2:]] for r in PEOPLE]},
        PLAN,
        "人员: ",
        "姓名",
    ),
    "unknown unit in the plan": (
        {},
        edited(f'per_unit = ["{OFFICE}"]', 'per_unit = ["乙所"]'),
        "duty.toml: posts[1].per_unit",
        "乙所",
    ),
    "malformed time": (
        {},
        edited('end = "12:00"', 'end = "25:00"'),
        "duty.toml: blocks[0].end",
        "25:00",
    ),
    "duplicate id": (
        {"rows": [*PEOPLE, ["P1", "张伟二", CENTRE, "男", "13800000009", None, None, None]]},
        PLAN,
        "人员!A8",
        "P1",
    ),
    "phone with letters": (
        {"rows": [[*PEOPLE[0][:4], "1380000abcd", *PEOPLE[0][5:]], *PEOPLE[1:]]},
        PLAN,
        "人员!E2",
        "1380000abcd",
    ),
    "unknown key in the plan": (
        {},
        edited("size = 1\n", "size = 1\nsizes = 2\n"),
        "duty.toml: posts[0].sizes",
        "sizes",
    ),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_exits_2_naming_the_place_and_writes_nothing(
    tmp_path: Path, command: str, case: tuple[dict, str, str, str]
) -> None:
    staff_kwargs, plan_text, where, what = case
    staff = write_staff(tmp_path / "staff.xlsx", **staff_kwargs)
    plan = write_plan(tmp_path / "duty.toml", plan_text)
    before = listing(tmp_path)
    out = tmp_path / "out.xlsx"
    args = ["-o", out, *FAST] if command == "solve" else []
    result = run(command, staff, plan, *args)
    assert result.exit_code == 2, result.output
    assert where in result.output
    assert what in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()
    assert listing(tmp_path) == before


def test_every_problem_of_both_files_is_listed_at_once(tmp_path: Path) -> None:
    rows = [[*PEOPLE[0][:4], "1380000abcd", *PEOPLE[0][5:]], *PEOPLE[1:], PEOPLE[1]]
    staff = write_staff(tmp_path / "staff.xlsx", rows)
    plan = write_plan(tmp_path / "duty.toml", edited('end = "12:00"', 'end = "25:00"'))
    result = run("validate", staff, plan, "--lang", "en")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("Error: 人员!E2: ")
    assert any(line.startswith("人员!A8: ") for line in lines)
    assert any(line.startswith("duty.toml: blocks[0].end: ") for line in lines)


def test_unknown_blocks_of_good_rows_are_listed_with_the_cell_problems(tmp_path: Path) -> None:
    rows = [[*PEOPLE[0][:4], "1380000abcd", *PEOPLE[0][5:]], *PEOPLE[1:]]
    rows[1] = [*rows[1][:7], "2027-03-15 MORNING"]
    staff = write_staff(tmp_path / "staff.xlsx", rows)
    plan = write_plan(tmp_path / "duty.toml")
    before = listing(tmp_path)
    result = run("solve", staff, plan, "-o", tmp_path / "out.xlsx", "--lang", "en", *FAST)
    assert result.exit_code == 2, result.output
    assert "人员!E2: phone" in result.output
    assert '人员!H3: unknown block "MORNING"' in result.output
    assert listing(tmp_path) == before


def test_bad_input_in_english(tmp_path: Path) -> None:
    staff = write_staff(tmp_path / "staff.xlsx")
    plan = write_plan(tmp_path / "duty.toml", edited("size = 1\n", "size = 1\nsizes = 2\n"))
    result = run("solve", staff, plan, "-o", tmp_path / "out.xlsx", "--lang", "en", *FAST)
    assert result.exit_code == 2
    assert 'duty.toml: posts[0].sizes: unknown key "sizes"' in result.output


@pytest.mark.parametrize("command", ["solve", "validate", "check"])
def test_a_missing_file_is_clicks_usage_error(tmp_path: Path, command: str) -> None:
    staff = write_staff(tmp_path / "staff.xlsx")
    missing = tmp_path / "nowhere.toml"
    args: dict[str, list[object]] = {
        "solve": [staff, missing, "-o", tmp_path / "out.xlsx"],
        "validate": [staff, missing],
        "check": [staff, staff, missing],
    }
    result = run(command, *args[command])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output
    assert listing(tmp_path) == ["staff.xlsx"]


def test_a_file_that_is_not_a_workbook(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    fake = tmp_path / "roster.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    result = run("check", fake, *inputs)
    assert result.exit_code == 2
    assert "roster.xlsx" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("which", ["staff", "plan"])
def test_the_output_never_overwrites_an_input(inputs: tuple[Path, Path], which: str) -> None:
    staff, plan = inputs
    target = staff if which == "staff" else plan
    before = sha256(target)
    result = run("solve", staff, plan, "-o", target, *FAST)
    assert result.exit_code == 2
    assert "输出文件不能覆盖输入" in result.output
    assert sha256(target) == before


def test_an_output_in_a_missing_folder_is_refused(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    result = run("solve", *inputs, "-o", tmp_path / "no" / "out.xlsx", "--lang", "en", *FAST)
    assert result.exit_code == 2
    assert "no such folder" in result.output
    assert "Traceback" not in result.output


def test_an_unwritable_output_is_bad_usage_not_a_traceback(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / f"{'名' * 100}.xlsx"  # 300 bytes: longer than a file name may be
    result = run("solve", *inputs, "-o", out, "--lang", "en", *FAST)
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output
    assert "Traceback" not in result.output
    assert listing(tmp_path) == ["duty.toml", "staff.xlsx"]


@pytest.mark.parametrize("command", ["solve", "demo", "repair"])
@pytest.mark.parametrize("name", ["out.csv", "out", "out.xls", "out.xlsx.bak"])
def test_an_output_that_is_not_xlsx_is_bad_usage(
    solved: Solved, tmp_path: Path, command: str, name: str
) -> None:
    out = tmp_path / name
    inputs = [solved.staff, solved.plan]
    args = {"solve": inputs, "demo": [], "repair": [solved.roster, *inputs]}[command]
    result = run(command, *args, "-o", out, "--lang", "en", *FAST)
    assert result.exit_code == 2, result.output
    assert f"-o/--output must name an .xlsx file (the roster is an Excel workbook): {out}" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert listing(tmp_path) == []
    zh = run(command, *args, "-o", out, *FAST)
    assert zh.exit_code == 2
    assert "-o/--output 须为 .xlsx 文件" in zh.output


def test_an_upper_case_xlsx_output_is_fine(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "ROSTER.XLSX"
    assert run("solve", *inputs, "-o", out, *FAST).exit_code == 0
    assert out.exists()


def test_init_into_a_path_under_a_file_is_bad_usage(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = run("init", tmp_path / "file" / "sub", "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output
    assert "Traceback" not in result.output


# --- solve -----------------------------------------------------------------------------------


def test_solve_writes_a_roster_and_reports_its_quality(solved: Solved) -> None:
    out = solved.result.stdout
    assert f"已写入 {solved.roster}" in out
    assert "状态：最优（已证明）" in out
    for part in ("最大负担", "已证明下界", "差距"):
        assert part in out
    frame = assignments(solved.roster)
    assert list(frame.columns) == [
        "date", "block", "start", "end", "post_id", "post_name", "team", "staff_id", "name", "unit",
    ]  # fmt: skip
    assert len(frame) == 10
    assert frame["staff_id"].notna().all()


def test_solve_leaves_its_inputs_untouched(solved: Solved) -> None:
    assert (sha256(solved.staff), sha256(solved.plan)) == solved.hashes_before
    assert listing(solved.folder) == ["duty.toml", "roster.xlsx", "staff.xlsx"]


def test_the_same_inputs_and_seed_give_the_same_roster(solved: Solved, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    result = run("solve", solved.staff, solved.plan, "-o", again, *FAST)
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(assignments(again), assignments(solved.roster))


def test_solve_speaks_english(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = run("solve", *inputs, "-o", out, "--lang", "en", *FAST)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout
    assert "status: optimal (proven)" in result.stdout
    assert "largest burden" in result.stdout
    assert "proven bound" in result.stdout
    assert "assignments" in load_workbook(out, read_only=True).sheetnames


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "无法排班"), ("en", "no roster possible")],
)
def test_an_infeasible_plan_exits_1_and_writes_nothing(
    tmp_path: Path, lang: str, message: str
) -> None:
    staff = write_staff(tmp_path / "staff.xlsx")
    # Three hotline seats per block, but only two centre people on the 14th.
    plan = write_plan(tmp_path / "duty.toml", edited("size = 1\n", "size = 3\n"))
    before = listing(tmp_path)
    out = tmp_path / "out.xlsx"
    result = run("solve", staff, plan, "-o", out, "--lang", lang, *FAST)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert listing(tmp_path) == before


EARLY_PLAN = f"""\
title = "凌晨值守"

[period]
dates = ["2027-03-14", "2027-03-15"]

[[blocks]]
id = "EARLY"
name = "凌晨"
start = "00:00"
end = "04:00"

[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["EARLY"]
units = ["{CENTRE}"]
size = 1

[[pins]]
staff = "P2"
post = "hotline"
date = "2027-03-14"
block = "EARLY"
"""


@pytest.mark.parametrize("sheet", ["人员", "请假"])
def test_unavailability_past_midnight_keeps_the_person_off_the_next_morning(
    tmp_path: Path, sheet: str
) -> None:
    """22:00-02:00 on the 14th covers the 15th until 02:00, so 00:00-04:00 that day too."""
    away = "2027-03-14 22:00-02:00" if sheet == "人员" else None
    rows = [[*PEOPLE[0][:7], away], [*PEOPLE[1][:7], None]]
    staff = write_staff(tmp_path / "staff.xlsx", rows)
    if sheet == "请假":
        book = load_workbook(staff)
        book.create_sheet("请假").append(["编号", "日期", "开始", "结束"])
        book["请假"].append(["P1", "2027-03-14", "22:00", "02:00"])
        book.save(staff)
    plan = write_plan(tmp_path / "duty.toml", EARLY_PLAN)
    out = tmp_path / "out.xlsx"
    result = run("solve", staff, plan, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    frame = assignments(out)
    on_duty = dict(zip(frame["date"], frame["staff_id"], strict=True))
    # P2 is pinned on the 14th, so fairness alone would give P1 the 15th
    assert on_duty == {"2027-03-14": "P2", "2027-03-15": "P2"}
    assert run("check", out, staff, plan).exit_code == 0


# --- check -----------------------------------------------------------------------------------


def test_check_accepts_the_solved_roster(solved: Solved) -> None:
    result = run("check", solved.roster, solved.staff, solved.plan, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "the roster obeys every rule" in result.stdout


def hand_edit(
    solved: Solved, target: Path, post: str, date: str, block: str, staff_id: str
) -> None:
    """Copy the solved roster to ``target`` with one person replaced in its assignments."""
    shutil.copy(solved.roster, target)
    book = load_workbook(target)
    sheet = book["assignments"]
    head = [cell.value for cell in sheet[1]]
    col = {name: i for i, name in enumerate(head)}
    rows = [
        row
        for row in sheet.iter_rows(min_row=2)
        if (row[col["post_id"]].value, row[col["date"]].value, row[col["block"]].value)
        == (post, date, block)
    ]
    assert len(rows) == 1
    rows[0][col["staff_id"]].value = staff_id
    book.save(target)


def test_check_lists_someone_rostered_while_on_leave(solved: Solved, tmp_path: Path) -> None:
    edited_roster = tmp_path / "edited.xlsx"
    hand_edit(solved, edited_roster, "hotline", "2027-03-14", "AM", "P3")
    zh = run("check", edited_roster, solved.staff, solved.plan)
    assert zh.exit_code == 1
    assert "王芳(P3) 不可值班（2027-03-14 全天）" in zh.stdout
    assert "处违反规则" in zh.output
    en = run("check", edited_roster, solved.staff, solved.plan, "--lang", "en")
    assert en.exit_code == 1
    assert "王芳(P3) is unavailable (2027-03-14 all day)" in en.stdout
    assert "violations." in en.output
    assert "Traceback" not in en.output


def test_check_lists_someone_in_two_places_at_once(solved: Solved, tmp_path: Path) -> None:
    # 刘洋 (P4), the only leader, is on call all day; put him on the office night too.
    edited_roster = tmp_path / "edited.xlsx"
    hand_edit(solved, edited_roster, "office", "2027-03-15", "NIGHT", "P4")
    result = run("check", edited_roster, solved.staff, solved.plan, "--lang", "en")
    assert result.exit_code == 1
    assert "刘洋(P4) holds" in result.stdout
    assert "overlapping times" in result.stdout


def test_check_of_a_roster_naming_an_unknown_post_is_bad_input(
    solved: Solved, tmp_path: Path
) -> None:
    edited_roster = tmp_path / "edited.xlsx"
    shutil.copy(solved.roster, edited_roster)
    book = load_workbook(edited_roster)
    book["assignments"]["E2"] = "nope"
    book.save(edited_roster)
    result = run("check", edited_roster, solved.staff, solved.plan, "--lang", "en")
    assert result.exit_code == 2
    assert 'assignments!E2: unknown post "nope"' in result.output
    assert "Traceback" not in result.output


def test_check_never_changes_the_roster(solved: Solved) -> None:
    before = sha256(solved.roster)
    run("check", solved.roster, solved.staff, solved.plan)
    assert sha256(solved.roster) == before


# --- help ------------------------------------------------------------------------------------


def test_every_command_has_help() -> None:
    assert run("--help").exit_code == 0
    assert main.commands
    for name, command in main.commands.items():
        assert (command.help or "").strip(), f"roster {name} has no help text"
        result = run(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert "Usage: " in result.output
