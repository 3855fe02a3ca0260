"""A load-time check that a rule pattern matches in time proportional to the line.

A pattern with nested or overlapping repeats (``(a|aa)+b``) can take time exponential
in the length of a line it fails on: one such rule would hang a whole corpus run. Rule
files from users are therefore tried, when they are loaded, on lines made to provoke
backtracking: long runs of one character, of a short fragment, and of the rule's own
examples, each also spoiled at its end. Every try runs under the ``regex`` module's
``timeout``; a pattern that needs longer on any of them is rejected.

Lines longer than :data:`cleaner.lines.MAX_MATCH_LENGTH` are never matched, so that is
the longest line tried: a pattern that stays fast on it stays fast on every line the
cleaner will show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import regex

from .lines import MAX_MATCH_LENGTH, normalize

TIMEOUT = 0.25  # seconds per try; a linear pattern needs well under a millisecond

_UNITS = ("a", "A", "1", ".", "-", "_", "é", "a ", "Aa ", "1 ", ". ", "- ", "a1", "a-")


def probes(examples: Iterable[str], length: int = MAX_MATCH_LENGTH) -> Iterator[str]:
    """Lines that provoke backtracking: a start taken from an example (so the pattern
    gets past its fixed beginning), then one unit repeated to ``length`` characters;
    each as it is and with its last character replaced by one that fails most
    patterns."""
    units: list[str] = list(_UNITS)
    starts: list[str] = [""]
    for example in list(examples)[:8]:
        for line in example.splitlines():
            units += [line + " ", line[: max(1, len(line) // 2)]]
            units += sorted(set(line) - set("".join(_UNITS)))
            words = line.split(" ")
            starts += [" ".join(words[:n]) + " " for n in range(1, min(4, len(words)))]
    seen: set[tuple[str, str]] = set()
    for start in dict.fromkeys(starts):
        for unit in dict.fromkeys(units):
            if not unit or (start, unit) in seen:
                continue
            seen.add((start, unit))
            # rules only ever see normalized lines (single spaces)
            line = normalize((start + unit * (length // len(unit) + 1))[:length])
            if line:
                yield line
                yield line[:-1] + "\x00"


def slow_probe(pattern: regex.Pattern[str], examples: Iterable[str] = (),
               timeout: float = TIMEOUT) -> str | None:
    """A line that ``pattern`` cannot match or reject within ``timeout``, or None."""
    for line in probes(examples):
        try:
            pattern.fullmatch(line, timeout=timeout)
        except TimeoutError:
            return line
    return None


def describe(line: str) -> str:
    """A short description of a probe line for an error message."""
    return f"{line[:12]!r}... ({len(line)} characters)"
