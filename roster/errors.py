"""Problems found in the inputs, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LANGS = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, where it is (``人员!C14`` or ``duty.toml: posts[2].blocks``) and what."""

    where: str
    zh: str
    en: str

    def render(self, lang: str = "zh") -> str:
        text = self.en if lang == "en" else self.zh
        return f"{self.where}: {text}" if self.where else text


class InputError(Exception):
    """Bad input: every problem found, in reading order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


def text(lang: str, zh: str, en: str) -> str:
    """The text for ``lang``: the coordinator reads Chinese unless ``--lang en``."""
    return en if lang == "en" else zh
