"""Side-by-side framing profile of the texts: markers, naming, voice, sentiment and keywords.

Brings the measures of ``markers``, ``sentiment`` and ``keyness`` into one row per text, and
rewrites a text's partisan sentences with the neutral wire alternatives the lexicon records.
"""
from __future__ import annotations

import pandas as pd

from analysis.measures.rates import rate
from analysis.measures import keyness, terms
from analysis.framing import markers
from analysis.corpus import voice as voicemod
from analysis.corpus import Corpus

#: Marker categories that are not loaded language themselves (they mark attribution and hedging).
NON_LOADED = ("attribution_neutral", "attribution_doubt", "attribution_endorse", "hedge", "presupposition")
#: Names that are only loaded when partisan: a neutral, wire or shared place name is not loaded language.
NAME_CATEGORIES = ("toponym", "region", "entity")
#: Keywords shown per text in the profile (positive keyness against the rest, G² ≥ keyness.THRESHOLD).
TOP_KEYWORDS = 3
PROFILE_COLUMNS = ["doc_id", "outlet", "date", "n_words", "framing", "az_score", "am_score",
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
    sides = markers.article_sides(ev, corpus).set_index("doc_id")
    card = markers.naming_scorecard(ev, corpus, by="doc_id")
    keys = keyness.keyness(corpus, by="doc_id", min_freq=1)
    rows = []
    for doc in corpus:
        words = doc.n_words
        mine = ev[ev["doc_id"] == doc.doc_id]
        loaded = mine[~mine["category"].isin(NON_LOADED)
                      & ~(mine["category"].isin(NAME_CATEGORIES) & ~mine["lexicon_side"].isin(markers.PARTISAN))]
        partisan = mine[mine["side"].isin(markers.PARTISAN) & (mine["voice"] == voicemod.AUTHORIAL)]
        sent = sentences[sentences["doc_id"] == doc.doc_id]
        named = card[(card["group"] == doc.doc_id) & (card["form"] != markers.FORMS["absent"])]
        top = keys[(keys["group"] == doc.doc_id) & (keys["signed_g2"] > 0) & keys["significant"].astype(bool)]
        rows.append({
            "doc_id": doc.doc_id, "outlet": doc.outlet, "date": doc.meta.get("date", ""), "n_words": words,
            "framing": sides.loc[doc.doc_id, "framing"], "az_score": int(sides.loc[doc.doc_id, "az_score"]),
            "am_score": int(sides.loc[doc.doc_id, "am_score"]),
            "loaded_per_1000": rate(len(loaded), words),
            "partisan_authorial_per_1000": rate(len(partisan), words),
            "share_hits_attributed": float((loaded["voice"] == voicemod.ATTRIBUTED).mean()) if len(loaded) else 0.0,
            "share_sentences_attributed": float((sent["voice"] == voicemod.ATTRIBUTED).mean()) if len(sent) else 0.0,
            "names": "; ".join(f"{r.pair}: {r.form}" for r in named.itertuples()),
            "textblob_polarity_mean": float(sent["textblob_polarity"].mean()) if len(sent) else 0.0,
            "vader_compound_mean": float(sent["vader_compound"].mean()) if len(sent) else 0.0,
            "keywords": ", ".join(top["term"].head(TOP_KEYWORDS)),
        })
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


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
    partisan = ev[(ev["doc_id"] == doc_id) & ev["side"].isin(markers.PARTISAN)
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
    sided = table[table["framing"] != markers.NO_FRAMING]
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
        lines.append(f"* **Keywords** (G² ≥ {keyness.THRESHOLD} against the other texts): " + "; ".join(
            keyed[:READING_LIST]) + (f"; and {len(keyed) - READING_LIST} more" if len(keyed) > READING_LIST else "") + ".")
    return "\n".join(lines)
