"""The ``cleaner`` command: a thin layer over :mod:`cleaner`'s public API.

Exit codes: 0 nothing to report, 1 something changed (``--in-place``) or would change
(``--check``), 2 an error (bad rule file, unreadable input), with a one-line message.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .config import CleanerConfig
from .corpus import (
    JSONL_SUFFIXES,
    ON_ERROR,
    CorpusError,
    CorpusOptions,
    CorpusStats,
    atomic_path,
    clean_jsonl,
    is_jsonl,
)
from .files import (
    TEXT_SUFFIXES,
    BinaryFileError,
    InputError,
    decode_input,
    iter_text_files,
    read_bytes,
    read_stdin_bytes,
    write_atomic,
)
from .html import HtmlCleanResult, clean_html_and_explain, looks_like_html
from .pipeline import CleanResult, clean_and_explain, compile_config
from .progress import Progress
from .project_config import find_pyproject, load_project_config
from .rules import Rule, RuleError, load_rules

FORMATS = ("auto", "text", "html")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_ERROR = 2

STDIN = "-"


def _config(args: argparse.Namespace) -> CleanerConfig:
    """The project's ``[tool.cleaner]`` (unless ``--no-config``) with the command-line
    options on top: ``--enable`` and ``--language`` replace, ``--disable`` and
    ``--rules`` add."""
    base = CleanerConfig()
    if args.config:
        base = load_project_config(Path(args.config))
    elif not args.no_config:
        found = find_pyproject(Path.cwd())
        if found is not None:
            base = load_project_config(found)
    return CleanerConfig(
        enable=frozenset(args.enable) if args.enable else base.enable,
        disable=base.disable | frozenset(args.disable or ()),
        languages=frozenset(args.language) if args.language else base.languages,
        rule_files=base.rule_files + tuple(Path(p) for p in args.rules or ()),
        builtin_rules=base.builtin_rules and not args.no_builtin_rules,
        repair_encoding=base.repair_encoding and not args.no_repair_encoding)


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rule selection")
    group.add_argument("--rules", metavar="FILE", action="append",
                       help="an extra rule file (TOML, same format as the shipped rules); "
                            "repeatable")
    group.add_argument("--enable", metavar="RULE", action="append",
                       help="run only these rule ids, names or categories; repeatable")
    group.add_argument("--disable", metavar="RULE", action="append",
                       help="never run these rule ids, names or categories; repeatable")
    group.add_argument("--language", metavar="LANG", action="append",
                       help="run only rules for these languages (en, de, fr, es, pt, it, "
                            "nl); language-neutral rules always run; repeatable")
    group.add_argument("--no-builtin-rules", action="store_true",
                       help="do not load the shipped rules (use with --rules)")
    group.add_argument("--no-repair-encoding", action="store_true",
                       help="leave mojibake, HTML entities and control characters alone")
    group.add_argument("--config", metavar="PYPROJECT",
                       help="read [tool.cleaner] from this file (default: the nearest "
                            "pyproject.toml with one, from the current folder upward)")
    group.add_argument("--no-config", action="store_true",
                       help="ignore [tool.cleaner] in pyproject.toml")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Strip boilerplate from scraped article text and repair its encoding.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_clean = sub.add_parser("clean", help="clean files, folders or stdin",
                             description="Clean text files. With no PATH (or '-'), read "
                                         "stdin and write stdout.")
    p_clean.add_argument("paths", nargs="*", metavar="PATH",
                         help="files or folders (in folders: *.txt, *.text, *.md, *.jsonl, "
                              "*.jsonl.gz, *.jsonl.zst, recursively)")
    mode = p_clean.add_mutually_exclusive_group()
    mode.add_argument("-o", "--output", metavar="OUT",
                      help="write the result to OUT (a folder when the input is a folder)")
    mode.add_argument("-i", "--in-place", action="store_true",
                      help="rewrite changed files atomically; exit 1 if any changed")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any file would change")
    p_clean.add_argument("--diff", action="store_true",
                         help="print a unified diff of the changes instead of the text")
    p_clean.add_argument("--format", choices=FORMATS, default="auto",
                         help="input kind: plain text, HTML pages (the article is extracted "
                              "first), or auto (by file name and content; default)")
    p_clean.add_argument("-q", "--quiet", action="store_true",
                         help="no progress, summary or messages on stderr except errors")
    corpus = p_clean.add_argument_group(
        "corpus mode (*.jsonl, *.jsonl.gz, *.jsonl.zst: one JSON record a line)")
    corpus.add_argument("--text-field", default="text", metavar="NAME",
                        help="the field holding the text to clean (default: text)")
    corpus.add_argument("--id-field", default="id", metavar="NAME",
                        help="the field naming a document in --removed (default: id)")
    corpus.add_argument("--on-error", choices=ON_ERROR, default="keep",
                        help="a bad record (malformed JSON, no text field, non-string "
                             "text) is kept unchanged (default), skipped, or fails the run")
    corpus.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes (default: all cores); output is identical "
                             "for any N")
    corpus.add_argument("--report", metavar="FILE",
                        help="write a JSON report: documents, bytes, lines removed per rule "
                             "and category, emptied documents, errors")
    corpus.add_argument("--removed", metavar="FILE",
                        help="write every removed line (JSONL: file, document id, line, "
                             "rule, category, text) for review")
    _add_config_options(p_clean)

    p_explain = sub.add_parser("explain", help="list every removed line and why")
    p_explain.add_argument("paths", nargs="*", metavar="PATH", help="files (default: stdin)")
    p_explain.add_argument("--json", action="store_true", help="one JSON object per change")
    p_explain.add_argument("--format", choices=FORMATS, default="auto",
                           help="input kind: text, html or auto (default)")
    _add_config_options(p_explain)

    p_rules = sub.add_parser("rules", help="list the rules")
    fmt = p_rules.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON instead of a table")
    fmt.add_argument("--markdown", action="store_true",
                     help="the Markdown rules reference (docs/rules.md)")
    _add_config_options(p_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
        compile_config(config)  # report bad rule files before touching any input
        if args.command == "clean":
            return _clean(args, config)
        if args.command == "explain":
            return _explain(args, config)
        return _rules(args, config)
    except (RuleError, InputError, CorpusError, ValueError) as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `cleaner clean big.txt | head`
        sys.stderr.close()
        return EXIT_OK


def _inputs(paths: Sequence[str]) -> list[tuple[str, Path | None]]:
    """(display name, path) pairs; path is None for stdin. Folders are expanded."""
    out: list[tuple[str, Path | None]] = []
    for raw in paths or [STDIN]:
        if raw == STDIN:
            out.append(("<stdin>", None))
            continue
        path = Path(raw)
        if path.is_dir():
            out += [(str(p), p) for p in iter_text_files(
                path, TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES)]
        elif path.exists():
            out.append((raw, path))
        else:
            raise InputError(raw, "no such file or folder")
    return out


def _write_stdout(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))
    sys.stdout.buffer.flush()


def _unified_diff(name: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"{name}", tofile=f"{name} (cleaned)"))


def _clean(args: argparse.Namespace, config: CleanerConfig) -> int:
    inputs = _inputs(args.paths)
    folder_in = len(args.paths) == 1 and Path(args.paths[0]).is_dir()
    several = len(inputs) > 1 or folder_in
    if several and not (args.in_place or args.check or args.diff or args.output):
        raise InputError(", ".join(args.paths),
                         "several inputs: use --in-place, --check, --diff or -o FOLDER")
    if args.output and len(args.paths) > 1:
        raise InputError(args.output, "-o takes a single input file or folder")
    if (args.in_place or args.check) and any(p is None for _, p in inputs):
        raise InputError("<stdin>", "--in-place and --check need files, not stdin")
    if args.jobs < 1:
        raise ValueError("--jobs must be at least 1")
    options = CorpusOptions(args.text_field, args.id_field, args.on_error,
                            html=args.format == "html")

    def target_for(path: Path) -> Path:
        if not folder_in:
            return Path(args.output)
        return Path(args.output) / path.relative_to(Path(args.paths[0]))

    stats = CorpusStats()
    changed = 0
    errors = 0
    removed_log = _RemovedLog(Path(args.removed)) if args.removed else None
    try:
        for name, path in inputs:
            if path is not None and is_jsonl(path):
                if args.diff:
                    raise InputError(name, "--diff is for text files, not JSONL")
                removed_part = removed_log.part() if removed_log is not None else None
                dst = (None if args.check else path if args.in_place
                       else target_for(path) if args.output else None)
                if dst is None and not args.check:
                    _clean_jsonl_to_stdout(path, name, config, options, stats)
                    continue
                progress = Progress.for_terminal(
                    path.stat().st_size if not path.name.endswith((".gz", ".zst")) else None,
                    args.quiet)
                try:
                    file_stats = clean_jsonl(path, dst, config, options, jobs=args.jobs,
                                             removed_path=removed_part, progress=progress,
                                             name=name, only_if_changed=args.in_place)
                finally:
                    progress.close()
                stats.merge(file_stats)
                if file_stats.changed:
                    changed += 1
                    if (args.in_place or args.check) and not args.quiet:
                        verb = "Fixing" if args.in_place else "would clean"
                        print(f"{verb} {name} ({file_stats.changed} documents changed, "
                              f"{file_stats.lines_removed} lines removed)", file=sys.stderr)
                continue
            try:
                data = read_stdin_bytes() if path is None else read_bytes(path)
                if _is_html(args.format, name, data):
                    if args.in_place or args.check or args.diff:
                        raise InputError(name, "--in-place, --check and --diff are for "
                                               "text files, not HTML pages")
                    before, result = "", clean_html_and_explain(data, config)
                    if not result.text and not args.quiet:
                        print(f"cleaner: {name}: no article: {result.note}", file=sys.stderr)
                else:
                    before = decode_input(name, data)
                    result = clean_and_explain(before, config)
            except InputError as exc:
                if several:  # a bad file in a folder does not stop the others
                    print(f"cleaner: warning: skipped {exc}", file=sys.stderr)
                    # a binary file among text files is skipped, not an error
                    errors += not isinstance(exc, BinaryFileError)
                    continue
                raise
            stats.add_result(before, result)
            stats.bytes_in += len(before.encode("utf-8", "surrogatepass"))
            stats.bytes_out += len(result.text.encode("utf-8", "surrogatepass"))
            if removed_log is not None:
                removed_log.write(name, result)
            differs = result.text != before
            changed += differs
            if args.diff:
                if differs:
                    _write_stdout(_unified_diff(name, before, result.text))
            elif args.check:
                if differs and not args.quiet:
                    print(f"would clean {name} ({_summary(result)})", file=sys.stderr)
            elif args.in_place:
                if differs:
                    assert path is not None
                    write_atomic(path, result.text)
                    if not args.quiet:
                        print(f"Fixing {name} ({_summary(result)})", file=sys.stderr)
            elif args.output:
                assert path is not None or not folder_in
                target = target_for(path) if path is not None else Path(args.output)
                if folder_in and isinstance(result, HtmlCleanResult):
                    target = target.with_suffix(".txt")  # a page becomes its text
                write_atomic(target, result.text)
            else:
                _write_stdout(result.text)
        if removed_log is not None:
            removed_log.commit()
    finally:
        if removed_log is not None:
            removed_log.discard()
    if args.report:
        write_atomic(Path(args.report),
                     json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if not args.quiet and (stats.documents > 1 or args.report or stats.error_count):
        print(f"cleaner: {stats.summary()}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_CHANGED if changed and (args.in_place or args.check) else EXIT_OK


def _is_html(fmt: str, name: str, data: bytes) -> bool:
    """Whether an input is an HTML page: by ``--format``, else by name, else by content."""
    if fmt != "auto":
        return fmt == "html"
    if name.lower().endswith(HTML_SUFFIXES):
        return True
    return looks_like_html(data)


def _clean_jsonl_to_stdout(path: Path, name: str, config: CleanerConfig,
                           options: CorpusOptions, stats: CorpusStats) -> None:
    """Corpus mode with no output file: records to stdout, one process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name.removesuffix(".gz").removesuffix(".zst")
        stats.merge(clean_jsonl(path, out, config, options, jobs=1, name=name))
        with out.open("rb") as handle:
            shutil.copyfileobj(handle, sys.stdout.buffer)
        sys.stdout.buffer.flush()


