"""``roster repair`` (SPEC §1, §6): after the staff list or plan changed, a valid roster that
changes as few duties as possible, every change listed, pins and fixed duties never moved."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from roster.changes import Change, ChangeWhy, describe, diff
from roster.checker import check
from roster.cli import main
from roster.io.inputs import load_inputs
from roster.io.workbook import read_fixed, read_roster, write_workbook
from roster.model import Absence, Assignment, Block, Kind, Person, Plan, Post, Roster, Staff
from roster.result import SolverParams, Status
from solvers import solve
from tests import _small_inputs

DATA = Path(__file__).resolve().parent.parent / "data"
D1, D2 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
FAST = ["--time-limit", "20", "--workers", "1", "--seed", "0"]


# --- the sample bureau: one person falls ill ---------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[Staff, Plan, Roster]:
    staff, plan = load_inputs(DATA / "staff.xlsx", DATA / "duty.toml")
    # Any valid roster will do as the one to repair: the largest burden stage alone is quick.
    quick = dataclasses.replace(plan, stages=(("max_burden",),))
    result = solve(quick, staff, SolverParams(time_limit=10, workers=1, seed=0))
    assert result.roster is not None
    return staff, plan, result.roster


def test_repair_after_new_leave_changes_only_that_persons_duties(
    sample: tuple[Staff, Plan, Roster],
) -> None:
    staff, plan, before = sample
    busiest, held = Counter(a.staff_id for a in before.filled).most_common(1)[0]
    assert busiest is not None
    ill = tuple(Absence(date, reason="病假") for date in plan.dates)
    people = tuple(
        dataclasses.replace(p, absences=p.absences + ill) if p.id == busiest else p
        for p in staff.people
    )
    staff = dataclasses.replace(staff, people=people)
    result = solve(plan, staff, SolverParams(time_limit=20, workers=1, seed=0), previous=before)
    assert result.roster is not None
    assert check(result.roster, plan, staff) == []
    assert result.stages[0].name == "changes"
    assert result.stages[0].status is Status.OPTIMAL  # proven: no roster changes fewer
    changes = diff(before, result.roster, plan, staff)
    assert result.stages[0].objective == len([c for c in changes if c.left]) == held
    assert {c.left for c in changes} == {busiest}
    assert all(c.why is ChangeWhy.UNAVAILABLE and c.taken for c in changes)
    assert not result.roster.of(busiest)


# --- changes, renumbered teams, fixed duties ---------------------------------------------

AM = Block("AM", "上午", 8 * 60, 12 * 60)
DAY = Block("DAY", "全天", 8 * 60, 24 * 60)
PARAMS = SolverParams(time_limit=10, workers=1, seed=0)


def squad_plan() -> Plan:
    squad = Post("s", "小分队", ("DAY",), size=2, teams=2, at_least=(("执法证", 1),),
                 kind=Kind.ONCALL)  # fmt: skip
    return Plan("t", (D1,), (AM, DAY), (squad,))


def squad_staff() -> Staff:
    return Staff(tuple(Person(str(i), f"人{i}", "甲", cert=f"C{i}") for i in range(1, 5)))


def test_renumbered_teams_are_no_change() -> None:
    plan, staff = squad_plan(), squad_staff()
    first = solve(plan, staff, PARAMS).roster
    assert first is not None
    swapped = Roster(tuple(dataclasses.replace(a, team=3 - a.team) for a in first))
    assert diff(first, swapped, plan, staff) == ()
    again = solve(plan, staff, PARAMS, previous=swapped)
    assert again.stages[0].name == "changes"
    assert again.stages[0].objective == 0


def test_a_person_gone_and_a_cancelled_place_are_listed() -> None:
    plan, staff = squad_plan(), squad_staff()
    before = Roster(
        (
            Assignment(D1, "DAY", "s", 1, "1", "甲"),
            Assignment(D1, "DAY", "s", 1, "9", "甲"),  # no longer on the staff list
            Assignment(D1, "AM", "gone", 1, "2", "甲"),  # a post the plan no longer has
        )
    )
    after = Roster(
        (Assignment(D1, "DAY", "s", 2, "1", "甲"), Assignment(D1, "DAY", "s", 1, "3", "甲"))
    )
    changes = diff(before, after, plan, staff)
    assert changes == (
        Change(D1, "AM", "gone", None, 1, "2", None, ChangeWhy.CANCELLED),
        Change(D1, "DAY", "s", None, 1, "9", "3", ChangeWhy.GONE),
    )


def test_a_change_names_namesakes_with_their_ids(tmp_path: Path) -> None:
    plan = squad_plan()
    staff = Staff(
        (
            Person("1", "李娜", "甲", phone="13800000001"),
            Person("2", "李娜", "甲"),
            Person("3", "王芳", "甲"),
        )
    )
    change = Change(D1, "DAY", "s", None, 1, "1", "2", ChangeWhy.UNAVAILABLE)
    assert describe(change, plan, staff).endswith(
        "李娜（1） 13800000001（请假或不可值班）→ 李娜（2）"
    )
    moved = Change(D1, "DAY", "s", None, 1, "1", "3", ChangeWhy.MOVED)
    assert describe(moved, plan, staff).endswith("→ 王芳")
    out = tmp_path / "out.xlsx"
    after = Roster((Assignment(D1, "DAY", "s", 1, "2", "甲"),))
    write_workbook(out, after, plan, staff, changes=(change, moved))
    rows = list(load_workbook(out)["变更"].iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[4]) for r in rows] == [("李娜（1）", "李娜（2）"), ("李娜（1）", "王芳")]


# --- the command line --------------------------------------------------------------------


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("repair")
    staff, plan = _small_inputs.write(folder)
    out = folder / "roster.xlsx"
    code, _, err = run("solve", staff, plan, "-o", out, *FAST)
    assert code == 0, err
    return staff, plan, out


def with_leave(folder: Path, staff_id: str, date: str) -> Path:
    """The small staff list with ``staff_id`` unavailable on ``date``."""
    lines = _small_inputs.STAFF_CSV.splitlines()
    lines[0] += ",不可值班时间"
    lines[1:] = [
        line + (f",{date}" if line.startswith(f"{staff_id},") else ",") for line in lines[1:]
    ]
    path = folder / "staff2.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mark_fixed(roster: Path, out: Path, keep: set[str]) -> Path:
    """A copy of the roster with a 锁定 column ticked for the duties of the people in ``keep``."""
    book = load_workbook(roster)
    sheet = book["assignments"]
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column, value="锁定")
    for row in range(2, sheet.max_row + 1):
        if str(sheet.cell(row=row, column=8).value) in keep:
            sheet.cell(row=row, column=column, value="√")
    book.save(out)
    return out


def test_repair_lists_every_change_and_writes_a_roster_that_passes_check(
    solved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, plan, roster = solved
    before = read_roster(roster)
    ill = next(a.staff_id for a in before.filled if a.post == "hotline" and a.date == D2)
    assert ill is not None
    staff2 = with_leave(tmp_path, ill, "2027-03-15")
    out = tmp_path / "new.xlsx"
    code, stdout, err = run("repair", roster, staff2, plan, "-o", out, *FAST)
    assert code == 0, err
    name = {"C1": "张伟", "C2": "李娜", "C3": "王芳"}[ill]
    duties = [a for a in before.filled if a.staff_id == ill and a.date == D2]
    assert f"共 {len(duties)} 处变更" in stdout
    assert stdout.count(f"{name} 1380000000{ill[-1]}（请假或不可值班）→ ") == len(duties)
    book = load_workbook(out, read_only=True)
    assert book.sheetnames[0] == "变更"
    cells = [c for row in book["变更"].iter_rows(values_only=True) for c in row]
    assert cells.count(name) == len(duties)
    code, stdout, _ = run("check", out, staff2, plan)
    assert code == 0, stdout


def test_fixed_duties_never_move(solved: tuple[Path, Path, Path], tmp_path: Path) -> None:
    staff, plan, roster = solved
    before = read_roster(roster)
    marked = mark_fixed(roster, tmp_path / "marked.xlsx", {"O1"})
    assert {a.staff_id for a in read_fixed(marked)} == {"O1"}
    out = tmp_path / "new.xlsx"
    code, _, err = run("repair", marked, staff, plan, "-o", out, "--fix", "赵强", *FAST)
    assert code == 0, err
    after = read_roster(out)
    for staff_id in ("O1", "L1"):
        kept = {(a.date, a.block, a.post, a.team) for a in before.filled if a.staff_id == staff_id}
        now = {(a.date, a.block, a.post, a.team) for a in after.filled if a.staff_id == staff_id}
        assert kept == now


def test_a_fixed_duty_of_someone_now_on_leave_is_explained_not_moved(
    solved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, plan, roster = solved
    assert any(a.staff_id == "L1" and a.date == D2 for a in read_roster(roster))
    staff2 = with_leave(tmp_path, "L1", "2027-03-15")
    out = tmp_path / "new.xlsx"
    code, _, err = run("repair", roster, staff2, plan, "-o", out, "--fix", "L1", *FAST)
    assert code == 1
    assert "固定安排：赵强 2027-03-15 全天 带班领导" in err
    assert not out.exists()


def test_repair_speaks_english(solved: tuple[Path, Path, Path], tmp_path: Path) -> None:
    staff, plan, roster = solved
    out = tmp_path / "new.xlsx"
    code, stdout, err = run("repair", roster, staff, plan, "-o", out, "--lang", "en", *FAST)
    assert code == 0, err
    assert "0 change(s):" in stdout
    assert load_workbook(out, read_only=True).sheetnames[0] == "Changes"


def test_fixing_someone_unknown_is_bad_input(
    solved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    staff, plan, roster = solved
    code, _, err = run(
        "repair", roster, staff, plan, "-o", tmp_path / "n.xlsx", "--fix", "X9", *FAST
    )
    assert code == 2
    assert "--fix" in err
