"""Candidate markers: words, phrases and rival names key to one side's texts, put on a review
sheet, and the reviewed rows appended to a story pack's lexicon (sides and counting: ``rivals``).

**Candidates** (``candidates``) are ``rivals.keyed`` phrases. ``dispersion`` = share of the
proposed side's texts holding one; it is ``eligible`` only when in at least MIN_TEXTS of them (all
when the side has fewer), so one article cannot dominate. Ranking: eligible first, then G², log
ratio, key. A phrase with the same counts on every side as a longer candidate containing it gives
way to it. With ``exclude`` (a lexicon), a phrase whose ``variant_key`` equals a variant's or whose
words run inside a variant (``*`` variants included) is left out.

**Review sheet** (``review_sheet``, ``write_sheet``): the top ``top`` eligible candidates of each
side, then the top ``top`` rival pairs: ``candidate, proposed_side, kind`` (term | rival_name),
``rival, rival_side, n_<side>, rival_n_<side>, g2, log_ratio, dispersion`` (of the candidate on
its side), ``overlap, preference``, ``examples_<side>`` (three KWIC lines per side, " | "-joined),
and empty ``decision`` (accept | reject | neutral), ``category, neutral_alternative, note``. The
CSV opens with a ``# suggest:`` line (sides, thresholds, lexicon excluded); an XLSX copy goes
beside it when openpyxl imports. Same input, same bytes; an existing file is never replaced.

**Accepting** (``accept``): each accepted row becomes a weak, unverified row of the pack's lexicon
(``neutral``: side ``none``; a rival name: two rows sharing a ``pair``), source ``corpus:<sheet>``;
a term the lexicon (``general`` + the pack) already matches is skipped with a warning naming its
concept; the result must load (``lexicon.load_files``) before the file is atomically replaced.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import files, problems as problemsmod, text as textmod
from analysis.corpus import Corpus, load_corpus
from analysis.framing import lexicon as lexmod, packs, patterns, rivalnames, rivals
from analysis.framing.rivals import MAX_N, MIN_FREQ, MIN_TEXTS, REST, assign_sides, parse_sides  # noqa: F401
from analysis.input.tables import read_table
from analysis.problems import InputError, Problem, warning

#: Candidates per side, and rival pairs, on a review sheet.
TOP = 30
DEFAULT_SHEET = "candidate_markers.csv"
DECISIONS = ("accept", "reject", "neutral")
KINDS = ("term", "rival_name")
SHEET_COLUMNS = ("candidate", "proposed_side", "kind", "rival", "rival_side", "g2", "log_ratio", "dispersion",
                 "overlap", "preference", "decision", "category", "neutral_alternative", "note")
SHEET_REQUIRED = ("candidate", "proposed_side", "kind", "decision", "category")
_SIDE_COLUMN_RE = re.compile(r"(?:n|rival_n|examples)_[a-z][a-z0-9_]{0,15}")
XLSX_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def candidates(corpus: Corpus, sides: dict[str, str] | None, exclude: lexmod.Lexicon | None = None,
               min_freq: int = MIN_FREQ, max_n: int = MAX_N, analysis: rivals.Analysis | None = None) -> pd.DataFrame:
    """Candidate markers of every side: ``candidate`` (as most often written), ``key`` (counting
    form), ``n_tokens``, ``proposed_side``, ``n_<side>``, ``texts_<side>``, ``g2``, ``log_ratio``,
    ``dispersion``, ``eligible``; sorted by side (order of the first text of each), eligible
    first, G², log ratio, key. ``attrs``: ``sides``, ``n_texts`` and ``words`` per side."""
    an = analysis or rivals.analyse(corpus, sides, max_n)
    table = rivals.ranked(an, exclude, min_freq)
    forms, _ = rivals.surfaces(an, set(table["gram"]))
    counts = [f"n_{s}" for s in an.sides] + [f"texts_{s}" for s in an.sides]
    out = pd.DataFrame({"candidate": [forms.get(g, " ".join(g)) for g in table["gram"]], "key": table["key"],
                        "n_tokens": [len(g) for g in table["gram"]], "proposed_side": table["proposed_side"]})
    out = pd.concat([out, table[counts + ["g2", "log_ratio", "dispersion", "eligible"]]], axis=1)
    return an.label(out)


def rival_names(corpus: Corpus, sides: dict[str, str] | None, exclude: lexmod.Lexicon | None = None,
                min_freq: int = MIN_FREQ, window: int = rivalnames.WINDOW, pool: int = rivalnames.POOL,
                min_overlap: float = rivalnames.MIN_OVERLAP, analysis: rivals.Analysis | None = None) -> pd.DataFrame:
    """Rival-name pairs: ``term, rival`` (as most often written), ``side, rival_side, overlap,
    preference, score, shared``, ``n_<side>``, ``rival_n_<side>``, ``in_lexicon`` (``term``,
    ``rival`` or empty: which half ``exclude`` holds), ``term_key``, ``rival_key``."""
    an = analysis or rivals.analyse(corpus, sides)
    found = rivalnames.rival_pairs(an, min_freq, window, pool, min_overlap)
    held = rivals.lexicon_filter(exclude)
    found["in_lexicon"] = pd.Series([("term" if held(x) else "") + ("+rival" if held(y) else "")
                                     for x, y in zip(found["term"], found["rival"])], index=found.index, dtype=object)
    found = found[found["in_lexicon"] != "term+rival"].reset_index(drop=True)
    found["in_lexicon"] = [v.lstrip("+") for v in found["in_lexicon"]]
    found["_words"] = [len(x) + len(y) for x, y in zip(found["term"], found["rival"])]
    found = found.sort_values(["score", "_words"], ascending=[False, True], kind="mergesort")
    kept: list[tuple[set, set]] = []
    for x, y in zip(found["term"], found["rival"]):  # a pair sharing words with both halves of a better one repeats it
        kept.append((set(x), set(y)) if not any(set(x) & a and set(y) & b for a, b in kept if a) else (set(), set()))
    found = found[np.array([bool(a) for a, _ in kept], dtype=bool)].drop(columns="_words").reset_index(drop=True)
    forms, _ = rivals.surfaces(an, set(found["term"]) | set(found["rival"]))
    for column in ("term", "rival"):
        found[f"{column}_key"] = [" ".join(g) for g in found[column]]
        found[column] = [forms.get(g, " ".join(g)) for g in found[column]]
    return an.label(found)


def review_sheet(corpus: Corpus, sides: dict[str, str] | None, exclude: lexmod.Lexicon | None = None,
                 top: int = TOP, min_freq: int = MIN_FREQ, max_n: int = MAX_N) -> pd.DataFrame:
    """The review sheet (columns in the module docstring); ``attrs["design"]`` is its ``# suggest:``
    line (no commas, so a spreadsheet keeps it in one cell)."""
    an = rivals.analyse(corpus, sides, max_n)
    ranked = rivals.ranked(an, exclude, min_freq)
    terms = ranked[ranked["eligible"]].groupby("proposed_side", sort=False).head(top)
    pairs = rival_names(corpus, sides, exclude, min_freq, analysis=an).head(top)
    keyed = rivals.keyed(an, min_freq)
    stats = {g: (round(float(a), 3), round(float(b), 3)) for g, a, b in zip(keyed["gram"], keyed["g2"], keyed["log_ratio"])}
    grams = list(terms["gram"]) + [tuple(k.split(" ")) for k in pairs["term_key"]]
    rivals_of = [None] * len(terms) + [tuple(k.split(" ")) for k in pairs["rival_key"]]
    side_of, blank, nan = list(terms["proposed_side"]) + list(pairs["side"]), [""] * len(terms), [np.nan] * len(terms)
    forms, _ = rivals.surfaces(an, set(grams))
    table = pd.DataFrame({"candidate": [forms.get(g, " ".join(g)) for g in grams], "proposed_side": side_of,
                          "kind": ["term"] * len(terms) + ["rival_name"] * len(pairs),
                          "rival": blank + list(pairs["rival"]), "rival_side": blank + list(pairs["rival_side"]),
                          **{f"n_{s}": [an.counts[s][g] for g in grams] for s in an.sides},
                          **{f"rival_n_{s}": pd.array([None if r is None else an.counts[s][r] for r in rivals_of], dtype="Int64")
                             for s in an.sides},
                          "g2": [stats[g][0] for g in grams], "log_ratio": [stats[g][1] for g in grams],
                          "dispersion": [round(an.texts[s][g] / an.n_texts[s], 3) for g, s in zip(grams, side_of)],
                          "overlap": nan + [round(v, 3) for v in pairs["overlap"]],
                          "preference": nan + [round(v, 3) for v in pairs["preference"]],
                          **rivals.examples(an, [[g] + ([r] if r else []) for g, r in zip(grams, rivals_of)]),
                          **{column: "" for column in ("decision", "category", "neutral_alternative", "note")}})
    described = " ".join(f"{s}:{n} text{'' if n == 1 else 's'}/{an.words[s]} words" for s, n in an.n_texts.items())
    table.attrs["design"] = (
        f"# suggest: sides={described}; "
        f"min_freq={min_freq}; max_n={an.max_n}; min_texts={MIN_TEXTS}; top={top}; rival_window={rivalnames.WINDOW}; "
        f"min_overlap={rivalnames.MIN_OVERLAP}; excluded={exclude.version if exclude is not None else 'none'}")
    return an.label(table)


def sheet_csv_bytes(table: pd.DataFrame) -> bytes:
    """The sheet as CSV: its ``# suggest:`` line, then the table (``files.csv_bytes``)."""
    return (f"{design}\n" if (design := table.attrs.get("design")) else "").encode() + files.csv_bytes(table)


