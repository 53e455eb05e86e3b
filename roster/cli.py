"""The ``roster`` command line: parse, call one library function, print a summary.

Results go to stdout, progress to stderr. Exit codes: 0 done, 1 no roster possible,
2 bad input or usage.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from roster import app, console
from roster.errors import InputError, text
from roster.io.templates import write_templates
from roster.result import SolverParams, Status

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
            help="Seconds for the whole solve (with --workers 1: CP-SAT's deterministic "
            "time, so a busy machine may take longer, up to 3 times the limit).",
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
    help="Workbook to write (.xlsx).",
)
@solver_options
@lang_option
@input_errors
def demo(output: Path, time_limit: float, seed: int, workers: int, gap: float, lang: str) -> None:
    """Solve the bundled sample bureau and write its roster."""
    _require_xlsx(output, lang)
    staff, plan = app.sample_paths()
    click.echo(text(lang, f"示例：{plan.parent}", f"sample: {plan.parent}"), err=True)
    _solve_and_write(staff, plan, output, params_from(time_limit, seed, workers, gap), lang)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@lang_option
def init(directory: Path, lang: str) -> None:
    """Write a commented duty plan and a staff template into DIRECTORY."""
    try:
        written = write_templates(directory)  # creates the folder
    except FileExistsError as error:
        raise BadInput(
            text(lang, f"文件已存在，未覆盖：{error}", f"not overwritten: {error}")
        ) from None
    except OSError as error:
        raise BadInput(_cannot_write(directory, error, lang)) from None
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
@click.option(
    "--partial",
    is_flag=True,
    help="When not every place can be filled, still write the roster that fills the most "
    "(unfilled places marked) and exit 1.",
)
@solver_options
@lang_option
@input_errors
def solve(
    staff: Path,
    plan: Path,
    output: Path,
    history: tuple[Path, ...],
    partial: bool,
    time_limit: float,
    seed: int,
    workers: int,
    gap: float,
    lang: str,
) -> None:
    """Build the fairest roster that obeys every rule and write it to OUTPUT.

    When the plan cannot be staffed, says why (and with --partial writes the best partial
    roster); exits 1.
    """
    params = params_from(time_limit, seed, workers, gap)
    _solve_and_write(staff, plan, output, params, lang, history=history, partial=partial)


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
    partial: bool = False,
) -> None:
    # -o duty.toml: that it would destroy an input is the graver mistake, so said first
    _refuse_to_overwrite_inputs(output, (staff, plan, *history), lang)
    _require_xlsx(output, lang)
    if not output.parent.is_dir():
        raise BadInput(
            text(lang, f"目录不存在：{output.parent}", f"no such folder: {output.parent}")
        )
    reporter = console.ProgressReporter(lang)
    with console.interruptible() as interrupt:
        solved = app.solve_files(
            staff,
            plan,
            params,
            history=history,
            partial=partial,
            progress=reporter,
            interrupt=interrupt,
        )
    result = solved.result
    if result.roster is None:
        _explain_failure(solved, params, lang)
        raise SystemExit(EXIT_INFEASIBLE)
    try:
        app.write_solved(solved, output, lang=lang)
    except OSError as error:
        raise BadInput(_cannot_write(output, error, lang)) from None
    click.echo(console.summary(result, output, lang))
    if result.roster.unfilled:
        _explain_failure(solved, params, lang)
        raise SystemExit(EXIT_INFEASIBLE)


def _explain_failure(solved: app.Solved, params: SolverParams, lang: str) -> None:
    """Why no (complete) roster: the solver's words, then the explanation, on stderr."""
    result = solved.result
    if result.status is not Status.INFEASIBLE and result.roster is None:
        click.echo(console.no_roster_message(result, lang), err=True)
        return
    if result.interrupted:
        return  # unfilled places of an interrupted search prove nothing
    click.echo(text(lang, "正在分析原因……", "looking for the reason..."), err=True)
    click.echo(app.explain_solved(solved, params).render(lang), err=True)


def _cannot_write(path: Path, error: OSError, lang: str) -> str:
    reason = error.strerror or str(error)
    return text(lang, f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}")


def _require_xlsx(output: Path, lang: str) -> None:
    """The roster is an Excel workbook: a ``-o out.csv`` would get xlsx bytes under .csv."""
    if output.suffix.lower() != ".xlsx":
        raise BadInput(
            text(
                lang,
                f"-o/--output 须为 .xlsx 文件（排班表是 Excel 工作簿）：{output}",
                f"-o/--output must name an .xlsx file (the roster is an Excel workbook): {output}",
            )
        )


