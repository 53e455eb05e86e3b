"""A small bureau as input files (staff.csv, duty.toml) that can be staffed: 8 people,
hotline seats, a leader and two squads of two (one certificate holder each) per date."""

from __future__ import annotations

from pathlib import Path

STAFF_CSV = """\
编号,姓名,单位,手机,技能,执法证号
C1,张伟,12315中心,13800000001,坐席,
C2,李娜,12315中心,13800000002,坐席,
C3,王芳,12315中心,13800000003,坐席,
O1,刘洋,甲所,13800000004,,G-01
O2,陈刚,甲所,13800000005,,G-02
O3,周敏,甲所,13800000006,,
O4,孙丽,甲所,13800000007,,
L1,赵强,局领导,13800000008,带班,
"""

PLAN_TOML = """\
title = "测试局值班表"

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
id = "leader"
name = "带班领导"
blocks = ["DAY"]
require = ["带班"]
kind = "oncall"

[[posts]]
id = "squad"
name = "执法应急小分队"
blocks = ["DAY"]
units = ["甲所"]
teams = 2
size = 2
at_least = { "执法证" = 1 }
kind = "oncall"
weight = 0.5
"""


def write(folder: Path, staff_csv: str = STAFF_CSV) -> tuple[Path, Path]:
    """Write staff.csv and duty.toml into ``folder``."""
    staff, plan = folder / "staff.csv", folder / "duty.toml"
    staff.write_text(staff_csv, encoding="utf-8")
    plan.write_text(PLAN_TOML, encoding="utf-8")
    return staff, plan
