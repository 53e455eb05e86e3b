"""``roster init``: a commented duty plan and a staff workbook to start from.

The two files belong together: ``load_inputs(dir / "staff.xlsx", dir / "duty.toml")``
accepts them as written. The example people are fictional and too few to staff the
example plan; the coordinator replaces them with the bureau's staff list.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["DUTY_TOML", "PLAN_FILE", "STAFF_FILE", "write_templates"]

PLAN_FILE = "duty.toml"
STAFF_FILE = "staff.xlsx"

DUTY_TOML = """\
# 值班计划（roster 读取的 TOML 文件）。“#” 之后是注释，程序不读。
# 键名用英文，取值可写中文。日期写作 "2027-03-15"，时间写作 "08:00"（结束可写 "24:00"）。
# 改完后运行：roster validate staff.xlsx duty.toml   检查所有问题
#             roster solve staff.xlsx duty.toml -o 值班表.xlsx

title = "XX市市场监督管理局2027年“3·15”国际消费者权益日值班表"   # 打印在值班表顶部

[period]
dates = ["2027-03-14", "2027-03-15"]   # 值班日期，按先后顺序，不可重复

# ---- 班次：每个值班日期都有这些时段 -------------------------------------------------
# id 是班次编号（不含空格，其他地方用它引用班次）；name 是打印用的名称。
[[blocks]]
id = "AM"
name = "上午"
start = "08:00"
end = "12:00"

[[blocks]]
id = "PM"
name = "下午"
start = "12:00"
end = "16:00"

[[blocks]]
id = "EVE"
name = "傍晚"
start = "16:00"
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

# ---- 规则：每个人都必须遵守 ---------------------------------------------------------
[rules]
max_onsite_hours_per_day = 8   # 每人每天在岗值班最多小时数（备勤不计）
max_consecutive_hours = 8      # 连续在岗值班最多小时数
min_rest_hours = 8             # 前一天最后一班与次日第一班之间至少休息的小时数
max_hours_total = 16           # 整个值班期在岗最多小时数（人员表“最多小时”可再降低）
# 较长的值班期（春节、汛期）可用以下规则，去掉行首的 “# ” 即生效：
# max_consecutive_days = 6     # 连续有班的天数最多
# min_consecutive_days = 2     # 一段连续有班的天数至少
# min_consecutive_days_off = 2 # 一段连续休息的天数至少
# max_weekends = 2             # 有班的周末（周六或周日）最多
# max_blocks = { NIGHT = 3 }   # 每人各班次的次数上限，如夜班最多 3 次
# min_hours_total = 0          # 整个值班期在岗至少小时数
# forbid_after = { NIGHT = ["AM", "PM"] }   # 值夜班后，次日不排上午、下午班

