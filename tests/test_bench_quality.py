"""bench/quality.py keeps working: its metric, and a run over a few pages."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "quality.py"
# six real pages of the benchmark (MIT, Scrapinghub), in its layout; see its README
SLICE = Path(__file__).resolve().parent / "data" / "bench-slice"


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_quality", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


# --- the metric ------------------------------------------------------------------------

def test_shingles_are_runs_of_four_word_tokens(quality: ModuleType) -> None:
    assert quality.tokenize("Don’t stop—now! 42") == ["Don", "t", "stop", "now", "42"]
    assert list(quality.shingles("a b c d e")) == [("a", "b", "c", "d"), ("b", "c", "d", "e")]
    assert list(quality.shingles("a b")) == [("a", "b")]       # short: one shingle
    assert list(quality.shingles(" ... ")) == []                # no tokens: none


def test_match_and_score_follow_the_benchmark(quality: ModuleType) -> None:
    true = "one two three four five six"          # 3 shingles
    assert quality.match(true, true) == (1.0, 0.0, 0.0)
    # prediction: the first 2 true shingles and 2 of its own
    tp, fp, fn = quality.match(true, "one two three four five x y")
    assert (tp, fp, fn) == pytest.approx((2 / 5, 2 / 5, 1 / 5))
    scores = quality.score([(true, true), (true, "")])
    # the empty prediction counts for recall (0) but not for precision
    assert scores.precision == 1.0
    assert scores.recall == 0.5
    assert scores.f1 == pytest.approx(2 / 3)
    assert scores.empty == 1


def test_body_membership(quality: ModuleType) -> None:
    body = quality.Body("The mayor spoke.\n\nShe said the bridge will open in May 2026.")
    assert body.contains("the bridge will open")
    assert body.contains("She said the bridge will open in May 2026.")
    assert body.has_paragraph("She said the bridge will open in May 2026.")
    assert not body.has_paragraph("the bridge will open")
    assert not body.contains("Share this article")
    assert not body.contains(")")                                # no word: never body
    # the same paragraph, give or take a word an extractor left out
    assert body.contains("She said the bridge will open in May 2026 or later.")


def test_metric_reproduces_the_reference_implementation(quality: ModuleType) -> None:
    # raw extractor scores on the six pages, computed with the benchmark's own
    # evaluate.py functions (on the whole development half the same check gives
    # trafilatura 0.942022 / 0.973582 / 0.957542)
    bench = quality.load(SLICE)
    expected = {"trafilatura": (0.918034, 0.995025, 0.95498),
                "readability_js": (0.957668, 0.994844, 0.975902),
                "newspaper": (0.993986, 0.995025, 0.994505),
                "html-text": (0.557494, 1.0, 0.715886)}
    for name, (p, r, f1) in expected.items():
        s = quality.score([(bench.truth[k], bench.outputs[name][k]) for k in bench.ids])
        assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f1), abs=1e-6)


# --- a run ------------------------------------------------------------------------------

ARTICLE = ("The council voted on Tuesday to rebuild the old river bridge, closed to lorries "
           "since a flood damaged two of its piers last spring.")
MORE = ("Engineers said the new bridge would take three years to build and cost about 40 "
        "million euros, most of it paid by the regional government.")


def _mini_benchmark(folder: Path) -> list[str]:
    """Three pages in the benchmark's layout."""
    ids = ["0a", "0b", "0c"]
    (folder / "html").mkdir(parents=True)
    truth, outputs = {}, {"good": {}, "noisy": {}, "empty": {}}
    for n, page in enumerate(ids):
        body = f"{ARTICLE}\n\n{MORE} Page {n}."
        truth[page] = {"articleBody": body, "url": f"https://example.com/{page}"}
        outputs["good"][page] = {"articleBody": body}
        outputs["noisy"][page] = {"articleBody": f"By Jane Doe\n{ARTICLE}\n- Advertisement -\n"
                                                 f"{MORE} Page {n}.\nShare on Facebook\n"}
        outputs["empty"][page] = {"articleBody": ""}
        html = (f"<html><head><title>Bridge {n}</title></head><body><article>"
                f"<h1>Bridge {n}</h1><p>By Jane Doe</p><p>{ARTICLE}</p>"
                f"<p>- Advertisement -</p><p>{MORE} Page {n}.</p></article></body></html>")
        (folder / "html" / f"{page}.html.gz").write_bytes(gzip.compress(html.encode()))
    (folder / "ground-truth.json").write_text(json.dumps(truth))
    (folder / "extractor-outputs.json").write_text(json.dumps(outputs))
    return list(outputs)


def _check_figures(figures: dict, names: list[str]) -> None:
    assert set(figures) == {*names, "clean_html"}
    for name, fig in figures.items():
        for stage in ("raw", "cleaned"):
            for key in ("precision", "recall", "f1"):
                assert 0.0 <= fig[stage][key] <= 1.0, (name, stage, key)
        assert fig["cleaned"]["documents"] == 3


def test_main_on_a_mini_benchmark(quality: ModuleType, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    names = _mini_benchmark(tmp_path / "bench")
    out = tmp_path / "figures.json"
    data = quality.main([str(tmp_path / "bench"), "--limit", "3", "--json", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(data))
    _check_figures(data["figures"], names)
    noisy = data["figures"]["noisy"]
    assert noisy["cleaned"]["precision"] > noisy["raw"]["precision"]
    # the junk lines also broke shingles that span them: recall rises too
    assert noisy["cleaned"]["recall"] == 1.0 > noisy["raw"]["recall"]
    assert data["figures"]["good"]["cleaned"]["f1"] == 1.0
    assert data["figures"]["empty"]["raw"]["empty"] == 3
    assert data["false_positives"] == []
    printed = capsys.readouterr().out
    assert "noisy" in printed and "clean_html" in printed


def test_false_positives_and_leftovers_are_reported(quality: ModuleType,
                                                    tmp_path: Path) -> None:
    _mini_benchmark(tmp_path / "bench")
    truth = json.loads((tmp_path / "bench" / "ground-truth.json").read_text())
    for page in truth.values():   # the annotators kept the byline
        page["articleBody"] = "By Jane Doe\n\n" + page["articleBody"]
    (tmp_path / "bench" / "ground-truth.json").write_text(json.dumps(truth))
    data = quality.main([str(tmp_path / "bench")])
    removed = {(fp["source"], fp["rule"], fp["line"]) for fp in data["false_positives"]}
    assert ("noisy", "BY001", "By Jane Doe") in removed
    leftovers = {item["line"]: item for item in data["leftovers"]}
    assert "Bridge 0" in leftovers            # clean_html's title line is not in the body
    assert leftovers["Bridge 0"]["sources"] == ["clean_html"]


def test_main_on_three_real_pages(quality: ModuleType) -> None:
    names = list(json.loads((SLICE / "extractor-outputs.json").read_text()))
    data = quality.main([str(SLICE), "--limit", "3"])
    _check_figures(data["figures"], names)
    assert data["pages"] == 3
