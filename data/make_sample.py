"""Write the bundled sample bureau: ``data/staff.xlsx`` and ``data/duty.toml``.

Everything is invented: the county, its towns, the people, their phone and certificate
numbers. The output depends only on SEED: running ``python data/make_sample.py`` again
rewrites the same files byte for byte. ``check_capacity`` proves, by counting and by a small
greedy witness, that every post can be staffed with room to spare.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SEED = 20270315
COUNTY, PREFIX = "青岚县", "QL"  # invented; deliberately not a real county
BUREAU = f"{COUNTY}市场监督管理局"
TITLE = f"{BUREAU}2027年“3·15”国际消费者权益日值班表"
D14, D15 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
DATES = (D14, D15)
BLOCKS = {"AM": (8, 12), "PM": (12, 16), "EVE": (16, 20), "NIGHT": (20, 24), "DAY": (8, 24)}
SHIFTS = ("AM", "PM", "EVE", "NIGHT")
# fmt: off
TOWNS = ("城关", "柳溪", "石桥", "云岭", "金竹", "梅坪", "杉木",
         "枫林", "松坳", "茶岭", "桐湾", "樟坪", "鹿鸣", "槐坝")
HEADERS = ("编号", "姓名", "单位", "职务", "性别", "手机", "技能", "执法证号", "不可值班时间",
           "最多小时", "备注")
# fmt: on
OFFICE_SIZES = (12, 9, 8, 7, 9, 6, 8, 5, 7, 10, 6, 8, 5, 7)
OFFICES = [f"{town}市场监管所" for town in TOWNS]
LEAD, OFFICE, CENTRE, CONSUMER = "局领导", "办公室", "12315投诉举报中心", "消费者权益保护股"
BRIGADE = "执法大队"
SECTIONS = (("法规股", 4), ("食品生产股", 5), ("特种设备股", 5), ("价格监督检查股", 5))
MALE_SHARE = {LEAD: 0.8, CENTRE: 0.35, CONSUMER: 0.5, BRIGADE: 0.85}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余杜"
    "叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷龙黎史"
)
GIVEN = {
    "男": "伟强磊军勇杰涛斌波辉刚鹏飞浩俊峰明华建国志文宇超亮晨松林海东",
    "女": "芳娜敏静丽艳娟霞燕婷玲雪琳颖洁慧倩丹萍红梅兰秀晶莉",
}
PHONE_PREFIXES = ("138", "139", "150", "158", "187", "189")
FIXED_TIME = (2027, 3, 1, 0, 0, 0)  # zip timestamps and document dates, for stable bytes


@dataclass(eq=False)
class Person:
    unit: str
    title: str
    skills: list[str]
    has_cert: bool
    id: str = ""
    name: str = ""
    gender: str = ""
    phone: str = ""
    cert: str = ""
    unavailable: str = ""
    max_hours: int | None = None
    note: str = ""
    off: list[tuple[dt.date, int, int]] = field(default_factory=list)  # (date, hour, hour)

    @property
    def all_skills(self) -> set[str]:
        return set(self.skills) | ({"执法证"} if self.cert else set())

    def free(self, date: dt.date, block: str) -> bool:
        start, end = BLOCKS[block]
        return not any(d == date and s < end and start < e for d, s, e in self.off)

    def mark(self, text: str, note: str = "") -> None:
        """Add unavailability written as in the 不可值班时间 column."""
        for part in text.split(";"):
            m = re.fullmatch(r"(\S+)(?: (\d\d):00-(\d\d):00| (\w+))?", part)
            assert m, part
            start, end = BLOCKS[m[4]] if m[4] else (int(m[2] or 0), int(m[3] or 24))
            self.off.append((dt.date.fromisoformat(m[1]), start, end))
        self.unavailable = ";".join(filter(None, (self.unavailable, text)))
        self.note = note


def specs(rng: random.Random) -> list[Person]:
    out: list[Person] = []

    def add(unit: str, title: str, skills: str = "", cert: bool = True, n: int = 1) -> None:
        out.extend(Person(unit, title, skills.split(), cert) for _ in range(n))

    add(LEAD, "局长", "带班")
    add(LEAD, "副局长", "带班", n=3)
    add(LEAD, "党组成员", "带班")
    add(LEAD, "纪检监察组组长", "带班", cert=False)
    add(OFFICE, "主任", cert=False)
    add(OFFICE, "副主任", cert=False)
    add(OFFICE, "科员", "网络", cert=False)  # the bureau's IT administrator
    add(OFFICE, "驾驶员", "驾驶员", cert=False)
    add(OFFICE, "科员", cert=False, n=2)
    for unit, size in SECTIONS:
        add(unit, "股长")
        add(unit, "副股长", "驾驶员" if unit == "特种设备股" else "")
        for _ in range(size - 2):
            add(unit, "科员", cert=rng.random() < 0.8)
    add(CENTRE, "主任", "坐席 转办")
    add(CENTRE, "副主任", "坐席 转办 网络")
    for i in range(11):
        skills = "坐席" + " 转办" * (i % 3 == 0) + " 网络" * (i % 4 == 1)
        add(CENTRE, "科员" if i < 5 else "坐席员", skills, cert=i < 5)
    add(CONSUMER, "股长", "坐席 转办")
    add(CONSUMER, "副股长", "坐席 网络")
    for skills in ("坐席 转办", "坐席", "转办 网络", "坐席"):
        add(CONSUMER, "科员", skills)
    add(BRIGADE, "大队长")
    add(BRIGADE, "副大队长", n=2)
    add(BRIGADE, "中队长", "驾驶员")
    add(BRIGADE, "中队长", n=2)
    for i in range(13):
        add(BRIGADE, "队员", "驾驶员" if i in (2, 6, 10) else "")
    add(BRIGADE, "协管员", "驾驶员", cert=False)
    for office, size in zip(OFFICES, OFFICE_SIZES, strict=True):
        staff = [Person(office, "所长", [], True)]
        staff += [Person(office, "副所长", [], True) for _ in range(1 + (size >= 8))]
        while len(staff) < size:
            cert = rng.random() < 0.72
            staff.append(Person(office, "科员" if cert else "协管员", [], cert))
        for p in rng.sample(staff[1:], 1 + (size >= 8)):
            p.skills.append("驾驶员")
        out += staff
    return out


def build(rng: random.Random) -> tuple[list[Person], list[tuple], list[tuple]]:
    """The people, the leave rows and the wishes."""
    people = specs(rng)
    units: dict[str, list[Person]] = {}
    for p in people:
        units.setdefault(p.unit, []).append(p)
    for unit, members in units.items():
        genders = ["男" if rng.random() < MALE_SHARE.get(unit, 0.6) else "女" for _ in members]
        while unit in OFFICES and genders.count("男") < 2:  # someone must take the nights
            genders[genders.index("女")] = "男"
        for p, gender in zip(members, genders, strict=True):
            p.gender = gender
    taken: set[str] = set()
    certs = iter(rng.sample(range(100000, 1000000), len(people)))
    for i, p in enumerate(people, 1):
        while not p.name or p.name in taken:
            given = rng.choices(GIVEN[p.gender], k=rng.choice((1, 2, 2)))
            p.name = rng.choice(SURNAMES) + "".join(given)
        taken.add(p.name)
        p.id, p.phone = f"{PREFIX}{i:03d}", f"{rng.choice(PHONE_PREFIXES)}0000{i:04d}"
        p.cert = f"45{PREFIX}{next(certs)}" if p.has_cert else ""
    for a_unit, b_unit in ((CENTRE, OFFICES[3]), (BRIGADE, OFFICES[9]), ("法规股", OFFICES[0])):
        a = rng.choice(units[a_unit][2:])
        rng.choice([b for b in units[b_unit][1:] if b.gender == a.gender]).name = a.name
    centre, consumer, brigade = units[CENTRE], units[CONSUMER], units[BRIGADE]
    offices = [units[office] for office in OFFICES]
    husband = next(p for p in centre[2:] if p.gender == "男")
    wife = next(p for p in consumer[2:] if p.gender == "女")
    husband.note = f"与{wife.name}（{wife.id}）系夫妻，错开值班"
    wife.note = f"与{husband.name}（{husband.id}）系夫妻，错开值班"
    centre[7].mark("2027-03-15 08:00-12:00", "上午医院复诊")
    offices[1][3].mark("2027-03-14", "家中有事")
    brigade[8].mark("2027-03-15 NIGHT", "晚上需照顾老人")
    units[LEAD][2].mark("2027-03-14", "赴市局开会")
    consumer[5].mark("2027-03-14 16:00-24:00;2027-03-15 NIGHT", "孩子年幼，晚上不便")
    nursing = next(p for p in reversed(centre) if p.gender == "女")
    for p, why in ((nursing, "哺乳期"), (consumer[3], "身体原因"), (offices[2][-1], "腰伤")):
        p.max_hours, p.note = 8, why
    leave = [
        (centre[9], D15, "08:00", "24:00", "病假"),
        (offices[5][2], D14, None, None, "参加市局执法培训"),
        (offices[5][2], D15, None, None, "参加市局执法培训"),
        (brigade[3], D15, "08:00", "24:00", "事假"),
        (units[LEAD][3], D15, "08:00", "12:00", "公务外出"),
        (offices[0][0], D14, "12:00", "16:00", "参加县政府会议"),
    ]
    for p, date, start, end, _ in leave:
        p.off.append((date, int(start[:2]) if start else 0, int(end[:2]) if end else 24))
    wishes = [
        (centre[3], D14, "夜间", "避免", 1), (centre[4], D15, "夜间", "希望", 2),
        (centre[6], D14, "上午", "希望", None), (consumer[2], D15, "傍晚", "避免", 1),
        (brigade[5], D15, "全天", "避免", 2), (brigade[11], D14, "全天", "希望", None),
        (offices[4][2], D15, "上午", "希望", 1), (offices[7][3], D14, None, "避免", 1),
        (offices[10][1], D15, "夜间", "避免", None), (units[LEAD][1], D14, "全天", "希望", 1),
    ]  # fmt: skip
    return people, leave, wishes


def write_staff(path: Path, people: list[Person], leave: list[tuple], wishes: list[tuple]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append([f"{BUREAU}在职人员花名册"])
    ws.append(["（“3·15”值班用　办公室2027年3月1日更新）"])
    ws.merge_cells("A1:K1")
    ws.merge_cells("A2:K2")
    ws["A1"].font, ws["A1"].alignment = Font(size=16, bold=True), Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="right")
    ws.append(HEADERS)
    for p in people:
        ws.append([p.id, p.name, p.unit, p.title, p.gender, p.phone, "、".join(p.skills), p.cert,
                   p.unavailable, p.max_hours, p.note])  # fmt: skip
        ws.cell(ws.max_row, 6).number_format = "@"
    for col, width in zip("ABCDEFGHIJK", (8, 9, 20, 14, 6, 14, 16, 14, 36, 9, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    for cell in ws[3]:
        cell.font = Font(bold=True)
    sheet = wb.create_sheet("请假")
    sheet.append(["姓名", "编号", "日期", "开始", "结束", "原因"])
    for p, date, start, end, why in leave:
        sheet.append([p.name, p.id, date, start, end, why])
    wish_sheet = wb.create_sheet("意愿")
    wish_sheet.append(["编号", "姓名", "日期", "班次", "意愿", "权重"])
    for p, date, shift, kind, weight in wishes:
        wish_sheet.append([p.id, p.name, date, shift, kind, weight])
    for extra in (sheet, wish_sheet):
        for (cell,) in extra.iter_rows(min_row=2, min_col=3, max_col=3):
            cell.number_format = "yyyy-mm-dd"
        extra.column_dimensions["C"].width = 12
    wb.properties.creator = f"{BUREAU}办公室"
    wb.properties.created = dt.datetime(*FIXED_TIME)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():  # pin timestamps so that the bytes are reproducible
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                stamp = rb"\g<1>2027-03-01T00:00:00Z"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", stamp, data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)


PLAN = Template("""\
# $title —— 值班计划
# 示例单位，纯属虚构（县名、人员、电话、证号均为编造），由 data/make_sample.py 生成。
# 修改后先检查：roster validate data/staff.xlsx data/duty.toml

