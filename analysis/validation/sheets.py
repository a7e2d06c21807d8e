"""Reading coders' filled sheets, checked like the manifest.

Two formats, told apart by their header:

* a **coding sheet** (what ``sampling.write_sheet`` wrote, CSV or XLSX), one coder per file:
  the coder's name from the ``coder`` column, else the file stem;
* a **long table** ``unit,coder,variable,value`` (``unit`` is the unit id; optional ``text_sha256``).

Every problem names FILE:LINE (the spreadsheet row for XLSX): a malformed or unknown unit id
(not a unit of the current corpus), a changed text (``text_sha256`` differs from the corpus), a
value outside the codebook, a variable that does not apply to the unit, a unit repeated in a
sheet or a repeated ``(unit, coder, variable)``, two coders in one sheet, one coder in two
sheets. With ``strict`` (the default) any error raises InputError with all of them: nothing
is scored from a sheet with a problem. An empty cell is a value not coded (missing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus
from analysis.framing import lexicon as lexmod
from analysis.input.tables import Table, read_table, unreadable
from analysis.problems import InputError, Problem, warning
from analysis.validation import codebook as cbmod
from analysis.validation import sampling, units as unitsmod

RATING_COLUMNS = ["unit_id", "doc_id", "unit", "coder", "variable", "value", "file", "line"]
LONG_COLUMNS = ("unit", "coder", "variable", "value", "text_sha256")
LONG_REQUIRED = ("unit", "coder", "variable", "value")
WIDE_REQUIRED = ("unit_id", "text_sha256")
UNIT_INFO = ["unit_id", "unit", "doc_id", "text", "context", "text_sha256"]


@dataclass
class Ratings:
    """Coded values in long form (``table``: RATING_COLUMNS, values in codebook spelling), the
    units' texts (``units``: UNIT_INFO), coders in file order, sample designs, problems."""

    table: pd.DataFrame
    units: pd.DataFrame
    coders: list[str] = field(default_factory=list)
    designs: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _xlsx_table(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> Table:
    """A coding sheet saved as XLSX (sheet ``coding``, else the first), as a ``Table``."""
    from openpyxl import load_workbook

    table = Table(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        table.problems.append(unreadable(path, exc, "coding sheet"))
        return table
    except Exception as exc:  # openpyxl raises several types for a damaged file
        table.problem(0, f"not a readable XLSX workbook ({type(exc).__name__})", "save it again as .xlsx or CSV")
        return table
    ws = wb["coding"] if "coding" in wb.sheetnames else wb.worksheets[0]
    if "about" in wb.sheetnames:
        table.comments += [(0, str(r[0])) for r in wb["about"].iter_rows(values_only=True)
                           if r and isinstance(r[0], str) and r[0].startswith("#")]
    for number, raw in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)).strip()
                 for v in raw]
        if not any(cells):
            continue
        if cells[0].startswith("#"):
            table.comments.append((number, cells[0]))
        elif not table.header:
            table.header, table.header_line = cells, number
            while table.header and not table.header[-1]:
                table.header.pop()
        else:
            table.rows.append((number, dict(zip(table.header, cells + [""] * len(table.header)))))
    wb.close()
    missing = [c for c in required if c not in table.header]
    unknown = [c for c in table.header if c not in columns]
    if missing or unknown:
        table.problem(table.header_line, "; ".join(x for x in (
            missing and f"required column(s) missing: {', '.join(missing)}",
            unknown and f"unknown column(s): {', '.join(unknown)}") if x), f"the header may contain {','.join(columns)}")
        if missing:
            table.rows = []
    return table