def xlsx_bytes(table: pd.DataFrame) -> bytes:
    """The sheet as a reproducible XLSX workbook (sheets ``review`` and ``about``), with drop-down
    lists for ``decision`` and ``category``; fixed zip and document timestamps."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "review"
    ws.append([files.neutralise_cell(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        ws.append([None if pd.isna(v) else files.neutralise_cell(v.item() if hasattr(v, "item") else v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    lists = {"decision": DECISIONS, "category": lexmod.CATEGORIES}
    for i, name in enumerate(table.columns, start=1):
        letter = ws.cell(1, i).column_letter
        ws.column_dimensions[letter].width = 60 if name.startswith("examples_") else 24 if name in ("candidate", "rival") else 12
        for cell in ws[letter][1:] if name.startswith("examples_") else ():
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if name in lists and len(table):
            check = DataValidation(type="list", formula1=f'"{",".join(lists[name])}"', allow_blank=True)
            check.add(f"{letter}2:{letter}{len(table) + 1}")
            ws.add_data_validation(check)
    about = wb.create_sheet("about")
    for line in ["Fill decision (accept, reject, neutral) and category; then accept the CSV copy with",
                 "python -m analysis suggest --accept SHEET --into PACK_DIR", table.attrs.get("design", "")]:
        about.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    stamp = ("%04d-%02d-%02dT%02d:%02d:%02dZ" % XLSX_TIMESTAMP).encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=XLSX_TIMESTAMP), body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_sheet(table: pd.DataFrame, path: str | Path) -> list[Path]:
    """Write the sheet's CSV at ``path`` and, when openpyxl imports, its XLSX copy beside it, atomically;
    FileExistsError (nothing written) when either exists, ValueError for an ``.xlsx`` path."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        raise ValueError(f"{path}: give the path of the CSV sheet; its XLSX copy is written beside it")
    targets = {path: sheet_csv_bytes(table)}
    try:
        targets[path.with_suffix(".xlsx")] = xlsx_bytes(table)
    except ImportError:
        pass
    existing = [problemsmod.display(str(p)) for p in targets if p.exists()]
    if existing:
        raise FileExistsError(f"{' and '.join(existing)} already exist(s); a review sheet is never overwritten "
                              "(it may hold decisions): choose another --out. Nothing was written.")
    return files.write_all_atomic(targets)


