"""``clean()`` and ``clean_and_explain()``: encoding repair, rules, output policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .config import DEFAULT_CONFIG, CleanerConfig
from .encoding import Repair, needs_repair, repair_lines, suspect_pattern
from .engine import Removal, RuleMatcher
from .lines import (
    INVISIBLE_CHARS,
    ODD_SPACE_CHARS,
    join_kept,
    newline_style,
    screen_form,
    split_lines,
)
from .rules import RuleError, known_selectors, load_rules, select_rules


@dataclass(frozen=True)
class CleanResult:
    """The cleaned text and every change that produced it.

    ``removals`` lists each removed line (input line number, text, rule, reason);
    ``repairs`` lists each line whose encoding was repaired. The CLI's explain output
    and ``--diff`` are views of these lists.
    """

    text: str
    removals: list[Removal] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.removals or self.repairs)


# One look at a document finds whether it needs more than the fast path: mojibake to
# repair, or characters that normalization removes or turns into spaces.
_PLAIN_CHECK = suspect_pattern(INVISIBLE_CHARS + ODD_SPACE_CHARS)


@lru_cache(maxsize=32)
def compile_config(config: CleanerConfig) -> RuleMatcher:
    """The rule matcher for a configuration (cached: configurations are immutable).

    Raises :class:`RuleError` for a bad rule file, and ``ValueError`` when ``enable`` or
    ``disable`` names a rule or category that does not exist.
    """
    rules = load_rules(config.rule_files, builtin=config.builtin_rules)
    unknown = (config.enable | config.disable) - known_selectors(rules)
    if unknown:
        raise ValueError(f"unknown rule or category: {', '.join(sorted(unknown))}")
    selected = select_rules(rules, enable=config.enable, disable=config.disable,
                            languages=config.languages)
    return RuleMatcher(selected, config.languages)


def _resolve(config: CleanerConfig | None, overrides: dict[str, Any]) -> CleanerConfig:
    return (config or DEFAULT_CONFIG).with_overrides(**overrides)


def clean_and_explain(text: str, config: CleanerConfig | None = None,
                      **overrides: Any) -> CleanResult:
    """Clean ``text`` and say why each line went.

    Keyword overrides mirror :class:`CleanerConfig` fields, e.g.
    ``clean_and_explain(text, disable={"bylines"}, repair_encoding=False)``.
    """
    cfg = _resolve(config, overrides)
    matcher = compile_config(cfg)
    newline = newline_style(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    repairs: list[Repair] = []
    # the common case: nothing to repair, no invisible or unusual whitespace character
    plain = _PLAIN_CHECK.search(text) is None
    if not plain and cfg.repair_encoding and needs_repair(text):
        # repair before stripping: a trailing U+00A0 can be the last byte of mojibake
        fixed, repairs = repair_lines(text.split("\n"))
        lines, numbers = _resplit(fixed)
        screen_text = screen_form("\n".join(lines))
        plain = False
    else:
        lines = [line.rstrip() for line in text.split("\n")]
        numbers = range(1, len(lines) + 1)
        screen_text = screen_form(text, plain=plain)
    removals = matcher.find(lines, numbers, screen_text)
    return CleanResult(join_kept(lines, removals, newline), list(removals.values()), repairs)


def clean(text: str, config: CleanerConfig | None = None, **overrides: Any) -> str:
    """Return ``text`` without boilerplate lines and with its encoding repaired.

    The output is the input's lines, in order, some removed; trailing whitespace is
    stripped, blank-line runs collapse to one, and the line-ending style is kept.
    """
    return clean_and_explain(text, config, **overrides).text


def _resplit(lines: list[str]) -> tuple[list[str], list[int]]:
    """Strip repaired lines, splitting those that gained a line break during repair
    (an ``&#10;`` entity); each piece keeps its input line number."""
    out: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(lines, 1):
        pieces = split_lines(line) if ("\n" in line or "\r" in line) else [line.rstrip()]
        out += pieces
        numbers += [number] * len(pieces)
    return out, numbers


__all__ = ["CleanResult", "RuleError", "clean", "clean_and_explain", "compile_config"]
