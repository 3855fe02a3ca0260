"""Split text into lines, normalize them for matching, and put the output back together.

Output policy (the same for every entry point): trailing whitespace removed, runs of
blank lines collapsed to one, no leading or trailing blank lines, exactly one final line
break unless the result is empty, and the input's line-ending style (LF or CRLF) kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

LF = "\n"
CRLF = "\r\n"

# Characters that take no room on screen: ignored when matching a line.
INVISIBLE_CHARS = "\u00ad\u200b-\u200d\u2060\ufeff"
# Whitespace other than the space and the line feed (``str.isspace``), as a class.
ODD_SPACE_CHARS = "\t\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_ODD_SPACE = re.compile(f"[{ODD_SPACE_CHARS}]")
_SPACE_RUN = re.compile("  +")
_BLANK_RUN = re.compile("\n\n\n+")
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)\Z")

# A line at least this long is never boilerplate: it is not matched at all, which also
# keeps matching linear on pathological input (one multi-megabyte line).
MAX_MATCH_LENGTH = 1000

# A line is a body paragraph when it has this many words and ends like a sentence, or
# simply has many words. Zones (header, trailer) are measured from body paragraphs.
BODY_MIN_WORDS = 10
BODY_ANY_WORDS = 40
# the shortest normalized line with BODY_MIN_WORDS words
BODY_MIN_LENGTH = 2 * BODY_MIN_WORDS - 1


def newline_style(text: str) -> str:
    """CRLF when the first line break in ``text`` is CRLF, otherwise LF."""
    i = text.find("\n")
    return CRLF if i > 0 and text[i - 1] == "\r" else LF


def split_lines(text: str, *, strip: bool = True) -> list[str]:
    """Lines of ``text`` (CRLF, CR and LF all break lines), trailing whitespace removed
    unless ``strip`` is false."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    return [line.rstrip() for line in lines] if strip else lines


def join_kept(lines: Sequence[str], removed: Iterable[int],
              newline: str = LF) -> str:
    """Join ``lines`` (trailing whitespace already stripped) without those at the
    ``removed`` indices (in order), under the output policy."""
    kept: list[str] = []
    start = 0
    for i in removed:
        kept += lines[start:i]
        start = i + 1
    kept += lines[start:]
    text = _BLANK_RUN.sub("\n\n", "\n".join(kept).strip("\n"))
    if not text:
        return ""
    return (text if newline == LF else text.replace(LF, newline)) + newline


def normalize(line: str) -> str:
    """The form of a line that rules match: invisible characters dropped, whitespace
    collapsed to single spaces, ends stripped."""
    if not line.isascii():
        line = _INVISIBLE.sub("", line)
    return " ".join(line.split())


def screen_form(text: str, *, plain: bool = False) -> str:
    """A document as the document screen reads it: invisible characters dropped, and
    every run of whitespace inside a line one space (leading and trailing ones kept).
    ``plain`` says that ``text`` is known to hold no invisible character and no
    whitespace but spaces and line feeds."""
    if not plain:
        if not text.isascii():
            text = _INVISIBLE.sub("", text)
        text = _ODD_SPACE.sub(" ", text)
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


def word_count(normalized: str) -> int:
    return normalized.count(" ") + 1 if normalized else 0


def is_body_paragraph(normalized: str) -> bool:
    """A line that reads like article prose: a long sentence, or many words."""
    if len(normalized) < BODY_MIN_LENGTH:
        return False  # too short to hold BODY_MIN_WORDS words
    words = word_count(normalized)
    if words >= BODY_ANY_WORDS or len(normalized) >= 400:
        return True
    return words >= BODY_MIN_WORDS and _SENTENCE_END.search(normalized) is not None


def is_headline_like(normalized: str, max_words: int) -> bool:
    """A short line that does not end like a sentence: a link title, a list entry."""
    if not normalized or word_count(normalized) > max_words:
        return False
    return normalized[-1] not in ".,;:"
