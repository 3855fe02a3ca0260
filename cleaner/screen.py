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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
# Compiled screens cut prefixes to this many characters: a few more lines are looked at
# closer, but the expressions are a third of the size and compile twice as fast or more.
SCREEN_PREFIX = 8
DIGIT = "\x00"      # stands for \d (any decimal digit, in any script) inside prefixes
DIGITS = "\x01"     # stands for \d+ (a run of digits) inside prefixes
SYMBOL = "\x02"     # stands for a punctuation or symbol character (\p{P}, \p{S})
RUN = "\x03"        # stands for a run of non-space characters, maybe none (\S*)
SPAN = "\x04"       # stands for a run of any characters, maybe none (.*)

# regex-module syntax that the standard parser does not know, mapped to something with
# the same (or a wider) reach, for analysis only.
_PROPERTY = re.compile(r"\\[pP]\{[^}]*\}")
_SYMBOL_PROPERTY = re.compile(r"\\p\{[PS][a-z]?\}")
# what SYMBOL is written as in an expression: no letter, digit or space ("_" is \w)
SYMBOL_CLASS = r"[^\w\s]|_"


class Unscreenable(Exception):
    """The pattern may start with too many different things to screen."""


def _analysable(source: str) -> str:
    return _PROPERTY.sub(r"\\w", _SYMBOL_PROPERTY.sub(r"\\x02", source))


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
            low, high, sub = av
            if len(sub) == 1 and _is_space_class(sub[0]):
                # normalized lines hold single spaces: \s* is "" or " ", \s+ is " "
                return ({("", True)} if low == 0 else set()) | {(" ", True)}
            lead = _class_chars(sub[0], limit=64) if len(sub) == 1 else None
            if low == 0 and at_start and lead is not None:
                self.lead.update(lead)
                return {("", True)}  # leading decoration: the screen skips it too
            if lead == [DIGIT]:  # \d+, \d{1,4}...: a run of digits, one token
                return ({("", True)} if low == 0 else set()) | {(DIGITS, True)}
            if lead is not None and low == 0 and high > 1 and not at_start:
                # [\d,.]* after a digit: a run of a few characters, one token (the
                # line's text goes on after it)
                return {(SPAN if " " in lead else RUN, True)}
            once = self.seq(sub, 0, budget, at_start)
            if high != 1:  # after one pass of a repeat, stop: more may follow
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


_TOKENS = {DIGIT: r"\d", DIGITS: r"\d+", SYMBOL: f"(?:{SYMBOL_CLASS})", RUN: r"\S*",
           SPAN: ".*"}


def trie_pattern(words: Iterable[str], tokens: dict[str, str] | None = None) -> str:
    """A regular expression matching any of ``words``, written as a trie so the engine
    decides one character at a time instead of trying each word in turn. ``tokens``
    maps characters to the expression written for them (others are escaped)."""
    tokens = {**_TOKENS, **(tokens or {})}
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        parts = [tokens.get(ch, re.escape(ch)) + emit(child)
                 for ch, child in sorted(node.items()) if ch]
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def lead_class(lead: Iterable[str], extra: str = "") -> str:
    """An expression for one character of ``lead`` (or of ``extra``, class syntax)."""
    chars = "".join(sorted(r"\d" if c == DIGIT else re.escape(c) for c in lead
                           if c != SYMBOL)) + extra
    parts = [f"[{chars}]"] if chars else []
    if SYMBOL in lead:
        parts.append(SYMBOL_CLASS)
    return f"(?:{'|'.join(parts)})"


def build_screen(prefix_sets: Iterable[set[str]], lead: set[str]) -> re.Pattern[str]:
    """One expression that matches the start of every line any of the prefixes begin."""
    words = set().union(*prefix_sets)
    head = f"{lead_class(lead)}*" if lead else ""
    if not words:
        return re.compile(r"(?!)")
    return re.compile(head + trie_pattern(words), re.IGNORECASE)


def build_search(words: Iterable[str]) -> Callable[[str], object]:
    """A search of a normalized line for any of ``words``, ignoring case."""
    pattern = re.compile(trie_pattern({w.casefold() for w in words}, _FOLD_TOKENS))
    return lambda line: pattern.search(line.casefold())


