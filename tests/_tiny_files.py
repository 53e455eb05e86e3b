"""The tiny bureau (tests/_tiny_bureau.py) as input files: staff.xlsx and duty.toml."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

DUTY_TOML = """\
title = "测试局2027年“3·15”值班表"

[period]
dates = ["2027-03-14", "2027-03-15"]

[[blocks]]
id = "AM"
name = "上午"
start = "08:00"
end = "12:00"

[[blocks]]
id = "PM"
name = "下午"
start = "12:00"
end = "20:00"

[[blocks]]
id = "NIGHT"
name = "晚上"
start = "20:00"
end = "24:00"

[[blocks]]
id = "DAY"
name = "全天"
start = "08:00"
end = "24:00"

[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["AM", "PM", "NIGHT"]
units = ["12315中心"]
require = ["坐席"]

[[posts]]
id = "office"
name = "基层所值班"
blocks = ["NIGHT"]
per_unit = ["甲所", "乙所"]

[[posts]]
id = "leader"
name = "带班领导"
blocks = ["DAY"]
require = ["带班"]
kind = "oncall"
weight = 0.5

[[posts]]
id = "squad"
name = "执法应急小分队"
blocks = ["DAY"]
units = ["12315中心", "甲所", "乙所"]
teams = 2
at_least = { "执法证" = 1 }
kind = "oncall"
weight = 0.5

[[factors]]
when = "20:00-24:00"
factor = 1.5

[[factors]]
when = "2027-03-15 20:00-24:00"
factor = 2.0
"""

STAFF = [
    ("编号", "姓名", "单位", "手机", "技能", "执法证号"),
    ("1", "张伟", "12315中心", "13800000001", "坐席", None),
    ("2", "李娜", "12315中心", "13800000002", "坐席", None),
    ("3", "王芳", "甲所", "13800000003", None, "G-0003"),
    ("4", "刘洋", "乙所", "13800000004", None, "G-0004"),
    ("5", "陈刚", "局领导", "13800000005", "带班", None),
    ("6", "周敏", "甲所", "13800000006", None, None),
    ("7", "孙丽", "办公室", "13800000007", None, None),
]

WISHES = [
    ("姓名", "日期", "班次", "意愿"),
    ("张伟", "2027-03-15", None, "希望"),
    ("李娜", "2027-03-15", "NIGHT", "避免"),
    ("王芳", "2027-03-14", "上午", "希望"),
    ("周敏", "2027-03-14", "AM", "避免"),
]


def write(folder: Path) -> tuple[Path, Path]:
    """Write the tiny bureau's staff.xlsx and duty.toml into ``folder``."""
    staff, plan = folder / "staff.xlsx", folder / "duty.toml"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    for person in STAFF:
        sheet.append(person)
    wishes = workbook.create_sheet("意愿")
    for wish in WISHES:
        wishes.append(wish)
    workbook.save(staff)
    plan.write_text(DUTY_TOML, encoding="utf-8")
    return staff, plan
