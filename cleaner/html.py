"""HTML pages: find the article with trafilatura, then clean it with the text rules.

This is the only module that imports trafilatura. trafilatura decides where the article
is on the page; the text rules (:func:`cleaner.clean_and_explain`) stay the single place
that decides which of its lines are boilerplate.

The article is handed to the rules as real lines: the page title first (unless the
article already starts with it), then one block per paragraph, heading, quote, list or
table, with a blank line between blocks. List items and table rows stay directly under
one another, so a "Related Articles" list keeps the widget shape the block rules know,
and the blank line after the list tells where it ends.

A page has no article when trafilatura finds no main text, or when nothing it finds
reads like prose (no line is a body paragraph in the sense of :mod:`cleaner.lines`):
on a page without an article, trafilatura falls back on menus and ``<noscript>`` notes.

Page bytes are decoded here rather than by trafilatura, which guesses the charset from
the bytes and reads a declaration only as a hint: a page declared ISO-8859-1 may come
out as Windows-1250, or as Latin-1 with its curly quotes turned into control characters.

trafilatura is imported on first use, so ``import cleaner`` stays quick.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .config import DEFAULT_CONFIG, CleanerConfig
from .encoding import looks_binary
from .lines import BODY_MIN_WORDS, is_body_paragraph, normalize
from .pipeline import CleanResult, clean_and_explain, compile_config

# The trafilatura options, pinned here and nowhere else.
TRAFILATURA_OPTIONS: MappingProxyType[str, Any] = MappingProxyType({
    # Reader comments are not the article, and the rules would have to guess where the
    # article ends and the comments begin. (Only the main body is printed anyway.)
    "include_comments": False,
    # Tables in articles carry content (results, prices, schedules).
    "include_tables": True,
    # trafilatura's deduplication keeps a process-wide cache of the text it has seen:
    # the same page would give different output on a second call.
    "deduplicate": False,
    # Plain text: no Markdown emphasis, links or image markup for the rules to trip on.
    "include_formatting": False,
    "include_links": False,
    "include_images": False,
    # Metadata gives the page title, printed as the first line.
    "with_metadata": True,
    # Balanced extraction (trafilatura's defaults), measured with bench/quality.py on
    # the benchmark's development half: favor_recall lowers F1; favor_precision raises
    # it slightly (+0.007) but cuts link text out of sentences ("reported that the NFL
    # will fine Rudolph for" -> "reported that for") and drops standfirsts and body
    # paragraphs, which costs recall on 7 of 88 pages. The junk it drops (newsletter
    # boxes, related-links lists) is the text rules' job.
    "favor_precision": False,
    "favor_recall": False,
    # Keep the fallback extractors (readability, jusText) for pages where trafilatura's
    # own pass finds little.
    "fast": False,
})

# Where a page may declare its charset: the <head>, at most this far into the bytes.
_PRESCAN_LIMIT = 65536
_DECLARED_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9][a-z0-9_.:+-]*)"""
    rb"""|<\?xml\s[^>]*?encoding\s*=\s*["']([a-z0-9][a-z0-9_.:+-]*)""",
    re.IGNORECASE)
_BODY_START = re.compile(rb"<body[\s>]", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Labels that browsers (the WHATWG Encoding Standard) read as a different, larger
# charset than Python's codec of the same name: a page declaring ISO-8859-1 is read as
# Windows-1252, so its curly quotes (bytes 0x91-0x94) come out as quotes.
_LABEL_ALIASES = {
    "iso8859-1": "cp1252", "ascii": "cp1252",
    "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
    "shift_jis": "cp932", "euc_kr": "cp949",
    # a UTF-16 label inside ASCII-compatible bytes is a mistake; browsers read UTF-8
    "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
}


@dataclass(frozen=True)
class HtmlCleanResult(CleanResult):
    """A :class:`CleanResult` for an HTML page.

    ``extracted`` is the article text as trafilatura found it, before cleaning (``""``
    when there is no article): the line numbers in ``removals`` and ``repairs`` count
    lines of this text. ``note`` says why ``text`` is empty when it is (empty input, not
    HTML, no article found, nothing but boilerplate), and is ``""`` otherwise.
    ``encoding`` names the charset a ``bytes`` page was decoded with, and why; it is
    ``None`` for ``str`` input.
    """

    extracted: str = ""
    note: str = ""
    encoding: str | None = None


def clean_html(html: str | bytes, config: CleanerConfig | None = None,
               **overrides: Any) -> str:
    """Return the article text of an HTML page, without boilerplate lines.

    ``html`` may be text or the page's raw bytes (decoded with the charset the page
    declares or, failing that, the one detected). Keyword overrides mirror
    :class:`CleanerConfig` fields, as for :func:`cleaner.clean`. Returns ``""`` when the
    page holds no article; never ``None``.
    """
    return clean_html_and_explain(html, config, **overrides).text


def clean_html_and_explain(html: str | bytes, config: CleanerConfig | None = None,
                           **overrides: Any) -> HtmlCleanResult:
    """Extract the article of an HTML page, clean it, and say what happened.

    The result's ``removals`` and ``repairs`` refer to lines of ``result.extracted``;
    ``result.note`` explains an empty ``result.text``.
    """
    cfg = (config or DEFAULT_CONFIG).with_overrides(**overrides)
    compile_config(cfg)  # a bad configuration raises here, whatever the page
    extracted, note, encoding = _extract(html)
    if not extracted:
        return HtmlCleanResult("", extracted="", note=note, encoding=encoding)
    result = clean_and_explain(extracted, cfg)
    if not result.text:
        note = (f"every extracted line was boilerplate ({len(result.removals)} removed; "
                "see removals)")
    return HtmlCleanResult(result.text, result.removals, result.repairs,
                           extracted=extracted, note=note, encoding=encoding)


_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL)


