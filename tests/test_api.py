"""The public API: ``cleaner.__all__``, ``clean_and_explain``, keyword overrides,
``CleanerConfig`` and user rule files."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaner
from cleaner import CleanerConfig, CleanResult, Removal, clean, clean_and_explain, load_rules

HEADLINE = "Council approves budget after long debate"
BODY1 = "The council approved the new budget on Tuesday after a long debate about schools."
BODY2 = "Officials said the plan would take effect next year, pending a final state review."

RULES = {rule.id: rule for rule in load_rules()}


def test_all_is_frozen() -> None:
    assert cleaner.__all__ == [
        "CleanResult",
        "CleanerConfig",
        "HtmlCleanResult",
        "Removal",
        "Repair",
        "Rule",
        "RuleError",
        "clean",
        "clean_and_explain",
        "clean_html",
        "clean_html_and_explain",
        "load_rules",
    ]
    assert cleaner.__all__ == sorted(cleaner.__all__)
    for name in cleaner.__all__:
        assert getattr(cleaner, name) is not None


def test_docstring_example() -> None:
    assert clean("Body text.\n- Advertisement -\nMore body text.\n") == (
        "Body text.\nMore body text.\n")


# --- clean_and_explain -------------------------------------------------------------------

DOCUMENT = "\n".join([
    HEADLINE,              # 1
    "By John Smith",       # 2  BY001, header
    BODY1,                 # 3
    "",                    # 4
    "- Advertisement -",   # 5  AD001
    "",                    # 6
    BODY2,                 # 7
    "Ad image",            # 8  AD002
]) + "\n"


def test_clean_and_explain_reports_each_removal() -> None:
    result = clean_and_explain(DOCUMENT)
    assert isinstance(result, CleanResult)
    assert result.text == f"{HEADLINE}\n{BODY1}\n\n{BODY2}\n"
    assert result.text == clean(DOCUMENT)
    assert result.changed
    assert result.repairs == []
    assert [(r.line, r.text, r.rule_id) for r in result.removals] == [
        (2, "By John Smith", "BY001"),
        (5, "- Advertisement -", "AD001"),
        (8, "Ad image", "AD002"),
    ]
    for removal in result.removals:
        assert isinstance(removal, Removal)
        rule = RULES[removal.rule_id]
        assert removal.rule_name == rule.name
        assert removal.category == rule.category
        assert removal.reason.strip()
    assert [r.category for r in result.removals] == ["bylines", "ads", "ads"]


def test_removal_line_numbers_are_input_line_numbers_with_crlf() -> None:
    result = clean_and_explain(DOCUMENT.replace("\n", "\r\n"))
    assert [r.line for r in result.removals] == [2, 5, 8]
    assert result.text == f"{HEADLINE}\r\n{BODY1}\r\n\r\n{BODY2}\r\n"


def test_removal_line_numbers_survive_a_repair_that_splits_a_line() -> None:
    # line 1 becomes two lines once "&#10;" is decoded; numbers still count input lines
    text = f"{BODY1}&#10;{BODY2}\n\nâ€” Advertisement â€”\n{BODY2}\n"
    result = clean_and_explain(text)
    assert result.text == f"{BODY1}\n{BODY2}\n\n{BODY2}\n"
    assert [(r.line, r.text, r.rule_id) for r in result.removals] == [
        (3, "— Advertisement —", "AD001")]
    assert [r.line for r in result.repairs] == [1, 3]


def test_clean_and_explain_on_clean_text_changes_nothing() -> None:
    text = f"{HEADLINE}\n{BODY1}\n"
    result = clean_and_explain(text)
    assert result.text == text
    assert result.removals == []
    assert result.repairs == []
    assert not result.changed


# --- keyword overrides -------------------------------------------------------------------


def test_disable_a_category_keeps_its_lines() -> None:
    out = clean(DOCUMENT, disable={"ads"})
    assert "- Advertisement -" in out
    assert "Ad image" in out
    assert "By John Smith" not in out


def test_disable_by_rule_id_and_by_name() -> None:
    assert "- Advertisement -" in clean(DOCUMENT, disable={"AD001"})
    assert "- Advertisement -" in clean(DOCUMENT, disable={"advertisement-label"})
    assert "Ad image" not in clean(DOCUMENT, disable={"AD001"})


def test_enable_runs_only_that_rule() -> None:
    result = clean_and_explain(DOCUMENT, enable={"AD001"})
    assert [r.rule_id for r in result.removals] == ["AD001"]
    assert "By John Smith" in result.text
    assert "Ad image" in result.text
    assert "- Advertisement -" not in result.text


def test_disable_wins_over_enable() -> None:
    assert clean_and_explain(DOCUMENT, enable={"ads"}, disable={"AD001"}).removals[0].rule_id \
        == "AD002"


def test_languages_select_language_rules() -> None:
    text = f"{BODY1}\nPublicité\nAnzeige\n{BODY2}\n"
    assert clean(text) == f"{BODY1}\n{BODY2}\n"
    german = clean_and_explain(text, languages={"de"})
    assert german.text == f"{BODY1}\nPublicité\n{BODY2}\n"
    assert [(r.line, r.text) for r in german.removals] == [(3, "Anzeige")]
    assert clean(text, languages={"fr"}) == f"{BODY1}\nAnzeige\n{BODY2}\n"


def test_repair_encoding_override() -> None:
    text = f"{BODY1}\nIt doesnâ€™t matter.\n"
    assert clean(text) == f"{BODY1}\nIt doesn’t matter.\n"
    assert clean(text, repair_encoding=False) == text
    assert clean_and_explain(text, repair_encoding=False).repairs == []
    assert [r.after for r in clean_and_explain(text).repairs] == ["It doesn’t matter."]


def test_unknown_override_name_raises_type_error() -> None:
    with pytest.raises(TypeError, match="colour"):
        clean(DOCUMENT, colour="red")
    with pytest.raises(TypeError):
        clean_and_explain(DOCUMENT, disabled={"ads"})


def test_unknown_rule_in_disable_raises_value_error() -> None:
    with pytest.raises(ValueError, match="XX999"):
        clean(DOCUMENT, disable={"XX999"})
    with pytest.raises(ValueError, match="no-such-category"):
        clean(DOCUMENT, enable={"no-such-category"})


# --- CleanerConfig -----------------------------------------------------------------------


def test_config_passed_positionally() -> None:
    config = CleanerConfig(disable=frozenset({"ads"}))
    assert clean(DOCUMENT, config) == clean(DOCUMENT, disable={"ads"})
    assert "- Advertisement -" in clean(DOCUMENT, config)
    # keyword overrides apply on top of the object
    assert clean(DOCUMENT, config, disable=set()) == clean(DOCUMENT)
    assert clean_and_explain(DOCUMENT, config).text == clean(DOCUMENT, config)


def test_config_is_hashable_and_immutable() -> None:
    a = CleanerConfig(enable={"AD001"}, languages=["de", "en"])
    b = CleanerConfig(enable=frozenset({"AD001"}), languages=("en", "de"))
    assert a == b
    assert hash(a) == hash(b)
    assert {a: "x"}[b] == "x"
    assert hash(CleanerConfig()) == hash(CleanerConfig())
    assert a.enable == frozenset({"AD001"})
    assert a.languages == frozenset({"de", "en"})
    with pytest.raises(AttributeError):
        a.repair_encoding = False  # type: ignore[misc]


def test_config_with_overrides() -> None:
    config = CleanerConfig().with_overrides(repair_encoding=False)
    assert config.repair_encoding is False
    assert CleanerConfig().repair_encoding is True
    with pytest.raises(TypeError):
        CleanerConfig().with_overrides(no_such_field=1)


# --- user rule files ---------------------------------------------------------------------

USER_RULES = '''\
# A user rule file, in the same format as the shipped ones.

[[rule]]
id = "TST001"
name = "podcast-plug"
category = "promo"
languages = ["en"]
description = """A plug for the outlet's podcast on a line of its own."""
remove = ["Listen to our podcast", "*** LISTEN TO OUR PODCAST ***"]
keep = ["Listen to our podcast guests, the host said, and you will learn something."]
patterns = [\'\'\'{{deco}} listen\\s+to\\s+our\\s+podcast {{deco}}\'\'\']
'''


@pytest.fixture
def user_rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "promo.toml"
    path.write_text(USER_RULES, encoding="utf-8")
    return path


def test_user_rule_file_removes_its_examples(user_rule_file: Path) -> None:
    for example in ("Listen to our podcast", "*** LISTEN TO OUR PODCAST ***"):
        text = f"{BODY1}\n\n{example}\n\n{BODY2}\n"
        result = clean_and_explain(text, rule_files=[user_rule_file])
        assert result.text == f"{BODY1}\n\n{BODY2}\n"
        assert [(r.line, r.rule_id, r.category) for r in result.removals] == [
            (3, "TST001", "promo")]
        # without the file the line stays
        assert example in clean(text)


def test_user_rule_keep_example_is_kept(user_rule_file: Path) -> None:
    keep = "Listen to our podcast guests, the host said, and you will learn something."
    text = f"{BODY1}\n{keep}\n"
    assert clean(text, rule_files=[user_rule_file]) == text


def test_user_rules_run_next_to_builtin_rules(user_rule_file: Path) -> None:
    text = f"{BODY1}\nListen to our podcast\n- Advertisement -\n{BODY2}\n"
    assert clean(text, rule_files=[user_rule_file]) == f"{BODY1}\n{BODY2}\n"
    config = CleanerConfig(rule_files=(user_rule_file,))
    assert clean(text, config) == f"{BODY1}\n{BODY2}\n"
    assert "Listen to our podcast" in clean(text, config, disable={"promo"})


def test_builtin_rules_off_runs_only_user_rules(user_rule_file: Path) -> None:
    text = f"{BODY1}\nListen to our podcast\n- Advertisement -\n{BODY2}\n"
    result = clean_and_explain(text, rule_files=[user_rule_file], builtin_rules=False)
    assert result.text == f"{BODY1}\n- Advertisement -\n{BODY2}\n"
    assert [r.rule_id for r in result.removals] == ["TST001"]
    with pytest.raises(ValueError, match="AD001"):
        clean(text, rule_files=[user_rule_file], builtin_rules=False, disable={"AD001"})


def test_builtin_rules_off_without_rule_files_only_repairs() -> None:
    text = f"{BODY1}\n- Advertisement -\ncafÃ©\n"
    assert clean(text, builtin_rules=False) == f"{BODY1}\n- Advertisement -\ncafé\n"


ARROW_RULES = '''\
[[rule]]
id = "TST002"
name = "arrow-podcast-plug"
category = "promo"
languages = ["en"]
description = """A podcast plug behind arrows: "» Podcast plug", "»» podcast plug"."""
remove = ["» Podcast plug", "»» podcast plug", "podcast plug"]
keep = ["A podcast plug, he said, is harmless enough in the body of an article."]
patterns = [\'\'\'[»›]*\\s*podcast\\s+plug\'\'\']
'''


def test_user_rule_with_leading_marks_then_a_space(tmp_path: Path) -> None:
    # the pattern matches "» Podcast plug", but the prefix screen (cleaner.screen) treats
    # the \s* after the leading [»›]* as if it stood at the very start of the line, where
    # a normalized line has no space, so the line never reaches the pattern
    path = tmp_path / "arrows.toml"
    path.write_text(ARROW_RULES, encoding="utf-8")
    for line in ("podcast plug", "»» podcast plug", "» Podcast plug"):
        text = f"{BODY1}\n{line}\n{BODY2}\n"
        assert clean(text, rule_files=[path]) == f"{BODY1}\n{BODY2}\n", line


def test_clean_from_several_threads_gives_the_same_results() -> None:
    """The compiled rules (and what they remember between documents) are shared: many
    threads cleaning at once get what one thread gets, even when the memory of verdicts
    starts afresh under them."""
    from concurrent.futures import ThreadPoolExecutor

    from cleaner import engine

    corpus = Path(__file__).resolve().parent.parent / "corpus" / "input"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))] * 4
    expected = [clean(t) for t in texts]
    limit = engine.MAX_REMEMBERED
    engine.MAX_REMEMBERED = 5  # clear it all the time
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(clean, texts)) == expected
    finally:
        engine.MAX_REMEMBERED = limit


def test_header_that_grows_in_a_later_pass_is_cleaned() -> None:
    """Removing a widget in the body brings two body paragraphs together, so the next
    pass starts the body later: the dateline above them joins the header and goes."""
    paragraphs = [
        "The council approved the budget on Tuesday after a long debate about schools.",
        "Members argued for hours about the cost of repairing the old library building.",
        "The mayor said the new budget would be published on the city website next week.",
        "Residents can comment on the plans at a public meeting in the town hall on Monday.",
    ]
    lines = ["Council approves budget after long debate", paragraphs[0],
             "Jane Doe | August 8, 2025", paragraphs[1],
             "Related Articles", "Mayor opens new park", "City buses get new routes", "",
             paragraphs[2], "Photo of the town hall", paragraphs[3]]
    result = clean_and_explain("\n".join(lines) + "\n")
    assert [(r.line, r.rule_id) for r in result.removals] == [
        (3, "BY005"), (5, "RL003"), (6, "RL003"), (7, "RL003")]
    assert "in the header" in result.removals[0].reason
