"""Corpus mode: JSONL in, JSONL out, nothing lost."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard

from cleaner import CleanerConfig
from cleaner import corpus as corpus_module
from cleaner.corpus import CorpusError, CorpusOptions, clean_jsonl

BODY = ("The council approved the new budget on Tuesday after a long debate about "
        "schools and roads.")
DIRTY = f"Budget approved\nBy Jane Doe\n{BODY}\n- Advertisement -\n{BODY}\nShare\n"
CLEAN = f"Budget approved\n{BODY}\n{BODY}\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True,
                          cwd=cwd, timeout=300)


def _opener(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open
    if path.name.endswith(".zst"):
        return zstandard.open
    return open


def write_jsonl(path: Path, records: list[object], extra_lines: list[str] = ()) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    with _opener(path)(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with _opener(path)(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def records(n: int) -> list[dict]:
    return [{"id": i, "text": DIRTY if i % 2 else CLEAN, "meta": {"n": i, "tags": ["a"]}}
            for i in range(n)]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_jsonl_fields_kept_order_kept(tmp_path: Path, suffix: str) -> None:
    src, dst = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    write_jsonl(src, records(20))
    proc = run("clean", str(src), "-o", str(dst))
    assert proc.returncode == 0, proc.stderr
    out = read_jsonl(dst)
    assert [r["id"] for r in out] == list(range(20))
    assert all(r["text"] == CLEAN for r in out)
    assert all(r["meta"] == {"n": r["id"], "tags": ["a"]} for r in out)


def test_text_field_option_and_stdout(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"body": DIRTY, "text": "untouched\n\n\n"}])
    proc = run("clean", str(src), "--text-field", "body")
    assert proc.returncode == 0
    (record,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert record == {"body": CLEAN, "text": "untouched\n\n\n"}


def test_jobs_give_identical_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_module, "CHUNK_BYTES", 2000)
    src = tmp_path / "in.jsonl"
    write_jsonl(src, records(300), extra_lines=["{broken", json.dumps({"text": 3})])
    config, options = CleanerConfig(), CorpusOptions()
    one = clean_jsonl(src, tmp_path / "one.jsonl", config, options, jobs=1,
                      removed_path=tmp_path / "one.removed")
    two = clean_jsonl(src, tmp_path / "two.jsonl", config, options, jobs=2,
                      removed_path=tmp_path / "two.removed")
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert (tmp_path / "one.removed").read_bytes() == (tmp_path / "two.removed").read_bytes()
    assert one.to_dict() == two.to_dict()
    assert one.documents == 300 and one.error_count == 2
    assert [e["line"] for e in two.errors] == [301, 302]


def test_bad_records_keep_skip_fail(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    bad = ["{not json", json.dumps({"id": 9}), json.dumps({"text": ["x"]}), "[1, 2]"]
    write_jsonl(src, records(3), extra_lines=bad)

    keep = run("clean", str(src), "-o", str(tmp_path / "keep.jsonl"))
    assert keep.returncode == 0
    err = keep.stderr.decode()
    assert "3 documents" in err and "4 errors" in err
    kept = (tmp_path / "keep.jsonl").read_text().splitlines()
    assert kept[3:] == bad  # unchanged, in place

    skip = run("clean", str(src), "-o", str(tmp_path / "skip.jsonl"), "--on-error", "skip",
               "--report", str(tmp_path / "report.json"))
    assert skip.returncode == 0
    assert len((tmp_path / "skip.jsonl").read_text().splitlines()) == 3
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["errors"] == 4
    assert [(e["line"], e["error"][:9]) for e in report["error_details"]] == [
        (4, "malformed"), (5, "record ha"), (6, "field 'te"), (7, "record is")]

    fail = run("clean", str(src), "-o", str(tmp_path / "fail.jsonl"), "--on-error", "fail")
    assert fail.returncode == 2
    assert f"{src}:4: malformed JSON" in fail.stderr.decode()
    assert not (tmp_path / "fail.jsonl").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.jsonl", "keep.jsonl", "report.json", "skip.jsonl"]


def test_report_and_removed_audit(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, records(4))
    proc = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--report",
               str(tmp_path / "r.json"), "--removed", str(tmp_path / "removed.jsonl"))
    assert proc.returncode == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["documents"] == 4 and report["changed"] == 2
    assert report["removed_by_category"] == {"bylines": 2, "ads": 2, "share": 2}
    assert report["bytes_in"] == src.stat().st_size
    removed = read_jsonl(tmp_path / "removed.jsonl")
    assert [(r["id"], r["line"], r["rule_id"]) for r in removed] == [
        (1, 2, "BY001"), (1, 4, "AD001"), (1, 6, "SH001"),
        (3, 2, "BY001"), (3, 4, "AD001"), (3, 6, "SH001")]


def test_in_place_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": CLEAN}])
    before = src.read_bytes()
    os.utime(src, (1, 1))
    assert run("clean", "--in-place", str(src)).returncode == 0
    assert src.read_bytes() == before and src.stat().st_mtime == 1  # untouched
    write_jsonl(src, [{"text": DIRTY}])
    assert run("clean", "--check", str(src)).returncode == 1
    proc = run("clean", "--in-place", str(src))
    assert proc.returncode == 1
    assert "Fixing" in proc.stderr.decode()
    assert read_jsonl(src) == [{"text": CLEAN}]


def test_folder_of_jsonl_mirrors(tmp_path: Path) -> None:
    (tmp_path / "in" / "part").mkdir(parents=True)
    write_jsonl(tmp_path / "in" / "part" / "a.jsonl", records(3))
    (tmp_path / "in" / "b.txt").write_text(DIRTY)
    assert run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")).returncode == 0
    assert [r["text"] for r in read_jsonl(tmp_path / "out" / "part" / "a.jsonl")] == [CLEAN] * 3
    assert (tmp_path / "out" / "b.txt").read_text() == CLEAN


def test_failure_leaves_no_partial_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, records(5), extra_lines=["{bad"])
    with pytest.raises(CorpusError):
        clean_jsonl(src, tmp_path / "out.jsonl", CleanerConfig(),
                    CorpusOptions(on_error="fail"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_killed_run_leaves_input_and_output_intact(tmp_path: Path, sig: int) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, records(40000))
    dst.write_text("previous output\n")
    src_bytes = src.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(src), "-o",
                             str(dst), "--jobs", "1"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert src.read_bytes() == src_bytes
    assert dst.read_text() == "previous output\n"
    if sig == signal.SIGINT:  # a clean interrupt also removes its temporary file
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_project_config_found_upward(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\ndisable = ["ads"]\n')
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "a.txt"
    doc.write_text(f"{BODY}\n- Advertisement -\nShare\n")
    proc = run("clean", "a.txt", cwd=tmp_path / "docs")
    assert proc.stdout.decode() == f"{BODY}\n- Advertisement -\n"
    proc = run("clean", "--no-config", "a.txt", cwd=tmp_path / "docs")
    assert proc.stdout.decode() == f"{BODY}\n"
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\ndisabled = ["ads"]\n')
    proc = run("clean", "a.txt", cwd=tmp_path / "docs")
    assert proc.returncode == 2
    assert "pyproject.toml" in proc.stderr.decode() and "disabled" in proc.stderr.decode()


def test_binary_file_in_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DIRTY)
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\x00\x00binary")
    proc = run("clean", "--in-place", str(tmp_path))
    assert proc.returncode == 1  # a.txt changed; the binary file is no error
    assert "skipped" in proc.stderr.decode() and "b.txt" in proc.stderr.decode()
    assert (tmp_path / "a.txt").read_text() == CLEAN
    assert (tmp_path / "b.txt").read_bytes() == b"\x89PNG\x00\x00binary"
