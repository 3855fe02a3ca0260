"""The matching engine: decide which lines of a document are boilerplate.

Rules come as data (see :mod:`cleaner.rules`); this module implements the small, fixed
set of actions they can ask for:

- ``line`` rules drop a line whose whole normalized text matches, wherever the rule's
  ``zone`` allows: ``any`` line, the ``header`` (lines before the first body paragraph),
  the ``trailer`` (lines after the last body paragraph) or either ``edge``;
- ``repeated`` line rules drop a line only when the next line says the same (a byline
  printed twice under the headline); never the document's first line;
- ``block`` rules drop a widget header ("Related Articles") and the short list of
  headline-like lines under it.

A body paragraph is never removed by a zone, repeated or block rule. Passes repeat until
nothing more is removed, so the result is a fixed point: cleaning it again changes
nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from .lines import MAX_MATCH_LENGTH, is_body_paragraph, is_headline_like
from .rules import Rule
from .screen import (
    DIGIT,
    DIGITS,
    Unscreenable,
    build_screen,
    prefixes,
    required_literals,
)

MAX_PASSES = 8


@dataclass(frozen=True)
class Removal:
    """One removed line and why."""

    line: int         # 1-based line number in the input
    text: str
    rule_id: str
    rule_name: str
    category: str
    reason: str


class _RuleGroup:
    """Rules tried in order on a line; the first whose pattern matches the whole line
    wins. Rules are filed under the first characters their literal prefixes can start
    with (see :mod:`cleaner.screen`), so a line meets only the expressions of the rules
    it could match; rules without such prefixes are tried on lines up to their
    ``max_length``."""

    def __init__(self, rules: Sequence[Rule], languages: frozenset[str] | None) -> None:
        self._compiled: list[tuple[Rule, regex.Pattern[str], int, _Check | None]] = []
        self._buckets: dict[str, list[int]] = {}
        self._always: list[int] = []
        self._lead: set[str] = set()
        for rule in rules:
            sources = rule.pattern_sources(languages)
            if not sources:
                continue
            index = len(self._compiled)
            flags = "x" if rule.case_sensitive else "xi"
            compiled = regex.compile("|".join(f"(?{flags}:{p}\n)" for p in sources))
            limit = min(rule.max_length or MAX_MATCH_LENGTH, MAX_MATCH_LENGTH)
            try:
                found = [prefixes(source, re.VERBOSE | re.IGNORECASE) for source in sources]
            except Unscreenable:
                # no literal prefix: search the line for the literals a match must hold
                self._compiled.append((rule, compiled, limit, _search_screen(sources)))
                self._always.append(index)
                continue
            screen = build_screen([w for w, _ in found], set().union(*(x for _, x in found)))
            self._compiled.append((rule, compiled, limit, screen.match))
            for words, lead in found:
                self._lead |= lead
                for key in {k for w in words for k in _keys(DIGIT if w[0] == DIGITS else w[0])}:
                    bucket = self._buckets.setdefault(key, [])
                    if not bucket or bucket[-1] != index:
                        bucket.append(index)

    def __bool__(self) -> bool:
        return bool(self._compiled)

    def match(self, text: str) -> Rule | None:
        if not self._compiled or len(text) > MAX_MATCH_LENGTH:
            return None
        # the pattern may skip leading decoration: its prefix starts at any character
        # of the leading run of such characters, or right after it
        j, lead = 0, self._lead
        digits = DIGIT in lead
        while j < len(text) and (text[j] in lead or (digits and text[j].isdecimal())):
            j += 1
        found: set[int] = set(self._always)
        for ch in set(text[:j + 1]):
            for key in _keys(ch):
                found.update(self._buckets.get(key, ()))
        size = len(text)
        for index in sorted(found):
            rule, compiled, limit, screen = self._compiled[index]
            if size <= limit and (screen is None or screen(text)) \
                    and compiled.fullmatch(text):
                return rule
        return None


_Check = Callable[[str], object]


def _search_screen(sources: Sequence[str]) -> _Check | None:
    """A search for the literals every match of these patterns holds, or None."""
    try:
        words = set().union(*(required_literals(s, re.VERBOSE | re.IGNORECASE)
                              for s in sources))
    except Unscreenable:
        return None
    folded = sorted({w.casefold() for w in words})

    def check(text: str) -> bool:
        text = text.casefold()
        return any(w in text for w in folded)

    return check


def _keys(ch: str) -> set[str]:
    """Bucket keys for a character, matching case-insensitively; a decimal digit of any
    script also files under the screen's digit class."""
    keys = {ch.lower()[:1], ch.casefold()[:1]}
    if ch.isdecimal():
        keys.add(DIGIT)
    return keys


