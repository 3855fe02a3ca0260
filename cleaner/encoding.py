"""Encoding repair (the only module that imports ftfy) and decoding of raw bytes.

Repair changes only what is broken: mojibake (``doesnâ€™t`` -> ``doesn’t``), stray HTML
entities in plain text, terminal escapes and control characters. Correct text passes
through unchanged: curly quotes, dashes, full-width forms and ligatures are left alone,
and no Unicode normalization is applied (that would rewrite correct text).

ftfy is slow next to the rest of the cleaner, so it only sees lines that a cheap screen
flags as possibly broken. The screen is a superset of what ftfy would change here; a
flagged line that turns out fine comes back from ftfy unchanged.

Most flagged lines are plain mojibake: UTF-8 read in a single-byte encoding. For those,
:func:`repair_line` takes ftfy's own first step with ftfy's own pieces (its test for
mojibake, its encodings, its byte repairs), and stops there when the screen sees nothing
more to repair in the result, as it would for any other line. (ftfy's later rounds
would mostly just confirm that; rarely, they read the result again as a rarer mix-up,
such as Mac Roman, which the screen leaves alone in any text.) Every other line, and
every line where that shortcut is not sure, goes through ``ftfy.fix_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy
from ftfy import chardata, fixes
from ftfy.badness import BADNESS_RE

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",      # "&amp;" -> "&", unless the line contains "<" (markup)
    remove_terminal_escapes=True,
    fix_encoding=True,         # mojibake
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,  # "ﬁ" is correct text
    fix_character_width=False,  # full-width forms are correct text
    uncurl_quotes=False,        # curly quotes are correct text
    fix_line_breaks=False,      # line breaks are the cleaner's business
    fix_surrogates=True,
    remove_control_chars=True,
    normalization=None,         # NFC/NFKC would rewrite correct text
    explain=False,
)

# What ftfy could change, as a fast screen over a whole document:
# - UTF-8 read as Latin-1 / Windows-1252: a lead byte character followed by a
#   continuation byte character (Latin-1 high half or the Windows-1252 specials);
# - UTF-8 read as Windows-1251: a two-byte character is an uppercase letter from "В"
#   to "Я" followed by a continuation character ("Рџ" for "П", "В¤" for "¤"), a three-
#   or four-byte one a lowercase letter followed by two or three of them ("вЂ™" for
#   "’", "рџ‘Ќ" for "👍"), which correct Russian text hardly ever has. These are found
#   by the continuation character and the letter before it: in Cyrillic text, a letter
#   is common and a continuation character is not, and the screen stops only there;
# - HTML entities, control and C1 characters, surrogates, terminal escapes, and the
#   invisible format characters ftfy removes (U+FEFF, U+206A-206F, U+FFF9-FFFC);
# - the replacement character and the "Ã " / "Â " space variants ftfy restores.
_CP1252_CONT = "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" \
               "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_CP1251_CONT = "\xa0-\xbf\u0401-\u040f\u0451-\u045f\u0490\u0491\u2013\u2014\u2018-\u201e" \
               "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2116\u2122"
_CP1251_SIGN = ("(?<=[\u0412-\u0444].)(?:"  # any lead at all: one look, in Latin text
                f"(?<=[\u0412-\u042f][{_CP1251_CONT}])"
                f"|(?<=[\u0430-\u043f][{_CP1251_CONT}])[{_CP1251_CONT}]"
                f"|(?<=[\u0440-\u0444][{_CP1251_CONT}])[{_CP1251_CONT}]{{2}}"
                "|(?<=\u0432[\u0402-\u040f\u0452-\u045f]))")
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufeff\u206a-\u206f\ufff9-\ufffc"
# (first character, what must follow it); an empty follower: the character alone
_SIGNS = [
    ("\xc2-\xf4", f"[{_CP1252_CONT}]"),
    ("\xc2\xc3", " "),
    (_CP1251_CONT, f"(?:{_CP1251_SIGN})"),
    ("&", r"(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?"),
    (_CONTROL, ""),
]


def suspect_pattern(also: str = "") -> re.Pattern[str]:
    """The screen, as one expression that starts with a single character class (so the
    regular expression engine skips quickly over everything else) and checks what
    follows that character. ``also`` adds characters (class syntax) that match alone."""
    return _screen([*_SIGNS, (also, "")] if also else _SIGNS)


def _screen(signs: list[tuple[str, str]]) -> re.Pattern[str]:
    first = "".join(chars for chars, _ in signs)
    follow = "|".join(f"(?<=[{chars}]){after}" for chars, after in signs)
    return re.compile(f"[{first}](?:{follow})")


_SUSPECT = suspect_pattern()
# the same signs but that of an HTML entity ("S&P" looks like one, and is left alone)
_NOT_ENTITY = _screen([sign for sign in _SIGNS if sign[0] != "&"])


@dataclass(frozen=True)
class Repair:
    """One line whose encoding was repaired."""

    line: int      # 1-based line number in the input
    before: str
    after: str


def needs_repair(text: str) -> bool:
    """True when ``text`` may hold something ftfy would fix (cheap, no false negatives
    for the fixes configured here on text that is ASCII or UTF-8 mojibake)."""
    return _SUSPECT.search(text) is not None


def repair_line(line: str) -> str:
    """Repair one line (no line breaks inside). Idempotent."""
    if _SUSPECT.search(line) is None:
        return line
    fixed = _one_step_repair(line)
    return ftfy.fix_text(line, FTFY_CONFIG) if fixed is None else fixed


def _one_step_repair(line: str) -> str | None:
    """The line repaired by ftfy's first step, when that is plain mojibake fixed in
    one step or nothing at all; None when this is not sure.

    ftfy fixes a line in rounds until one changes nothing. When the line holds no
    entity that ftfy would decode, the first round starts with its encoding step; when
    the step's result shows none of the signs the screen looks for, the repair stops
    there, as it does for a line that never showed any. Where the line's signs are
    only those of HTML entities that decode to nothing, ftfy leaves it alone.
    """
    if len(line) > FTFY_CONFIG.max_decode_length or not _no_entity(line):
        return None
    sign = _NOT_ENTITY.search(line)
    if sign is None:
        return line
    # ftfy's test for mojibake: a match of its expression; one from the first sign on is
    # one in the whole line (the expression still sees the text before that point; a
    # sign may start one character before the match: see _CP1251_SIGN)
    if not _looks_like_mojibake(line, max(0, sign.start() - 1)):
        return None
    fixed = _encoding_step(line)
    if fixed is None or not _no_entity(fixed):
        return None
    # a replacement character for a byte lost before the text came here: ftfy takes it
    # as it is, unless its test still finds mojibake
    if _NOT_ENTITY.search(fixed) is not None and (
            _NOT_ENTITY.search(fixed.replace("\ufffd", "")) is not None
            or _looks_like_mojibake(fixed)):
        return None
    return fixed


# Every match of ftfy's test holds a character outside ASCII and is at most this long
# (tests/test_encoding.py checks both against ftfy's expression).
_BADNESS_WIDTH = 7
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _looks_like_mojibake(text: str, start: int = 0) -> bool:
    """Whether ftfy's test finds mojibake in ``text[start:]`` (seen in the whole text):
    ``BADNESS_RE.search(text, start)``, looked for only next to characters outside
    ASCII (the expression has no lookaround and no "$", so a match in part of the text
    is one in the whole text)."""
    reach = _BADNESS_WIDTH - 1
    low = high = -1  # the stretch of text to search next
    for run in _NON_ASCII.finditer(text, start):
        begin = max(start, run.start() - reach)
        if begin > high:  # apart from the stretch so far: search that first
            if high >= 0 and BADNESS_RE.search(text, low, high) is not None:
                return True
            low = begin
        high = run.end() + reach
    return high >= 0 and BADNESS_RE.search(text, low, high) is not None


def _no_entity(text: str) -> bool:
    """Whether ftfy's entity decoding leaves ``text`` as it is."""
    return "&" not in text or fixes.unescape_html(text) == text


