"""Fairness among comparables: people grouped by what they could have done.

Comparables are people who could staff the same posts (and unit parts of ``per_unit``
posts) by their unit and skills: a spread of burden among them is a choice of the roster
more than of the rules.

The counting bound: a place's *possible holders* are the people whose unit, skills and
``restrict`` admit them (for an ``at_least`` role, who also hold its skill). The places
whose possible holders all lie in a set E of people must be carried by E (a whole team when
all of its possible holders are in E, else at least the ``at_least`` members of the roles
wholly inside E), so somebody in E carries at least that burden divided by |E|. Over the
possible holders of each place (the *pools*), this is a floor under the largest burden of
any complete roster; over a group and the pools inside it, a floor under the group's
largest burden. Leave, hour caps and one-place-at-a-time are left out, so the floor is
weaker than the solver's proven bound, but it needs no solver and explains itself in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roster.model import Demand, Person, Plan, Staff

Capability = tuple[str, str | None]
"""(post id, unit part): a post, or one unit's part of a ``per_unit`` post."""


@dataclass(frozen=True, slots=True)
class Pool:
    """The possible holders of some places, and the burden only they can carry."""

    people: frozenset[str]
    forced: float
    post: str  # the post (and part, role) whose places define the pool, for the wording
    part: str | None
    role: str | None

    @property
    def bound(self) -> float:
        """Somebody in the pool carries at least this much (the average of ``forced``)."""
        return self.forced / len(self.people)


@dataclass(frozen=True, slots=True)
class Group:
    """Comparables: the people (ids, staff order) who could take the same places."""

    index: int  # from 1, by first member in staff order
    people: tuple[str, ...]
    units: tuple[str, ...]
    can_do: tuple[tuple[str, str], ...]  # (zh, en) per post part they could staff
    min: float
    mean: float
    max: float
    bound: float  # floor under the group's largest burden, by counting
    pool: Pool | None  # the strongest pool inside the group or holding all of it

    @property
    def size(self) -> int:
        return len(self.people)

    @property
    def spread(self) -> float:
        return self.max - self.min


@dataclass(frozen=True, slots=True)
class Comparables:
    groups: tuple[Group, ...]
    pools: tuple[Pool, ...]
    bound: float  # floor under the largest burden of any complete roster
    binding: Pool | None  # the pool that gives it

    def group_of(self) -> dict[str, int]:
        """Each grouped person's group index."""
        return {pid: g.index for g in self.groups for pid in g.people}


def possible_holders(plan: Plan, staff: Staff, demand: Demand) -> frozenset[str]:
    """Who could take a place of ``demand`` by unit, skills and ``restrict``."""
    return frozenset(p.id for p in staff if could_take(p, plan, demand))


def could_take(person: Person, plan: Plan, demand: Demand) -> bool:
    """Unit, ``require`` skills and ``restrict`` admit the person to the demand's places."""
    post = demand.post
    return (
        post.admits(person.unit, demand.unit)
        and post.require <= person.skills
        and not any(
            demand.block in r.blocks
            and (not r.dates or demand.date in r.dates)
            and r.who.matches(person)
            for r in plan.restrict
        )
    )


@dataclass(frozen=True, slots=True)
class _Place:
    demand: Demand
    burden: float  # of one member
    holders: frozenset[str]
    roles: tuple[tuple[str, int, frozenset[str]], ...]  # skill, count, holders


def _places(plan: Plan, staff: Staff) -> list[_Place]:
    places = []
    holders_of: dict[tuple[str, str | None, dt.date, str], frozenset[str]] = {}
    skills = {p.id: p.skills for p in staff}
    for demand in plan.demands():
        key = (demand.post.id, demand.unit, demand.date, demand.block)
        if key not in holders_of:
            holders_of[key] = possible_holders(plan, staff, demand)
        holders = holders_of[key]
        roles = tuple(
            (skill, count, frozenset(p for p in holders if skill in skills[p]))
            for skill, count in demand.post.at_least
        )
        burden = plan.burden(demand.post, demand.date, demand.block)
        places.append(_Place(demand, burden, holders, roles))
    return places


def _forced(place: _Place, group: frozenset[str]) -> int:
    """Members of the place's team that must come from ``group``."""
    demand = place.demand
    size = demand.size
    if size == 0 or demand.post.soft_on(demand.date, demand.block) is not None:
        return 0
    if place.holders and place.holders <= group:
        return size
    return max(
        (min(count, size) for _, count, holders in place.roles if holders and holders <= group),
        default=0,
    )


def forced_burden(places: Sequence[_Place], group: frozenset[str]) -> float:
    return sum(_forced(place, group) * place.burden for place in places)