class _RemovedLog:
    """The ``--removed`` audit file, assembled from parts and renamed into place at the
    end, like every other output."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = Path(tempfile.mkdtemp(prefix=".cleaner-removed.", dir=path.parent
                                            if path.parent.exists() else None))
        self.parts: list[Path] = []
        self.text_part: Path | None = None

    def part(self) -> Path:
        """A new part file, in input order."""
        self.parts.append(self.folder / f"{len(self.parts):06d}.jsonl")
        self.text_part = None
        return self.parts[-1]

    def write(self, name: str, result: CleanResult) -> None:
        """Log the removals of one text file (runs of text files share a part)."""
        if not result.removals:
            return
        if self.text_part is None:
            self.text_part = self.part()
        with self.text_part.open("a", encoding="utf-8") as handle:
            for r in result.removals:
                handle.write(json.dumps({"file": name, "id": name, "line": r.line,
                                         "rule_id": r.rule_id, "category": r.category,
                                         "text": r.text}, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        with atomic_path(self.path) as tmp, tmp.open("wb") as out:
            for part in self.parts:
                if part.exists():
                    with part.open("rb") as handle:
                        shutil.copyfileobj(handle, out)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _summary(result: CleanResult) -> str:
    parts = [f"{len(result.removals)} line{'s' * (len(result.removals) != 1)} removed"]
    if result.repairs:
        parts.append(f"{len(result.repairs)} repaired")
    return ", ".join(parts)


def _explain(args: argparse.Namespace, config: CleanerConfig) -> int:
    for name, path in _inputs(args.paths):
        data = read_stdin_bytes() if path is None else read_bytes(path)
        if _is_html(args.format, name, data):
            result: CleanResult = clean_html_and_explain(data, config)
            if result.note:
                _write_stdout(f"{name}: {result.note}\n")
        else:
            result = clean_and_explain(decode_input(name, data), config)
        if args.json:
            for removal in result.removals:
                _write_stdout(json.dumps({"file": name, "change": "removed",
                                          **asdict(removal)}, ensure_ascii=False) + "\n")
            for repair in result.repairs:
                _write_stdout(json.dumps({"file": name, "change": "repaired",
                                          **asdict(repair)}, ensure_ascii=False) + "\n")
            continue
        lines = [(r.line, f"{name}:{r.line}: {r.rule_id} [{r.category}] {r.text!r}: "
                          f"{r.reason}") for r in result.removals]
        lines += [(r.line, f"{name}:{r.line}: encoding repaired: {r.before!r} -> "
                           f"{r.after!r}") for r in result.repairs]
        for _, line in sorted(lines, key=lambda x: x[0]):
            _write_stdout(line + "\n")
        _write_stdout(f"{name}: {_summary(result)}\n")
    return EXIT_OK


def _rules(args: argparse.Namespace, config: CleanerConfig) -> int:
    from .rules import select_rules

    rules = select_rules(load_rules(config.rule_files, builtin=config.builtin_rules),
                         enable=config.enable, disable=config.disable,
                         languages=config.languages)
    if args.json:
        _write_stdout(json.dumps([{
            "id": r.id, "name": r.name, "category": r.category, "languages": r.languages,
            "zone": r.zone, "action": r.action, "description": r.description,
            "source": str(r.source)} for r in rules], ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    if args.markdown:
        _write_stdout(rules_markdown(rules))
        return EXIT_OK
    for r in rules:
        langs = ",".join(r.languages)
        _write_stdout(f"{r.id:<7} {r.name:<32} {r.category:<11} {r.zone:<7} {langs:<20} "
                      f"{r.description}\n")
    _write_stdout(f"{len(rules)} rules\n")
    return EXIT_OK


def rules_markdown(rules: Sequence[Rule]) -> str:
    """The rules reference: one section per category, each rule with its examples."""
    out = ["# Rules reference", "",
           "Generated by `cleaner rules --markdown` from the files in `rules/`; "
           "do not edit by hand.", ""]
    categories = sorted({r.category for r in rules})
    out += ["| category | rules | languages |", "| --- | --- | --- |"]
    for cat in categories:
        members = [r for r in rules if r.category == cat]
        langs = sorted({lang for r in members for lang in r.languages})
        out.append(f"| `{cat}` | {len(members)} | {', '.join(langs)} |")
    out.append("")
    for cat in categories:
        out += [f"## {cat}", ""]
        for r in (r for r in rules if r.category == cat):
            out += [f"### {r.id} `{r.name}`", "", r.description, "",
                    f"- zone: `{r.zone}`, action: `{r.action}`"
                    + (", repeated" if r.repeated else "")
                    + f"; languages: {', '.join(r.languages)}",
                    "- removes: " + ", ".join(f"`{_md(x)}`" for x in r.remove),
                    "- keeps: " + ", ".join(f"`{_md(x)}`" for x in r.keep), ""]
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("\n", " ⏎ ").replace("`", "'").replace("|", "\\|")


if __name__ == "__main__":
    sys.exit(main())
