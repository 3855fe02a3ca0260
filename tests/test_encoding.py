"""Encoding repair: broken text is fixed, correct text passes through byte for byte.

Also :func:`cleaner.encoding.decode_bytes`, which turns file contents into text.
"""

from __future__ import annotations

import ftfy
import pytest
from ftfy import chardata, fixes
from ftfy.badness import BADNESS_RE
from ftfy.fixes import unescape_html
from hypothesis import example, given
from hypothesis import strategies as st

from cleaner import clean, clean_and_explain
from cleaner.encoding import (
    _BADNESS_WIDTH,
    _NOT_ENTITY,
    FTFY_CONFIG,
    _looks_like_mojibake,
    _one_step_repair,
    decode_bytes,
    needs_repair,
    repair_line,
    repair_lines,
)

BODY = "The council approved the new budget on Tuesday after a long debate about schools."

# --- broken text is repaired -------------------------------------------------------------

BROKEN = [
    pytest.param("doesnâ€™t", "doesn’t", id="utf8-as-cp1252-apostrophe"),
    pytest.param("It doesnâ€™t matter, she said.", "It doesn’t matter, she said.",
                 id="apostrophe-in-sentence"),
    pytest.param("cafÃ©", "café", id="utf8-as-latin1-e-acute"),
    pytest.param("â€œHiâ€\x9d", "“Hi”", id="curly-double-quotes"),
    pytest.param("Â£5 a month", "£5 a month", id="pound-sign"),
    pytest.param("Tom &amp; Jerry", "Tom & Jerry", id="amp-entity"),
    pytest.param("It&#8217;s here", "It’s here", id="numeric-entity"),
    pytest.param("It&rsquo;s here", "It’s here", id="named-entity"),
    pytest.param("a\x00b\x01c\x08d\x0be\x0ef\x1fg\x7fh", "abcdefgh", id="c0-controls"),
    pytest.param("\x1b[31mred\x1b[0m alert", "red alert", id="terminal-escapes"),
]


@pytest.mark.parametrize(("broken", "fixed"), BROKEN)
def test_repair_line_fixes(broken: str, fixed: str) -> None:
    assert repair_line(broken) == fixed
    assert repair_line(fixed) == fixed


@pytest.mark.parametrize(("broken", "fixed"), BROKEN)
def test_clean_repairs_by_default(broken: str, fixed: str) -> None:
    assert clean(f"{BODY}\n{broken}\n") == f"{BODY}\n{fixed}\n"


@pytest.mark.parametrize(("broken", "fixed"), BROKEN)
def test_clean_leaves_encoding_alone_when_asked(broken: str, fixed: str) -> None:
    assert clean(f"{BODY}\n{broken}\n", repair_encoding=False) == f"{BODY}\n{broken}\n"
    assert clean_and_explain(f"{BODY}\n{broken}\n", repair_encoding=False).repairs == []


# ftfy (remove_control_chars=True) deletes these invisible format characters, but the
# cheap screen in front of it does not flag them: they are removed only when something
# else on the same line sends the line to ftfy.
INVISIBLE_CONTROLS = ["\ufeff", "\u206a", "\u206f", "\ufff9", "\ufffb", "\ufffc"]


def test_invisible_controls_are_removed_even_without_other_damage() -> None:
    for char in INVISIBLE_CONTROLS:
        assert repair_line(f"zero{char}width &amp; more") == "zerowidth & more"
    kept = [f"U+{ord(c):04X}" for c in INVISIBLE_CONTROLS
            if repair_line(f"zero{c}width and more") != "zerowidth and more"]
    assert kept == []
    assert clean("zero\ufeffwidth\n") == "zerowidth\n"


def test_cp1251_punctuation_mojibake_is_repaired() -> None:
    # UTF-8 "’" read as Windows-1251 is "вЂ™"; the screen only looks for Cyrillic
    # letters read that way ("Р"/"С" first), so ftfy never sees this line
    assert repair_line("It doesnвЂ™t matter.") == "It doesn’t matter."
    assert clean("It doesnвЂ™t matter, вЂњthe mayorвЂќ said.\n") == (
        "It doesn’t matter, “the mayor” said.\n")


def test_entities_inside_markup_are_left_alone() -> None:
    line = "<b>Tom &amp; Jerry</b>"
    assert repair_line(line) == line
    assert clean(f"{line}\n") == f"{line}\n"


def test_repairs_are_reported_with_input_line_numbers() -> None:
    text = f"{BODY}\n\nIt doesnâ€™t matter.\nFine as it is.\ncafÃ©\n"
    result = clean_and_explain(text)
    assert result.text == f"{BODY}\n\nIt doesn’t matter.\nFine as it is.\ncafé\n"
    assert [(r.line, r.before, r.after) for r in result.repairs] == [
        (3, "It doesnâ€™t matter.", "It doesn’t matter."),
        (5, "cafÃ©", "café"),
    ]


def test_entity_line_break_splits_the_line() -> None:
    fixed, repairs = repair_lines(["one&#10;two", "three"])
    assert fixed == ["one\ntwo", "three"]
    assert [r.line for r in repairs] == [1]
    assert clean("one&#10;two\nthree\n") == "one\ntwo\nthree\n"