# ---- 岗位 --------------------------------------------------------------------------
[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["AM", "PM", "EVE", "NIGHT"]           # 需要值班的班次
units = ["12315投诉举报中心", "消费者权益保护股"]   # 可派人的单位；不写则任何单位
require = ["坐席"]                               # 每名值班人员必须具备的技能
size = 3                                         # 每个班次的人数
size_at = { "2027-03-15 NIGHT" = 5 }             # 个别日期班次的人数（3·15 晚会当晚加人）
kind = "onsite"                                  # onsite 在岗（计入工时上限）；oncall 备勤
weight = 1.0                                     # 每小时的负担权重（公平性统计用）
# 人数作为目标而非硬性要求时（缺人或多人按以下代价计入目标）：
# soft = { under = 100, over = 1 }
# soft_at = { "2027-03-15 NIGHT" = { under = 200, over = 1 } }

[[posts]]
id = "office"
name = "基层所值班"
per_unit = ["岑城市场监管所", "南渡市场监管所"]   # 每个所各设一个岗位，只由本所人员值班
blocks = ["AM", "PM", "EVE", "NIGHT"]
size = 1

[[posts]]
id = "leader"
name = "带班领导"
blocks = ["DAY"]
require = ["带班"]
size = 1
kind = "oncall"
weight = 0.5

[[posts]]
id = "squad"
name = "执法应急小分队"
blocks = ["DAY"]
teams = 3                                 # 每个班次的分队数；size 为每队人数
teams_at = { "2027-03-15 DAY" = 5 }       # 3·15 当天增加到 5 个分队
size = 4
at_least = { "执法证" = 2, "驾驶员" = 1 }  # 每队至少 2 名持执法证人员、1 名驾驶员
kind = "oncall"
weight = 0.5

# ---- 时段系数：夜间等时段的负担加权，多个重叠时取最大 ----------------------------------
[[factors]]
when = "20:00-24:00"              # 每天的这个时段
factor = 1.5

[[factors]]
when = "2027-03-15 20:00-24:00"   # 只在这一天：3·15 晚会直播
factor = 2.0

# ---- 指定值班：由值班室事先确定 ------------------------------------------------------
[[pins]]
staff = "张伟"          # 姓名；有同名时写编号
post = "leader"
date = "2027-03-15"
block = "DAY"
# team = 1              # 有多个分队的岗位可指定第几队

# ---- 不同时值班：名单中的人不在同一班次值班 --------------------------------------------
[[apart]]
staff = ["李娜", "王芳"]

# ---- 班次限制：选中的人不排这些班次 -----------------------------------------------------
[[restrict]]
# 选择条件 who：gender 性别、unit 单位、title 职务、skill 技能、staff 姓名或编号，
# 每项可写一个值或一个列表；写多项时须同时满足
who = { gender = "女" }
blocks = ["NIGHT"]
# dates = ["2027-03-15"]  # 只在这些日期限制；不写则每天

# ---- 个人规则：覆盖 [rules] 中的同名规则，去掉行首的 “# ” 即生效 -------------------------
# [[personal]]
# who = { staff = ["张伟", "P002"] }
# max_weekends = 1
# max_blocks = { NIGHT = 0 }

# ---- 休息日：在休息日在岗值班计补休 ----------------------------------------------------
[calendar]
rest_days = ["2027-03-14"]   # 列出全部休息日；不写则为周六、周日
# official_holidays = true   # 或者删去 rest_days，改按国家法定节假日（扣除调休上班日）计，春节、国庆适用

# ---- 优化目标：按阶段依次优化，一个阶段可以是几项之和，去掉行首的 “# ” 即生效 -------------
# 可用项：coverage 缺人/多人代价、max_burden 最大负担、evenness 均衡、wishes 个人意愿、
#         history 往年值班、changes 调整时的改动
# [objective]
# stages = ["max_burden", "evenness", "wishes"]   # 默认
"""

STAFF_HEADERS = (
    "编号",
    "姓名",
    "单位",
    "职务",
    "性别",
    "手机",
    "技能",
    "执法证号",
    "不可值班时间",
    "最多小时",
    "备注",
)
# Fictional people whose units, skills and names match the plan template above.
STAFF_ROWS = (
    ("P001", "张伟", "局领导", "副局长", "男", "13800000001", "带班", "", "", None, ""),
    (
        "P002",
        "李娜",
        "12315投诉举报中心",
        "主任",
        "女",
        "13800000002",
        "坐席、转办",
        "",
        "",
        None,
        "",
    ),
    ("P003", "王芳", "消费者权益保护股", "股长", "女", "13800000003", "坐席", "", "", None, ""),
    (
        "P004",
        "刘洋",
        "执法稽查大队",
        "队长",
        "男",
        "13800000004",
        "驾驶员",
        "45000000001",
        "",
        None,
        "",
    ),
    (
        "P005",
        "陈静",
        "12315投诉举报中心",
        "科员",
        "女",
        "13800000005",
        "坐席",
        "",
        "2027-03-14 08:00-12:00",
        None,
        "上午送孩子",
    ),
    (
        "P006",
        "杨军",
        "执法稽查大队",
        "科员",
        "男",
        "07743812345",
        "",
        "45000000002",
        "2027-03-15 NIGHT",
        None,
        "",
    ),
    ("P007", "黄磊", "岑城市场监管所", "所长", "男", "13800000007", "", "45000000003", "", 12, ""),
    ("P008", "周敏", "南渡市场监管所", "科员", "女", "13800000008", "", "", "", None, ""),
)
HEADER_NOTES = {
    "编号": "唯一编号；有同名人员时在值班计划中用编号指定",
    "技能": "用顿号、逗号或空格分隔，如：坐席、转办",
    "执法证号": "填写即视为具备“执法证”技能",
    "不可值班时间": "用分号分隔：2027-03-14；2027-03-14 08:00-12:00；2027-03-15 NIGHT（班次编号）",
    "最多小时": "个人在整个值班期最多在岗小时数，可不填",
}
LEAVE_HEADERS = ("编号", "姓名", "日期", "开始", "结束", "原因")
WISH_HEADERS = ("编号", "姓名", "日期", "班次", "意愿", "权重")


def write_templates(directory: Path) -> list[Path]:
    """Write ``duty.toml`` and ``staff.xlsx`` into ``directory`` (created if missing).

    Raises :class:`FileExistsError` naming every file that already exists; then nothing
    is written. Returns the paths written.
    """
    directory = Path(directory)
    targets = [directory / PLAN_FILE, directory / STAFF_FILE]
    existing = [str(path) for path in targets if path.exists()]
    if existing:
        raise FileExistsError(f"refusing to overwrite existing file(s): {', '.join(existing)}")
    directory.mkdir(parents=True, exist_ok=True)
    _atomic_write(targets[0], lambda path: path.write_text(DUTY_TOML, encoding="utf-8"))
    _atomic_write(targets[1], lambda path: staff_workbook().save(path))
    return targets


def _atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def staff_workbook() -> Workbook:
    """The staff template: sheet 人员 with example rows, and empty 请假 and 意愿 sheets."""
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = "人员"
    _header(people, STAFF_HEADERS)
    for row in STAFF_ROWS:
        people.append(list(row))
    for column in ("A", "F", "H"):  # ids, phones and certificate numbers stay text
        for cell in people[column][1:]:
            cell.number_format = "@"
    for index, header in enumerate(STAFF_HEADERS):
        if header in HEADER_NOTES:
            people.cell(1, index + 1).comment = Comment(HEADER_NOTES[header], "roster")
    gender = DataValidation(type="list", formula1='"男,女"', allow_blank=True)
    people.add_data_validation(gender)
    gender.add("E2:E1000")
    _widths(people, (8, 10, 20, 10, 6, 14, 16, 14, 30, 10, 16))

    leave = book.create_sheet("请假")
    _header(leave, LEAVE_HEADERS)
    _widths(leave, (8, 10, 12, 8, 8, 20))

    wishes = book.create_sheet("意愿")
    _header(wishes, WISH_HEADERS)
    kind = DataValidation(type="list", formula1='"希望,避免"', allow_blank=True)
    wishes.add_data_validation(kind)
    kind.add("E2:E1000")
    _widths(wishes, (8, 10, 12, 10, 8, 8))
    return book


def _header(sheet: Worksheet, headers: tuple[str, ...]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"


def _widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
