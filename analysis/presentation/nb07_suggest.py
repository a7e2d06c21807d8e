"""Notebook 07, candidate markers: words, phrases and rival names one side uses and the other does
not, that the story's lexicon does not hold yet."""
from __future__ import annotations

import weakref
from types import SimpleNamespace

import pandas as pd

from analysis.framing import rivals, suggest
from analysis.presentation.section import Section, Table, Text

#: Story parameter naming the sides (``"OUTLET=SIDE,..."`` or a list of ``OUTLET=SIDE``).
SIDES_PARAMETER = "suggest_sides"
#: Side labels when the story names none: the first text's outlet against the rest.
TARGET, REST = "target", rivals.REST
CANDIDATES_SHOWN = ["candidate", "proposed_side", "g2", "log_ratio", "dispersion"]
RIVALS_SHOWN = ["term", "rival", "side", "rival_side", "overlap", "preference", "in_lexicon"]
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def chosen_sides(wb) -> tuple[dict[str, str] | None, str]:
    """``(sides mapping, how it was chosen)``: the story's ``suggest_sides``, else the first text's
    outlet (``target``) against the rest (``other``); None when the corpus cannot be split."""
    spec = wb.story.parameters.get(SIDES_PARAMETER)
    if spec:
        try:
            return suggest.parse_sides(",".join(spec) if isinstance(spec, list) else str(spec)), \
                f"by the story's {SIDES_PARAMETER} parameter"
        except ValueError as exc:
            note = f"the story's {SIDES_PARAMETER} parameter could not be used ({exc}); instead "
    else:
        note = f"the story sets no {SIDES_PARAMETER} parameter, so "
    docs = list(wb.corpus)
    if not docs:
        return None, note + "no text to compare"
    return {docs[0].outlet or docs[0].doc_id: TARGET}, (
        note + f"the first text's outlet ({docs[0].outlet or docs[0].doc_id}) is compared as '{TARGET}' against "
        f"the rest as '{REST}'")


def _suggestions(wb):
    """``(sides, how the sides were chosen or why nothing can be compared, candidates, rival names)``,
    once per workbook; ``sides`` holds each side's texts and words (None when nothing is compared).
    The phrase counts behind the two tables are not kept (they are the largest table of a run)."""
    if wb not in _CACHE:
        sides, how = chosen_sides(wb)
        try:
            an = rivals.analyse(wb.corpus, sides) if sides else None
        except ValueError as exc:
            an, how = None, f"{how}; but {str(exc).removeprefix('--sides: ')}"
        if an is None:
            _CACHE[wb] = None, how, None, None
        else:
            _CACHE[wb] = (SimpleNamespace(sides=list(an.sides), n_texts=dict(an.n_texts), words=dict(an.words)), how,
                          suggest.candidates(wb.corpus, None, wb.story.lexicon, analysis=an),
                          suggest.rival_names(wb.corpus, None, wb.story.lexicon, analysis=an))
    return _CACHE[wb]


def sides_used(wb) -> Section:
    """Which texts are on which side, and why."""
    an, how, _, _ = _suggestions(wb)
    if an is None:
        return Section([Text(f"No candidate markers: {how}.")])
    groups = "; ".join(f"{s}: {an.n_texts[s]} text{'s' if an.n_texts[s] != 1 else ''}, {an.words[s]:,} words"
                       for s in an.sides)
    return Section([Text(f"Sides compared: {groups}. How they were chosen: {how}. Candidates already in the lexicon "
                         f"({wb.story.lexicon.version}) are left out.")])


def candidate_terms(wb) -> Section:
    """``07_candidates``: words and phrases key to one side (eligible ones; the top per side shown)."""
    an, _, table, _ = _suggestions(wb)
    if table is None:
        table = pd.DataFrame(columns=["candidate", "key", "n_tokens", "proposed_side", "g2", "log_ratio",
                                      "dispersion", "eligible"])
    eligible = table[table["eligible"].astype(bool)].reset_index(drop=True)
    shown = eligible.groupby("proposed_side", sort=False).head(suggest.TOP)
    counts = [c for c in table.columns if c.startswith("n_") and c != "n_tokens"]
    items = [Table("07_candidates", eligible, CANDIDATES_SHOWN[:2] + counts + CANDIDATES_SHOWN[2:], view=shown)]
    if an is not None:
        top = "; ".join(f"{s}: " + (", ".join(shown[shown["proposed_side"] == s]["candidate"].head(5)) or "none")
                        for s in an.sides)
        items.append(Text(f"{len(eligible)} eligible candidates (of {len(table)} key phrases). Strongest per side — {top}."))
    return Section(items)


def rival_names(wb) -> Section:
    """``07_rival_names``: terms filling the same contexts, each preferred by one side."""
    _, _, _, table = _suggestions(wb)
    table = table if table is not None else pd.DataFrame(columns=RIVALS_SHOWN)
    table = table.drop(columns=[c for c in ("term_key", "rival_key") if c in table.columns])
    counts = [c for c in table.columns if c.startswith(("n_", "rival_n_"))]
    best = ", ".join(f"{t}/{r}" for t, r in zip(table["term"].head(5), table["rival"].head(5))) or "none"
    return Section([Table("07_rival_names", table, RIVALS_SHOWN[:4] + counts + RIVALS_SHOWN[4:]),
                    Text(f"{len(table)} rival-name pairs; the closest: {best}. Few shared contexts make noisy "
                         "pairs on a small corpus: every pair is a suggestion to check in context.")])


def review(wb) -> Section:
    """How to turn the suggestions into lexicon entries."""
    return Section([Text("To review: python -m analysis suggest --sides OUTLET=SIDE,... --out SHEET.csv writes a review "
                         "sheet (CSV and XLSX) with three concordance lines per side for every candidate; fill in "
                         "decision (accept, reject, neutral) and category, then python -m analysis suggest --accept "
                         "SHEET.csv --into PACK_DIR appends the accepted rows to the pack's markers.csv as weak, "
                         "unverified entries.")])


SECTIONS = [sides_used, candidate_terms, rival_names, review]
