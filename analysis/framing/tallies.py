"""Tallies of the marker evidence: rates per 1,000 words by section, each text's framing
verdict, the naming scorecard and hits per side.

A text's side (``article_sides``) comes from its authorial hits of the story's sides; weak
entries add to a side only when a strong entry of that side is present, so they never decide it
alone. Sides, their labels and their scorecard forms come from the active story pack.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis import text as textmod
from analysis.corpus import Corpus
from analysis.corpus import voice as voicemod
from analysis.framing import packs
from analysis.measures import terms
from analysis.measures.rates import rate

#: Reading-order groups used for rates: what a reader sees first frames the rest.
SECTION_GROUPS = {"headline": "headline+caption", "caption": "headline+caption", "lead": "lead", "body": "body"}
#: The verdict of a text that takes no side in its own voice, and of one that takes several.
NO_FRAMING = "no partisan framing"
MIXED = "mixed"


def section_words(corpus: Corpus, by: str = "doc_id") -> pd.DataFrame:
    """Words per group and reading-order section group: ``group, section_group, n_words``."""
    rows = []
    for doc in corpus:
        key = terms.group_of(doc, by)
        for p in doc.paragraphs:
            rows.append({"group": key, "section_group": SECTION_GROUPS[p.section],
                         "n_words": textmod.count_words(doc.text[p.start:p.end])})
    table = pd.DataFrame(rows, columns=["group", "section_group", "n_words"])
    whole = table.groupby("group", sort=False, as_index=False)["n_words"].sum().assign(section_group="all")
    return pd.concat([table.groupby(["group", "section_group"], sort=False, as_index=False)["n_words"].sum(), whole],
                     ignore_index=True)


def rates(ev: pd.DataFrame, corpus: Corpus, by: str = "doc_id") -> pd.DataFrame:
    """Hits per 1,000 words by category, side and voice, per group and section group.

    Columns: ``group, section_group, dimension, value, n, n_words, rate_per_1000`` where
    ``dimension`` is ``category``, ``side`` (the counted side) or ``voice`` and
    ``section_group`` is ``all``, ``headline+caption``, ``lead`` or ``body``. Zero counts are
    included for every value seen anywhere in ``ev``, so groups compare like for like.
    """
    words = section_words(corpus, by)
    ev = ev.assign(group=ev["doc_id"].map({d.doc_id: terms.group_of(d, by) for d in corpus}),
                   section_group=ev["section"].map(SECTION_GROUPS))
    groups, sections = ev["group"].tolist(), ev["section_group"].tolist()
    rows = []
    for dimension in ("category", "side", "voice"):
        values = sorted(ev[dimension].unique())
        found = ev[dimension].tolist()
        counts = Counter(zip(groups, sections, found)) + Counter(zip(groups, ["all"] * len(found), found))
        for w in words.itertuples(index=False):
            for value in values:
                n = counts.get((w.group, w.section_group, value), 0)
                rows.append({"group": w.group, "section_group": w.section_group, "dimension": dimension, "value": value,
                             "n": n, "n_words": int(w.n_words),
                             "rate_per_1000": rate(n, w.n_words)})
    table = pd.DataFrame(rows, columns=["group", "section_group", "dimension", "value", "n", "n_words", "rate_per_1000"])
    order = {"all": 0, "headline+caption": 1, "lead": 2, "body": 3}
    group_order = {g: i for i, g in enumerate(dict.fromkeys(words["group"]))}
    return (table.assign(_g=table["group"].map(group_order), _s=table["section_group"].map(order))
            .sort_values(["_g", "_s", "dimension", "value"], kind="mergesort").drop(columns=["_g", "_s"])
            .reset_index(drop=True))


def article_sides(ev: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Whose framing each text adopts, from its authorial hits of the story's sides.

    Columns: ``doc_id, outlet``, then ``<side>_strong, <side>_weak`` per side, ``<side>_score``
    per side, ``framing``. A side's score is its strong hits plus its weak hits, the weak ones
    counting only when at least one strong hit of that side is present. ``framing`` is the side
    id when only that side scores, ``mixed`` when several do, ``no partisan framing`` otherwise.
    """
    sides = packs.active().side_ids
    own = ev[ev["voice"] == voicemod.AUTHORIAL]
    hits = Counter(zip(own["doc_id"].tolist(), own["side"].tolist(), own["strength"].tolist()))
    rows = []
    for doc in corpus:
        row = {"doc_id": doc.doc_id, "outlet": doc.outlet}
        for side in sides:
            row[f"{side}_strong"] = hits.get((doc.doc_id, side, "strong"), 0)
            row[f"{side}_weak"] = hits.get((doc.doc_id, side, "weak"), 0)
        for side in sides:
            strong, weak = row[f"{side}_strong"], row[f"{side}_weak"]
            row[f"{side}_score"] = strong + (weak if strong else 0)
        scoring = [side for side in sides if row[f"{side}_score"]]
        row["framing"] = MIXED if len(scoring) > 1 else scoring[0] if scoring else NO_FRAMING
        rows.append(row)
    columns = (["doc_id", "outlet"] + [f"{s}_{k}" for s in sides for k in ("strong", "weak")]
               + [f"{s}_score" for s in sides] + ["framing"])
    return pd.DataFrame(rows, columns=columns)