title = "$title"

# 时段：每天08:00—24:00分四段，每段4小时；“全天”供带班领导、应急小分队备勤使用
blocks = [
    { id = "AM", name = "上午", start = "08:00", end = "12:00" },
    { id = "PM", name = "下午", start = "12:00", end = "16:00" },
    { id = "EVE", name = "傍晚", start = "16:00", end = "20:00" },
    { id = "NIGHT", name = "夜间", start = "20:00", end = "24:00" },
    { id = "DAY", name = "全天", start = "08:00", end = "24:00" },
]

[period]  # 3月14日星期日；3月15日星期一，央视“3·15”晚会当晚20:00播出
dates = ["2027-03-14", "2027-03-15"]

[rules]  # 值班纪律，必须遵守
max_onsite_hours_per_day = 8  # 每人每天现场值班不超过8小时（最多两个时段）
max_consecutive_hours = 8     # 连续值班不超过8小时
min_rest_hours = 8            # 前一天最后一班与次日第一班之间至少休息8小时
max_hours_total = 16          # 两天合计现场值班不超过16小时（人员表“最多小时”可再降低）

# 一、12315专线坐席：投诉举报中心、消保股持“坐席”技能者值守，平时每段2人；
#     15日傍晚加至3人，晚会当晚来电高峰加至4人
[[posts]]
id = "hotline"
name = "12315专线坐席"
blocks = ["AM", "PM", "EVE", "NIGHT"]
units = ["12315投诉举报中心", "消费者权益保护股"]
require = ["坐席"]
size = 2
size_at = { "2027-03-15 EVE" = 3, "2027-03-15 NIGHT" = 4 }
kind = "onsite"
weight = 1.0

