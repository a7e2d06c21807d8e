"""Sentence sentiment from two lexicon models, with the words behind every score.

Models (both work offline; nothing is downloaded):

* **TextBlob** (PatternAnalyzer): ``polarity`` in [-1, 1], ``subjectivity`` in [0, 1]; the mean
  of the scores of the adjectives and a few other words it knows, with "not" flipping and
  "very" strengthening the next word. Its explanation is ``sentiment_assessments``.
* **VADER** (package ``vaderSentiment``, never NLTK's copy, which needs a download):
  ``compound`` in [-1, 1] and the shares ``pos``, ``neu``, ``neg`` (each 0–1, summing to 1).
  Its explanation is the valence of each token after VADER's rules (negation, boosters such
  as "very", the "but" rule, ALL-CAPS emphasis), before normalisation.

Both are computed by ``measures.scorers``, which follows each library's code rule by rule on
the library's own lexicons and returns identical values (``tests/test_scorers.py``), several
times faster; the libraries are imported on the first score, not with this module.

Scores are computed **per sentence** only. VADER sums word valences and squashes the sum with
``x / sqrt(x² + 15)``, so over a whole article the sum grows with length and the compound sits
near ±1 whatever the tone (and the rule loop is slower than linear in length). Paragraph,
document, outlet, actor and voice figures are aggregates of sentence scores: their mean, and
the share of sentences labelled positive or negative with the thresholds below.

Tables (all sorted by manifest order, then reading order):

* ``sentence_table``: SENTENCE_COLUMNS, one row per sentence;
* ``explanations``: EXPLANATION_COLUMNS, one row per scoring word or phrase per model;
* ``aggregate`` / ``paragraph_scores`` / ``document_scores``: AGGREGATE_COLUMNS after the keys;
* ``disagreements``: sentences the two models label with opposite signs;
* ``actor_sentiment``, ``voice_sentiment``, ``arc``: see their docstrings.
"""
from __future__ import annotations

import functools
import math
from typing import Callable, NamedTuple

import pandas as pd

from analysis.corpus import voice as voicemod
from analysis.corpus import Corpus, Document
from analysis.measures.rates import in_given_order

#: VADER compound at or above which a sentence is positive, at or below minus which it is
#: negative (the vaderSentiment README's "typical threshold values": >= 0.05, <= -0.05).
VADER_THRESHOLD = 0.05
#: TextBlob polarity at or above which a sentence is positive, at or below minus which it is
#: negative. The project's choice (TextBlob documents none): it sets aside the near-zero
#: values that words with no evaluative sense produce on their own (e.g. "major" +0.06,
#: "long" −0.05, "next" 0.0 in Pattern's lexicon) while keeping any sentence with one plainly
#: evaluative word ("good" +0.7, "important" +0.4, "bad" −0.7).
TEXTBLOB_THRESHOLD = 0.1
#: A sentence is flagged for a person to read when one model is at least this far on one side
#: of zero and the other at least this far on the other side. Set equal to the sign thresholds
#: above, so "disagree" means the two labels are opposite (positive vs negative).
DISAGREE_VADER = VADER_THRESHOLD
DISAGREE_TEXTBLOB = TEXTBLOB_THRESHOLD

POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"
SCORE_COLUMNS = ["textblob_polarity", "textblob_subjectivity", "vader_compound", "vader_pos", "vader_neu", "vader_neg"]
SENTENCE_COLUMNS = (["doc_id", "outlet", "paragraph", "sentence", "section", "start", "end", "position", "text"]
                    + SCORE_COLUMNS + ["textblob_label", "vader_label", "disagree", "voice", "voice_reason",
                                       "actors", "groups"])
EXPLANATION_COLUMNS = ["doc_id", "sentence", "model", "item", "words", "weight", "subjectivity", "start", "end"]
AGGREGATE_COLUMNS = ["n_sentences", "textblob_polarity_mean", "textblob_subjectivity_mean", "vader_compound_mean",
                     "textblob_share_positive", "textblob_share_negative",
                     "vader_share_positive", "vader_share_negative"]
