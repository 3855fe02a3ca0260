"""End to end: the real ``pre-commit`` tool runs this checkout's hooks (``try-repo``)
on a temporary git repository of dirty and clean text files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) \
    or shutil.which("pre-commit")
BODY = ("The council approved the new budget on Tuesday after a long debate about "
        "schools and roads.")
DIRTY = f"Budget approved\n{BODY}\n- Advertisement -\n{BODY}\nLeave a Reply\n"
CLEAN = f"Budget approved\n{BODY}\n{BODY}\n"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    assert PRE_COMMIT, "pre-commit is part of the [test] extra"
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com"}


def git_repo(path: Path, env: dict[str, str], files: dict[str, str]) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True, env=env)
    for name, text in files.items():
        (path / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=path, check=True, env=env)


def try_repo(repo: Path, hook: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_fix_hook(tmp_path: Path, env: dict[str, str]) -> None:
    git_repo(tmp_path, env, {"dirty.txt": DIRTY, "clean.txt": CLEAN, "notes.py": DIRTY})
    first = try_repo(tmp_path, "cleaner", env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Fixing dirty.txt (2 lines removed)" in first.stdout
    assert (tmp_path / "dirty.txt").read_text() == CLEAN
    assert (tmp_path / "clean.txt").read_text() == CLEAN
    assert (tmp_path / "notes.py").read_text() == DIRTY  # not a corpus file
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True, env=env)
    second = try_repo(tmp_path, "cleaner", env)
    assert second.returncode == 0, second.stdout + second.stderr


def test_check_hook(tmp_path: Path, env: dict[str, str]) -> None:
    git_repo(tmp_path, env, {"dirty.txt": DIRTY, "clean.txt": CLEAN})
    proc = try_repo(tmp_path, "cleaner-check", env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "would clean dirty.txt" in proc.stdout
    assert (tmp_path / "dirty.txt").read_text() == DIRTY


def test_hook_reads_tool_cleaner_config(tmp_path: Path, env: dict[str, str]) -> None:
    git_repo(tmp_path, env, {"dirty.txt": DIRTY, "pyproject.toml":
                             '[tool.cleaner]\ndisable = ["ads", "comments"]\n'})
    proc = try_repo(tmp_path, "cleaner-check", env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
