"""The duty plan (SPEC §2.2, §2.3): read from TOML, every problem reported at once.

Problems are located by file name and key path, arrays 0-based
(``duty.toml: posts[2].blocks: unknown block "MORNING"``). Nothing is constructed from a
value that failed its check, so a bad file raises :class:`InputError` and never
``ValueError``. The checks that need the staff list live in :func:`check_references`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from roster.errors import InputError, Problem
from roster.io._toml_check import (
    Checker,
    Table,
    boolean,
    date,
    dates,
    ident,
    in_period,
    integer,
    known,
    number,
    staff_ref,
    string,
    strings,
    sub,
    table,
    tables,
    time_of_day,
    unknown,
)
from roster.io._toml_posts import read_posts
from roster.io._toml_refs import check_references, check_staff_blocks
from roster.io._toml_rules import RULE_KEYS, read_rules, read_selector, read_stages
from roster.model import (
    DEFAULT_STAGES,
    Apart,
    Block,
    Factor,
    Personal,
    Pin,
    Plan,
    Post,
    Restrict,
    Rules,
    format_minute,
)

__all__ = [
    "check_references",
    "check_staff_blocks",
    "parse_plan",
    "read_plan",
    "read_plan_partly",
]

TOP_KEYS = (
    "title",
    "period",
    "blocks",
    "rules",
    "posts",
    "factors",
    "pins",
    "apart",
    "restrict",
    "personal",
    "calendar",
    "objective",
)
BLOCK_KEYS = ("id", "name", "start", "end")
CALENDAR_KEYS = ("rest_days", "official_holidays")
PIN_KEYS = ("staff", "post", "date", "block", "team")
_WHEN = re.compile(r"^\s*(?:(\S+)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")
_SYNTAX_AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")

T = TypeVar("T")


def read_plan(path: str | Path) -> Plan:
    """Read a duty plan from a TOML file; raise :class:`InputError` listing every problem."""
    plan, _, problems = read_plan_partly(path)
    if plan is None:
        raise InputError(problems)
    return plan


def parse_plan(text: str, name: str = "duty.toml") -> Plan:
    """Read a duty plan from TOML text; ``name`` is the file name used in locations."""
    plan, _, problems = _parse(text, name)
    if plan is None:
        raise InputError(problems)
    return plan


def read_plan_partly(
    path: str | Path,
) -> tuple[Plan | None, tuple[Block, ...] | None, tuple[Problem, ...]]:
    """The plan (``None`` when it has problems), its blocks if at least they read, and every
    problem: a bad plan's blocks still check what the staff list names."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Problem(path.name, f"无法读取文件：{reason}", f"cannot read the file: {reason}")
        return None, None, (problem,)
    try:
        text = raw.decode("utf-8-sig")  # Notepad writes a BOM
    except UnicodeDecodeError:
        problem = Problem(path.name, "文件不是 UTF-8 编码的文本", "the file is not UTF-8 text")
        return None, None, (problem,)
    return _parse(text, path.name)


