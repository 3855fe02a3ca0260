"""Corpus mode: clean the text field of every record of a JSONL file, streaming.

Records are read one line at a time, so memory does not grow with the corpus. With
several jobs, a plain (uncompressed) file is cut into byte ranges at line boundaries;
each worker process reads its own ranges and writes its own part file, and the parts are
joined in order, so the output is identical to a single-process run. The output (and the
``--removed`` audit file) is written to a temporary file and renamed into place only when
complete: an interrupted run leaves the previous output, or none, and never touches the
input.

A bad record (malformed JSON, no text field, a text that is not a string) is reported
with its file and line number; ``on_error`` decides: ``keep`` it unchanged (default),
``skip`` it, or ``fail`` the run. Other records are never dropped.
"""

from __future__ import annotations

import gzip
import io
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .config import CleanerConfig
from .pipeline import CleanResult, clean_and_explain, compile_config

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.zst", ".ndjson.zst")
ON_ERROR = ("keep", "skip", "fail")
CHUNK_BYTES = 4 << 20  # byte-range size handed to one worker task
MAX_REPORTED_ERRORS = 1000


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


class CorpusError(Exception):
    """A record that stops the run (``on_error="fail"``), or an unusable corpus file."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class CorpusOptions:
    """How records are read: which field holds the text, which one names the document,
    and what to do with a bad record."""

    text_field: str = "text"
    id_field: str = "id"
    on_error: str = "keep"
    html: bool = False  # the field holds an HTML page: extract its article, then clean

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}")


@dataclass
class CorpusStats:
    """What a run did; merged across workers, written by ``--report``."""

    documents: int = 0
    changed: int = 0
    emptied: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    lines_removed: int = 0
    lines_repaired: int = 0
    removed_by_rule: Counter[str] = field(default_factory=Counter)
    removed_by_category: Counter[str] = field(default_factory=Counter)
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add_error(self, path: str, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"file": path, "line": line, "error": message})

    def add_result(self, before: str, result: CleanResult) -> None:
        """Count one cleaned document."""
        self.documents += 1
        if result.text != before:
            self.changed += 1
            if not result.text and before.strip():
                self.emptied += 1
        self.lines_removed += len(result.removals)
        self.lines_repaired += len(result.repairs)
        if result.removals:
            self.removed_by_rule.update(r.rule_id for r in result.removals)
            self.removed_by_category.update(r.category for r in result.removals)

    def merge(self, other: CorpusStats) -> None:
        for name in ("documents", "changed", "emptied", "bytes_in", "bytes_out",
                     "lines_removed", "lines_repaired", "error_count"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.removed_by_rule.update(other.removed_by_rule)
        self.removed_by_category.update(other.removed_by_category)
        room = MAX_REPORTED_ERRORS - len(self.errors)
        self.errors += other.errors[:room]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents, "changed": self.changed, "emptied": self.emptied,
            "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
            "lines_removed": self.lines_removed, "lines_repaired": self.lines_repaired,
            "removed_by_rule": dict(self.removed_by_rule.most_common()),
            "removed_by_category": dict(self.removed_by_category.most_common()),
            "errors": self.error_count, "error_details": self.errors,
        }

    def summary(self) -> str:
        mb_in, mb_out = self.bytes_in / 1e6, self.bytes_out / 1e6
        return (f"{self.documents} documents, {self.changed} changed, {self.emptied} emptied, "
                f"{self.lines_removed} lines removed, {self.error_count} errors; "
                f"{mb_in:.1f} MB in, {mb_out:.1f} MB out")


# --- reading and writing ---------------------------------------------------------------

def open_read(path: Path) -> IO[bytes]:
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    if name.endswith(".zst"):
        return io.BufferedReader(_zstd(path).open(path, "rb"))  # adds line iteration
    return path.open("rb")


def _open_write(path: Path, like: Path) -> IO[bytes]:
    """A writer for ``path`` compressed the way ``like`` (the final name) asks."""
    name = like.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "wb", compresslevel=6)
    if name.endswith(".zst"):
        return _zstd(like).open(path, "wb")
    return path.open("wb")


def _zstd(path: Path) -> Any:
    try:
        import zstandard
    except ImportError:
        raise CorpusError(str(path), None, ".zst files need the zstandard package: "
                                           "pip install 'boilerclean[zstd]'") from None
    return zstandard


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it when the block succeeds and
    removed when it fails (or is interrupted)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        if target.exists():
            with suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


# --- cleaning records ------------------------------------------------------------------

class _Worker:
    """Cleans records line by line into an output stream (and an audit stream)."""

    def __init__(self, name: str, config: CleanerConfig, options: CorpusOptions,
                 out: IO[bytes], removed: IO[str] | None) -> None:
        self.name, self.config, self.options = name, config, options
        self.out, self.removed = out, removed
        self.stats = CorpusStats()
        compile_config(config)

    def run(self, lines: Iterator[bytes], first_line: int) -> None:
        for number, raw in enumerate(lines, first_line):
            self.record(raw, number)

    def record(self, raw: bytes, number: int) -> None:
        stats, opts = self.stats, self.options
        stats.bytes_in += len(raw)
        if not raw.strip():
            return  # blank lines between records carry nothing
        try:
            record = json.loads(raw)
        except ValueError as exc:
            return self._bad(raw, number, f"malformed JSON ({exc})")
        if not isinstance(record, dict):
            return self._bad(raw, number, "record is not a JSON object")
        if opts.text_field not in record:
            return self._bad(raw, number, f"record has no {opts.text_field!r} field")
        text = record[opts.text_field]
        if not isinstance(text, str):
            return self._bad(raw, number, f"field {opts.text_field!r} is not a string")
        if opts.html:
            from .html import clean_html_and_explain

            result = clean_html_and_explain(text, self.config)
        else:
            result = clean_and_explain(text, self.config)
        stats.add_result(text, result)
        if result.removals and self.removed is not None:
            doc_id = record.get(opts.id_field, number)
            for r in result.removals:
                self.removed.write(json.dumps(
                    {"file": self.name, "record_line": number, "id": doc_id,
                     "line": r.line, "rule_id": r.rule_id, "category": r.category,
                     "text": r.text}, ensure_ascii=False) + "\n")
        record[opts.text_field] = result.text
        self._write(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
                    + b"\n")

    def _bad(self, raw: bytes, number: int, message: str) -> None:
        if self.options.on_error == "fail":
            raise CorpusError(self.name, number, message)
        self.stats.add_error(self.name, number, message)
        if self.options.on_error == "keep":
            self._write(raw if raw.endswith(b"\n") else raw + b"\n")

    def _write(self, data: bytes) -> None:
        self.stats.bytes_out += len(data)
        self.out.write(data)


def _ranges(path: Path, chunk: int) -> list[tuple[int, int, int]]:
    """(start, end, first line number) byte ranges of ``path`` cut after line breaks."""
    size = path.stat().st_size
    out: list[tuple[int, int, int]] = []
    line = 1
    with path.open("rb") as handle:
        start = 0
        while start < size:
            handle.seek(min(start + chunk, size))
            handle.readline()  # move to the end of the line the cut fell into
            end = min(handle.tell(), size)
            out.append((start, end, line))
            handle.seek(start)
            remaining = end - start
            while remaining:  # count line breaks to number the next range
                block = handle.read(min(remaining, 1 << 20))
                line += block.count(b"\n")
                remaining -= len(block)
            start = end
    return out


def _read_range(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        pos = start
        while pos < end:
            raw = handle.readline()
            if not raw:
                break
            pos += len(raw)
            yield raw


@dataclass(frozen=True)
class _Task:
    path: Path
    name: str
    start: int
    end: int
    first_line: int
    part: Path
    removed_part: Path | None
    config: CleanerConfig
    options: CorpusOptions


def _run_task(task: _Task) -> CorpusStats:
    removed = task.removed_part.open("w", encoding="utf-8") if task.removed_part else None
    try:
        with task.part.open("wb") as out:
            worker = _Worker(task.name, task.config, task.options, out, removed)
            worker.run(_read_range(task.path, task.start, task.end), task.first_line)
        return worker.stats
    finally:
        if removed is not None:
            removed.close()


ProgressCallback = Callable[[int, int], None]  # (documents so far, bytes read so far)


def clean_jsonl(src: Path, dst: Path | None, config: CleanerConfig, options: CorpusOptions,
                *, jobs: int = 1, removed_path: Path | None = None,
                progress: ProgressCallback | None = None, name: str | None = None,
                only_if_changed: bool = False) -> CorpusStats:
    """Clean ``src`` into ``dst``, which may be ``src`` itself (the rename is atomic).

    With ``dst=None`` nothing is written (a check). With ``only_if_changed``, ``dst`` is
    left alone unless some record changed.
    """
    name = name or str(src)
    compile_config(config)  # fail on bad rules before any output exists
    if dst is None:
        with tempfile.TemporaryDirectory() as tmp:
            return clean_jsonl(src, Path(tmp) / src.name, config, options, jobs=jobs,
                               removed_path=removed_path, progress=progress, name=name)
    splittable = src.name.lower().endswith((".jsonl", ".ndjson"))
    try:
        with atomic_path(dst) as tmp_out, _maybe_atomic(removed_path) as tmp_removed:
            if jobs > 1 and splittable and src.stat().st_size > CHUNK_BYTES:
                stats = _parallel(src, name, tmp_out, dst, tmp_removed, config, options,
                                  jobs, progress)
            else:
                stats = _sequential(src, name, tmp_out, dst, tmp_removed, config, options,
                                    progress)
            if only_if_changed and not stats.changed:
                raise _Unchanged(stats)
    except _Unchanged as unchanged:
        return unchanged.stats
    return stats


class _Unchanged(Exception):
    """Leaves an ``atomic_path`` block without replacing its target."""

    def __init__(self, stats: CorpusStats) -> None:
        super().__init__("unchanged")
        self.stats = stats


@contextmanager
def _maybe_atomic(path: Path | None) -> Iterator[Path | None]:
    if path is None:
        yield None
        return
    with atomic_path(path) as tmp:
        yield tmp


def _sequential(src: Path, name: str, tmp_out: Path, dst: Path, tmp_removed: Path | None,
                config: CleanerConfig, options: CorpusOptions,
                progress: ProgressCallback | None) -> CorpusStats:
    removed = tmp_removed.open("w", encoding="utf-8") if tmp_removed else None
    try:
        with open_read(src) as reader, _open_write(tmp_out, dst) as out:
            worker = _Worker(name, config, options, out, removed)
            for number, raw in enumerate(reader, 1):
                worker.record(raw, number)
                if progress is not None and number % 512 == 0:
                    progress(worker.stats.documents, worker.stats.bytes_in)
    finally:
        if removed is not None:
            removed.close()
    if progress is not None:
        progress(worker.stats.documents, worker.stats.bytes_in)
    return worker.stats


def _parallel(src: Path, name: str, tmp_out: Path, dst: Path, tmp_removed: Path | None,
              config: CleanerConfig, options: CorpusOptions, jobs: int,
              progress: ProgressCallback | None) -> CorpusStats:
    stats = CorpusStats()
    with tempfile.TemporaryDirectory(dir=tmp_out.parent, prefix=".cleaner-parts.") as tmp:
        parts = Path(tmp)
        tasks = [_Task(src, name, start, end, line, parts / f"{k:06d}.jsonl",
                       parts / f"{k:06d}.removed" if tmp_removed else None, config, options)
                 for k, (start, end, line) in enumerate(_ranges(src, CHUNK_BYTES))]
        ctx = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else None)
        with ctx.Pool(jobs) as pool:
            for part_stats in pool.imap(_run_task, tasks):
                stats.merge(part_stats)
                if progress is not None:
                    progress(stats.documents, stats.bytes_in)
        with _open_write(tmp_out, dst) as out:
            for task in tasks:
                with task.part.open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        if tmp_removed is not None:
            with tmp_removed.open("wb") as out:
                for task in tasks:
                    assert task.removed_part is not None
                    with task.removed_part.open("rb") as part:
                        shutil.copyfileobj(part, out, 1 << 20)
    return stats
