"""Cleaning speed, stage by stage, against the floor of splitting and joining lines.

The workload is real extractor output (the benchmark's `extractor-outputs.json`) with
every 25th document turned into mojibake (UTF-8 read as Windows-1252). Each stage runs
on one core; the figure is the median of --repeat rounds, in each of which every stage
runs once (the machine's speed drifts, and so it drifts for all stages alike), in MB/s
of input, with its ratio to the floor measured in the same rounds:

- floor: `text.splitlines()` + `"\\n".join()`;
- encoding check: the one look at a document that decides whether it needs repair;
- encoding repair: the repair of the documents that need it (their size counts), and
  its share of clean()'s time;
- matching: the rule engine alone, on documents already split into lines;
- clean(): the whole pipeline with the shipped rules, and with the rule set doubled
  (a synthetic copy of every rule), to show the cost of more rules; and clean() on each
  extractor's output alone, with how many lines it has per MB (not blank; short ones,
  that are not body paragraphs; and those the cleaner removes): the cost of a document
  grows with its lines, short ones most;
- clean() with no rules: what the pipeline costs around the rules (the encoding check
  and repair, normalizing, splitting into lines, finding the body, joining);
- clean_html() overhead: cleaning time as a share of extraction time on the
  benchmark's HTML pages;
- corpus mode: `cleaner clean corpus.jsonl -o out.jsonl` in a fresh process, end to
  end (start-up, reading, cleaning, writing), one process; and start-up alone, and the
  time a fresh process takes to clean its first documents;
- linearity: time per MB of clean() on growing inputs (real text repeated, a 1 MB line
  of one character, a phrase fragment repeated on one line and on many lines).

    python bench/speed.py ../shared/bench/articles
    python bench/speed.py ../shared/bench/articles --json speed.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cleaner import CleanerConfig, clean, clean_and_explain
from cleaner.encoding import needs_repair, repair_lines
from cleaner.html import extract_html
from cleaner.lines import is_body_paragraph, normalize, screen_form
from cleaner.pipeline import _PLAIN_CHECK, compile_config

# corpus mode: a fresh process is timed on this many documents
FIRST_DOCUMENTS = 30


def by_extractor(folder: Path) -> dict[str, list[str]]:
    outputs = json.loads((folder / "extractor-outputs.json").read_text(encoding="utf-8"))
    return {name: [doc.get("articleBody") or "" for doc in docs.values()]
            for name, docs in outputs.items()}


def workload(folder: Path) -> list[str]:
    texts = [text for texts in by_extractor(folder).values() for text in texts]
    # every 25th document as UTF-8 read as Windows-1252: mojibake to repair
    return [t.encode("utf-8").decode("cp1252", "replace") if i % 25 == 0 else t
            for i, t in enumerate(texts)]


def megabytes(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6


def line_counts(texts: list[str], config: CleanerConfig) -> dict[str, int]:
    """Lines that are not blank, short lines (not body paragraphs either), and lines the
    cleaner removes, per MB of ``texts``."""
    mb = megabytes(texts)
    lines = [norm for text in texts for norm in map(normalize, text.splitlines()) if norm]
    short = sum(not is_body_paragraph(line) for line in lines)
    removed = sum(len(clean_and_explain(text, config).removals) for text in texts)
    return {"lines_per_mb": round(len(lines) / mb), "short_lines_per_mb": round(short / mb),
            "removed_per_mb": round(removed / mb)}


def timed(stage: Callable[[], object], repeat: int) -> float:
    return timed_together({"stage": stage}, repeat)["stage"]


def timed_together(stages: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each stage, the stages run in turn in every round: the
    machine's speed drifts, and this way it drifts for all of them alike, which keeps
    their ratios honest."""
    runs: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(repeat):
        for name, stage in stages.items():
            start = time.perf_counter()
            stage()
            runs[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in runs.items()}


def doubled_rules(tmp: Path) -> CleanerConfig:
    """A configuration with a synthetic copy of every shipped rule file (new ids)."""
    from cleaner.rules import rule_files, shipped_rules_dir

    copies = []
    for path in rule_files(shipped_rules_dir()):
        text = path.read_text(encoding="utf-8").replace('id = "', 'id = "X')
        copy = tmp / f"copy-{path.name}"
        copy.write_text(text, encoding="utf-8")
        copies.append(copy)
    return CleanerConfig(rule_files=tuple(copies))


