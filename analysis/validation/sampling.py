"""Reproducible samples of units and blind coding sheets.

``sample`` draws ``n`` units of one kind with ``numpy.random.default_rng(seed)``: simple random
sampling without replacement, or stratified (``stratify="outlet,section"``) with proportional
allocation, at least one unit per stratum where ``n`` allows, the remainder by largest quota
(``allocate``). Rows come back in corpus reading order. The sheet holds ``unit_id, doc_id, text,
context, text_sha256, coder`` (empty), one empty column per codebook variable of the unit and
a ``notes`` column: never the workbook's own coding (blind).

``write_sheet`` writes the CSV (with ``# sample:`` comment lines recording the design), an XLSX
copy (sheets ``coding``, ``codebook``, ``about``; drop-down lists of the allowed values) and the
codebook as ``<stem>.codebook.csv``. XLSX bytes are made reproducible (fixed zip and document
timestamps), and text that a spreadsheet would run as a formula is neutralised in both files.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, files
from analysis.corpus import Corpus
from analysis.framing import lexicon as lexmod
from analysis.validation import codebook as cbmod
from analysis.validation import units as unitsmod

FIXED = ["unit_id", "doc_id", "text", "context", "text_sha256", "coder"]
#: Fixed timestamp written into XLSX files so the same sheet gives the same bytes (the zip
#: format's earliest date).
XLSX_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_SAMPLE_RE = re.compile(r"^#\s*sample:\s*(.*)$")


def strata_columns(stratify) -> list[str]:
    """``"outlet,section"`` or a list → column names, each checked against ``units.STRATA``."""
    if stratify in (None, "", []):
        return []
    cols = [c.strip() for c in (stratify.split(",") if isinstance(stratify, str) else stratify) if c.strip()]
    bad = [c for c in cols if c not in unitsmod.STRATA]
    if bad:
        raise ValueError(f"cannot stratify by {', '.join(bad)}: use {', '.join(unitsmod.STRATA)}")
    return cols


def allocate(sizes: list[int], n: int) -> list[int]:
    """Units per stratum: proportional to ``sizes``, at least 1 per non-empty stratum when
    ``n`` ≥ the number of strata, never more than a stratum holds; sums to min(n, sum(sizes))."""
    total = sum(sizes)
    n = min(n, total)
    if not total:
        return [0] * len(sizes)
    quota = [n * s / total for s in sizes]
    alloc = [min(s, max(1, math.floor(q))) if s else 0 for s, q in zip(sizes, quota)]
    while sum(alloc) > n:
        over = [i for i, a in enumerate(alloc) if a > 1] or [i for i, a in enumerate(alloc) if a > 0]
        i = max(over, key=lambda j: (alloc[j] - quota[j], j))
        alloc[i] -= 1
    while sum(alloc) < n:
        room = [i for i, a in enumerate(alloc) if a < sizes[i]]
        i = max(room, key=lambda j: (quota[j] - alloc[j], -j))
        alloc[i] += 1
    return alloc


def sample(corpus: Corpus, unit: str, n: int, seed: int = config.RANDOM_SEED, stratify=None,
           codebook: cbmod.Codebook | None = None, lex: lexmod.Lexicon | None = None,
           evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """A blind coding sheet of ``n`` units of kind ``unit`` (all of them if fewer exist).
    ``evidence``: the corpus's ``markers.evidence`` with ``lex``, when already computed.

    The design (unit, n, population, seed, strata, codebook hash, lexicon version: the sample is
    reproducible from the seed for the same corpus and lexicon) is in ``attrs["designs"]``.
    """
    codebook = codebook or cbmod.default(unitsmod.story_sides(corpus))
    cols = strata_columns(stratify)
    lex = unitsmod.lexicon(corpus, lex)
    population = unitsmod.table(corpus, unit, evidence, lex=lex, texts=False)
    keys = pd.Series(["/".join(v) for v in zip(*(population[c].astype(str).tolist() for c in cols))] if cols
                     else [""] * len(population), index=population.index, dtype=object)
    groups = list(dict.fromkeys(keys))
    members = [np.flatnonzero((keys == g).to_numpy()) for g in groups]
    counts = allocate([len(m) for m in members], int(n))
    rng = np.random.default_rng(seed)
    chosen = []
    for m, k in zip(members, counts):
        chosen.extend(m[rng.choice(len(m), size=k, replace=False)] if k else [])
    picked = unitsmod.with_texts(corpus, population.iloc[sorted(int(i) for i in chosen)])
    design = {"unit": unit, "n": int(len(picked)), "population": int(len(population)), "seed": int(seed),
              "stratify": "+".join(cols) or "none", "strata": len(groups) if cols else 1,
              "codebook": codebook.sha256[:12], "lexicon": lex.version}
    return sheet(picked, codebook, [design])


def sheet(units: pd.DataFrame, codebook: cbmod.Codebook, designs: list[dict] | None = None) -> pd.DataFrame:
    """Blind sheet rows for ``units`` (a ``units.table`` slice, possibly of several kinds)."""
    kinds = list(dict.fromkeys(units["unit"]))
    names = codebook.names(kinds)
    out = units[FIXED[:-1]].copy().reset_index(drop=True)
    out["coder"] = ""
    for name in names:
        out[name] = ["" if codebook.get(u, name) else cbmod.NOT_APPLICABLE for u in units["unit"]]
    out["notes"] = ""
    out.attrs["designs"] = list(designs or [])
    out.attrs["units"] = list(units["unit"])
    return out


def combine(sheets: list[pd.DataFrame], codebook: cbmod.Codebook) -> pd.DataFrame:
    """One sheet from several samples (e.g. hits and sentences), their designs kept."""
    kinds = [u for s in sheets for u in s.attrs.get("units", [])]
    rows = pd.concat([s[["unit_id", "doc_id", "text", "context", "text_sha256"]] for s in sheets], ignore_index=True)
    rows.insert(0, "unit", kinds)
    return sheet(rows, codebook, [d for s in sheets for d in s.attrs.get("designs", [])])


def design_line(design: dict) -> str:
    """The ``# sample:`` comment line of one design (no commas, so spreadsheets keep it in one cell)."""
    return "# sample: " + "; ".join(f"{k}={v}" for k, v in design.items())


