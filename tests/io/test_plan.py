"""Reading the duty plan (SPEC §2.2, §2.3): every key, every error, located by key path."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roster.errors import InputError, Problem
from roster.io.plan import parse_plan, read_plan
from roster.model import (
    DEFAULT_STAGES,
    Apart,
    Block,
    Factor,
    Kind,
    Personal,
    Pin,
    Plan,
    Post,
    Restrict,
    Rules,
    Selector,
    Soft,
    format_minute,
)

FIXTURES = Path(__file__).parent / "plan_fixtures"
D14, D15 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)

BASE = """\
title = "测试值班表"

[period]
dates = ["2027-03-14", "2027-03-15"]

[[blocks]]
id = "AM"
name = "上午"
start = "08:00"
end = "12:00"

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

[rules]
max_onsite_hours_per_day = 8

[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["AM", "NIGHT"]
size = 2

[[posts]]
id = "squad"
name = "执法应急小分队"
blocks = ["DAY"]
teams = 2
size = 4
kind = "oncall"
"""


def plan(extra: str = "", replace: tuple[str, str] | None = None) -> Plan:
    """The base plan with ``extra`` appended and ``replace`` applied."""
    text = BASE
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    return parse_plan(text + extra)


def problems(text: str) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        parse_plan(text)
    return list(caught.value.problems)


def wheres(text: str) -> list[str]:
    return [p.where for p in problems(text)]


# --- the keys -------------------------------------------------------------------------


def test_base_plan() -> None:
    p = plan()
    assert p.title == "测试值班表"
    assert p.dates == (D14, D15)
    assert p.blocks[0] == Block("AM", "上午", 480, 720)
    assert p.source == "duty.toml"
    assert p.rules == Rules(max_onsite_hours_per_day=8)
    assert p.factors == p.pins == p.apart == p.restrict == p.personal == ()
    assert p.rest_days is None
    assert not p.official_holidays
    assert p.stages == DEFAULT_STAGES


def test_title_is_optional() -> None:
    assert plan(replace=('title = "测试值班表"\n', "")).title == ""


def test_period_dates_accepts_toml_dates() -> None:
    p = plan(replace=('dates = ["2027-03-14", "2027-03-15"]', "dates = [2027-03-14, 2027-03-15]"))
    assert p.dates == (D14, D15)


def test_block_end_may_be_24_00_and_name_defaults_to_id() -> None:
    p = plan(replace=('id = "NIGHT"\nname = "晚上"\n', 'id = "NIGHT"\n'))
    assert p.block("NIGHT") == Block("NIGHT", "NIGHT", 1200, 1440)


def test_block_times_accept_toml_times() -> None:
    p = plan(replace=('start = "08:00"\nend = "12:00"', "start = 08:00:00\nend = 12:30:00"))
    assert p.block("AM") == Block("AM", "上午", 480, 750)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("max_onsite_hours_per_day = 7.5", Rules(max_onsite_hours_per_day=7.5)),
        ("max_consecutive_hours = 8", Rules(max_consecutive_hours=8)),
        ("min_rest_hours = 8", Rules(min_rest_hours=8)),
        ("max_hours_total = 16", Rules(max_hours_total=16)),
        ("max_consecutive_days = 6", Rules(max_consecutive_days=6)),
        ("min_consecutive_days = 2", Rules(min_consecutive_days=2)),
        ("min_consecutive_days_off = 2", Rules(min_consecutive_days_off=2)),
        ("max_weekends = 2", Rules(max_weekends=2)),
        ("max_blocks = { NIGHT = 3 }", Rules(max_blocks=(("NIGHT", 3),))),
        ("min_hours_total = 4", Rules(min_hours_total=4)),
        (
            'forbid_after = { NIGHT = ["AM", "DAY"] }',
            Rules(forbid_after=(("NIGHT", ("AM", "DAY")),)),
        ),
    ],
)
def test_rules_keys(line: str, expected: Rules) -> None:
    assert plan(replace=("max_onsite_hours_per_day = 8", line)).rules == expected


def test_post_defaults() -> None:
    hotline = plan().post("hotline")
    assert hotline == Post("hotline", "12315专线坐席", ("AM", "NIGHT"), size=2)
    assert hotline.kind is Kind.ONSITE
    assert hotline.weight == 1.0
    assert hotline.units is None
    assert hotline.per_unit is None


POST = '\n[[posts]]\nid = "x"\nblocks = ["AM", "NIGHT"]\n'


@pytest.mark.parametrize(
    ("lines", "field", "expected"),
    [
        ('name = "某岗位"', "name", "某岗位"),
        ("", "name", "x"),
        ('units = ["甲股", "乙股"]', "units", ("甲股", "乙股")),
        ('per_unit = ["甲所", "乙所"]', "per_unit", ("甲所", "乙所")),
        ('require = ["坐席", "转办"]', "require", frozenset({"坐席", "转办"})),
        ("size = 0", "size", 0),
        ("", "size", 1),
        ('size_at = { "2027-03-15 NIGHT" = 5 }', "size_at", (((D15, "NIGHT"), 5),)),
        ("teams = 3", "teams", 3),
        ('teams_at = { "2027-03-14 AM" = 2 }', "teams_at", (((D14, "AM"), 2),)),
        ('at_least = { "执法证" = 1 }', "at_least", (("执法证", 1),)),
        ('kind = "oncall"', "kind", Kind.ONCALL),
        ("weight = 0.25", "weight", 0.25),
        ("soft = { under = 100, over = 1 }", "soft", Soft(100, 1)),
        (
            'soft_at = { "2027-03-14 AM" = { under = 50, over = 2 } }',
            "soft_at",
            (((D14, "AM"), Soft(50, 2)),),
        ),
    ],
)
def test_post_keys(lines: str, field: str, expected: object) -> None:
    assert getattr(plan(POST + lines + "\n").post("x"), field) == expected


def test_factor_every_date_and_one_date() -> None:
    extra = (
        '\n[[factors]]\nwhen = "20:00-24:00"\nfactor = 1.5\n'
        '\n[[factors]]\nwhen = "2027-03-15 20:00 - 24:00"\nfactor = 2\n'
    )
    assert plan(extra).factors == (Factor(1200, 1440, 1.5), Factor(1200, 1440, 2.0, D15))


def test_pin() -> None:
    extra = '\n[[pins]]\nstaff = "张伟"\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n'
    assert plan(extra).pins == (Pin("张伟", "squad", D15, "DAY"),)
    assert plan(extra + "team = 2\n").pins == (Pin("张伟", "squad", D15, "DAY", 2),)


def test_apart() -> None:
    assert plan('\n[[apart]]\nstaff = ["李娜", "王芳", "P03"]\n').apart == (
        Apart(("李娜", "王芳", "P03")),
    )


def test_restrict_selectors_take_a_string_or_a_list() -> None:
    extra = (
        '\n[[restrict]]\nwho = { gender = "F", unit = ["甲所", "乙所"], title = "所长", '
        'skill = "驾驶员", staff = ["张伟"] }\nblocks = ["NIGHT"]\ndates = ["2027-03-15"]\n'
    )
    who = Selector(("女",), ("甲所", "乙所"), ("所长",), ("驾驶员",), ("张伟",))
    assert plan(extra).restrict == (Restrict(who, ("NIGHT",), (D15,)),)


def test_personal() -> None:
    extra = (
        '\n[[personal]]\nwho = { staff = ["张伟", "P0107"] }\nmax_weekends = 1\n'
        "max_blocks = { NIGHT = 0 }\nmax_hours_total = 4\n"
    )
    rules = Rules(max_hours_total=4, max_weekends=1, max_blocks=(("NIGHT", 0),))
    assert plan(extra).personal == (Personal(Selector(staff=("张伟", "P0107")), rules),)


def test_numeric_staff_ids_may_be_toml_integers() -> None:
    """A 编号 like 1008 may be written unquoted wherever a person is named."""
    extra = (
        '\n[[pins]]\nstaff = 1000\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n'
        '\n[[apart]]\nstaff = [1008, "1009", "李娜"]\n'
        '\n[[restrict]]\nwho = { staff = 1010 }\nblocks = ["NIGHT"]\n'
        "\n[[personal]]\nwho = { staff = [0, 1011] }\nmax_weekends = 1\n"
    )
    p = plan(extra)
    assert p.pins == (Pin("1000", "squad", D15, "DAY"),)
    assert p.apart == (Apart(("1008", "1009", "李娜")),)
    assert p.restrict[0].who == Selector(staff=("1010",))
    assert p.personal[0].who == Selector(staff=("0", "1011"))


def test_calendar_rest_days() -> None:
    assert plan('\n[calendar]\nrest_days = ["2027-03-15", "2027-03-14"]\n').rest_days == (D14, D15)
    assert plan("\n[calendar]\nrest_days = []\n").rest_days == ()


def test_calendar_official_holidays_is_opt_in() -> None:
    official = plan("\n[calendar]\nofficial_holidays = true\n")
    assert (official.rest_days, official.official_holidays) == (None, True)
    assert not plan("\n[calendar]\nofficial_holidays = false\n").official_holidays


def test_objective_stages() -> None:
    extra = '\n[objective]\nstages = [["coverage", "wishes"], "max_burden", ["evenness"]]\n'
    assert plan(extra).stages == (("coverage", "wishes"), ("max_burden",), ("evenness",))


# --- the SPEC examples ----------------------------------------------------------------


def spec_2_2_plan() -> Plan:
    blocks = (
        Block("AM", "上午", 480, 720),
        Block("PM", "下午", 720, 960),
        Block("EVE", "傍晚", 960, 1200),
        Block("NIGHT", "晚上", 1200, 1440),
        Block("DAY", "全天", 480, 1440),
    )
    four = ("AM", "PM", "EVE", "NIGHT")
    posts = (
        Post(
            "hotline",
            "12315专线坐席",
            four,
            size=3,
            units=("12315投诉举报中心", "消费者权益保护股"),
            require=frozenset({"坐席"}),
            size_at=(((D15, "NIGHT"), 5),),
        ),
        Post("office", "基层所值班", four, per_unit=("岑城市场监管所", "糯垌市场监管所")),
        Post(
            "leader",
            "带班领导",
            ("DAY",),
            require=frozenset({"带班"}),
            kind=Kind.ONCALL,
            weight=0.5,
        ),
        Post(
            "squad",
            "执法应急小分队",
            ("DAY",),
            size=4,
            teams=3,
            teams_at=(((D15, "DAY"), 5),),
            at_least=(("执法证", 2), ("驾驶员", 1)),
            kind=Kind.ONCALL,
            weight=0.5,
        ),
    )
    return Plan(
        title="岑溪市市场监督管理局2027年“3·15”国际消费者权益日值班表",
        dates=(D14, D15),
        blocks=blocks,
        posts=posts,
        rules=Rules(
            max_onsite_hours_per_day=8,
            max_consecutive_hours=8,
            min_rest_hours=8,
            max_hours_total=16,
        ),
        factors=(Factor(1200, 1440, 1.5),),
        pins=(Pin("张伟", "leader", D15, "DAY"),),
        apart=(Apart(("李娜", "王芳")),),
        restrict=(Restrict(Selector(gender=("女",)), ("NIGHT",)),),
        rest_days=(D14,),
        source="spec_2_2.toml",
    )


def test_spec_2_2_example_reads_as_the_plan_it_describes() -> None:
    assert read_plan(FIXTURES / "spec_2_2.toml") == spec_2_2_plan()


def test_spec_2_3_example() -> None:
    p = read_plan(str(FIXTURES / "spec_2_3.toml"))
    assert p.rules == Rules(
        max_consecutive_days=6,
        min_consecutive_days=2,
        min_consecutive_days_off=2,
        max_weekends=2,
        max_blocks=(("NIGHT", 3),),
        min_hours_total=0,
        forbid_after=(("NIGHT", ("AM", "PM")),),
    )
    assert p.personal == (
        Personal(
            Selector(staff=("张伟", "P0107")),
            Rules(max_weekends=1, max_blocks=(("NIGHT", 0),)),
        ),
    )
    duty = p.post("duty")
    assert duty.soft == Soft(100, 1)
    assert duty.soft_on(dt.date(2027, 2, 12), "NIGHT") == Soft(50, 1)
    assert p.stages == (("coverage", "wishes"),)


# --- the file -------------------------------------------------------------------------


def test_locations_name_the_file_not_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "春节.toml"
    path.parent.mkdir()
    path.write_text(BASE.replace('blocks = ["DAY"]', 'blocks = ["MORNING"]'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert [p.render("en") for p in caught.value.problems] == [
        '春节.toml: posts[1].blocks: unknown block "MORNING"'
    ]


def test_source_is_the_file_name_and_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "duty.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert read_plan(path).source == "duty.toml"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_plan(tmp_path / "duty.toml")
    assert [p.where for p in caught.value.problems] == ["duty.toml"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "duty.toml"
    path.write_bytes(BASE.encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "UTF-8" in caught.value.problems[0].en


def test_syntax_error_names_the_line() -> None:
    text = BASE + '\n[[posts]]\nid = "x"\nblocks = ["AM",\nsize = 1\n'
    found = problems(text)
    assert len(found) == 1
    assert found[0].where == f"duty.toml: line {text.splitlines().index('size = 1') + 1}"
    assert found[0].en.startswith("TOML syntax error")
    assert found[0].zh.startswith("TOML 语法错误")


# --- the errors -----------------------------------------------------------------------

PIN = '\n[[pins]]\nstaff = "张伟"\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n'
HOTLINE = 'id = "hotline"\nname = "12315专线坐席"\nblocks = ["AM", "NIGHT"]\nsize = 2\n'

# (old text of BASE, its replacement — or "" and text to append), where, what (English)
ERRORS = {
    # syntax of keys
    "unknown top-level key": (
        ('title = "测试值班表"', 'titel = "x"'),
        "titel",
        'unknown key "titel" (did you mean "title"?)',
    ),
    "unknown key in a block": (
        ('end = "12:00"', 'end = "12:00"\ncolor = "red"'),
        "blocks[0].color",
        'unknown key "color"',
    ),
    "unknown key in rules": (
        ("max_onsite_hours_per_day = 8", "max_onsite_hours = 8"),
        "rules.max_onsite_hours",
        'unknown key "max_onsite_hours" (did you mean "max_onsite_hours_per_day"?)',
    ),
    "unknown key in a post": (
        ("size = 2", "sise = 2"),
        "posts[0].sise",
        'unknown key "sise" (did you mean "size"?)',
    ),
    "unknown key in period": (
        ('dates = ["2027-03-14", "2027-03-15"]', 'dates = ["2027-03-14"]\nstart = "2027-03-14"'),
        "period.start",
        'unknown key "start"',
    ),
    "unknown key in soft": (
        ("", POST + "soft = { under = 1, over = 1, max = 3 }\n"),
        "posts[2].soft.max",
        'unknown key "max"',
    ),
    "unknown key in a factor": (
        ("", '\n[[factors]]\nwhen = "20:00-24:00"\nfactor = 2\nfator = 1\n'),
        "factors[0].fator",
        "did you mean",
    ),
    "unknown key in a pin": (("", PIN + "unit = 1\n"), "pins[0].unit", 'unknown key "unit"'),
    "unknown key in who": (
        ("", '\n[[restrict]]\nwho = { units = "甲所" }\nblocks = ["AM"]\n'),
        "restrict[0].who.units",
        'unknown key "units" (did you mean "unit"?)',
    ),
    "unknown key in personal": (
        ("", '\n[[personal]]\nwho = { staff = "张伟" }\nmax_weekend = 1\n'),
        "personal[0].max_weekend",
        'did you mean "max_weekends"?',
    ),
    "unknown key in calendar": (
        ("", "\n[calendar]\nrestdays = []\n"),
        "calendar.restdays",
        'did you mean "rest_days"?',
    ),
    "unknown key in objective": (
        ("", '\n[objective]\nstage = ["wishes"]\n'),
        "objective.stage",
        'did you mean "stages"?',
    ),
    # types and required keys
    "title not a string": (
        ('title = "测试值班表"', "title = 3"),
        "title",
        "must be a string, not an integer",
    ),
    "size not a whole number": (
        ("size = 2", 'size = "2"'),
        "posts[0].size",
        "must be a whole number, not a string",
    ),
    "size a float": (
        ("size = 2", "size = 2.5"),
        "posts[0].size",
        "must be a whole number, not a float",
    ),
    "hours not a number": (
        ("max_onsite_hours_per_day = 8", 'max_onsite_hours_per_day = "8"'),
        "rules.max_onsite_hours_per_day",
        "must be a number",
    ),
    "weight a boolean": (
        ("size = 2", "weight = true"),
        "posts[0].weight",
        "must be a number, not a boolean",
    ),
    "dates not an array": (
        ('dates = ["2027-03-14", "2027-03-15"]', 'dates = "2027-03-14"'),
        "period.dates",
        "must be an array of dates",
    ),
    "factors not an array of tables": (
        ("^", "factors = 1\n"),
        "factors",
        "must be an array of tables [[factors]], not an integer",
    ),
    "calendar not a table": (("^", 'calendar = "周末"\n'), "calendar", "must be a table"),
    "missing period": (
        ('[period]\ndates = ["2027-03-14", "2027-03-15"]\n', ""),
        "",
        'missing required key "period"',
    ),
    "missing block start": (
        ('start = "08:00"\nend = "12:00"', 'end = "12:00"'),
        "blocks[0]",
        'missing required key "start"',
    ),
    "missing post id": (('id = "hotline"\n', ""), "posts[0]", 'missing required key "id"'),
    "missing pin block": (
        ("", PIN.replace('block = "DAY"\n', "")),
        "pins[0]",
        'missing required key "block"',
    ),
    "missing restrict who": (
        ("", '\n[[restrict]]\nblocks = ["AM"]\n'),
        "restrict[0]",
        'missing required key "who"',
    ),
    # references
    "unknown block in a post": (
        ("", '\n[[posts]]\nid = "x"\nblocks = ["MORNING"]\n'),
        "posts[2].blocks",
        'unknown block "MORNING"',
    ),
    "unknown block in size_at": (
        ("size = 2", 'size = 2\nsize_at = { "2027-03-15 EVE" = 3 }'),
        'posts[0].size_at."2027-03-15 EVE"',
        'unknown block "EVE"',
    ),
    "size_at block not the post's": (
        ("size = 2", 'size = 2\nsize_at = { "2027-03-15 DAY" = 3 }'),
        'posts[0].size_at."2027-03-15 DAY"',
        'the post has no block "DAY"',
    ),
    "size_at date outside the period": (
        ("size = 2", 'size = 2\nsize_at = { "2027-03-16 NIGHT" = 3 }'),
        'posts[0].size_at."2027-03-16 NIGHT"',
        "date 2027-03-16 is not in the period",
    ),
    "size_at key without a block": (
        ("size = 2", 'size = 2\nsize_at = { "2027-03-15" = 3 }'),
        "posts[0].size_at.2027-03-15",
        'must be "YYYY-MM-DD BLOCK"',
    ),
    "teams_at unknown block": (
        ("teams = 2", 'teams = 2\nteams_at = { "2027-03-15 NITE" = 3 }'),
        'posts[1].teams_at."2027-03-15 NITE"',
        'unknown block "NITE" (did you mean "NIGHT"?)',
    ),
    "soft_at date not real": (
        ("size = 2", 'size = 2\nsoft_at = { "2027-02-30 AM" = { under = 1, over = 1 } }'),
        'posts[0].soft_at."2027-02-30 AM"',
        'date "2027-02-30" is not a real date',
    ),
    "unknown block in max_blocks": (
        ("max_onsite_hours_per_day = 8", "max_blocks = { MIDNIGHT = 1 }"),
        "rules.max_blocks.MIDNIGHT",
        'unknown block "MIDNIGHT"',
    ),
    "unknown block in forbid_after": (
        ("max_onsite_hours_per_day = 8", 'forbid_after = { NIGHT = ["MORNING"] }'),
        "rules.forbid_after.NIGHT",
        'unknown block "MORNING"',
    ),
    "unknown block in restrict": (
        ("", '\n[[restrict]]\nwho = { gender = "女" }\nblocks = ["NITE"]\n'),
        "restrict[0].blocks",
        'unknown block "NITE"',
    ),
    "unknown post in a pin": (
        ("", PIN.replace('"squad"', '"sqaud"')),
        "pins[0].post",
        'unknown post "sqaud" (did you mean "squad"?)',
    ),
    "unknown block in a pin": (
        ("", PIN.replace('"DAY"', '"NOON"')),
        "pins[0].block",
        'unknown block "NOON"',
    ),
    "pin block not the post's": (
        ("", PIN.replace('"DAY"', '"AM"')),
        "pins[0].block",
        'post "squad" has no block "AM"',
    ),
    "pin date outside the period": (
        ("", PIN.replace("03-15", "03-16")),
        "pins[0].date",
        "not in the period",
    ),
    "pin team beyond the teams": (
        ("", PIN + "team = 3\n"),
        "pins[0].team",
        "has only 2 team(s)",
    ),
    # duplicates
    "duplicate block id": (
        ('id = "DAY"\nname = "全天"', 'id = "AM"\nname = "全天"'),
        "blocks[2].id",
        'duplicate id "AM" (also blocks[0])',
    ),
    "duplicate block name": (
        ('id = "DAY"\nname = "全天"', 'id = "DAY"\nname = "上午"'),
        "blocks[2].name",
        'duplicate name "上午" (also blocks[0])',
    ),
    "block name is another block's id": (
        ('id = "DAY"\nname = "全天"', 'id = "DAY"\nname = "AM"'),
        "blocks[2].name",
        'name "AM" is already the id of blocks[0]',
    ),
    "duplicate post id": (
        ('id = "squad"', 'id = "hotline"'),
        "posts[1].id",
        'duplicate id "hotline" (also posts[0])',
    ),
    "duplicate post name": (
        ('name = "执法应急小分队"', 'name = "12315专线坐席"'),
        "posts[1].name",
        "duplicate name",
    ),
    "id with a space": (
        ('id = "NIGHT"', 'id = "NIGHT 2"'),
        "blocks[1].id",
        "must not contain spaces",
    ),
    "repeated block in a post": (
        ('blocks = ["AM", "NIGHT"]', 'blocks = ["AM", "AM"]'),
        "posts[0].blocks",
        '"AM" is repeated',
    ),
    # times
    "hour 25": (('end = "12:00"', 'end = "25:00"'), "blocks[0].end", 'time "25:00" does not exist'),
    "minute 60": (
        ('end = "12:00"', 'end = "11:60"'),
        "blocks[0].end",
        'time "11:60" does not exist',
    ),
    "24:00 as a start": (
        ('start = "20:00"', 'start = "24:00"'),
        "blocks[1].start",
        'time "24:00" does not exist',
    ),
    "24:30 as an end": (
        ('end = "12:00"', 'end = "24:30"'),
        "blocks[0].end",
        'time "24:30" does not exist',
    ),
    "not HH:MM": (('end = "12:00"', 'end = "noon"'), "blocks[0].end", 'time "noon" is not HH:MM'),
    "start after end": (
        ('end = "12:00"', 'end = "07:00"'),
        "blocks[0].end",
        "end 07:00 must be after start 08:00",
    ),
    "start equals end": (
        ('end = "12:00"', 'end = "08:00"'),
        "blocks[0].end",
        "must be after start",
    ),
    # numbers
    "negative size": (("size = 2", "size = -1"), "posts[0].size", "-1 must not be negative"),
    "negative teams": (("teams = 2", "teams = -2"), "posts[1].teams", "must not be negative"),
    "negative weight": (
        ("size = 2", "weight = -0.5"),
        "posts[0].weight",
        "-0.5 must not be negative",
    ),
    "negative size_at": (
        ("size = 2", 'size_at = { "2027-03-14 AM" = -1 }'),
        'posts[0].size_at."2027-03-14 AM"',
        "must not be negative",
    ),
    "negative at_least": (
        ("teams = 2", 'at_least = { "执法证" = -1 }'),
        'posts[1].at_least."执法证"',
        "must not be negative",
    ),
    "negative soft": (
        ("size = 2", "soft = { under = -1, over = 1 }"),
        "posts[0].soft.under",
        "must not be negative",
    ),
    "soft missing over": (
        ("size = 2", "soft = { under = 1 }"),
        "posts[0].soft",
        'missing required key "over"',
    ),
    "negative rule": (
        ("max_onsite_hours_per_day = 8", "max_onsite_hours_per_day = -8"),
        "rules.max_onsite_hours_per_day",
        "must not be negative",
    ),
    "negative max_blocks": (
        ("max_onsite_hours_per_day = 8", "max_blocks = { NIGHT = -1 }"),
        "rules.max_blocks.NIGHT",
        "must not be negative",
    ),
    "min above max": (
        ("max_onsite_hours_per_day = 8", "min_hours_total = 9\nmax_hours_total = 8"),
        "rules.min_hours_total",
        "exceeds max_hours_total",
    ),
    "factor zero": (
        ("", '\n[[factors]]\nwhen = "20:00-24:00"\nfactor = 0\n'),
        "factors[0].factor",
        "must be greater than 0",
    ),
    "factor negative": (
        ("", '\n[[factors]]\nwhen = "20:00-24:00"\nfactor = -1.5\n'),
        "factors[0].factor",
        "must be greater than 0",
    ),
    "factor window backwards": (
        ("", '\n[[factors]]\nwhen = "24:00-20:00"\nfactor = 2\n'),
        "factors[0].when",
        "does not exist",
    ),
    "factor window empty": (
        ("", '\n[[factors]]\nwhen = "20:00-20:00"\nfactor = 2\n'),
        "factors[0].when",
        "start must be before end",
    ),
    "factor window not a window": (
        ("", '\n[[factors]]\nwhen = "evenings"\nfactor = 2\n'),
        "factors[0].when",
        'must be "HH:MM-HH:MM"',
    ),
    "factor date outside the period": (
        ("", '\n[[factors]]\nwhen = "2027-03-16 20:00-24:00"\nfactor = 2\n'),
        "factors[0].when",
        "date 2027-03-16 is not in the period",
    ),
    "factor date not ISO": (
        ("", '\n[[factors]]\nwhen = "2027-3-15 20:00-24:00"\nfactor = 2\n'),
        "factors[0].when",
        "not an ISO date",
    ),
    # dates
    "date not ISO": (
        ('"2027-03-15"]', '"2027/03/15"]'),
        "period.dates",
        'date "2027/03/15" is not an ISO date (YYYY-MM-DD)',
    ),
    "date not real": (
        ('"2027-03-15"]', '"2027-02-29"]'),
        "period.dates",
        'date "2027-02-29" is not a real date',
    ),
    "dates out of order": (
        ('["2027-03-14", "2027-03-15"]', '["2027-03-15", "2027-03-14"]'),
        "period.dates",
        "date 2027-03-14 is out of order",
    ),
    "date repeated": (
        ('["2027-03-14", "2027-03-15"]', '["2027-03-14", "2027-03-14"]'),
        "period.dates",
        "date 2027-03-14 is repeated",
    ),
    "no dates": (('["2027-03-14", "2027-03-15"]', "[]"), "period.dates", "needs at least 1 date"),
    "rest day not real": (
        ("", '\n[calendar]\nrest_days = ["2027-13-01"]\n'),
        "calendar.rest_days",
        "not a real date",
    ),
    "official_holidays not a boolean": (
        ("", '\n[calendar]\nofficial_holidays = "是"\n'),
        "calendar.official_holidays",
        "must be true or false, not a string",
    ),
    "official_holidays with rest_days": (
        ("", '\n[calendar]\nofficial_holidays = true\nrest_days = ["2027-03-14"]\n'),
        "calendar.official_holidays",
        "cannot be combined with rest_days",
    ),
    "restrict date outside the period": (
        ("", '\n[[restrict]]\nwho = { gender = "女" }\nblocks = ["AM"]\ndates = ["2027-03-13"]\n'),
        "restrict[0].dates",
        "not in the period",
    ),
    # post rules
    "per_unit with units": (
        ("size = 2", 'size = 2\nunits = ["甲股"]\nper_unit = ["甲所"]'),
        "posts[0].per_unit",
        "per_unit and units exclude each other",
    ),
    "at_least above the size": (
        ("teams = 2", 'teams = 2\nat_least = { "执法证" = 5 }'),
        'posts[1].at_least."执法证"',
        '5 holders of "执法证" per team need more than the team size 4',
    ),
    "at_least above a size_at": (
        ("teams = 2", 'teams = 2\nat_least = { "执法证" = 2 }\nsize_at = { "2027-03-15 DAY" = 1 }'),
        'posts[1].size_at."2027-03-15 DAY"',
        'team size 1 is less than at_least 2 of "执法证"',
    ),
    "unknown kind": (
        ('kind = "oncall"', 'kind = "on-call"'),
        "posts[1].kind",
        'kind "on-call" must be "onsite" or "oncall"',
    ),
    "empty blocks in a post": (
        ('blocks = ["AM", "NIGHT"]', "blocks = []"),
        "posts[0].blocks",
        "needs at least 1 item",
    ),
    # people
    "apart of one": (
        ("", '\n[[apart]]\nstaff = ["李娜"]\n'),
        "apart[0].staff",
        "needs at least 2 item(s)",
    ),
    "apart repeated": (
        ("", '\n[[apart]]\nstaff = ["李娜", "李娜"]\n'),
        "apart[0].staff",
        '"李娜" is repeated',
    ),
    "apart repeated as an integer": (
        ("", '\n[[apart]]\nstaff = [1008, "1008"]\n'),
        "apart[0].staff",
        '"1008" is repeated',
    ),
    "a boolean is no staff id": (
        ("", "\n[[apart]]\nstaff = [1008, true]\n"),
        "apart[0].staff",
        "items must be text, not a boolean",
    ),
    "a float is no staff id": (
        ("", '\n[[pins]]\nstaff = 1.5\npost = "squad"\ndate = "2027-03-15"\nblock = "DAY"\n'),
        "pins[0].staff",
        "must be a string, not a float",
    ),
    "empty who": (
        ("", '\n[[restrict]]\nwho = {}\nblocks = ["AM"]\n'),
        "restrict[0].who",
        "needs at least one of gender",
    ),
    "bad gender": (
        ("", '\n[[restrict]]\nwho = { gender = "X" }\nblocks = ["AM"]\n'),
        "restrict[0].who.gender",
        'gender "X" must be 男 or 女',
    ),
    "personal rule of the wrong type": (
        ("", '\n[[personal]]\nwho = { unit = "甲所" }\nmax_weekends = 1.5\n'),
        "personal[0].max_weekends",
        "must be a whole number, not a float",
    ),
    # objective
    "unknown objective term": (
        ("", '\n[objective]\nstages = ["max_burden", ["evenes"]]\n'),
        "objective.stages",
        'unknown objective term "evenes" (did you mean "evenness"?)',
    ),
    "no stages": (
        ("", "\n[objective]\nstages = []\n"),
        "objective.stages",
        "needs at least one stage",
    ),
    "repeated objective term": (
        ("", '\n[objective]\nstages = ["wishes", "wishes"]\n'),
        "objective.stages",
        'objective term "wishes" is repeated',
    ),
}


def edited(old: str, new: str) -> str:
    """BASE with ``old`` replaced by ``new``; ``new`` appended if ``old`` is empty, or
    prepended if it is ``^``."""
    if old == "^":
        return new + BASE
    if not old:
        return BASE + new
    return BASE.replace(old, new, 1)


@pytest.mark.parametrize(("edit", "where", "what"), ERRORS.values(), ids=ERRORS.keys())
def test_error(edit: tuple[str, str], where: str, what: str) -> None:
    """Each error is located at its key path and reported with the others."""
    text = edited(*edit)
    assert text != BASE
    found = problems("colour = 1\n" + text)
    rendered = [p.render("en") for p in found]
    location = f"duty.toml: {where}" if where else "duty.toml"
    assert any(p.where == location and what in p.en for p in found), rendered
    assert "duty.toml: colour" in [p.where for p in found], "problems not reported together"
    assert all(p.zh and p.en for p in found)


def test_every_problem_at_once_without_follow_on_errors() -> None:
    text = BASE.replace('end = "12:00"', 'end = "25:00"').replace("size = 2", "size = -2")
    text = text.replace('kind = "oncall"', 'kind = "standby"')
    text += '\n[[pins]]\nstaff = "张伟"\npost = "leader"\ndate = "2027-03-15"\nblock = "DAY"\n'
    assert wheres(text) == [
        "duty.toml: blocks[0].end",
        "duty.toml: posts[0].size",
        "duty.toml: posts[1].kind",
        "duty.toml: pins[0].post",
    ]


def test_unreadable_blocks_do_not_make_every_reference_unknown() -> None:
    text = BASE.replace('[[blocks]]\nid = "AM"', '[[blocks]]\nid = ""')
    # blocks[0] has no usable id: only references to "AM" itself are unknown
    assert wheres(text) == ["duty.toml: blocks[0].id", "duty.toml: posts[0].blocks"]
    text = BASE.replace("[[blocks]]", "[[block]]")
    assert "duty.toml: posts[0].blocks" not in wheres(text)


def test_the_spec_message() -> None:
    text = BASE + '\n[[posts]]\nid = "x"\nblocks = ["MORNING"]\n'
    assert [p.render("en") for p in problems(text)] == [
        'duty.toml: posts[2].blocks: unknown block "MORNING"'
    ]
    assert problems(text)[0].zh == "未知的班次 “MORNING”"


# --- property: small valid plans read back as written ---------------------------------

ZH = "上下午晚全天夜班坐席带领导专线应急"


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list | frozenset):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{_toml_value(k)} = {_toml_value(v)}" for k, v in value.items())
            + " }"
        )
    raise TypeError(value)


def to_toml(p: Plan) -> str:
    """A TOML text for ``p`` (written the way a coordinator might)."""
    out = [f"title = {_toml_value(p.title)}", "[period]"]
    out.append("dates = " + _toml_value([d.isoformat() for d in p.dates]))
    for b in p.blocks:
        out += ["[[blocks]]", f"id = {_toml_value(b.id)}", f"name = {_toml_value(b.name)}"]
        out += [f'start = "{format_minute(b.start)}"', f'end = "{format_minute(b.end)}"']
    out.append("[rules]")
    for name in Rules.__dataclass_fields__:
        value = getattr(p.rules, name)
        if name in ("max_blocks", "forbid_after"):
            if value:
                out.append(f"{name} = {_toml_value(dict(value))}")
        elif value is not None:
            out.append(f"{name} = {_toml_value(value)}")
    for post in p.posts:
        out += ["[[posts]]", f"id = {_toml_value(post.id)}", f"name = {_toml_value(post.name)}"]
        out += [f"blocks = {_toml_value(post.blocks)}", f"size = {post.size}"]
        out += [f"teams = {post.teams}", f'kind = "{post.kind}"', f"weight = {post.weight!r}"]
        if post.units is not None:
            out.append(f"units = {_toml_value(post.units)}")
        if post.require:
            out.append(f"require = {_toml_value(sorted(post.require))}")
        for key, slots in (("size_at", post.size_at), ("teams_at", post.teams_at)):
            if slots:
                out.append(f"{key} = {_toml_value({f'{d} {b}': n for (d, b), n in slots})}")
        if post.at_least:
            out.append(f"at_least = {_toml_value(dict(post.at_least))}")
    for f in p.factors:
        when = f"{format_minute(f.start)}-{format_minute(f.end)}"
        when = f"{f.date} {when}" if f.date else when
        out += ["[[factors]]", f'when = "{when}"', f"factor = {f.factor!r}"]
    return "\n".join(out) + "\n"


@st.composite
def small_plans(draw: st.DrawFn) -> Plan:
    first = dt.date(2027, 2, 1)
    offsets = draw(st.lists(st.integers(0, 40), min_size=1, max_size=4, unique=True))
    dates = tuple(sorted(first + dt.timedelta(days=o) for o in offsets))
    n = draw(st.integers(1, 4))
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Z][A-Z0-9_]{0,4}", fullmatch=True),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    names = draw(st.lists(st.text(ZH, min_size=1, max_size=3), min_size=n, max_size=n, unique=True))
    blocks = []
    for block_id, name in zip(ids, names, strict=True):
        start = draw(st.integers(0, 47))
        end = draw(st.integers(start + 1, 48))
        blocks.append(Block(block_id, name, start * 30, end * 30))
    posts = []
    for index in range(draw(st.integers(1, 3))):
        post_blocks = tuple(
            draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True))
        )
        size = draw(st.integers(0, 5))
        slots = [(d, b) for d in dates for b in post_blocks]
        size_at = draw(st.dictionaries(st.sampled_from(slots), st.integers(0, 6), max_size=2))
        smallest = min([size, *size_at.values()])
        at_least = draw(
            st.dictionaries(
                st.sampled_from(["执法证", "驾驶员"]), st.integers(0, smallest), max_size=2
            )
        )
        posts.append(
            Post(
                id=f"p{index}",
                name=f"岗位{index}",
                blocks=post_blocks,
                size=size,
                units=draw(
                    st.none()
                    | st.lists(
                        st.text(ZH, min_size=1, max_size=4), min_size=1, max_size=2, unique=True
                    ).map(tuple)
                ),
                require=frozenset(
                    draw(st.lists(st.sampled_from(["坐席", "带班", "转办"]), max_size=2))
                ),
                size_at=tuple(size_at.items()),
                teams=draw(st.integers(0, 3)),
                teams_at=tuple(
                    draw(
                        st.dictionaries(st.sampled_from(slots), st.integers(0, 3), max_size=2)
                    ).items()
                ),
                at_least=tuple(at_least.items()),
                kind=draw(st.sampled_from(Kind)),
                weight=draw(st.floats(0, 10, allow_nan=False)),
            )
        )
    factors = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, 23))
        end = draw(st.integers(start + 1, 24))
        day = draw(st.none() | st.sampled_from(dates))
        factors.append(Factor(start * 60, end * 60, draw(st.floats(0.1, 5)), day))
    rules = Rules(
        max_onsite_hours_per_day=draw(st.none() | st.sampled_from([4.0, 7.5, 8.0])),
        max_weekends=draw(st.none() | st.integers(0, 4)),
        max_blocks=tuple(
            draw(st.dictionaries(st.sampled_from(ids), st.integers(0, 3), max_size=2)).items()
        ),
    )
    title = draw(
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
            min_size=1,
            max_size=12,
        )
    )
    return Plan(
        title, dates, tuple(blocks), tuple(posts), rules, tuple(factors), source="duty.toml"
    )


@settings(max_examples=150, deadline=None)
@given(small_plans())
def test_small_plans_read_back_as_written(p: Plan) -> None:
    assert parse_plan(to_toml(p)) == p


@settings(max_examples=50, deadline=None)
@given(small_plans(), st.data())
def test_a_stray_key_in_any_post_is_located(p: Plan, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(p.posts) - 1))
    text = to_toml(p).replace(f'id = "p{index}"\n', f'id = "p{index}"\nbogus = 1\n')
    assert wheres(text) == [f"duty.toml: posts[{index}].bogus"]


def test_a_plan_needs_blocks_and_posts() -> None:
    text = 'blocks = []\nposts = []\n[period]\ndates = ["2027-03-14"]\n'
    assert [(p.where, p.en) for p in problems(text)] == [
        ("duty.toml: blocks", "needs at least one block"),
        ("duty.toml: posts", "needs at least one post"),
    ]
    assert [p.en for p in problems("")] == [
        'missing required key "period"',
        'missing required key "blocks"',
        'missing required key "posts"',
    ]
