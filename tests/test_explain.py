"""``roster explain`` and an infeasible ``solve`` (SPEC §3 last paragraph, §6).

For each reason a place can be unfillable, a tiny plan where the explanation names that
reason and the place, and where every suggested relaxation, applied to the plan, really
gives a roster that the independent checker accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from roster.checker import check
from roster.cli import main
from roster.diagnose import Diagnosis, Why, count_shortages, render
from roster.model import (
    Absence,
    Apart,
    Block,
    Kind,
    Person,
    Pin,
    Plan,
    Post,
    Restrict,
    Rules,
    Selector,
    Staff,
)
from roster.relax import (
    AtLeastEdit,
    DropApart,
    DropSequenceRules,
    LiftRestrict,
    RuleEdit,
    SizeEdit,
    apply_edits,
)
from roster.result import SolverParams, Status
from solvers import solve
from solvers.cpsat.explain import explain
from tests import _small_inputs

D1, D2 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
AM = Block("AM", "上午", 8 * 60, 12 * 60)
PM = Block("PM", "下午", 12 * 60, 16 * 60)
EVE = Block("EVE", "傍晚", 16 * 60, 20 * 60)
NIGHT = Block("NIGHT", "夜间", 20 * 60, 24 * 60)
DAY = Block("DAY", "全天", 8 * 60, 24 * 60)
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)
SEAT = frozenset({"坐席"})


def person(pid: str, unit: str = "甲", **kwargs: object) -> Person:
    return Person(pid, f"人{pid}", unit, **kwargs)  # type: ignore[arg-type]


def plan(*posts: Post, dates: tuple[dt.date, ...] = (D1,), **kwargs: object) -> Plan:
    return Plan("t", dates, (AM, PM, EVE, NIGHT, DAY), posts, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Case:
    plan: Plan
    staff: Staff
    why: Why
    place: str  # what the explanation must say about the place
    words: str  # and about the reason (Chinese)
    edit: type  # a relaxation of this kind must be among the suggestions


def squad(**kwargs: object) -> Post:
    return Post("s", "小分队", ("DAY",), kind=Kind.ONCALL, **kwargs)  # type: ignore[arg-type]


CASES = {
    "leave": Case(
        plan(Post("h", "坐席", ("AM",), size=2, require=SEAT)),
        Staff(
            (
                person("1", skills=SEAT),
                person("2", skills=SEAT, absences=(Absence(D1, reason="病假"),)),
            )
        ),
        Why.LEAVE,
        "2027-03-14 上午, 坐席: 需要 2 人；可用的只有 1 人",
        "请假或不可值班：人2（病假）",
        SizeEdit,
    ),
    "skill": Case(
        plan(Post("h", "坐席", ("AM",), size=2, require=SEAT)),
        Staff((person("1", skills=SEAT), person("2"), person("3"))),
        Why.SKILL,
        "2027-03-14 上午, 坐席: 需要 2 人",
        "缺少技能 坐席：人2、人3",
        SizeEdit,
    ),
    "unit": Case(
        plan(Post("o", "基层所", ("AM",), size=2, per_unit=("甲",))),
        Staff((person("1", "甲"), person("2", "乙"))),
        Why.UNIT,
        "2027-03-14 上午, 基层所（甲）: 需要 2 人；可用的只有 1 人",
        "不属于可担任该岗位的单位：人2",
        SizeEdit,
    ),
    "daily_cap": Case(
        plan(Post("h", "坐席", ("AM", "PM", "EVE")), rules=Rules(max_onsite_hours_per_day=8)),
        Staff((person("1"),)),
        Why.DAILY,
        "2027-03-14 傍晚, 坐席: 需要 1 人",
        "人1（甲）: 每天现场值班不超过 8 小时",
        RuleEdit,
    ),
    "rest": Case(
        plan(Post("h", "坐席", ("AM", "NIGHT")), dates=(D1, D2), rules=Rules(min_rest_hours=10)),
        Staff((person("1"),)),
        Why.REST,
        "2027-03-15 上午, 坐席: 需要 1 人",
        "人1（甲）: 两天之间至少休息 10 小时",
        RuleEdit,
    ),
    "apart": Case(
        plan(Post("h", "坐席", ("AM",), size=2), apart=(Apart(("1", "2")),)),
        Staff((person("1"), person("2"), person("3", absences=(Absence(D1),)))),
        Why.APART,
        "2027-03-14 上午, 坐席: 需要 2 人",
        "人1（甲）: 与 人2 不同时值班（第 1 条 apart）",
        DropApart,
    ),
    "restrict": Case(
        plan(
            Post("o", "基层所", ("NIGHT",)),
            dates=(D1, D2),
            restrict=(Restrict(Selector(gender=("女",)), ("NIGHT",)),),
        ),
        Staff((person("1", gender="女"), person("2", gender="男", absences=(Absence(D2),)))),
        Why.RESTRICT,
        "2027-03-15 夜间, 基层所: 需要 1 人；可用的只有 0 人",
        "第 1 条 restrict 不排该时段：人1",
        LiftRestrict,
    ),
    "team_composition": Case(
        plan(squad(size=2, teams=2, at_least=(("执法证", 2),))),
        Staff(
            (
                person("1", cert="C1"),
                person("2", cert="C2"),
                person("3", cert="C3"),
                person("4"),
                person("5"),
            )
        ),
        Why.COMPOSITION,
        "2027-03-14 全天, 小分队: 2 队需要 4 名执法证持有人；可用的只有 3 人",
        "缺少技能 执法证：人4、人5",
        AtLeastEdit,
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def explained(request: pytest.FixtureRequest) -> tuple[Case, Diagnosis]:
    case = CASES[request.param]
    return case, explain(case.plan, case.staff, PARAMS)


def test_the_explanation_names_the_place_and_the_reason(
    explained: tuple[Case, Diagnosis],
) -> None:
    case, diagnosis = explained
    assert diagnosis.feasible is False
    assert case.why in diagnosis.reasons()
    words = render(diagnosis, case.plan, case.staff)
    assert words.startswith("无法排班")
    assert case.place in words
    assert case.words in words


def test_every_suggested_relaxation_really_gives_a_roster(
    explained: tuple[Case, Diagnosis],
) -> None:
    case, diagnosis = explained
    assert diagnosis.relaxations, "no relaxation suggested"
    assert any(isinstance(e, case.edit) for r in diagnosis.relaxations for e in r.edits)
    for relaxation in diagnosis.relaxations:
        relaxed, people = apply_edits(case.plan, case.staff, relaxation.edits)
        result = solve(relaxed, people, PARAMS)
        assert result.roster is not None, relaxation
        assert check(result.roster, relaxed, people) == [], relaxation


def test_the_explanation_speaks_english(explained: tuple[Case, Diagnosis]) -> None:
    case, diagnosis = explained
    words = render(diagnosis, case.plan, case.staff, "en")
    assert words.startswith("no roster possible")
    assert "any one of these makes the plan feasible" in words


def test_the_smallest_relaxation_of_a_cap_is_one_block_more() -> None:
    case = CASES["daily_cap"]
    diagnosis = explain(case.plan, case.staff, PARAMS)
    edits = [e for r in diagnosis.relaxations for e in r.edits if isinstance(e, RuleEdit)]
    assert edits == [RuleEdit("1", "max_onsite_hours_per_day", 8, 12)]


def test_a_restrict_is_lifted_only_on_the_date_it_binds() -> None:
    case = CASES["restrict"]
    diagnosis = explain(case.plan, case.staff, PARAMS)
    lifts = [e for r in diagnosis.relaxations for e in r.edits if isinstance(e, LiftRestrict)]
    assert lifts == [LiftRestrict(0, (D2,))]
    assert "第 1 条 restrict（女不排夜间）在 2027-03-15 不适用" in render(
        diagnosis, case.plan, case.staff
    )


def test_places_at_the_same_time_that_only_the_same_people_can_take() -> None:
    """The SPEC's example: holders needed elsewhere in the same block are not available."""
    p = plan(
        squad(size=2, teams=1, at_least=(("执法证", 2),)),
        Post("o", "基层所", ("AM",), per_unit=("乙",)),
    )
    people = Staff((person("1", cert="C1"), person("2", "乙", cert="C2"), person("3")))
    diagnosis = explain(p, people, PARAMS)
    words = render(diagnosis, p, people)
    assert (
        "2027-03-14 全天, 小分队: 需要 2 名执法证持有人；可用且未在同一时段值班的只有 1 人" in words
    )
    assert "同一时段只能由这些人担任的岗位：2027-03-14 上午, 基层所（乙） 1 人" in words
    english = render(diagnosis, p, people, "en")
    assert "needs 2 holders of 执法证; 1 is available and not already on duty" in english