def line_search(words: Iterable[str]) -> Callable[[Sequence[str], range], Iterator[int]]:
    """A search of some normalized lines (a range of their indices) for the lines that
    hold any of ``words``, ignoring case: one search over their text."""
    pattern = re.compile(trie_pattern({w.casefold() for w in words}, _FOLD_TOKENS))

    def search(lines: Sequence[str], span: range) -> Iterator[int]:
        text = "\n".join(lines[span.start:span.stop]).casefold()
        match = pattern.search(text)
        counted = count = 0  # count: line breaks in text[:counted]
        while match is not None:
            start = match.start()
            count += text.count("\n", counted, start)
            counted = start
            yield span.start + count
            following = text.find("\n", start)
            if following < 0:
                break
            match = pattern.search(text, following + 1)

    return search


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
    """The best set of required literals of a sequence: every match holds one of them.

    A literal right after required whitespace (``\\s+contributed``) is taken with one
    space before it, as it stands in a normalized line: a document screen then only
    looks for it at spaces."""
    candidates: list[set[str]] = []
    run = ""
    spaced = False  # the previous node is required whitespace
    for node in items:
        op, av = node
        if op == C.LITERAL:
            run += (" " if spaced and not run else "") + chr(av)
            spaced = False
            continue
        if run:
            candidates.append({run})
            run = ""
        words = _literal_alternatives(node) if spaced else None
        found = {" " + w for w in words} if words else _required_node(node)
        if found:
            candidates.append(found)
        spaced = _is_required_space(node)
    if run:
        candidates.append({run})
    good = [c for c in candidates if len(c) <= MAX_PREFIXES and all(map(_distinctive, c))]
    if not good:
        return None
    # best: the longest literals (the rarest), where one that starts with a space or
    # a symbol counts two characters more (a document screen tries few places for it)
    return max(good, key=lambda c: min(len(w.strip()) + (0 if w[0].isalnum() else 2)
                                       for w in c))


def _distinctive(word: str) -> bool:
    """Long enough to be worth searching for: two characters, or one symbol."""
    return len(word.strip()) >= 2 or (len(word) == 1 and not word.isalnum()
                                      and not word.isspace())


def _is_required_space(node: tuple) -> bool:
    op, av = node
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        return av[0] >= 1 and len(av[2]) == 1 and _is_space_class(av[2][0])
    return _is_space_class(node)


def _literal_alternatives(node: tuple) -> set[str] | None:
    """The strings a node matches when it is a plain choice of literals."""
    op, av = node
    if op == C.LITERAL:
        return {chr(av)}
    if op == C.IN:
        chars = _class_chars(node)
        return set(chars) if chars and not {DIGIT, SYMBOL} & set(chars) else None
    if op == C.SUBPATTERN:
        return _literal_sequence(list(av[-1]))
    if op == C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            words = _literal_sequence(list(branch))
            if not words:
                return None
            out |= words
        return out
    return None


def _literal_sequence(items: list) -> set[str] | None:
    words = {""}
    for node in items:
        alternatives = _literal_alternatives(node)
        if not alternatives or len(words) * len(alternatives) > MAX_PREFIXES:
            return None
        words = {w + a for w in words for a in alternatives}
    return words if "" not in words else None


def _required_node(node: tuple) -> set[str] | None:
    op, av = node
    if op == C.IN:  # one of a few characters
        chars = _class_chars(node)
        return set(chars) if chars and not {DIGIT, SYMBOL, " "} & set(chars) else None
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


# Case equivalences of the rule engine that ``str.casefold`` alone does not give: "İ"
# folds to "i" and a combining dot, and a rule's dotless "ı" also matches "I".
_FOLD_TOKENS = {"i": "i\u0307?", "\u0131": "[\u0131i]"}