class RuleMatcher:
    """A compiled set of rules, ready to find boilerplate in documents."""

    def __init__(self, rules: Sequence[Rule], languages: frozenset[str] | None = None) -> None:
        self.rules = list(rules)

        def group(action: str, zones: tuple[str, ...], repeated: bool = False) -> _RuleGroup:
            return _RuleGroup([r for r in self.rules if r.action == action
                               and r.zone in zones and r.repeated == repeated], languages)

        self._anywhere = group("line", ("any",))
        self._header = group("line", ("header", "edge"))
        self._trailer = group("line", ("trailer", "edge"))
        self._repeated_header = group("line", ("any", "header", "edge"), repeated=True)
        self._repeated_trailer = group("line", ("any", "trailer", "edge"), repeated=True)
        self._repeated_body = group("line", ("any",), repeated=True)
        self._block_header = group("block", ("any", "header", "edge"))
        self._block_trailer = group("block", ("any", "trailer", "edge"))
        self._block_body = group("block", ("any",))
        self._screen, self.unscreened = _build_screen(
            [r for r in self.rules if r.zone == "any"], languages)
        # rules without a literal prefix: a search for what they must contain, and a
        # length below which lines are tried on those that have not even that
        searches = [(r, _search_screen(r.pattern_sources(languages))) for r in self.unscreened]
        self._searches = [(min(r.max_length or MAX_MATCH_LENGTH, MAX_MATCH_LENGTH), check)
                          for r, check in searches if check is not None]
        self._short = max((r.max_length or MAX_MATCH_LENGTH for r, check in searches
                           if check is None), default=0)

    def find(self, norms: Sequence[str], texts: Sequence[str],
             numbers: Sequence[int]) -> dict[int, Removal]:
        """Removals, keyed by line index and in line order, for a document given as
        normalized lines (``""`` for blank lines), the lines as they will be output,
        and their input line numbers."""
        removed: dict[int, Removal] = {}

        def drop(i: int, rule: Rule, reason: str) -> None:
            removed[i] = Removal(numbers[i], texts[i], rule.id, rule.name, rule.category,
                                 reason)

        # Only lines that pass the screen can match a rule that fires in the body.
        screen = self._screen.match if self._screen is not None else (lambda _: None)
        short, searches = self._short, self._searches
        candidates = {i for i, norm in enumerate(norms)
                      if norm and (len(norm) <= short or screen(norm)
                                   or any(len(norm) <= limit and search(norm)
                                          for limit, search in searches))}

        # Pass 0: whole-line rules that may fire anywhere. They do not depend on context.
        for i in sorted(candidates):
            rule = self._anywhere.match(norms[i])
            if rule is not None:
                drop(i, rule, f"whole line is {rule.name}")

        # Whether a line is a body paragraph depends on the line alone: decide it once.
        body_lines = {i for i, norm in enumerate(norms) if norm and is_body_paragraph(norm)}
        # A zone rule's verdict on a line does not change between passes either.
        zone_verdicts: dict[tuple[int, str], Rule | None] = {}
        for _ in range(MAX_PASSES):
            before = len(removed)
            alive = [i for i, norm in enumerate(norms) if norm and i not in removed]
            if not alive:
                break
            body = [i for i in alive if i in body_lines]
            zones = _Zones(_body_start(alive, body), body[-1] if body else None, numbers)
            body_set = set(body)
            for pos, i in enumerate(alive):
                if i in removed or i in body_set:
                    continue
                zone = zones.of(i)
                if zone == "body" and i not in candidates:
                    continue  # no rule that fires in the body can match this line
                norm = norms[i]
                # zone line rules
                if zone != "body":
                    if (i, zone) not in zone_verdicts:
                        zone_verdicts[i, zone] = (
                            (self._header.match(norm) if zone in ("header", "edge") else None)
                            or (self._trailer.match(norm) if zone in ("trailer", "edge")
                                else None))
                    rule = zone_verdicts[i, zone]
                    if rule is not None:
                        drop(i, rule, f"{rule.name} {zones.describe(zone)}")
                        continue
                # repeated lines: this line and the identical next ones
                rep = {"header": self._repeated_header, "trailer": self._repeated_trailer,
                       "edge": self._repeated_header, "body": self._repeated_body}[zone]
                rule = rep.match(norm)
                if rule is not None:
                    run = [i]
                    for j in alive[pos + 1:]:
                        if j in removed:
                            continue
                        if norms[j] != norm:
                            break
                        run.append(j)
                    # under the headline: a document's first line is never dropped as a
                    # repeat, so a headline printed twice keeps its copies
                    under_first = any(k not in removed for k in alive[:pos])
                    if len(run) > 1 and under_first:
                        shown = ", ".join(str(numbers[k]) for k in run)
                        for k in run:
                            drop(k, rule, f"{rule.name} repeated on lines {shown}")
                        continue
                # widget blocks
                blk = {"header": self._block_header, "trailer": self._block_trailer,
                       "edge": self._block_header, "body": self._block_body}[zone]
                rule = blk.match(norm)
                if rule is not None:
                    drop(i, rule, f"{rule.name}: widget header")
                    items = self._block_items(i, rule, norms, removed, body_set)
                    for n, k in enumerate(items, 1):
                        drop(k, rule, f"item {n} of the {rule.name} block under line "
                                      f"{numbers[i]}")
            if len(removed) == before:
                break
        return {i: removed[i] for i in sorted(removed)}

    @staticmethod
    def _block_items(header: int, rule: Rule, norms: Sequence[str],
                     removed: dict[int, Removal], body: set[int]) -> list[int]:
        """The headline-like lines that make up the block under ``header``.

        Items directly under one another end at the first blank line; items separated
        by blank lines continue while they look like headlines. When the block stops at
        a body paragraph, its last line may be that paragraph's sub-heading, so it is
        kept unless it sat directly under the previous item with no blank line between.
        """
        spec = rule.block
        assert spec is not None
        items: list[int] = []
        gaps: list[bool] = []  # whether blank line(s) stand before each item
        gap = False
        stopped_at_line = False  # the block ended at a line that is not an item
        for j in range(header + 1, len(norms)):
            if j in removed:
                continue
            if not norms[j]:
                gap = True
                continue
            if j in body or not is_headline_like(norms[j], spec.max_words):
                stopped_at_line = True
                break
            if gap and len(items) >= 2 and not gaps[1]:
                break  # a list of adjacent items ends at the first blank line
            items.append(j)
            gaps.append(gap)
            gap = False
            if len(items) >= spec.max_items:
                break
        if stopped_at_line and items and (gaps[-1] or not gap):
            # set apart from the item above, or directly on the text below: it may be
            # the sub-heading of the text that follows
            items.pop()
        return items


