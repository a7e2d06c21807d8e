"""Notebook 03, sentiment sentence by sentence: tone, the words behind it, voice and actors."""
from __future__ import annotations

from analysis.framing import actors
from analysis.measures import sentiment
from analysis.presentation import plots
from analysis.presentation.section import Chart, Section, Show, Table, Text

SENTENCE_SHOWN = ["doc_id", "sentence", "section", "textblob_polarity", "vader_compound", "textblob_label",
                  "vader_label", "voice", "groups"]
#: Positions of the per-outlet arc: the mean score of each tenth of the articles.
ARC_BINS = 10
AGREEMENT_COLUMNS = ["doc_id", "sentence", "textblob_polarity", "vader_compound", "disagree"]
#: The worked examples of the caveats cell: negation, a proper noun with sentiment, repetition.
EXAMPLES = ["The talks were a great success.", "The talks did not bring any good results.",
            "The talks were not a success.", "The army liberated the region from occupation.",
            "The ministers discussed the release of prisoners of war.",
            "The two foreign ministers discussed military matters.",
            "It was good.", "It was good. " * 3, "It was good. " * 10]


def settings(wb) -> Section:
    """The thresholds and the size of the actor dictionary."""
    table = actors.load()
    return Section([Text(f"{len(wb.corpus)} texts; actor dictionary: {table['actor'].nunique()} actors, "
                         f"{len(table)} variants\nthresholds: VADER ±{sentiment.VADER_THRESHOLD}, TextBlob "
                         f"±{sentiment.TEXTBLOB_THRESHOLD}; disagreement: VADER ±{sentiment.DISAGREE_VADER}, "
                         f"TextBlob ±{sentiment.DISAGREE_TEXTBLOB}")])


def examples(wb) -> Section:
    """Both models on literal sentences, with the words behind each score (shown, not written)."""
    return Section([Show(sentiment.examples(EXAMPLES))])


def sentences(wb) -> Section:
    """``03_sentences`` (every sentence, both models, voice, actors) and ``03_explanations``."""
    return Section([Table("03_sentences", wb.sentences, SENTENCE_SHOWN),
                    Table("03_explanations", wb.explanations, view=wb.explanations.head(12))])


def aggregates(wb) -> Section:
    """``03_paragraphs``, ``03_documents`` (means and shares) and the shares chart."""
    docs = wb.sentiment_documents
    if wb.per_text:
        chart = Chart("03_sentiment_shares", plots.sentiment_shares(docs), docs)
    else:
        grouped = sentiment.aggregate(wb.regroup(wb.sentences).rename(columns={"doc_id": "outlet_group"}),
                                      ["outlet_group"])
        chart = Chart("03_sentiment_shares", plots.sentiment_shares(grouped, "outlet_group"), grouped)
    return Section([Table("03_paragraphs", sentiment.paragraph_scores(wb.sentences), show=False),
                    Table("03_documents", docs), chart])


def agreement(wb) -> Section:
    """``03_model_agreement`` (one point per sentence) and ``03_disagreements`` with their words."""
    data = wb.sentences[AGREEMENT_COLUMNS]
    flagged = sentiment.disagreements(wb.sentences)
    explained = sentiment.explain_sentences(wb.explanations, flagged)
    return Section([Chart("03_model_agreement", plots.sentiment_agreement(
                        data, sentiment.DISAGREE_TEXTBLOB, sentiment.DISAGREE_VADER), data),
                    Table("03_disagreements", flagged),
                    Show(explained[["doc_id", "sentence", "model", "words", "weight"]])])


def actor_mentions(wb) -> Section:
    """``03_actor_mentions`` and ``03_actors_first_most`` (named first, named most, per group)."""
    return Section([Table("03_actor_mentions", wb.actor_mentions, show=False),
                    Table("03_actors_first_most", actors.first_and_most(wb.corpus, wb.actor_mentions))])


def actor_sentiment(wb) -> Section:
    """``03_actor_sentiment`` (per text) and ``03_actor_sentiment_outlet``."""
    by_doc = sentiment.actor_sentiment(wb.regroup(wb.sentences), by="doc_id", groups=wb.story.groups)
    return Section([Chart("03_actor_sentiment", plots.actor_sentiment(by_doc, colours=wb.colours), by_doc),
                    Table("03_actor_sentiment_outlet", sentiment.actor_sentiment(wb.sentences, by="outlet", groups=wb.story.groups))])


def voice_sentiment(wb) -> Section:
    """``03_voice_sentiment``: authorial against attributed sentences."""
    data = sentiment.voice_sentiment(wb.regroup(wb.sentences), by="doc_id")
    return Section([Chart("03_voice_sentiment", plots.voice_sentiment(data), data)])


def arc(wb) -> Section:
    """``03_sentiment_arc``: sentence scores in reading order."""
    data = sentiment.arc(wb.sentences)
    if wb.per_text:
        return Section([Chart("03_sentiment_arc", plots.sentiment_arc(data), data)])
    binned = wb.regroup(data).assign(position=lambda t: ((t["position"] * ARC_BINS).astype(int) + 0.5) / ARC_BINS)
    binned = (binned.groupby(["doc_id", "model", "position"], sort=False, as_index=False)["score"].mean()
              .rename(columns={"doc_id": "outlet"}).sort_values(["outlet", "model", "position"], kind="mergesort"))
    return Section([Chart("03_sentiment_arc", plots.sentiment_arc(binned, "outlet"), binned,
                          f"mean sentence score per tenth of the article, per outlet ({len(wb.corpus):,} texts)")])


SECTIONS = [settings, examples, sentences, aggregates, agreement, actor_mentions, actor_sentiment,
            voice_sentiment, arc]