def test_a_pin_that_cannot_hold_is_named_and_can_be_given_up() -> None:
    p = plan(Post("h", "坐席", ("AM",)), pins=(Pin("1", "h", D1, "AM"),))
    people = Staff((person("1", absences=(Absence(D1, 8 * 60, 10 * 60),)), person("2")))
    diagnosis = explain(p, people, PARAMS)
    assert Why.PIN in diagnosis.reasons()
    assert "固定安排：人1 2027-03-14 上午 坐席" in render(diagnosis, p, people)
    assert diagnosis.relaxations
    relaxed, _ = apply_edits(p, people, diagnosis.relaxations[0].edits)
    assert relaxed.pins == ()


PIN_CASES = {
    "unit": (
        plan(Post("h", "坐席", ("AM",), units=("乙",)), pins=(Pin("1", "h", D1, "AM"),)),
        Staff((person("1", "甲"), person("2", "乙"))),
        "本人属于 甲，不在 坐席 可派人的单位（乙）之列",
        "they belong to 甲, not one of the units of 坐席 (乙)",
    ),
    "own_unit": (
        plan(Post("o", "基层所", ("AM",), per_unit=("乙",)), pins=(Pin("1", "o", D1, "AM"),)),
        Staff((person("1", "甲"), person("2", "乙"))),
        "本人属于 甲，基层所 按单位设岗（per_unit），只由各单位本单位人员担任，其中没有 甲",
        "they belong to 甲; 基层所 is set per unit (per_unit)",
    ),
    "skill": (
        plan(Post("h", "坐席", ("AM",), require=SEAT), pins=(Pin("1", "h", D1, "AM"),)),
        Staff((person("1"), person("2", skills=SEAT))),
        "缺少 坐席 要求的技能 坐席",
        "they lack 坐席, which 坐席 requires",
    ),
    "restrict": (
        plan(
            Post("h", "坐席", ("NIGHT",)),
            pins=(Pin("1", "h", D1, "NIGHT"),),
            restrict=(Restrict(Selector(gender=("女",)), ("NIGHT",)),),
        ),
        Staff((person("1", gender="女"), person("2", gender="男"))),
        "第 1 条 restrict（女不排夜间）不排该时段",
        "kept out by restrict #1 (女 kept out of NIGHT)",
    ),
    "leave": (
        plan(Post("s", "小分队", ("DAY",), kind=Kind.ONCALL), pins=(Pin("1", "s", D1, "DAY"),)),
        Staff((person("1", absences=(Absence(D1, 8 * 60, 12 * 60, reason="体检"),)), person("2"))),
        "该时段请假或不可值班：2027-03-14 08:00-12:00（体检）",
        "on leave or unavailable then: 2027-03-14 08:00-12:00（体检）",
    ),
    "pinned_elsewhere": (
        plan(
            Post("h", "坐席", ("AM",)),
            Post("s", "小分队", ("DAY",), kind=Kind.ONCALL),
            pins=(Pin("1", "h", D1, "AM"), Pin("1", "s", D1, "DAY")),
        ),
        Staff((person("1"), person("2"))),
        "同一时段已有第 1 条固定安排：2027-03-14 上午, 坐席",
        "pinned at the same time by pin #1: 2027-03-14 AM, 坐席",
    ),
}


