"""benchmarks/RESULTS.md: each benchmark script owns one ``## `` section of it."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def write_section(section: str, text: str) -> None:
    """Replace the section headed ``section`` with ``text``, leaving the others alone."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if section in old:
        head, rest = old.split(section, 1)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else ""
        new = head + text + ("\n" + tail.lstrip("\n") if tail else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")
