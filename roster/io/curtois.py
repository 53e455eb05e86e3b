"""The Curtois & Qu shift-scheduling benchmark (instances 1-24): read, translate, score.

An instance file (format in ``shared/benchmarks/curtois/FORMAT.md``) becomes roster's own
:class:`Staff` and :class:`Plan`, so the product's model solves it unchanged:

- day ``d`` is the date ``start + d``; ``start`` is a Monday (2029-01-01), so the benchmark's
  weekend ``k`` (days ``7k+5``, ``7k+6``) is the Saturday and Sunday of one ISO week;
- a shift type is a block from 00:00 lasting its length: all blocks of a date overlap, so
  "one place at a time" allows at most one shift per day;
- the cover of a shift type is one soft post with a target per date (``size_at``) and the
  file's under/over weights;
- ``MaxShifts[t] = 0`` is a qualification (the person lacks skill ``t``); other limits are
  ``[[personal]]`` rules: ``max_blocks``, total minutes as hours, runs of duty days and days
  off, weekends; ``Blocked`` successions are ``forbid_after``;
- days off are absences; shift on/off requests are weighted prefer/avoid wishes;
- the objective is one stage, ``coverage + wishes``: exactly the benchmark's penalty.

:func:`score` and :func:`violations` judge a roster by the file alone, written from
FORMAT.md and sharing nothing with the translation or the model.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from roster.model import (
    Absence,
    Block,
    Person,
    Personal,
    Plan,
    Post,
    Roster,
    Rules,
    Selector,
    Soft,
    Staff,
    Wish,
    WishKind,
)

START = dt.date(2029, 1, 1)
"""Day 0 of every instance: a Monday."""
UNIT = "ward"
SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    minutes: int
    blocked: tuple[str, ...]  # types that may not be worked on the next day


@dataclass(frozen=True, slots=True)
class Employee:
    id: str
    max_shifts: tuple[tuple[str, int], ...]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True, slots=True)
class Request:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True, slots=True)
class Cover:
    day: int
    shift: str
    requirement: int
    under: int
    over: int


@dataclass(frozen=True, slots=True)
class Instance:
    """One benchmark instance, as written in its file."""

    name: str
    horizon: int
    shifts: tuple[Shift, ...]
    employees: tuple[Employee, ...]
    days_off: tuple[tuple[str, tuple[int, ...]], ...]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    def shift(self, shift_id: str) -> Shift:
        return next(s for s in self.shifts if s.id == shift_id)


class FormatError(ValueError):
    """An instance file that does not follow the format; names the file and line."""


# --- reading -----------------------------------------------------------------------------


def read_instance(path: str | Path) -> Instance:
    """Read an instance file (CRLF or LF line ends)."""
    path = Path(path)
    return parse_instance(path.read_text(encoding="ascii"), path.stem)


def parse_instance(text: str, name: str = "instance") -> Instance:
    """Parse the text of an instance file; raise :class:`FormatError` on a bad line."""
    rows: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    section = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise FormatError(f"{name}:{number}: unknown section {line!r}")
            section = line
            continue
        if section is None:
            raise FormatError(f"{name}:{number}: data before the first section")
        rows[section].append((number, line.split(",")))

    def fields(section: str, count: int | None) -> list[tuple[int, list[str]]]:
        found = rows.get(section, [])
        for number, values in found:
            if count is not None and len(values) != count:
                raise FormatError(
                    f"{name}:{number}: {section} rows have {count} fields, not {len(values)}"
                )
        return found

    def integer(value: str, number: int) -> int:
        try:
            return int(value)  # Instance15 writes "-0"
        except ValueError:
            raise FormatError(f"{name}:{number}: {value!r} is not an integer") from None

    horizon_rows = fields("SECTION_HORIZON", 1)
    if len(horizon_rows) != 1:
        raise FormatError(f"{name}: SECTION_HORIZON needs exactly one value")
    horizon = integer(horizon_rows[0][1][0], horizon_rows[0][0])
    shifts = tuple(
        Shift(v[0], integer(v[1], n), tuple(b for b in v[2].split("|") if b))
        for n, v in fields("SECTION_SHIFTS", 3)
    )
    employees = []
    for n, v in fields("SECTION_STAFF", 8):
        limits = []
        for item in v[1].split("|"):
            shift, _, count = item.partition("=")
            limits.append((shift, integer(count, n)))
        numbers = [integer(x, n) for x in v[2:]]
        employees.append(Employee(v[0], tuple(limits), *numbers))
    days_off = tuple(
        (v[0], tuple(integer(x, n) for x in v[1:] if x))
        for n, v in fields("SECTION_DAYS_OFF", None)
    )

    def requests(section: str) -> tuple[Request, ...]:
        return tuple(
            Request(v[0], integer(v[1], n), v[2], integer(v[3], n)) for n, v in fields(section, 4)
        )

    cover = tuple(
        Cover(integer(v[0], n), v[1], *(integer(x, n) for x in v[2:]))
        for n, v in fields("SECTION_COVER", 5)
    )
    instance = Instance(
        name,
        horizon,
        shifts,
        tuple(employees),
        days_off,
        requests("SECTION_SHIFT_ON_REQUESTS"),
        requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover,
    )
    _check_references(instance)
    return instance


def _check_references(instance: Instance) -> None:
    shifts = {s.id for s in instance.shifts}
    staff = {e.id for e in instance.employees}
    name = instance.name
    if instance.horizon <= 0:
        raise FormatError(f"{name}: the horizon must be positive")
    for shift in instance.shifts:
        if shift.minutes <= 0 or shift.minutes > 1440:
            raise FormatError(f"{name}: shift {shift.id} lasts {shift.minutes} minutes")
        if unknown := set(shift.blocked) - shifts:
            raise FormatError(f"{name}: shift {shift.id} blocks unknown {sorted(unknown)}")
    for employee in instance.employees:
        if unknown := {t for t, _ in employee.max_shifts} - shifts:
            raise FormatError(f"{name}: {employee.id} limits unknown shifts {sorted(unknown)}")
    days = range(instance.horizon)
    for who, off in instance.days_off:
        if who not in staff or any(d not in days for d in off):
            raise FormatError(f"{name}: days off of {who} name an unknown employee or day")
    for r in (*instance.on_requests, *instance.off_requests):
        if r.employee not in staff or r.shift not in shifts or r.day not in days:
            raise FormatError(f"{name}: request {r} names an unknown employee, shift or day")
    for c in instance.cover:
        if c.shift not in shifts or c.day not in days:
            raise FormatError(f"{name}: cover row {c} names an unknown shift or day")


# --- translating ---------------------------------------------------------------------------


def date_of(day: int, start: dt.date = START) -> dt.date:
    return start + dt.timedelta(days=day)


def to_inputs(instance: Instance, start: dt.date = START) -> tuple[Staff, Plan]:
    """The instance as roster's staff and plan, whose objective is the benchmark's penalty."""
    if start.weekday() != 0:
        raise ValueError("day 0 of a Curtois instance is a Monday")
    days_off = dict(instance.days_off)
    people = []
    personal = []
    for e in instance.employees:
        limits = dict(e.max_shifts)
        people.append(
            Person(
                e.id,
                e.id,
                UNIT,
                skills=frozenset(t for t in limits if limits[t] > 0),
                absences=tuple(
                    Absence(date_of(d, start), reason="day off") for d in days_off.get(e.id, ())
                ),
            )
        )
        rules = Rules(
            max_hours_total=e.max_minutes / 60,
            min_hours_total=e.min_minutes / 60 if e.min_minutes else None,
            max_consecutive_days=e.max_consecutive,
            min_consecutive_days=e.min_consecutive if e.min_consecutive > 1 else None,
            min_consecutive_days_off=e.min_days_off if e.min_days_off > 1 else None,
            max_weekends=e.max_weekends,
            max_blocks=tuple((t, n) for t, n in e.max_shifts if 0 < n < instance.horizon),
        )
        personal.append(Personal(Selector(staff=(e.id,)), rules))
    wishes = [
        Wish(r.employee, date_of(r.day, start), r.shift, kind, float(r.weight))
        for requests, kind in (
            (instance.on_requests, WishKind.PREFER),
            (instance.off_requests, WishKind.AVOID),
        )
        for r in requests
    ]
    by_shift: dict[str, list[Cover]] = defaultdict(list)
    for c in instance.cover:
        by_shift[c.shift].append(c)
    posts = []
    for shift in instance.shifts:
        rows = by_shift[shift.id]
        size = Counter(c.requirement for c in rows).most_common(1)[0][0] if rows else 0
        weights = Counter((c.under, c.over) for c in rows).most_common(1)
        soft = Soft(*weights[0][0]) if weights else Soft(100, 1)
        posts.append(
            Post(
                shift.id,
                f"shift {shift.id}",
                (shift.id,),
                size=size,
                size_at=tuple(
                    ((date_of(c.day, start), shift.id), c.requirement)
                    for c in rows
                    if c.requirement != size
                ),
                require=frozenset({shift.id}),
                soft=soft,
                soft_at=tuple(
                    ((date_of(c.day, start), shift.id), Soft(c.under, c.over))
                    for c in rows
                    if (c.under, c.over) != (soft.under, soft.over)
                ),
            )
        )
    plan = Plan(
        title=f"Curtois-Qu {instance.name}",
        dates=tuple(date_of(d, start) for d in range(instance.horizon)),
        blocks=tuple(Block(s.id, s.id, 0, s.minutes) for s in instance.shifts),
        posts=tuple(posts),
        rules=Rules(forbid_after=tuple((s.id, s.blocked) for s in instance.shifts if s.blocked)),
        personal=tuple(personal),
        stages=(("coverage", "wishes"),),
        source=instance.name,
    )
    return Staff(tuple(people), tuple(wishes), instance.name), plan


# --- judging a roster by the file alone ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    """The benchmark's penalty, by part (FORMAT.md §2.2)."""

    under: int  # cover: weighted places short
    over: int  # cover: weighted places extra
    on_requests: int  # weighted on-requests not met
    off_requests: int  # weighted off-requests not met

    @property
    def total(self) -> int:
        return self.under + self.over + self.on_requests + self.off_requests