# --- correct text is left byte-identical -------------------------------------------------

CORRECT = [
    pytest.param("“Quoted,” she said — ‘twice’ – and left…", id="curly-quotes-dashes"),
    pytest.param("ＡＢＣ１２３ ＼ ｶﾀｶﾅ", id="full-width-and-half-width"),
    pytest.param("ﬁnance, ﬂow, oﬀer", id="ligatures"),
    pytest.param("Cafe\u0301 and re\u0301sume\u0301", id="decomposed-accents"),
    pytest.param("東京都は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다.", id="cjk"),
    pytest.param("Great news 😀👍🏽 for the family 👨\u200d👩\u200d👧 🇩🇪", id="emoji"),
    pytest.param("Москва — столица России, сообщает агентство «ТАСС».", id="cyrillic"),
    pytest.param("«РИА Новости»: Совет утвердил бюджет.", id="cyrillic-er-es"),
    pytest.param("Η Ελλάδα είναι μια χώρα της νότιας Ευρώπης.", id="greek"),
    pytest.param("São Paulo", id="sao-paulo"),
    pytest.param("SÃO PAULO — A CIDADE", id="capital-a-tilde"),
    pytest.param("Ärger über die Öffnungszeiten", id="german-umlauts"),
    pytest.param("RÉSUMÉ — L'ÉTÉ « chaud » À PARIS", id="french-capitals"),
    pytest.param("PÂTÉ ‘n’ CÂMARA, Ñandú, ½ · ¼ · ©", id="latin1-symbols"),
    pytest.param("Ü… Ö” É – Â", id="capitals-before-punctuation"),
    pytest.param("AT&T and Q&A; R&D", id="ampersands-without-entities"),
    pytest.param("Tabs\tinside\tthe line", id="tabs"),
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_unchanged_by_repair_line(text: str) -> None:
    assert repair_line(text) == text


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_unchanged_by_clean(text: str) -> None:
    document = f"{BODY}\n{text}\n"
    assert clean(document) == document
    assert clean_and_explain(document).repairs == []


# --- the one-step repair gives ftfy's own answer ------------------------------------------

# Text of the kinds scraped articles hold, then mangled as they get mangled: UTF-8 read
# as Latin-1, Windows-1252 (undefined bytes lost), Windows-1251, twice over, or not at all.
_PIECES = st.sampled_from([
    "doesn’t", "“Quoted”", "—", "–", "…", "café", "São Paulo", "Größe", "€5", "£3",
    "½", "©", "naïve", "Москва", "«ТАСС»", "Ελλάδα", "東京", "😀", "\xa0", "&amp;",
    "&lt;b&gt;", "S&P", "AT&T", "<b>", "&#8217;", "\ufffd", "ﬁ", "Ｂ", "\x1b[1m", "\x07",
    "\u200b", "\ufeff", "\x85", "Ã ", "Â ", "¬ß", " ", " ", ".", ",", "'", '"', "1999",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=12).map("".join)


def _mangled(text: str, how: str) -> str:
    data = text.encode("utf-8", "surrogatepass")
    if how == "latin-1":
        return data.decode("latin-1")
    if how == "twice":
        return _mangled(_mangled(text, "cp1252"), "cp1252")
    return data.decode(how, "replace")


def _line(text: str, how: str) -> str:
    return " ".join((text if how == "none" else _mangled(text, how)).splitlines())


def _as_ftfy_repairs(line: str, repaired: str) -> bool:
    """ftfy's answer, or a step on ftfy's way to it after which the screen sees nothing
    more to repair: no sign of damage, entity-like text ("S&P") aside when it decodes to
    nothing. (ftfy may go on to decode a rarer mix-up, such as Mac Roman, that the
    screen leaves alone in any text.)"""
    answer = ftfy.fix_text(line, FTFY_CONFIG)
    settled = _NOT_ENTITY.search(repaired) is None and unescape_html(repaired) == repaired
    return repaired == answer or (
        settled and ftfy.fix_text(repaired, FTFY_CONFIG) == answer)


@given(_TEXT, st.sampled_from(["none", "latin-1", "cp1252", "cp1251", "twice"]))
@example("It doesn’t matter", "cp1252")
@example("S&P 500 — “up”", "cp1252")
@example("price \ufffd dropped — sharply", "cp1252")
@example("ﬁ£3", "latin-1")  # ftfy goes on to read "ﬁ£" as Mac Roman
@example("S&P ¬ß", "none")  # ftfy reads "¬ß" as Mac Roman; the screen sees "S&P"
def test_flagged_lines_are_repaired_as_ftfy_repairs_them(text: str, how: str) -> None:
    line = _line(text, how)
    if needs_repair(line):
        assert _as_ftfy_repairs(line, repair_line(line))
    else:
        assert repair_line(line) == line


@given(_TEXT, st.sampled_from(["latin-1", "cp1252", "cp1251", "twice"]))
@example("👍", "cp1251")
@example("A¤", "cp1251")
@example("¬Ü", "latin-1")
def test_mojibake_of_the_common_encodings_is_all_repaired(text: str, how: str) -> None:
    """The screen lets through every line ftfy would repair, for UTF-8 read as
    Latin-1, Windows-1252 or Windows-1251."""
    line = _line(text, how)
    assert _as_ftfy_repairs(line, repair_line(line))


@pytest.mark.parametrize(("broken", "fixed"), [
    ("It doesnâ€™t matter, she said.", "It doesn’t matter, she said."),
    ("S&P 500 â€” â€œupâ€\x9d", "S&P 500 — “up”"),
    ("cafÃ©", "café"),
    ("S&P and AT&T", "S&P and AT&T"),  # entity-like, decoding to nothing
])
def test_plain_mojibake_is_repaired_in_one_step(broken: str, fixed: str) -> None:
    assert _one_step_repair(broken) == fixed == ftfy.fix_text(broken, FTFY_CONFIG)


@pytest.mark.parametrize("line", ["Tom &amp; Jerry", "a\x1b[31mred", "\ufeffHello"])
def test_lines_the_one_step_repair_is_not_sure_of_go_to_ftfy(line: str) -> None:
    assert _one_step_repair(line) is None


def test_lossy_sequences_hold_a_substitute_or_question_mark() -> None:
    """The one-step repair skips ftfy's replace_lossy_sequences on bytes with neither
    b"\\x1a" nor b"?": every sequence it replaces holds one of them."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def only_substitutes(op, av) -> bool:  # one byte that is b"\\x1a" or b"?"
        if op is C.LITERAL:
            return av in (0x1A, 0x3F)
        return op is C.IN and all(o is C.LITERAL and a in (0x1A, 0x3F) for o, a in av)

    tree = P.parse(chardata.LOSSY_UTF8_RE.pattern.decode("latin-1"))
    branches = tree[0][1][1] if tree[0][0] is C.BRANCH else [tree]
    assert len(branches) > 5
    for branch in branches:
        assert any(only_substitutes(op, av) for op, av in branch), branch
    assert fixes.replace_lossy_sequences(b"caf\xc3\xa9 \xe2\x80\x99") == b"caf\xc3\xa9 \xe2\x80\x99"


def test_mojibake_test_matches_hold_a_character_outside_ascii() -> None:
    """ftfy's test is looked for only next to characters outside ASCII: each of its
    matches holds one and is at most _BADNESS_WIDTH characters long."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def outside_ascii(op, av) -> bool:  # one character, never an ASCII one
        if op is C.LITERAL:
            return av > 0x7F
        return op is C.IN and all(
            (o is C.LITERAL and a > 0x7F) or (o is C.RANGE and a[0] > 0x7F) for o, a in av)

    tree = P.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert tree.getwidth()[1] <= _BADNESS_WIDTH
    assert tree[0][0] is C.BRANCH and len(tree[0][1][1]) > 20
    for branch in tree[0][1][1]:
        assert any(outside_ascii(op, av) for op, av in branch), branch


@given(st.text(st.sampled_from("aé €Ã Â\xa0’“x.,\ufffd—ð\x9f"), max_size=40),
       st.integers(0, 10))
@example("a Ã ", 0)
@example("x" * 30 + ", Ã© and Ã¨ later: â€™", 3)
@example("Ã ok", 1)
def test_mojibake_test_next_to_characters_outside_ascii_is_ftfys(text: str, start: int) -> None:
    assert _looks_like_mojibake(text, start) == (BADNESS_RE.search(text, start) is not None)


# --- decode_bytes ------------------------------------------------------------------------

FRENCH = (
    "L’été dernier, le maire a présenté un budget « ambitieux » pour la rénovation des "
    "écoles. Selon lui, les dépenses atteindront 12 millions d’euros (12 000 000 €) d’ici "
    "à 2026 ; l’opposition dénonce une œuvre de communication, mais reconnaît que les "
    "élèves méritent mieux."
)
GERMAN = (
    "Der Bürgermeister äußerte sich am Freitag über die Pläne für die Schulen. Die Kosten "
    "würden größer ausfallen als geplant, sagte er, doch die Stadträte hätten dem Entwurf "
    "zugestimmt. Über die Finanzierung müsse noch gesprochen werden, heißt es im Rathaus."
)


def test_decode_utf8() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")) == FRENCH
    assert decode_bytes(b"plain ascii\n") == "plain ascii\n"


def test_decode_utf8_with_bom() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + GERMAN.encode("utf-8")) == GERMAN


def test_decode_cp1252_french_paragraph() -> None:
    data = FRENCH.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data) == FRENCH


def test_decode_latin1_german_paragraph() -> None:
    assert decode_bytes(GERMAN.encode("latin-1")) == GERMAN


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(encoding: str) -> None:
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    data = bom + FRENCH.encode(encoding)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert decode_bytes(data) == FRENCH


@pytest.mark.parametrize("data", [b"abc\x00def", b"\x00", b"PK\x03\x04\x00\x00binary"])
def test_decode_nul_bytes_raise_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="binary"):
        decode_bytes(data)