def variant_of(candidate: str) -> str:
    """The lexicon variant of a sheet candidate: its matching form, single spaces."""
    return " ".join(textmod.matching_form(candidate).split())


def concept_id(candidate: str, taken: set[str]) -> str:
    """A concept id (ASCII letters, digits, '_') not in ``taken``; hashed when letters were dropped."""
    decomposed = unicodedata.normalize("NFKD", candidate)
    base = re.sub(r"[^a-z0-9]+", "_", decomposed.encode("ascii", "ignore").decode().lower()).strip("_")[:60] or "term"
    if any(ch.isalpha() and not ch.isascii() for ch in decomposed):
        base += "_" + hashlib.sha256(candidate.encode("utf-8")).hexdigest()[:6]
    concept, n = base, 2
    while concept in taken:
        concept, n = f"{base}_{n}", n + 1
    return concept


def read_sheet(path: str | Path):
    """The reviewed sheet as an ``input.tables.Table`` (the per-side columns of its header allowed)."""
    table = read_table(path, SHEET_COLUMNS, SHEET_REQUIRED, what="review sheet")
    extra = tuple(c for c in table.header if _SIDE_COLUMN_RE.fullmatch(c) and c not in SHEET_COLUMNS)
    return read_table(path, SHEET_COLUMNS + extra, SHEET_REQUIRED, what="review sheet") if extra else table