#: Scorecard labels for the form a text used for a place or entity (a side's form comes from its pack).
FORMS = {"dual": "dual", "neutral": "neutral", "mixed": "mixed", "quoted": "quoted only", "absent": "not named"}


def naming_scorecard(ev: pd.DataFrame, corpus: Corpus, by: str = "outlet") -> pd.DataFrame:
    """For each group and toponym/entity pair, which form the text used in its own voice.

    Columns: ``group, pair, form, forms_seen, n_hits, n_attributed``. ``form``: ``dual`` if
    any mention was dual-named, ``Azerbaijani``/``Armenian`` if only that side's form was used,
    ``mixed`` if both were used without dual naming, ``neutral`` for wire or shared forms only —
    all judged on authorial mentions; ``quoted only`` if every mention is in someone else's
    words; ``not named`` for a pair some other group names but this one does not.
    """
    story = packs.active()
    forms = {**{side.id: side.form for side in story.sides}, **FORMS}
    key_of = {d.doc_id: terms.group_of(d, by) for d in corpus}
    named = ev.assign(group=ev["doc_id"].map(key_of))
    named = named[named["pair"].fillna("") != ""]
    rows = []
    for (group, pair), part in named.groupby(["group", "pair"], sort=False):
        own = part[part["voice"] == voicemod.AUTHORIAL]
        sides = set(own["lexicon_side"]) & set(story.side_ids)
        if own.empty:
            form = "quoted"
        elif (own["rule"] == "dual_naming").any():
            form = "dual"
        elif len(sides) > 1:
            form = "mixed"
        elif sides:
            form = sides.pop()
        else:
            form = "neutral"
        rows.append({"group": group, "pair": pair, "form": forms[form],
                     "forms_seen": ", ".join(sorted(set(part["text"].str.lower()))),
                     "n_hits": len(part), "n_attributed": int((part["voice"] == voicemod.ATTRIBUTED).sum())})
    seen = {(r["group"], r["pair"]) for r in rows}
    for group in dict.fromkeys(key_of.values()):
        for pair in sorted({r["pair"] for r in rows}):
            if (group, pair) not in seen:
                rows.append({"group": group, "pair": pair, "form": forms["absent"], "forms_seen": "",
                             "n_hits": 0, "n_attributed": 0})
    table = pd.DataFrame(rows, columns=["group", "pair", "form", "forms_seen", "n_hits", "n_attributed"])
    group_order = {g: i for i, g in enumerate(dict.fromkeys(key_of.values()))}
    return (table.assign(_g=table["group"].map(group_order)).sort_values(["_g", "pair"], kind="mergesort")
            .drop(columns="_g").reset_index(drop=True))


def side_counts(ev: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Hits per text and counted side (all voices): one row per text, one column per side seen."""
    table = ev.pivot_table(index="doc_id", columns="side", values="start", aggfunc="count", fill_value=0, sort=False)
    return table.reindex([d.doc_id for d in corpus], fill_value=0)
