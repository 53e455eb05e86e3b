"""Reading the plan's ``[[posts]]`` (SPEC §2.2, §2.3), every problem reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from roster.io._toml_check import (
    Checker,
    Table,
    date,
    ident,
    in_period,
    integer,
    known,
    number,
    string,
    strings,
    sub,
    table,
    tables,
)
from roster.model import Kind, Post, Slot, Soft

POST_KEYS = (
    "id",
    "name",
    "blocks",
    "units",
    "per_unit",
    "require",
    "size",
    "size_at",
    "teams",
    "teams_at",
    "at_least",
    "kind",
    "weight",
    "soft",
    "soft_at",
)
KINDS = tuple(k.value for k in Kind)

T = TypeVar("T")
Read = Callable[[Checker, Any, str], T | None]


def read_posts(
    ck: Checker,
    value: object,
    period: Collection[dt.date] | None,
    block_ids: Collection[str] | None,
) -> dict[str, Post | None] | None:
    """The posts by id (``None`` for a post with problems); ``None`` if unreadable.

    ``period`` and ``block_ids`` are what the plan's dates and blocks turned out to be
    (``None``: unreadable, so references to them go unchecked).
    """
    found = tables(ck, value, "posts")
    if found is None:
        return None
    if not found:
        ck.report("posts", "至少需要一个岗位", "needs at least one post")
        return None
    posts: dict[str, Post | None] = {}
    paths: dict[str, str] = {}
    names: dict[str, str] = {}
    for path, raw in found:
        reader = _PostReader(ck, path, period, block_ids)
        post = reader.read(raw)
        if reader.id is not None:
            if reader.id in paths:
                _duplicate(ck, sub(path, "id"), ("编号", "id"), reader.id, paths[reader.id])
            else:
                paths[reader.id] = path
                posts[reader.id] = post
        if reader.name is not None:
            if reader.name in names and not (reader.name == reader.id and "name" not in raw):
                _duplicate(ck, sub(path, "name"), ("名称", "name"), reader.name, names[reader.name])
            names.setdefault(reader.name, path)
    return posts


def _duplicate(ck: Checker, path: str, what: tuple[str, str], value: str, first: str) -> None:
    ck.report(
        path,
        f"{what[0]} “{value}” 与 {first} 重复",
        f'duplicate {what[1]} "{value}" (also {first})',
    )


class _PostReader:
    """Reads one post table; ``id`` and ``name`` are kept even when other keys are bad."""

    def __init__(
        self,
        ck: Checker,
        path: str,
        period: Collection[dt.date] | None,
        block_ids: Collection[str] | None,
    ) -> None:
        self.ck = ck
        self.path = path
        self.period = period
        self.block_ids = block_ids
        self.id: str | None = None
        self.name: str | None = None
        self.keys: dict[tuple[str, Slot], str] = {}  # (table path, slot) -> the key as written

    def get(self, t: Table, key: str, read: Read[T], default: Any = None) -> T | None:
        return read(self.ck, t[key], sub(self.path, key)) if key in t else default

    def read(self, raw: Table) -> Post | None:
        ck, path = self.ck, self.path
        t = table(ck, raw, path, POST_KEYS, ("id", "blocks"))
        assert t is not None  # tables() passes only tables
        before = ck.count()
        self.id = self.get(t, "id", ident)
        self.name = self.get(t, "name", string, self.id)
        blocks = known(ck, self.get(t, "blocks", strings), sub(path, "blocks"), self.block_ids)
        units = self.get(t, "units", strings)
        per_unit = self.get(t, "per_unit", strings)
        if "units" in t and "per_unit" in t:
            ck.report(
                sub(path, "per_unit"),
                "per_unit 与 units 不能同时使用",
                "per_unit and units exclude each other",
            )
        require = self.get(t, "require", lambda c, v, p: strings(c, v, p, minimum=0), ())
        size = self.get(t, "size", integer, 1)
        teams = self.get(t, "teams", integer, 1)
        size_at = self.get(t, "size_at", lambda c, v, p: self.slots(v, p, blocks, integer), ())
        teams_at = self.get(t, "teams_at", lambda c, v, p: self.slots(v, p, blocks, integer), ())
        at_least = self.get(t, "at_least", lambda c, v, p: self.counts(v, p), ())
        kind = self.get(t, "kind", self.kind, Kind.ONSITE)
        weight = self.get(t, "weight", number, 1.0)
        soft = self.get(t, "soft", self.soft)
        soft_at = self.get(t, "soft_at", lambda c, v, p: self.slots(v, p, blocks, self.soft), ())
        if size is not None and size_at is not None and teams_at is not None and at_least:
            self.check_at_least(at_least, size, dict(size_at), dict(teams_at), teams)
        if ck.count() != before or not (self.id and self.name and blocks):
            return None
        if size is None or teams is None:
            return None
        return Post(
            id=self.id,
            name=self.name,
            blocks=blocks,
            size=size,
            units=units,
            per_unit=per_unit,
            require=frozenset(require or ()),
            size_at=size_at or (),
            teams=teams,
            teams_at=teams_at or (),
            at_least=at_least or (),
            kind=kind or Kind.ONSITE,
            weight=1.0 if weight is None else weight,
            soft=soft,
            soft_at=soft_at or (),
        )

    def kind(self, ck: Checker, value: object, path: str) -> Kind | None:
        text = string(ck, value, path)
        if text is None:
            return None
        if text not in KINDS:
            ck.report(
                path,
                f"类型 “{text}” 应为 “onsite”（在岗）或 “oncall”（备勤）",
                f'kind "{text}" must be "onsite" or "oncall"',
            )
            return None
        return Kind(text)

    def soft(self, ck: Checker, value: object, path: str) -> Soft | None:
        """``{ under = …, over = … }``: whole-number costs per person short or extra."""
        t = table(ck, value, path, ("under", "over"), ("under", "over"))
        if t is None or "under" not in t or "over" not in t:
            return None
        under = integer(ck, t["under"], sub(path, "under"))
        over = integer(ck, t["over"], sub(path, "over"))
        return None if under is None or over is None else Soft(under, over)

    def counts(self, value: object, path: str) -> tuple[tuple[str, int], ...] | None:
        """``at_least``: skill -> holders per team."""
        ck = self.ck
        if not isinstance(value, dict):
            table(ck, value, path, ())
            return None
        before = ck.count()
        out = []
        for skill, raw in value.items():
            if not skill.strip():
                ck.report(path, "技能名称不能为空", "a skill name must not be empty")
            count = integer(ck, raw, sub(path, skill))
            if count is not None:
                out.append((skill.strip(), count))
        return tuple(out) if ck.count() == before else None

    def slots(
        self, value: object, path: str, blocks: tuple[str, ...] | None, read: Read[T]
    ) -> tuple[tuple[Slot, T], ...] | None:
        """A table keyed by ``"YYYY-MM-DD BLOCK"``, e.g. ``size_at``."""
        ck = self.ck
        if not isinstance(value, dict):
            table(ck, value, path, ())
            return None
        before = ck.count()
        out: dict[Slot, T] = {}
        for key, raw in value.items():
            where = sub(path, key)
            parts = key.split()
            found = read(ck, raw, where)
            if len(parts) != 2:
                ck.report(
                    where,
                    f"键 “{key}” 应为 “YYYY-MM-DD 班次”",
                    f'key "{key}" must be "YYYY-MM-DD BLOCK"',
                )
                continue
            day = date(ck, parts[0], where)
            if day is not None:
                in_period(ck, day, where, self.period)
            block = parts[1]
            if known(ck, (block,), where, self.block_ids) and blocks and block not in blocks:
                ck.report(
                    where,
                    f"本岗位没有班次 “{block}”（岗位班次：{'、'.join(blocks)}）",
                    f'the post has no block "{block}" (its blocks: {", ".join(blocks)})',
                )
            if day is not None and found is not None:
                self.keys[(path, (day, block))] = key
                if (day, block) in out:
                    ck.report(where, f"“{key}” 重复", f'"{key}" is repeated')
                out[(day, block)] = found
        return tuple(out.items()) if ck.count() == before else None

    def check_at_least(
        self,
        at_least: tuple[tuple[str, int], ...],
        size: int,
        size_at: dict[Slot, int],
        teams_at: dict[Slot, int],
        teams: int | None,
    ) -> None:
        """Each ``at_least`` count fits in a team, by default and in every ``size_at`` slot."""
        for skill, count in at_least:
            if count > size:
                self.ck.report(
                    sub(sub(self.path, "at_least"), skill),
                    f"每队至少 {count} 名 “{skill}” 持有人，但每队只有 {size} 人",
                    f'{count} holders of "{skill}" per team need more than the team size {size}',
                )
        where = sub(self.path, "size_at")
        for slot, slot_size in size_at.items():
            if teams_at.get(slot, teams) == 0:
                continue
            for skill, count in at_least:
                if count > slot_size:
                    self.ck.report(
                        sub(where, self.keys.get((where, slot), f"{slot[0]} {slot[1]}")),
                        f"每队只有 {slot_size} 人，少于 at_least 要求的 {count} 名 “{skill}”",
                        f'team size {slot_size} is less than at_least {count} of "{skill}"',
                    )
