"""The ``roster`` command line: parse, call one library function, print a summary.

Results go to stdout, progress to stderr. Exit codes: 0 done, 1 no roster possible,
2 bad input or usage.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from roster import app
from roster.errors import InputError, text
from roster.io.templates import write_templates
from roster.result import Result, SolverParams, Status

EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2


class BadInput(click.ClickException):
    """Bad input or usage: exit 2, nothing written."""

    exit_code = EXIT_BAD_INPUT


def lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help="Language of messages and output sheets.",
    )(f)


def solver_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--time-limit, --seed, --workers, --gap: the solver's parameters."""
    options = [
        click.option(
            "--time-limit",
            type=click.FloatRange(min=0.1),
            default=60.0,
            show_default=True,
            help="Seconds for the whole solve.",
        ),
        click.option(
            "--seed",
            type=int,
            default=0,
            show_default=True,
            help="Random seed; with --workers 1 the same inputs give the same roster.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=2,
            show_default=True,
            help="Parallel search workers.",
        ),
        click.option(
            "--gap",
            type=click.FloatRange(0, 0.5),
            default=0.005,
            show_default=True,
            help="Stop a fairness stage once proven within this relative gap.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def params_from(time_limit: float, seed: int, workers: int, gap: float) -> SolverParams:
    return SolverParams(time_limit=time_limit, workers=workers, seed=seed, gap_limit=gap)


def input_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an ``InputError`` into exit 2 with every problem listed."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except InputError as error:
            raise BadInput(error.render(kwargs.get("lang", "zh"))) from None

    return wrapper


@click.group()
@click.version_option(package_name="roster")
def main() -> None:
    """roster: fair duty rosters from a staff workbook and a duty plan."""


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("roster-demo.xlsx"),
    show_default=True,
    help="Workbook to write.",
)
@solver_options
@lang_option
@input_errors
def demo(output: Path, time_limit: float, seed: int, workers: int, gap: float, lang: str) -> None:
    """Solve the bundled sample bureau and write its roster."""
    staff, plan = app.sample_paths()
    click.echo(text(lang, f"示例：{plan.parent}", f"sample: {plan.parent}"), err=True)
    _solve_and_write(staff, plan, output, params_from(time_limit, seed, workers, gap), lang)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@lang_option
def init(directory: Path, lang: str) -> None:
    """Write a commented duty plan and a staff template into DIRECTORY."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        written = write_templates(directory)
    except FileExistsError as error:
        raise BadInput(
            text(lang, f"文件已存在，未覆盖：{error}", f"not overwritten: {error}")
        ) from None
    for path in written:
        click.echo(text(lang, f"已写入 {path}", f"wrote {path}"))


@main.command()
@click.argument("staff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@lang_option
@input_errors
def validate(staff: Path, plan: Path, lang: str) -> None:
    """Check STAFF and PLAN, list every problem; changes nothing."""
    people, duty = app.load_inputs(staff, plan)
    places = sum(d.size for d in duty.demands())
    click.echo(
        text(
            lang,
            f"输入无误：{len(people)} 人，{len(people.units)} 个单位；"
            f"{len(duty.posts)} 个岗位，{len(duty.dates)} 天，共 {places} 个值班人次。",
            f"inputs are valid: {len(people)} people in {len(people.units)} units; "
            f"{len(duty.posts)} posts over {len(duty.dates)} dates, {places} places to fill.",
        )
    )


@main.command()
@click.argument("staff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Workbook to write (.xlsx).",
)
@click.option(
    "--history",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="An earlier roster workbook; repeat for several years.",
)
@solver_options
@lang_option
@input_errors
def solve(
    staff: Path,
    plan: Path,
    output: Path,
    history: tuple[Path, ...],
    time_limit: float,
    seed: int,
    workers: int,
    gap: float,
    lang: str,
) -> None:
    """Build the fairest roster that obeys every rule and write it to OUTPUT."""
    params = params_from(time_limit, seed, workers, gap)
    _solve_and_write(staff, plan, output, params, lang, history=history)


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("staff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@lang_option
@input_errors
def check(roster: Path, staff: Path, plan: Path, lang: str) -> None:
    """Verify a (hand-edited) ROSTER against every rule; list each violation."""
    violations = app.check_files(roster, staff, plan)
    for violation in violations:
        click.echo(violation.render(lang))
    if violations:
        click.echo(
            text(lang, f"共 {len(violations)} 处违反规则。", f"{len(violations)} violations."),
            err=True,
        )
        raise SystemExit(EXIT_INFEASIBLE)
    click.echo(text(lang, "排班表符合全部规则。", "the roster obeys every rule."))


def _solve_and_write(
    staff: Path,
    plan: Path,
    output: Path,
    params: SolverParams,
    lang: str,
    *,
    history: tuple[Path, ...] = (),
) -> None:
    _refuse_to_overwrite_inputs(output, (staff, plan, *history), lang)
    if not output.parent.is_dir():
        raise BadInput(
            text(lang, f"目录不存在：{output.parent}", f"no such folder: {output.parent}")
        )
    reporter = _ProgressReporter(lang)
    with _interruptible() as interrupt:
        solved = app.solve_files(
            staff, plan, params, history=history, progress=reporter, interrupt=interrupt
        )
    result = solved.result
    if result.roster is None:
        click.echo(_no_roster_message(result, lang), err=True)
        raise SystemExit(EXIT_INFEASIBLE)
    app.write_solved(solved, output, lang=lang)
    click.echo(_summary(result, output, lang))


def _refuse_to_overwrite_inputs(output: Path, inputs: tuple[Path, ...], lang: str) -> None:
    if any(output.resolve() == Path(p).resolve() for p in inputs):
        raise BadInput(
            text(
                lang,
                f"输出文件不能覆盖输入：{output}",
                f"the output would overwrite an input: {output}",
            )
        )


def _summary(result: Result, output: Path, lang: str) -> str:
    status = {
        Status.OPTIMAL: text(lang, "最优（已证明）", "optimal (proven)"),
        Status.FEASIBLE: text(lang, "可行（未证明最优）", "feasible (not proven optimal)"),
    }[result.status]
    lines = [
        text(lang, f"已写入 {output}", f"wrote {output}"),
        text(lang, f"状态：{status}", f"status: {status}"),
    ]
    if result.interrupted:
        lines.append(
            text(lang, "已中断：保留当前最优排班。", "interrupted: kept the best roster so far.")
        )
    top = result.max_burden
    if top is not None and top.objective is not None:
        lines.append(
            text(
                lang,
                f"最大负担：{top.objective:.1f}，已证明下界：{top.bound:.1f}，差距：{_pct(top.gap)}",
                f"largest burden: {top.objective:.1f}, proven bound: {top.bound:.1f}, "
                f"gap: {_pct(top.gap)}",
            )
        )
    for stage in result.stages:
        if stage.name != "max_burden":
            lines.append(
                text(
                    lang,
                    f"阶段 {stage.name}：目标 {stage.objective:g}，下界 {stage.bound:g}，"
                    f"差距 {_pct(stage.gap)}",
                    f"stage {stage.name}: objective {stage.objective:g}, bound {stage.bound:g}, "
                    f"gap {_pct(stage.gap)}",
                )
            )
    unfilled = len(result.roster.unfilled) if result.roster else 0
    if unfilled:
        lines.append(text(lang, f"空缺 {unfilled} 个岗位人次", f"{unfilled} places unfilled"))
    lines.append(text(lang, f"用时 {result.runtime:.1f} 秒", f"time: {result.runtime:.1f} s"))
    return "\n".join(lines)


def _no_roster_message(result: Result, lang: str) -> str:
    if result.status is Status.INFEASIBLE:
        return text(
            lang,
            "无法排班：现有人员在全部规则下排不满所有岗位。",
            "no roster possible: the staff cannot fill every place under the rules.",
        )
    return text(
        lang,
        "在时间限制内未找到排班，请加大 --time-limit。",
        "no roster found within the time limit; raise --time-limit.",
    )


def _pct(gap: float | None) -> str:
    return "-" if gap is None else f"{gap:.2%}"


class _ProgressReporter:
    """Prints the best burden, bound and elapsed time on stderr once a solve passes 1 s."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.console = Console(stderr=True, highlight=False)
        self.last = 0.0

    def __call__(self, stage: str, objective: float, bound: float, elapsed: float) -> None:
        if elapsed < 1.0 or time.monotonic() - self.last < 1.0:
            return
        self.last = time.monotonic()
        self.console.print(
            text(
                self.lang,
                f"[{elapsed:6.1f} 秒] {stage}：当前 {objective:g}，下界 {bound:g}",
                f"[{elapsed:6.1f} s] {stage}: best {objective:g}, bound {bound:g}",
            )
        )


@contextmanager
def _interruptible() -> Iterator[threading.Event]:
    """Ctrl-C sets the event (the solver stops and keeps its best roster) instead of raising."""
    event = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield event
        return
    previous = signal.signal(signal.SIGINT, lambda *_: event.set())
    try:
        yield event
    finally:
        signal.signal(signal.SIGINT, previous)
