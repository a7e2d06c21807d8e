"""Codebooks: the variables coders answer, their values, level of measurement and unit.

A variable is ``variable, question, values, level, unit`` (+ optional ``group`` and ``note``):

* ``values``: the allowed answers, in order (the order is the ranking for ``ordinal``);
  numbers for ``interval`` and ``ratio``;
* ``level``: ``nominal``, ``ordinal``, ``interval`` or ``ratio`` (Krippendorff's alpha uses
  the matching distance);
* ``unit``: ``hit`` (one marker hit), ``sentence`` or ``article``.

``for_story`` builds the workbook's own variables (what the workbook codes itself, so it can
be validated); ``load`` reads a user codebook (TOML with ``[[variables]]`` tables, or CSV with
the columns above, values ``|``-separated) and reports every problem as FILE:LINE;
``generic_frames`` is the shipped Semetko & Valkenburg (2000) codebook.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import files
from analysis.input.tables import read_table
from analysis.problems import InputError, Problem

LEVELS = ("nominal", "ordinal", "interval", "ratio")
UNITS = ("hit", "sentence", "article")
COLUMNS = ("variable", "question", "values", "level", "unit", "group", "note")
REQUIRED = ("variable", "question", "values", "level", "unit")
#: Separator of the ``values`` cell in a CSV codebook.
VALUE_SEPARATOR = "|"
#: Columns every coding sheet has; a variable may not take one of these names.
SHEET_COLUMNS = ("unit_id", "doc_id", "text", "context", "text_sha256", "coder", "notes")
#: What a sheet shows in a cell whose variable does not apply to that row's unit.
NOT_APPLICABLE = "n/a"
#: The story's sides until a story pack supplies them: (id, label).
DEFAULT_SIDES = [("az", "Azerbaijani official"), ("am", "Armenian official")]
#: Hit sides beyond the story's own (see analysis/data/LEXICON.md): loaded but what neutral wires
#: also write; mirror terms both sides use; no side.
EXTRA_SIDES = ("wire", "both", "none")
VOICES = ("authorial", "attributed")
#: Sentence tone, ranked from negative to positive (ordinal).
TONES = ("negative", "neutral", "positive")
GENERIC_FRAMES = Path(__file__).resolve().parent / "data" / "generic_frames.toml"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Variable:
    """One question coders answer for each unit of kind ``unit``."""

    variable: str
    question: str
    values: tuple[str, ...]
    level: str = "nominal"
    unit: str = "hit"
    group: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.unit, self.variable

    def canonical(self, value: str) -> str | None:
        """The codebook spelling of ``value`` (case-insensitive; numbers compared as numbers), or None."""
        text = str(value).strip()
        for allowed in self.values:
            if text.casefold() == allowed.casefold():
                return allowed
        if self.level in ("interval", "ratio"):
            number = _number(text)
            for allowed in self.values:
                if number is not None and _number(allowed) == number:
                    return allowed
        return None


@dataclass
class Codebook:
    """Variables in order, with the codebook's provenance."""

    variables: list[Variable] = field(default_factory=list)
    title: str = ""
    citation: str = ""
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.variables)

    def __iter__(self):
        return iter(self.variables)

    def get(self, unit: str, variable: str) -> Variable | None:
        """The variable ``variable`` of unit ``unit``, or None."""
        return next((v for v in self.variables if v.key == (unit, variable)), None)

    def for_unit(self, unit: str) -> list[Variable]:
        return [v for v in self.variables if v.unit == unit]

    def names(self, units=UNITS) -> list[str]:
        """Variable names of ``units``, each once, in codebook order (the sheet's coding columns)."""
        return list(dict.fromkeys(v.variable for v in self.variables if v.unit in units))

    def extend(self, other: "Codebook") -> "Codebook":
        """This codebook plus ``other``'s variables; a (unit, variable) defined twice is an error."""
        problems = [Problem(other.sources[0] if other.sources else "codebook", 0,
                            f"variable {v.variable!r} of unit {v.unit} is already defined",
                            "give your variable another name")
                    for v in other.variables if self.get(v.unit, v.variable)]
        if problems:
            raise InputError(problems)
        return Codebook(self.variables + other.variables, self.title or other.title,
                        "; ".join(c for c in (self.citation, other.citation) if c), self.sources + other.sources)

    def frame(self) -> pd.DataFrame:
        """The codebook as a table (COLUMNS; values ``|``-joined): what a codebook CSV holds."""
        rows = [{"variable": v.variable, "question": v.question, "values": VALUE_SEPARATOR.join(v.values),
                 "level": v.level, "unit": v.unit, "group": v.group, "note": v.note} for v in self.variables]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    @property
    def sha256(self) -> str:
        """sha256 (hex) of the codebook table's CSV bytes: which codebook coded a sheet."""
        return hashlib.sha256(files.csv_bytes(self.frame())).hexdigest()


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def for_story(sides: list[tuple[str, str]], categories: list[str]) -> Codebook:
    """The workbook's own variables for a story with ``sides`` ``[(id, label), …]``.

    ``hit``: side (the side ids + wire, both, none), category (``categories``), voice;
    ``sentence``: tone (ordinal), voice, has_marker (yes/no: the lexicon's recall);
    ``article``: framing (the side ids + mixed + none).
    """
    ids = [s for s, _ in sides]
    named = "; ".join(f"{s} = {label} framing" for s, label in sides)
    voice_q = ("Is the {what} in the author's own voice (authorial) or someone else's words: a quotation, "
               "reported speech or a statement credited to a source (attributed)?{extra}")
    return Codebook([
        Variable("side", "Whose framing does the marked word or phrase adopt, as used here? " + named +
                 "; wire = loaded, but what neutral wire services also write; both = a term both sides use; "
                 "none = no side. A side's term in someone else's words, or a place given with both its "
                 "names, counts as none.", tuple(ids) + EXTRA_SIDES, "nominal", "hit"),
        Variable("category", "What kind of marker is the marked word or phrase? toponym (a place name), region, "
                 "entity (a state or body), actor_label, event_label, delegitimiser, euphemism, intensifier "
                 "(including puffery), attribution_neutral, attribution_doubt or attribution_endorse (a verb of "
                 "saying that is neutral, casts doubt, or presents the words as true), hedge, presupposition, "
                 "slogan (definitions: the story pack's LEXICON.md).",
                 tuple(categories), "nominal", "hit"),
        Variable("voice", voice_q.format(what="marked word or phrase", extra=(
            " A verb of saying that introduces someone else's words (said, noted) belongs to them: attributed.")),
                 VOICES, "nominal", "hit"),
        Variable("tone", "What tone does the sentence as a whole take towards what it reports?",
                 TONES, "ordinal", "sentence"),
        Variable("voice", voice_q.format(what="sentence, for the most part", extra=""), VOICES, "nominal", "sentence"),
        Variable("has_marker", "Does the sentence contain at least one marker: a place or region name the sides "
                 "dispute or name differently (e.g. Khankendi, Stepanakert, Karabakh), a loaded label for an actor "
                 "or event, a delegitimising word, a euphemism, an intensifier or promotional wording, a hedge, a "
                 "presupposition, a slogan, or a verb of saying that casts doubt or endorses? Neutral verbs of "
                 "saying (said, told, added) do not count.",
                 ("yes", "no"), "nominal", "sentence"),
        Variable("framing", "Whose framing does the article adopt in its own voice? " + named +
                 "; mixed = both sides'; none = no side's.", tuple(ids) + ("mixed", "none"), "nominal", "article"),
    ], title="The workbook's own coding", sources=["analysis.validation.codebook.for_story"])


