"""Input problems reported to the user: file, line, what is wrong and what to do."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem with an input file. ``line`` is 1-based; 0 means the file as a whole."""

    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = _display(self.file) + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}" + (f" (what to do: {self.hint})" if self.hint else "")


def _display(file: str) -> str:
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
        print(f"PROBLEM {problem}")