def _refuse_to_overwrite_inputs(output: Path, inputs: tuple[Path, ...], lang: str) -> None:
    if any(output.resolve() == Path(p).resolve() for p in inputs):
        raise BadInput(
            text(
                lang,
                f"输出文件不能覆盖输入：{output}",
                f"the output would overwrite an input: {output}",
            )
        )


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("staff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--history",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="An earlier roster workbook, for multi-year totals; repeat for several years.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: for people to read; csv or json: for machines, on stdout.",
)
@click.option(
    "--table",
    "table_name",
    type=click.Choice(["summary", "units", "groups", "people", "wishes"]),
    default="people",
    show_default=True,
    help="With --format csv: which table to print.",
)
@lang_option
@input_errors
def report(
    roster: Path,
    staff: Path,
    plan: Path,
    history: tuple[Path, ...],
    output_format: str,
    table_name: str,
    lang: str,
) -> None:
    """Print the fairness report of a (solved or hand-edited) ROSTER."""
    from roster import report_render  # rich tables: only this command needs them

    found = app.report_files(roster, staff, plan, history=history)
    if output_format == "json":
        click.echo(report_render.to_json(found, lang))
    elif output_format == "csv":
        click.echo(report_render.to_csv(found, table_name, lang), nl=False)
    else:
        piped = not sys.stdout.isatty()
        report_render.render(found, Console(highlight=False, width=200 if piped else None), lang)


@main.command()
@click.argument("staff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@solver_options
@lang_option
@input_errors
def explain(
    staff: Path, plan: Path, time_limit: float, seed: int, workers: int, gap: float, lang: str
) -> None:
    """Say why PLAN cannot be staffed, and which verified changes would make it possible.

    Exits 0 when a roster is possible, 1 when not (or not decided within --time-limit).
    """
    explained = app.explain_files(staff, plan, params_from(time_limit, seed, workers, gap))
    click.echo(explained.render(lang))
    if not explained.diagnosis.feasible:
        raise SystemExit(EXIT_INFEASIBLE)


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("staff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Workbook to write (.xlsx), with a first sheet listing the changes.",
)
@click.option(
    "--fix",
    multiple=True,
    metavar="STAFF",
    help="Keep every duty of this person (id, or name when unique); repeat for several. "
    "Rows marked in a 'fixed'/'锁定' column of ROSTER's assignments sheet are kept too.",
)
@click.option(
    "--partial",
    is_flag=True,
    help="When not every place can be filled, still write the roster that fills the most "
    "(unfilled places marked) and exit 1.",
)
@solver_options
@lang_option
@input_errors
def repair(
    roster: Path,
    staff: Path,
    plan: Path,
    output: Path,
    fix: tuple[str, ...],
    partial: bool,
    time_limit: float,
    seed: int,
    workers: int,
    gap: float,
    lang: str,
) -> None:
    """Re-roster ROSTER after STAFF or PLAN changed, changing as few duties as possible.

    Lists every change (who leaves which duty, who takes it) here and in the output's first
    sheet. Pins and fixed duties never move.
    """
    from roster.changes import describe  # only this command lists changes

    _refuse_to_overwrite_inputs(output, (roster, staff, plan), lang)
    _require_xlsx(output, lang)
    if not output.parent.is_dir():
        raise BadInput(
            text(lang, f"目录不存在：{output.parent}", f"no such folder: {output.parent}")
        )
    params = params_from(time_limit, seed, workers, gap)
    with console.interruptible() as interrupt:
        repaired = app.repair_files(
            roster,
            staff,
            plan,
            params,
            fix=fix,
            partial=partial,
            progress=console.ProgressReporter(lang),
            interrupt=interrupt,
        )
    solved = repaired.solved
    if solved.result.roster is None:
        _explain_failure(solved, params, lang)
        raise SystemExit(EXIT_INFEASIBLE)
    try:
        app.write_repaired(repaired, output, lang=lang)
    except OSError as error:
        raise BadInput(_cannot_write(output, error, lang)) from None
    changes = repaired.changes
    click.echo(text(lang, f"共 {len(changes)} 处变更：", f"{len(changes)} change(s):"))
    for change in changes:
        click.echo("  " + describe(change, solved.plan, solved.staff, lang))
    click.echo(console.summary(solved.result, output, lang))
    if solved.result.roster.unfilled:
        _explain_failure(solved, params, lang)
        raise SystemExit(EXIT_INFEASIBLE)