def _encoding_step(text: str) -> str | None:
    """ftfy's encoding step (``ftfy._fix_encoding_one_step_and_explain``) on text it
    takes for mojibake, when the step decodes UTF-8 read in a single-byte encoding;
    None when it would try something else."""
    for encoding in chardata.CHARMAP_ENCODINGS:
        if not chardata.possible_encoding(text, encoding):
            continue
        data = text.encode(encoding)
        if encoding != "macroman" and chardata.ALTERED_UTF8_RE.search(data):
            data = fixes.restore_byte_a0(data)
        if encoding.startswith("sloppy") and (b"\x1a" in data or b"?" in data):
            data = fixes.replace_lossy_sequences(data)  # (what it replaces holds either)
        try:
            fixed = data.decode("utf-8-variants" if 0xED in data or 0xC0 in data else "utf-8")
        except UnicodeDecodeError:
            continue
        return fixed if fixed != text else None
    return None


def repair_lines(lines: list[str]) -> tuple[list[str], list[Repair]]:
    """Repair each line; a repaired line may split in two when an entity such as
    ``&#10;`` decodes to a line break. Returns the lines and what changed."""
    out: list[str] = []
    repairs: list[Repair] = []
    for number, line in enumerate(lines, 1):
        fixed = repair_line(line)
        if fixed != line:
            repairs.append(Repair(number, line, fixed))
        out.append(fixed)
    return out, repairs


def decode_bytes(data: bytes) -> str:
    """Decode file contents: UTF-8 (with or without BOM) when valid, otherwise the
    encoding charset-normalizer detects. Raises ``ValueError`` for binary data."""
    if looks_binary(data):
        raise ValueError("binary file (contains NUL bytes or is not text)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any known encoding")
    return str(best)


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KiB mark a binary file (UTF-16 is detected by BOM)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head
