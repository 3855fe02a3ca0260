"""bench/speed.py keeps working: every stage runs and reports its figures.

This checks the script, not the speed: the figures are printed for people to read.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from cleaner import clean_and_explain
from cleaner.lines import is_body_paragraph, normalize

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "speed.py"
SLICE = Path(__file__).resolve().parent / "data" / "bench-slice"


def test_every_stage_reports(tmp_path: Path, capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_speed", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    out = tmp_path / "speed.json"
    results = module.main([str(SLICE), "--repeat", "1", "--corpus-mb", "0.2",
                           "--json", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(results))
    stages = results["stages"]
    assert set(stages) == {"floor (splitlines + join)", "encoding check",
                           "matching (rule engine)", "clean()", "clean(), rules doubled",
                           "clean(), no rules"}
    assert stages["floor (splitlines + join)"]["ratio_to_floor"] == 1.0
    assert all(s["mb_per_s"] > 0 for s in stages.values())
    repair = results["encoding_repair"]
    assert repair["documents"] >= 1 and repair["mb_per_s"] > 0 and repair["share_of_clean"] > 0
    by_extractor = results["clean_by_extractor"]
    assert set(by_extractor) >= {"trafilatura", "html-text"}
    for name, docs in module.by_extractor(SLICE).items():
        mb = module.megabytes(docs)
        lines = [line for doc in docs for line in map(normalize, doc.splitlines()) if line]
        short = [line for line in lines if not is_body_paragraph(line)]
        removed = sum(len(clean_and_explain(doc).removals) for doc in docs)
        assert by_extractor[name]["lines_per_mb"] == round(len(lines) / mb)
        assert by_extractor[name]["short_lines_per_mb"] == round(len(short) / mb)
        assert by_extractor[name]["removed_per_mb"] == round(removed / mb)
    # whole-page text has more short lines, and more lines go, than an extractor's output
    page, article = by_extractor["html-text"], by_extractor["trafilatura"]
    assert page["short_lines_per_mb"] > article["short_lines_per_mb"]
    assert page["removed_per_mb"] > article["removed_per_mb"]
    assert results["clean_html"]["pages"] == 6 and results["clean_html"]["overhead"] > 0
    assert results["corpus_mode"]["mb"] >= 0.2 and results["corpus_mode"]["mb_per_s"] > 0
    assert results["corpus_mode"]["first_documents"] >= 1
    assert results["corpus_mode"]["first_documents_s"] > 0
    assert len(results["linearity_ms_per_mb"]) == 4
    printed = capsys.readouterr().out
    assert "x floor" in printed and "clean_html()" in printed and "corpus mode" in printed
