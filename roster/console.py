"""Terminal output of the CLI: solve summaries, progress lines and Ctrl-C handling."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from roster.errors import text
from roster.result import Result, Status


def summary(result: Result, output: Path, lang: str) -> str:
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
                f"最大负担：{top.objective:.1f}，已证明下界：{top.bound:.1f}，差距：{pct(top.gap)}",
                f"largest burden: {top.objective:.1f}, proven bound: {top.bound:.1f}, "
                f"gap: {pct(top.gap)}",
            )
        )
    for stage in result.stages:
        if stage.objective is None:
            lines.append(
                text(
                    lang,
                    f"阶段 {stage.name}：时限内未找到更好的排班，沿用上一阶段结果",
                    f"stage {stage.name}: no roster within its time; the previous stage's stands",
                )
            )
        elif stage.name != "max_burden":
            lines.append(
                text(
                    lang,
                    f"阶段 {stage.name}：目标 {stage.objective:g}，下界 {stage.bound:g}，"
                    f"差距 {pct(stage.gap)}",
                    f"stage {stage.name}: objective {stage.objective:g}, bound {stage.bound:g}, "
                    f"gap {pct(stage.gap)}",
                )
            )
    unfilled = len(result.roster.unfilled) if result.roster else 0
    if unfilled:
        lines.append(text(lang, f"空缺 {unfilled} 个岗位人次", f"{unfilled} places unfilled"))
    lines.append(text(lang, f"用时 {result.runtime:.1f} 秒", f"time: {result.runtime:.1f} s"))
    return "\n".join(lines)


def no_roster_message(result: Result, lang: str) -> str:
    if result.interrupted:
        return text(lang, "已中断：尚未找到任何排班。", "interrupted before any roster was found.")
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


def pct(gap: float | None) -> str:
    return "-" if gap is None else f"{gap:.2%}"


class ProgressReporter:
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
def interruptible() -> Iterator[threading.Event]:
    """Ctrl-C sets the event (the solver stops and keeps its best roster) instead of raising.

    Python runs a signal handler only between bytecodes of the main thread, which sits in
    CP-SAT's native solve for a whole stage; so the signal is also written to a pipe
    (``set_wakeup_fd``) that a thread watches and sets the event from at once.
    """
    event = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield event
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.signal(signal.SIGINT, lambda *_: event.set())
    previous_fd = signal.set_wakeup_fd(write, warn_on_full_buffer=False)

    def watch() -> None:
        while data := os.read(read, 64):
            if signal.SIGINT in data:
                event.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield event
    finally:
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGINT, previous)
        os.close(write)  # the watcher reads end-of-file and stops
        watcher.join(timeout=1)
        os.close(read)
