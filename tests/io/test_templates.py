"""roster init: the commented duty plan and the staff template."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from roster.io.inputs import load_inputs
from roster.io.plan import parse_plan, read_plan
from roster.io.templates import (
    DUTY_TOML,
    LEAVE_HEADERS,
    STAFF_HEADERS,
    WISH_HEADERS,
    write_templates,
)
from roster.model import DEFAULT_STAGES, Kind, Soft

# SPEC §2.2: every key the template sets, by table
SPEC_2_2_KEYS = {
    "": {
        "title",
        "period",
        "blocks",
        "rules",
        "posts",
        "factors",
        "pins",
        "apart",
        "restrict",
        "calendar",
    },
    "period": {"dates"},
    "blocks": {"id", "name", "start", "end"},
    "rules": {
        "max_onsite_hours_per_day",
        "max_consecutive_hours",
        "min_rest_hours",
        "max_hours_total",
    },
    "posts": {
        "id",
        "name",
        "blocks",
        "units",
        "per_unit",
        "require",
        "size",
        "size_at",
        "teams",
        "teams_at",
        "at_least",
        "kind",
        "weight",
    },
    "factors": {"when", "factor"},
    "pins": {"staff", "post", "date", "block"},
    "apart": {"staff"},
    "restrict": {"who", "blocks"},
    "calendar": {"rest_days"},
}
# SPEC §2.2 says rest days default to Sat/Sun; China's official calendar is the plan's opt-in
OFFICIAL = re.compile(r"^rest_days = .*\n# (official_holidays = true)", re.MULTILINE)
# SPEC §2.3 (and optional §2.2 keys): commented out, valid once uncommented
COMMENTED = (
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
    "max_blocks",
    "min_hours_total",
    "forbid_after",
    "soft",
    "soft_at",
    "who",
    "stages",
    "team",
    "dates",
)
UNCOMMENT = re.compile(
    r"^# ((?:" + "|".join(COMMENTED) + r") = .*|\[\[personal\]\]|\[objective\])$", re.MULTILINE
)


def test_writes_both_files_into_a_new_folder(tmp_path: Path) -> None:
    folder = tmp_path / "春节" / "值班"
    written = write_templates(folder)
    assert written == [folder / "duty.toml", folder / "staff.xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == ["duty.toml", "staff.xlsx"]


def test_the_pair_is_accepted_as_is(tmp_path: Path) -> None:
    write_templates(tmp_path)
    staff, plan = load_inputs(tmp_path / "staff.xlsx", tmp_path / "duty.toml")
    assert len(staff) >= 3
    assert plan.dates


def test_the_plan_sets_every_spec_2_2_key(tmp_path: Path) -> None:
    write_templates(tmp_path)
    data = tomllib.loads((tmp_path / "duty.toml").read_text(encoding="utf-8"))
    for table, keys in SPEC_2_2_KEYS.items():
        if not table:
            found = set(data)
        elif isinstance(data[table], list):
            found = set().union(*data[table])
        else:
            found = set(data[table])
        assert keys <= found, (table, keys - found)
    plan = read_plan(tmp_path / "duty.toml")
    assert [b.id for b in plan.blocks] == ["AM", "PM", "EVE", "NIGHT", "DAY"]
    assert plan.post("squad").teams_on(plan.dates[-1], "DAY") == 5
    assert plan.post("leader").kind is Kind.ONCALL
    assert plan.stages == DEFAULT_STAGES
    assert plan.personal == ()


def test_the_plan_is_commented_in_chinese() -> None:
    comments = [line for line in DUTY_TOML.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 20
    assert sum(bool(re.search(r"[\u4e00-\u9fff]", line)) for line in comments) > 20


def test_the_spec_2_3_keys_are_commented_out_and_valid_when_uncommented() -> None:
    data = tomllib.loads(DUTY_TOML)
    assert "max_weekends" not in data["rules"]
    assert "objective" not in data
    for key in COMMENTED:
        assert re.search(rf"^# {key} = ", DUTY_TOML, re.MULTILINE), key
    plan = parse_plan(UNCOMMENT.sub(r"\1", DUTY_TOML))
    assert plan.rules.max_consecutive_days == 6
    assert plan.rules.forbid_after == (("NIGHT", ("AM", "PM")),)
    assert plan.personal[0].rules.max_blocks == (("NIGHT", 0),)
    assert plan.post("hotline").soft == Soft(100, 1)
    assert plan.pins[0].team == 1
    assert plan.restrict[0].dates
    assert plan.stages == DEFAULT_STAGES


def test_the_official_calendar_is_offered_as_an_alternative_to_rest_days() -> None:
    assert OFFICIAL.search(DUTY_TOML)
    plan = parse_plan(OFFICIAL.sub(r"\1", DUTY_TOML))
    assert (plan.rest_days, plan.official_holidays) == (None, True)
    assert not parse_plan(DUTY_TOML).official_holidays


def test_the_staff_workbook(tmp_path: Path) -> None:
    write_templates(tmp_path)
    book = load_workbook(tmp_path / "staff.xlsx")
    assert book.sheetnames == ["人员", "请假", "意愿"]
    people = list(book["人员"].iter_rows(values_only=True))
    assert people[0] == STAFF_HEADERS
    assert STAFF_HEADERS == (
        "编号",
        "姓名",
        "单位",
        "职务",
        "性别",
        "手机",
        "技能",
        "执法证号",
        "不可值班时间",
        "最多小时",
        "备注",
    )
    assert 3 <= len(people) - 1 <= 12
    assert all(isinstance(row[5], str) and len(row[5]) == 11 for row in people[1:])
    assert list(book["请假"].iter_rows(values_only=True)) == [LEAVE_HEADERS]
    assert list(book["意愿"].iter_rows(values_only=True)) == [WISH_HEADERS]


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "duty.toml").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"duty\.toml"):
        write_templates(tmp_path)
    assert (tmp_path / "duty.toml").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "staff.xlsx").exists()


def test_refuses_to_overwrite_names_every_file(tmp_path: Path) -> None:
    write_templates(tmp_path)
    with pytest.raises(FileExistsError) as caught:
        write_templates(tmp_path)
    assert "duty.toml" in str(caught.value)
    assert "staff.xlsx" in str(caught.value)
