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

Most lines of an article are never looked at one by one: one pass of a document screen
(:class:`cleaner.screen.DocumentScreen`) over the whole text finds the lines a rule may
match; only those, and the lines above the body and below it, are normalized and matched.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from .lines import (
    MAX_MATCH_LENGTH,
    is_body_paragraph,
    is_headline_like,
)
from .rules import Rule
from .screen import (
    DIGIT,
    DIGITS,
    RUN,
    SCREEN_PREFIX,
    SPAN,
    SYMBOL,
    DocumentScreen,
    Unscreenable,
    build_screen,
    build_search,
    line_search,
    prefixes,
    required_literals,
)

MAX_PASSES = 8
# Rules are filed by this many characters of their prefixes; the rules to try for a
# line start are remembered, up to this many starts per rule group.
DISPATCH_DEPTH = 4
MAX_DISPATCH = 16_384
# Verdicts on short lines are remembered between documents (boilerplate is short and
# recurs), up to this many; then the memory starts afresh.
MAX_REMEMBERED = 20_000
REMEMBERED_LENGTH = 200
_UNKNOWN: Any = object()


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
    wins. Rules are filed under the first few characters their literal prefixes can
    start with (see :mod:`cleaner.screen`), so a line meets only the expressions of the
    rules it could match; rules without such prefixes are tried on lines up to their
    ``max_length``."""

    def __init__(self, rules: Sequence[Rule], languages: frozenset[str] | None) -> None:
        self._compiled: list[tuple[Rule, regex.Pattern[str] | str, int,
                                   _Check | _LazyCheck | None]] = []
        # by the keys of the first few characters of their prefixes (see _word_keys)
        self._filed: dict[tuple[str, ...], list[int]] = {}
        always: list[int] = []  # the rules without prefixes, in order
        self._lead: set[str] = set()
        # (start of a line, whether it holds a literal of the rules without prefixes)
        # -> the rules to try, in order
        self._dispatch: dict[tuple[str, bool], tuple[int, ...]] = {}
        always_words: set[str] = set()  # literals of the rules without prefixes
        unchecked = False  # a rule has neither prefixes nor literals
        for rule in rules:
            sources = rule.pattern_sources(languages)
            if not sources:
                continue
            index = len(self._compiled)
            flags = "x" if rule.case_sensitive else "xi"
            # compiled when a line first needs it (see match)
            compiled = "|".join(f"(?{flags}:{p}\n)" for p in sources)
            limit = min(rule.max_length or MAX_MATCH_LENGTH, MAX_MATCH_LENGTH)
            found, rest = [], []
            for source in sources:
                try:
                    found.append(prefixes(source, re.VERBOSE | re.IGNORECASE))
                except Unscreenable:
                    rest.append(source)
            # patterns without a literal prefix: search the line for the literals a
            # match must hold, or try the rule on every line up to its length
            literals = _required(rest) if rest else None
            self._compiled.append((rule, compiled, limit, _rule_check(found, rest, literals)))
            if rest:
                always.append(index)
                unchecked = unchecked or literals is None
                always_words |= literals or set()
            for words, lead in found:
                self._lead |= {v for ch in lead for v in _case_variants(ch)}
                for path in {k for w in {w[:DISPATCH_DEPTH] for w in words}
                             for k in _word_keys(w)}:
                    bucket = self._filed.setdefault(path, [])
                    if not bucket or bucket[-1] != index:
                        bucket.append(index)

        self._screened = bool(self._filed)  # a rule has prefixes
        self._always = tuple(always)
        # the same by first character, for lines that start with decoration
        self._buckets: dict[str, set[int]] = {}
        for path, indices in self._filed.items():
            self._buckets.setdefault(path[0], set()).update(indices)
        # one look at the line for the literals of the rules without prefixes, unless a
        # rule has neither
        self._others_may_match: _Check = (lambda _: True) if unchecked else (
            build_search(always_words) if always_words else (lambda _: None))

    def __bool__(self) -> bool:
        return bool(self._compiled)

    def match(self, text: str) -> Rule | None:
        if not self._compiled or not text or len(text) > MAX_MATCH_LENGTH:
            return None
        # the rules without prefixes matter only when the line holds one of their literals
        others = bool(self._others_may_match(text))
        if not self._screened:
            if not others:
                return None
            indices = self._always
        else:
            first, lead = text[0], self._lead
            decorated = first in lead or bool(lead and _lead_token(first, lead))
            if decorated:
                # the pattern may skip leading decoration: its prefix starts at any
                # character of the leading run of such characters, or right after it
                j = 0
                while j < len(text) and (text[j] in lead or _lead_token(text[j], lead)):
                    j += 1
                start = text[:j + 1]
            else:
                start = text[:DISPATCH_DEPTH]
            key = (start, others)
            indices = self._dispatch.get(key)
            if indices is None:
                if len(self._dispatch) > MAX_DISPATCH:  # keep the memo small
                    self._dispatch.clear()
                found = self._indices(set(start)) if decorated else self._start_indices(start)
                indices = self._dispatch[key] = tuple(sorted(
                    found | set(self._always) if others else found))
        size = len(text)
        for index in indices:
            rule, compiled, limit, screen = self._compiled[index]
            if size > limit:
                continue
            if screen is not None:
                if isinstance(screen, _LazyCheck):
                    screen = screen.build()
                    self._compiled[index] = (rule, compiled, limit, screen)
                if not screen(text):
                    continue
            if isinstance(compiled, str):
                compiled = regex.compile(compiled)
                self._compiled[index] = (rule, compiled, limit, self._compiled[index][3])
            if compiled.fullmatch(text):
                return rule
        return None

    def _indices(self, chars: set[str]) -> set[int]:
        """The rules with prefixes that a line starting with one of ``chars`` may
        match."""
        found: set[int] = set()
        for ch in chars:
            for key in _keys(ch):
                found.update(self._buckets.get(key, ()))
        return found

    def _start_indices(self, start: str) -> set[int]:
        """The rules with prefixes that a line starting with ``start`` (its first
        :data:`DISPATCH_DEPTH` characters, or all of it) may match, decoration aside."""
        found: set[int] = set()
        paths: list[tuple[str, ...]] = [()]
        for ch in start:
            paths = [(*path, key) for path in paths for key in _keys(ch)]
            for path in paths:
                found.update(self._filed.get(path, ()))
        return found


_Check = Callable[[str], object]


def _required(sources: Sequence[str]) -> set[str] | None:
    """The literals of which every match of these patterns holds one, or None."""
    try:
        return set().union(*(required_literals(s, re.VERBOSE | re.IGNORECASE)
                             for s in sources))
    except Unscreenable:
        return None


def _needs(unscreened: Sequence[tuple[Rule, list[str]]]) -> tuple[dict[str, int], int]:
    """For rules with patterns without prefixes: the literals such patterns contain
    (one of each pattern's), each with the length of the longest line it matters in;
    and the length up to which lines must be tried because a pattern has not even such
    literals."""
    words: dict[str, int] = {}
    short = 0
    for rule, sources in unscreened:
        length = min(rule.max_length or MAX_MATCH_LENGTH, MAX_MATCH_LENGTH)
        found = _required(sources)
        if found is None:
            short = max(short, length)
        for word in found or ():
            words[word] = max(words.get(word, 0), length)
    return words, short


@dataclass(frozen=True)
class _LazyCheck:
    """The screen of one rule, compiled when first needed (a run that meets few rules
    starts fast): its patterns' prefixes (``found``, with the characters they may
    skip), or the literals its other patterns hold."""

    found: tuple[tuple[frozenset[str], frozenset[str]], ...]
    literals: frozenset[str]

    def build(self) -> _Check:
        screen = build_screen([{w[:SCREEN_PREFIX] for w in words} for words, _ in self.found],
                              set().union(*(x for _, x in self.found))).match \
            if self.found else None
        search = build_search(self.literals) if self.literals else None
        if screen is not None and search is not None:
            return lambda text: screen(text) or search(text)
        assert screen is not None or search is not None
        return screen or search


def _rule_check(found: list[tuple[frozenset[str], frozenset[str]]], rest: list[str],
                literals: set[str] | None) -> _LazyCheck | None:
    """The screen of one rule; None when a pattern in ``rest`` (those without prefixes)
    has no literals either."""
    if rest and literals is None:
        return None
    return _LazyCheck(tuple(found), frozenset(literals or ()))


def _keys(ch: str) -> set[str]:
    """Bucket keys for a character, matching case-insensitively (a dotless "ı" also
    files under "i", as the rule engine matches it to "I"); a decimal digit of any
    script also files under the screen's digit class, punctuation and symbols under
    its symbol class."""
    keys = {ch.lower()[:1], ch.casefold()[:1], ch.upper().lower()[:1]}
    if ch.isdecimal():
        keys.add(DIGIT)
    elif not ch.isalnum() and not ch.isspace():
        keys.add(SYMBOL)
    return keys


def _token_keys(ch: str) -> set[str]:
    """Bucket keys for a character or token of a prefix."""
    if ch in (DIGIT, DIGITS):
        return {DIGIT}
    return {SYMBOL} if ch == SYMBOL else _keys(ch)


@lru_cache(maxsize=8192)
def _word_keys(word: str) -> frozenset[tuple[str, ...]]:
    """Bucket keys for a prefix: the keys of its first :data:`DISPATCH_DEPTH` characters
    or tokens, fewer where a line may go on with anything (the prefix ends, or a run of
    digits or of other characters starts; it is never the first)."""
    paths: set[tuple[str, ...]] = {()}
    for ch in word[:DISPATCH_DEPTH]:
        if ch in (RUN, SPAN):
            break
        paths = {(*path, key) for path in paths for key in _token_keys(ch)}
        if ch == DIGITS:  # one digit at least, then maybe more
            break
    return frozenset(paths)


def _case_variants(ch: str) -> set[str]:
    """A character and those it matches ignoring case (one character each); tokens as
    they are."""
    return {ch} | {v for v in (ch.lower(), ch.upper(), ch.casefold(), ch.upper().lower())
                   if len(v) == 1}


def _lead_token(ch: str, lead: set[str]) -> bool:
    """Whether ``ch`` is skippable decoration through the digit or symbol class."""
    return (DIGIT in lead and ch.isdecimal()) or (
        SYMBOL in lead and not ch.isalnum() and not ch.isspace())


class _Document:
    """A document's lines, normalized, and classified on demand: most lines of a long
    article are never looked at one by one."""

    def __init__(self, lines: Sequence[str], screen_text: str) -> None:
        """``screen_text``: the lines joined, in screen form (see :func:`screen_form`):
        a line of it, stripped, is the normalized line."""
        self.lines = lines
        self.norms = [n.strip(" ") for n in screen_text.split("\n")]
        self._body: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def is_body(self, i: int) -> bool:
        body = self._body.get(i)
        if body is None:
            body = self._body[i] = is_body_paragraph(self.norms[i])
        return body

    def alive(self, i: int, removed: dict[int, Removal]) -> bool:
        """Not blank and not removed."""
        return bool(self.norms[i]) and i not in removed


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
        # with no body paragraph, every line is header and trailer alike
        self._repeated_edge = group("line", ("any", "header", "trailer", "edge"), repeated=True)
        self._block_edge = group("block", ("any", "header", "trailer", "edge"))
        # per zone: the groups of line rules, of repeated lines and of widget blocks
        self._zone_groups: dict[str, tuple[tuple[_RuleGroup, ...], _RuleGroup, _RuleGroup]] = {
            "header": ((self._header,), self._repeated_header, self._block_header),
            "trailer": ((self._trailer,), self._repeated_trailer, self._block_trailer),
            "edge": ((self._header, self._trailer), self._repeated_edge, self._block_edge),
            "body": ((), self._repeated_body, self._block_body),
        }
        # Lines are screened (see :mod:`cleaner.screen`) by the literal prefixes of the
        # rules' matches, else by literals the matches contain, else by a length below
        # which every line is tried. One document screen looks for the prefixes and
        # literals of all rules; the lines it finds are checked one by one. Rules that
        # fire in the body are told apart: in the body, only their lines are checked.
        prefix_sets, lead, unscreened = _screenable(
            [r for r in self.rules if r.zone == "any"], languages)
        self.unscreened = [rule for rule, _ in unscreened]
        literals, self._short = _needs(unscreened)
        other_prefixes, other_lead, other_unscreened = _screenable(
            [r for r in self.rules if r.zone != "any"], languages)
        # In the header and trailer, a zone rule without prefix or literals may match
        # any line up to a length, and a repeated rule without them any line that
        # the next line repeats.
        zone_literals, self._zone_short = _needs(
            [(r, s) for r, s in other_unscreened if not r.repeated])
        self._zone_search = line_search(zone_literals) if zone_literals else None
        self._zone_limit = max(zone_literals.values(), default=0)
        self._zone_repeats = any(r.repeated for r, _ in other_unscreened)
        self._verdicts: dict[tuple[int, str], Rule | None] = {}
        self._document_screen = DocumentScreen(
            (prefix_sets, lead), (other_prefixes, other_lead), literals)

    def forget(self) -> None:
        """Drop the verdicts remembered from earlier documents."""
        self._verdicts.clear()

    def _candidates(self, doc: _Document, hits: set[int]) -> list[int]:
        """The lines that may match a rule that fires in the body, in order, given the
        lines the document screen found for such rules."""
        norms = doc.norms
        if self._short:  # a rule without any screen: every line up to its length
            hits = hits | {i for i, norm in enumerate(norms) if 0 < len(norm) <= self._short}
        return sorted(i for i in hits if norms[i])

    def _zone_lines(self, doc: _Document, hits: set[int],
                    spans: Sequence[range]) -> tuple[list[int], set[int]]:
        """The lines of the header and trailer (``spans``), in order, that a rule may
        match there, given the lines the document screen found; and those of them that
        may match only as a repeat (a line the next one says again)."""
        norms = doc.norms
        ordered = sorted(hits)
        found: set[int] = set()
        for span in spans:
            found.update(ordered[bisect_left(ordered, span.start):
                                 bisect_left(ordered, span.stop)])
            if self._zone_short:  # a rule without any screen: every line up to its length
                found.update(i for i in span if 0 < len(norms[i]) <= self._zone_short)
            if self._zone_search is not None:  # and those holding a rule's literals
                found.update(i for i in self._zone_search(norms, span)
                             if len(norms[i]) <= self._zone_limit)
        repeats: set[int] = set()
        if self._zone_repeats:
            counts: Counter[str] = Counter()
            for span in spans:
                counts.update(norms[span.start:span.stop])
            counts.pop("", None)
            if len(counts) < counts.total():  # a line is said more than once
                said = {norm for norm, n in counts.items() if n > 1}
                repeats = {i for span in spans for i in span
                           if norms[i] in said and i not in found}
        return sorted(i for i in found | repeats if norms[i]), repeats

    def find(self, lines: Sequence[str], numbers: Sequence[int],
             screen_text: str) -> dict[int, Removal]:
        """Removals, keyed by line index and in line order, for a document given as its
        lines (trailing whitespace stripped), their input line numbers, and its text in
        screen form (see :func:`cleaner.lines.screen_form`)."""
        doc = _Document(lines, screen_text)
        removed: dict[int, Removal] = {}

        def drop(i: int, rule: Rule, reason: str) -> None:
            removed[i] = Removal(numbers[i], lines[i], rule.id, rule.name, rule.category,
                                 reason)

        # Only lines that pass the screen can match a rule: in the body, a rule that
        # fires there; in the header and trailer, any rule.
        body_hits, hits = self._document_screen.lines(doc.norms)
        candidates = self._candidates(doc, body_hits)
        candidate_set = set(candidates)
        visited: list[int] | None = None
        repeats: set[int] = set()

        # A rule group's verdict on a line depends on the line's text alone: decide it
        # once, whatever the pass and however often the line repeats, in this document
        # or in others (a site's boilerplate recurs on every page).
        verdicts = self._verdicts
        if len(verdicts) > MAX_REMEMBERED:
            verdicts.clear()

        local: dict[tuple[int, str], Rule | None] = {}  # long lines: this document only

        def verdict(i: int, group: _RuleGroup) -> Rule | None:
            key = (id(group), doc.norms[i])
            memory = verdicts if len(key[1]) <= REMEMBERED_LENGTH else local
            rule = memory.get(key, _UNKNOWN)
            if rule is _UNKNOWN:  # (one lookup: another thread may clear the memory)
                rule = memory[key] = group.match(key[1])
            return rule

        # Pass 0: whole-line rules that may fire anywhere. They do not depend on context.
        for i in candidates:
            rule = verdict(i, self._anywhere)
            if rule is not None:
                drop(i, rule, f"whole line is {rule.name}")

        for _ in range(MAX_PASSES):
            before = len(removed)
            zones = _zones(doc, removed, numbers)
            if zones is None:
                break  # nothing left
            if visited is None:
                # The lines to look at: in the body, the candidates; in the header and
                # trailer of any pass, the lines the screens find there.
                spans = zones.spans(len(doc))
                zone_lines, repeats = self._zone_lines(doc, hits, spans)
                # (never a body paragraph: no rule removes one here)
                visited = [i for i in sorted(candidate_set.union(zone_lines))
                           if not doc.is_body(i)]
            first_alive = 0  # the first line not blank nor removed, found when needed
            zone_of = zones.of
            for i in visited:
                zone = zone_of(i)
                if zone == "body" and i not in candidate_set:
                    continue  # only rules that fire in the body matter here
                if i in removed:
                    continue
                run = self._run(doc, i, removed)  # this line and the identical next ones
                if len(run) == 1 and i in repeats and i not in candidate_set \
                        and zone != "body":
                    continue  # it could only match as a repeat, and is none
                line_groups, repeated, block = self._zone_groups[zone]
                # zone line rules
                rule = None
                for group in line_groups:
                    rule = verdict(i, group)
                    if rule is not None:
                        break
                if rule is not None:
                    drop(i, rule, f"{rule.name} {zones.describe(zone)}")
                    continue
                # repeated lines: this line and the identical next ones
                rule = verdict(i, repeated) if len(run) > 1 else None
                if rule is not None:
                    # under the headline: a document's first line is never dropped as a
                    # repeat, so a headline printed twice keeps its copies
                    while first_alive < i and not doc.alive(first_alive, removed):
                        first_alive += 1  # removals only move it down
                    if first_alive < i:
                        shown = ", ".join(str(numbers[k]) for k in run)
                        for k in run:
                            drop(k, rule, f"{rule.name} repeated on lines {shown}")
                        continue
                # widget blocks
                rule = verdict(i, block)
                if rule is not None:
                    drop(i, rule, f"{rule.name}: widget header")
                    items = self._block_items(i, rule, doc, removed)
                    for n, k in enumerate(items, 1):
                        drop(k, rule, f"item {n} of the {rule.name} block under line "
                                      f"{numbers[i]}")
            if len(removed) == before:
                break
        return {i: removed[i] for i in sorted(removed)}

    @staticmethod
    def _run(doc: _Document, i: int, removed: dict[int, Removal]) -> list[int]:
        """Line ``i`` and the lines after it that say the same, up to the first line
        that says something else (blank and removed lines aside)."""
        norms = doc.norms
        run = [i]
        for j in range(i + 1, len(norms)):
            if not norms[j] or j in removed:
                continue
            if norms[j] != norms[i]:
                break
            run.append(j)
        return run

    @staticmethod
    def _block_items(header: int, rule: Rule, doc: _Document,
                     removed: dict[int, Removal]) -> list[int]:
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
        for j in range(header + 1, len(doc)):
            if j in removed:
                continue
            if not doc.norms[j]:
                gap = True
                continue
            if doc.is_body(j) or not is_headline_like(doc.norms[j], spec.max_words):
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


def _screenable(rules: Sequence[Rule], languages: frozenset[str] | None
                ) -> tuple[list[frozenset[str]], set[str], list[tuple[Rule, list[str]]]]:
    """The literal prefixes of the given rules' matches and the characters they may
    skip at the start of a line, and each rule with the patterns that have no such
    prefixes."""
    prefix_sets: list[frozenset[str]] = []
    lead: set[str] = set()
    unscreened: list[tuple[Rule, list[str]]] = []
    for rule in rules:
        rest: list[str] = []
        for source in rule.pattern_sources(languages):
            try:
                words, skip = prefixes(source, re.VERBOSE | re.IGNORECASE)
            except Unscreenable:
                rest.append(source)
                continue
            prefix_sets.append(words)
            lead |= skip
        if rest:
            unscreened.append((rule, rest))
    return prefix_sets, lead, unscreened


def _zones(doc: _Document, removed: dict[int, Removal],
           numbers: Sequence[int]) -> _Zones | None:
    """The zones of the lines still in the document, or None when none is left.

    The body starts at the first body paragraph, unless it stands apart from the next
    one (other lines between them, such as a byline and a dateline under a standfirst).
    Then it starts at the first of two adjacent body paragraphs, looking no further than
    the second and third body paragraphs. It ends at the last body paragraph. Only the
    lines up to the start and from the end are looked at.
    """
    body: list[int] = []   # the first few body paragraphs
    start = previous = None
    norms, is_body = doc.norms, doc.is_body
    for i in range(len(norms)):
        if not norms[i] or i in removed:
            continue
        if is_body(i):
            if start is None and body and previous == body[-1] and len(body) <= 3:
                start = body[-1]
            body.append(i)
            if len(body) > 3 or (start is not None and len(body) >= 3):
                break
        previous = i
    if previous is None and not body:
        return None
    if not body:
        return _Zones(None, None, None, numbers)
    last = next(i for i in range(len(norms) - 1, -1, -1)
                if norms[i] and i not in removed and is_body(i))
    # Body paragraphs are never removed once zones are drawn, and removals only bring
    # them together: the body of any later pass starts at one of the first three.
    return _Zones(body[0] if start is None else start, last, body[min(2, len(body) - 1)],
                  numbers)


@dataclass(frozen=True)
class _Zones:
    """The header (before the body's start) and trailer (after the last body paragraph)
    of a document; with no body paragraph at all, every line is both ("edge")."""

    first_body: int | None
    last_body: int | None
    latest_start: int | None  # where the body may start in a later pass
    numbers: Sequence[int]

    def of(self, i: int) -> str:
        if self.first_body is None or self.last_body is None:
            return "edge"
        if i < self.first_body:
            return "header"
        if i > self.last_body:
            return "trailer"
        return "body"

    def spans(self, size: int) -> list[range]:
        """The lines of the header and the trailer, in this pass or any later one."""
        if self.first_body is None or self.last_body is None or self.latest_start is None:
            return [range(size)]
        return [range(max(self.first_body, self.latest_start)),
                range(self.last_body + 1, size)]

    def describe(self, zone: str) -> str:
        if self.first_body is None or self.last_body is None:
            return "in a document without body paragraphs"
        if zone == "header":
            return f"in the header, before the body (line {self.numbers[self.first_body]})"
        last = self.numbers[self.last_body]
        return f"in the trailer, after the last body paragraph (line {last})"