def shifts_worked(
    instance: Instance, roster: Roster, start: dt.date = START
) -> dict[tuple[str, int], list[str]]:
    """Each (employee, day) with the shift types the roster gives them that day."""
    worked: dict[tuple[str, int], list[str]] = defaultdict(list)
    for a in roster.filled:
        assert a.staff_id is not None
        worked[a.staff_id, (a.date - start).days].append(a.block)
    return worked


def score(instance: Instance, roster: Roster, start: dt.date = START) -> Score:
    """The benchmark's objective for a roster, computed from the instance file's data."""
    worked = shifts_worked(instance, roster, start)
    count: Counter[tuple[int, str]] = Counter()
    for (_, day), shifts in worked.items():
        for shift in shifts:
            count[day, shift] += 1
    under = sum(c.under * max(0, c.requirement - count[c.day, c.shift]) for c in instance.cover)
    over = sum(c.over * max(0, count[c.day, c.shift] - c.requirement) for c in instance.cover)
    on = sum(
        r.weight for r in instance.on_requests if r.shift not in worked.get((r.employee, r.day), ())
    )
    off = sum(
        r.weight for r in instance.off_requests if r.shift in worked.get((r.employee, r.day), ())
    )
    return Score(under, over, on, off)


def violations(instance: Instance, roster: Roster, start: dt.date = START) -> list[str]:
    """Every broken hard constraint of FORMAT.md §2.1, as plain sentences; ``[]`` if none."""
    found: list[str] = []
    h = instance.horizon
    lengths = {s.id: s.minutes for s in instance.shifts}
    blocked = {s.id: set(s.blocked) for s in instance.shifts}
    staff = {e.id for e in instance.employees}
    worked = shifts_worked(instance, roster, start)
    for (who, day), shifts in sorted(worked.items()):
        if who not in staff or not 0 <= day < h or set(shifts) - set(lengths):
            found.append(f"{who} day {day}: unknown employee, day or shift in {shifts}")
        elif len(shifts) > 1:
            found.append(f"{who} day {day}: {len(shifts)} shifts {sorted(shifts)}, at most one")
    days_off = dict(instance.days_off)
    for e in instance.employees:
        shift = {d: worked[e.id, d][0] for d in range(h) if worked.get((e.id, d))}
        work = [d in shift for d in range(h)]
        for d in days_off.get(e.id, ()):
            if work[d]:
                found.append(f"{e.id} day {d}: works on a fixed day off")
        for d in range(h - 1):
            if d in shift and d + 1 in shift and shift[d + 1] in blocked.get(shift[d], ()):
                found.append(f"{e.id} day {d + 1}: {shift[d + 1]} may not follow {shift[d]}")
        per_type = Counter(shift.values())
        for t, limit in e.max_shifts:
            if per_type[t] > limit:
                found.append(f"{e.id}: {per_type[t]} shifts of type {t}, at most {limit}")
        minutes = sum(lengths.get(t, 0) for t in shift.values())
        if not e.min_minutes <= minutes <= e.max_minutes:
            found.append(
                f"{e.id}: works {minutes} minutes, not within {e.min_minutes}-{e.max_minutes}"
            )
        for value, first, length in _runs(work):
            last = first + length - 1
            inside = first > 0 and last < h - 1  # both neighbours are days of the horizon
            where = f"{e.id} days {first}-{last}"
            if value and length > e.max_consecutive:
                found.append(f"{where}: {length} shifts in a row, at most {e.max_consecutive}")
            if value and inside and length < e.min_consecutive:
                found.append(f"{where}: {length} shifts in a row, at least {e.min_consecutive}")
            if not value and inside and length < e.min_days_off:
                found.append(f"{where}: {length} days off in a row, at least {e.min_days_off}")
        weekends = sum(work[7 * k + 5] or work[7 * k + 6] for k in range(h // 7))
        if weekends > e.max_weekends:
            found.append(f"{e.id}: works {weekends} weekends, at most {e.max_weekends}")
    return found


def _runs(values: list[bool]) -> list[tuple[bool, int, int]]:
    """Maximal runs of equal values: (value, first index, length)."""
    runs: list[tuple[bool, int, int]] = []
    for i, value in enumerate(values):
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((value, i, 1))
    return runs