def comparables(plan: Plan, staff: Staff, burdens: Mapping[str, float]) -> Comparables:
    """Groups of comparables with their burden spread and counting bounds.

    ``burdens``: each person's burden in the roster (missing: 0). People who could staff
    no post form no group.
    """
    places = _places(plan, staff)
    pool_kinds: dict[frozenset[str], tuple[str, str | None, str | None]] = {}
    for place in places:
        d = place.demand
        if place.holders:
            pool_kinds.setdefault(place.holders, (d.post.id, d.unit, None))
        for skill, _, holders in place.roles:
            if holders:
                pool_kinds.setdefault(holders, (d.post.id, d.unit, skill))
    pools = tuple(
        Pool(people, forced_burden(places, people), *kind) for people, kind in pool_kinds.items()
    )
    members: dict[frozenset[Capability], list[Person]] = {}
    for person in staff:
        caps = capabilities(person, plan)
        if caps:
            members.setdefault(caps, []).append(person)
    groups = []
    for index, (caps, people) in enumerate(members.items(), 1):
        ids = frozenset(p.id for p in people)
        values = [burdens.get(p.id, 0.0) for p in people]
        inside = [pool for pool in pools if pool.people <= ids and pool.forced > 0]
        related = inside + [pool for pool in pools if ids < pool.people and pool.forced > 0]
        groups.append(
            Group(
                index=index,
                people=tuple(p.id for p in people),
                units=tuple(dict.fromkeys(p.unit for p in people)),
                can_do=_can_do(plan, caps),
                min=min(values),
                mean=sum(values) / len(values),
                max=max(values),
                bound=max(
                    [forced_burden(places, ids) / len(ids), *(pool.bound for pool in inside)]
                ),
                pool=max(related, key=lambda pool: pool.bound, default=None),
            )
        )
    binding = max((p for p in pools if p.forced > 0), key=lambda p: p.bound, default=None)
    return Comparables(
        groups=tuple(groups),
        pools=pools,
        bound=binding.bound if binding is not None else 0.0,
        binding=binding,
    )


def capabilities(person: Person, plan: Plan) -> frozenset[Capability]:
    """The posts and unit parts the person's unit and skills admit them to."""
    return frozenset(
        (post.id, part)
        for post in plan.posts
        for part in post.unit_slots()
        if post.admits(person.unit, part) and post.require <= person.skills
    )


def _can_do(plan: Plan, caps: frozenset[Capability]) -> tuple[tuple[str, str], ...]:
    """The posts (with unit part) a group could staff, in plan order."""
    return tuple(
        (post.name + (f"（{part}）" if part else ""), post.name + (f" ({part})" if part else ""))
        for post in plan.posts
        for part in post.unit_slots()
        if (post.id, part) in caps
    )


def describe_pool(pool: Pool, plan: Plan) -> tuple[str, str]:
    """Who the pool's people are and what only they can take, e.g. for 6 holders of 坐席:
    ("只有 6 人（…，持有 坐席）能担任 12315专线坐席", "only 6 people (…, holding 坐席) can …")."""
    post = plan.post(pool.post)
    skills = sorted(post.require | ({pool.role} if pool.role else set()))
    units = (pool.part,) if pool.part is not None else post.units
    who_zh, who_en = [], []
    if units:
        shown = "、".join(units[:3]) + (f" 等 {len(units)} 个单位" if len(units) > 3 else "")
        shown_en = ", ".join(units[:3]) + (f" and {len(units) - 3} more" if len(units) > 3 else "")
        who_zh.append(shown)
        who_en.append(shown_en)
    if skills:
        who_zh.append("持有 " + "、".join(skills))
        who_en.append("holding " + ", ".join(skills))
    what_zh = post.name + (f"（{pool.part}）" if pool.part else "")
    what_en = post.name + (f" ({pool.part})" if pool.part else "")
    if pool.role:
        what_zh += f"中须持 {pool.role} 的名额"
        what_en += f" places that need {pool.role}"
    n = len(pool.people)
    return (
        f"只有 {n} 人（{'，'.join(who_zh)}）能担任{what_zh}",
        f"only {n} {'person' if n == 1 else 'people'} ({'; '.join(who_en)}) can take {what_en}",
    )


def explain(group: Group, plan: Plan, mean: float) -> tuple[str, str]:
    """Why the group's largest burden is above ``mean`` (everyone's average), in words;
    empty when it is not."""
    if group.max <= mean + 1e-9:
        return "", ""
    pool = group.pool
    if pool is not None and pool.bound > mean + 1e-9:
        who_zh, who_en = describe_pool(pool, plan)
        return (
            f"{who_zh}：这些班次共 {pool.forced:.1f} 负担只能由他们承担，每人平均至少 "
            f"{pool.bound:.1f}（全员平均 {mean:.1f}）",
            f"{who_en}: their {pool.forced:.1f} of burden falls on them alone, at least "
            f"{pool.bound:.1f} each on average (everyone's average {mean:.1f})",
        )
    return (
        f"并非人手所限（按人数计算下界 {group.bound:.1f}）：高出部分取决于其他规则"
        "（时长上限、同一时间只能一岗、请假）或排班取舍",
        f"not forced by headcount (floor {group.bound:.1f}): the rest depends on other rules "
        "(hour caps, one place at a time, leave) or on the roster's choices",
    )
