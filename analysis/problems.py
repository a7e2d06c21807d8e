"""Input problems reported to the user: file, line, what is wrong and what to do.

A problem is an ``error`` (the file cannot be analysed; the other files still are, and the
command exits with status 1) or a ``warning`` (the file is analysed, but on an assumption the
user should check, e.g. a fallback encoding or a text that does not look English).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The two kinds of problem, in order of gravity.
SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Problem:
    """One problem with an input file. ``line`` is 1-based; 0 means the file as a whole."""

    file: str
    line: int
    message: str
    hint: str = ""
    severity: str = "error"

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    @property
    def is_error(self) -> bool:
        """True when the file (or row) could not be analysed."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = display(self.file) + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}" + (f" (what to do: {self.hint})" if self.hint else "")


def warning(file: str, line: int, message: str, hint: str = "") -> Problem:
    """A problem that does not stop the file from being analysed."""
    return Problem(file, line, message, hint, "warning")


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that kept a file or row from being analysed."""
    return [p for p in problems if p.is_error]


def exit_status(problems: list[Problem]) -> int:
    """1 if any problem is an error, else 0 (warnings alone do not fail a run)."""
    return 1 if errors(problems) else 0


def display(file: str) -> str:
    """A path relative to the working directory when it lies under it, else the file name."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path.name if path.is_absolute() else file


class InputError(ValueError):
    """Raised with every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def show(problems: list[Problem]) -> None:
    """Print every problem, or a line saying there is none (for notebooks)."""
    if not problems:
        print("All inputs valid: no problems found.")
    for problem in problems:
        print(f"{'PROBLEM' if problem.is_error else 'WARNING'} {problem}")
