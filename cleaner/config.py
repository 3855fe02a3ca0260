"""The one configuration object: which rules run, and whether encoding is repaired."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


def _frozen(values: Iterable[str] | str | None) -> frozenset[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return frozenset(values)


@dataclass(frozen=True)
class CleanerConfig:
    """What the cleaner does. Immutable and hashable, so compiled rule sets are cached.

    - ``enable``: rule ids, names or categories to run; empty runs every rule.
    - ``disable``: rule ids, names or categories never to run (wins over ``enable``).
    - ``languages``: language codes (``"en"``, ``"de"``...) whose rules run; ``None``
      runs all. Language-neutral rules always run.
    - ``rule_files``: extra rule files, in the same format as the shipped ones.
    - ``builtin_rules``: load the shipped rules (turn off to run only your own).
    - ``repair_encoding``: fix mojibake, stray HTML entities and control characters.
    """

    enable: frozenset[str] = frozenset()
    disable: frozenset[str] = frozenset()
    languages: frozenset[str] | None = None
    rule_files: tuple[Path, ...] = ()
    builtin_rules: bool = True
    repair_encoding: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "enable", _frozen(self.enable) or frozenset())
        object.__setattr__(self, "disable", _frozen(self.disable) or frozenset())
        object.__setattr__(self, "languages", _frozen(self.languages))
        object.__setattr__(self, "rule_files",
                           tuple(Path(p) for p in ([self.rule_files]
                                 if isinstance(self.rule_files, str | Path)
                                 else self.rule_files)))

    def with_overrides(self, **overrides: Any) -> CleanerConfig:
        """A copy with some fields replaced; unknown names raise ``TypeError``."""
        names = {f.name for f in fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise TypeError(f"unknown cleaner option(s): {', '.join(sorted(unknown))}")
        return replace(self, **overrides) if overrides else self


DEFAULT_CONFIG = CleanerConfig()
