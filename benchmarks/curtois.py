"""The Curtois–Qu shift-scheduling benchmark (instances 1–24), solved by roster's own model.

Each instance is read and translated by ``roster.io.curtois`` into a staff list and a plan
whose one objective stage, ``coverage + wishes``, is the benchmark's penalty; the product's
``solve`` minimises it. The roster is then scored by ``roster.io.curtois.score`` from the
instance file alone, checked against the benchmark's hard constraints and roster's own
checker, and compared with the best known values (``BEST_KNOWN.md``).

    python benchmarks/curtois.py                        # all 24, 60 s each, 2 workers
    python benchmarks/curtois.py 1-8 --time-limit 20 --no-write

Each instance runs in a child process. Writes its section of benchmarks/RESULTS.md,
leaving the other sections alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from results_md import write_section  # beside this script

SECTION = "## Curtois–Qu benchmark"
COMMAND = "python benchmarks/curtois.py"
ROOT = Path(__file__).resolve().parents[1]
CPSAT = (("subsolvers", ("max_lp",)),)
"""The product's parameters for this benchmark: with 2 workers CP-SAT runs one full-problem
worker (``default_lp``) beside its LNS; ``max_lp`` (the full linear relaxation, cuts
included) there is what proves the small instances and keeps the bound close."""

CHANGES = """\
Measured on this machine with 2 workers, before and after each change, one run each (with
other jobs on the machine, single runs of the unproven instances vary by a few percent).