def looks_like_html(data: bytes | str) -> bool:
    """Whether content starts like an HTML page (a doctype or an html/head/body tag)."""
    head = data[:4096]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    return _HTML_START.match(head) is not None


def extract_html(html: str | bytes) -> str:
    """The article text trafilatura finds in a page, as :func:`clean_html` sees it
    before cleaning (same options, same lines); ``""`` when there is none."""
    return _extract(html)[0]


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a page; return the text and the charset used, with why.

    In order: a byte order mark; UTF-8 when the bytes are valid UTF-8 (legacy text
    almost never is, while pages mislabelled as ISO-8859-1 are common); the charset the
    page declares in a ``<meta>`` tag or XML declaration, read as browsers read it; the
    charset trafilatura detects; and last, UTF-8 with replacement characters.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), f"{name} (byte order mark)"
    try:
        return data.decode("utf-8"), "utf-8 (valid UTF-8)"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared is not None:
        try:
            return data.decode(declared), f"{declared} (declared by the page)"
        except UnicodeDecodeError:
            pass
    from trafilatura.utils import detect_encoding

    for guess in detect_encoding(data):
        try:
            return data.decode(guess), f"{guess} (detected)"
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 with replacement characters"


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset a page declares in its head, or ``None``."""
    head = data[:_PRESCAN_LIMIT]
    body = _BODY_START.search(head)
    if body is not None:
        head = head[:body.start()]
    match = _DECLARED_CHARSET.search(head)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(name, name)


def _extract(html: str | bytes) -> tuple[str, str, str | None]:
    """(article text, why it is empty, how bytes were decoded)."""
    if isinstance(html, bytearray | memoryview):
        html = bytes(html)
    if not isinstance(html, str | bytes):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    encoding = None
    if isinstance(html, bytes):
        if not html.strip():
            return "", "empty input", None
        if looks_binary(html):
            return "", "binary data (NUL bytes), not an HTML page", None
        html, encoding = decode_html(html)
    if not html.strip():
        return "", "empty input", encoding
    if "<" not in html:
        return "", "not HTML: the input contains no markup", encoding
    try:
        text, note = _trafilatura(html)
    except Exception as exc:  # trafilatura must never take the caller down
        text, note = "", f"trafilatura failed on the page: {type(exc).__name__}: {exc}"
    return text, note, encoding


def _trafilatura(html: str) -> tuple[str, str]:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return "", "not HTML: the input could not be parsed as an HTML document"
    document = bare_extraction(tree, **TRAFILATURA_OPTIONS)
    if document is None or document.body is None:
        return "", "no article found: trafilatura extracted no main text from the page"
    blocks = _blocks(document.body)
    found = [line for block in blocks for line in block.splitlines()]
    if not found:
        return "", "no article found: trafilatura's main text is empty"
    if not any(is_body_paragraph(normalize(line)) for line in found):
        shown = ", ".join(repr(_clip(line)) for line in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        lines = f"{len(found)} line{'s' * (len(found) != 1)}"
        return "", (f"no article found: nothing trafilatura extracted ({lines}) reads "
                    f"like article prose (a sentence of {BODY_MIN_WORDS} words or more): "
                    f"{shown}{more}")
    title = " ".join((document.title or "").split())
    if title and not _starts_with(blocks, title):
        blocks.insert(0, title)
    return "\n\n".join(blocks) + "\n", ""


def _blocks(body: Any) -> list[str]:
    """The text of each top-level element of trafilatura's XML body (paragraph, heading,
    quote, list, table), in order; the lines inside a block stay together."""
    from trafilatura.xml import xmltotxt

    pieces = [body.text or ""] + [xmltotxt(child, False) for child in body]
    blocks = []
    for piece in pieces:
        lines = [line.rstrip() for line in piece.strip().splitlines()]
        if any(lines):
            blocks.append("\n".join(line for line in lines if line))
    return blocks


def _clip(line: str, width: int = 40) -> str:
    return line if len(line) <= width else line[:width - 1] + "…"


def _starts_with(blocks: list[str], title: str) -> bool:
    """True when one of the article's first lines already is the title."""
    wanted = normalize(title).casefold()
    first_lines = [line for block in blocks[:3] for line in block.splitlines()][:5]
    return any(normalize(line).lstrip("-• ").casefold() == wanted for line in first_lines)


__all__ = ["TRAFILATURA_OPTIONS", "HtmlCleanResult", "clean_html", "clean_html_and_explain",
           "declared_charset", "decode_html", "extract_html"]
