"""Property tests: what ``clean()`` promises for every input.

Two kinds of input are generated:

- arbitrary strings: any code point (control characters and lone surrogates included),
  mixed with line breaks of every style, mojibake, entities and rule examples;
- articles: a headline and body paragraphs of generated sentences, with every rule's
  ``remove`` examples placed in the zone where the rule may fire.

The number of examples comes from the hypothesis profile loaded in ``conftest.py``.
"""

from __future__ import annotations

import string
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import regex
from hypothesis import assume, example, given
from hypothesis import strategies as st

from cleaner import clean, clean_and_explain, load_rules
from cleaner.encoding import repair_lines
from cleaner.lines import (
    MAX_MATCH_LENGTH,
    is_body_paragraph,
    newline_style,
    normalize,
    split_lines,
)
from cleaner.rules import Rule

RULES: list[Rule] = load_rules()
_EXAMPLE_LINES: frozenset[str] = frozenset(
    normalize(line)
    for rule in RULES
    for snippet in (*rule.remove, *rule.keep)
    for line in snippet.split("\n")
)


def survives_alone(line: str) -> bool:
    """True when no rule removes ``line`` from a document of that one line. Alone, a
    line is in every zone at once, so a rule of any zone that matches it would fire."""
    return clean(line) == line + "\n"


# --- arbitrary strings -------------------------------------------------------------------

# Every code point, surrogates (category Cs) included: nothing is excluded.
ANY_CHAR = st.characters(exclude_categories=())
TRICKY = st.sampled_from([
    "\n", "\r\n", "\r", "\n\n", "\r\r\n", " ", "\t", "\x00", "\x07", "\x0b", "\x0c",
    "\x1c", "\x7f", "\x85", "\x9d", "\u2028", "\u2029", "\ufeff", "\u200b", "\u00ad",
    "\ud800", "\udfff", "\ud83d", "\ude00", "\ufffd", "\x1b[31m", "\x1b[0m",
    "&amp;", "&amp;amp;", "&#8217;", "&#10;", "&#13;", "&#x0a;", "&#0;", "&lt;", "&nbsp;",
    "doesnâ€™t", "cafÃ©", "â€œHiâ€\x9d", "Ã ", "Â ", "Ð", "Ñ", "São", "Ärger",
    *sorted({line for rule in RULES for ex in rule.remove for line in ex.split("\n")}),
])
MESSY_TEXT = st.lists(st.one_of(ANY_CHAR, TRICKY), max_size=80).map("".join)
PLAIN_TEXT = st.text()  # hypothesis' own default text strategy
ANY_TEXT = st.one_of(MESSY_TEXT, PLAIN_TEXT)


# --- articles ----------------------------------------------------------------------------


def _word(n: int) -> str:
    """The n-th lowercase word in the order a, b, ..., z, aa, ab, ... (bijective base 26)."""
    letters: list[str] = []
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters.append(string.ascii_lowercase[r])
    return "".join(reversed(letters))


def _words(data: bytes) -> list[str]:
    """Two bytes make one word: every lowercase word of up to three letters ("by", "ad",
    "per"...) and many of four ("read", "more"). Drawing a sentence as one byte string
    keeps long articles cheap to generate and shrink (towards "a a a ...")."""
    return [_word(int.from_bytes(data[i:i + 2], "big")) for i in range(0, len(data) - 1, 2)]


def _sentence(words: list[str]) -> str:
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


# A sentence of 12-30 lowercase words, a capital first and a period last. Such a line has
# no separator (":", "|", "-"...), no digit and no capitalized name, and it is a body
# paragraph, which zone, repeated and block rules never take; the filter makes sure that
# no rule (including any added later) removes it on its own.
SENTENCE = st.binary(min_size=2 * 12, max_size=2 * 30).map(_words).map(_sentence)
PARAGRAPH = (
    st.lists(SENTENCE, min_size=1, max_size=2)
    .map(" ".join)
    .filter(lambda p: is_body_paragraph(normalize(p)) and survives_alone(p))
)
# A short title: three to eight capitalized words, no sentence end.
HEADLINE = (
    st.binary(min_size=2 * 3, max_size=2 * 8)
    .map(lambda data: " ".join(w.capitalize() for w in _words(data)))
    .filter(lambda h: not is_body_paragraph(normalize(h)) and survives_alone(h)
            and normalize(h) not in _EXAMPLE_LINES)
)