def _planned(table, pack: packs.Pack, allowed: tuple[str, ...]) -> tuple[list[dict], list[Problem]]:
    """The accepted rows of a sheet: ``{line, names, sides, category, neutral_alternative, note}``."""
    problems, planned, path = list(table.problems), [], str(table.path)
    for line, row in table.rows:
        found = []
        decision = row.get("decision", "").lower()
        if decision not in ("",) + DECISIONS:
            problems.append(Problem(path, line, f"unknown decision {row['decision']!r}",
                                    "write accept, reject or neutral, or leave it empty"))
            continue
        if decision in ("", "reject"):
            continue
        kind, category = row.get("kind", ""), row.get("category", "")
        if kind not in KINDS:
            found.append((f"unknown kind {kind!r}", f"use {' or '.join(KINDS)}"))
        if not category:
            found.append((f"row marked {decision} but without a category", f"fill in category: {', '.join(lexmod.CATEGORIES)}"))
        elif category not in lexmod.CATEGORIES:
            found.append((f"unknown category {category!r}", f"use one of {', '.join(lexmod.CATEGORIES)}"))
        names = [row.get("candidate", "")] + ([row.get("rival", "")] if kind == "rival_name" else [])
        sides = ["none"] * len(names) if decision == "neutral" else [row.get("proposed_side", ""), row.get("rival_side", "")][:len(names)]
        for name, side in zip(names, sides):
            if not name:
                found.append(("a candidate or rival is empty", "fill in candidate (and rival for a rival_name)"))
            elif (reason := patterns.variant_problem(variant_of(name))):
                found.append((f"{name!r}: {reason}", "use words, single spaces, hyphens and apostrophes"))
            if side not in allowed:
                found.append((f"side {side!r} of {name!r} is not a side of pack {pack.name!r}",
                              f"use one of {', '.join(allowed)} (or decision neutral)"))
        problems.extend(Problem(path, line, message, hint) for message, hint in found)
        if not found:
            planned.append({"line": line, "names": names, "sides": sides, "category": category,
                            "neutral_alternative": row.get("neutral_alternative", ""), "note": row.get("note", "")})
    return planned, problems


def accept(sheet_path: str | Path, pack_dir: str | Path, report: list[Problem] | None = None) -> list[str]:
    """Append the sheet's accepted rows to ``pack_dir/markers.csv``; return the new concept ids.

    InputError (nothing written) lists every problem as FILE:LINE: an unknown decision, an accepted
    row without a category or with an unknown one, a side the pack does not declare (its sides,
    wire, both, none), a candidate that is no valid variant, a result that would not load. Terms
    the lexicon already matches are skipped with a warning (into ``report``, else on stderr)."""
    sheet_path, pack = Path(sheet_path), packs.load_pack(Path(pack_dir) if Path(pack_dir).is_dir() else str(pack_dir))
    allowed = tuple(s.id for s in pack.sides) + lexmod.SIDES
    planned, problems = _planned(read_sheet(sheet_path), pack, allowed)
    if problemsmod.errors(problems):
        raise InputError(problems)
    general = packs.load_pack(packs.GENERAL)
    base = [] if pack.folder.resolve() == general.folder.resolve() else [general.markers_path]
    target = pack.markers_path
    existing = lexmod.load_files(base + ([target] if target.is_file() else []), sides=allowed)
    matcher = patterns.PhraseMatcher(existing.variants())
    pairs = dict(zip(existing.entries["concept"], existing.entries["pair"]))
    taken, added, rows, warnings = set(existing.entries["concept"]), {}, [], list(problems)
    source = f"corpus:{sheet_path.name}"
    for plan in planned:
        concepts, new = [], []
        for name, side in zip(plan["names"], plan["sides"]):
            variant = variant_of(name)
            held = matcher.label_of(variant) or added.get(patterns.variant_key(variant))
            if held:
                warnings.append(warning(str(sheet_path), plan["line"], f"{name!r} is already in the lexicon as concept "
                                        f"{held!r}: skipped", "edit that entry by hand to change it"))
                concepts.append(held)
                continue
            concept = concept_id(variant, taken)
            taken.add(concept)
            added[patterns.variant_key(variant)] = concept
            concepts.append(concept)
            new.append({"concept": concept, "term": name, "variants": variant, "category": plan["category"],
                        "side": side, "strength": "weak", "status": "unverified", "sources": source,
                        "neutral_alternative": plan["neutral_alternative"], "note": plan["note"]})
        if len(plan["names"]) == 2 and new:
            pair = next((pairs[c] for c in concepts if pairs.get(c)), "-".join(concepts))
            for row in new:
                row["pair"] = pair
        rows.extend(new)
    _report(warnings, report)
    if not rows:
        return []
    original = target.read_bytes() if target.is_file() else f"# lexicon_version: 0.1.0\n{','.join(lexmod.COLUMNS)}\n".encode()
    newline = "\r\n" if b"\r\n" in original else "\n"
    header = read_table(target, lexmod.COLUMNS).header if target.is_file() else list(lexmod.COLUMNS)
    buffer = io.StringIO("" if original.endswith((b"\n", b"\r")) else newline)
    buffer.seek(0, io.SEEK_END)
    csv.writer(buffer, lineterminator=newline).writerows([row.get(column, "") for column in header] for row in rows)
    data = original + buffer.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / target.name
        probe.write_bytes(data)
        try:
            lexmod.load_files(base + [probe], sides=allowed)
        except InputError as exc:
            raise InputError([replace(p, file=str(target)) if p.file == str(probe) else p for p in exc.problems]) from None
    files.write_bytes_atomic(target, data)
    return [row["concept"] for row in rows]


