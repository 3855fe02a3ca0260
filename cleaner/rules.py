"""Load rule files: TOML data describing what boilerplate looks like.

A rule file holds an array of ``[[rule]]`` tables. Each rule names the boilerplate it
catches (``name``), belongs to a ``category``, lists its ``languages``, says where in a
document it may fire (``zone``) and how (``action``), and carries ``remove`` and ``keep``
examples that the test suite runs. Patterns are regular expressions in verbose mode
that must match the *whole* normalized line; ``{{fragment}}`` placeholders expand to the
shared fragments of ``rules/_fragments.toml``.

The loader is strict: an unknown key, a duplicate id, a pattern that does not compile or
a rule without examples is a :class:`RuleError` naming the file, the rule and its line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex

from .backtracking import TIMEOUT, describe, slow_probe

ZONES = ("any", "header", "trailer", "edge")
ACTIONS = ("line", "block")
ALL_LANGUAGES = "*"
FRAGMENTS_FILE = "_fragments.toml"

_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
_KEBAB_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_LANG_RE = re.compile(r"(?:[a-z]{2,3}|\*)\Z")
_FRAGMENT_RE = re.compile(r"\{\{([a-z_]+)\}\}")

_REQUIRED = ("id", "name", "category", "languages", "description", "patterns", "remove", "keep")
_OPTIONAL = ("zone", "action", "case_sensitive", "repeated", "block", "cases", "max_length")
_BLOCK_KEYS = ("max_items", "max_words")
_CASE_KEYS = ("input", "output")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file, rule and line."""

    def __init__(self, path: Path | str, message: str, *, rule: str | None = None,
                 line: int | None = None) -> None:
        where = str(path)
        if line is not None:
            where += f":{line}"
        if rule is not None:
            where += f": rule {rule}"
        super().__init__(f"{where}: {message}")
        self.path = Path(path)
        self.rule = rule
        self.line = line


@dataclass(frozen=True)
class BlockSpec:
    """How far a widget block reaches below its header line."""

    max_items: int = 10
    max_words: int = 20


@dataclass(frozen=True)
class Case:
    """A multi-line example: ``input`` cleaned with only this rule gives ``output``."""

    input: str
    output: str


@dataclass(frozen=True)
class Rule:
    """One kind of boilerplate, as read from a rule file."""

    id: str
    name: str
    category: str
    languages: tuple[str, ...]
    description: str
    # (language, expanded pattern source) pairs; language is "*" for all of the rule's
    patterns: tuple[tuple[str, str], ...]
    remove: tuple[str, ...]
    keep: tuple[str, ...]
    zone: str = "any"
    action: str = "line"
    case_sensitive: bool = False
    repeated: bool = False
    max_length: int | None = None  # the rule only fires on lines this short
    block: BlockSpec | None = None
    cases: tuple[Case, ...] = ()
    source: Path = field(default=Path("?"), compare=False)
    line: int | None = field(default=None, compare=False)

    def pattern_sources(self, languages: frozenset[str] | None = None) -> list[str]:
        """The rule's expanded patterns for the selected languages (all when None)."""
        return [p for lang, p in self.patterns
                if languages is None or lang == ALL_LANGUAGES or lang in languages]

    def applies_to(self, languages: frozenset[str] | None) -> bool:
        if languages is None or ALL_LANGUAGES in self.languages:
            return True
        return bool(languages.intersection(self.languages))



