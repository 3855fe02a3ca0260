"""clean_html(): trafilatura finds the article, the text rules remove the boilerplate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner import CleanResult
from cleaner.html import (
    HtmlCleanResult,
    clean_html,
    clean_html_and_explain,
    declared_charset,
    decode_html,
    extract_html,
)

PARAS = [
    "The city council voted on Tuesday to rebuild the old river bridge, which has been "
    "closed to lorries since a flood damaged two of its piers last spring.",
    "Engineers told the council that the new bridge would take three years to build and "
    "would cost about 40 million euros, most of it paid by the regional government.",
    "Shop owners on both banks said the closure had cost them customers for more than a "
    "year, and asked the council to open a temporary footbridge as soon as possible.",
    "The mayor said work on the footbridge would begin next month and that the main "
    "bridge should open to traffic again before the end of the decade.",
]


def page(article: str, *, title: str = "Council votes to rebuild river bridge",
         head: str = "", after: str = "") -> str:
    """A news page: navigation, the article, then whatever comes after it."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Riverside Gazette</title>
{head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>{title}</h1>
{article}
</article>
{after}
</main>
<footer><p>© 2024 Riverside Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def paras(*texts: str) -> str:
    return "\n".join(f"<p>{t}</p>" for t in texts)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def assert_article_kept(text: str) -> None:
    """Every paragraph of the article is in the output, each as a line of its own."""
    for para in PARAS:
        assert para in lines(text)


# --- boilerplate inside the article -----------------------------------------------------

def test_advertisement_lines_go_and_the_article_stays() -> None:
    html = page(paras(PARAS[0]) + '<div class="ad-label"><p>- Advertisement -</p></div>'
                + paras(PARAS[1]) + '<div class="story-ad"><span>Advertisement</span></div>'
                + paras(PARAS[2]) + "<p>Story continues below advertisement</p>"
                + paras(PARAS[3]) + "<div>Ad imageAd image</div>")
    result = clean_html_and_explain(html)
    # trafilatura drops the first by its class, and leaves the others to the rules
    assert "Advertisement" in result.extracted and "Ad image" in result.extracted
    assert "dvertisement" not in result.text and "Ad image" not in result.text
    assert {r.category for r in result.removals} == {"ads"}
    assert len(result.removals) == 3
    assert_article_kept(result.text)
    assert lines(result.text)[0] == "Council votes to rebuild river bridge"


def test_related_links_box_goes() -> None:
    related = ("<h3>Related Articles</h3><ul>"
               '<li><a href="/a">Ferry service to resume in the spring</a></li>'
               '<li><a href="/b">Old town square gets new lights</a></li>'
               '<li><a href="/c">Council approves budget for schools</a></li></ul>')
    html = page(paras(PARAS[0], PARAS[1]) + related + paras(PARAS[2], PARAS[3]))
    result = clean_html_and_explain(html)
    assert "Ferry service" in result.extracted
    for gone in ("Related Articles", "Ferry service", "Old town square",
                 "Council approves budget"):
        assert gone not in result.text
    assert {r.category for r in result.removals} == {"related"}
    assert_article_kept(result.text)


def test_list_items_in_the_article_are_kept_as_lines() -> None:
    items = ["Two new piers in the river bed", "A wider lane for bicycles",
             "Lights powered by solar panels"]
    html = page(paras(PARAS[0], "The new bridge will have:")
                + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
                + paras(PARAS[1], PARAS[2], PARAS[3]))
    text = clean_html(html)
    assert_article_kept(text)
    # one line per item, directly under one another: the shape the block rules read
    body = text.splitlines()
    first = body.index(f"- {items[0]}")
    assert body[first:first + 3] == [f"- {i}" for i in items]
    assert body[first - 2:first] == ["The new bridge will have:", ""]


def test_comment_section_goes() -> None:
    comments = """<section id="comments" class="comments-area">
<h3>3 Comments</h3>
<div class="comment"><p>Great news, about time they fixed it!</p></div>
<div class="comment"><p>Who is going to pay for all of this, I wonder?</p></div>
<div id="respond"><h3>Leave a Reply</h3>
<p>Your email address will not be published. Required fields are marked *</p>
<form><label>Comment</label><textarea></textarea><label>Name *</label><input>
<p>Save my name, email, and website in this browser for the next time I comment.</p>
<input type="submit" value="Post Comment"></form></div></section>"""
    html = page(paras(*PARAS), after=comments)
    text = clean_html(html)
    assert_article_kept(text)
    for gone in ("Great news", "Who is going to pay", "Leave a Reply", "email address",
                 "Save my name", "Comments"):
        assert gone not in text


@pytest.mark.parametrize("byline", [
    "<p>By Jane Doe</p><p>By Jane Doe</p><p>Published: March 3, 2024</p>",
    "<p>Jane Doe</p><p>Jane Doe</p><p>Last Updated: July 21, 2025, 18:45 IST</p>"
    "<p>5 min read</p>",
])
def test_bylines_go_and_the_headline_stays_first(byline: str) -> None:
    result = clean_html_and_explain(page(byline + paras(*PARAS)))
    assert "Jane Doe" in result.extracted
    assert "Jane Doe" not in result.text
    assert "Published" not in result.text and "Updated" not in result.text
    assert "min read" not in result.text
    assert {r.category for r in result.removals} == {"bylines"}
    assert lines(result.text)[0] == "Council votes to rebuild river bridge"
    assert result.text.count("Council votes to rebuild river bridge") == 1
    assert_article_kept(result.text)


def test_title_line_is_added_when_the_article_lacks_it() -> None:
    html = page(paras(*PARAS)).replace("<h1>Council votes to rebuild river bridge</h1>", "")
    text = clean_html(html)
    assert lines(text)[0] == "Council votes to rebuild river bridge"
    assert text.startswith("Council votes to rebuild river bridge\n\n" + PARAS[0])


def test_paragraphs_are_separated_by_blank_lines() -> None:
    text = clean_html(page(paras(*PARAS)))
    assert "\n\n".join(PARAS) + "\n" in text
    assert "\n\n\n" not in text


def test_overrides_reach_the_text_rules() -> None:
    html = page(paras(PARAS[0], PARAS[1]) + "<p>- Advertisement -</p>" + paras(PARAS[2]))
    assert "- Advertisement -" in clean_html(html, disable={"ads"})
    assert "Advertisement" not in clean_html(html)
    with pytest.raises(TypeError):
        clean_html(html, no_such_option=True)
    with pytest.raises(ValueError):
        clean_html("", disable={"no-such-rule"})


def test_same_page_gives_the_same_text_every_time() -> None:
    # trafilatura's deduplication would drop the page from the fourth call on
    html = page(paras(*PARAS))
    first = clean_html(html)
    assert first
    assert all(clean_html(html) == first for _ in range(5))


# --- pages without an article -----------------------------------------------------------

def test_page_without_article_gives_empty_text_and_says_why() -> None:
    html = ('<!DOCTYPE html><html><head><title>App</title></head><body>'
            '<div id="root"></div><script src="/bundle.js"></script></body></html>')
    result = clean_html_and_explain(html)
    assert isinstance(result, HtmlCleanResult) and isinstance(result, CleanResult)
    assert result.text == "" and result.removals == []
    assert result.note.startswith("no article found: trafilatura extracted no main text")
    assert clean_html(html) == ""


@pytest.mark.parametrize("body", [
    # a client-side app: trafilatura falls back on the <noscript> text
    '<div id="root"></div><noscript>You need to enable JavaScript to run this app.'
    "</noscript>",
    # a menu and a footer: trafilatura falls back on the links
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
    "<li><a href='/sport'>Sport</a></li><li><a href='/weather'>Weather</a></li></ul></nav>"
    "<footer><p>© 2024 Example Media. All rights reserved.</p></footer>",
])
def test_page_without_prose_has_no_article(body: str) -> None:
    html = f"<!DOCTYPE html><html><head><title>Site</title></head><body>{body}</body></html>"
    result = clean_html_and_explain(html)
    assert result.text == "" and result.extracted == ""
    assert result.note.startswith("no article found: nothing trafilatura extracted")
    assert "reads like article prose" in result.note


def test_page_of_nothing_but_boilerplate_says_so() -> None:
    cookie = ("We use cookies to ensure you get the best experience on our website. "
              "By continuing to browse, you agree to our use of cookies.")
    html = page(paras(cookie, "Share on Facebook", "- Advertisement -"),
                title="Advertisement")
    result = clean_html_and_explain(html)
    assert result.text == ""
    assert cookie in result.extracted
    assert result.note == "every extracted line was boilerplate (4 removed; see removals)"
    assert {r.category for r in result.removals} == {"ads", "cookies", "share"}


# --- encodings ----------------------------------------------------------------------------

CP1252_PAGE = """<html><head><meta charset="windows-1252"><title>Le café</title></head>
<body><article><h1>Un café à Noël</h1>
<p>Le café “Chez Zoé” est très apprécié : une crème brûlée coûte 5 €, dit la propriétaire,
qui a rouvert sa façade rénovée après trois mois de travaux — un vrai soulagement.</p>
<p>Les habitués, dont un naïf étudiant en œnologie, disent que l’ambiance n’a pas changé
et que le pain est toujours livré à l’aube par le boulanger du quartier voisin.</p>
</article></body></html>"""


def test_windows_1252_page_declared_in_meta_tag() -> None:
    data = CP1252_PAGE.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = clean_html_and_explain(data)
    for word in ("café “Chez Zoé”", "crème brûlée coûte 5 €", "façade", "naïf",
                 "œnologie", "l’ambiance n’a", "— un vrai"):
        assert word in result.text
    assert "Ã" not in result.text and "\ufffd" not in result.text
    assert result.encoding == "cp1252 (declared by the page)"
    assert result.repairs == []


def test_iso_8859_1_label_is_read_as_windows_1252() -> None:
    # browsers read an ISO-8859-1 page as Windows-1252: 0x93/0x94 are curly quotes
    text = ("<html><head><meta http-equiv='Content-Type' content='text/html; "
            "charset=iso-8859-1'></head><body><article>"
            + paras("El Señor Núñez dijo “sí” a la propuesta del ayuntamiento de "
                    "construir un puente nuevo sobre el río antes del año próximo.") * 2
            + "</article></body></html>")
    result = clean_html_and_explain(text.encode("cp1252"))
    assert "Señor Núñez dijo “sí”" in result.text
    assert result.encoding == "cp1252 (declared by the page)"


def test_valid_utf8_wins_over_a_wrong_declaration() -> None:
    html = CP1252_PAGE.replace("windows-1252", "iso-8859-1")
    result = clean_html_and_explain(html.encode("utf-8"))
    assert "crème brûlée coûte 5 €" in result.text
    assert result.encoding == "utf-8 (valid UTF-8)"


def test_declared_charset_and_decoding() -> None:
    assert declared_charset(b'<meta charset="windows-1252">') == "cp1252"
    assert declared_charset(b"<meta charset=ISO-8859-1>") == "cp1252"
    assert declared_charset(b'<meta content="text/html; charset=koi8-r" '
                            b'http-equiv="Content-Type">') == "koi8-r"
    assert declared_charset(b'<?xml version="1.0" encoding="iso-8859-15"?>') == "iso8859-15"
    assert declared_charset(b"<meta charset=no-such-charset>") is None
    assert declared_charset(b"<html><body><p>charset=cp1252</p><meta charset=koi8-r>") \
        is None
    assert decode_html("café".encode("utf-8-sig"))[0] == "café"
    assert decode_html("<p>café</p>".encode("utf-16"))[0] == "<p>café</p>"


# --- input that is not a page -----------------------------------------------------------

@pytest.mark.parametrize("html", ["", "   \n", b"", b" \r\n "])
def test_empty_input(html: str | bytes) -> None:
    result = clean_html_and_explain(html)
    assert result.text == "" and result.note == "empty input"
    assert clean_html(html) == ""


GARBAGE = [
    bytes(range(256)) * 8,                       # every byte, NULs included
    bytes(range(1, 256)) * 8,                    # every byte but NUL
    b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 20,
    b"\x1f\x8b\x08\x00" + b"\xff" * 500,          # a broken gzip header
    b"\xff\xfe" + b"\x00<" * 300,                 # a UTF-16 mark and junk
    b"<" * 5000 + b">" * 5000,
    b"<html><body><p>" * 2000,                    # deeply nested, never closed
    "<html><body>\ud800\x00\x07</body></html>",   # lone surrogate, NUL, BEL
    "just some words, no markup at all",
]


@pytest.mark.parametrize("html", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_does_not_crash(html: str | bytes) -> None:
    result = clean_html_and_explain(html)
    assert isinstance(result.text, str)
    assert result.text == "" and result.note


def test_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError):
        clean_html(None)  # type: ignore[arg-type]


def test_extract_html_is_the_text_before_cleaning() -> None:
    html = page(paras(PARAS[0]) + "<p>- Advertisement -</p>" + paras(PARAS[1]))
    assert extract_html(html) == clean_html_and_explain(html).extracted
    assert "- Advertisement -" in extract_html(html)
    assert extract_html(b"") == ""


def test_only_cleaner_html_imports_trafilatura() -> None:
    package = Path(__file__).resolve().parent.parent / "cleaner"
    importers = sorted(p.name for p in package.glob("*.py")
                       if re.search(r"^\s*(from|import)\s+trafilatura", p.read_text(),
                                    re.MULTILINE))
    assert importers == ["html.py"]
