"""The ``cleaner`` command: a thin layer over :mod:`cleaner`'s public API.

Exit codes: 0 nothing to report, 1 something changed (``--in-place``) or would change
(``--check``), 2 an error (bad rule file, unreadable input), with a one-line message.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .config import CleanerConfig
from .files import InputError, iter_text_files, read_stdin, read_text, write_atomic
from .pipeline import CleanResult, clean_and_explain, compile_config
from .rules import Rule, RuleError, load_rules

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_ERROR = 2

STDIN = "-"


def _config(args: argparse.Namespace) -> CleanerConfig:
    return CleanerConfig(
        enable=frozenset(args.enable or ()), disable=frozenset(args.disable or ()),
        languages=frozenset(args.language) if args.language else None,
        rule_files=tuple(Path(p) for p in args.rules or ()),
        builtin_rules=not args.no_builtin_rules, repair_encoding=not args.no_repair_encoding)


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
                         help="files or folders (folders: *.txt, *.text, *.md, recursively)")
    mode = p_clean.add_mutually_exclusive_group()
    mode.add_argument("-o", "--output", metavar="OUT",
                      help="write the result to OUT (a folder when the input is a folder)")
    mode.add_argument("-i", "--in-place", action="store_true",
                      help="rewrite changed files atomically; exit 1 if any changed")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any file would change")
    p_clean.add_argument("--diff", action="store_true",
                         help="print a unified diff of the changes instead of the text")
    p_clean.add_argument("-q", "--quiet", action="store_true",
                         help="no messages on stderr except errors")
    _add_config_options(p_clean)

    p_explain = sub.add_parser("explain", help="list every removed line and why")
    p_explain.add_argument("paths", nargs="*", metavar="PATH", help="files (default: stdin)")
    p_explain.add_argument("--json", action="store_true", help="one JSON object per change")
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
    except (RuleError, InputError, ValueError) as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `cleaner clean big.txt | head`
        sys.stderr.close()
        return EXIT_OK


def _inputs(paths: Sequence[str], quiet: bool) -> list[tuple[str, Path | None]]:
    """(display name, path) pairs; path is None for stdin. Folders are expanded."""
    out: list[tuple[str, Path | None]] = []
    for raw in paths or [STDIN]:
        if raw == STDIN:
            out.append(("<stdin>", None))
            continue
        path = Path(raw)
        if path.is_dir():
            out += [(str(p), p) for p in iter_text_files(path)]
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
    inputs = _inputs(args.paths, args.quiet)
    folder_in = len(args.paths) == 1 and Path(args.paths[0]).is_dir()
    several = len(inputs) > 1 or folder_in
    if several and not (args.in_place or args.check or args.diff or args.output):
        raise InputError(", ".join(args.paths),
                         "several inputs: use --in-place, --check, --diff or -o FOLDER")
    if args.output and len(args.paths) > 1:
        raise InputError(args.output, "-o takes a single input file or folder")
    if (args.in_place or args.check) and any(p is None for _, p in inputs):
        raise InputError("<stdin>", "--in-place and --check need files, not stdin")

    changed = 0
    errors = 0
    for name, path in inputs:
        try:
            before = read_stdin() if path is None else read_text(path)
        except InputError as exc:
            if several:  # a bad file in a folder does not stop the others
                print(f"cleaner: error: {exc}", file=sys.stderr)
                errors += 1
                continue
            raise
        result = clean_and_explain(before, config)
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
            target = Path(args.output)
            if folder_in:
                assert path is not None
                target = target / path.relative_to(Path(args.paths[0]))
            write_atomic(target, result.text)
        else:
            _write_stdout(result.text)
    if errors:
        return EXIT_ERROR
    return EXIT_CHANGED if changed and (args.in_place or args.check) else EXIT_OK


def _summary(result: CleanResult) -> str:
    parts = [f"{len(result.removals)} line{'s' * (len(result.removals) != 1)} removed"]
    if result.repairs:
        parts.append(f"{len(result.repairs)} repaired")
    return ", ".join(parts)


def _explain(args: argparse.Namespace, config: CleanerConfig) -> int:
    for name, path in _inputs(args.paths, quiet=True):
        text = read_stdin() if path is None else read_text(path)
        result = clean_and_explain(text, config)
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