def cold(config: CleanerConfig) -> bool:
    """Forget the verdicts remembered from earlier runs, so that each run starts as a
    fresh process would (repeats between the workload's documents still count)."""
    compile_config(config).forget()
    return True


def matching_stage(texts: list[str], config: CleanerConfig) -> Callable[[], object]:
    """The rule engine alone: documents split, stripped and put in screen form first."""
    matcher = compile_config(config)
    prepared = []
    for text in texts:
        plain = _PLAIN_CHECK.search(text) is None
        lines = [line.rstrip() for line in text.split("\n")]
        prepared.append((lines, range(1, len(lines) + 1), screen_form(text, plain=plain)))
    return lambda: cold(config) and [matcher.find(*args) for args in prepared]


def html_overhead(folder: Path, repeat: int) -> dict:
    """Extraction time and cleaning time on the benchmark's HTML pages."""
    pages = [gzip.decompress(p.read_bytes()) for p in sorted((folder / "html").glob("*.html.gz"))]
    extracted = [extract_html(page) for page in pages]
    seconds = timed_together({
        "extract": lambda: [extract_html(page) for page in pages],
        "clean": lambda: cold(CleanerConfig()) and [clean(text) for text in extracted],
    }, repeat)
    extract_s, clean_s = seconds["extract"], seconds["clean"]
    return {"pages": len(pages), "extract_s": round(extract_s, 3),
            "clean_s": round(clean_s, 4), "overhead": round(clean_s / extract_s, 4)}