def _build_screen(rules: Sequence[Rule], languages: frozenset[str] | None
                  ) -> tuple[re.Pattern[str] | None, list[Rule]]:
    """One screen for the given rules, and the rules it cannot cover. The screen is None
    when it would cover none of the rules."""
    prefix_sets: list[set[str]] = []
    lead: set[str] = set()
    unscreened: list[Rule] = []
    for rule in rules:
        try:
            found = [prefixes(source, re.VERBOSE | re.IGNORECASE)
                     for source in rule.pattern_sources(languages)]
        except Unscreenable:
            unscreened.append(rule)
            continue
        for words, skip in found:
            prefix_sets.append(words)
            lead |= skip
    if not prefix_sets:
        return None, unscreened
    return build_screen(prefix_sets, lead), unscreened


def _body_start(alive: list[int], body: list[int]) -> int | None:
    """Where the article body starts: the first body paragraph, unless it stands apart
    from the next one (other lines between them, such as a byline and a dateline under
    a standfirst). Then the body starts at the first of two adjacent body paragraphs,
    looking no further than the second and third body paragraphs."""
    if not body:
        return None
    following = {a: b for a, b in itertools.pairwise(alive)}
    for k in range(min(3, len(body) - 1)):
        if following.get(body[k]) == body[k + 1]:
            return body[k]
    return body[0]


@dataclass(frozen=True)
class _Zones:
    """The header (before the body's start) and trailer (after the last body paragraph)
    of a document; with no body paragraph at all, every line is both ("edge")."""

    first_body: int | None
    last_body: int | None
    numbers: Sequence[int]

    def of(self, i: int) -> str:
        if self.first_body is None or self.last_body is None:
            return "edge"
        if i < self.first_body:
            return "header"
        if i > self.last_body:
            return "trailer"
        return "body"

    def describe(self, zone: str) -> str:
        if self.first_body is None or self.last_body is None:
            return "in a document without body paragraphs"
        if zone == "header":
            return f"in the header, before the body (line {self.numbers[self.first_body]})"
        last = self.numbers[self.last_body]
        return f"in the trailer, after the last body paragraph (line {last})"
