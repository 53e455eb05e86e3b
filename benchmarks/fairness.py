"""Fairness on the sample: the fair roster against one that only covers every place.

Both rosters obey every rule. The fair one is solved with the plan's stages (largest burden,
then evenness, then wishes); the plain one with ``stages = [["coverage"]]``, which asks
for nothing beyond a complete roster, so CP-SAT returns the first it finds. A second table
shows the history stage: the fair roster taken as last year's, then next year's solved
with it as history, on 1 and 4 workers.

    python benchmarks/fairness.py                  # 60 s per solve, seed 0, one worker
    python benchmarks/fairness.py --time-limit 20 --no-write

Writes its section of benchmarks/RESULTS.md, leaving the other sections alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import subprocess
import time

from results_md import write_section  # beside this script

from roster.app import sample_paths
from roster.io.inputs import load_inputs
from roster.model import Plan, Roster, Staff
from roster.report import Report, bound_of, build_report
from roster.result import Result, SolverParams
from solvers import solve

SECTION = "## Fairness on the sample"
COMMAND = "python benchmarks/fairness.py"


def solved(plan: Plan, staff: Staff, params: SolverParams, **kw: object) -> tuple[Result, float]:
    start = time.monotonic()
    result = solve(plan, staff, params, **kw)  # type: ignore[arg-type]
    assert result.roster is not None, "no roster"
    return result, time.monotonic() - start


def row(name: str, report: Report, seconds: float) -> str:
    s = report.fairness.summary
    bound = "–" if report.bound is None else f"{report.bound.value:.1f}"
    gala = max(p.gala_hours for p in report.fairness.people)
    return (
        f"| {name} | {s.max:.1f} | {s.min:.1f} | {s.spread:.1f} | {s.std:.2f} | {s.gini:.3f} "
        f"| {bound} | {report.comparables.bound:.1f} | {gala:g} | {seconds:.1f} |"
    )


def gala_people(roster: Roster) -> set[str]:
    """Who holds a duty over the gala night (20:00-24:00 on 15 March)."""
    return {
        a.staff_id or ""
        for a in roster.filled
        if (a.date.month, a.date.day) == (3, 15) and a.block in ("NIGHT", "DAY")
    }


def last_year(roster: Roster) -> Roster:
    return Roster(
        tuple(dataclasses.replace(a, date=a.date.replace(year=a.date.year - 1)) for a in roster)
    )


def section(time_limit: float, seed: int) -> str:
    staff, plan = load_inputs(*sample_paths())
    params = SolverParams(time_limit=time_limit, workers=1, seed=seed, gap_limit=0.005)
    fair, fair_s = solved(plan, staff, params)
    plain_plan = dataclasses.replace(plan, stages=(("coverage",),))
    plain, plain_s = solved(plain_plan, staff, params)
    fair_report = build_report(fair.roster, plan, staff, bound=bound_of(fair))  # type: ignore[arg-type]
    plain_report = build_report(plain.roster, plan, staff)  # type: ignore[arg-type]
    lines = [
        SECTION,
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; date {dt.date.today()}; commit {_commit()}; "
        f"time limit {time_limit:g} s per solve, one worker, seed {seed}. "
        f"Command: `{COMMAND} --time-limit {time_limit:g}`.",
        "",
        "Burden over the 153 people who could staff a post (the report's summary); the proven "
        "bound is the solver's on the largest burden, the headcount floor the counting bound "
        "of `roster report` (true of any complete roster).",
        "",
        "| roster | largest | smallest | spread | std | Gini | proven bound | headcount floor "
        "| most gala h | solve (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
        row("fair (max_burden → evenness → wishes)", fair_report, fair_s),
        row("cover every place only (`coverage`)", plain_report, plain_s),
        "",
        "History: the fair roster above taken as last year's, next year's roster solved with "
        "it as `--history` (same plan). *Again* counts the people on duty over the gala night "
        "both years (of those last year); the two-year figures are the report's multi-year "
        "totals.",
        "",
        "| next year | workers | again on the gala night | two-year largest | two-year Gini "
        "| largest burden this year | history stage (bound) | solve (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    past = last_year(fair.roster)  # type: ignore[arg-type]
    before = gala_people(past)
    runs: list[tuple[str, int, Result, float]] = [("without history", 1, fair, fair_s)]
    for workers in (1, 4):
        with_params = dataclasses.replace(params, workers=workers)
        result, seconds = solved(plan, staff, with_params, history=past)
        runs.append(("with history", workers, result, seconds))
    for name, workers, result, seconds in runs:
        roster = result.roster
        assert roster is not None
        stage = next((s for s in result.stages if s.name == "history"), None)
        history = (
            "–"
            if name == "without history"
            else "did not run"
            if stage is None
            else f"{stage.objective:.1f} ({stage.bound:.1f})"
        )
        total = build_report(roster, plan, staff, history=past).fairness.history_summary
        assert total is not None
        again = len(gala_people(roster) & before)
        largest = build_report(roster, plan, staff).fairness.summary.max
        lines.append(
            f"| {name} | {workers} | {again} of {len(before)} | {total.max:.1f} "
            f"| {total.gini:.3f} | {largest:.1f} | {history} | {seconds:.1f} |"
        )
    lines += [
        "",
        "Without history a deterministic solve hands the gala night to the same people every "
        "year (the first row is last year's roster itself). The history stage runs last, so "
        "it never costs fairness (the largest burden stays at its proven best); it moves duty "
        "bundles between comparable people, which CP-SAT finds best by large-neighbourhood "
        "search; with one worker CP-SAT runs none, so the stage spares fewer of last year's "
        "gala-night people than with four.",
        "",
    ]
    return "\n".join(lines)


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    text = section(args.time_limit, args.seed)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
