"""The longer-period rules of SPEC §2.3: runs of duty days, weekends, blocks, successions.

A person "works" a date when they hold any duty (on-site or on-call) that starts on it.
Stretches of duty days and of free dates are maximal runs of calendar-consecutive dates of
the period with the same state: a gap in the period (a weekend-only plan) ends a stretch.
Only a stretch containing the first or last date of the period is exempt from the ``min_``
rules (the duty before and after the period is unknown); one that merely borders a gap is
held to them. A weekend is the Saturday and Sunday of one ISO week. These are the readings
of the independent checker (``roster/checker/sequences.py``).

Formulations: a work-day literal equal to the sum of the day's duties when they all
overlap. Runs of duty and free days are either clauses (sliding windows for the maximum;
for a minimum one three-literal clause per start and length, "a stretch starting here
reaches this date", instead of one per forbidden pattern) or, for small models, one
automaton per person and run of dates. The automaton's expansion is a flow over run
states whose linear relaxation is exact for one person's runs: it proves small instances
(Curtois-Qu 4 and 5 in seconds, where the clauses leave a gap), but it is several times
larger and slows the first roster on bigger ones, hence ``AUTOMATON_MAX``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from ortools.sat.python import cp_model, cp_model_helper

from roster.model import Plan, Rules
from solvers.cpsat.variables import Variables

Var = cp_model.IntVar
Lit = cp_model_helper.Literal | int  # a literal, or a constant where no duty is possible
ONE_DAY = dt.timedelta(days=1)
AUTOMATON_MAX = 600
"""Person-dates held to run rules up to which runs are automata rather than clauses."""
State = tuple[str, int, bool]  # "on"/"off", length so far (capped), started at an exempt end


def stretches(dates: tuple[dt.date, ...]) -> list[list[dt.date]]:
    """The period's dates split into runs of calendar-consecutive dates."""
    runs: list[list[dt.date]] = []
    for date in dates:
        if runs and runs[-1][-1] + ONE_DAY == date:
            runs[-1].append(date)
        else:
            runs.append([date])
    return runs


def _uses_runs(rules: Rules) -> bool:
    return (
        rules.max_consecutive_days is not None
        or (rules.min_consecutive_days or 0) > 1
        or (rules.min_consecutive_days_off or 0) > 1
    )


def uses_automaton(plan: Plan, rules: list[Rules] | tuple[Rules, ...]) -> bool:
    """Whether runs are automata for people with these rules: few person-dates in all."""
    return sum(len(plan.dates) for r in rules if _uses_runs(r)) <= AUTOMATON_MAX


def add_sequence_rules(
    model: cp_model.CpModel, v: Variables, plan: Plan, *, automaton: bool | None = None
) -> None:
    """§2.3 runs of duty days, free days and weekends, per person (personal overrides).

    Binds everyone the rules name, also people who can hold no duty (as the checker does).
    ``automaton`` chooses the runs' formulation; by default ``uses_automaton`` decides.
    """
    runs = stretches(plan.dates)
    first, last = plan.dates[0], plan.dates[-1]
    if automaton is None:
        automaton = uses_automaton(plan, v.rules)
    for p, rules in enumerate(v.rules):
        if not _uses_runs(rules) and rules.max_weekends is None:
            continue
        works = work_days(model, v, p, plan)
        for run in runs if _uses_runs(rules) else ():
            w = [works[date] for date in run]
            exempt = (run[0] == first, run[-1] == last)
            if automaton:
                _runs_automaton(model, w, rules, exempt)
                continue
            if rules.max_consecutive_days is not None:
                cap = rules.max_consecutive_days
                for i in range(len(w) - cap):
                    _at_most(model, w[i : i + cap + 1], cap)
            for floor, on in (
                (rules.min_consecutive_days, True),
                (rules.min_consecutive_days_off, False),
            ):
                if floor is not None and floor > 1:
                    _min_stretch(model, w, floor, on=on, exempt=exempt)
        if rules.max_weekends is not None:
            weekends: dict[tuple[int, int], list[Lit]] = defaultdict(list)
            for date in plan.dates:
                if date.weekday() >= 5:
                    weekends[date.isocalendar()[:2]].append(works[date])
            worked = [_any(model, days) for days in weekends.values()]
            _at_most(model, worked, rules.max_weekends)


