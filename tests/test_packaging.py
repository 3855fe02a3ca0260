"""The wheel ships the rule files, so an installed ``cleaner`` finds them anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_every_rule_file(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("boilerclean-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"cleaner/rules/{p.name}" for p in (ROOT / "rules").glob("*.toml")}
    assert shipped and shipped <= names
    assert "cleaner/cli.py" in names
