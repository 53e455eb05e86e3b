"""Solve the sample bureau and scaled copies of it; write a table to benchmarks/RESULTS.md.

A copy ×k holds k copies of every unit, person and post (units renamed "<unit>-2", …; a
copied post is staffed from its own copy's units), so the ×20 bureau has 280 town offices
and 3,540 people in one model with one fairness objective.

    python benchmarks/scale.py                     # ×1, ×5, ×20 on 1 and 2 workers
    python benchmarks/scale.py --scales 1 --workers 1 --time-limit 30

Each run is a separate process, so peak memory (ru_maxrss) is that run's own.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from results_md import write_section  # beside this script

from roster.app import sample_paths
from roster.io.inputs import load_inputs
from roster.model import Plan, Post, Restrict, Selector, Staff
from roster.result import SolverParams
from solvers import solve

GAINED = """
### What each change gained (sample bureau, 2 workers)

| change | effect |
|---|---|
| evenness bound from the duty-set LP (`solvers/cpsat/bounds.py`, GLOP, 0.2 s) | bound 7803 → 7977, the best roster found in 3 minutes with 8 workers: the 2.2% gap CP-SAT could not close is closed |
| a search first where the roster so far and the LP agree (RINS) | 8009 (0.4%) after about 1.5 s of the stage; the whole model's search had 8025-8073 after 10 s |
| the LP's infeasibility rules out caps of the largest burden | proven at 0.7 s with no CP-SAT question (was 1.0-1.1 s); ×5: 12 proven, gap on evenness 0.4% instead of 14-17% |
| evenness gets twice the time share of the stages after it | more of a short solve goes to the stage that is hard |
| tried: the LP bound as a constraint in the model | the search slowed (9225 after 4.6 s against 8025); a solution callback stops at the gap instead |
| tried: the duty sets as variables inside CP-SAT | CP-SAT's own bound fell to 6825 and the search slowed |
| tried earlier: symmetry breaking, linearization_level=2 | no change to the 7803 bound |
"""
SECTION = "## Scaling on the sample bureau"


def copy_name(unit: str, i: int) -> str:
    return unit if i == 1 else f"{unit}-{i}"


def scale(staff: Staff, plan: Plan, k: int) -> tuple[Staff, Plan]:
    """k copies of the bureau in one plan: every unit, person and post copied k times.

    A copied post draws only on its own copy's units (as each county's squads come from
    that county), so the model grows k-fold rather than k²-fold; fairness is still one
    objective over everyone.
    """
    people = tuple(
        dataclasses.replace(p, id=p.id if i == 1 else f"{p.id}-{i}", unit=copy_name(p.unit, i))
        for i in range(1, k + 1)
        for p in staff.people
    )
    all_units = staff.units

    def post(p: Post, i: int) -> Post:
        ident = p.id if i == 1 else f"{p.id}-{i}"
        if p.per_unit is not None:
            return dataclasses.replace(
                p, id=ident, per_unit=tuple(copy_name(u, i) for u in p.per_unit)
            )
        units = p.units if p.units is not None else all_units
        return dataclasses.replace(p, id=ident, units=tuple(copy_name(u, i) for u in units))

    def selector(s: Selector) -> Selector:
        units = tuple(copy_name(u, i) for i in range(1, k + 1) for u in s.unit)
        return dataclasses.replace(s, unit=units)

    scaled = dataclasses.replace(
        plan,
        posts=tuple(post(p, i) for i in range(1, k + 1) for p in plan.posts),
        restrict=tuple(Restrict(selector(r.who), r.blocks, r.dates) for r in plan.restrict),
    )
    return Staff(people, staff.wishes, staff.source), scaled


def run_one(k: int, workers: int, time_limit: float) -> dict[str, object]:
    """One solve; returns its figures (called in a child process)."""
    staff, plan = load_inputs(*sample_paths())
    staff, plan = scale(staff, plan, k)
    first: list[float] = []
    within: list[float] = []  # when evenness was first proven within 1%

    def on_progress(stage: str, objective: float, bound: float, elapsed: float) -> None:
        if not first:
            first.append(elapsed)
        if stage == "evenness" and not within and objective - bound <= 0.01 * objective:
            within.append(elapsed)

    start = time.monotonic()
    result = solve(
        plan,
        staff,
        SolverParams(time_limit=time_limit, workers=workers, seed=0, gap_limit=0.005),
        progress=on_progress,
    )
    wall = time.monotonic() - start
    stages = {s.name: s for s in result.stages}
    top, even = stages.get("max_burden"), stages.get("evenness")
    return {
        "scale": k,
        "people": len(staff.people),
        "workers": workers,
        "variables": result.stats.get("variables"),
        "status": result.status.value,
        "first": first[0] if first else None,
        "max_burden": top.objective if top else None,
        "max_bound": top.bound if top else None,
        "max_proven_at": top.runtime if top and top.status.value == "optimal" else None,
        "evenness_gap": even.gap if even else None,
        "within_1pct": within[0] if within else None,
        "wall": wall,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def fmt(value: object, spec: str = ".1f") -> str:
    if value is None:
        return "–"
    return format(value, spec) if isinstance(value, float) else str(value)


def table(rows: list[dict[str, object]], time_limit: float) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    lines = [
        SECTION,
        "",
        f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"date {dt.date.today().isoformat()}; commit {commit}; time limit {time_limit:g} s "
        "per solve, gap limit 0.5%. Command: `python benchmarks/scale.py`. Times are from "
        "the start of the solve (reading the inputs excluded); *evenness within 1% at* is "
        "when a roster was first proven within 1% of the best sum of squares.",
        "",
        "| scale | people | workers | variables | status | first roster (s) | largest burden | "
        "bound | proven at (s) | evenness within 1% at (s) | evenness gap | total (s) | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        gap = r["evenness_gap"]
        lines.append(
            f"| ×{r['scale']} | {r['people']} | {r['workers']} | {r['variables']} | {r['status']} "
            f"| {fmt(r['first'])} | {fmt(r['max_burden'])} | {fmt(r['max_bound'])} "
            f"| {fmt(r['max_proven_at'])} | {fmt(r['within_1pct'])} "
            f"| {fmt(gap, '.2%') if gap is not None else '–'} "
            f"| {fmt(r['wall'])} | {fmt(r['peak_mib'], '.0f')} |"
        )
    return "\n".join(lines) + "\n" + GAINED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child[0], args.child[1], args.time_limit)))
        return
    rows = []
    for k in args.scales:
        for workers in args.workers:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(k), str(workers),
                 "--time-limit", str(args.time_limit)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(rows[-1], file=sys.stderr)
    write_section(SECTION, table(rows, args.time_limit))
    print(table(rows, args.time_limit))


if __name__ == "__main__":
    main()