ARC_COLUMNS = ["doc_id", "outlet", "sentence", "position", "model", "score"]
#: Separator of the ``actors`` and ``groups`` cells (several actors can share a sentence).
LIST_SEPARATOR = ";"


# --- models ---------------------------------------------------------------------------------

def _scorers():
    """``analysis.measures.scorers``, imported on first use: TextBlob imports all of NLTK."""
    from analysis.measures import scorers

    return scorers


class TextBlobScore(NamedTuple):
    """TextBlob's PatternAnalyzer result: polarity in [-1, 1], subjectivity in [0, 1], and
    ``(words, polarity, subjectivity, label)`` assessments, one per scoring word or phrase."""

    polarity: float
    subjectivity: float
    assessments: list


def textblob_scores(text: str) -> TextBlobScore:
    """The numbers of ``TextBlob(text).sentiment_assessments``, computed once.

    ``scorers.textblob_sentiment`` follows the pattern scorer (``textblob.en.sentiment``) rule
    by rule on its own lexicon; the values are identical (tested against
    ``TextBlob(text).sentiment_assessments`` in ``tests/test_scorers.py``).
    """
    return TextBlobScore(*_scorers().textblob_sentiment(text))


def vader_scores(text: str) -> dict:
    """VADER's ``{'neg', 'neu', 'pos', 'compound'}`` for one sentence (compound in [-1, 1]);
    equal to ``SentimentIntensityAnalyzer().polarity_scores(text)``."""
    return _scorers().vader_polarity_scores(text)


def label(score: float, threshold: float) -> str:
    """``positive`` if score >= threshold, ``negative`` if score <= -threshold, else ``neutral``."""
    if score >= threshold:
        return POSITIVE
    if score <= -threshold:
        return NEGATIVE
    return NEUTRAL


def vader_valences(text: str) -> dict:
    """VADER's per-token valences for ``text``, after its rules, and what it adds on top.

    Returns ``tokens`` (VADER's own tokens: white-space split, outer punctuation stripped),
    ``valences`` (one float per token, 0 for tokens that carry no sentiment), ``spans``
    (``(start, end)`` of each token in ``text``, or None when emoji were rewritten),
    ``punctuation`` (the emphasis added for "!" and "?", signed like the sum) and
    ``compound`` = normalize(sum(valences) + punctuation), unrounded. Computed by
    ``scorers.vader_valences``; ``library_vader_valences`` is the same with the library's calls.
    """
    return _scorers().vader_valences(text)


@functools.cache
def library_analyzer():
    """A plain ``vaderSentiment.SentimentIntensityAnalyzer`` (the reference for ``library_vader_valences``)."""
    from vaderSentiment import vaderSentiment as vader

    return vader.SentimentIntensityAnalyzer()


def library_vader_valences(text: str) -> dict:
    """``vader_valences`` computed with the library's own ``sentiment_valence`` and ``_but_check``
    (the reference the fast scorer is tested against; several times slower)."""
    # This replicates the token loop of SentimentIntensityAnalyzer.polarity_scores in
    # vaderSentiment 3.3.2 (C.J. Hutto, MIT licence, https://github.com/cjhutto/vaderSentiment),
    # calling the analyzer's own sentiment_valence and _but_check so the rules stay the library's.
    from vaderSentiment import vaderSentiment as vader

    analyzer = library_analyzer()
    rewritten, prev_space = [], True
    for ch in text:
        if ch in analyzer.emojis:
            if not prev_space:
                rewritten.append(" ")
            rewritten.append(analyzer.emojis[ch])
            prev_space = False
        else:
            rewritten.append(ch)
            prev_space = ch == " "
    clean = "".join(rewritten).strip()
    senti = vader.SentiText(clean)
    tokens = senti.words_and_emoticons
    sentiments: list[float] = []
    for i, item in enumerate(tokens):
        if item.lower() in vader.BOOSTER_DICT or (
                i < len(tokens) - 1 and item.lower() == "kind" and tokens[i + 1].lower() == "of"):
            sentiments.append(0)
            continue
        sentiments = analyzer.sentiment_valence(0, senti, item, i, sentiments)
    sentiments = analyzer._but_check(tokens, sentiments)
    return _scorers().valence_details(text, clean, tokens, sentiments, analyzer)