@pytest.mark.parametrize("name", sorted(PIN_CASES))
def test_a_pin_that_cannot_hold_says_why(name: str) -> None:
    # §3: not only which pin fails, but what about the person keeps them out of the place.
    p, people, zh, en = PIN_CASES[name]
    diagnosis = explain(p, people, PARAMS)
    assert diagnosis.feasible is False
    assert Why.PIN in diagnosis.reasons()
    assert f"{zh}）" in render(diagnosis, p, people)
    assert "(cannot hold: " in render(diagnosis, p, people, "en")
    assert en in render(diagnosis, p, people, "en")


def test_namesakes_are_told_apart_by_their_ids() -> None:
    # §2.1 lets two people share a name; every message naming one adds the id.
    seat = plan(Post("h", "坐席", ("AM",), size=2, require=SEAT))
    people = Staff(
        (
            Person("P1", "李娜", "甲", skills=SEAT),
            Person("P2", "李娜", "乙"),
            Person("P3", "王芳", "乙"),
        )
    )
    words = render(explain(seat, people, PARAMS), seat, people)
    assert "缺少技能 坐席：李娜（P2）、王芳" in words
    assert "李娜（P1）" not in words  # free, so not listed among those kept out
    apart = plan(Post("h", "坐席", ("AM",), size=2), apart=(Apart(("P1", "P2")),))
    people = Staff(
        (
            Person("P1", "李娜", "甲"),
            Person("P2", "李娜", "乙"),
            Person("P3", "王芳", "乙", absences=(Absence(D1),)),
        )
    )
    diagnosis = explain(apart, people, PARAMS)
    words = render(diagnosis, apart, people)
    assert "李娜（P1，甲）: 与 李娜（P2） 不同时值班（第 1 条 apart）" in words
    assert "王芳（乙）" in words  # a name nobody shares stays as it was
    assert "取消第 1 条 apart：允许 李娜（P1）、李娜（P2） 同时值班" in words
    english = render(diagnosis, apart, people, "en")
    assert "李娜（P1, 甲）: never on duty with 李娜（P2） (apart #1)" in english


