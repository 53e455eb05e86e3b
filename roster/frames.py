"""Rosters as pandas DataFrames, for notebooks and scripts."""

from __future__ import annotations

import pandas as pd

from roster.model import Plan, Roster, Staff, format_minute

COLUMNS = ["date", "block", "start", "end", "post_id", "post_name", "team", "staff_id", "name",
           "unit"]  # fmt: skip
"""The §5 ``assignments`` columns."""


def to_frame(roster: Roster, plan: Plan, staff: Staff) -> pd.DataFrame:
    """One row per person-duty with the §5 ``assignments`` columns, in print order."""
    people = staff.by_id()
    rows = []
    for a in Roster.sorted(roster, plan):
        block = plan.block(a.block)
        person = people.get(a.staff_id or "")
        rows.append(
            {
                "date": a.date.isoformat(),
                "block": a.block,
                "start": format_minute(block.start),
                "end": format_minute(block.end),
                "post_id": a.post,
                "post_name": plan.post(a.post).name,
                "team": a.team,
                "staff_id": a.staff_id or "",
                "name": person.name if person else "",
                "unit": a.unit,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