def add_block_limits(model: cp_model.CpModel, v: Variables, plan: Plan) -> None:
    """§2.3 ``max_blocks``: duties per block id per person over the period."""
    for p, duties in v.by_person.items():
        limits = dict(v.rules[p].max_blocks)
        if not limits:
            continue
        by_block: dict[str, list[Var]] = defaultdict(list)
        for d, var in duties:
            by_block[v.demands[d].block].append(var)
        for block, limit in limits.items():
            if len(by_block.get(block, [])) > limit:
                model.add(sum(by_block[block]) <= limit)


def add_forbidden_successions(model: cp_model.CpModel, v: Variables, plan: Plan) -> None:
    """§2.3 ``forbid_after``: a duty in block A on a date bars blocks B on the next date.

    Duties in one block overlap in time, so each side holds at most one. Blocks of a date
    that all overlap and bar the same blocks, with those barred blocks if they all overlap
    too, form one clique: one at-most-one instead of a constraint per pair.
    """
    spans = {b.id: (b.start, b.end) for b in plan.blocks}

    @functools.cache
    def overlap(blocks: tuple[str, ...]) -> bool:
        found = [spans[b] for b in blocks]
        return max(s for s, _ in found) < min(e for _, e in found)

    for p, duties in v.by_person.items():
        forbid = dict(v.rules[p].forbid_after)
        if not forbid:
            continue
        on: dict[dt.date, dict[str, list[Var]]] = defaultdict(lambda: defaultdict(list))
        for d, var in duties:
            on[v.demands[d].date][v.demands[d].block].append(var)
        for date, today in on.items():
            tomorrow = on.get(date + ONE_DAY)
            if not tomorrow:
                continue
            by_barred: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for block in today:
                barred = tuple(b for b in forbid.get(block, ()) if b in tomorrow)
                if barred:
                    by_barred[barred].append(block)
            for barred, blocks in by_barred.items():
                befores = [blocks] if overlap(tuple(blocks)) else [[b] for b in blocks]
                afters = [barred] if overlap(barred) else [(b,) for b in barred]
                for before in befores:
                    for after in afters:
                        model.add_at_most_one(
                            [var for b in before for var in today[b]]
                            + [var for b in after for var in tomorrow[b]]
                        )


def work_days(model: cp_model.CpModel, v: Variables, p: int, plan: Plan) -> dict[dt.date, Lit]:
    """A 0/1 literal per date: the person holds a duty starting that day (0 when none can)."""
    by_date: dict[dt.date, list[int]] = defaultdict(list)
    for d, _ in v.by_person.get(p, []):
        by_date[v.demands[d].date].append(d)
    x = dict(v.by_person.get(p, []))
    works: dict[dt.date, Lit] = {}
    for date in plan.dates:
        ds = by_date.get(date, [])
        if len(ds) <= 1:
            works[date] = x[ds[0]] if ds else 0
            continue
        duties = [x[d] for d in ds]
        flag = model.new_bool_var(f"w_p{p}_{date:%Y%m%d}")
        spans = [v.duties[d] for d in ds]
        if max(s.start for s in spans) < min(s.end for s in spans):
            # All overlap, so at most one is held: the day's literal is their sum (tight LP).
            model.add(flag == sum(duties))
        else:
            model.add_bool_or(duties).only_enforce_if(flag)
            for var in duties:
                model.add_implication(var, flag)
        works[date] = flag
    return works


