"""The ``cleaner`` command, run as a real process."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import EXIT_CHANGED, EXIT_ERROR, EXIT_OK
from cleaner.files import write_atomic

DIRTY = ("Summit set for next week\n\nBy Jane Doe\n\n"
         "The two leaders will meet next week in a city that has not been named yet.\n\n"
         "- Advertisement -\n\n"
         "Officials said the talks would focus on trade, security and the war in Ukraine.\n")
CLEANED = ("Summit set for next week\n\n"
           "The two leaders will meet next week in a city that has not been named yet.\n\n"
           "Officials said the talks would focus on trade, security and the war in Ukraine.\n")


def run(*args: str, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin,
                          capture_output=True, cwd=cwd, timeout=120)


def test_stdin_to_stdout() -> None:
    proc = run("clean", stdin=DIRTY.encode())
    assert proc.returncode == EXIT_OK
    assert proc.stdout.decode() == CLEANED
    proc = run("clean", "-", stdin=DIRTY.replace("\n", "\r\n").encode())
    assert proc.stdout.decode() == CLEANED.replace("\n", "\r\n")


def test_file_to_stdout_and_output_file(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(DIRTY)
    assert run("clean", str(src)).stdout.decode() == CLEANED
    out = tmp_path / "out" / "a.txt"
    proc = run("clean", str(src), "-o", str(out))
    assert proc.returncode == EXIT_OK
    assert out.read_text() == CLEANED
    assert src.read_text() == DIRTY


def test_in_place_rewrites_and_reports(tmp_path: Path) -> None:
    dirty, clean_file = tmp_path / "dirty.txt", tmp_path / "clean.txt"
    dirty.write_bytes(DIRTY.replace("\n", "\r\n").encode())
    clean_file.write_text(CLEANED)
    os.chmod(dirty, 0o640)
    proc = run("clean", "--in-place", str(dirty), str(clean_file))
    assert proc.returncode == EXIT_CHANGED
    assert f"Fixing {dirty} (2 lines removed)" in proc.stderr.decode()
    assert str(clean_file) not in proc.stderr.decode()
    assert dirty.read_bytes() == CLEANED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(dirty.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.txt", "dirty.txt"]
    # a second run finds nothing to do
    assert run("clean", "--in-place", str(dirty), str(clean_file)).returncode == EXIT_OK


def test_check_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(DIRTY)
    proc = run("clean", "--check", str(src))
    assert proc.returncode == EXIT_CHANGED
    assert "would clean" in proc.stderr.decode()
    assert src.read_text() == DIRTY
    src.write_text(CLEANED)
    assert run("clean", "--check", str(src)).returncode == EXIT_OK


def test_diff(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(DIRTY)
    proc = run("clean", "--diff", str(src))
    assert proc.returncode == EXIT_OK
    out = proc.stdout.decode()
    assert out.startswith(f"--- {src}\n+++ {src} (cleaned)\n")
    assert "\n-- Advertisement -\n" in out
    assert "\n-By Jane Doe\n" in out
    assert src.read_text() == DIRTY


def test_folder_check_and_mirror(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text(DIRTY)
    (docs / "sub" / "b.txt").write_text(CLEANED)
    (docs / "image.png").write_bytes(b"\x89PNG\x00\x00")
    assert run("clean", "--check", str(docs)).returncode == EXIT_CHANGED
    out = tmp_path / "out"
    assert run("clean", str(docs), "-o", str(out)).returncode == EXIT_OK
    assert (out / "a.txt").read_text() == CLEANED
    assert (out / "sub" / "b.txt").read_text() == CLEANED
    assert not (out / "image.png").exists()


def test_folder_needs_a_mode(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DIRTY)
    proc = run("clean", str(tmp_path))
    assert proc.returncode == EXIT_ERROR
    assert "several inputs" in proc.stderr.decode()


def test_explain_lists_removals() -> None:
    proc = run("explain", stdin=DIRTY.encode())
    assert proc.returncode == EXIT_OK
    out = proc.stdout.decode()
    assert "<stdin>:3: BY001 [bylines] 'By Jane Doe'" in out
    assert "<stdin>:7: AD001 [ads] '- Advertisement -'" in out
    assert "2 lines removed" in out


def test_explain_json_and_repairs() -> None:
    proc = run("explain", "--json", stdin="It doesn\u00e2\u20ac\u2122t matter.\n".encode())
    assert '"change": "repaired"' in proc.stdout.decode()
    assert "doesn’t" in proc.stdout.decode()


def test_rules_listing() -> None:
    proc = run("rules")
    assert proc.returncode == EXIT_OK
    out = proc.stdout.decode()
    assert "AD001" in out and "advertisement-label" in out
    assert run("rules", "--enable", "ads").stdout.decode().count("\nAD") >= 2


def test_bad_rule_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "X1"\nname = "x"\n')
    proc = run("clean", "--rules", str(bad), stdin=b"text\n")
    assert proc.returncode == EXIT_ERROR
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "bad.toml:1" in err and "X1" in err


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary\x00", None])
def test_unreadable_input(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    proc = run("clean", str(path))
    assert proc.returncode == EXIT_ERROR
    assert str(path) in proc.stderr.decode()
    assert proc.stderr.decode().count("\n") == 1


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    text = ("Le café de la gare a rouvert ses portes après trois années de travaux "
            "importants, a annoncé la mairie.\nPublicité\n")
    path.write_bytes(text.encode("cp1252"))
    out = run("clean", str(path)).stdout.decode("utf-8")
    assert out == text.splitlines()[0] + "\n"


def test_disable_and_language_options() -> None:
    text = b"Body text that goes on for a while, long enough to be a paragraph here.\nAnzeige\n"
    assert b"Anzeige" in run("clean", "--disable", "ads", stdin=text).stdout
    assert b"Anzeige" in run("clean", "--language", "fr", stdin=text).stdout
    assert b"Anzeige" not in run("clean", "--language", "de", stdin=text).stdout
    proc = run("clean", "--disable", "no-such-rule", stdin=text)
    assert proc.returncode == EXIT_ERROR and b"no-such-rule" in proc.stderr


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.txt"
    target.write_text("original\n")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new\n")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_rules_reference_is_current() -> None:
    """docs/rules.md is generated from the rule files; regenerate it with
    ``cleaner rules --markdown > docs/rules.md``."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert run("rules", "--markdown").stdout.decode() == docs.read_text(encoding="utf-8")