@dataclass(frozen=True)
class Article:
    headline: str
    paragraphs: tuple[str, ...]
    boilerplate: tuple[str, ...]  # every non-blank line that must go
    text: str


def _unit(rule: Rule, snippet: str) -> list[str]:
    """The lines an example takes in a document: a block example is one unit with a
    blank line above and below."""
    lines = snippet.split("\n")
    return ["", *lines, ""] if rule.action == "block" else lines


def _zone_slots(zone: str, paragraphs: int) -> list[int]:
    """Where a rule of ``zone`` may go. Slot 0 lies between the headline and the first
    paragraph, slot k (1 <= k < n) between paragraphs k and k+1, slot n after the last."""
    return {
        "header": [0],
        "trailer": [paragraphs],
        "edge": [0, paragraphs],
        "any": list(range(1, paragraphs)),
    }[zone]


# Boilerplate for an article: up to two ``remove`` examples of every rule. A failure
# shrinks to the rules and examples that matter (the others' lists become empty).
REMOVE_EXAMPLES = [st.lists(st.tuples(st.just(rule), st.sampled_from(rule.remove)), max_size=2)
                   for rule in RULES]
BOILERPLATE = st.tuples(*REMOVE_EXAMPLES).map(lambda per_rule: [x for xs in per_rule for x in xs])
KEEP_POOL = [(rule, snippet) for rule in RULES for snippet in rule.keep]
# Where a piece goes, as one number: which of its allowed slots, its order within the
# slot, and how many blank lines (0-2) follow it.
LAYOUT = st.integers(0, 2**16 - 1)
GAP = st.integers(0, 2).map(lambda n: [""] * n)
TRAILING_SPACE = st.sampled_from(["", "", "", " ", "\t", "  \t"])
FINAL_BREAK = st.sampled_from(["\n", "", "\n\n"])


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """A headline, body paragraphs, and ``remove`` examples each placed in its rule's
    zone, with 0-2 blank lines between the pieces."""
    headline = draw(HEADLINE)
    paragraphs = draw(st.lists(PARAGRAPH, min_size=2, max_size=4))
    n = len(paragraphs)
    # slot -> (order key, lines) of the boilerplate pieces placed there
    slots: list[list[tuple[int, list[str]]]] = [[] for _ in range(n + 1)]
    boilerplate: list[str] = []
    for rule, snippet in draw(BOILERPLATE):
        layout = draw(LAYOUT)
        choices = _zone_slots(rule.zone, n)
        gap = [""] * (layout // len(choices) % 3)
        slots[choices[layout % len(choices)]].append((layout, [*_unit(rule, snippet), *gap]))
        boilerplate += [line for line in snippet.split("\n") if line.strip()]

    lines = [headline, *draw(GAP)]
    for _, piece in sorted(slots[0], key=lambda p: p[0]):
        lines += piece
    for paragraph, slot in zip(paragraphs, slots[1:], strict=True):
        lines += [paragraph, *draw(GAP)]
        for _, piece in sorted(slot, key=lambda p: p[0]):
            lines += piece
    text = "\n".join(lines) + "\n"
    return Article(headline, tuple(paragraphs), tuple(boilerplate), text)


@st.composite
def scattered_articles(draw: st.DrawFn) -> str:
    """A headline, paragraphs, ``remove`` and ``keep`` examples in any order, with
    random blank lines and trailing whitespace."""
    units: list[list[str]] = [[draw(HEADLINE)]]
    units += [[p] for p in draw(st.lists(PARAGRAPH, min_size=1, max_size=4))]
    units += [_unit(rule, snippet) for rule, snippet in draw(BOILERPLATE)]
    units += [snippet.split("\n")
              for _, snippet in draw(st.lists(st.sampled_from(KEEP_POOL), max_size=5))]
    placed: list[tuple[int, list[str]]] = []
    for unit in units:
        layout = draw(LAYOUT)
        placed.append((layout // 3, [line + draw(TRAILING_SPACE) for line in unit]
                       + [""] * (layout % 3)))
    lines = [line for _, piece in sorted(placed, key=lambda p: p[0]) for line in piece]
    return "\n".join(lines) + draw(FINAL_BREAK)


ANY_ARTICLE = st.one_of(articles().map(lambda a: a.text), scattered_articles())


# --- helpers -----------------------------------------------------------------------------


def output_lines(out: str) -> list[str]:
    """The lines of a cleaned text (its final line break does not start a line)."""
    return split_lines(out)[:-1] if out else []


def repaired_input_lines(text: str) -> list[str]:
    """The input's lines after encoding repair, trailing whitespace removed. Lines are
    repaired before they are stripped, as the pipeline does: a trailing U+0085 or
    U+00A0 may be part of mojibake ("0\x85" is "0…" read as Latin-1)."""
    fixed, _ = repair_lines(split_lines(text, strip=False))
    return [piece.rstrip() for line in fixed for piece in split_lines(line)]


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it: Iterator[str] = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


# --- idempotence -------------------------------------------------------------------------


@given(ANY_TEXT)
def test_idempotent_on_any_string(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@given(ANY_ARTICLE)
def test_idempotent_on_articles(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


# --- body survives, boilerplate goes -----------------------------------------------------


HEADLINE_1 = "Council approves budget after long debate"
BODY_1 = "The council approved the new budget on Tuesday after a long debate about schools."
BODY_2 = "Officials said the plan would take effect next year, pending a final state review."

# Two related-links widgets between two paragraphs (found by this test, then shrunk).
TWO_WIDGETS = Article(
    HEADLINE_1, (BODY_1, BODY_2),
    ("Noticias relacionadas", "El Gobierno aprueba la reforma",
     "Related Articles", "Trump signs new tariff order", "Markets slide on trade fears"),
    f"{HEADLINE_1}\n{BODY_1}\n\nNoticias relacionadas\nEl Gobierno aprueba la reforma\n\n"
    f"Related Articles\nTrump signs new tariff order\nMarkets slide on trade fears\n\n"
    f"{BODY_2}\n",
)


@example(TWO_WIDGETS)
@given(articles())
def test_body_survives_and_boilerplate_goes(article: Article) -> None:
    lines = [line for line in output_lines(clean(article.text)) if line]
    body = [line for line in lines if line in article.paragraphs]
    assert body == list(article.paragraphs), "a body paragraph was lost or moved"
    left = [line for line in lines if line in article.boilerplate]
    assert left == [], f"boilerplate survived: {left}"
    assert lines == [article.headline, *article.paragraphs]


def test_block_item_directly_under_the_previous_item_goes() -> None:
    # engine._block_items keeps the last item of a block that runs into a paragraph as a
    # possible sub-heading "unless it sat directly under the previous item with no blank
    # line between" -- but it asks whether the *second* item had a blank line before it
    # (gaps[1]), not the last one.
    spaced_then_adjacent = (f"{BODY_1}\n\nRelated Articles\nFirst related headline\n\n"
                            f"Second related headline\nThird related headline\n\n{BODY_2}\n")
    assert clean(spaced_then_adjacent) == f"{BODY_1}\n\n{BODY_2}\n"
    assert clean(TWO_WIDGETS.text) == f"{HEADLINE_1}\n{BODY_1}\n\n{BODY_2}\n"


# --- every line a rule matches reaches that rule ----------------------------------------
#
# The engine screens lines by the literal prefixes of the rule patterns before running
# the patterns themselves (cleaner.screen); the screen must never hide a line that a
# pattern matches. The oracle below runs every "any"-zone line rule's pattern directly.

LINE_RULES = [
    (rule, [regex.compile(f"(?{'x' if rule.case_sensitive else 'xi'}:{source}\n)")
            for source in rule.pattern_sources()])
    for rule in RULES
    if rule.action == "line" and rule.zone == "any" and not rule.repeated
]
BLOCK_RULES = [
    [regex.compile(f"(?{'x' if rule.case_sensitive else 'xi'}:{source}\n)")
     for source in rule.pattern_sources()]
    for rule in RULES
    if rule.action == "block"
]


def matching_line_rule(norm: str) -> Rule | None:
    for rule, patterns in LINE_RULES:
        limit = min(rule.max_length or MAX_MATCH_LENGTH, MAX_MATCH_LENGTH)
        if len(norm) <= limit and any(p.fullmatch(norm) for p in patterns):
            return rule
    return None


def matches_a_block_header(norm: str) -> bool:
    return len(norm) <= MAX_MATCH_LENGTH and any(
        p.fullmatch(norm) for patterns in BLOCK_RULES for p in patterns)


SINGLE_LINE_EXAMPLES = sorted({snippet for rule in RULES for snippet in (*rule.remove, *rule.keep)
                               if "\n" not in snippet})
DIGITS = ["0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९"]


@st.composite
def rule_like_lines(draw: st.DrawFn) -> str:
    """A rule example in another letter case, with its digits in another script and
    some decoration around it."""
    line = draw(st.sampled_from(SINGLE_LINE_EXAMPLES))
    line = draw(st.sampled_from([str, str.upper, str.lower, str.title]))(line)
    line = line.translate(str.maketrans("0123456789", draw(st.sampled_from(DIGITS))))
    prefix = draw(st.sampled_from(["", "» ", "»", "• ", "- ", "[", "*** ", "(", "\u200b"]))
    suffix = draw(st.sampled_from(["", " »", "]", " ***", ")", ":", "."]))
    return prefix + line + suffix


ONE_LINE = st.one_of(rule_like_lines(), st.text(st.characters(exclude_characters="\r\n")))


@example("１２ Comments")
@example("５ min read")
@given(ONE_LINE)
def test_a_line_goes_exactly_when_a_rule_matches_it(line: str) -> None:
    norm = normalize(line)
    assume(norm and not matches_a_block_header(norm))
    out = clean(f"{BODY_1}\n{line}\n{BODY_2}\n", repair_encoding=False)
    rule = matching_line_rule(norm)
    if rule is None:
        assert out == f"{BODY_1}\n{line.rstrip()}\n{BODY_2}\n"
    else:
        assert out == f"{BODY_1}\n{BODY_2}\n", f"{rule.id} matches {norm!r}"


def test_lines_starting_with_non_ascii_digits_reach_the_rules() -> None:
    # "12 Comments" and "5 min read" go; their patterns start with \d, which matches any
    # decimal digit, but the screen (cleaner.screen) only lets ASCII digits through
    for ascii_line, line in [("12 Comments", "１２ Comments"), ("5 min read", "５ min read"),
                             ("12 Comments", "١٢ Comments")]:
        assert clean(f"{BODY_1}\n{ascii_line}\n{BODY_2}\n") == f"{BODY_1}\n{BODY_2}\n"
        assert clean(f"{BODY_1}\n{line}\n{BODY_2}\n") == f"{BODY_1}\n{BODY_2}\n", line


# --- never invent ------------------------------------------------------------------------


@example("0\x85")
@given(st.one_of(ANY_TEXT, ANY_ARTICLE))
def test_output_lines_come_from_the_repaired_input(text: str) -> None:
    out = output_lines(clean(text))
    source = repaired_input_lines(text)
    invented = [line for line in out if line and line not in source]
    assert invented == []
    assert is_subsequence([line for line in out if line], source), "lines reordered"


# --- never raises ------------------------------------------------------------------------


@given(ANY_TEXT, st.booleans())
def test_never_raises_on_any_string(text: str, repair_encoding: bool) -> None:
    result = clean_and_explain(text, repair_encoding=repair_encoding)
    assert isinstance(result.text, str)
    assert result.text == clean(text, repair_encoding=repair_encoding)


def test_five_megabyte_single_line() -> None:
    line = ("The council met again on Tuesday, and nobody left early. " * 90_000)[:5_000_000]
    line = line.rstrip()
    assert len(line) > 4_999_000
    start = time.perf_counter()
    out = clean(line)
    elapsed = time.perf_counter() - start
    assert out == line + "\n"
    assert elapsed < 30, f"cleaning one 5 MB line took {elapsed:.1f}s"


# --- line endings ------------------------------------------------------------------------


@given(ANY_ARTICLE)
def test_crlf_input_gives_crlf_output(text: str) -> None:
    assert clean(text.replace("\n", "\r\n")) == clean(text).replace("\n", "\r\n")


# --- output policy -----------------------------------------------------------------------


@given(st.one_of(ANY_TEXT, ANY_ARTICLE))
def test_output_policy(text: str) -> None:
    out = clean(text)
    if not out:
        return
    newline = newline_style(text)
    assert out.endswith(newline), "output does not end with a line break in input style"
    lines = out[: -len(newline)].split(newline)
    assert all("\n" not in line and "\r" not in line for line in lines), "mixed line breaks"
    assert all(line == line.rstrip() for line in lines), "trailing whitespace"
    assert lines[0] != "", "leading blank line"
    assert lines[-1] != "", "trailing blank line (or more than one final line break)"
    assert not any(a == b == "" for a, b in pairwise(lines)), "two blank lines in a row"