def _parse(
    text: str, name: str
) -> tuple[Plan | None, tuple[Block, ...] | None, tuple[Problem, ...]]:
    """:func:`read_plan_partly` of TOML text; ``name`` is the file name used in locations."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _SYNTAX_AT.search(message)
        where = name
        if match:
            message = message[: match.start()]
            where = f"{name}: line {match[1]}" if match[1] else f"{name}: end of file"
        problem = Problem(where, f"TOML 语法错误：{message}", f"TOML syntax error: {message}")
        return None, None, (problem,)
    reader = _Reader(Checker(name))
    plan = reader.read(data)
    return plan, reader.blocks, tuple(reader.ck.problems)


@dataclass
class _Reader:
    """One pass over a parsed plan; what later sections refer to is kept as it is read."""

    ck: Checker
    dates: tuple[dt.date, ...] | None = None  # None: unreadable, so dates go unchecked
    block_ids: set[str] | None = None  # likewise for block references
    posts: dict[str, Post | None] | None = None  # id -> post (None: the post has problems)
    blocks: tuple[Block, ...] | None = None  # None: some block has problems

    def opt(self, t: Table, path: str, key: str, read: Callable[..., T], default: Any = None) -> T:
        """``read`` the value of ``key`` in ``t`` if it is there, else ``default``."""
        return read(self.ck, t[key], sub(path, key)) if key in t else default

    def read(self, data: Table) -> Plan | None:
        ck = self.ck
        table(ck, data, "", TOP_KEYS, ("period", "blocks", "posts"))
        title = self.opt(data, "", "title", string, "")
        if "period" in data:
            period = table(ck, data["period"], "period", ("dates",), ("dates",))
            if period is not None and "dates" in period:
                self.dates = dates(ck, period["dates"], "period.dates", ordered=True, minimum=1)
        blocks = self.read_blocks(data["blocks"]) if "blocks" in data else None
        self.blocks = blocks
        rules = Rules()
        if "rules" in data and (t := table(ck, data["rules"], "rules", RULE_KEYS)) is not None:
            rules = read_rules(ck, t, "rules", self.block_ids) or rules
        posts = None
        if "posts" in data:
            posts = read_posts(ck, data["posts"], self.dates, self.block_ids)
            self.posts = posts
        factors = self.each(data, "factors", self.factor)
        pins = self.each(data, "pins", self.pin)
        apart = self.each(data, "apart", self.apart)
        restrict = self.each(data, "restrict", self.restrict)
        personal = self.each(data, "personal", self.personal)
        rest_days, official_holidays = self.read_calendar(data)
        stages = DEFAULT_STAGES
        if "objective" in data:
            objective = table(ck, data["objective"], "objective", ("stages",))
            if objective is not None and "stages" in objective:
                stages = read_stages(ck, objective["stages"], "objective.stages") or stages
        if ck.problems or self.dates is None or blocks is None or posts is None:
            return None
        return Plan(
            title=title or "",
            dates=self.dates,
            blocks=blocks,
            posts=tuple(p for p in posts.values() if p is not None),
            rules=rules,
            factors=factors,
            pins=pins,
            apart=apart,
            restrict=restrict,
            personal=personal,
            rest_days=rest_days,
            official_holidays=official_holidays,
            stages=stages,
            source=ck.file,
        )

    def each(self, data: Table, key: str, read: Callable[[str, Table], T | None]) -> tuple[T, ...]:
        """``read`` every table of the array of tables ``key``."""
        if key not in data:
            return ()
        found = [read(path, t) for path, t in tables(self.ck, data[key], key) or []]
        return tuple(x for x in found if x is not None)

    def read_calendar(self, data: Table) -> tuple[tuple[dt.date, ...] | None, bool]:
        """``[calendar]``: the listed rest days, or whether China's official calendar applies."""
        ck = self.ck
        if "calendar" not in data:
            return None, False
        t = table(ck, data["calendar"], "calendar", CALENDAR_KEYS)
        if t is None:
            return None, False
        rest_days = None
        if "rest_days" in t:
            days = dates(ck, t["rest_days"], "calendar.rest_days")
            rest_days = None if days is None else tuple(sorted(days))
        official = self.opt(t, "calendar", "official_holidays", boolean, False)
        if official and "rest_days" in t:
            ck.report(
                "calendar.official_holidays",
                "与 rest_days 只能二选一：rest_days 已列出全部休息日",
                "cannot be combined with rest_days, which lists every rest day",
            )
        return rest_days, bool(official)

    def read_blocks(self, value: object) -> tuple[Block, ...] | None:
        ck = self.ck
        found = tables(ck, value, "blocks")
        if found is None:
            return None
        if not found:
            ck.report("blocks", "至少需要一个班次", "needs at least one block")
        before = ck.count()
        ids: dict[str, str] = {}
        names: dict[str, str] = {}
        blocks = []
        for path, raw in found:
            t = table(ck, raw, path, BLOCK_KEYS, ("id", "start", "end"))
            assert t is not None  # tables() passes only tables
            mark = ck.count()
            block_id = self.opt(t, path, "id", ident)
            name = self.opt(t, path, "name", string, block_id)
            start = self.opt(t, path, "start", time_of_day)
            end = self.opt(t, path, "end", lambda c, v, p: time_of_day(c, v, p, end=True))
            if block_id is not None:
                if block_id in ids:
                    _duplicate(ck, sub(path, "id"), ("编号", "id"), block_id, ids[block_id])
                ids.setdefault(block_id, path)
            if name is not None:
                if name in names and not (name == block_id and "name" not in t):
                    _duplicate(ck, sub(path, "name"), ("名称", "name"), name, names[name])
                names.setdefault(name, path)
            if start is not None and end is not None and start >= end:
                ck.report(
                    sub(path, "end"),
                    f"结束时间 {format_minute(end)} 应晚于开始时间 {format_minute(start)}",
                    f"end {format_minute(end)} must be after start {format_minute(start)}",
                )
            elif ck.count() == mark and block_id and name and start is not None and end:
                blocks.append((path, Block(block_id, name, start, end)))
        for path, block in blocks:
            # a wish names a block by id or by name, so no name may be another block's id
            if block.name != block.id and block.name in ids:
                ck.report(
                    sub(path, "name"),
                    f"名称 “{block.name}” 已是 {ids[block.name]} 的编号",
                    f'name "{block.name}" is already the id of {ids[block.name]}',
                )
        self.block_ids = set(ids)
        return tuple(b for _, b in blocks) if ck.count() == before and found else None

    def factor(self, path: str, raw: Table) -> Factor | None:
        ck = self.ck
        t = table(ck, raw, path, ("when", "factor"), ("when", "factor"))
        assert t is not None
        before = ck.count()
        factor = self.opt(t, path, "factor", lambda c, v, p: number(c, v, p, positive=True))
        when = self.opt(t, path, "when", string)
        if when is None:
            return None
        where = sub(path, "when")
        match = _WHEN.match(when)
        if not match:
            ck.report(
                where,
                f"“{when}” 应为 “HH:MM-HH:MM” 或 “YYYY-MM-DD HH:MM-HH:MM”",
                f'"{when}" must be "HH:MM-HH:MM" or "YYYY-MM-DD HH:MM-HH:MM"',
            )
            return None
        day = None
        if match[1] is not None:
            day = date(ck, match[1], where)
            if day is not None:
                in_period(ck, day, where, self.dates)
        start = time_of_day(ck, match[2], where)
        end = time_of_day(ck, match[3], where, end=True)
        if start is not None and end is not None and start >= end:
            ck.report(where, f"“{when}” 的开始应早于结束", f'"{when}": start must be before end')
        if ck.count() != before or start is None or end is None or factor is None:
            return None
        return Factor(start, end, factor, day)

    def pin(self, path: str, raw: Table) -> Pin | None:
        ck = self.ck
        t = table(ck, raw, path, PIN_KEYS, ("staff", "post", "date", "block"))
        assert t is not None
        before = ck.count()
        staff = self.opt(t, path, "staff", staff_ref)
        post_id = self.opt(t, path, "post", ident)
        day = self.opt(t, path, "date", date)
        block = self.opt(t, path, "block", ident)
        team = self.opt(t, path, "team", lambda c, v, p: integer(c, v, p, minimum=1))
        if day is not None:
            in_period(ck, day, sub(path, "date"), self.dates)
        post = None
        if post_id is not None and self.posts is not None:
            if post_id in self.posts:
                post = self.posts[post_id]
            else:
                unknown(ck, sub(path, "post"), ("岗位", "post"), post_id, self.posts)
        if block is not None and known(ck, (block,), sub(path, "block"), self.block_ids):
            if post is not None and block not in post.blocks:
                ck.report(
                    sub(path, "block"),
                    f"岗位 “{post.id}” 没有班次 “{block}”",
                    f'post "{post.id}" has no block "{block}"',
                )
            elif post is not None and day is not None and team is not None:
                teams = post.teams_on(day, block)
                if team > teams:
                    ck.report(
                        sub(path, "team"),
                        f"岗位 “{post.id}” 在 {day} {block} 只有 {teams} 个队",
                        f'post "{post.id}" has only {teams} team(s) on {day} {block}',
                    )
        if ck.count() != before or not (staff and post_id and day and block):
            return None
        return Pin(staff, post_id, day, block, team)

    def apart(self, path: str, raw: Table) -> Apart | None:
        t = table(self.ck, raw, path, ("staff",), ("staff",))
        assert t is not None
        people = self.opt(t, path, "staff", lambda c, v, p: strings(c, v, p, minimum=2, staff=True))
        return None if people is None else Apart(people)

    def restrict(self, path: str, raw: Table) -> Restrict | None:
        ck = self.ck
        t = table(ck, raw, path, ("who", "blocks", "dates"), ("who", "blocks"))
        assert t is not None
        before = ck.count()
        who = self.opt(t, path, "who", read_selector)
        blocks = known(
            ck, self.opt(t, path, "blocks", strings), sub(path, "blocks"), self.block_ids
        )
        days = self.opt(t, path, "dates", lambda c, v, p: dates(c, v, p, minimum=1), ())
        for day in days or ():
            in_period(ck, day, sub(path, "dates"), self.dates)
        if ck.count() != before or who is None or blocks is None or days is None:
            return None
        return Restrict(who, blocks, tuple(sorted(days)))

    def personal(self, path: str, raw: Table) -> Personal | None:
        t = table(self.ck, raw, path, ("who", *RULE_KEYS), ("who",))
        assert t is not None
        who = self.opt(t, path, "who", read_selector)
        rules = read_rules(self.ck, t, path, self.block_ids)
        return None if who is None or rules is None else Personal(who, rules)


def _duplicate(ck: Checker, path: str, what: tuple[str, str], value: str, first: str) -> None:
    ck.report(
        path,
        f"{what[0]} “{value}” 与 {first} 重复",
        f'duplicate {what[1]} "{value}" (also {first})',
    )