class DocumentScreen:
    """The screen, run once over a whole document instead of once per line.

    The document's normalized lines, case folded, are searched for the lines that start
    with a prefix of a rule, possibly after characters the rule may skip (decoration):
    one expression whose every alternative starts with a line break, so that the
    regular expression engine jumps from line to line. Then each literal that the
    matches of a rule that fires in the body without a prefix must contain is looked
    for with :meth:`str.find`, and counts in lines no longer than that rule's
    ``max_length``. Rules that fire in the body are told apart from the others (those
    that fire in the header and trailer only, whose literals the caller looks for
    there). The lines found are a superset of the lines those rules
    can match: the caller looks closer at those lines only.

    Prefixes are looked for in the first :data:`HEAD` characters of a line. A line that
    does not start with a letter is searched whole (its decoration, or its number, may
    run past the cut), so a prefix that starts with a digit is looked for whole. Any
    other prefix ends at its first run of digits, so a longer match runs through a digit
    at the cut, and such a line is searched whole too. When a rule may skip letters at
    the start of a line, every line is searched whole.
    """

    HEAD = 48

    def __init__(self, body: tuple[Iterable[Iterable[str]], Iterable[str]],
                 other: tuple[Iterable[Iterable[str]], Iterable[str]],
                 contained: Mapping[str, int] | None = None) -> None:
        """``body`` and ``other``: the prefix sets and leading characters of the rules
        that fire in the body, and of the others; ``contained``: each literal of a
        rule that fires in the body without prefixes, with the length of the longest
        (normalized) line it matters in."""
        # A line that does not start with a letter is searched whole (see lines), and
        # so is every line when a rule may skip letters at the start: a prefix that
        # starts with a digit is looked for past its digits.
        self._cut = not any(c.isalpha() for c in {*body[1], *other[1]})

        # prefixes and text are both made plain (see _plain): no fold tokens needed
        def screened(word: str) -> str:
            word = word.casefold()
            if word[0] not in (DIGIT, DIGITS):
                word = _through_digits(word)
            return _plain(word[:SCREEN_PREFIX])

        body_words = {screened(w) for ws in body[0] for w in ws}
        other_words = {screened(w) for ws in other[0] for w in ws} - body_words

        def lead(chars: Iterable[str]) -> str:
            return lead_class({c if c in (DIGIT, SYMBOL) else c.casefold()[:1] for c in chars},
                              " ")

        # an empty group marks the alternatives of the rules that fire in the body
        at_line_start = []
        if body_words:
            trie = _group(trie_pattern(body_words))
            at_line_start += ["()" + trie, f"(){lead(body[1])}+{trie}"]
        if other_words:
            trie = _group(trie_pattern(other_words))
            at_line_start += [trie, f"{lead(other[1])}+{trie}"]
        self._pattern = re.compile("\n" + _group("|".join(at_line_start))) \
            if at_line_start else None
        limits: dict[str, int] = {}
        for word, limit in (contained or {}).items():
            key = _plain(word.casefold())
            limits[key] = max(limits.get(key, 0), limit)
        self._literals = sorted(limits.items())
        self._longest = max(limits.values(), default=0)

    def lines(self, norms: Sequence[str]) -> tuple[set[int], set[int]]:
        """Indices of the lines (``norms``: a document's lines, normalized) that rules
        firing in the body may match, and of those that any rule may match."""
        body: set[int] = set()
        other: set[int] = set()
        if self._pattern is None and not self._literals:
            return body, other
        # The text searched: each line whole when a literal may matter in it, else its
        # first characters, unless a prefix may reach further (a line that starts with
        # decoration, or runs through digits at the cut).
        head = self.HEAD
        whole = max(head, self._longest)
        folded = _plain("\n" + "\n".join([
            line if len(line) <= whole or line[head - 1:head].isdecimal()
            or not line[:1].isalpha() else line[:head] for line in norms]
            if self._cut else norms).casefold())
        if self._pattern is not None:
            counted = count = 0  # count: line breaks in folded[:counted]
            for match in self._pattern.finditer(folded):
                start = match.start()
                count += folded.count("\n", counted, start + 1)
                counted = start + 1
                (body if match.lastindex is not None else other).add(count - 1)
        if self._literals:
            found: list[tuple[int, int]] = []  # where a literal stands, and its limit
            for word, limit in self._literals:
                at = folded.find(word)
                while at >= 0:
                    found.append((at, limit))
                    end = folded.find("\n", at + 1)  # on to the next line
                    if end < 0:
                        break
                    at = folded.find(word, end)
            found.sort()
            counted = count = 0
            for at, limit in found:
                count += folded.count("\n", counted, at + 1)
                counted = at + 1
                if len(norms[count - 1]) <= limit:
                    body.add(count - 1)
        return body, body | other


def _plain(folded: str) -> str:
    """Case-folded text with the equivalences of :data:`_FOLD_TOKENS` made plain:
    combining dots dropped, dotless "ı" as "i"."""
    return folded.replace("\u0307", "").replace("\u0131", "i")


def _through_digits(word: str) -> str:
    """A prefix up to its first run of digits, or up to its first run of other
    characters."""
    cut = word.find(DIGITS)
    word = word if cut < 0 else word[:cut + 1]
    cut = min((i for i in (word.find(RUN), word.find(SPAN)) if i >= 0), default=-1)
    return word if cut < 0 else word[:cut]


def _group(pattern: str) -> str:
    return f"(?:{pattern})"
