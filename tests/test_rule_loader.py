"""The strict rule loader: a malformed rule file is a ``RuleError`` that names the file,
the rule and the line of its ``[[rule]]`` header (for a TOML syntax error, the line
tomllib reports).

``load_rules`` caches per argument tuple, so every test writes its file at its own path
(pytest's ``tmp_path`` differs per test and per parameter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner import RuleError, clean, load_rules
from cleaner.rules import load_rule_file, rule_files, shipped_fragments, shipped_rules_dir

GOOD_ID = "TST100"
BAD_ID = "TST200"


def rule(**fields: str | None) -> str:
    """One ``[[rule]]`` table; ``fields`` holds TOML values that replace the defaults,
    or ``None`` to leave a key out."""
    values: dict[str, str | None] = {
        "id": f'"{GOOD_ID}"',
        "name": '"test-rule"',
        "category": '"testing"',
        "languages": '["en"]',
        "description": '"""A rule for the loader tests:\na line that says "test rule line"."""',
        "patterns": "['''test\\s+rule\\s+line''']",
        "remove": '["Test rule line"]',
        "keep": '["A test rule line may also be part of a sentence, the author said."]',
    }
    values.update(fields)
    return "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None)


def document(bad_rule: str, first: str | None = None) -> str:
    """A rule file whose second rule is ``bad_rule``, after a comment and a good rule."""
    return "# Rules for the loader tests.\n\n" + (first or rule()) + "\n" + bad_rule


def header_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[rule]]"]


@dataclass(frozen=True)
class Bad:
    text: str
    message: str         # a part of the error message that says what is wrong
    rule: str | None     # the rule id the message must name
    line: int            # the line the message must name


def bad_rule(message: str, rule_id: str = BAD_ID, **fields: str | None) -> Bad:
    text = document(rule(**{"id": f'"{rule_id}"', "name": '"bad-rule"', **fields}))
    return Bad(text, message, rule_id, header_lines(text)[1])


def syntax_error() -> Bad:
    text = document(f'[[rule]]\nid = "{BAD_ID}"\nname = "unterminated\ncategory = "testing"\n')
    line = text.splitlines().index('name = "unterminated') + 1
    return Bad(text, "invalid TOML", None, line)


CASES = {
    "toml-syntax-error": syntax_error(),
    "unknown-key": bad_rule("colour", colour='"red"'),
    "duplicate-id-in-file": bad_rule("duplicate id", rule_id=GOOD_ID),
    "pattern-does-not-compile": bad_rule("does not compile",
                                         patterns="['''test\\s+(rule\\s+line''']"),
    "no-remove-examples": bad_rule("no examples", remove="[]"),
    "remove-key-missing": bad_rule("no examples", remove=None),
    "no-keep-examples": bad_rule("no examples", keep="[]"),
    "keep-key-missing": bad_rule("no examples", keep=None),
    "bad-zone": bad_rule("zone", zone='"footer"'),
    "name-not-kebab-case": bad_rule("kebab-case", name='"Bad_Rule"'),
    "name-with-capitals": bad_rule("kebab-case", name='"BadRule"'),
    "category-not-kebab-case": bad_rule("kebab-case", category='"Test Rules"'),
    "unknown-fragment": bad_rule("{{no_such_fragment}}",
                                 patterns="['''{{no_such_fragment}}\\s+rule''']"),
    "pattern-matches-empty-line": bad_rule("empty line", patterns="['''(?:test\\s+rule)?''']"),
    "fragment-only-matches-empty-line": bad_rule("empty line", patterns="['''{{deco}}''']"),
}


def check(error: RuleError, path: Path, bad: Bad) -> None:
    message = str(error)
    assert path.name in message
    assert f"{path.name}:{bad.line}:" in message, message
    assert bad.message in message
    if bad.rule is not None:
        assert f"rule {bad.rule}" in message
    assert error.line == bad.line
    assert error.rule == bad.rule
    assert error.path.name == path.name


@pytest.mark.parametrize("case", CASES)
def test_load_rules_rejects(case: str, tmp_path: Path) -> None:
    bad = CASES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(bad.text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(extra_files=[path])
    check(info.value, path, bad)
    # the cleaner refuses the file too (RuleError is a ValueError)
    with pytest.raises(ValueError, match=re.escape(path.name)):
        clean("Test rule line\n", rule_files=[path])


@pytest.mark.parametrize("case", [c for c in CASES if c != "duplicate-id-in-file"])
def test_load_rule_file_rejects(case: str, tmp_path: Path) -> None:
    bad = CASES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(bad.text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rule_file(path, shipped_fragments())
    check(info.value, path, bad)


def test_duplicate_of_a_shipped_id(tmp_path: Path) -> None:
    path = tmp_path / "clash.toml"
    text = document(rule(id='"AD001"', name='"my-ad-label"'))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(extra_files=[path])
    check(info.value, path, Bad(text, "duplicate id", "AD001", header_lines(text)[1]))
    assert "ads.toml" in str(info.value)  # where the id was first defined
    # without the shipped rules there is no clash
    assert [r.id for r in load_rules(extra_files=[path], builtin=False)] == [GOOD_ID, "AD001"]


def test_a_valid_file_loads_with_rule_lines(tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    text = document(rule(id=f'"{BAD_ID}"', name='"second-rule"', zone='"trailer"'))
    path.write_text(text, encoding="utf-8")
    rules = load_rules(extra_files=[path], builtin=False)
    assert [(r.id, r.name, r.zone, r.line) for r in rules] == [
        (GOOD_ID, "test-rule", "any", header_lines(text)[0]),
        (BAD_ID, "second-rule", "trailer", header_lines(text)[1]),
    ]
    assert rules[0].remove == ("Test rule line",)
    assert rules[0].description == 'A rule for the loader tests: a line that says "test rule line".'


def test_missing_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(RuleError, match=re.escape("missing.toml")):
        load_rules(extra_files=[path])


def test_rule_header_with_a_trailing_comment_still_gives_line_numbers(tmp_path: Path) -> None:
    # TOML allows a comment after a table header; the line must still be found
    good = rule().replace("[[rule]]", "[[rule]]  # the good one", 1)
    bad = rule(id=f'"{BAD_ID}"', name='"bad-rule"', zone='"footer"').replace(
        "[[rule]]", "[[rule]]  # the bad one", 1)
    text = document(bad, first=good)
    line = text.splitlines().index("[[rule]]  # the bad one") + 1
    path = tmp_path / "commented-headers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(extra_files=[path])
    check(info.value, path, Bad(text, "zone", BAD_ID, line))


def test_line_numbers_count_only_newlines(tmp_path: Path) -> None:
    # U+2028 (LINE SEPARATOR) is allowed in a TOML string and does not end a TOML line;
    # tomllib and editors do not count it, so neither may the loader
    first = rule(remove='["Test rule line", "Test rule line\u2028"]')
    text = document(rule(id=f'"{BAD_ID}"', name='"bad-rule"', zone='"footer"'), first=first)
    line = text.split("\n").index("[[rule]]", 3) + 1
    path = tmp_path / "line-separator.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(extra_files=[path])
    check(info.value, path, Bad(text, "zone", BAD_ID, line))



def test_catastrophic_pattern_is_rejected(tmp_path: Path) -> None:
    """A user pattern that would take exponential time on some line is refused at load
    time, with the file, rule and line, before it can hang a corpus run."""
    bad = bad_rule("backtracks catastrophically",
                   patterns="['''test\\s+(?:\\w|\\w\\w|\\s)+''']",
                   remove='["Test rule line"]')
    path = tmp_path / "slow.toml"
    path.write_text(bad.text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(extra_files=[path])
    check(info.value, path, bad)
    # the same pattern without the overlapping repeat loads
    path = tmp_path / "fast.toml"
    path.write_text(bad.text.replace("(?:\\w|\\w\\w|\\s)+", "[\\w\\s]+"), encoding="utf-8")
    assert BAD_ID in [r.id for r in load_rules(extra_files=[path])]


@pytest.mark.parametrize("shipped", load_rules(), ids=lambda r: r.id)
def test_shipped_patterns_are_fast_on_provoking_lines(shipped) -> None:
    import regex

    from cleaner.backtracking import slow_probe

    flags = "x" if shipped.case_sensitive else "xi"
    compiled = regex.compile("|".join(f"(?{flags}:{p}\n)" for _, p in shipped.patterns))
    assert slow_probe(compiled, shipped.remove + shipped.keep) is None


def test_shipped_rule_files_pass_every_load_check() -> None:
    """The shipped rules load without compiling their patterns (faster start-up); here
    they get the checks a user's file gets."""
    for path in rule_files(shipped_rules_dir()):
        assert load_rule_file(path, shipped_fragments(), check_patterns=True)
