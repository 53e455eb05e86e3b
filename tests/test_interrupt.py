"""Ctrl-C (SPEC §6): a long solve stops at once, keeps the best roster found and writes it."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from roster import app
from roster.console import interruptible
from roster.io.inputs import load_inputs
from roster.result import SolverParams, Status
from solvers import solve

DATA = Path(__file__).resolve().parent.parent / "data"
PROGRESS = re.compile(r"\[\s*[\d.]+ 秒\]")


def test_ctrl_c_writes_the_best_roster_so_far_and_it_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "roster.xlsx"
    staff, plan = DATA / "staff.xlsx", DATA / "duty.toml"
    command = [sys.executable, "-c", "from roster.cli import main; main()", "solve",
               str(staff), str(plan), "-o", str(out), "--time-limit", "600",
               "--workers", "1", "--seed", "0"]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not PROGRESS.search(lines.get(timeout=max(deadline - time.monotonic(), 0.1))):
            pass
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        stdout, _ = process.communicate(timeout=120)
    finally:
        process.kill()
    assert time.monotonic() - sent < 30  # not the 600 s it was given
    assert process.returncode == 0, stdout
    assert "已中断：保留当前最优排班。" in stdout
    assert "差距" in stdout  # how far from proven best the kept roster may be
    assert app.check_files(out, staff, plan) == []


def test_ctrl_c_stops_a_solve_on_several_workers_at_once() -> None:
    """With several workers the main thread sits in CP-SAT for a whole stage, where Python
    runs no signal handler; the interruption must still reach the solver straight away."""
    staff, plan = load_inputs(DATA / "staff.xlsx", DATA / "duty.toml")
    with interruptible() as interrupt:
        threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGINT)).start()
        start = time.monotonic()
        result = solve(plan, staff, SolverParams(time_limit=300, workers=2, seed=0),
                       interrupt=interrupt)  # fmt: skip
        took = time.monotonic() - start
    assert result.interrupted
    assert took < 10
    assert result.roster is not None


def test_an_interruption_before_any_roster_is_no_crash() -> None:
    staff, plan = load_inputs(DATA / "staff.xlsx", DATA / "duty.toml")
    interrupt = threading.Event()
    interrupt.set()
    result = solve(plan, staff, SolverParams(time_limit=60, workers=1, seed=0), interrupt=interrupt)
    assert result.interrupted
    assert result.roster is None
    assert result.status is Status.UNKNOWN