| change | effect |
|---|---|
| wishes counted in whole weights in a summed stage (they were ×100 against coverage) | Instance1 902 → 607, optimal: one wish had outweighed an unfilled place |
| `subsolvers = ["max_lp"]`: the one full-problem worker of two solves the full linear relaxation (default `default_lp`) | 30 s: Instance2 bound 218 → 828 proven in 4 s; Instance3 1003 (bound 307) → 1001 proven in 9 s; Instance4 1723 (bound 200) → 1716 (bound 1576); Instance8 2743 → 2304 |
| minimum runs as three-literal clauses ("a stretch starting here reaches day i+k"), a work day as the sum of its shifts | fewer, shorter clauses; no change beyond the noise |
| runs of days as one automaton per person up to 600 person-dates (Instances 1–7), clauses above | 30 s: Instance4 proven in 7 s (clauses: 1716, bound 1594); Instance5 1238 → 1143 proven in 15–24 s. With the automaton Instances 8 and 9 fell to 1822 and 1377 (clauses 1533 and 543; first roster 15 s later), hence the threshold |
| `forbid_after` as cliques (a shift and all it bars) instead of pairs | Instance13 model built in 2.3 s instead of 3.9 s |
| one place at a time by a sweep, absences indexed by day, hour rules only for the people they bind, weighted sums | Instance24 model built in 27 s instead of 395 s |
| a first roster found with no objective (a quarter of the limit at most), handed to the first stage as a complete hint | Instance20: no roster in 60 s → 36143 |
| soft cover: places short and extra as two one-sided bounds, not two free slacks in one equation | no filled slot priced as 1 short + 1 extra; with no objective presolve drops the cover, so Instance20's first roster takes 4 s (none in 30 s when a switch tied the slacks). Defining them exactly as max(0, …) cost Instance6 its optimum (2043 instead of 1950 proven in 40 s) |
| a stage's value read from its roster, not from CP-SAT's objective value | Instance19: CP-SAT had reported 11002 for a roster whose terms sum to 10902 when the limit struck |
| where only soft places link people and the plan has over 5000 person-dates (20–24): a first roster person by person, each priced by those before, then coordinate descent (one person re-solved against the others' cover) until nobody changes; the whole model after, if there is time for it (3 builds of the people's models) | Instance20 28488 → 14707 and 15305 in two runs (ratio 5.97 → 3.1); Instance21 no roster → 57976 and 58398 (2.74; first roster at 23–25 s); a run on a quieter machine reached 43214 (2.04). Instances 22–24 still none: one person's year with tight total hours (22: 232–234 days) takes CP-SAT 0.2–17 s to schedule, and 24's 150 people's models take 22 s to build. Below the threshold it lost: 13 8217 instead of 6220, 5–7 slower to prove (6: 1951, not 1950 proven) |
| each person's schedule in the first roster by a plain search by date (CP-SAT's fixed search: the most wanted place of each date first, where the rules allow; from the last date if the first fails), CP-SAT's own search only after; no priced search per person in the first roster | Instance22 no roster → 113202 (3.74; first roster at 15 s; 124595 with a 0.2 s priced search per person, first at 27 s); Instance23 no roster → 269763 (15.6; first at 40 s). CP-SAT's own search had taken 0.2 to over 20 s per person on 22 |
| the people's models built in a second thread while each person is searched (CP-SAT releases Python); the plain search without linear relaxation and first without presolve (0.35 → 0.15 s a person on 24); the priced search per person (0.2 s) kept in the first roster until it has missed 3 people | Instance24 no roster → 653240 and 655639 (16.2; first roster at 37–39 s; the build alone had taken 22 s, the plain searches 0.4–0.9 s a person). 22 113202 → 94007 and 96502 (3.1–3.2; first at 10 s); 23 269763 → 172726 and 179385 (10.0–10.4; first at 10–11 s). Without the priced searches 21 fell from 40956 (1.94, run at the last commit) to 72033; with them 41064 (1.94; first at 21 s). 20: 11975 (2.51; first at 12 s) |
| where only soft places link people and the plan has at most 5000 person-dates (1–19): column generation over people first (`solvers/cpsat/columns.py`: an LP over each person's schedules, each person's cheapest new schedule at the LP's prices found exactly by CP-SAT on their own model, prices smoothed towards the best Lagrangian bound), for at most half the limit; the whole model then starts from the LP's heaviest schedules, searches first where the LP is undecided (RENS), and stops at the Lagrangian bound | 6 1951 → 1950 proven; 8 1710 → 1395; 10 5162 → 4631 proven at 15 s; 11 3685 → 3443 proven at 18 s; 12 6941 → 4143 (4041 in another run); 15 6678 → 5581; 16 3931 → 3347; 17 8664 → 7209. Worse where a round of pricing is slow and the LP did not converge: 13 7045 → 9766, 14 1408 → 1489, 19 8755 → 11763; 5 1143 proven → 1144 |
| generation only where 15 rounds of pricing fit in its time at the first round's pace | 13 9766 → 6696, 14 1489 → 1403, 19 11763 → 8572 (the whole model alone); 5 proven again (27 s) |
| each pricing search's last 3 schedules before its best offered to the LP too | rounds to converge: 8 35 → 24; 12 converges at 4040 in 28 s (before: LP 4043, bound 3990 at 30 s) and its roster is proven optimal at 34 s; 14 1403 → 1379 |
| the pricing's CP-SAT tuning tried both ways in the first two rounds, the faster kept (linearization 1 without presolve; 2 with it) | in 20 s of generation, 16 (56 days) 6 → 22 rounds, 17 2 → 8; 28-day instances keep the faster one (7: 13 s to converge instead of 18 s). Sweeps of 5–19: 14 1280, 16 3225 (its best known), 17 6236, 18 6626 → 5713, 19 7112; a full sweep at e0adab7: 14 1282, 16 3323, 17 6008, 18 6247, 19 7438 |
| tried and dropped: the restricted master as an integer programme over the generated schedules (price and branch); each pricing hinted with the person's last schedule | 8: 1917 in 20 s against 1399 from RENS; the hint changed nothing (36 rounds against 35) |
| the descent's first roster and sweeps search as many people at once as there are workers, one CP-SAT worker each (one person's model is too small to share two); a schedule found at the prices its search began with is taken only if it is still better | 20 14633 → 8311 (1.74; 8064 in another run), 21 39860 → 26095 (1.24), 22 97230 → 78179 (57473 in another run), 23 171247 → 121513 (97103 in another run); 24 unchanged (first roster at 33 s: its 150 models take 26 s to build meanwhile) |
| the search after a neighbourhood (and each later stage) hinted with every variable's value, not the duties alone | 7: the search after RENS starts from RENS's 1061 at once instead of from 6211 (1061 again 2.4 s later); no change beyond the noise in the sweep |
| tried and dropped: a Python LNS after RENS (groups of people, then windows of dates, fixed in turn); the plain search taking the most wanted places of the year first; CP-SAT's default or `quick_restart_no_lp` worker instead of `max_lp` | LNS: 8 1403, 12 4149 (the whole model's own search 1401, 4042); wanted-first: 24 no roster, 22 99135; other workers: 12 4245 and 4252, 15 5669 and 6073 against 4041 and 4692 (one run each) |
"""


# --- one instance (child process) ------------------------------------------------------


def instances_dir() -> Path:
    env = os.environ.get("ROSTER_CURTOIS_DIR")
    return Path(env) if env else ROOT / ".." / "shared" / "benchmarks" / "curtois"


def run_one(number: int, time_limit: float, workers: int, seed: int) -> dict[str, Any]:
    from roster.checker import check
    from roster.io.curtois import read_instance, score, to_inputs, violations
    from roster.result import SolverParams
    from solvers import solve

    instance = read_instance(instances_dir() / "instances" / f"Instance{number}.txt")
    staff, plan = to_inputs(instance)
    found: list[tuple[float, float]] = []  # (elapsed, objective) of each improving roster

    def progress(stage: str, objective: float, bound: float, elapsed: float) -> None:
        found.append((elapsed, objective))

    params = SolverParams(time_limit=time_limit, workers=workers, seed=seed, cpsat=CPSAT)
    start = time.monotonic()
    result = solve(plan, staff, params, progress=progress)
    seconds = time.monotonic() - start
    out: dict[str, Any] = {
        "instance": number,
        "staff": len(instance.employees),
        "days": instance.horizon,
        "status": str(result.status),
        "seconds": round(seconds, 1),
        "variables": result.stats.get("variables"),
    }
    if result.roster is None or not result.stages:
        return out
    stage = result.stages[0]
    points = score(instance, result.roster)
    best = min(found, key=lambda f: (f[1], f[0])) if found else None
    out |= {
        "objective": points.total,
        "model_objective": stage.objective,
        "bound": None if stage.bound is None else round(stage.bound),
        "optimal": stage.status.value == "optimal",
        "score": dataclasses.asdict(points),
        "first": round(found[0][0], 1) if found else None,
        "best_at": round(best[0], 1) if best else None,
        "violations": violations(instance, result.roster)[:5],
        "checker": [v.en for v in check(result.roster, plan, staff)][:5],
    }
    return out


# --- the table ---------------------------------------------------------------------------


def best_known() -> dict[int, dict[str, int | None]]:
    """UB/LB per instance from BEST_KNOWN.md's Table 1 (2014 verified, and current)."""
    text = (instances_dir() / "BEST_KNOWN.md").read_text(encoding="utf-8")
    table: dict[int, dict[str, int | None]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and (m := re.fullmatch(r"Instance(\d+)", cells[0])):

            def number(cell: str) -> int | None:
                return int(cell) if cell.isdigit() else None

            table.setdefault(
                int(m[1]),
                {
                    "ub2014": number(cells[4]),
                    "lb2014": number(cells[5]),
                    "ub": number(cells[7]),
                    "lb": number(cells[8]),
                },
            )
    return table


def fmt(value: object, spec: str = "") -> str:
    return "–" if value is None else format(value, spec)


def table(rows: list[dict[str, Any]]) -> str:
    known = best_known()
    lines = [
        "| instance | staff | days | ours | our bound | best known UB | LB | ratio | "
        "first roster (s) | best at (s) | total (s) | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    ratios, at_best = [], 0
    for r in rows:
        k = known.get(int(r["instance"]), {})
        ub, ours = k.get("ub"), r.get("objective")
        ratio = ours / ub if isinstance(ours, int) and ub else None
        if ratio is not None:
            ratios.append(ratio)
            at_best += ours == ub
        status = "optimal" if r.get("optimal") else str(r.get("status"))
        if r.get("violations") or r.get("checker"):
            status += " INVALID"
        if ours is not None and r.get("model_objective") != ours:
            status += f" (model said {r.get('model_objective')})"
        lines.append(
            f"| {r['instance']} | {r['staff']} | {r['days']} | {fmt(ours)} | {fmt(r.get('bound'))} "
            f"| {fmt(ub)} | {fmt(k.get('lb'))} | {fmt(ratio, '.3f')} | {fmt(r.get('first'))} "
            f"| {fmt(r.get('best_at'))} | {fmt(r.get('seconds'))} | {status} |"
        )
    solved = sum(1 for r in rows if r.get("objective") is not None)
    summary = f"{solved} of {len(rows)} instances with a roster; {at_best} at the best known value"
    if ratios:
        geo = math.prod(ratios) ** (1 / len(ratios))
        summary += f"; geometric mean ratio over those {len(ratios)}: {geo:.3f}"
    return "\n".join(lines) + "\n\n" + summary + "."


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return f"`{' '.join(platform.uname())}`; {os.cpu_count()} cores ({cpu}); Python {platform.python_version()}"


def _commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" with uncommitted changes" if dirty else "")


def section(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    cpsat = ", ".join(f"{k} = {list(v) if isinstance(v, tuple) else v}" for k, v in CPSAT)
    return (
        "\n\n".join(
            [
                SECTION,
                "Curtois & Qu's 24 shift-scheduling instances (T. Curtois and R. Qu, *Computational "
                "results on new staff scheduling benchmark instances*, 2014; data "
                "schedulingbenchmarks.org/nrp), translated by `roster.io.curtois` into a plan whose "
                "one stage `coverage + wishes` is exactly the benchmark's penalty, and solved by "
                "roster's own model. *ours* is the roster's penalty computed independently from the "
                "instance file; every roster was checked against the benchmark's hard constraints "
                "and roster's checker (a row would say INVALID). Best known values: `BEST_KNOWN.md`, "
                "current column (a third-party transcription, unverified). *our bound* is the "
                "larger of CP-SAT's and, for 1–19, column generation's Lagrangian bound (0 where "
                "neither proved one). Times include building "
                "the model.",
                f"Machine: {machine()}. Date {dt.date.today()}; commit {_commit()}. "
                f"{args.time_limit:g} s per instance, {args.workers} workers, seed {args.seed}, "
                f"CP-SAT {cpsat}. Command: `{COMMAND}`.",
                table(rows),
                "### What each change gained",
                CHANGES.rstrip("\n"),
            ]
        )
        + "\n"
    )


def numbers(specs: list[str]) -> list[int]:
    """``1-8``, ``3``, ``1,5,9`` → instance numbers."""
    found: list[int] = []
    for spec in specs:
        for part in spec.split(","):
            low, _, high = part.partition("-")
            found += range(int(low), int(high or low) + 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", default=["1-24"], help="e.g. 1-8 or 1,3,5")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also save the raw results here")
    parser.add_argument("--from-json", type=Path, help="write the table of saved results")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.time_limit, args.workers, args.seed)))
        return
    rows = json.loads(args.from_json.read_text(encoding="utf-8")) if args.from_json else []
    for number in [] if args.from_json else numbers(args.instances):
        command = [sys.executable, __file__, "--child", str(number)]
        command += ["--time-limit", str(args.time_limit), "--workers", str(args.workers)]
        command += ["--seed", str(args.seed)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        try:
            row = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            row = {"instance": number, "staff": "?", "days": "?", "status": "crashed"}
            print(done.stderr[-2000:], file=sys.stderr)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    text = section(rows, args)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
