"""Corpus mode throughput and memory: `cleaner clean corpus.jsonl -o out.jsonl`.

Builds JSONL corpora of the requested sizes from real extractor output (the benchmark's
`extractor-outputs.json`, repeated), runs the command line on each with --jobs 1 and
--jobs N, and prints MB/s, the speed-up, and the peak resident memory of the largest
(main) process. Checks that every run's output is byte-identical to the --jobs 1 output.

    python bench/corpus_speed.py ../shared/bench/articles --sizes 10 200 --jobs 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(folder: Path, size_mb: float, target: Path) -> int:
    outputs = json.loads((folder / "extractor-outputs.json").read_text(encoding="utf-8"))
    records = [json.dumps({"id": f"{name}/{page}", "text": doc.get("articleBody") or "",
                           "source": name}, ensure_ascii=False)
               for name, docs in outputs.items() for page, doc in docs.items()]
    written, n = 0, 0
    with target.open("w", encoding="utf-8") as handle:
        while written < size_mb * 1e6:
            line = records[n % len(records)] + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return written


def run(src: Path, dst: Path, jobs: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `cleaner clean` run in a fresh process."""
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(dst), "--jobs",
           str(jobs), "--quiet", "--no-config"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {status}")
    # peak RSS of the main process (each --jobs worker is a fork of it, of similar size)
    return seconds, usage.ru_maxrss / 1024


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", default="../shared/bench/articles", type=Path)
    parser.add_argument("--sizes", nargs="+", type=float, default=[10.0, 200.0],
                        help="corpus sizes in MB (default: 10 200)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            src = Path(tmp) / f"corpus-{size:g}.jsonl"
            nbytes = build(args.bench, size, src)
            row = {"bytes": nbytes}
            hashes = set()
            for jobs in sorted({1, args.jobs}):
                dst = Path(tmp) / f"out-{size:g}-{jobs}.jsonl"
                seconds, rss = run(src, dst, jobs)
                hashes.add(digest(dst))
                row[f"jobs{jobs}"] = {"seconds": round(seconds, 2),
                                      "mb_per_s": round(nbytes / 1e6 / seconds, 2),
                                      "peak_rss_mb": round(rss, 1)}
                dst.unlink()
            row["identical_output"] = len(hashes) == 1
            if args.jobs != 1:
                row["speedup"] = round(row["jobs1"]["seconds"] /
                                       row[f"jobs{args.jobs}"]["seconds"], 2)
            results[f"{size:g}MB"] = row
            src.unlink()
            line = f"{size:>6g} MB:"
            for jobs in sorted({1, args.jobs}):
                r = row[f"jobs{jobs}"]
                line += (f"  --jobs {jobs}: {r['mb_per_s']:6.2f} MB/s "
                         f"({r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB)")
            if "speedup" in row:
                line += f"  speed-up {row['speedup']:.2f}x"
            line += "  identical" if row["identical_output"] else "  OUTPUTS DIFFER"
            print(line, flush=True)
    return results


if __name__ == "__main__":
    main()
