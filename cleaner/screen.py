"""A fast first look at each line: could any rule match it at all?

Most lines of an article are body text that no rule can match, and trying every rule's
expression on each of them is what makes a naive cleaner slow. This module reads each
rule pattern's syntax tree and collects the literal text every match must start with
("also read", "advertis", "©"...). All those prefixes go into one expression for the
standard ``re`` module, built as a trie; a line is only matched against the rules when
that expression finds one of the prefixes at its start.

The screen is sound by construction: it may let through lines that no rule matches, but
never skips one that a rule would match. Patterns it cannot analyse (or that may begin
with any letter, like a name) are "unscreened" and go on being tried on every line.
Lines are normalized (single spaces, nothing invisible) before either look, so ``\\s+``
stands for exactly one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

try:  # Python 3.11+: the parser moved to re._parser
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

MAX_PREFIX = 12    # characters of literal prefix worth collecting
MAX_PREFIXES = 1000  # per pattern; beyond that the prefixes are cut shorter
MAX_CLASS = 12     # a character class of at most this many characters is expanded
DIGIT = "\x00"      # stands for \d (any decimal digit, in any script) inside prefixes
DIGITS = "\x01"     # stands for \d+ (a run of digits) inside prefixes

# regex-module syntax that the standard parser does not know, mapped to something with
# the same (or a wider) reach, for analysis only.
_PROPERTY = re.compile(r"\\[pP]\{[^}]*\}")


class Unscreenable(Exception):
    """The pattern may start with too many different things to screen."""


def _analysable(source: str) -> str:
    return _PROPERTY.sub(r"\\w", source)


def _is_space_class(node: tuple) -> bool:
    op, av = node
    if op == C.IN:
        return all(o == C.CATEGORY and a == C.CATEGORY_SPACE for o, a in av)
    return op == C.LITERAL and av == 32


def _class_chars(node: tuple, limit: int = MAX_CLASS) -> list[str] | None:
    """The characters of a literal class (or a literal) of at most ``limit``
    characters, else None. Digits and whitespace count as classes of their own."""
    op, av = node
    if op == C.LITERAL:
        return [chr(av)]
    if op != C.IN:
        return None
    chars: list[str] = []
    for o, a in av:
        if o == C.LITERAL:
            chars.append(chr(a))
        elif o == C.RANGE and a[1] - a[0] < limit:
            chars += [chr(c) for c in range(a[0], a[1] + 1)]
        elif o == C.CATEGORY and a == C.CATEGORY_SPACE:
            chars.append(" ")
        elif o == C.CATEGORY and a == C.CATEGORY_DIGIT:
            chars.append(DIGIT)
        else:
            return None
    return chars if len(chars) <= limit else None


class _Analysis:
    def __init__(self) -> None:
        self.lead: set[str] = set()  # characters a pattern may skip at the line start
        self._memo: dict[tuple[int, int, int, bool], set[tuple[str, bool]]] = {}

    def seq(self, items: Any, i: int, budget: int, at_start: bool) -> set[tuple[str, bool]]:
        """(prefix, reached_the_end) pairs for ``items[i:]`` (a parsed sequence)."""
        key = (id(items), i, budget, at_start)
        if key not in self._memo:
            self._memo[key] = self._seq(items, i, budget, at_start)
        return self._memo[key]

    def _seq(self, items: Any, i: int, budget: int, at_start: bool) -> set[tuple[str, bool]]:
        if i == len(items):
            return {("", True)}
        if budget <= 0:
            return {("", False)}
        out: set[tuple[str, bool]] = set()
        for head, complete in self.node(items[i], budget, at_start):
            if complete and len(head) < budget:
                rest = self.seq(items, i + 1, budget - len(head), at_start and not head)
                out.update((head + tail, done) for tail, done in rest)
            else:
                out.add((head, False))
            if len(out) > 4 * MAX_PREFIXES:
                raise Unscreenable
        return out

    def node(self, node: tuple, budget: int, at_start: bool) -> set[tuple[str, bool]]:
        op, av = node
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return {("", True)}  # zero width: only narrows what matches
        if op == C.SUBPATTERN:
            return self.seq(av[-1], 0, budget, at_start)
        if op == C.BRANCH:
            out: set[tuple[str, bool]] = set()
            for branch in av[1]:
                out |= self.seq(branch, 0, budget, at_start)
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, _high, sub = av
            if len(sub) == 1 and _is_space_class(sub[0]):
                # normalized lines hold single spaces: \s* is "" or " ", \s+ is " "
                return ({("", True)} if low == 0 else set()) | {(" ", True)}
            lead = _class_chars(sub[0], limit=64) if len(sub) == 1 else None
            if low == 0 and at_start and lead is not None:
                self.lead.update(lead)
                return {("", True)}  # leading decoration: the screen skips it too
            if lead == [DIGIT]:  # \d+, \d{1,4}...: a run of digits, one token
                return ({("", True)} if low == 0 else set()) | {(DIGITS, True)}
            once = self.seq(sub, 0, budget, at_start)
            if _high != 1:  # after one pass of a repeat, stop: more may follow
                once = {(s, False) for s, _ in once}
            return ({("", True)} if low == 0 else set()) | once
        chars = _class_chars(node)
        if chars is not None:
            return {(c, True) for c in chars}
        return {("", False)}


@lru_cache(maxsize=4096)
def prefixes(source: str, flags: int = 0) -> tuple[frozenset[str], frozenset[str]]:
    """The literal prefixes a match of ``source`` must start with, and the characters
    it may skip before them at the start of a line. Raises :class:`Unscreenable`."""
    try:
        tree = P.parse(_analysable(source), flags & (re.VERBOSE | re.IGNORECASE))
    except (re.error, OverflowError, RecursionError):
        raise Unscreenable from None
    for budget in (MAX_PREFIX, 6, 3):  # shorter prefixes when long ones are too many
        analysis = _Analysis()
        try:
            found = analysis.seq(tree, 0, budget, True)
        except Unscreenable:
            continue
        result = {s for s, _ in found}
        if "" in result:
            raise Unscreenable
        if len(result) <= MAX_PREFIXES:
            return frozenset(result), frozenset(analysis.lead)
    raise Unscreenable


_TOKENS = {DIGIT: r"\d", DIGITS: r"\d+"}


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, written as a trie so the engine
    decides one character at a time instead of trying each word in turn."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        parts = [_TOKENS.get(ch, re.escape(ch)) + emit(child)
                 for ch, child in sorted(node.items()) if ch]
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def build_screen(prefix_sets: Iterable[set[str]], lead: set[str]) -> re.Pattern[str]:
    """One expression that matches the start of every line any of the prefixes begin."""
    words = set().union(*prefix_sets)
    skip = "".join(sorted(r"\d" if c == DIGIT else re.escape(c) for c in lead))
    head = f"[{skip}]*" if skip else ""
    if not words:
        return re.compile(r"(?!)")
    return re.compile(head + trie_pattern(words), re.IGNORECASE)


def required_literals(source: str, flags: int = 0) -> set[str]:
    """Literal text of which every match of ``source`` contains at least one piece, for
    patterns without a literal prefix (a name, then "/Getty Images"). Searching a line
    for these is the screen of such a rule. Raises :class:`Unscreenable`."""
    try:
        tree = P.parse(_analysable(source), flags & (re.VERBOSE | re.IGNORECASE))
    except (re.error, OverflowError, RecursionError):
        raise Unscreenable from None
    found = _required_seq(list(tree))
    if not found:
        raise Unscreenable
    return found


def _required_seq(items: list) -> set[str] | None:
    """The best set of required literals of a sequence: every match holds one of them."""
    candidates: list[set[str]] = []
    run = ""
    for node in items:
        op, av = node
        if op == C.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        found = _required_node(node)
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    good = [c for c in candidates if len(c) <= MAX_PREFIXES and min(map(len, c)) >= 2]
    if not good:
        return None
    return max(good, key=lambda c: min(map(len, c)))


def _required_node(node: tuple) -> set[str] | None:
    op, av = node
    if op == C.SUBPATTERN:
        return _required_seq(list(av[-1]))
    if op == C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _required_seq(list(branch))
            if found is None:
                return None
            out |= found
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
        return _required_seq(list(av[2]))
    if op == C.ASSERT:  # what a lookaround asserts is in the line too
        return _required_seq(list(av[1]))
    return None
