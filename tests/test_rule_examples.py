"""Every rule's own examples, run with only that rule enabled (``pytest -k AD001``).

Each example is placed in a small article, in the zone where the rule may fire: a
``remove`` example must vanish and leave the article intact, a ``keep`` example must come
back unchanged, and a second clean must change nothing.
"""

from __future__ import annotations

import pytest

from cleaner import clean, load_rules
from cleaner.rules import Rule

HEADLINE = "Council approves budget after long debate"
BODY1 = "The council approved the new budget on Tuesday after a long debate about schools."
BODY2 = "Officials said the plan would take effect next year, pending a final state review."

RULES = load_rules()


def contexts(rule: Rule, example: str) -> list[tuple[str, str]]:
    """(document, document without the example) pairs for the rule's zone."""
    header = (f"{HEADLINE}\n{example}\n{BODY1}\n{BODY2}\n", f"{HEADLINE}\n{BODY1}\n{BODY2}\n")
    trailer = (f"{BODY1}\n{BODY2}\n{example}\n", f"{BODY1}\n{BODY2}\n")
    middle = (f"{BODY1}\n\n{example}\n\n{BODY2}\n", f"{BODY1}\n\n{BODY2}\n")
    if rule.action == "block":
        # a widget block sits between blank lines or ends the document
        return [middle, trailer]
    return {"header": [header], "trailer": [trailer], "edge": [header, trailer],
            "any": [middle, header, trailer]}[rule.zone]


def only(rule: Rule, text: str) -> str:
    return clean(text, enable={rule.id})


def params(kind: str) -> list:
    return [pytest.param(rule, example, id=f"{rule.id}-{rule.name}-{kind}-{i}")
            for rule in RULES for i, example in enumerate(getattr(rule, kind))]


@pytest.mark.parametrize(("rule", "example"), params("remove"))
def test_remove_example_is_removed(rule: Rule, example: str) -> None:
    for document, expected in contexts(rule, example):
        out = only(rule, document)
        assert out == expected, f"{rule.id} did not remove {example!r}"
        assert only(rule, out) == out


@pytest.mark.parametrize(("rule", "example"), params("keep"))
def test_keep_example_is_kept(rule: Rule, example: str) -> None:
    for document, _ in contexts(rule, example):
        out = only(rule, document)
        assert out == clean(document, enable=set(), disable={r.id for r in RULES}), (
            f"{rule.id} removed part of {example!r}")
        assert only(rule, out) == out


@pytest.mark.parametrize(("rule", "case"), [
    pytest.param(rule, case, id=f"{rule.id}-{rule.name}-case-{i}")
    for rule in RULES for i, case in enumerate(rule.cases)])
def test_case(rule: Rule, case) -> None:
    out = only(rule, case.input)
    assert out == case.output
    assert only(rule, out) == out


def test_every_remove_example_is_caught_by_the_full_rule_set() -> None:
    for rule in RULES:
        for example in rule.remove:
            for document, expected in contexts(rule, example):
                assert clean(document) == expected, (rule.id, example)
