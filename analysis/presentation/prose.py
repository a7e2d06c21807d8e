"""Findings in plain words, generated from the results: nothing here states a number that was
not read off a table."""
from __future__ import annotations

import pandas as pd

from analysis.corpus import Corpus
from analysis.corpus import voice as voicemod
from analysis.framing import packs, tallies
from analysis.measures.keyness import THRESHOLD


def _quoted_list(values) -> str:
    return ", ".join(f"“{v}”" for v in values)


#: Other texts the focus text is compared with one by one in ``framing_summary``; beyond it, those
#: with most concepts in common with the focus text, then most markers (ties in manifest order).
COMPARED_TEXTS = 11


def framing_summary(ev: pd.DataFrame, corpus: Corpus, focus: str) -> str:
    """Plain-language comparison of one text's framing with the others, built from the evidence.

    Lists the focus text's authorial partisan markers with the neutral alternative a wire
    service would use, what it attributes to others, and for every concept it shares with
    another text the words and voice each one used. With more than COMPARED_TEXTS other texts,
    only the COMPARED_TEXTS with most concepts in common with the focus text (then most markers)
    are compared.
    """
    story = packs.active()
    sides = tallies.article_sides(ev, corpus).set_index("doc_id")
    doc = corpus[focus]
    mine = ev[ev["doc_id"] == focus]
    lines = []
    verdict = sides.loc[focus, "framing"]
    lines.append(f"{focus} ({doc.outlet}): framing = {verdict}.")
    for side in story.side_ids:
        own = mine[(mine["side"] == side) & (mine["voice"] == voicemod.AUTHORIAL)]
        if own.empty:
            continue
        lines.append(f"- In its own voice it uses {len(own)} {story.label(side)} marker(s) "
                     f"({int((own['strength'] == 'strong').sum())} strong):")
        for concept, part in own.groupby("concept", sort=False):
            where = ", ".join(dict.fromkeys(part["section"]))
            alt = part["neutral_alternative"].iloc[0]
            lines.append(f"  - {_quoted_list(dict.fromkeys(part['text']))} ({where})"
                         + (f"; a neutral wire would write “{alt}”" if alt else ""))
    attributed = mine[(mine["voice"] == voicemod.ATTRIBUTED) & (~mine["category"].str.startswith("attribution"))]
    if not attributed.empty:
        lines.append(f"- It attributes to others (quotes or reported speech): {_quoted_list(dict.fromkeys(attributed['text']))}.")
    markers_of = {doc_id: part for doc_id, part in ev[~ev["category"].str.startswith("attribution")]
                  .groupby("doc_id", sort=False)}
    concepts = set(mine["concept"])
    others = [other for other in corpus if other.doc_id != focus]
    if len(others) > COMPARED_TEXTS:
        rank = {o.doc_id: (-len(concepts & set(markers_of[o.doc_id]["concept"])), -len(markers_of[o.doc_id]))
                if o.doc_id in markers_of else (0, 0) for o in others}
        listed = set(sorted(rank, key=rank.get)[:COMPARED_TEXTS])
        lines.append(f"The {COMPARED_TEXTS} of {len(others):,} other texts with most concepts in common with {focus}, "
                     "then most markers, in manifest order (every text's verdict is in 04_article_sides.csv):")
        others = [o for o in others if o.doc_id in listed]
    empty = ev.iloc[0:0]
    for other in others:
        theirs = markers_of.get(other.doc_id, empty)
        lines.append(f"{other.doc_id} ({other.outlet}): framing = {sides.loc[other.doc_id, 'framing']}; "
                     f"markers: {_quoted_list(dict.fromkeys(theirs['text'])) or 'none'}.")
        shared = sorted(set(theirs["concept"]) & concepts)
        for concept in shared:
            a, b = mine[mine["concept"] == concept].iloc[0], theirs[theirs["concept"] == concept].iloc[0]
            if a["text"].lower() != b["text"].lower() or a["voice"] != b["voice"]:
                lines.append(f"  - same concept ({concept}): {focus} “{a['text']}” ({a['voice']}) vs "
                             f"{other.doc_id} “{b['text']}” ({b['voice']})")
    return "\n".join(lines)


#: Texts named one by one in the plain-words reading; the rest are counted.
READING_LIST = 8


def _listed(items: list[str]) -> str:
    shown = items[:READING_LIST]
    more = f" and {len(items) - READING_LIST} more" if len(items) > READING_LIST else ""
    return ", ".join(shown) + more


def profile_reading(table: pd.DataFrame, labels: dict[str, str] | None = None) -> str:
    """The profile in plain words, every number read off ``table`` (``profile``'s output).

    ``labels`` maps a side id to its name (e.g. ``az`` → "Azerbaijani official"). At most
    READING_LIST texts are named in any sentence; the others are counted.
    """
    if table.empty:
        return "No text to compare."
    labels = labels or {}
    n = len(table)
    sided = table[table["framing"] != tallies.NO_FRAMING]
    name = lambda r: f"{r.doc_id} ({r.outlet})"  # noqa: E731
    lines = []
    if sided.empty:
        lines.append(f"* **Whose framing.** None of the {n} texts takes a side in its own voice.")
    else:
        by_side = [f"{labels.get(side, side)}: {_listed([name(r) for r in part.itertuples()])}"
                   for side, part in sided.groupby("framing", sort=True)]
        lines.append(f"* **Whose framing.** {len(sided)} of {n} texts take a side in their own voice — "
                     + "; ".join(by_side) + f". The other {n - len(sided)} use no partisan marker as their own.")
    voice = table.sort_values(["share_sentences_attributed", "doc_id"], ascending=[False, True], kind="mergesort")
    top = voice.iloc[0]
    lines.append(f"* **Voice.** On average {table['share_sentences_attributed'].mean():.0%} of a text's sentences "
                 f"report what others said; most in {name(top)} ({top.share_sentences_attributed:.0%}).")
    order = table.sort_values(["vader_compound_mean", "doc_id"], ascending=[False, True], kind="mergesort")
    high, low = order.iloc[0], order.iloc[-1]
    negative = table[table["vader_compound_mean"] <= -0.05]
    lines.append(f"* **Sentiment.** VADER's sentence mean is highest in {name(high)} ({high.vader_compound_mean:+.3f}) "
                 f"and lowest in {name(low)} ({low.vader_compound_mean:+.3f}); "
                 f"{len(negative)} of {n} texts are negative on average (≤ −0.05). TextBlob's means range from "
                 f"{table['textblob_polarity_mean'].min():+.3f} to {table['textblob_polarity_mean'].max():+.3f}.")
    keyed = [f"{r.doc_id}: {r.keywords}" for r in table.itertuples() if r.keywords]
    if keyed:
        lines.append(f"* **Keywords** (G² ≥ {THRESHOLD} against the other texts): " + "; ".join(
            keyed[:READING_LIST]) + (f"; and {len(keyed) - READING_LIST} more" if len(keyed) > READING_LIST else "") + ".")
    return "\n".join(lines)
