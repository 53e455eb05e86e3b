"""The run info sheet (说明): inputs and their hashes, rules, solver status and stages."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from roster import calendar
from roster.io._wb_common import Context, fit_columns, header, page_setup, put, rows, title
from roster.model import Rules
from roster.result import Status


def build(ws: Worksheet, ctx: Context) -> None:
    """Title, inputs with hashes, rules, solver status and stages, version."""
    t = ctx.t
    title(ws, 1, ctx.plan.title, 6)
    row = _section(
        ws, 3, t("运行信息", "Run"), [t("项目", "Item"), t("内容", "Value")], _run_rows(ctx)
    )
    files = [[key, Path(path).name, _sha256(Path(path), ctx)] for key, path in ctx.inputs.items()]
    row = _section(
        ws,
        row + 1,
        t("输入文件", "Inputs"),
        [t("用途", "Input"), t("文件", "File"), "SHA-256"],
        files,
    )
    row = _section(
        ws,
        row + 1,
        t("规则", "Rules"),
        [t("键", "Key"), t("说明", "Meaning"), t("值", "Value")],
        _rule_rows(ctx),
    )
    stages = []
    for stage in ctx.result.stages if ctx.result else ():
        gap = stage.gap
        stages.append(
            [
                stage.name,
                _status(ctx, stage.status),
                stage.objective,
                stage.bound,
                round(gap * 100, 2) if gap is not None else None,
                round(stage.runtime, 2),
            ]
        )
    _section(
        ws,
        row + 1,
        t("求解阶段（依次优化）", "Solver stages (in order)"),
        [
            t("阶段", "Stage"),
            t("状态", "Status"),
            t("目标值", "Objective"),
            t("下界", "Bound"),
            t("差距 %", "Gap %"),
            t("用时（秒）", "Time (s)"),
        ],
        stages,
    )
    fit_columns(ws, first_row=3, least=10, most=70)
    page_setup(ws, landscape=False)


def _section(
    ws: Worksheet, row: int, caption: str, labels: list[str], body: list[list[Any]]
) -> int:
    put(ws, row, 1, caption, bold=True)
    header(ws, row + 1, labels)
    if not body:
        body = [["—"] + [None] * (len(labels) - 1)]
    return rows(ws, row + 2, body, wrap=True)


def _run_rows(ctx: Context) -> list[list[Any]]:
    t, result = ctx.t, ctx.result
    dates = ctx.plan.dates
    run: list[list[Any]] = [
        [t("值班表", "Plan"), ctx.plan.title],
        [t("值班日期", "Dates"), f"{dates[0]} – {dates[-1]}" if dates else "—"],
        [t("软件版本", "Version"), f"roster {version()}"],
        [t("空缺岗位数", "Unfilled places"), len(ctx.roster.unfilled)],
    ]
    if result is None:
        return [*run, [t("求解状态", "Solver status"), t("（无求解信息）", "(no solve)")]]
    params = result.params
    return [
        *run,
        [t("求解状态", "Solver status"), _status(ctx, result.status)],
        [t("被中断", "Interrupted"), t("是", "yes") if result.interrupted else t("否", "no")],
        [t("总用时（秒）", "Total time (s)"), round(result.runtime, 2)],
        [t("时间上限（秒）", "Time limit (s)"), params.time_limit],
        [t("随机种子", "Seed"), params.seed],
        [t("线程数", "Workers"), params.workers],
    ]


RULE_TEXT = {
    "max_onsite_hours_per_day": ("每人每日在岗最多小时", "most on-site hours per date"),
    "max_consecutive_hours": ("最长连续在岗小时", "longest unbroken on-site duty (h)"),
    "min_rest_hours": ("两日之间最少休息小时", "least rest between dates (h)"),
    "max_hours_total": ("全期在岗最多小时", "most on-site hours over the period"),
    "max_consecutive_days": ("最多连续值班天数", "most duty dates in a row"),
    "min_consecutive_days": ("最少连续值班天数", "least duty dates in a row"),
    "min_consecutive_days_off": ("最少连续休息天数", "least free dates in a row"),
    "max_weekends": ("最多值班周末数", "most weekends with duty"),
    "max_blocks": ("各时段最多次数", "most duties per block"),
    "min_hours_total": ("全期在岗最少小时", "least on-site hours over the period"),
    "forbid_after": ("次日不得接排的时段", "blocks not allowed on the next date"),
}


def _rule_rows(ctx: Context) -> list[list[Any]]:
    rules = ctx.plan.rules
    result = []
    for key in Rules.__dataclass_fields__:
        zh, en = RULE_TEXT.get(key, ("", ""))
        result.append([key, ctx.t(zh, en), _rule_value(ctx, getattr(rules, key))])
    zh, en = calendar.notes(ctx.plan)[0]
    result.append(["calendar", ctx.t("休息日（计补休）", "rest days (time off)"), ctx.t(zh, en)])
    stages = " → ".join("+".join(stage) for stage in ctx.plan.stages)
    result.append(["objective.stages", ctx.t("公平性目标（依次）", "objective stages"), stages])
    return result


def _rule_value(ctx: Context, value: Any) -> Any:
    if value is None or value == ():
        return ctx.t("不限", "not set")
    if isinstance(value, tuple):
        return "；".join(f"{k}: {'、'.join(v) if isinstance(v, tuple) else v}" for k, v in value)
    return value


def _status(ctx: Context, status: Status) -> str:
    texts = {
        Status.OPTIMAL: ("最优（已证明）", "optimal (proven)"),
        Status.FEASIBLE: ("可行（未证明最优）", "feasible (not proven optimal)"),
        Status.INFEASIBLE: ("无解（已证明）", "infeasible (proven)"),
        Status.UNKNOWN: ("时限内未找到", "nothing found within the limit"),
    }
    return ctx.t(*texts[status])


def _sha256(path: Path, ctx: Context) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return ctx.t("（无法读取）", "(cannot be read)")


def version() -> str:
    """``roster.__version__``, else the installed distribution's version."""
    import roster

    found = getattr(roster, "__version__", None)
    if found:
        return str(found)
    try:
        return importlib.metadata.version("roster")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
