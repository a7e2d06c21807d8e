"""Files the workbook writes: safe output names and atomic writes.

Every file is written atomically (a temporary file in the same folder, then a rename), so an
interrupted run leaves the previous version intact. Output names are plain file stems checked to
stay inside the output folder; names derived from untrusted text (ids, titles) go through
``safe_stem`` first. Nothing here deletes a file it did not create: the only removals are of
its own temporary files after a failure.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from analysis import config

#: An output name: a plain file stem of at most 121 ASCII letters, digits, '_', '-', '.'.
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}")
#: Device names Windows reserves whatever the extension ("con.csv" is not a file there).
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                            *(f"lpt{i}" for i in range(10))})
def safe_name(name: str) -> str:
    """Check that an output name is a plain file stem that cannot leave the output folder."""
    if (not isinstance(name, str) or not NAME_RE.fullmatch(name) or ".." in name or name.endswith(".")
            or name.split(".")[0].lower() in RESERVED_NAMES):
        raise ValueError(f"output name {name!r} is not allowed: use letters, digits, '_', '-' and '.' only")
    return name


def safe_stem(text: str, max_length: int = 80) -> str:
    """A safe output name derived from untrusted text (a document id or title).

    Letters are reduced to ASCII, every other run of characters becomes '-'; a short hash of
    the original is appended whenever anything was changed, so different texts keep different
    names. Always passes ``safe_name``.
    """
    text = str(text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text).replace("..", "-").strip("-._")[:max_length].strip("-._")
    if stem != text or not stem or stem.split(".")[0].lower() in RESERVED_NAMES:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        stem = f"{stem}-{digest}" if stem else f"x-{digest}"
    return safe_name(stem)


def output_path(name: str, suffix: str, out: str | os.PathLike | None = None) -> Path:
    """``<out>/<name>.<suffix>``, refusing names that would resolve outside ``out``."""
    folder = config.figures_dir(out)
    path = folder / f"{safe_name(name)}.{suffix}"
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"output name {name!r} would leave the output folder")
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    write_all_atomic({path: data})
    return path


def _temporary(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_all_atomic(files: dict[Path, bytes]) -> list[Path]:
    """Write several files: every temporary file first, then the renames.

    A failure while writing (disk full, permission) removes the temporary files and leaves
    every previous file as it was.
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            written.append((_temporary(Path(path), data), Path(path)))
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
    return [path for _, path in written]