# 二、投诉举报转办分流：每段1人，须熟悉全国12315平台转办流程（“转办”）
[[posts]]
id = "dispatch"
name = "投诉举报转办分流"
blocks = ["AM", "PM", "EVE", "NIGHT"]
require = ["转办"]
size = 1

# 三、网络系统：12315平台在线投诉、系统运行保障，每段1人（“网络”），
#     不限单位，办公室信息化管理员也可承担
[[posts]]
id = "online"
name = "网络系统"
blocks = ["AM", "PM", "EVE", "NIGHT"]
require = ["网络"]
size = 1

# 四、基层所值班：各市场监管所守好本所投诉电话，每段1人，只排本所人员
[[posts]]
id = "office"
name = "基层所值班"
per_unit = $offices
blocks = ["AM", "PM", "EVE", "NIGHT"]
size = 1

# 五、带班领导：局领导每天1人全天带班，电话备勤，不计现场时长
[[posts]]
id = "leader"
name = "带班领导"
blocks = ["DAY"]
require = ["带班"]
size = 1
kind = "oncall"
weight = 0.5

# 六、执法应急小分队备勤：执法大队与各基层所抽人，每队4人，至少2人持执法证（两人执法）、
#     1人会驾驶；平时3队，晚会曝光后可能连夜查处，15日增至5队；备勤当天不再排其他班
[[posts]]
id = "squad"
name = "执法应急小分队"
blocks = ["DAY"]
units = $squad_units
teams = 3
teams_at = { "2027-03-15 DAY" = 5 }
size = 4
at_least = { "执法证" = 2, "驾驶员" = 1 }
kind = "oncall"
weight = 0.5