def corpus_mode(texts: list[str], size_mb: float, repeat: int) -> dict:
    """`cleaner clean corpus.jsonl -o out.jsonl`, one process, end to end."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "corpus.jsonl", Path(tmp) / "out.jsonl"
        records = [json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                   for i, t in enumerate(texts)]
        written = 0
        with src.open("w", encoding="utf-8") as handle:
            while written < size_mb * 1e6:
                for record in records:
                    handle.write(record)
                    written += len(record.encode("utf-8"))
        cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(dst),
               "--jobs", "1", "--quiet", "--no-config"]
        seconds = timed(lambda: subprocess.run(cmd, check=True), repeat)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import cleaner.pipeline as p; "
                        "p.compile_config(p.DEFAULT_CONFIG)"], check=True)
        startup = time.perf_counter() - start
        # the first documents of a fresh process also pay for compiling the rules they
        # meet (the shipped rules are compiled when a line first needs them)
        first = Path(tmp) / "first.json"
        first.write_text(json.dumps(texts[:FIRST_DOCUMENTS]), encoding="utf-8")
        script = ("import json, sys, time; from cleaner import clean; "
                  "texts = json.load(open(sys.argv[1], encoding='utf-8')); "
                  "start = time.perf_counter(); [clean(t) for t in texts]; "
                  "print(time.perf_counter() - start)")
        run = subprocess.run([sys.executable, "-c", script, str(first)], check=True,
                             capture_output=True, text=True)
        first_s = float(run.stdout)
    return {"mb": round(written / 1e6, 1), "seconds": round(seconds, 2),
            "mb_per_s": round(written / 1e6 / seconds, 2), "startup_s": round(startup, 2),
            "first_documents": min(FIRST_DOCUMENTS, len(texts)),
            "first_documents_s": round(first_s, 2)}


def linearity(texts: list[str], repeat: int) -> dict:
    """Milliseconds per MB of clean() at growing sizes, for several kinds of input."""
    article = "\n\n".join(texts[:40])
    kinds = {
        "real text": lambda n: (article * (n // len(article) + 1))[:n],
        "one character, one line": lambda n: "a" * n,
        "phrase fragment, one line": lambda n: ("Share this article " * n)[:n],
        "phrase fragment, many lines": lambda n: ("Share this\n" * n)[:n],
    }
    out = {}
    for kind, make in kinds.items():
        row = {}
        for size in (250_000, 500_000, 1_000_000, 2_000_000):
            text = make(size)
            seconds = timed(lambda t=text: cold(CleanerConfig()) and clean(t), repeat)
            row[size] = round(seconds * 1e3 / (size / 1e6), 1)
        out[kind] = row
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", default="../shared/bench/articles", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus-mb", type=float, default=20.0,
                        help="size of the JSONL corpus for the corpus-mode stage")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    texts = workload(args.bench)
    mb = megabytes(texts)
    base = CleanerConfig()
    extractors = by_extractor(args.bench)
    with tempfile.TemporaryDirectory() as tmp:
        double = doubled_rules(Path(tmp))
        none = CleanerConfig(builtin_rules=False)
        for config in (base, double, none):  # compiled, and every rule used once
            [clean(t, config) for t in texts]
        stages = {
            "floor (splitlines + join)": lambda: ["\n".join(t.splitlines()) for t in texts],
            "encoding check": lambda: [_PLAIN_CHECK.search(t) for t in texts],
            "matching (rule engine)": matching_stage(texts, base),
            "clean()": lambda: cold(base) and [clean(t, base) for t in texts],
            "clean(), rules doubled": lambda: cold(double) and [clean(t, double) for t in texts],
            "clean(), no rules": lambda: [clean(t, none) for t in texts],
        }
        for name, docs in extractors.items():
            stages[name] = lambda d=docs: cold(base) and [clean(t, base) for t in d]
        broken = [t for t in texts if needs_repair(t)]
        stages["encoding repair"] = lambda: [repair_lines(t.split("\n")) for t in broken]
        seconds = timed_together(stages, args.repeat)
    floor = mb / seconds["floor (splitlines + join)"]
    print(f"{len(texts)} documents, {mb:.2f} MB, median of {args.repeat} rounds (every stage "
          "once per round), one core")
    results: dict = {"documents": len(texts), "mb": round(mb, 3), "stages": {}}
    for name, secs in seconds.items():
        if name in extractors or name == "encoding repair":
            continue
        rate = mb / secs
        results["stages"][name] = {"mb_per_s": round(rate, 2),
                                   "ratio_to_floor": round(rate / floor, 4)}
        print(f"  {name:<28} {rate:9.2f} MB/s   {rate / floor:8.4f} x floor")
    stages_out = results["stages"]
    cost = 1 - stages_out["clean(), rules doubled"]["mb_per_s"] / stages_out["clean()"]["mb_per_s"]
    results["doubling_cost"] = round(cost, 3)
    print(f"  doubling the rules costs {cost:.0%} of the throughput")
    repair_mb = megabytes(broken)
    repair = {"documents": len(broken), "mb": round(repair_mb, 3),
              "mb_per_s": round(repair_mb / seconds["encoding repair"], 2),
              "share_of_clean": round(seconds["encoding repair"] / seconds["clean()"], 3)}
    results["encoding_repair"] = repair
    print(f"  encoding repair of the {repair['documents']} documents that need it "
          f"({repair['mb']:.2f} MB): {repair['mb_per_s']:.2f} MB/s, "
          f"{repair['share_of_clean']:.0%} of clean()'s time")

    results["clean_by_extractor"] = {}
    print("clean() by extractor (no mojibake added); per MB, its lines (not blank), its "
          "short lines (not body paragraphs) and the lines removed:")
    for name, docs in extractors.items():
        rate = megabytes(docs) / seconds[name]
        counts = line_counts(docs, base)
        results["clean_by_extractor"][name] = {
            "mb_per_s": round(rate, 2), "ratio_to_floor": round(rate / floor, 4), **counts}
        print(f"  {name:<16} {rate:7.2f} MB/s {rate / floor:7.4f} x floor"
              f"  {counts['lines_per_mb']:6} lines, {counts['short_lines_per_mb']:6} short,"
              f" {counts['removed_per_mb']:5} removed")

    html = html_overhead(args.bench, max(1, args.repeat // 2))
    results["clean_html"] = html
    print(f"clean_html(): extraction {html['extract_s']:.2f} s for {html['pages']} pages, "
          f"cleaning {html['clean_s']:.3f} s: cleaning adds {html['overhead']:.1%}")

    corpus = corpus_mode(texts, args.corpus_mb, max(1, args.repeat // 2))
    results["corpus_mode"] = corpus
    print(f"corpus mode, one process: {corpus['mb']} MB in {corpus['seconds']} s = "
          f"{corpus['mb_per_s']} MB/s end to end (start-up {corpus['startup_s']} s; a fresh "
          f"process cleans its first {corpus['first_documents']} documents in "
          f"{corpus['first_documents_s']} s, compiling the rules they meet)")

    lin = linearity(texts, max(1, args.repeat // 2))
    results["linearity_ms_per_mb"] = lin
    print("linearity, clean() in ms per MB at 0.25 / 0.5 / 1 / 2 MB:")
    for kind, row in lin.items():
        print(f"  {kind:<30} " + "  ".join(f"{v:8.1f}" for v in row.values()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
