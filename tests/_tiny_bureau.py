"""A tiny bureau for the fairness and workbook tests: 7 people, 2 dates, 4 posts.

Burden of one duty (hours x weight x factor; 20:00-24:00 is x1.5, and x2 on 2027-03-15):
hotline AM 4, PM 8, NIGHT 6 on the 14th and 8 on the 15th; office NIGHT likewise 6 / 8;
leader and squad DAY (weight 0.5): (12 + 4 x 1.5) x 0.5 = 9 on the 14th, (12 + 4 x 2) x 0.5
= 10 on the 15th.
"""

from __future__ import annotations

import datetime as dt

from roster.model import (
    Assignment,
    Block,
    Factor,
    Kind,
    Person,
    Plan,
    Post,
    Roster,
    Staff,
    Wish,
    WishKind,
)

D1 = dt.date(2027, 3, 14)  # a Sunday: a rest day by default
D2 = dt.date(2027, 3, 15)
CENTRE, OFFICE_A, OFFICE_B, LEADERS, ADMIN = "12315中心", "甲所", "乙所", "局领导", "办公室"


def plan() -> Plan:
    return Plan(
        title="测试局2027年“3·15”值班表",
        dates=(D1, D2),
        blocks=(
            Block("AM", "上午", 8 * 60, 12 * 60),
            Block("PM", "下午", 12 * 60, 20 * 60),
            Block("NIGHT", "晚上", 20 * 60, 24 * 60),
            Block("DAY", "全天", 8 * 60, 24 * 60),
        ),
        posts=(
            Post(
                "hotline",
                "12315专线坐席",
                ("AM", "PM", "NIGHT"),
                units=(CENTRE,),
                require=frozenset({"坐席"}),
            ),
            Post("office", "基层所值班", ("NIGHT",), per_unit=(OFFICE_A, OFFICE_B)),
            Post(
                "leader",
                "带班领导",
                ("DAY",),
                require=frozenset({"带班"}),
                kind=Kind.ONCALL,
                weight=0.5,
            ),
            Post(
                "squad",
                "执法应急小分队",
                ("DAY",),
                units=(CENTRE, OFFICE_A, OFFICE_B),
                teams=2,
                at_least=(("执法证", 1),),
                kind=Kind.ONCALL,
                weight=0.5,
            ),
        ),
        factors=(Factor(20 * 60, 24 * 60, 1.5), Factor(20 * 60, 24 * 60, 2.0, date=D2)),
    )


def staff() -> Staff:
    return Staff(
        people=(
            Person("1", "张伟", CENTRE, phone="13800000001", skills=frozenset({"坐席"})),
            Person("2", "李娜", CENTRE, phone="13800000002", skills=frozenset({"坐席"})),
            Person("3", "王芳", OFFICE_A, phone="13800000003", cert="G-0003"),
            Person("4", "刘洋", OFFICE_B, phone="+86 138 0000 0004", cert="G-0004"),
            Person("5", "陈刚", LEADERS, phone="0774-8888888", skills=frozenset({"带班"})),
            Person("6", "周敏", OFFICE_A, phone="13800000006"),
            Person("7", "孙丽", ADMIN, phone="13800000007"),  # can staff no post
        ),
        wishes=(
            Wish("张伟", D2, None, WishKind.PREFER),  # on PM of the 15th: met
            Wish("2", D2, "NIGHT", WishKind.AVOID),  # on NIGHT of the 15th: unmet
            Wish("王芳", D1, "上午", WishKind.PREFER),  # by block name; on DAY, not AM: unmet
            Wish("周敏", D1, "AM", WishKind.AVOID),  # not on AM of the 14th: met
        ),
    )


def assignment(date: dt.date, block: str, post: str, staff_id: str | None, unit: str, team=1):
    return Assignment(date, block, post, team, staff_id, unit)


def roster() -> Roster:
    """A roster with two unfilled places: office 乙所 NIGHT on the 14th, squad team 2 on the 15th."""
    a = assignment
    return Roster.sorted(
        [
            a(D1, "AM", "hotline", "1", CENTRE),
            a(D1, "PM", "hotline", "2", CENTRE),
            a(D1, "NIGHT", "hotline", "1", CENTRE),
            a(D1, "NIGHT", "office", "6", OFFICE_A),
            a(D1, "NIGHT", "office", None, OFFICE_B),
            a(D1, "DAY", "leader", "5", LEADERS),
            a(D1, "DAY", "squad", "3", OFFICE_A, team=1),
            a(D1, "DAY", "squad", "4", OFFICE_B, team=2),
            a(D2, "AM", "hotline", "2", CENTRE),
            a(D2, "PM", "hotline", "1", CENTRE),
            a(D2, "NIGHT", "hotline", "2", CENTRE),
            a(D2, "NIGHT", "office", "6", OFFICE_A),
            a(D2, "NIGHT", "office", "4", OFFICE_B),
            a(D2, "DAY", "leader", "5", LEADERS),
            a(D2, "DAY", "squad", "3", OFFICE_A, team=1),
            a(D2, "DAY", "squad", None, "", team=2),
        ],
        plan(),
    )
