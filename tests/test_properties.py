"""Hypothesis properties over small generated bureaus and plans.

The solver and the independent checker must agree: every roster the solver returns obeys
every rule, and when it says INFEASIBLE no roster can be found by brute force on the tiny
cases where that is cheap. A roster survives a round trip through its workbook.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from roster.checker import check
from roster.cli import main
from roster.io.workbook import read_roster, write_workbook
from roster.model import (
    Absence,
    Apart,
    Assignment,
    Block,
    Demand,
    Factor,
    Kind,
    Person,
    Personal,
    Pin,
    Plan,
    Post,
    Restrict,
    Roster,
    Rules,
    Selector,
    Soft,
    Staff,
)
from roster.result import SolverParams, Status
from solvers import solve

PARAMS = SolverParams(time_limit=10, workers=1, seed=0)
# ROSTER_EXAMPLES=2000 pytest tests/test_properties.py searches deeper than CI does.
EXAMPLES = int(os.environ.get("ROSTER_EXAMPLES", "0"))
D0 = dt.date(2027, 3, 14)  # a Sunday
UNITS = ("甲所", "乙所", "中心")
SKILLS = ("坐席", "带班", "驾驶员")
CERT = "执法证"
BLOCK_POOL = (
    Block("AM", "上午", 8 * 60, 12 * 60),
    Block("PM", "下午", 12 * 60, 16 * 60),
    Block("EVE", "傍晚", 16 * 60, 20 * 60),
    Block("NIGHT", "晚上", 20 * 60, 24 * 60),
    Block("DAY", "全天", 8 * 60, 24 * 60),  # overlaps every block but EARLY
    Block("MID", "午间", 10 * 60, 14 * 60),  # overlaps AM and PM
    Block("EARLY", "凌晨", 0, 4 * 60),  # follows the previous date's NIGHT without a break
)
BRUTE_FORCE_LIMIT = 300  # rosters to enumerate when checking an INFEASIBLE answer

T = TypeVar("T")


def chance(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in ``one_in`` draws (shrinking towards False)."""
    return draw(st.integers(1, one_in)) == one_in


def maybe(strategy: st.SearchStrategy[T], one_in: int = 2) -> st.SearchStrategy[T | None]:
    """A draw from ``strategy`` about once in ``one_in`` draws, else ``None``."""
    return st.integers(1, one_in).flatmap(lambda n: strategy if n == one_in else st.none())


def some(draw: st.DrawFn, items: Sequence[T], least: int, most: int) -> tuple[T, ...]:
    """Between ``least`` and ``most`` distinct items, in the order drawn."""
    return tuple(draw(st.lists(st.sampled_from(items), min_size=least, max_size=most, unique=True)))


