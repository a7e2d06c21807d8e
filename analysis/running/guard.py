"""The output folder of a run: checked before any analysis, locked while written, and kept tidy.

* ``check_output`` refuses an output folder that is the seeds folder or inside it, or that
  cannot be written, with a one-line error, before anything is computed;
* ``OutputLock`` takes an exclusive lock on ``<out>/.framing.lock``; a second run into the same
  folder refuses at once instead of mixing two corpora;
* ``tidy`` removes the workbook's own leftover temporary files (``.<name>.<random>.tmp``, from a
  run that was killed) and the outputs a previous run wrote that this run no longer produces
  (e.g. the reading view of a removed article). It only ever deletes files listed in the
  folder's ``.framing-written.json`` — what this workbook wrote — never a file it did not write.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from pathlib import Path

from analysis.files import write_bytes_atomic
from analysis.problems import InputError, Problem, warning

LOCK_NAME = ".framing.lock"
WRITTEN_NAME = ".framing-written.json"
#: The temporary files ``files.write_all_atomic`` creates: ``.<name>.<random>.tmp``.
TEMPORARY_RE = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")


def check_output(out: Path, seeds: Path) -> None:
    """Raise InputError (one problem) when ``out`` is the seeds folder, inside it, or not writable."""
    out, seeds = Path(out).resolve(), Path(seeds).resolve()
    if out == seeds or seeds in out.parents:
        raise InputError([Problem(str(out), 0, "the output folder is the seeds folder or inside it",
                                  "choose another folder with --out; the seeds folder holds only articles")])
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise InputError([Problem(str(out), 0, f"the output folder cannot be written ({exc.strerror or exc})",
                                  "choose a folder you can write with --out, or free some disk space")]) from None


class OutputLock:
    """Exclusive lock on an output folder for the duration of a ``with`` block."""

    def __init__(self, out: Path):
        self.path = Path(out) / LOCK_NAME
        self.handle = None

    def __enter__(self) -> "OutputLock":
        self.handle = self.path.open("a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise InputError([Problem(str(self.path.parent), 0, "another run is writing this output folder",
                                      "wait for it to finish, or give this run another --out")]) from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _previous(out: Path) -> list[str]:
    path = out / WRITTEN_NAME
    try:
        names = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [n for n in names if isinstance(n, str) and "/" not in n and n not in ("..", ".")] \
        if isinstance(names, list) else []


def tidy(out: Path, written: list[Path], folders: tuple[str, ...] = (".cache",)) -> list[Problem]:
    """Remove stale outputs and leftover temporary files; record what this run wrote.

    Returns a warning per file removed (so the user sees what went)."""
    out = Path(out)
    now = sorted({p.name for p in written if Path(p).parent.resolve() == out.resolve()})
    removed = []
    for name in sorted(set(_previous(out)) - set(now)):
        stale = out / name
        if stale.is_file() and not stale.is_symlink():
            os.unlink(stale)
            removed.append(warning(str(stale), 0, "removed: an earlier run wrote it and this run no longer produces it"))
    for folder in (out,) + tuple(out / f for f in folders):
        if folder.is_dir():
            for leftover in folder.iterdir():
                if TEMPORARY_RE.match(leftover.name) and leftover.is_file():
                    os.unlink(leftover)
    write_bytes_atomic(out / WRITTEN_NAME, (json.dumps(now, indent=0) + "\n").encode("utf-8"))
    return removed