# --- per sentence ---------------------------------------------------------------------------

def score_sentence(text: str) -> dict:
    """The six scores (``SCORE_COLUMNS``) and both labels of one sentence."""
    tb = textblob_scores(text)
    vd = vader_scores(text)
    row = {"textblob_polarity": float(tb.polarity), "textblob_subjectivity": float(tb.subjectivity),
           "vader_compound": vd["compound"], "vader_pos": vd["pos"], "vader_neu": vd["neu"], "vader_neg": vd["neg"]}
    row["textblob_label"] = label(row["textblob_polarity"], TEXTBLOB_THRESHOLD)
    row["vader_label"] = label(row["vader_compound"], VADER_THRESHOLD)
    row["disagree"] = disagree(row["textblob_polarity"], row["vader_compound"])
    return row


def disagree(textblob_polarity: float, vader_compound: float) -> bool:
    """True when the models point opposite ways, each beyond its DISAGREE_* constant."""
    return ((textblob_polarity >= DISAGREE_TEXTBLOB and vader_compound <= -DISAGREE_VADER)
            or (textblob_polarity <= -DISAGREE_TEXTBLOB and vader_compound >= DISAGREE_VADER))


def _sentence_rows(doc: Document, named: dict[int, list[tuple[str, str]]] | None) -> list[tuple]:
    """One tuple of SENTENCE_COLUMNS values per sentence of ``doc``."""
    scorers, named = _scorers(), named or {}
    textblob, vader = scorers.textblob_sentiment, scorers.vader_polarity_scores
    n, body, doc_id, outlet = len(doc.sentences), doc.text, doc.doc_id, doc.outlet
    rows = []
    for s in doc.sentences:
        text = body[s.start:s.end]
        polarity, subjectivity, _ = textblob(text)
        polarity, subjectivity, vd = float(polarity), float(subjectivity), vader(text)
        compound = vd["compound"]
        voice, reason = voicemod.sentence_voice(doc, s)
        found = named.get(s.index, [])
        rows.append((doc_id, outlet, s.paragraph, s.index, s.section, s.start, s.end, (s.index + 0.5) / n, text,
                     polarity, subjectivity, compound, vd["pos"], vd["neu"], vd["neg"],
                     label(polarity, TEXTBLOB_THRESHOLD), label(compound, VADER_THRESHOLD),
                     disagree(polarity, compound), voice, reason, LIST_SEPARATOR.join(a for a, _ in found),
                     LIST_SEPARATOR.join(dict.fromkeys(g for _, g in found))))
    return rows


def document_sentences(doc: Document, named: dict[int, list[tuple[str, str]]] | None = None) -> list[dict]:
    """Sentence rows (SENTENCE_COLUMNS) of one document.

    ``position`` = (index + 0.5) / number of sentences, in (0, 1): where the sentence sits in
    the article. ``voice`` is ``voice.sentence_voice`` (authorial or attributed). ``named`` maps
    a sentence index to the ``(actor, group)`` pairs named in it (``framing.actors.sentence_actors``);
    ``actors`` and ``groups`` list them, LIST_SEPARATOR-joined, in order of first mention.
    The scores and labels are those of ``score_sentence``.
    """
    return [dict(zip(SENTENCE_COLUMNS, row)) for row in _sentence_rows(doc, named)]


def sentence_columns(doc: Document, named: dict[int, list[tuple[str, str]]] | None = None) -> dict[str, list]:
    """``document_sentences`` as columns: SENTENCE_COLUMNS name → list, one value per sentence."""
    rows = _sentence_rows(doc, named)
    return {c: list(values) for c, values in zip(SENTENCE_COLUMNS, zip(*rows))} if rows else \
        {c: [] for c in SENTENCE_COLUMNS}