# 负担系数：夜间按1.5倍计，晚会当晚按2倍计（重叠时取大者）
[[factors]]
when = "20:00-24:00"
factor = 1.5

[[factors]]
when = "2027-03-15 20:00-24:00"
factor = 2.0

[[pins]]  # 晚会当天由局长$pin_name全天带班
staff = "$pin_id"
post = "leader"
date = "2027-03-15"
block = "DAY"

[[apart]]  # $a_name与$b_name系夫妻，需轮流照看孩子，不同时值班（用编号，以防重名）
staff = ["$a_id", "$b_id"]

[[restrict]]  # 基层所夜间单人值守，按局里惯例不安排女同志值夜班
blocks = ["NIGHT"]
[restrict.who]
gender = "女"
unit = $offices

[calendar]  # 3月14日是星期日，值班计补休；3月15日星期一为工作日
rest_days = ["2027-03-14"]
""")


def plan_text(people: list[Person]) -> str:
    def array(items: list[str]) -> str:
        rows = (", ".join(f'"{x}"' for x in items[i : i + 5]) for i in range(0, len(items), 5))
        return "[\n" + "".join(f"    {row},\n" for row in rows) + "]"

    husband, wife = (p for p in people if "系夫妻" in p.note)
    return PLAN.substitute(
        title=TITLE, offices=array(OFFICES), squad_units=array([BRIGADE, *OFFICES]),
        pin_id=people[0].id, pin_name=people[0].name, a_id=husband.id, a_name=husband.name,
        b_id=wife.id, b_name=wife.name,
    )  # fmt: skip


def check_capacity(people: list[Person], plan: dict) -> None:
    """Print and assert, per date and block, how far each post's candidates exceed its need."""
    posts, rules = {q["id"]: q for q in plan["posts"]}, plan["rules"]
    assert {b["id"]: (int(b["start"][:2]), int(b["end"][:2])) for b in plan["blocks"]} == BLOCKS
    assert plan["period"]["dates"] == [str(d) for d in DATES]
    per_day = int(rules["max_onsite_hours_per_day"] // 4)  # every on-site block is 4 hours
    total = {p.id: int(min(p.max_hours or 99, rules["max_hours_total"]) // 4) for p in people}
    margins: list[int] = []

    def ok(p: Person, q: dict, date: dt.date, block: str) -> bool:
        who = (r["who"] for r in plan["restrict"] if block in r["blocks"])
        return (
            p.free(date, block)
            and set(q.get("require", ())) <= p.all_skills
            and p.unit in q.get("units", [p.unit])
            and not any(all(getattr(p, k) in as_list(v) for k, v in w.items()) for w in who)
        )

    def as_list(value: str | list[str]) -> list[str]:
        return [value] if isinstance(value, str) else value

    def cap(p: Person) -> int:
        return min(per_day, total[p.id])

    def need(q: dict, date: dt.date, block: str) -> int:
        at, teams = f"{date} {block}", q.get("teams", 1)
        return q.get("size_at", {}).get(at, q["size"]) * q.get("teams_at", {}).get(at, teams)

    def report(what: str, have: int, want: int) -> None:
        print(f"  need {want:>3}  have {have:>3}  margin {have - want:+3d}  {what}")
        margins.append(have - want)

    desk = [posts[k] for k in ("hotline", "dispatch", "online")]
    spare = dict.fromkeys(total, 0)
    for date in DATES:
        print(date)
        for q in desk:  # person-blocks: nobody gives more than two blocks a day
            have = sum(min(per_day, sum(ok(p, q, date, b) for b in SHIFTS)) for p in people)
            report(f"{q['name']} person-blocks", have, sum(need(q, date, b) for b in SHIFTS))
        for b in SHIFTS:
            pool = [p for p in people if any(ok(p, q, date, b) for q in desk)]
            report(f"12315 desks {b} people", len(pool), sum(need(q, date, b) for q in desk))
        for p in people:
            spare[p.id] += min(per_day, sum(any(ok(p, q, date, b) for q in desk) for b in SHIFTS))
        leaders = [p for p in people if ok(p, posts["leader"], date, "DAY")]
        report("带班领导 candidates", len(leaders), need(posts["leader"], date, "DAY"))
        busy, worst = set(), 99
        for unit in OFFICES:  # the fewest office staff (non-drivers first) who cover 4 blocks
            staff = sorted((p for p in people if p.unit == unit),
                           key=lambda p: ("驾驶员" in p.skills, bool(p.cert), p.id))  # fmt: skip
            for k in range(1, len(staff) + 1):
                options = [[p for p in staff[:k] if ok(p, {}, date, b)] for b in SHIFTS]
                fits = (
                    c for c in itertools.product(*options) if all(c.count(p) <= cap(p) for p in c)
                )
                cover = next(fits, None)
                if cover:
                    break
            assert cover, f"{date} {unit} cannot be staffed"
            for p in set(cover):
                total[p.id] -= cover.count(p)
            busy |= {p.id for p in cover}
            worst = min(worst, sum(any(p.free(date, b) for b in SHIFTS) for p in staff) - k)
        report("基层所 spare staff (worst office)", worst, 0)
        squad = posts["squad"]
        pool = [p for p in people if p.id not in busy and ok(p, squad, date, "DAY")]
        report("小分队 people", len(pool), need(squad, date, "DAY"))
        for skill, n in squad["at_least"].items():
            have = sum(skill in p.all_skills for p in pool)
            report(f"小分队 {skill}", have, n * need(squad, date, "DAY") // squad["size"])
    desk_need = sum(need(q, d, b) for q in desk for d in DATES for b in SHIFTS)
    report(
        "12315 desks person-blocks, period", sum(min(spare[i], total[i]) for i in spare), desk_need
    )
    pin = plan["pins"][0]
    assert ok(next(p for p in people if p.id == pin["staff"]), posts["leader"], D15, "DAY")
    assert min(margins) >= 1, "the sample needs spare capacity everywhere"


def main() -> None:
    people, leave, wishes = build(random.Random(SEED))
    text = plan_text(people)
    plan = tomllib.loads(text)
    check_capacity(people, plan)
    write_staff(HERE / "staff.xlsx", people, leave, wishes)
    (HERE / "duty.toml").write_text(text, encoding="utf-8")
    units: dict[str, int] = {}
    for p in people:
        units[p.unit] = units.get(p.unit, 0) + 1
    print(f"{len(people)} people:", "，".join(f"{u} {n}" for u, n in units.items()))
    skills = sorted({s for p in people for s in p.all_skills})
    print("skills:", "，".join(f"{s} {sum(s in p.all_skills for p in people)}" for s in skills))


if __name__ == "__main__":
    main()
