"""The fairness report as text: rich tables for the terminal, CSV and JSON for machines.

CSV and JSON keep the tables' keys and raw numbers (``--lang`` only changes words in the
cells); the terminal shows the localised labels and rounded numbers.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from roster.errors import text
from roster.report import TABLES, Report, Table, tables


def show(value: Any, kind: str, lang: str = "zh") -> str:
    """A cell for people to read."""
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "yes":
        return text(lang, "是", "yes") if value else text(lang, "否", "no")
    if kind == "wish":
        return {"prefer": text(lang, "希望", "prefer"), "avoid": text(lang, "避免", "avoid")}.get(
            value, str(value)
        )
    if kind == "int" and isinstance(value, int | float):
        return f"{value:.0f}"
    if kind == "num" and isinstance(value, int | float):
        return f"{value:.1f}"
    if kind == "share" and isinstance(value, int | float):
        return f"{value:.1%}"
    if kind == "ratio" and isinstance(value, int | float):
        return f"{value:.3f}"
    return str(value)


def raw(value: Any) -> Any:
    """A cell for machines: numbers unrounded but free of float noise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return round(value, 6)
    return value


def render(report: Report, console: Console, lang: str = "zh") -> None:
    """Print every table of the report, with the calendar notes and any warnings."""
    console.print(escape(report.title), style="bold")
    console.print(
        text(
            lang,
            "公平性报告：负担 = Σ 小时 × 岗位权重 × 时段系数；汇总只统计至少能担任一个岗位的人员。",
            "Fairness report: burden = Σ hours × post weight × time factor; the summary "
            "counts people who could staff at least one post.",
        )
    )
    for zh, en in report.calendar:
        console.print(escape(text(lang, zh, en)), style="dim")
    if report.unknown_staff:
        ids = ", ".join(report.unknown_staff)
        console.print(
            escape(
                text(
                    lang,
                    f"注意：排班表中以下编号不在人员表中，未计入：{ids}",
                    f"note: these staff ids on the roster are not on the staff list and are "
                    f"left out: {ids}",
                )
            ),
            style="yellow",
        )
    laid_out = tables(report, lang)
    for key in TABLES:
        table = laid_out[key]
        if key == "wishes" and not table.rows:
            continue
        skip = {"summary": ("measure",), "wishes": ("reason",)}.get(key, ())
        console.print(_rich(table, lang, skip=skip))
        if key == "summary":
            console.print(_histogram(report, lang))


def histogram(values: list[float], bins: int = 12) -> list[tuple[float, float, int]]:
    """(low, high, count) per burden range, largest first; one range per value when few."""
    if not values:
        return []
    distinct = sorted({round(v, 2) for v in values}, reverse=True)
    if len(distinct) <= bins:
        return [(v, v, sum(1 for x in values if round(x, 2) == v)) for v in distinct]
    low, high = min(values), max(values)
    width = (high - low) / bins
    counts = [0] * bins
    for x in values:
        counts[min(int((x - low) / width), bins - 1)] += 1
    edges = [(low + i * width, low + (i + 1) * width, counts[i]) for i in range(bins)]
    return edges[::-1]


def _histogram(report: Report, lang: str) -> RichTable:
    """The §4 chart in the terminal: how many people carry how much burden."""
    values = [p.burden for p in report.fairness.people if p.eligible]
    rows = histogram(values)
    most = max((n for _, _, n in rows), default=1) or 1
    out = RichTable(
        title=escape(text(lang, "负担分布（可值班人员）", "Burden distribution (eligible people)")),
        box=box.SIMPLE,
        title_justify="left",
    )
    out.add_column(text(lang, "负担", "Burden"), justify="right")
    out.add_column(text(lang, "人数", "People"), justify="right")
    out.add_column("")
    for low, high, count in rows:
        label = f"{low:.1f}" if low == high else f"{low:.1f}–{high:.1f}"
        out.add_row(label, str(count), "█" * max(round(40 * count / most), 1 if count else 0))
    return out


def _rich(table: Table, lang: str, skip: tuple[str, ...] = ()) -> RichTable:
    shown = [i for i, c in enumerate(table.columns) if c.key not in skip]
    out = RichTable(title=escape(table.title(lang)), box=box.SIMPLE_HEAVY, title_justify="left")
    for i in shown:
        column = table.columns[i]
        numeric = column.kind in ("int", "num", "share", "ratio") and not table.row_kinds
        out.add_column(escape(column.label(lang)), justify="right" if numeric else "left")
    for r, row in enumerate(table.rows):
        out.add_row(*(escape(show(row[i], table.kind(r, i), lang)) for i in shown))
    return out


def to_csv(report: Report, table: str = "people", lang: str = "zh") -> str:
    """One table as CSV: a header of keys, then one line per row."""
    laid_out = tables(report, lang)[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in laid_out.columns])
    for row in laid_out.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return raw(value)


def to_dict(report: Report, lang: str = "zh") -> dict[str, Any]:
    """Everything in the report as plain JSON-ready values."""
    laid_out = tables(report, lang)
    result: dict[str, Any] = {
        "title": report.title,
        "summary": {row[0]: raw(row[2]) for row in laid_out["summary"].rows},
    }
    for key in ("units", "groups", "people", "wishes"):
        result[key] = [{k: raw(v) for k, v in record.items()} for record in laid_out[key].records()]
    bound = report.bound
    result["bound"] = (
        None
        if bound is None
        else {"value": bound.value, "source": bound.source, "other_inputs": bound.other_inputs}
    )
    result["rest_days"] = [d.isoformat() for d in report.fairness.rest_days]
    result["calendar"] = [text(lang, zh, en) for zh, en in report.calendar]
    result["unknown_staff"] = list(report.unknown_staff)
    return result


def to_json(report: Report, lang: str = "zh") -> str:
    return json.dumps(to_dict(report, lang), ensure_ascii=False, indent=2)
