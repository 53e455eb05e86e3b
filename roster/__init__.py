"""roster: fair duty rosters for a market-supervision bureau.

The public API, for notebooks and scripts::

    import roster
    staff, plan = roster.load_inputs(*roster.sample_paths())
    result = roster.solve(plan, staff, roster.SolverParams(time_limit=10))
    roster.to_frame(result.roster, plan, staff)
"""

from __future__ import annotations

from importlib import import_module, metadata
from typing import Any

try:
    __version__ = metadata.version("roster")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

_API = {
    "Plan": "roster.model",
    "Staff": "roster.model",
    "Person": "roster.model",
    "Roster": "roster.model",
    "Assignment": "roster.model",
    "Result": "roster.result",
    "SolverParams": "roster.result",
    "Status": "roster.result",
    "InputError": "roster.errors",
    "load_inputs": "roster.io.inputs",
    "read_staff": "roster.io.staff",
    "read_plan": "roster.io.plan",
    "read_roster": "roster.io.workbook",
    "write_workbook": "roster.io.workbook",
    "to_frame": "roster.frames",
    "check": "roster.checker",
    "measure": "roster.fairness",
    "lorenz": "roster.fairness",
    "build_report": "roster.report",
    "bound_of": "roster.report",
    "report_files": "roster.app",
    "sample_paths": "roster.app",
    "solve": "solvers",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import roster` stays cheap and the domain never imports the solver.
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'roster' has no attribute {name!r}")
