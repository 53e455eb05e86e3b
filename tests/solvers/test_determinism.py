"""SPEC §6: the same inputs, seed and one worker give the same roster, even when the time
limit ends the search and the machine is busier the second time."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from roster.app import sample_paths
from roster.io.inputs import load_inputs
from roster.result import SolverParams, Status
from solvers import solve
from solvers.cpsat import solver


@contextmanager
def busy(processes: int = 2) -> Iterator[None]:
    """Other processes spinning on every core, as on a shared office machine."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_one_worker_repeats_its_roster_when_the_limit_ends_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The wall clock's safety stop would only strike on a machine far busier than this.
    monkeypatch.setattr(solver, "WALL_SLACK", 20)
    staff, plan = load_inputs(*sample_paths())
    params = SolverParams(time_limit=3, workers=1, seed=3)

    quiet = solve(plan, staff, params)
    with busy():
        loaded = solve(plan, staff, params)

    assert quiet.status is Status.FEASIBLE  # the limit, not a proof, ended the search
    assert quiet.roster is not None
    assert loaded.roster is not None
    assert sorted(quiet.roster, key=repr) == sorted(loaded.roster, key=repr)
