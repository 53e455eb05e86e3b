"""Cross-checks between the duty plan and the staff list (check_references)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from roster.io.plan import check_references, parse_plan, read_plan
from roster.model import Absence, Person, Staff, Wish, WishKind

from .test_plan import BASE

D15 = dt.date(2027, 3, 15)
SPEC_2_2 = Path(__file__).parent / "plan_fixtures" / "spec_2_2.toml"


def people() -> list[Person]:
    return [
        Person("P01", "张伟", "局领导", title="副局长", gender="男", skills=frozenset({"带班"})),
        Person("P02", "李娜", "12315投诉举报中心", gender="女", skills=frozenset({"坐席"})),
        Person("P03", "王芳", "消费者权益保护股", gender="女", skills=frozenset({"坐席"})),
        Person("P04", "刘洋", "岑城市场监管所", "所长", "男", cert="450001"),
        Person("P05", "黄磊", "糯垌市场监管所", gender="男", skills=frozenset({"驾驶员"})),
        Person("P06", "陈静", "糯垌市场监管所", gender="女", cert="450002"),
    ]


STAFF = Staff(tuple(people()))


def check(extra: str = "", staff: Staff = STAFF) -> list[str]:
    found = check_references(parse_plan(BASE + extra), staff, "duty.toml", "staff.xlsx")
    return [p.render("en") for p in found]


def test_the_spec_example_matches_a_consistent_staff_list() -> None:
    assert check_references(read_plan(SPEC_2_2), STAFF, "duty.toml", "staff.xlsx") == []


def test_a_clean_pair_has_no_problems() -> None:
    assert check() == []


POST = '\n[[posts]]\nid = "x"\nblocks = ["AM"]\n'
WHO = '\n[[restrict]]\nblocks = ["NIGHT"]\nwho = '

CASES = {
    "unknown unit in units": (
        POST + 'units = ["12315投诉举报中心", "12315中心"]\n',
        'duty.toml: posts[2].units: unknown unit "12315中心": no one in staff.xlsx belongs to it',
    ),
    "unknown unit in per_unit": (
        POST + 'per_unit = ["岑城市场监管所", "南渡市场监管所"]\n',
        'duty.toml: posts[2].per_unit: unknown unit "南渡市场监管所"',
    ),
    "unknown skill in require": (
        POST + 'require = ["坐席", "驾照"]\n',
        'duty.toml: posts[2].require: no one in staff.xlsx holds skill "驾照"',
    ),
    "unknown skill in at_least": (
        POST + 'size = 3\nat_least = { "执法证" = 1, "司机" = 1 }\n',
        'duty.toml: posts[2].at_least."司机": no one in staff.xlsx holds skill "司机"',
    ),
    "unknown unit in a selector": (
        WHO + '{ unit = "甲所" }\n',
        'duty.toml: restrict[0].who.unit: unknown unit "甲所"',
    ),
    "unknown skill in a selector": (
        WHO + '{ skill = "驾驶" }\n',
        'duty.toml: restrict[0].who.skill: no one in staff.xlsx holds skill "驾驶" '
        '(did you mean "驾驶员"?)',
    ),
    "unknown person in a pin": (
        '\n[[pins]]\nstaff = "张卫"\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n',
        'duty.toml: pins[0].staff: no one in staff.xlsx has the name or 编号 "张卫"',
    ),
    "unknown person in apart": (
        '\n[[apart]]\nstaff = ["李娜", "P99"]\n',
        'duty.toml: apart[0].staff: no one in staff.xlsx has the name or 编号 "P99"',
    ),
    "same person twice in apart": (
        '\n[[apart]]\nstaff = ["李娜", "P02"]\n',
        "duty.toml: apart[0].staff: names the same person twice",
    ),
    "unknown person in restrict": (
        WHO + '{ staff = ["王五"] }\n',
        'duty.toml: restrict[0].who.staff: no one in staff.xlsx has the name or 编号 "王五"',
    ),
    "unknown person in personal": (
        '\n[[personal]]\nwho = { staff = "赵六" }\nmax_weekends = 1\n',
        'duty.toml: personal[0].who.staff: no one in staff.xlsx has the name or 编号 "赵六"',
    ),
    "unknown unit in personal": (
        '\n[[personal]]\nwho = { unit = "乙所" }\nmax_weekends = 1\n',
        'duty.toml: personal[0].who.unit: unknown unit "乙所"',
    ),
}


@pytest.mark.parametrize(("extra", "expected"), CASES.values(), ids=CASES.keys())
def test_reference(extra: str, expected: str) -> None:
    found = check(extra + '\n[[apart]]\nstaff = ["李娜", "nobody"]\n')
    assert any(line.startswith(expected) for line in found), found
    assert any("nobody" in line for line in found), "problems not reported together"


def test_an_ambiguous_name_asks_for_the_id() -> None:
    staff = Staff((*people(), Person("P07", "张伟", "消费者权益保护股")))
    pin = '\n[[pins]]\nstaff = "{}"\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n'
    assert check(pin.format("张伟"), staff) == [
        'duty.toml: pins[0].staff: 2 people are named "张伟" (编号 P01, P07); use the 编号'
    ]
    assert check(pin.format("P07"), staff) == []
    found = check_references(parse_plan(BASE + pin.format("张伟")), staff, "d.toml", "s.xlsx")
    assert found[0].zh == "有 2 人名为 “张伟”（编号 P01、P07），请改用编号"


def test_absence_and_wish_blocks_and_people() -> None:
    absences = (
        Absence(D15, block="NIGHT", source="人员!I3"),
        Absence(D15, block="晚上", source="人员!I4"),
        Absence(D15, block="EVE", source="请假!C2"),
        Absence(D15, 480, 720, source="人员!I5"),
    )
    staff = Staff(
        (Person("P01", "张伟", "局领导", absences=absences), *people()[1:]),
        wishes=(
            Wish("P02", D15, "NIGHT", WishKind.AVOID, source="意愿!C2"),
            Wish("李娜", D15, "晚上", WishKind.PREFER, source="意愿!C3"),
            Wish("李娜", D15, None, WishKind.PREFER, source="意愿!C4"),
            Wish("P02", D15, "LATE", WishKind.AVOID, source="意愿!C5"),
            Wish("P99", D15, None, WishKind.AVOID, source="意愿!C6"),
        ),
    )
    assert check(staff=staff) == [
        '人员!I4: unknown block "晚上" (use the block id "NIGHT")',
        '请假!C2: unknown block "EVE"',
        '意愿!C5: unknown block "LATE"',
        '意愿!C6: no one in staff.xlsx has the name or 编号 "P99"',
    ]


def test_a_source_less_problem_is_located_in_the_staff_file() -> None:
    staff = Staff(tuple(people()), wishes=(Wish("P01", D15, "X", WishKind.AVOID),))
    assert check(staff=staff) == ['staff.xlsx: unknown block "X"']


def test_every_problem_at_once() -> None:
    extra = (
        POST + 'units = ["甲所"]\nrequire = ["驾照"]\n'
        '\n[[pins]]\nstaff = "张卫"\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n'
        '\n[[restrict]]\nwho = { gender = "女", unit = "乙所" }\nblocks = ["NIGHT"]\n'
    )
    assert [line.split(": ")[1] for line in check(extra)] == [
        "posts[2].units",
        "posts[2].require",
        "pins[0].staff",
        "restrict[0].who.unit",
    ]


@pytest.mark.parametrize(
    "who", ['{ gender = "女" }', '{ title = "科长" }', '{ gender = "女", unit = "局领导" }']
)
def test_a_gender_or_title_nobody_has_selects_nobody(who: str) -> None:
    """Gender and title are attributes, not references (SPEC §2.2): no error, no match."""
    staff = Staff(tuple(Person(p.id, p.name, p.unit, skills=p.skills) for p in people()))
    plan = parse_plan(
        BASE + WHO + who + "\n" + "\n[[personal]]\nmax_weekends = 1\nwho = " + who + "\n"
    )
    assert check_references(plan, staff, "duty.toml", "staff.xlsx") == []
    assert not any(r.who.matches(p) for r in plan.restrict for p in staff)


def test_a_selector_accepts_the_gender_spellings_of_the_staff_sheet() -> None:
    spellings = ["女", "女性", "F", "female", "Ｆ", " 女 "]
    for spelling in spellings:
        plan = parse_plan(BASE + WHO + f'{{ gender = "{spelling}" }}\n')
        assert plan.restrict[-1].who.gender == ("女",), spelling
    plan = parse_plan(BASE + WHO + '{ gender = ["男性", "M", "male"] }\n')
    assert plan.restrict[-1].who.gender == ("男",)