PAGE = ("<!DOCTYPE html><html><head><title>Bridge to reopen</title></head><body><article>"
        "<h1>Bridge to reopen</h1><p>By Jane Doe</p><p>The council voted on Tuesday to "
        "rebuild the old river bridge, closed to lorries since a flood damaged two of its "
        "piers last spring.</p><p>Advertisement</p><p>Engineers said the new bridge would "
        "take three years to build and cost about 40 million euros.</p></article></body></html>")


def test_html_is_detected_and_cleaned(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    for proc in (run("clean", str(page)), run("clean", "-", stdin=PAGE.encode()),
                 run("clean", "--format", "html", stdin=PAGE.encode())):
        assert proc.returncode == EXIT_OK
        out = proc.stdout.decode()
        assert "The council voted on Tuesday" in out and "Engineers said" in out
        assert "Advertisement" not in out and "By Jane Doe" not in out
        assert "<p>" not in out
    # forced text: the markup is just text
    assert b"<p>" in run("clean", "--format", "text", stdin=PAGE.encode()).stdout
    assert run("clean", "--in-place", str(page)).returncode == EXIT_ERROR


def test_folder_mixes_text_and_html(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(DIRTY)
    (docs / "b.html").write_text(PAGE)
    assert run("clean", str(docs), "-o", str(tmp_path / "out")).returncode == EXIT_OK
    assert (tmp_path / "out" / "a.txt").read_text() == CLEANED
    assert "Engineers said" in (tmp_path / "out" / "b.txt").read_text()