def _read(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> Table:
    if path.suffix.lower() == ".xlsx":
        return _xlsx_table(path, columns, required)
    return read_table(path, columns, required, what="coding sheet")


class Checker:
    """Checks of unit ids, hashes and values, with the state shared while reading several sheets."""

    def __init__(self, codebook: cbmod.Codebook, corpus: Corpus | None, lex: lexmod.Lexicon | None):
        self.codebook = codebook
        self.corpus = corpus
        self.lookup = None
        if corpus is not None:
            self.lookup = unitsmod.tables(corpus, lex=lex).set_index("unit_id")
        self.rows: list[dict] = []
        self.infos: dict[str, dict] = {}
        self.problems: list[Problem] = []
        self.coders: dict[str, str] = {}
        self.designs: list[dict] = []

    def unit(self, table: Table, line: int, uid: str, sha: str | None, doc_id: str = "") -> tuple[str, str] | None:
        """Check one unit id (and hash); return ``(unit, doc_id)`` or None after recording a problem."""
        parsed = unitsmod.parse_id(uid)
        if not uid:
            table.problem(line, "the row has no unit id", "copy the unit_id from the sheet you were given")
            return None
        if parsed is None:
            table.problem(line, f"unit id {uid!r} is malformed", "ids are doc_id, doc_id:sentence or doc_id:start-end")
            return None
        if doc_id and doc_id != parsed[1]:
            table.problem(line, f"doc_id {doc_id!r} does not match unit id {uid!r}", "do not edit the id columns")
        if self.lookup is not None:
            if uid not in self.lookup.index:
                span = unitsmod.span_row(self.corpus, uid) if parsed[0] == "hit" else None
                if span is None:
                    table.problem(line, f"unit {uid!r} is not a {parsed[0]} of the current corpus",
                                  "code units drawn from this corpus (the text, or the lexicon, may have changed)")
                    return None
                self.problems.append(warning(str(table.path), line, f"unit {uid!r} is no longer a marker hit (the "
                                             "lexicon changed since the sheet was drawn): its span is kept and the "
                                             "workbook's coding of it counts as no hit"))
                self.lookup.loc[uid] = {k: v for k, v in span.items() if k != "unit_id"}
            known = self.lookup.loc[uid]
            if sha is not None and sha != known["text_sha256"]:
                table.problem(line, f"the text of unit {uid!r} has changed since the sheet was made "
                                    f"(text_sha256 {sha[:12] or 'empty'}…, now {known['text_sha256'][:12]}…)",
                              "draw a new sample and code the current text")
            self.infos.setdefault(uid, {"unit_id": uid, "unit": parsed[0], "doc_id": parsed[1],
                                        "text": known["text"], "context": known["context"],
                                        "text_sha256": known["text_sha256"]})
        return parsed

    def value(self, table: Table, line: int, kind: str, name: str, cell: str) -> str | None:
        """The codebook spelling of one cell, or None (empty, n/a where allowed, or a problem)."""
        var = self.codebook.get(kind, name)
        if var is None:
            if cell and cell.casefold() != cbmod.NOT_APPLICABLE:
                table.problem(line, f"{name!r} is not a variable of a {kind} unit (value {cell!r})",
                              f"leave it empty or {cbmod.NOT_APPLICABLE}")
            return None
        if not cell:
            return None
        found = var.canonical(cell)
        if found is None:
            table.problem(line, f"value {cell!r} of {name} ({kind}) is not in the codebook",
                          f"use one of {', '.join(var.values)}")
        return found

    def add(self, uid, parsed, coder, name, value, path, line):
        self.rows.append({"unit_id": uid, "doc_id": parsed[1], "unit": parsed[0], "coder": coder, "variable": name,
                          "value": value, "file": str(path), "line": line})

    def designs_of(self, table: Table) -> None:
        for _, text in table.comments:
            design = sampling.parse_design(text)
            if design and design not in self.designs:
                self.designs.append(design)

    def claim_coder(self, table: Table, coder: str) -> None:
        if coder in self.coders:
            table.problem(0, f"coder {coder!r} also coded {self.coders[coder]}",
                          "give each coder one sheet, with their name in the coder column")
        else:
            self.coders[coder] = str(table.path)

    def wide(self, path: Path) -> None:
        names = tuple(self.codebook.names())
        table = _read(path, tuple(sampling.FIXED) + ("notes",) + names, WIDE_REQUIRED)
        self.designs_of(table)
        named = {}
        for line, row in table.rows:
            if row.get("coder"):
                named.setdefault(row["coder"], line)
        if len(named) > 1:
            first, *others = named.items()
            for name, line in others:
                table.problem(line, f"a sheet holds one coder: this row names {name!r}, line {first[1]} named "
                                    f"{first[0]!r}", "put each coder's coding in a sheet of their own")
        coder = next(iter(named), path.stem)
        if table.header:
            self.claim_coder(table, coder)
        seen: dict[str, int] = {}
        for line, row in table.rows:
            uid = row.get("unit_id", "")
            if uid in seen:
                table.problem(line, f"unit {uid!r} appears again (first at line {seen[uid]})", "keep one row per unit")
                continue
            seen[uid] = line
            parsed = self.unit(table, line, uid, row.get("text_sha256", ""), row.get("doc_id", ""))
            if parsed is None:
                continue
            if uid not in self.infos:
                self.infos[uid] = {"unit_id": uid, "unit": parsed[0], "doc_id": parsed[1],
                                   **{k: row.get(k, "") for k in ("text", "context", "text_sha256")}}
            for name in names:
                if name in row:
                    value = self.value(table, line, parsed[0], name, row[name])
                    if value is not None:
                        self.add(uid, parsed, coder, name, value, path, line)
        self.problems.extend(table.problems)

    def long(self, path: Path) -> None:
        table = _read(path, LONG_COLUMNS, LONG_REQUIRED)
        self.designs_of(table)
        seen: dict[tuple, int] = {}
        for coder in dict.fromkeys(r.get("coder", "") for _, r in table.rows if r.get("coder")):
            self.claim_coder(table, coder)
        for line, row in table.rows:
            uid, coder, name = row.get("unit", ""), row.get("coder", ""), row.get("variable", "")
            key = (uid, coder, name)
            if key in seen:
                table.problem(line, f"unit {uid!r}, coder {coder!r}, variable {name!r} repeated (first at line "
                                    f"{seen[key]})", "keep one value per unit, coder and variable")
                continue
            seen[key] = line
            if not coder:
                table.problem(line, "the row has no coder", "write the coder's name")
                continue
            parsed = self.unit(table, line, uid, row.get("text_sha256") or None)
            if parsed is None:
                continue
            if self.codebook.get(parsed[0], name) is None:
                table.problem(line, f"{name!r} is not a variable of a {parsed[0]} unit in the codebook",
                              f"use one of {', '.join(v.variable for v in self.codebook.for_unit(parsed[0])) or 'none'}")
                continue
            self.infos.setdefault(uid, {"unit_id": uid, "unit": parsed[0], "doc_id": parsed[1], "text": "",
                                        "context": "", "text_sha256": row.get("text_sha256", "")})
            value = self.value(table, line, parsed[0], name, row.get("value", ""))
            if value is not None:
                self.add(uid, parsed, coder, name, value, path, line)
        self.problems.extend(table.problems)


def read_sheets(paths, codebook: cbmod.Codebook | None = None, corpus: Corpus | None = None,
                lex: lexmod.Lexicon | None = None, strict: bool = True) -> Ratings:
    """Read one or more filled sheets (coding sheets or long tables) into ``Ratings``.

    With ``corpus``, unit ids and text hashes are checked against it; without, only their form.
    """
    reader = Checker(codebook or cbmod.default(), corpus, lex)
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    for path in paths:
        if not path.is_file():
            reader.problems.append(Problem(str(path), 0, "the coding sheet does not exist" if not path.exists()
                                           else "is a folder, not a coding sheet", "check the path"))
            continue
        probe = _read(path, LONG_COLUMNS + tuple(sampling.FIXED) + ("notes",) + tuple(reader.codebook.names()), ())
        if not probe.header:
            reader.problems.extend(probe.problems)
        elif "unit_id" in probe.header:
            reader.wide(path)
        elif set(LONG_REQUIRED) <= set(probe.header):
            reader.long(path)
        else:
            reader.problems.append(Problem(str(path), probe.header_line, "neither a coding sheet nor a long table",
                                           "the header must hold unit_id,…,text_sha256,coder,… or unit,coder,variable,value"))
    if strict and any(p.is_error for p in reader.problems):
        raise InputError(reader.problems)
    table = pd.DataFrame(reader.rows, columns=RATING_COLUMNS)
    info = pd.DataFrame(list(reader.infos.values()), columns=UNIT_INFO)
    return Ratings(table, info, list(reader.coders), reader.designs, [str(p) for p in paths], reader.problems)


def from_frame(frame: pd.DataFrame, codebook: cbmod.Codebook | None = None) -> Ratings:
    """Ratings from a long DataFrame ``unit_id, unit, coder, variable, value`` already in memory
    (values checked against the codebook; raises InputError)."""
    codebook = codebook or cbmod.default()
    problems, rows, seen = [], [], {}
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        key = (str(r.unit_id), str(r.coder), r.variable)
        if key in seen:
            problems.append(Problem("<table>", i, f"unit {key[0]!r}, coder {key[1]!r}, variable {key[2]!r} repeated "
                                                  f"(first at row {seen[key]})"))
            continue
        seen[key] = i
        var = codebook.get(r.unit, r.variable)
        value = var.canonical(r.value) if var and str(r.value).strip() else None
        if var is None or (str(r.value).strip() and value is None):
            problems.append(Problem("<table>", i, f"value {r.value!r} of {r.variable!r} ({r.unit}) is not in the codebook"))
        elif value is not None:
            rows.append({"unit_id": str(r.unit_id), "doc_id": str(r.unit_id).split(":")[0], "unit": r.unit,
                         "coder": str(r.coder), "variable": r.variable, "value": value, "file": "<table>", "line": i})
    if problems:
        raise InputError(problems)
    table = pd.DataFrame(rows, columns=RATING_COLUMNS)
    info = table[["unit_id", "unit", "doc_id"]].drop_duplicates().assign(text="", context="", text_sha256="")
    return Ratings(table, info[UNIT_INFO].reset_index(drop=True), list(dict.fromkeys(table["coder"])))