def shipped_rules_dir() -> Path:
    """The folder of shipped rule files: inside the installed package, or the checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if (candidate / FRAGMENTS_FILE).is_file():
            return candidate
    raise RuleError(here / "rules", "shipped rule files not found")


_RULE_HEADER = re.compile(r"[ \t]*\[\[[ \t]*rule[ \t]*\]\][ \t]*(?:#.*)?\Z")


def _rule_lines(text: str) -> list[int]:
    """1-based line numbers of each ``[[rule]]`` header, in file order (TOML breaks
    lines only at LF; a header may carry a comment)."""
    return [i for i, line in enumerate(text.split("\n"), 1)
            if _RULE_HEADER.match(line.rstrip("\r"))]


def _read_toml(path: Path) -> tuple[dict, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, f"cannot read rule file: {exc}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line X, column Y)" in its message
        m = re.search(r"at line (\d+)", str(exc))
        raise RuleError(path, f"invalid TOML: {exc}",
                        line=int(m.group(1)) if m else None) from None


@dataclass(frozen=True)
class Fragments:
    """Named pattern fragments, fully expanded: ``{{name}}`` in a pattern is replaced by
    the fragment's text. (Expanding beats regex subroutine calls: those made matching
    fifty times slower.)"""

    sources: dict[str, str]  # name -> expanded source, wrapped in a group

    def substitute(self, source: str, err) -> str:
        """Replace each ``{{name}}`` in ``source`` by its fragment."""

        def expand(m: re.Match[str]) -> str:
            if m.group(1) not in self.sources:
                raise err(f"unknown fragment {{{{{m.group(1)}}}}}")
            return self.sources[m.group(1)]

        return _FRAGMENT_RE.sub(expand, source)


@cache
def load_fragments(path: Path) -> Fragments:
    """Read and expand the named pattern fragments of ``_fragments.toml``."""
    data, _ = _read_toml(path)
    unknown = set(data) - {"fragments"}
    if unknown:
        raise RuleError(path, f"unknown key(s) {sorted(unknown)}; expected [fragments]")
    raw = data.get("fragments", {})
    for name, value in raw.items():
        if not isinstance(value, str) or not re.fullmatch(r"[a-z_]+", name):
            raise RuleError(path, f"fragment {name!r} must be a string named in [a-z_]")

    expanded: dict[str, str] = {}

    def expand(name: str, stack: tuple[str, ...]) -> str:
        if name in expanded:
            return expanded[name]
        if name in stack:
            raise RuleError(path, f"fragment cycle: {' -> '.join((*stack, name))}")
        if name not in raw:
            raise RuleError(path, f"unknown fragment {{{{{name}}}}} in {stack[-1]!r}")
        value = _FRAGMENT_RE.sub(lambda m: expand(m.group(1), (*stack, name)), raw[name])
        # the newline ends a trailing verbose-mode comment inside the fragment
        expanded[name] = f"(?:{value}\n)"
        return expanded[name]

    for name in raw:
        expand(name, ())
    return Fragments(expanded)


def _expect_str_list(value: object, key: str, err) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise err(f"{key!r} must be a list of strings")
    return tuple(value)


def _parse_rule(raw: dict, path: Path, line: int | None, fragments: Fragments,
                check_speed: bool = False, check_patterns: bool = True) -> Rule:
    rule_id = raw.get("id") if isinstance(raw.get("id"), str) else None

    def err(message: str) -> RuleError:
        return RuleError(path, message, rule=rule_id, line=line)

    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise err(f"unknown key(s) {sorted(unknown)}")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        what = "no examples" if set(missing) & {"remove", "keep"} else "missing key(s)"
        raise err(f"{what}: {missing}")
    if rule_id is None or not _ID_RE.match(rule_id):
        raise err("'id' must be a string of letters, digits, '_', '.' or '-'")
    for key in ("name", "category"):
        if not isinstance(raw[key], str) or not _KEBAB_RE.match(raw[key]):
            raise err(f"{key!r} must be kebab-case, e.g. 'comment-form-notice'")
    if not isinstance(raw["description"], str) or not raw["description"].strip():
        raise err("'description' must be a non-empty string")
    languages = _expect_str_list(raw["languages"], "languages", err)
    if not languages or not all(_LANG_RE.match(lang) for lang in languages):
        raise err("'languages' must list language codes such as 'en', or '*'")

    zone = raw.get("zone", "any")
    if zone not in ZONES:
        raise err(f"'zone' must be one of {list(ZONES)}, not {zone!r}")
    action = raw.get("action", "line")
    if action not in ACTIONS:
        raise err(f"'action' must be one of {list(ACTIONS)}, not {action!r}")
    for key in ("case_sensitive", "repeated"):
        if not isinstance(raw.get(key, False), bool):
            raise err(f"{key!r} must be true or false")

    max_length = raw.get("max_length")
    if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
        raise err("'max_length' must be a positive integer (characters)")

    block = None
    if "block" in raw or action == "block":
        spec = raw.get("block", {})
        if action != "block":
            raise err("'block' is only valid with action = 'block'")
        if not isinstance(spec, dict) or set(spec) - set(_BLOCK_KEYS):
            raise err(f"'block' must be a table with keys {list(_BLOCK_KEYS)}")
        if not all(isinstance(v, int) and v > 0 for v in spec.values()):
            raise err("'block' limits must be positive integers")
        block = BlockSpec(**spec)

    # patterns: a list (for all the rule's languages) or a table language -> list
    raw_patterns = raw["patterns"]
    pairs: list[tuple[str, str]] = []
    if isinstance(raw_patterns, dict):
        for lang, plist in raw_patterns.items():
            if lang not in languages and ALL_LANGUAGES not in languages:
                raise err(f"patterns for {lang!r}, which is not in 'languages' (keys after "
                          "[rule.patterns] belong to it: write that table last)")
            pairs += [(lang, p) for p in _expect_str_list(plist, f"patterns.{lang}", err)]
    else:
        pairs += [(ALL_LANGUAGES, p) for p in _expect_str_list(raw_patterns, "patterns", err)]
    if not pairs:
        raise err("'patterns' is empty")

    expanded = [(lang, fragments.substitute(source, err)) for lang, source in pairs]
    flags = "x" if raw.get("case_sensitive", False) else "xi"
    if check_patterns or check_speed:
        try:
            compiled = regex.compile("|".join(f"(?{flags}:{p}\n)" for _, p in expanded))
        except regex.error as exc:
            raise err(f"pattern does not compile ({exc})") from None
        if compiled.groupindex:
            raise err("patterns must not use named groups")
        if compiled.fullmatch(""):
            raise err("a pattern matches an empty line")

    remove = _expect_str_list(raw["remove"], "remove", err)
    keep = _expect_str_list(raw["keep"], "keep", err)
    if not remove or not keep:
        raise err("no examples: a rule needs at least one 'remove' and one 'keep' example")
    if check_speed:
        slow = slow_probe(compiled, remove + keep)
        if slow is not None:
            raise err(f"a pattern takes more than {TIMEOUT} s on the line {describe(slow)}: "
                      "it backtracks catastrophically (look for nested or overlapping "
                      "repeats such as (a|aa)+ or (\\w+\\s?)+)")

    cases: list[Case] = []
    raw_cases = raw.get("cases", [])
    if not isinstance(raw_cases, list):
        raise err("'cases' must be an array of tables")
    for case in raw_cases:
        if not isinstance(case, dict) or set(case) != set(_CASE_KEYS) or not all(
                isinstance(v, str) for v in case.values()):
            raise err("each case must be a table with string keys 'input' and 'output'")
        cases.append(Case(**case))

    return Rule(
        id=rule_id, name=raw["name"], category=raw["category"], languages=languages,
        description=" ".join(raw["description"].split()), patterns=tuple(expanded),
        remove=remove, keep=keep, zone=zone, action=action,
        case_sensitive=raw.get("case_sensitive", False), repeated=raw.get("repeated", False),
        max_length=max_length, block=block, cases=tuple(cases), source=path, line=line,
    )


def load_rule_file(path: Path, fragments: Fragments, *, check_speed: bool = False,
                   check_patterns: bool = True) -> list[Rule]:
    """Read one rule file; raise :class:`RuleError` on anything malformed. With
    ``check_speed``, also on a pattern that backtracks catastrophically (see
    :mod:`cleaner.backtracking`): user files are checked, the shipped rules are
    checked by the test suite. Without ``check_patterns``, patterns are not compiled
    (the shipped rules, which the test suite compiles and checks: start-up is faster,
    and a rule's expression is compiled when a line first needs it)."""
    data, text = _read_toml(path)
    unknown = set(data) - {"rule"}
    if unknown:
        raise RuleError(path, f"unknown top-level key(s) {sorted(unknown)}; "
                              "rules are [[rule]] tables")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleError(path, "no rules: expected one or more [[rule]] tables")
    lines = _rule_lines(text)
    return [_parse_rule(raw, path, lines[i] if i < len(lines) else None, fragments,
                        check_speed, check_patterns)
            for i, raw in enumerate(raw_rules)]


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a folder, in name order (fragment files excluded)."""
    return sorted(p for p in directory.glob("*.toml") if not p.name.startswith("_"))


def load_rules(extra_files: Sequence[Path | str] = (), *, builtin: bool = True) -> list[Rule]:
    """The shipped rules (unless ``builtin`` is false) followed by ``extra_files``.

    Ids must be unique across all files. Results are cached per argument tuple.
    """
    return list(_load_rules_cached(tuple(Path(p).resolve() for p in extra_files), builtin))


def shipped_fragments() -> Fragments:
    """The fragments every rule file may use."""
    return load_fragments(shipped_rules_dir() / FRAGMENTS_FILE)


@cache
def _load_rules_cached(extra_files: tuple[Path, ...], builtin: bool) -> tuple[Rule, ...]:
    shipped = shipped_rules_dir()
    fragments = shipped_fragments()
    paths: list[tuple[Path, bool]] = [(p, False) for p in rule_files(shipped)] \
        if builtin else []
    for path in extra_files:
        if not path.is_file():
            raise RuleError(path, "rule file not found")
        paths.append((path, True))
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path, user in paths:
        for rule in load_rule_file(path, fragments, check_speed=user, check_patterns=user):
            if rule.id in seen:
                first = seen[rule.id]
                raise RuleError(path, f"duplicate id (first defined in {first.source}:"
                                      f"{first.line})", rule=rule.id, line=rule.line)
            seen[rule.id] = rule
            rules.append(rule)
    return tuple(rules)


def select_rules(rules: Iterable[Rule], *, enable: frozenset[str] = frozenset(),
                 disable: frozenset[str] = frozenset(),
                 languages: frozenset[str] | None = None) -> list[Rule]:
    """Filter rules by id, name or category (``enable`` empty means all) and language."""

    def named(rule: Rule, names: frozenset[str]) -> bool:
        return bool(names.intersection((rule.id, rule.name, rule.category)))

    return [r for r in rules
            if (not enable or named(r, enable)) and not named(r, disable)
            and r.applies_to(languages)]


def known_selectors(rules: Iterable[Rule]) -> set[str]:
    """Every id, name and category a configuration may name."""
    out: set[str] = set()
    for r in rules:
        out.update((r.id, r.name, r.category))
    return out
