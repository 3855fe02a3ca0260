"""Measure the cleaner on the article-extraction benchmark (a script, not a test).

    .venv/bin/python bench/quality.py [FOLDER] [--limit N] [--json FILE]

FOLDER (default: ../shared/bench/articles next to the repository) holds README.md,
ground-truth.json ``{id: {"articleBody", "url"}}``, extractor-outputs.json
``{extractor: {id: {"articleBody"}}}`` and html/<id>.html.gz.

The metric is the benchmark's own (Scrapinghub's article-extraction-benchmark,
evaluate.py), written again here: tokens are ``\\w+`` runs, case kept; a document's
shingles are its runs of 4 consecutive tokens (a document shorter than that is one
shingle); per document, true positives, false positives and false negatives are counted
over shingles and scaled to sum to 1; precision is averaged over the documents with a
non-empty prediction, recall over the documents with a non-empty ground truth, and F1 is
computed from the averaged precision and recall. An empty prediction therefore counts
as zero recall and does not count for precision.

Printed: per extractor, P/R/F1 of its raw output, of ``clean()`` applied to it, and the
difference; the same for ``clean_html()`` on the raw pages against trafilatura alone
(``extract_html()``: same options, no cleaning); every removed line that belongs to the
ground-truth body (see ``Body.contains``); and the lines most often left after cleaning
that do not belong to the body.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # measure this working tree's cleaner
    sys.path.insert(0, str(ROOT))

from cleaner import clean_and_explain  # noqa: E402
from cleaner.html import clean_html_and_explain, extract_html  # noqa: E402
from cleaner.lines import normalize  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "bench" / "articles"
SHINGLE_SIZE = 4
TOP_LEFTOVERS = 40
HTML_CLEANED = "clean_html"
# Extractors that print the whole page (menus, footers) rather than an article: their
# leftovers are listed, and listed apart, so that they do not hide the others.
PAGE_DUMPS = frozenset({"html-text"})

# Figures for the whole benchmark (both halves), quoted in the folder's README.
PUBLISHED = {
    "trafilatura": (0.938, 0.978, 0.958),
    "readability_js": (0.914, 0.982, 0.947),
    "html-text": (0.500, 0.994, 0.665),
}

_TOKEN = re.compile(r"\w+")


# --- the metric ------------------------------------------------------------------------

def tokenize(text: str) -> list[str]:
    """Word tokens as the benchmark counts them: runs of ``\\w``, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The document's runs of ``size`` consecutive tokens, with their counts; a shorter
    document is a single shorter shingle, an empty one has none."""
    tokens = tokenize(text)
    return Counter(tuple(tokens[i:i + size])
                   for i in range(max(1, len(tokens) - size + 1)) if tokens[i:i + size])


def match(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingles, scaled to sum to 1 so long documents weigh no more."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    documents: int       # documents scored
    empty: int           # of which the prediction was empty

    def delta(self, before: Scores) -> dict[str, float]:
        return {"precision": self.precision - before.precision,
                "recall": self.recall - before.recall, "f1": self.f1 - before.f1}


def score(pairs: Sequence[tuple[str, str]]) -> Scores:
    """Benchmark scores of (ground truth, prediction) pairs."""
    counts = [match(true, pred) for true, pred in pairs]
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    empty = sum(1 for _, pred in pairs if not tokenize(pred))
    return Scores(p, r, f1, len(pairs), empty)


# --- body membership -------------------------------------------------------------------

class Body:
    """A ground-truth body, ready for "does this line belong to it?" questions."""

    def __init__(self, text: str) -> None:
        self.key = _key(text)
        self.paragraphs = {_key(line) for line in text.splitlines()} - {""}
        self.shingles = set(shingles(text))

    def contains(self, line: str) -> bool:
        """True when the line belongs to the body: its normalized text (word tokens,
        space-separated) occurs in the normalized body, or, for a line of at least
        SHINGLE_SIZE tokens, most of its shingles do (the same paragraph, give or take
        an inline element an extractor or the annotator left out). A line without word
        tokens never belongs."""
        key = _key(line)
        if not key:
            return False
        if key in self.key:
            return True
        own = shingles(line)
        if len(tokenize(line)) < SHINGLE_SIZE or not own:
            return False
        return sum(1 for s in own if s in self.shingles) * 2 >= len(own)

    def has_paragraph(self, line: str) -> bool:
        """True when the line is a whole paragraph (line) of the body."""
        return _key(line) in self.paragraphs


def _key(text: str) -> str:
    tokens = tokenize(text)
    return f" {' '.join(tokens)} " if tokens else ""


# --- the run ---------------------------------------------------------------------------

@dataclass
class Benchmark:
    folder: Path
    truth: dict[str, str]                  # id -> ground-truth body
    outputs: dict[str, dict[str, str]]     # extractor -> id -> extracted text
    ids: list[str]

    def html(self, page: str) -> bytes:
        with gzip.open(self.folder / "html" / f"{page}.html.gz") as handle:
            return handle.read()


def load(folder: Path, limit: int | None = None) -> Benchmark:
    truth_raw = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    outputs_raw = json.loads((folder / "extractor-outputs.json").read_text(encoding="utf-8"))
    ids = sorted(truth_raw)[:limit] if limit is not None else sorted(truth_raw)
    truth = {k: truth_raw[k].get("articleBody") or "" for k in ids}
    outputs = {name: {k: (docs.get(k) or {}).get("articleBody") or "" for k in ids}
               for name, docs in outputs_raw.items()}
    return Benchmark(folder, truth, outputs, ids)


@dataclass
class Report:
    pages: int
    seconds: float = 0.0
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    leftovers: list[dict[str, Any]] = field(default_factory=list)
    leftovers_without_page_dumps: list[dict[str, Any]] = field(default_factory=list)


def run(bench: Benchmark) -> Report:
    """Score every extractor before and after cleaning, and clean_html on the pages."""
    started = time.perf_counter()
    report = Report(pages=len(bench.ids))
    bodies = {k: Body(v) for k, v in bench.truth.items()}
    # every leftover line: where it was seen, as (source, page) pairs
    seen: dict[str, list[tuple[str, str]]] = {}

    def account(source: str, page: str, removals: Sequence[Any], cleaned: str) -> None:
        body = bodies[page]
        for r in removals:
            if body.contains(r.text):
                report.false_positives.append({
                    "page": page, "source": source, "rule": r.rule_id,
                    "category": r.category, "line": normalize(r.text),
                    "words": len(tokenize(r.text)),
                    "whole_paragraph": body.has_paragraph(r.text)})
        for line in cleaned.splitlines():
            text = normalize(line)
            if text and not body.contains(text):
                seen.setdefault(text, []).append((source, page))

    for name, docs in bench.outputs.items():
        raw_pairs, clean_pairs = [], []
        for page in bench.ids:
            result = clean_and_explain(docs[page])
            raw_pairs.append((bench.truth[page], docs[page]))
            clean_pairs.append((bench.truth[page], result.text))
            account(name, page, result.removals, result.text)
        report.figures[name] = _figures(score(raw_pairs), score(clean_pairs))

    raw_pairs, clean_pairs = [], []
    for page in bench.ids:
        html = bench.html(page)
        result = clean_html_and_explain(html)
        raw_pairs.append((bench.truth[page], extract_html(html)))
        clean_pairs.append((bench.truth[page], result.text))
        account(HTML_CLEANED, page, result.removals, result.text)
    report.figures[HTML_CLEANED] = _figures(score(raw_pairs), score(clean_pairs))

    report.leftovers = _most_frequent(seen, lambda source: True)
    report.leftovers_without_page_dumps = _most_frequent(
        seen, lambda source: source not in PAGE_DUMPS)
    report.seconds = time.perf_counter() - started
    return report


def _most_frequent(seen: dict[str, list[tuple[str, str]]],
                   keep: Callable[[str], bool]) -> list[dict[str, Any]]:
    """The TOP_LEFTOVERS lines seen on the most pages (then most often), counting only
    the sources ``keep`` accepts."""
    rows = []
    for text, where in seen.items():
        kept = [(source, page) for source, page in where if keep(source)]
        if kept:
            rows.append({"line": text, "count": len(kept),
                         "pages": len({page for _, page in kept}),
                         "sources": sorted({source for source, _ in kept})})
    rows.sort(key=lambda row: (-row["pages"], -row["count"], row["line"]))
    return rows[:TOP_LEFTOVERS]


def _figures(raw: Scores, cleaned: Scores) -> dict[str, Any]:
    return {"raw": asdict(raw), "cleaned": asdict(cleaned), "delta": cleaned.delta(raw)}


# --- output ----------------------------------------------------------------------------

def _row(name: str, fig: dict[str, Any]) -> str:
    raw, cln, d = fig["raw"], fig["cleaned"], fig["delta"]
    cells = [f"{raw[k]:.3f}" for k in ("precision", "recall", "f1")]
    cells += [f"{cln[k]:.3f}" for k in ("precision", "recall", "f1")]
    cells += [f"{d[k]:+.3f}".rjust(6) for k in ("precision", "recall", "f1")]
    empties = f"{raw['empty']}/{cln['empty']}"
    return f"{name:<16} " + "  ".join(cells) + f"  {empties:>7}"


def print_report(report: Report, out: Any = None) -> None:
    """Print the report (to stdout unless ``out`` is given)."""
    def say(text: str = "") -> None:
        print(text, file=out or sys.stdout)

    say(f"{report.pages} pages, {report.seconds:.1f} s")
    say()
    head = "  ".join(f"{h:>5}" for h in ("P", "R", "F1") * 2) + "  " + \
        "  ".join(f"{h:>6}" for h in ("dP", "dR", "dF1"))
    say(f"{'':<16} {'raw':<19}  {'cleaned':<19}  {'delta':<22}  {'empty':>7}")
    say(f"{'source':<16} {head}  raw/cln")
    for name, fig in report.figures.items():
        if name == HTML_CLEANED:
            say()
            say("raw = extract_html(page): trafilatura with the pinned options, no cleaning; "
                "cleaned = clean_html(page)")
        say(_row(name, fig))
    published = [name for name in PUBLISHED if name in report.figures]
    if published:
        say()
        say("metric check: raw scores here vs the published full-set figures (P / R / F1)")
    for name in published:
        p, r, f1 = PUBLISHED[name]
        raw = report.figures[name]["raw"]
        say(f"  {name:<16} here {raw['precision']:.3f} / {raw['recall']:.3f} / "
            f"{raw['f1']:.3f}   published {p:.3f} / {r:.3f} / {f1:.3f}")
    say()
    say(f"removed lines that belong to the ground-truth body ({len(report.false_positives)}; "
        "P = a whole paragraph of the body, s = 3 words or fewer, may be a chance match)")
    for fp in report.false_positives:
        flags = ("P" if fp["whole_paragraph"] else " ") + ("s" if fp["words"] <= 3 else " ")
        say(f"  {flags} {fp['page'][:12]}  {fp['source']:<15} {fp['rule']:<7} "
            f"{_clip(fp['line'])!r}")
    for title, items in (
            ("all sources", report.leftovers),
            (f"without {', '.join(sorted(PAGE_DUMPS))}", report.leftovers_without_page_dumps)):
        say()
        say(f"lines most often left after cleaning that are not in the body, {title} "
            f"(top {TOP_LEFTOVERS} by pages, then count: count, pages, line, sources)")
        for item in items:
            say(f"  {item['count']:>4} {item['pages']:>3}  {_clip(item['line'], 70)!r}  "
                f"[{', '.join(item['sources'])}]")


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the report, write ``--json``; return the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER,
                        help=f"the benchmark folder (default: {DEFAULT_FOLDER})")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="only the first N pages (by id), for a quick run")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    args = parser.parse_args(argv)
    # trafilatura logs every page it finds no article in; the report says enough
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    report = run(load(args.folder, args.limit))
    print_report(report)
    data = asdict(report)
    data["published"] = {k: dict(zip(("precision", "recall", "f1"), v, strict=True))
                         for k, v in PUBLISHED.items()}
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return data


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # `bench/quality.py | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
