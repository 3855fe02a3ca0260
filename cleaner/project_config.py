"""``[tool.cleaner]`` in a repository's ``pyproject.toml``, found from a folder upward.

So the pre-commit hook and the command line behave the same in a corpus repository::

    [tool.cleaner]
    disable = ["bylines", "SH001"]       # rule ids, names or categories
    enable = []                          # empty: all rules
    languages = ["en", "de"]             # default: all
    rules = ["rules/our-sites.toml"]     # extra rule files, relative to pyproject.toml
    builtin-rules = true
    repair-encoding = true
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .config import CleanerConfig

KEYS = ("enable", "disable", "languages", "rules", "builtin-rules", "repair-encoding")


class ProjectConfigError(ValueError):
    """A ``[tool.cleaner]`` table that cannot be used; the message names the file."""


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.cleaner]`` table, from ``start``
    upward; the search stops at the repository root (a folder holding ``.git``)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "cleaner" in _read(path).get("tool", {}):
            return path
        if (candidate / ".git").exists():
            return None
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectConfigError(f"{path}: cannot read [tool.cleaner]: {exc}") from None


def load_project_config(path: Path) -> CleanerConfig:
    """The configuration a ``pyproject.toml``'s ``[tool.cleaner]`` table describes."""
    table = _read(path).get("tool", {}).get("cleaner", {})
    if not isinstance(table, dict):
        raise ProjectConfigError(f"{path}: [tool.cleaner] must be a table")
    unknown = set(table) - set(KEYS)
    if unknown:
        raise ProjectConfigError(f"{path}: [tool.cleaner]: unknown key(s) "
                                 f"{', '.join(sorted(unknown))}; known: {', '.join(KEYS)}")

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ProjectConfigError(f"{path}: [tool.cleaner] {key} must be a list of strings")
        return value

    for key in ("builtin-rules", "repair-encoding"):
        if not isinstance(table.get(key, True), bool):
            raise ProjectConfigError(f"{path}: [tool.cleaner] {key} must be true or false")
    languages = strings("languages")
    return CleanerConfig(
        enable=frozenset(strings("enable")), disable=frozenset(strings("disable")),
        languages=frozenset(languages) if languages else None,
        rule_files=tuple(path.parent / p for p in strings("rules")),
        builtin_rules=table.get("builtin-rules", True),
        repair_encoding=table.get("repair-encoding", True))
