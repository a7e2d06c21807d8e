"""The framing-marker lexicon: a sourced CSV inside the package, validated on load.

One row per concept (``data/markers.csv``; fields explained in ``data/LEXICON.md``). Users add
entries in a second file with the same columns (``data/markers_user.csv`` by default, or any
path) that merges in. Every problem is reported with file and line: unknown category, side,
strength, status or technique; an empty or broken variant pattern; a variant listed twice; a
user entry that would silently shadow a built-in one (a user row may replace a built-in concept
only by reusing its ``concept`` name, which is then reported in ``Lexicon.replaced``).

Variant patterns are lower-case phrases. A space matches any run of white space, a hyphen
matches a hyphen, a space or nothing ("anti-terror" also finds "anti terror", "antiterror"),
curly and straight quotes and all dashes are alike, and ``*`` at the end of a word matches any
word ending (LIWC/quanteda dictionary convention: ``liberat*``). Matches never start or end
inside a word ("preoccupation" is not "occupation").

Two optional columns drive ``framing.direction``: ``direction`` (``accuses`` or ``claims``, for
mirror terms whose side follows from who does what to whom) and ``requires`` (context words or
``@category``, ``|``-separated, without which the entry is used in another sense).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.framing import patterns
from analysis.input.tables import read_table
from analysis.problems import InputError, Problem

COLUMNS = ("concept", "term", "variants", "category", "technique", "side", "strength", "pair",
           "neutral_alternative", "status", "sources", "note", "direction", "requires")
REQUIRED = ("concept", "term", "variants", "category", "side", "strength")
CATEGORIES = ("toponym", "region", "entity", "actor_label", "event_label", "delegitimiser", "euphemism",
              "intensifier", "attribution_neutral", "attribution_doubt", "attribution_endorse", "hedge",
              "presupposition", "slogan")
#: The universal sides: wire = loaded or intensifying but what neutral wires also write; both =
#: mirror terms both sides use; none = no side. A story pack adds its own sides.
SIDES = ("wire", "both", "none")
STRENGTHS = ("strong", "weak")
STATUSES = ("verified", "unverified")
#: Optional ``direction`` of a mirror term (``framing.direction``): ``accuses`` counts the hit for the
#: side opposite to the agent it names ("occupied by X"), ``claims`` for the agent's own side.
DIRECTIONS = ("accuses", "claims")
#: SemEval-2020 Task 11 technique labels (Da San Martino et al. 2020), exact strings.
TECHNIQUES = ("Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
              "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation",
              "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans",
              "Thought-terminating_Cliches", "Whataboutism,Straw_Men,Red_Herring")
_CONCEPT_RE = re.compile(r"^[a-z0-9_]+$")
_VERSION_RE = re.compile(r"^#\s*lexicon_version:\s*(\S+)\s*$")


@dataclass
class Lexicon:
    """Validated entries (one row per concept) plus provenance."""

    entries: pd.DataFrame
    version: str
    sha256: str
    files: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, concept: str) -> dict:
        rows = self.entries[self.entries["concept"] == concept]
        if rows.empty:
            raise KeyError(f"no concept {concept!r} in the lexicon")
        return rows.iloc[0].to_dict()

    def variants(self) -> list[tuple[str, str]]:
        """``(variant, concept)`` for every variant, in file order."""
        return [(v, row.concept) for row in self.entries.itertuples() for v in row.variants]


def _check_row(path: Path, number: int, row: dict, sides: tuple[str, ...] = SIDES) -> list[Problem]:
    where = lambda msg, hint: Problem(str(path), number, msg, hint)  # noqa: E731
    problems = []
    for col in REQUIRED:
        if not row.get(col):
            problems.append(where(f"'{col}' is empty", f"fill in {col}"))
    if row.get("concept") and not _CONCEPT_RE.match(row["concept"]):
        problems.append(where(f"concept {row['concept']!r} must be lower case letters, digits and '_'", "e.g. illegal_separatists"))
    checks = (("category", CATEGORIES), ("side", sides), ("strength", STRENGTHS))
    for col, allowed in checks:
        if row.get(col) and row[col] not in allowed:
            problems.append(where(f"unknown {col} {row[col]!r}", f"use one of {', '.join(allowed)}"))
    if row.get("status") and row["status"] not in STATUSES:
        problems.append(where(f"unknown status {row['status']!r}", f"use one of {', '.join(STATUSES)}"))
    if row.get("status") == "unverified" and row.get("strength") == "strong":
        problems.append(where("an unverified entry cannot be strong", "set strength to weak until the usage is confirmed"))
    if not [u for u in row.get("sources", "").split("|") if u.strip()]:
        problems.append(where("no source given", "add at least one URL or reference in 'sources'"))
    if row.get("technique") and row["technique"] not in TECHNIQUES:
        problems.append(where(f"unknown technique {row['technique']!r}", "use a SemEval-2020 label (see LEXICON.md) or leave it empty"))
    for variant in (v.strip() for v in row.get("variants", "").split("|")):
        reason = patterns.variant_problem(variant)
        if reason:
            problems.append(where(reason, "use words, single spaces, hyphens and apostrophes, with '*' only at the end"))
    if row.get("direction") and row["direction"] not in DIRECTIONS:
        problems.append(where(f"unknown direction {row['direction']!r}", f"use one of {', '.join(DIRECTIONS)} or leave it empty"))
    for item in (r.strip() for r in row.get("requires", "").split("|") if row.get("requires")):
        if item.startswith("@"):
            if item[1:] not in CATEGORIES:
                problems.append(where(f"unknown category {item!r} in 'requires'", f"use @ and one of {', '.join(CATEGORIES)}"))
        elif patterns.variant_problem(item):
            problems.append(where(f"broken context word {item!r} in 'requires'",
                                  "list words (optionally ending in '*') or @category, separated by '|'"))
    return problems


def load_files(files: list[str | Path], user: list[str | Path] = (), sides: tuple[str, ...] = SIDES,
               names: list[str] | None = None) -> Lexicon:
    """Load, validate and merge lexicon files: ``files`` (the packs' ``markers.csv``, in order;
    a concept or variant in two of them is an error) and ``user`` files (a user row may replace
    an entry by reusing its concept name; it is then listed in ``Lexicon.replaced``).

    ``sides`` are the sides an entry may take; ``names`` name the files in the version string
    (``general-1.0.0+karabakh-1.2.0``). Raises InputError listing every problem with file and line.
    """
    sources = [(Path(f), False) for f in files] + [(Path(f), True) for f in user]
    problems: list[Problem] = []
    entries: dict[str, dict] = {}
    origin: dict[str, tuple[str, int, bool]] = {}
    seen_variants: dict[str, tuple[str, str, int]] = {}
    replaced: list[str] = []
    versions: list[str] = []
    user_rows = 0
    digest = hashlib.sha256()
    for index, (path, is_user) in enumerate(sources):
        table = read_table(path, COLUMNS, REQUIRED, what="lexicon")
        problems.extend(table.problems)
        if not path.is_file():
            continue
        digest.update(path.read_bytes())
        file_version = next((m.group(1) for _, line in table.comments if (m := _VERSION_RE.match(line.strip()))), None)
        if is_user:
            user_rows += len(table.rows)
        elif file_version is None:
            problems.append(Problem(str(path), 1, "no '# lexicon_version: X.Y.Z' line", "add one before the header"))
        else:
            name = names[index] if names and index < len(names) else None
            versions.append(f"{name}-{file_version}" if name else file_version)
        for number, row in table.rows:
            row_problems = _check_row(path, number, row, sides)
            problems.extend(row_problems)
            if row_problems:
                continue
            concept = row["concept"]
            if concept in origin:
                first_file, first_line, first_user = origin[concept]
                if is_user and not first_user:
                    replaced.append(concept)
                    for key in [k for k, v in seen_variants.items() if v[0] == concept]:
                        del seen_variants[key]
                else:
                    problems.append(Problem(str(path), number, f"concept {concept!r} is already defined on line {first_line} of {Path(first_file).name}",
                                            "give the entry its own concept name"))
                    continue
            variants = [v.strip() for v in row["variants"].split("|")]
            clash = False
            for variant in variants:
                key = patterns.variant_key(variant)
                if key in seen_variants and seen_variants[key][0] != concept or variants.count(variant) > 1:
                    other = seen_variants.get(key, (concept, str(path), number))
                    problems.append(Problem(str(path), number,
                                            f"variant {variant!r} is already listed for concept {other[0]!r} ({Path(other[1]).name} line {other[2]})",
                                            "list each variant under one concept only; to change an entry, reuse its concept name"))
                    clash = True
                seen_variants.setdefault(key, (concept, str(path), number))
            if clash:
                continue
            origin[concept] = (str(path), number, is_user)
            entries[concept] = {**{c: row.get(c, "") for c in COLUMNS}, "variants": variants,
                                "status": row.get("status") or "verified",
                                "sources": [s for s in row.get("sources", "").split("|") if s],
                                "requires": [r.strip() for r in row.get("requires", "").split("|") if r.strip()],
                                "origin": f"{path.name}:{number}"}
    if problems:
        raise InputError(problems)
    version = "+".join(versions) + (f"+user.{digest.hexdigest()[:8]}" if user_rows else "")
    table = pd.DataFrame(list(entries.values()), columns=list(COLUMNS) + ["origin"])
    return Lexicon(table, version, digest.hexdigest(), [p.name for p, _ in sources], replaced)


def load(*files: str | Path, user: str | Path | None = None, sides: tuple[str, ...] = SIDES) -> Lexicon:
    """``load_files`` of ``files`` plus an optional ``user`` file (names its versions by file)."""
    return load_files(list(files), [user] if user else [], sides)