def _report(found: list[Problem], into: list[Problem] | None) -> None:
    """Add ``found`` to ``into``, or print it to stderr when ``into`` is None."""
    for problem in found:
        if into is None:
            print(f"{problem.severity}: {problem}", file=sys.stderr)
        elif problem not in into:
            into.append(problem)


def suggest_command(seeds=None, sides_spec: str | None = None, out=None, stories: list[str] | None = None,
                    top: int = TOP) -> int:
    """``python -m analysis suggest [--seeds DIR] --sides OUTLET=SIDE,... [--out SHEET] [--story NAME]... [--top N]``

    ``seeds``: seeds folder (None: ``seeds/`` or $FRAMING_SEEDS). ``sides_spec``: comma-separated
    ``NAME=SIDE`` (NAME an outlet or a doc id; ``*=SIDE`` for the rest, default ``other``; side ``-``
    leaves texts out); None uses each document's ``meta["side"]``. ``out``: the sheet's CSV path
    (default ``candidate_markers.csv`` in the working directory; the XLSX goes beside it).
    ``stories``: the packs whose lexicon is excluded (None: the seeds folder's workbook.toml).
    ``top``: candidates per side and rival pairs on the sheet. Exit status 0; 1 when an input
    could not be read (the rest is still used); 2 for a bad --sides, --top or an existing --out.
    """
    try:
        mapping = parse_sides(sides_spec) if sides_spec else None
        if int(top) < 1:
            raise ValueError(f"--top must be 1 or more, not {top!r}")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        corpus = load_corpus(seeds)
        exclude = packs.select(seeds, stories).lexicon
    except InputError as exc:
        _report(exc.problems, None)
        return 1
    _report(corpus.problems, None)
    try:
        table = review_sheet(corpus, mapping, exclude, int(top))
        written = write_sheet(table, Path(out or DEFAULT_SHEET))
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n_terms, n_rivals = int((table["kind"] == "term").sum()), int((table["kind"] == "rival_name").sum())
    sides = ", ".join(f"{s} ({n} text{'s' if n != 1 else ''})" for s, n in table.attrs["n_texts"].items())
    print(f"{n_terms} candidate terms and {n_rivals} rival names for {sides}, excluding lexicon {exclude.version}; "
          f"review sheet: {' and '.join(problemsmod.display(str(p)) for p in written)}. Fill in decision and category, "
          f"then run: python -m analysis suggest --accept {problemsmod.display(str(written[0]))} --into PACK_DIR")
    return problemsmod.exit_status(corpus.problems)


def accept_command(sheet, into) -> int:
    """``python -m analysis suggest --accept SHEET --into PACK_DIR``: ``sheet`` is the reviewed CSV,
    ``into`` the story pack folder whose ``markers.csv`` grows. Exit status 0 (warnings for skipped
    rows allowed); 1 when the sheet or pack has problems (nothing written); 2 when either is missing."""
    if not sheet or not into:
        print("error: give both --accept SHEET and --into PACK_DIR", file=sys.stderr)
        return 2
    found: list[Problem] = []
    try:
        added = accept(sheet, into, found)
    except InputError as exc:
        _report(found + [p for p in exc.problems if p not in found], None)
        print("nothing appended: fix the problems above and run again")
        return 1
    _report(found, None)
    print(f"{len(added)} entr{'y' if len(added) == 1 else 'ies'} appended to {problemsmod.display(str(Path(into) / 'markers.csv'))}"
          + (f": {', '.join(added)}" if added else "") + f"; check with: python -m analysis check --story {into}")
    return 0