def test_the_longer_period_rules_are_named_when_they_bind() -> None:
    p = plan(Post("h", "坐席", ("AM",)), dates=(D1, D2), rules=Rules(max_consecutive_days=1))
    people = Staff((person("1"),))
    diagnosis = explain(p, people, PARAMS)
    assert Why.OTHER in diagnosis.reasons()
    assert "§2.3 连续值班天数、周末等规则" in render(diagnosis, p, people)
    assert any(isinstance(e, DropSequenceRules) for r in diagnosis.relaxations for e in r.edits)


def test_a_feasible_plan_is_said_to_be_feasible() -> None:
    p = plan(Post("h", "坐席", ("AM",)))
    diagnosis = explain(p, Staff((person("1"),)), PARAMS)
    assert diagnosis.feasible is True
    assert render(diagnosis, p, Staff((person("1"),))).startswith("可以排班")


def test_counting_alone_finds_no_shortage_where_there_is_none() -> None:
    p = plan(squad(size=2, teams=2, at_least=(("执法证", 1),)))
    people = Staff(tuple(person(str(i), cert=f"C{i}") for i in range(4)))
    assert count_shortages(p, people) == ()


# --- the command line ------------------------------------------------------------------

FAST = ["--time-limit", "20", "--workers", "1", "--seed", "0"]


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    return _small_inputs.write(tmp_path)


def short_of_squads(plan_path: Path) -> Path:
    """The tiny plan with 3 squads on the 15th: 6 places for 4 people, 3 holders needed of 2."""
    text = plan_path.read_text(encoding="utf-8")
    text = text.replace("teams = 2\n", 'teams = 2\nteams_at = { "2027-03-15 DAY" = 3 }\n')
    plan_path.write_text(text, encoding="utf-8")
    return plan_path


def test_explain_exits_0_for_a_plan_that_can_be_staffed(tiny: tuple[Path, Path]) -> None:
    code, out, _ = run("explain", *tiny, *FAST)
    assert code == 0
    assert "可以排班" in out


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", "2027-03-15 全天, 执法应急小分队: 3 队需要 3 名执法证持有人；可用的只有 2 人"),
        ("en", "2027-03-15 DAY, 执法应急小分队: 3 teams need 3 holders of 执法证; only 2 are"),
        ("zh", "2027-03-15 全天, 执法应急小分队: 3 队每队 2 人，共需 6 人；可用的只有 4 人"),
    ],
)
def test_explain_exits_1_and_says_why(tiny: tuple[Path, Path], lang: str, words: str) -> None:
    staff, plan_path = tiny
    code, out, _ = run("explain", staff, short_of_squads(plan_path), "--lang", lang, *FAST)
    assert code == 1
    assert words in out
    assert 'teams_at."2027-03-15 DAY" = 2' in out  # the verified relaxation, as a TOML key


def test_an_infeasible_solve_explains_itself_and_writes_nothing(
    tiny: tuple[Path, Path], tmp_path: Path
) -> None:
    staff, plan_path = tiny
    out = tmp_path / "out.xlsx"
    code, _, err = run("solve", staff, short_of_squads(plan_path), "-o", out, *FAST)
    assert code == 1
    assert "3 队需要 3 名执法证持有人" in err
    assert not out.exists()


def test_partial_writes_the_fullest_roster_with_unfilled_places_marked(
    tiny: tuple[Path, Path], tmp_path: Path
) -> None:
    staff, plan_path = tiny
    out = tmp_path / "out.xlsx"
    code, stdout, err = run(
        "solve", staff, short_of_squads(plan_path), "-o", out, "--partial", *FAST
    )
    assert code == 1
    assert "空缺 2 个岗位人次" in stdout
    assert "3 队需要 3 名执法证持有人" in err
    book = load_workbook(out, read_only=True)
    for sheet in ("值班总表", "执法应急小分队", "各单位", "值班情况登记表"):
        cells = [str(c) for row in book[sheet].iter_rows(values_only=True) for c in row]
        assert any("【空缺】" in c for c in cells), sheet


def test_a_partial_roster_leaves_unfilled_the_place_a_holder_should_take() -> None:
    """Team composition: with one certificate holder for two teams needing one each, the
    second team's unfilled place is the holder's, and every other place is filled."""
    p = plan(squad(size=2, teams=2, at_least=(("执法证", 1),)))
    people = Staff((person("1", cert="C1"), person("2"), person("3"), person("4")))
    result = solve(p, people, PARAMS, partial=True)
    assert result.roster is not None
    assert result.stages[0].name == "coverage"
    assert result.stages[0].objective == 1
    unfilled = result.roster.unfilled
    assert len(unfilled) == 1
    team = unfilled[0].team
    members = {a.staff_id for a in result.roster.filled if a.team == team}
    assert len(members) == 1
    assert "1" not in members
    assert {a.staff_id for a in result.roster.filled if a.team != team} >= {"1"}
    violations = check(result.roster, p, people)
    assert {v.rule for v in violations} <= {"coverage", "team_composition"}
    assert result.status is Status.OPTIMAL
