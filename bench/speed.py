"""Cleaning speed, stage by stage, against the floor of splitting and joining lines.

The workload is real extractor output (the benchmark's `extractor-outputs.json`) with a
few percent of documents turned into mojibake. Each stage runs on one core; the figure
is the median of --repeat runs, in MB/s of input, with its ratio to the floor measured in
the same run:

- floor: `text.splitlines()` + `"\\n".join()`;
- encoding check: the screen that decides which lines ftfy sees;
- clean(): the whole pipeline with the shipped rules;
- clean() with the rule set doubled (synthetic copies of every rule), to show the cost of
  more rules.

    python bench/speed.py ../shared/bench/articles
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cleaner import CleanerConfig, clean
from cleaner.encoding import needs_repair
from cleaner.pipeline import compile_config


def workload(folder: Path) -> list[str]:
    outputs = json.loads((folder / "extractor-outputs.json").read_text(encoding="utf-8"))
    texts = [doc.get("articleBody") or "" for docs in outputs.values() for doc in docs.values()]
    # every 25th document as UTF-8 read as Windows-1252: mojibake to repair
    return [t.encode("utf-8").decode("cp1252", "replace") if i % 25 == 0 else t
            for i, t in enumerate(texts)]


def timed(stage: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        stage()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", default="../shared/bench/articles", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    texts = workload(args.bench)
    mb = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
    base = CleanerConfig()
    compile_config(base)
    with tempfile.TemporaryDirectory() as tmp:
        double = doubled_rules(Path(tmp))
        compile_config(double)
        stages = {
            "floor (splitlines + join)": lambda: [("\n".join(t.splitlines())) for t in texts],
            "encoding check": lambda: [needs_repair(t) for t in texts],
            "clean()": lambda: [clean(t, base) for t in texts],
            "clean(), rules doubled": lambda: [clean(t, double) for t in texts],
        }
        seconds = {name: timed(stage, args.repeat) for name, stage in stages.items()}
    floor = mb / seconds["floor (splitlines + join)"]
    print(f"{len(texts)} documents, {mb:.2f} MB, median of {args.repeat} runs, one core")
    results = {}
    for name, secs in seconds.items():
        rate = mb / secs
        results[name] = {"mb_per_s": round(rate, 2), "ratio_to_floor": round(rate / floor, 4)}
        print(f"  {name:<28} {rate:9.2f} MB/s   {rate / floor:8.4f} x floor")
    cost = 1 - results["clean(), rules doubled"]["mb_per_s"] / results["clean()"]["mb_per_s"]
    print(f"  doubling the rules costs {cost:.0%} of the throughput")
    return results


if __name__ == "__main__":
    main()
