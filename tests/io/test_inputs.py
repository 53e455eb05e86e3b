"""load_inputs: both files read, checked against each other, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from roster.errors import InputError
from roster.io.inputs import load_inputs
from roster.io.templates import write_templates


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    write_templates(tmp_path)
    return tmp_path / "staff.xlsx", tmp_path / "duty.toml"


def edit_plan(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def wheres(staff: Path, plan: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_inputs(staff, plan)
    return [p.where for p in caught.value.problems]


def test_a_good_pair(pair: tuple[Path, Path]) -> None:
    staff, plan = load_inputs(*pair)
    assert staff.people[0].name == "张伟"
    assert plan.source == "duty.toml"
    assert [p.id for p in plan.posts] == ["hotline", "office", "leader", "squad"]


def test_cross_references_are_checked(pair: tuple[Path, Path]) -> None:
    edit_plan(pair[1], '"消费者权益保护股"]', '"消保股"]')
    edit_plan(pair[1], 'staff = "张伟"', 'staff = "张三"')
    assert wheres(*pair) == ["duty.toml: posts[0].units", "duty.toml: pins[0].staff"]


def test_both_files_problems_together(pair: tuple[Path, Path]) -> None:
    book = load_workbook(pair[0])
    book["人员"]["C2"] = None  # 张伟 without a unit
    book.save(pair[0])
    edit_plan(pair[1], "size = 3", "size = -3")
    found = wheres(*pair)
    assert found[0].startswith("人员!C2")
    assert found[1:] == ["duty.toml: posts[0].size"]


def test_a_missing_staff_file_still_reports_the_plan(pair: tuple[Path, Path]) -> None:
    pair[0].unlink()
    edit_plan(pair[1], 'end = "12:00"', 'end = "25:00"')
    found = wheres(*pair)
    assert len(found) == 2
    assert found[0].endswith("staff.xlsx")
    assert found[1] == "duty.toml: blocks[0].end"


def test_a_plan_syntax_error_still_reports_the_staff(pair: tuple[Path, Path]) -> None:
    book = load_workbook(pair[0])
    book["人员"]["C3"] = None
    book.save(pair[0])
    edit_plan(pair[1], "[period]", "[period")
    found = wheres(*pair)
    assert found[0].startswith("人员!C3")
    assert found[1].startswith("duty.toml: line ")


def test_unknown_blocks_of_good_rows_come_with_the_other_cell_problems(
    pair: tuple[Path, Path],
) -> None:
    book = load_workbook(pair[0])
    book["人员"]["F2"] = "1380013"  # 张伟's phone is short
    book["人员"]["I3"] = "2027-03-15 MORNING"  # 李娜 names no block of the plan
    book["人员"]["I2"] = "2027-03-15 LATE"  # on a bad row: checked once the row reads
    book.save(pair[0])
    found = wheres(*pair)
    assert found == ["人员!F2", "人员!I3"]


def test_unknown_staff_blocks_come_with_the_plans_problems(pair: tuple[Path, Path]) -> None:
    book = load_workbook(pair[0])
    book["人员"]["I3"] = "2027-03-15 MORNING"
    book.save(pair[0])
    edit_plan(pair[1], "size = 3", "size = -3")
    edit_plan(pair[1], 'staff = "张伟"', 'staff = "张三"')  # waits for a clean plan
    assert wheres(*pair) == ["duty.toml: posts[0].size", "人员!I3"]
    edit_plan(pair[1], 'end = "12:00"', 'end = "25:00"')  # no blocks to check against
    assert wheres(*pair) == ["duty.toml: blocks[0].end", "duty.toml: posts[0].size"]
