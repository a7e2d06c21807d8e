"""Side-by-side framing profile of the texts: markers, naming, voice, sentiment and keywords.

Brings the measures of ``markers``, ``sentiment`` and ``keyness`` into one row per text, and
rewrites a text's partisan sentences with the neutral wire alternatives the lexicon records.
"""
from __future__ import annotations

import pandas as pd

from analysis.measures.rates import rate
from analysis.measures import keyness, terms
from analysis.framing import packs, tallies
from analysis.corpus import voice as voicemod
from analysis.corpus import Corpus

#: Marker categories that are not loaded language themselves (they mark attribution and hedging).
NON_LOADED = ("attribution_neutral", "attribution_doubt", "attribution_endorse", "hedge", "presupposition")
#: Names that are only loaded when partisan: a neutral, wire or shared place name is not loaded language.
NAME_CATEGORIES = ("toponym", "region", "entity")
#: Keywords shown per text in the profile (positive keyness against the rest, G² ≥ keyness.THRESHOLD).
TOP_KEYWORDS = 3
#: Columns of the profile; ``<side>_score`` columns (one per story side) follow ``framing``.
PROFILE_COLUMNS = ["doc_id", "outlet", "date", "n_words", "framing",
                   "loaded_per_1000", "partisan_authorial_per_1000", "share_hits_attributed",
                   "share_sentences_attributed", "names", "textblob_polarity_mean", "vader_compound_mean",
                   "keywords"]
#: Indicators drawn in the profile figure, with their axis labels.
INDICATORS = {
    "loaded_per_1000": "loaded-language markers per 1,000 words",
    "partisan_authorial_per_1000": "partisan markers in the author's voice per 1,000 words",
    "share_sentences_attributed": "share of sentences attributed (0–1)",
    "vader_compound_mean": "VADER compound, mean of sentences (−1 … +1)",
    "textblob_polarity_mean": "TextBlob polarity, mean of sentences (−1 … +1)",
}


def profile(corpus: Corpus, ev: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per text (PROFILE_COLUMNS), in manifest order.

    ``ev`` is ``markers.evidence``; ``sentences`` is ``sentiment.sentence_table`` (per-sentence
    scores and voice). Document sentiment is the mean of its sentences.
    """
    story = packs.active()
    partisan = story.side_ids
    sides = tallies.article_sides(ev, corpus).set_index("doc_id")
    card = tallies.naming_scorecard(ev, corpus, by="doc_id")
    keys = keyness.keyness(corpus, by="doc_id", min_freq=1)
    rows = []
    for doc in corpus:
        words = doc.n_words
        mine = ev[ev["doc_id"] == doc.doc_id]
        loaded = mine[~mine["category"].isin(NON_LOADED)
                      & ~(mine["category"].isin(NAME_CATEGORIES) & ~mine["lexicon_side"].isin(partisan))]
        own = mine[mine["side"].isin(partisan) & (mine["voice"] == voicemod.AUTHORIAL)]
        sent = sentences[sentences["doc_id"] == doc.doc_id]
        named = card[(card["group"] == doc.doc_id) & (card["form"] != tallies.FORMS["absent"])]
        top = keys[(keys["group"] == doc.doc_id) & (keys["signed_g2"] > 0) & keys["significant"].astype(bool)]
        rows.append({
            "doc_id": doc.doc_id, "outlet": doc.outlet, "date": doc.meta.get("date", ""), "n_words": words,
            "framing": sides.loc[doc.doc_id, "framing"],
            **{f"{side}_score": int(sides.loc[doc.doc_id, f"{side}_score"]) for side in partisan},
            "loaded_per_1000": rate(len(loaded), words),
            "partisan_authorial_per_1000": rate(len(own), words),
            "share_hits_attributed": float((loaded["voice"] == voicemod.ATTRIBUTED).mean()) if len(loaded) else 0.0,
            "share_sentences_attributed": float((sent["voice"] == voicemod.ATTRIBUTED).mean()) if len(sent) else 0.0,
            "names": "; ".join(f"{r.pair}: {r.form}" for r in named.itertuples()),
            "textblob_polarity_mean": float(sent["textblob_polarity"].mean()) if len(sent) else 0.0,
            "vader_compound_mean": float(sent["vader_compound"].mean()) if len(sent) else 0.0,
            "keywords": ", ".join(top["term"].head(TOP_KEYWORDS)),
        })
    columns = PROFILE_COLUMNS[:5] + [f"{side}_score" for side in partisan] + PROFILE_COLUMNS[5:]
    return pd.DataFrame(rows, columns=columns)


def profile_long(table: pd.DataFrame) -> pd.DataFrame:
    """The figure's data: ``doc_id, indicator, value`` for every indicator of INDICATORS."""
    long = table.melt(id_vars=["doc_id"], value_vars=list(INDICATORS), var_name="indicator", value_name="value")
    order = {k: i for i, k in enumerate(INDICATORS)}
    docs = {d: i for i, d in enumerate(table["doc_id"])}
    long = long.assign(_i=long["indicator"].map(order), _d=long["doc_id"].map(docs))
    return long.sort_values(["_i", "_d"], kind="mergesort").drop(columns=["_i", "_d"]).reset_index(drop=True)


def neutral_rewrite(corpus: Corpus, ev: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    """Sentences of ``doc_id`` holding authorial partisan markers, with the wire alternative inline.

    Columns: ``sentence, section, original, suggestion`` where ``suggestion`` writes each
    marker as ``[marker → neutral alternative]`` and leaves every other character unchanged.
    """
    doc = corpus[doc_id]
    partisan = ev[(ev["doc_id"] == doc_id) & ev["side"].isin(packs.active().side_ids)
                  & (ev["voice"] == voicemod.AUTHORIAL) & (ev["neutral_alternative"] != "")]
    rows = []
    for sentence_index, hits in partisan.groupby("sentence", sort=True):
        s = doc.sentences[sentence_index]
        out, pos = [], s.start
        for hit in hits.sort_values("start").itertuples():
            out.append(doc.text[pos:hit.start])
            out.append(f"[{hit.text} → {hit.neutral_alternative}]")
            pos = hit.end
        out.append(doc.text[pos:s.end])
        rows.append({"sentence": sentence_index, "section": s.section, "original": doc.text[s.start:s.end],
                     "suggestion": "".join(out)})
    return pd.DataFrame(rows, columns=["sentence", "section", "original", "suggestion"])


def profile_summary(table: pd.DataFrame) -> str:
    """Short deterministic text of the profile's headline numbers (for notebooks and nbval)."""
    cols = ["doc_id", "framing", "loaded_per_1000", "partisan_authorial_per_1000", "vader_compound_mean"]
    return table[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}")