def default(sides: list[tuple[str, str]] | None = None, categories: list[str] | None = None,
            frames: bool = True) -> Codebook:
    """``for_story`` (DEFAULT_SIDES, the lexicon's categories) plus the generic frames if ``frames``."""
    from analysis.framing import lexicon

    book = for_story(sides or DEFAULT_SIDES, list(categories or lexicon.CATEGORIES))
    return book.extend(generic_frames()) if frames else book


def generic_frames() -> Codebook:
    """Semetko & Valkenburg's (2000) five generic news frames, 20 yes/no items (unit article)."""
    return load(GENERIC_FRAMES)


def load(path: str | Path) -> Codebook:
    """Read and check a codebook file (``.toml`` or CSV). Raises InputError with every problem."""
    path = Path(path)
    if path.suffix.lower() == ".toml":
        records, meta, problems = _toml_records(path)
    else:
        table = read_table(path, COLUMNS, REQUIRED, what="codebook")
        records, meta, problems = table.rows, {}, list(table.problems)
        records = [(line, {**row, "values": [v.strip() for v in row.get("values", "").split(VALUE_SEPARATOR)
                                             if v.strip()]}) for line, row in records]
    variables, seen = [], {}
    for line, row in records:
        found = _check(path, line, row, seen)
        problems.extend(found)
        if not found:
            seen[(row["unit"], row["variable"])] = line
            variables.append(Variable(row["variable"], row["question"], tuple(row["values"]), row["level"],
                                      row["unit"], row.get("group", ""), row.get("note", "")))
    if not records and not problems:
        problems.append(Problem(str(path), 0, "the codebook has no variables", "add at least one variable"))
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return Codebook(variables, meta.get("title", ""), meta.get("citation", ""), [str(path)])