@st.composite
def absences(draw: st.DrawFn, dates: tuple[dt.date, ...], blocks: tuple[Block, ...]) -> Absence:
    date = draw(st.sampled_from(dates))
    kind = draw(st.sampled_from(("date", "range", "block")))
    if kind == "date":
        return Absence(date)
    if kind == "block":
        return Absence(date, block=draw(st.sampled_from(blocks)).id)
    start = draw(st.integers(0, 23)) * 60
    end = draw(st.integers(start // 60 + 1, 24)) * 60
    return Absence(date, start, end)


@st.composite
def people(
    draw: st.DrawFn,
    units: tuple[str, ...],
    dates: tuple[dt.date, ...],
    blocks: tuple[Block, ...],
    ids: st.SearchStrategy[str] | None = None,
) -> tuple[Person, ...]:
    count = draw(st.integers(3, 10))
    if ids is None:
        staff_ids = [f"P{i + 1}" for i in range(count)]
    else:
        staff_ids = draw(st.lists(ids, min_size=count, max_size=count, unique=True))
    found = []
    for i, staff_id in enumerate(staff_ids):
        found.append(
            Person(
                id=staff_id,
                name=f"人{i + 1}",
                unit=draw(st.sampled_from(units)),
                gender=draw(st.sampled_from(("男", "女", ""))),
                skills=draw(st.frozensets(st.sampled_from(SKILLS))),
                cert=draw(st.sampled_from(("", f"Z{i}"))),
                absences=tuple(draw(st.lists(absences(dates, blocks), max_size=2)))
                if chance(draw, 3)
                else (),
                max_hours=draw(maybe(st.sampled_from((4.0, 8.0, 12.0)), 5)),
            )
        )
    return tuple(found)


@st.composite
def posts(
    draw: st.DrawFn,
    index: int,
    units: tuple[str, ...],
    dates: tuple[dt.date, ...],
    blocks: tuple[Block, ...],
) -> Post:
    block_ids = some(draw, [b.id for b in blocks], 1, 3)
    placement = draw(st.sampled_from(("any", "any", "any", "units", "per_unit")))
    chosen = some(draw, units, 1, 2)
    size = draw(st.sampled_from((0, 1, 1, 1, 1, 2, 2, 3)))
    size_at: tuple[tuple[tuple[dt.date, str], int], ...] = ()
    if chance(draw, 3):
        slot = (draw(st.sampled_from(dates)), draw(st.sampled_from(block_ids)))
        size_at = ((slot, draw(st.integers(0, 3))),)
    teams_at: tuple[tuple[tuple[dt.date, str], int], ...] = ()
    if chance(draw, 5):
        slot = (draw(st.sampled_from(dates)), draw(st.sampled_from(block_ids)))
        teams_at = ((slot, draw(st.integers(0, 2))),)
    at_least: tuple[tuple[str, int], ...] = ()
    # As the plan reader demands: at_least fits in every team the post has.
    smallest = min([size, *(n for slot, n in size_at if dict(teams_at).get(slot) != 0)])
    if smallest >= 1 and chance(draw, 3):
        need = 2 if smallest >= 2 and chance(draw, 3) else 1
        at_least = ((draw(st.sampled_from((CERT, CERT, *SKILLS))), need),)
    return Post(
        id=f"post{index}",
        name=f"岗位{index}",
        blocks=block_ids,
        size=size,
        units=chosen if placement == "units" else None,
        per_unit=chosen if placement == "per_unit" else None,
        require=frozenset({draw(st.sampled_from((CERT, *SKILLS)))})
        if chance(draw, 4)
        else frozenset(),
        size_at=size_at,
        teams=draw(st.sampled_from((1, 1, 1, 2))),
        teams_at=teams_at,
        at_least=at_least,
        kind=draw(st.sampled_from((Kind.ONSITE, Kind.ONSITE, Kind.ONCALL))),
        weight=draw(st.sampled_from((0.5, 1.0, 1.5))),
        soft=Soft(under=10, over=1) if chance(draw, 8) else None,
    )


@st.composite
def rules(draw: st.DrawFn, blocks: tuple[Block, ...]) -> Rules:
    ids = [b.id for b in blocks]
    max_blocks: tuple[tuple[str, int], ...] = ()
    if chance(draw, 6):
        max_blocks = ((draw(st.sampled_from(ids)), draw(st.integers(0, 1))),)
    forbid_after: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if chance(draw, 6):
        forbid_after = ((draw(st.sampled_from(ids)), (draw(st.sampled_from(ids)),)),)
    return Rules(
        max_onsite_hours_per_day=draw(maybe(st.sampled_from((4.0, 8.0, 12.0)))),
        max_consecutive_hours=draw(maybe(st.sampled_from((4.0, 6.0, 8.0)))),
        min_rest_hours=draw(maybe(st.sampled_from((8.0, 12.0)))),
        max_hours_total=draw(maybe(st.sampled_from((8.0, 16.0)))),
        max_consecutive_days=draw(maybe(st.just(1), 6)),
        max_weekends=draw(maybe(st.sampled_from((0, 1, 1)), 8)),
        max_blocks=max_blocks,
        min_hours_total=draw(maybe(st.just(4.0), 20)),
        forbid_after=forbid_after,
    )


@st.composite
def scenarios(draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None) -> tuple[Plan, Staff]:
    """A small bureau (2-3 units, 3-10 people) and a plan over 1-2 dates."""
    units = UNITS[: draw(st.integers(2, 3))]
    dates: tuple[dt.date, ...] = (D0,)
    if draw(st.booleans()):
        dates = (D0, D0 + dt.timedelta(days=draw(st.sampled_from((1, 1, 2)))))
    blocks = some(draw, BLOCK_POOL, 2, 4)
    staff = Staff(draw(people(units, dates, blocks, ids)))
    plan_posts = tuple(
        draw(posts(i + 1, units, dates, blocks)) for i in range(draw(st.integers(1, 3)))
    )
    everyone = [p.id for p in staff.people]
    pins: tuple[Pin, ...] = ()
    if chance(draw, 5):
        post = draw(st.sampled_from(plan_posts))
        # Mostly someone the post admits, so a pin is not just a way to be infeasible.
        fits = [p.id for p in staff if any(_eligible(post, u, p) for u in post.unit_slots())]
        pin = Pin(
            draw(st.sampled_from(fits if fits and not chance(draw, 4) else everyone)),
            post.id,
            draw(st.sampled_from(dates)),
            draw(st.sampled_from(post.blocks)),
            draw(st.sampled_from((None, None, 1))),
        )
        pins = (pin,)
    apart: tuple[Apart, ...] = ()
    if chance(draw, 4):
        apart = (Apart(some(draw, everyone, 2, 2)),)
    restrict: tuple[Restrict, ...] = ()
    if chance(draw, 4):
        who = draw(
            st.sampled_from(
                (Selector(gender=("女",)), Selector(unit=(units[0],)), Selector(skill=(CERT,)))
            )
        )
        restrict = (
            Restrict(who, some(draw, [b.id for b in blocks], 1, 2), some(draw, dates, 0, 1)),
        )
    personal: tuple[Personal, ...] = ()
    if chance(draw, 6):
        personal = (Personal(Selector(unit=(units[-1],)), Rules(max_hours_total=4.0)),)
    factors = (Factor(20 * 60, 24 * 60, 1.5),) if draw(st.booleans()) else ()
    plan = Plan(
        title="生成的值班表",
        dates=dates,
        blocks=blocks,
        posts=plan_posts,
        rules=draw(rules(blocks)),
        factors=factors,
        pins=pins,
        apart=apart,
        restrict=restrict,
        personal=personal,
    )
    return plan, staff


# --- independent witnesses ----------------------------------------------------------------


def _eligible(post: Post, unit: str | None, person: Person) -> bool:
    """Unit and skills only: the cheapest filter, so brute force misses no valid roster."""
    if unit is not None:
        units_ok = person.unit == unit
    else:
        units_ok = post.units is None or person.unit in post.units
    return units_ok and post.require <= person.skills


def _hard_demands(plan: Plan) -> list[Demand]:
    return [d for d in plan.demands() if d.size > 0]


def trivially_infeasible(plan: Plan, staff: Staff) -> str | None:
    """A reason no roster can exist, from counting alone, or ``None``."""
    if any(p.soft is not None or p.soft_at for p in plan.posts):
        return None
    per_slot: Counter[tuple[dt.date, str]] = Counter()
    for demand in _hard_demands(plan):
        eligible = [p for p in staff if _eligible(demand.post, demand.unit, p)]
        if len(eligible) < demand.size:
            return f"{demand.key}: {demand.size} places, {len(eligible)} eligible"
        for skill, need in demand.post.at_least:
            if need > demand.size:
                return f"{demand.key}: needs {need} holders of {skill} in a team of {demand.size}"
        per_slot[demand.date, demand.block] += demand.size
    for slot, places in per_slot.items():
        if places > len(staff):
            return f"{slot}: {places} places, {len(staff)} people"
    return None


def brute_force_rosters(
    plan: Plan, staff: Staff, limit: int = BRUTE_FORCE_LIMIT
) -> Iterator[Roster] | None:
    """Every roster with eligible people in every place, or ``None`` if more than ``limit``."""
    if any(p.soft is not None or p.soft_at for p in plan.posts):
        return None
    choices = []
    for demand in _hard_demands(plan):
        eligible = [p.id for p in staff if _eligible(demand.post, demand.unit, p)]
        choices.append([(demand, team) for team in itertools.combinations(eligible, demand.size)])
    if math.prod(len(c) for c in choices) > limit:
        return None
    units = {p.id: p.unit for p in staff}
    return (
        Roster(
            tuple(
                Assignment(d.date, d.block, d.post.id, d.team, sid, units[sid])
                for d, team in combo
                for sid in team
            )
        )
        for combo in itertools.product(*choices)
    )


# --- properties ---------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES or 60,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_a_solved_roster_passes_the_checker(scenario: tuple[Plan, Staff]) -> None:
    plan, staff = scenario
    note(f"plan={plan!r}")
    note(f"staff={staff!r}")
    result = solve(plan, staff, PARAMS)
    event(f"status {result.status}")
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE)
    if result.roster is not None:
        violations = check(result.roster, plan, staff)
        assert [v.render("en") for v in violations] == []
        assert trivially_infeasible(plan, staff) is None
        return
    rosters = brute_force_rosters(plan, staff)
    event(f"infeasible, brute force {'skipped' if rosters is None else 'ran'}")
    if rosters is not None:
        for roster in rosters:
            assert check(roster, plan, staff), (
                f"INFEASIBLE, yet this roster obeys every rule: {roster}"
            )


ODD_IDS = st.sampled_from(
    ("P1", "007", "12", "3.5", "=A1", "-4", "+5", "@x", "张1", "P 2", "A-1", "0")
)


@settings(
    max_examples=EXAMPLES // 10 or 15,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios(ids=ODD_IDS))
def test_a_roster_survives_its_workbook(scenario: tuple[Plan, Staff]) -> None:
    plan, staff = scenario
    result = solve(plan, staff, PARAMS, partial=True)
    event(f"status {result.status}")
    if result.roster is None:
        return
    event("with unfilled places" if result.roster.unfilled else "all places filled")
    # A partial roster breaks no rule but coverage: its unfilled places are marked.
    rules = {v.rule for v in check(result.roster, plan, staff)}
    assert rules <= ({"coverage", "team_composition"} if result.roster.unfilled else set())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        write_workbook(path, result.roster, plan, staff, result=result)
        back_with_plan = read_roster(path, plan)
        back = read_roster(path)
    assert Counter(back_with_plan) == Counter(result.roster)
    assert Counter(back) == Counter(result.roster)


# --- the command line on generated infeasible plans ------------------------------------------


def _toml_time(minute: int) -> str:
    return f'"{minute // 60:02d}:{minute % 60:02d}"'


def _plan_toml(plan: Plan) -> str:
    """The TOML of the plans ``infeasible_scenarios`` builds (blocks, plain posts, rules)."""
    lines = [f'title = "{plan.title}"', "[period]"]
    lines.append("dates = [" + ", ".join(f'"{d.isoformat()}"' for d in plan.dates) + "]")
    lines.append("[rules]")
    lines.append(f"max_onsite_hours_per_day = {plan.rules.max_onsite_hours_per_day}")
    for block in plan.blocks:
        lines += [
            "[[blocks]]",
            f'id = "{block.id}"',
            f'name = "{block.name}"',
            f"start = {_toml_time(block.start)}",
            f"end = {_toml_time(block.end)}",
        ]
    for post in plan.posts:
        lines += [
            "[[posts]]",
            f'id = "{post.id}"',
            f'name = "{post.name}"',
            "blocks = [" + ", ".join(f'"{b}"' for b in post.blocks) + "]",
            f"size = {post.size}",
        ]
    return "\n".join(lines) + "\n"


def _write_staff(staff: Staff, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(["编号", "姓名", "单位"])
    for person in staff:
        sheet.append([person.id, person.name, person.unit])
    book.save(path)


@st.composite
def infeasible_scenarios(draw: st.DrawFn) -> tuple[Plan, Staff]:
    """Plans that cannot be staffed: a block needs more people than there are, or a post
    needs more on-site hours a day than the cap lets its people give."""
    units = UNITS[: draw(st.integers(1, 3))]
    count = draw(st.integers(1, 5))
    staff = Staff(
        tuple(Person(f"P{i + 1}", f"人{i + 1}", draw(st.sampled_from(units))) for i in range(count))
    )
    blocks = BLOCK_POOL[:4]
    if draw(st.booleans()):
        post = Post("hotline", "坐席", ("AM", "PM"), size=count + draw(st.integers(1, 2)))
        rules = Rules(max_onsite_hours_per_day=8.0)
    else:  # everyone on duty 16 h a day, 8 allowed
        post = Post("hotline", "坐席", ("AM", "PM", "EVE", "NIGHT"), size=count)
        rules = Rules(max_onsite_hours_per_day=8.0)
    plan = Plan("不可排班", (D0,), blocks, (post,), rules=rules)
    return plan, staff


@settings(max_examples=4, deadline=None, derandomize=True)
@given(infeasible_scenarios())
def test_cli_solve_of_an_infeasible_plan_writes_nothing(scenario: tuple[Plan, Staff]) -> None:
    plan, staff = scenario
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write_staff(staff, root / "staff.xlsx")
        (root / "duty.toml").write_text(_plan_toml(plan), encoding="utf-8")
        before = sorted(p.name for p in root.iterdir())
        out = root / "out.xlsx"
        result = CliRunner().invoke(
            main,
            ["solve", str(root / "staff.xlsx"), str(root / "duty.toml"), "-o", str(out),
             "--time-limit", "10", "--workers", "1", "--lang", "en"],
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        assert "no roster possible" in result.output
        assert "Traceback" not in result.output
        assert not out.exists()
        assert sorted(p.name for p in root.iterdir()) == before


# --- disagreements found by the properties, kept as regression tests --------------------------


def test_a_partly_filled_soft_team_meets_at_least() -> None:
    day = Block("DAY", "全天", 8 * 60, 24 * 60)
    squad = Post(
        "squad", "小分队", ("DAY",), size=2, at_least=((CERT, 1),), soft=Soft(under=10, over=1)
    )
    plan = Plan("t", (D0,), (day,), (squad,))
    staff = Staff((Person("1", "甲", "u"),))  # no certificate
    result = solve(plan, staff, PARAMS)
    assert result.roster is not None
    assert [v.render("en") for v in check(result.roster, plan, staff)] == []