def sentence_table(corpus: Corpus, named_in: Callable[[Document], dict] | None = None) -> pd.DataFrame:
    """One row per sentence with both models' scores, labels and voice; ``named_in(doc)`` gives
    the actors named per sentence (``framing.actors.sentence_table`` passes the actor list's)."""
    rows = [row for doc in corpus for row in document_sentences(doc, named_in(doc) if named_in else None)]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def explain_sentence(text: str) -> list[dict]:
    """The words behind each model's score of one sentence.

    One row per TextBlob assessment (``words`` joined by spaces, ``weight`` = its polarity,
    ``subjectivity``) and per VADER token with a non-zero valence (``weight`` = valence after
    the rules, on VADER's -4…+4 scale; ``start``/``end`` into ``text``, -1 if unknown).
    ``item`` numbers the assessment or gives VADER's token index.
    """
    rows = []
    for i, (words, polarity, subjectivity, _) in enumerate(textblob_scores(text).assessments):
        rows.append({"model": "textblob", "item": i, "words": " ".join(words), "weight": float(polarity),
                     "subjectivity": float(subjectivity), "start": -1, "end": -1})
    found = vader_valences(text)
    for i, (token, valence) in enumerate(zip(found["tokens"], found["valences"])):
        if valence:
            start, end = found["spans"][i] if found["spans"] else (-1, -1)
            rows.append({"model": "vader", "item": i, "words": token, "weight": valence,
                         "subjectivity": math.nan, "start": start, "end": end})
    return rows


def explanations(corpus: Corpus) -> pd.DataFrame:
    """EXPLANATION_COLUMNS for every sentence; ``start``/``end`` of VADER tokens are offsets
    into the document text (-1 where unknown and for TextBlob)."""
    columns: dict[str, list] = {c: [] for c in EXPLANATION_COLUMNS}   # not a dict per row: millions of rows
    missing = float("nan")
    for doc in corpus:
        for s in doc.sentences:
            for row in explain_sentence(doc.text[s.start:s.end]):
                if row["start"] >= 0:
                    row["start"] += s.start
                    row["end"] += s.start
                row = {"doc_id": doc.doc_id, "sentence": s.index, **row}
                for name, values in columns.items():
                    values.append(row.get(name, missing))
    return pd.DataFrame(columns if columns["doc_id"] else [], columns=EXPLANATION_COLUMNS)


# --- aggregates -----------------------------------------------------------------------------

