"""Reading inputs and writing outputs safely: decoding, binary detection, atomic writes."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .encoding import decode_bytes, looks_binary

# Files taken from a directory given on the command line.
TEXT_SUFFIXES = (".txt", ".text", ".md")


class InputError(Exception):
    """An input that cannot be cleaned; the message names the file."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)


class BinaryFileError(InputError):
    """An input that is not text at all (an image, an archive)."""


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def read_stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()


def decode_input(name: Path | str, data: bytes) -> str:
    """Decode a text input (UTF-8, or the detected encoding); binary data is an error."""
    if looks_binary(data):
        raise BinaryFileError(name, "binary file (contains NUL bytes), not text")
    try:
        return decode_bytes(data)
    except ValueError as exc:
        raise InputError(name, str(exc)) from None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file in the same folder
    and a rename, so a crash never leaves a half-written file. An existing file keeps
    its permission bits."""
    path = Path(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8", "surrogatepass"))
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def iter_text_files(directory: Path, suffixes: tuple[str, ...] = TEXT_SUFFIXES
                    ) -> Iterator[Path]:
    """Files under ``directory`` whose names end with one of ``suffixes``, recursively,
    in a stable order; hidden files and folders (``.git``) are skipped."""
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.name.lower().endswith(suffixes):
            yield path
