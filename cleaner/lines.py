"""Split text into lines, normalize them for matching, and put the output back together.

Output policy (the same for every entry point): trailing whitespace removed, runs of
blank lines collapsed to one, no leading or trailing blank lines, exactly one final line
break unless the result is empty, and the input's line-ending style (LF or CRLF) kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LF = "\n"
CRLF = "\r\n"

# Characters that take no room on screen: ignored when matching a line.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)\Z")

# A line at least this long is never boilerplate: it is not matched at all, which also
# keeps matching linear on pathological input (one multi-megabyte line).
MAX_MATCH_LENGTH = 1000

# A line is a body paragraph when it has this many words and ends like a sentence, or
# simply has many words. Zones (header, trailer) are measured from body paragraphs.
BODY_MIN_WORDS = 10
BODY_ANY_WORDS = 40


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


def join_lines(lines: Iterable[str], newline: str = LF) -> str:
    """Join kept lines under the output policy (blank runs collapsed, ends trimmed)."""
    out: list[str] = []
    blank = True  # drops leading blank lines
    for line in lines:
        if not line.strip():
            if not blank:
                out.append("")
            blank = True
            continue
        out.append(line)
        blank = False
    while out and not out[-1].strip():
        out.pop()
    return newline.join(out) + newline if out else ""


def normalize(line: str) -> str:
    """The form of a line that rules match: invisible characters dropped, whitespace
    collapsed to single spaces, ends stripped."""
    if not line.isascii():
        line = _INVISIBLE.sub("", line)
    return " ".join(line.split())


def word_count(normalized: str) -> int:
    return normalized.count(" ") + 1 if normalized else 0


def is_body_paragraph(normalized: str) -> bool:
    """A line that reads like article prose: a long sentence, or many words."""
    words = word_count(normalized)
    if words >= BODY_ANY_WORDS or len(normalized) >= 400:
        return True
    return words >= BODY_MIN_WORDS and _SENTENCE_END.search(normalized) is not None


def is_headline_like(normalized: str, max_words: int) -> bool:
    """A short line that does not end like a sentence: a link title, a list entry."""
    if not normalized or word_count(normalized) > max_words:
        return False
    return normalized[-1] not in ".,;:"