def aggregate(sentences: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Mean scores and shares of positive/negative sentences per group of ``by`` columns.

    Means are unweighted means over sentences (each in the model's range); shares are 0–1,
    using the labels of ``sentence_table``. Groups keep their order of first appearance.
    """
    table = sentences.assign(
        _tb_pos=sentences["textblob_label"].eq(POSITIVE).astype(float),
        _tb_neg=sentences["textblob_label"].eq(NEGATIVE).astype(float),
        _vd_pos=sentences["vader_label"].eq(POSITIVE).astype(float),
        _vd_neg=sentences["vader_label"].eq(NEGATIVE).astype(float))
    out = table.groupby(by, sort=False, as_index=False).agg(
        n_sentences=("sentence", "size"),
        textblob_polarity_mean=("textblob_polarity", "mean"),
        textblob_subjectivity_mean=("textblob_subjectivity", "mean"),
        vader_compound_mean=("vader_compound", "mean"),
        textblob_share_positive=("_tb_pos", "mean"), textblob_share_negative=("_tb_neg", "mean"),
        vader_share_positive=("_vd_pos", "mean"), vader_share_negative=("_vd_neg", "mean"))
    return out[list(by) + AGGREGATE_COLUMNS].reset_index(drop=True)


def paragraph_scores(sentences: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, outlet, paragraph, section`` + AGGREGATE_COLUMNS, one row per paragraph."""
    return aggregate(sentences, ["doc_id", "outlet", "paragraph", "section"])


def document_scores(sentences: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, outlet`` + AGGREGATE_COLUMNS, one row per document."""
    return aggregate(sentences, ["doc_id", "outlet"])


def disagreements(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences the two models label with opposite signs, for a person to read."""
    cols = ["doc_id", "sentence", "section", "voice", "textblob_polarity", "vader_compound", "text"]
    return sentences.loc[sentences["disagree"], cols].reset_index(drop=True)


def _explode_groups(sentences: pd.DataFrame) -> pd.DataFrame:
    named = sentences[sentences["groups"] != ""]
    return (named.assign(actor_group=named["groups"].str.split(LIST_SEPARATOR))
            .explode("actor_group").reset_index(drop=True))


def actor_sentiment(sentences: pd.DataFrame, by: str = "doc_id", groups: list[str] | None = None) -> pd.DataFrame:
    """Sentiment of the sentences that name each actor group, per ``by`` (doc_id or outlet).

    Columns: ``by, actor_group`` + AGGREGATE_COLUMNS. A sentence naming two groups counts for
    both. Groups are ordered as in ``groups`` (then as first named); groups never named are absent.
    """
    table = _explode_groups(sentences)
    out = aggregate(table, [by, "actor_group"])
    out["_g"] = in_given_order(out["actor_group"], groups or [])
    out["_k"] = in_given_order(out[by], dict.fromkeys(sentences[by]))
    return out.sort_values(["_k", "_g"], kind="mergesort").drop(columns=["_k", "_g"]).reset_index(drop=True)


def voice_sentiment(sentences: pd.DataFrame, by: str = "doc_id") -> pd.DataFrame:
    """Sentiment of authorial vs attributed (quoted or reported) sentences, per ``by``.

    Columns: ``by, voice`` + AGGREGATE_COLUMNS; authorial first within each ``by``.
    """
    out = aggregate(sentences, [by, "voice"])
    keys = {k: i for i, k in enumerate(dict.fromkeys(sentences[by]))}
    order = {voicemod.AUTHORIAL: 0, voicemod.ATTRIBUTED: 1}
    out = out.assign(_k=out[by].map(keys), _v=out["voice"].map(order))
    return out.sort_values(["_k", "_v"], kind="mergesort").drop(columns=["_k", "_v"]).reset_index(drop=True)


def arc(sentences: pd.DataFrame) -> pd.DataFrame:
    """Long table for the sentiment arc: ARC_COLUMNS, model ``textblob`` (polarity) or ``vader``
    (compound), both on [-1, 1]; ``position`` in (0, 1) is where the sentence sits in its article."""
    parts = []
    for model, column in (("textblob", "textblob_polarity"), ("vader", "vader_compound")):
        part = sentences[["doc_id", "outlet", "sentence", "position", column]].rename(columns={column: "score"})
        parts.append(part.assign(model=model))
    table = pd.concat(parts, ignore_index=True)
    keys = {k: i for i, k in enumerate(dict.fromkeys(sentences["doc_id"]))}
    table = table.assign(_k=table["doc_id"].map(keys))
    table = table.sort_values(["_k", "model", "sentence"], kind="mergesort").drop(columns="_k")
    return table[ARC_COLUMNS].reset_index(drop=True)


# --- for reading ----------------------------------------------------------------------------

def explain_sentences(explained: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``explanations`` that belong to the sentences (``doc_id, sentence``) of
    ``sentences``, in that table's order, then model and item."""
    keys = sentences[["doc_id", "sentence"]].drop_duplicates().reset_index(drop=True)
    keys = keys.assign(_order=range(len(keys)))
    table = explained.merge(keys, on=["doc_id", "sentence"], how="inner")
    table = table.sort_values(["_order", "model", "item"], kind="mergesort").drop(columns="_order")
    return table[EXPLANATION_COLUMNS].reset_index(drop=True)


def _words(rows: list[dict], model: str) -> str:
    return ", ".join(f"{r['words']} {r['weight']:+.2f}" for r in rows if r["model"] == model)


def examples(texts: list[str]) -> pd.DataFrame:
    """Both models on literal sentences, with the words behind each score.

    Columns: text, textblob_polarity, textblob_words, vader_compound, vader_words; the words
    cells read ``word weight, …`` (TextBlob weights on −1…+1, VADER valences on −4…+4).
    """
    rows = []
    for text in texts:
        scores, explained = score_sentence(text), explain_sentence(text)
        rows.append({"text": text, "textblob_polarity": scores["textblob_polarity"],
                     "textblob_words": _words(explained, "textblob"), "vader_compound": scores["vader_compound"],
                     "vader_words": _words(explained, "vader")})
    return pd.DataFrame(rows, columns=["text", "textblob_polarity", "textblob_words", "vader_compound", "vader_words"])
