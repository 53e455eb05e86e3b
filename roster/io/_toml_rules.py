"""Reading the plan's rules, ``who`` selectors and objective stages (SPEC §2.2, §2.3)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from roster.io._table import parse_gender
from roster.io._toml_check import (
    Checker,
    Table,
    integer,
    known,
    number,
    strings,
    sub,
    table,
    unknown,
    wrong_type,
)
from roster.model import OBJECTIVE_TERMS, Rules, Selector

RULE_HOURS = (
    "max_onsite_hours_per_day",
    "max_consecutive_hours",
    "min_rest_hours",
    "max_hours_total",
    "min_hours_total",
)
RULE_COUNTS = (
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
)
RULE_KEYS = (*RULE_HOURS, *RULE_COUNTS, "max_blocks", "forbid_after")
SELECTOR_KEYS = ("gender", "unit", "title", "skill", "staff")

T = TypeVar("T")


def _opt(ck: Checker, t: Table, path: str, key: str, read: Callable[..., Any]) -> Any:
    return read(ck, t[key], sub(path, key)) if key in t else None


def read_rules(ck: Checker, t: Table, path: str, block_ids: Collection[str] | None) -> Rules | None:
    """The rule keys of ``t`` (``[rules]`` or a ``[[personal]]``)."""
    before = ck.count()
    values: dict[str, Any] = {}
    for key in RULE_HOURS:
        values[key] = _opt(ck, t, path, key, number)
    for key in RULE_COUNTS:
        values[key] = _opt(ck, t, path, key, integer)
    if "max_blocks" in t:
        values["max_blocks"] = by_block(
            ck, t["max_blocks"], sub(path, "max_blocks"), block_ids, integer
        )
    if "forbid_after" in t:
        values["forbid_after"] = by_block(
            ck,
            t["forbid_after"],
            sub(path, "forbid_after"),
            block_ids,
            lambda c, v, p: known(c, strings(c, v, p, minimum=0), p, block_ids),
        )
    for low, high in (
        ("min_hours_total", "max_hours_total"),
        ("min_consecutive_days", "max_consecutive_days"),
    ):
        if values[low] is not None and values[high] is not None and values[low] > values[high]:
            ck.report(
                sub(path, low),
                f"{low} = {t[low]} 大于 {high} = {t[high]}",
                f"{low} = {t[low]} exceeds {high} = {t[high]}",
            )
    return Rules(**values) if ck.count() == before else None


def by_block(
    ck: Checker,
    value: object,
    path: str,
    block_ids: Collection[str] | None,
    read: Callable[[Checker, Any, str], T | None],
) -> tuple[tuple[str, T], ...] | None:
    """A table keyed by block id, e.g. ``max_blocks = { NIGHT = 3 }``."""
    if not isinstance(value, dict):
        table(ck, value, path, ())
        return None
    before = ck.count()
    out = []
    for key, raw in value.items():
        where = sub(path, key)
        found = read(ck, raw, where)
        if known(ck, (key,), where, block_ids) is not None and found is not None:
            out.append((key, found))
    return tuple(out) if ck.count() == before else None


def read_selector(ck: Checker, value: object, path: str) -> Selector | None:
    """A ``who`` selector: gender, unit, title, skill, staff, each a string or a list."""
    t = table(ck, value, path, SELECTOR_KEYS)
    if t is None:
        return None
    before = ck.count()
    if not any(key in t for key in SELECTOR_KEYS):
        ck.report(
            path,
            "至少需要 gender、unit、title、skill、staff 之一",
            "needs at least one of gender, unit, title, skill, staff",
        )
    values: dict[str, tuple[str, ...]] = {}
    for key in SELECTOR_KEYS:
        found = (
            strings(ck, t[key], sub(path, key), single=True, staff=key == "staff")
            if key in t
            else ()
        )
        values[key] = found or ()
    genders = []
    for gender in values["gender"]:
        normal = parse_gender(gender)
        if normal is None:
            ck.report(
                sub(path, "gender"),
                f"性别 “{gender}” 应为 男 或 女",
                f'gender "{gender}" must be 男 or 女 (M or F)',
            )
        else:
            genders.append(normal)
    values["gender"] = tuple(dict.fromkeys(genders))
    return Selector(**values) if ck.count() == before else None


def read_stages(ck: Checker, value: object, path: str) -> tuple[tuple[str, ...], ...] | None:
    """Objective stages: each a term name or a list of term names summed in one stage."""
    if not isinstance(value, list):
        wrong_type(ck, path, value, "数组", "an array")
        return None
    before = ck.count()
    if not value:
        ck.report(path, "至少需要一个阶段", "needs at least one stage")
    seen: set[str] = set()
    stages = []
    for stage in value:
        terms = strings(ck, stage, path, single=True)
        for term in terms or ():
            if term not in OBJECTIVE_TERMS:
                unknown(ck, path, ("目标项", "objective term"), term, OBJECTIVE_TERMS)
            elif term in seen:
                ck.report(path, f"目标项 “{term}” 重复", f'objective term "{term}" is repeated')
            seen.add(term)
        stages.append(terms or ())
    return tuple(stages) if ck.count() == before else None
