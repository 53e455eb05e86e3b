"""Read back what a roster workbook's run info sheet (说明 / Run info) recorded.

``roster report`` shows the solver's proven bound on the largest burden from there: the
``max_burden`` row of the stage table, and the input hashes that say which staff and plan
it was proven for. A workbook without the sheet or the row (a .csv, a hand-made workbook,
or one solved without the ``max_burden`` stage) has no recorded bound.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

INFO_SHEETS = ("说明", "run info")
STAGE = "max_burden"


@dataclass(frozen=True, slots=True)
class RecordedBound:
    """The ``max_burden`` stage as the run info sheet recorded it."""

    objective: float | None  # the solved roster's largest burden
    bound: float | None  # proven: no roster obeying every rule does better
    proven_optimal: bool  # the objective met the bound
    hashes: dict[str, str]  # input role ("staff", "plan", ...) -> SHA-256

    def matches(self, role: str, path: str | os.PathLike[str]) -> bool | None:
        """Whether ``path`` is the input recorded for ``role`` (``None``: none recorded)."""
        recorded = self.hashes.get(role)
        if recorded is None:
            return None
        return sha256(Path(path)) == recorded


def read_recorded_bound(path: str | os.PathLike[str]) -> RecordedBound | None:
    """The recorded ``max_burden`` stage of a roster workbook, or ``None``."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook: read_roster reports that, with its own message
        return None
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        sheet = next((names[n] for n in INFO_SHEETS if n in names), None)
        if sheet is None:
            return None
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()
    hashes: dict[str, str] = {}
    stage: tuple[Any, ...] | None = None
    for row in rows:
        cells = [*row, None, None, None, None][:4]
        first = _text(cells[0])
        if first == STAGE and stage is None:
            stage = tuple(cells)
        elif first and _is_sha256(_text(cells[2])):
            hashes[first] = _text(cells[2]).lower()
    if stage is None:
        return None
    _, _, objective, bound = stage
    objective, bound = _number(objective), _number(bound)
    if bound is None:
        return None
    optimal = objective is not None and bound >= objective - 1e-9
    return RecordedBound(objective, bound, optimal, hashes)


def sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(_text(value))
    except ValueError:
        return None