def _toml_records(path: Path) -> tuple[list[tuple[int, dict]], dict, list[Problem]]:
    """``(line, row)`` per ``[[variables]]`` table (line of its header), the top-level keys, problems."""
    try:
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except FileNotFoundError:
        return [], {}, [Problem(str(path), 0, "the codebook is missing", "check the path")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], {}, [Problem(str(path), 0, f"the codebook cannot be read ({exc})", "save it as UTF-8 TOML")]
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        return [], {}, [Problem(str(path), int(line.group(1)) if line else 0, f"not valid TOML ({exc})",
                                "check the quotes and brackets")]
    lines = [i + 1 for i, text in enumerate(raw.splitlines()) if re.match(r"^\s*\[\[\s*variables\s*\]\]", text)]
    tables = data.get("variables", [])
    if not isinstance(tables, list):
        return [], {}, [Problem(str(path), 0, "'variables' must be a list of [[variables]] tables", "")]
    records = []
    for i, table in enumerate(tables):
        line = lines[i] if i < len(lines) else 0
        row = {k: (v if k == "values" else str(v).strip()) for k, v in table.items()}
        if not isinstance(row.get("values", []), list):
            row["values"] = [x.strip() for x in str(row["values"]).split(VALUE_SEPARATOR)]
        row["values"] = [str(v).strip() for v in row.get("values", []) if str(v).strip()]
        records.append((line, row))
    meta = {k: str(v) for k, v in data.items() if k != "variables" and not isinstance(v, (list, dict))}
    return records, meta, []


def _check(path: Path, line: int, row: dict, seen: dict) -> list[Problem]:
    where, problems = str(path), []
    name = row.get("variable", "")

    def add(message, hint=""):
        problems.append(Problem(where, line, message, hint))

    if not _NAME_RE.match(name):
        add(f"variable name {name!r} is not allowed", "use lower-case letters, digits and '_', starting with a letter")
    elif name in SHEET_COLUMNS:
        add(f"variable name {name!r} is a coding-sheet column", "choose another name")
    unknown = sorted(set(row) - set(COLUMNS))
    if unknown:
        add(f"unknown field(s): {', '.join(unknown)}", f"use only {', '.join(COLUMNS)}")
    if not row.get("question"):
        add(f"variable {name!r} has no question", "write the question coders answer")
    if row.get("level") not in LEVELS:
        add(f"unknown level {row.get('level', '')!r}", f"use one of {', '.join(LEVELS)}")
    if row.get("unit") not in UNITS:
        add(f"unknown unit {row.get('unit', '')!r}", f"use one of {', '.join(UNITS)}")
    values = row.get("values", [])
    if not values:
        add(f"variable {name!r} has no values", "list the allowed answers, e.g. yes|no")
    repeated = sorted({v for v in values if [x.casefold() for x in values].count(v.casefold()) > 1})
    if repeated:
        add(f"value(s) listed twice: {', '.join(repeated)}", "list each value once")
    if NOT_APPLICABLE in (v.casefold() for v in values):
        add(f"{NOT_APPLICABLE!r} cannot be a value", "it marks a variable that does not apply to a unit")
    if row.get("level") in ("interval", "ratio"):
        bad = [v for v in values if _number(v) is None or (row["level"] == "ratio" and _number(v) < 0)]
        if bad:
            add(f"{row['level']} values must be numbers{' ≥ 0' if row['level'] == 'ratio' else ''}: "
                f"{', '.join(bad)}", "write the values as numbers, e.g. 1|2|3|4|5")
    if (row.get("unit"), name) in seen:
        add(f"variable {name!r} of unit {row.get('unit')} is defined twice (first at line "
            f"{seen[(row.get('unit'), name)]})", "keep one definition")
    return problems
