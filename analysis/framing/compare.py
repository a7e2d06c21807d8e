"""Side-by-side framing profile of the texts: markers, naming, voice, sentiment and keywords.

Brings the measures of ``markers``, ``sentiment`` and ``keyness`` into one row per text, and
rewrites a text's partisan sentences with the neutral wire alternatives the lexicon records.
"""
from __future__ import annotations

from collections import Counter

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
    sides = tallies.article_sides(ev, corpus).set_index("doc_id").to_dict("index")
    card = tallies.naming_scorecard(ev, corpus, by="doc_id")
    keys = keyness.positive_keywords(corpus, by="doc_id", top=TOP_KEYWORDS, min_freq=1)
    loaded_mask = (~ev["category"].isin(NON_LOADED)
                   & ~(ev["category"].isin(NAME_CATEGORIES) & ~ev["lexicon_side"].isin(partisan)))
    loaded = Counter(ev.loc[loaded_mask, "doc_id"].tolist())
    loaded_attributed = Counter(ev.loc[loaded_mask & (ev["voice"] == voicemod.ATTRIBUTED), "doc_id"].tolist())
    own = Counter(ev.loc[ev["side"].isin(partisan) & (ev["voice"] == voicemod.AUTHORIAL), "doc_id"].tolist())
    named: dict[str, list[str]] = {}
    for r in card[card["form"] != tallies.FORMS["absent"]].itertuples():
        named.setdefault(r.group, []).append(f"{r.pair}: {r.form}")
    positions = sentences.groupby("doc_id", sort=False).indices if len(sentences) else {}
    attributed = (sentences["voice"] == voicemod.ATTRIBUTED).to_numpy()
    polarity = sentences["textblob_polarity"].to_numpy(dtype=float)
    compound = sentences["vader_compound"].to_numpy(dtype=float)
    rows = []
    for doc in corpus:
        words, at = doc.n_words, positions.get(doc.doc_id, ())
        n_loaded = loaded[doc.doc_id]
        rows.append({
            "doc_id": doc.doc_id, "outlet": doc.outlet, "date": doc.meta.get("date", ""), "n_words": words,
            "framing": sides[doc.doc_id]["framing"],
            **{f"{side}_score": int(sides[doc.doc_id][f"{side}_score"]) for side in partisan},
            "loaded_per_1000": rate(n_loaded, words),
            "partisan_authorial_per_1000": rate(own[doc.doc_id], words),
            "share_hits_attributed": loaded_attributed[doc.doc_id] / n_loaded if n_loaded else 0.0,
            "share_sentences_attributed": float(attributed[at].sum()) / len(at) if len(at) else 0.0,
            "names": "; ".join(named.get(doc.doc_id, [])),
            "textblob_polarity_mean": float(polarity[at].mean()) if len(at) else 0.0,
            "vader_compound_mean": float(compound[at].mean()) if len(at) else 0.0,
            "keywords": ", ".join(keys.get(doc.doc_id, [])),
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
