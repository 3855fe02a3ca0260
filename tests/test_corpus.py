"""The acceptance corpus: every document in corpus/input/ cleans to corpus/expected/.

Set ``CLEANER_REGENERATE=1`` to rewrite the expected files from the current cleaner on
purpose; review the diff (``git diff corpus/``) before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner import clean

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
INPUTS = sorted((CORPUS / "input").glob("*.txt"))
REGENERATE = os.environ.get("CLEANER_REGENERATE") == "1"


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def test_corpus_is_there() -> None:
    assert len(INPUTS) >= 35
    missing = [p.name for p in INPUTS if not (CORPUS / "expected" / p.name).exists()]
    assert not missing, f"inputs without an expected output: {missing}"


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_document(path: Path) -> None:
    expected_path = CORPUS / "expected" / path.name
    out = clean(read(path))
    if REGENERATE:
        with expected_path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(out)
    assert out == read(expected_path)
    assert clean(out) == out