def parse_design(line: str) -> dict | None:
    """The design recorded by a ``# sample:`` comment line (numbers as int), or None."""
    m = _SAMPLE_RE.match(line.split(",")[0].strip())
    if not m:
        return None
    design = {}
    for part in m.group(1).split(";"):
        key, _, value = part.partition("=")
        if key.strip():
            design[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return design


def csv_sheet_bytes(sheet_rows: pd.DataFrame) -> bytes:
    """The sheet as CSV: a comment line per sample design, then the table (``files.csv_bytes``)."""
    head = "".join(design_line(d) + "\n" for d in sheet_rows.attrs.get("designs", []))
    return head.encode("utf-8") + files.csv_bytes(sheet_rows)


def xlsx_bytes(sheet_rows: pd.DataFrame, codebook: cbmod.Codebook) -> bytes:
    """The sheet as a reproducible XLSX workbook: ``coding``, ``codebook`` and ``about``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    ws.append(list(sheet_rows.columns))
    for row in sheet_rows.itertuples(index=False):
        ws.append([files.neutralise_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    widths = {"unit_id": 26, "doc_id": 18, "text": 70, "context": 50, "text_sha256": 12, "coder": 10}
    for i, name in enumerate(sheet_rows.columns, start=1):
        letter = ws.cell(1, i).column_letter
        ws.column_dimensions[letter].width = widths.get(name, 14)
        if name in ("text", "context"):
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        allowed = sorted({v for u in set(sheet_rows.attrs.get("units", [])) if (var := codebook.get(u, name))
                          for v in var.values})
        listed = ",".join(allowed)
        if allowed and len(listed) <= 255 and not any("," in v for v in allowed) and len(sheet_rows):
            check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            check.add(f"{letter}2:{letter}{len(sheet_rows) + 1}")
            ws.add_data_validation(check)
    book = wb.create_sheet("codebook")
    frame = codebook.frame()
    book.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        book.append([files.neutralise_cell(v) for v in row])
    about = wb.create_sheet("about")
    for line in ["Blind coding sheet: answer every variable column with a value from the codebook sheet.",
                 f"Cells marked {cbmod.NOT_APPLICABLE} do not apply to that row's unit.",
                 *(design_line(d) for d in sheet_rows.attrs.get("designs", []))]:
        about.append([line])
    wb.properties.creator = "framing workbook"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every timestamp fixed (entries, and the document's created/modified)."""
    out = io.BytesIO()
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % XLSX_TIMESTAMP
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp.encode(), body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=XLSX_TIMESTAMP), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_files(sheet_rows: pd.DataFrame, path: str | Path, codebook: cbmod.Codebook,
                xlsx: bool = True) -> dict[Path, bytes]:
    """The files ``write_sheet`` writes, by path: the CSV, ``.xlsx`` and ``.codebook.csv``."""
    path = Path(path)
    out = {path: csv_sheet_bytes(sheet_rows), path.with_name(path.stem + ".codebook.csv"): files.csv_bytes(codebook.frame())}
    if xlsx:
        out[path.with_suffix(".xlsx")] = xlsx_bytes(sheet_rows, codebook)
    return out


def write_sheet(sheet_rows: pd.DataFrame, path: str | Path, codebook: cbmod.Codebook | None = None,
                xlsx: bool = True, overwrite: bool = False) -> list[Path]:
    """Write the coding sheet CSV at ``path`` (+ XLSX and codebook beside it), atomically.

    Refuses (FileExistsError) to replace an existing file unless ``overwrite``: a filled sheet
    is a coder's work.
    """
    targets = sheet_files(sheet_rows, path, codebook or cbmod.default(), xlsx)
    existing = [str(p) for p in targets if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{', '.join(existing)} already exist(s); choose another path")
    return files.write_all_atomic(targets)