def _min_stretch(
    model: cp_model.CpModel, w: list[Lit], n: int, *, on: bool, exempt: tuple[bool, bool]
) -> None:
    """No stretch of ``on`` (worked) or free dates shorter than ``n`` within the run ``w``.

    ``exempt`` says whether the run's first and last dates are the period's: a stretch
    containing them is not held to the minimum. A stretch starting at ``i`` must reach
    ``i + k`` for every ``k < n``; ending at the run's other end (a gap) is too short.
    """

    def lit(i: int, value: bool) -> Lit:
        """The literal "date i is (value == on) worked"."""
        x = w[i]
        return x if value == on else _negate(x)

    for i in range(len(w)):
        if i == 0 and exempt[0]:
            continue
        # The stretch starts at i: date i is in state, and date i-1 (if in the run) is not.
        not_start = [lit(i, False)] + ([lit(i - 1, True)] if i > 0 else [])
        for k in range(1, n):
            if i + k < len(w):
                _clause(model, [*not_start, lit(i + k, True)])
            else:
                if not exempt[1]:
                    _clause(model, not_start)
                break


def _runs_automaton(
    model: cp_model.CpModel, w: list[Lit], rules: Rules, exempt: tuple[bool, bool]
) -> None:
    """Maximum and minimum runs of ``w`` (one run of dates) as one automaton.

    A state is a stretch so far: on duty or free, its length (capped where longer makes no
    difference) and whether it began at an exempt first date. A stretch may end short only
    if it began there; at the run's end, only if that is the period's last date.
    """
    cap = rules.max_consecutive_days
    on_min = max(rules.min_consecutive_days or 1, 1)
    off_min = max(rules.min_consecutive_days_off or 1, 1)
    top = cap if cap is not None else on_min

    def step(state: State | None, worked: int) -> State | None:
        if state is None:  # the run's first date
            entered: State = ("on", 1, exempt[0]) if worked else ("off", 1, exempt[0])
            return entered if not worked or cap is None or cap >= 1 else None
        kind, length, began = state
        if kind == "on" and worked:
            return ("on", min(length + 1, top), began) if cap is None or length < cap else None
        if kind == "off" and not worked:
            return ("off", min(length + 1, off_min), began)
        if length < (on_min if kind == "on" else off_min) and not began:
            return None  # the stretch ends too short
        return ("on", 1, False) if worked else ("off", 1, False)

    number: dict[State | None, int] = {None: 0}
    transitions = []
    todo: list[State | None] = [None]
    while todo:
        state = todo.pop()
        for worked in (0, 1):
            after = step(state, worked)
            if after is None:
                continue
            if after not in number:
                number[after] = len(number)
                todo.append(after)
            transitions.append((number[state], worked, number[after]))
    finals = [
        i
        for state, i in number.items()
        if state is not None
        and (exempt[1] or state[2] or state[1] >= (on_min if state[0] == "on" else off_min))
    ]
    days = [model.new_constant(x) if isinstance(x, int) else x for x in w]
    model.add_automaton(days, 0, finals, transitions)


def _negate(x: Lit) -> Lit:
    return 1 - x if isinstance(x, int) else x.negated()


def _clause(model: cp_model.CpModel, literals: list[Lit]) -> None:
    """At least one literal is true; constants decide or drop out."""
    if any(lit == 1 for lit in literals if isinstance(lit, int)):
        return
    model.add_bool_or([lit for lit in literals if not isinstance(lit, int)])


def _any(model: cp_model.CpModel, days: list[Lit]) -> Lit:
    """A literal that is 1 when any of ``days`` is (a weekend worked)."""
    variables = [d for d in days if not isinstance(d, int)]
    if any(d == 1 for d in days if isinstance(d, int)):
        return 1
    if len(variables) <= 1:
        return variables[0] if variables else 0
    flag = model.new_bool_var("")
    for day in variables:
        model.add_implication(day, flag)
    return flag


def _at_most(model: cp_model.CpModel, terms: list[Lit], bound: int) -> None:
    """Σ terms ≤ bound, skipping constraints that hold for constants alone."""
    constant = sum(t for t in terms if isinstance(t, int))
    variables = [t for t in terms if not isinstance(t, int)]
    if not variables:
        if constant > bound:
            model.add_bool_or([])
        return
    if len(variables) + constant > bound:
        model.add(sum(variables) <= bound - constant)
