"""Sentence sentiment: signs, agreement with the libraries, explanations, aggregates, CLI."""
import io
import math
import re

import pandas as pd
import pytest
from textblob import TextBlob
from vaderSentiment import vaderSentiment as vader

from analysis.cli import analyse
from analysis import cli, corpus, text as textmod
from analysis.framing import actors, packs
from analysis.measures import sentiment

POSITIVE = "The talks were a great success."
NEGATIVE = "The shelling killed civilians and destroyed the hospital, a horrible attack."
SENTENCES = [
    POSITIVE,
    NEGATIVE,
    "The talks were not a great success, but the mood was grim.",
    "Officials were VERY pleased with the deal!!",
    "Was the ceasefire really violated again??",
    "The ministers met in Brussels on Thursday.",
]


def _article(*paragraphs, headline="Headline about the talks"):
    return corpus.parse_article("\n\n".join([headline, *paragraphs]) + "\n", "t", {"outlet": "Test outlet"})


def test_signs_on_plain_sentences():
    good, bad = sentiment.score_sentence(POSITIVE), sentiment.score_sentence(NEGATIVE)
    assert good["textblob_polarity"] > 0 and good["vader_compound"] > 0
    assert bad["textblob_polarity"] < 0 and bad["vader_compound"] < 0
    assert (good["textblob_label"], good["vader_label"]) == ("positive", "positive")
    assert (bad["textblob_label"], bad["vader_label"]) == ("negative", "negative")
    assert not good["disagree"] and not bad["disagree"]


def test_negation_lowers_vader_below_the_plain_sentence():
    plain = sentiment.score_sentence(POSITIVE)["vader_compound"]
    negated = sentiment.score_sentence("The talks were not a great success.")["vader_compound"]
    assert negated < 0 < plain


@pytest.mark.parametrize("text", SENTENCES)
def test_scores_equal_the_libraries_own(text):
    row = sentiment.score_sentence(text)
    blob = TextBlob(text).sentiment
    assert row["textblob_polarity"] == blob.polarity and row["textblob_subjectivity"] == blob.subjectivity
    scores = vader.SentimentIntensityAnalyzer().polarity_scores(text)
    assert (row["vader_compound"], row["vader_pos"], row["vader_neu"], row["vader_neg"]) == (
        scores["compound"], scores["pos"], scores["neu"], scores["neg"])


@pytest.mark.parametrize("text", SENTENCES)
def test_textblob_scores_equal_sentiment_assessments(text):
    ours = sentiment.textblob_scores(text)
    theirs = TextBlob(text).sentiment_assessments
    assert (ours.polarity, ours.subjectivity, ours.assessments) == (theirs.polarity, theirs.subjectivity,
                                                                    theirs.assessments)


@pytest.mark.parametrize("text", SENTENCES)
def test_vader_valences_reproduce_the_compound(text):
    found = sentiment.vader_valences(text)
    library = vader.SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    assert len(found["valences"]) == len(found["tokens"])
    assert round(found["compound"], 4) == library
    total = sum(found["valences"])
    if "!" in text or "?" in text and text.count("?") > 1:
        # The library adds emphasis for "!" and repeated "?" on top of the token valences.
        assert found["punctuation"] != 0
        assert round(vader.normalize(total + found["punctuation"]), 4) == library
        assert round(vader.normalize(total), 4) != library
    else:
        assert found["punctuation"] == 0
        assert round(vader.normalize(total), 4) == library if total else library == 0


def test_vader_valences_show_the_rules():
    plain = sentiment.vader_valences(POSITIVE)
    negated = sentiment.vader_valences("The talks were not a great success.")
    weight = dict(zip(plain["tokens"], plain["valences"]))
    negated_weight = dict(zip(negated["tokens"], negated["valences"]))
    assert weight["great"] > 0 and negated_weight["great"] < 0  # "not" flips the next words
    boosted = dict(zip(*(sentiment.vader_valences("The talks were a very great success.")[k] for k in ("tokens", "valences"))))
    assert boosted["great"] > weight["great"]  # "very" is a booster


@pytest.mark.parametrize("text", SENTENCES)
def test_explanation_words_occur_in_the_sentence(text):
    rows = sentiment.explain_sentence(text)
    folded = textmod.matching_form(text)
    for row in rows:
        for word in row["words"].split():
            assert word.lower() in folded, (word, text)
        if row["model"] == "vader":
            assert text[row["start"]:row["end"]] == row["words"]
            assert row["weight"] != 0


def test_explanations_name_the_driving_words():
    rows = sentiment.explain_sentence(NEGATIVE)
    vader_words = {r["words"] for r in rows if r["model"] == "vader"}
    textblob_words = {r["words"] for r in rows if r["model"] == "textblob"}
    assert {"killed", "horrible"} <= vader_words
    assert "horrible" in textblob_words
    assert all(r["weight"] < 0 for r in rows if r["words"] in {"killed", "horrible"})


def test_disagreement_uses_the_named_thresholds():
    assert sentiment.disagree(sentiment.DISAGREE_TEXTBLOB, -sentiment.DISAGREE_VADER)
    assert sentiment.disagree(-0.5, 0.5)
    assert not sentiment.disagree(sentiment.DISAGREE_TEXTBLOB / 2, -0.9)
    assert not sentiment.disagree(0.5, 0.5)
    assert sentiment.label(0.05, sentiment.VADER_THRESHOLD) == "positive"
    assert sentiment.label(-0.0499, sentiment.VADER_THRESHOLD) == "neutral"


def test_aggregates_are_means_of_sentence_scores():
    doc = _article(f"{POSITIVE} {NEGATIVE}", "The ministers met on Thursday. It was a good meeting.")
    table = actors.sentence_table(corpus.Corpus([doc]))
    assert list(table.columns) == sentiment.SENTENCE_COLUMNS
    assert list(table["sentence"]) == [0, 1, 2, 3, 4]
    docs = sentiment.document_scores(table)
    assert len(docs) == 1 and docs.loc[0, "n_sentences"] == 5
    for column in ("textblob_polarity", "textblob_subjectivity", "vader_compound"):
        assert docs.loc[0, f"{column}_mean"] == pytest.approx(table[column].mean())
    assert docs.loc[0, "vader_share_positive"] == pytest.approx((table["vader_compound"] >= 0.05).mean())
    assert docs.loc[0, "vader_share_negative"] == pytest.approx((table["vader_compound"] <= -0.05).mean())
    paragraphs = sentiment.paragraph_scores(table)
    assert list(paragraphs["paragraph"]) == [0, 1, 2]
    second = table[table["paragraph"] == 1]
    assert paragraphs.loc[1, "vader_compound_mean"] == pytest.approx(second["vader_compound"].mean())
    assert paragraphs.loc[1, "n_sentences"] == 2


def test_positions_and_arc():
    doc = _article(f"{POSITIVE} {NEGATIVE}", "The ministers met on Thursday.")
    table = actors.sentence_table(corpus.Corpus([doc]))
    assert list(table["position"]) == pytest.approx([0.125, 0.375, 0.625, 0.875])
    arc = sentiment.arc(table)
    assert list(arc.columns) == sentiment.ARC_COLUMNS and len(arc) == 2 * len(table)
    assert list(arc.loc[arc["model"] == "vader", "score"]) == list(table["vader_compound"])


def test_actor_and_voice_columns():
    doc = _article('Azerbaijan and Armenia agreed on a great deal. "It is a horrible day," Pashinyan said.',
                   "The EU hosted the talks.")
    table = actors.sentence_table(corpus.Corpus([doc]))
    assert table.loc[1, "actors"] == "Azerbaijan;Armenia" and table.loc[1, "groups"] == "az;am"
    assert table.loc[2, "voice"] == "attributed" and table.loc[1, "voice"] == "authorial"
    assert table.loc[3, "groups"] == "mediator"
    by_actor = sentiment.actor_sentiment(table, groups=packs.active().groups)
    assert list(by_actor["actor_group"]) == ["az", "am", "mediator"]
    am = table[table["groups"].str.contains("am")]
    assert by_actor.loc[1, "vader_compound_mean"] == pytest.approx(am["vader_compound"].mean())
    by_voice = sentiment.voice_sentiment(table)
    assert list(by_voice["voice"]) == ["authorial", "attributed"]
    assert by_voice.loc[1, "n_sentences"] == 1


@pytest.mark.integration
def test_shipped_corpus():
    seeds = corpus.load_corpus()
    table = actors.sentence_table(seeds)
    assert len(table) == len(seeds.sentences) > 0
    assert table["textblob_polarity"].between(-1, 1).all() and table["textblob_subjectivity"].between(0, 1).all()
    assert table["vader_compound"].between(-1, 1).all()
    assert (table[["vader_pos", "vader_neu", "vader_neg"]].sum(axis=1) - 1).abs().max() < 0.01
    assert set(table["voice"]) == {"authorial", "attributed"}
    docs = sentiment.document_scores(table).set_index("doc_id")
    # The EU statement condemns an escalation; the US statement welcomes a release.
    assert docs.loc["eu-2023-09-19", "vader_compound_mean"] < 0 < docs.loc["us-2023-12-07", "vader_compound_mean"]
    flagged = sentiment.disagreements(table)
    assert len(flagged) == int(table["disagree"].sum())
    for row in flagged.itertuples():
        assert (row.textblob_polarity > 0) != (row.vader_compound > 0)
    explained = sentiment.explanations(seeds)
    vader_rows = explained[explained["model"] == "vader"]
    for row in vader_rows.itertuples():
        assert textmod.matching_form(seeds[row.doc_id].text[row.start:row.end]) == textmod.matching_form(row.words)
    by_group = sentiment.actor_sentiment(table, by="outlet", groups=packs.active().groups)
    assert {"az", "am", "mediator"} <= set(by_group["actor_group"])
    assert not by_group.isna().any().any()


def test_cli_prints_the_sentence_table(capsys, monkeypatch, tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text(f"Talks in Brussels\n\n{POSITIVE} {NEGATIVE}\n\nThe EU said Armenia agreed.\n", encoding="utf-8")
    status = cli.main(["sentiment", str(article), str(tmp_path / "missing.txt")])
    out, err = capsys.readouterr()
    assert status == 1 and "missing.txt" in err
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns) == analyse.SENTIMENT_CLI_COLUMNS
    assert len(table) == 4
    text = article.read_text(encoding="utf-8")
    for row in table.itertuples():
        assert text[row.start:row.end] == row.text
    assert table.loc[1, "vader_compound"] == vader.SentimentIntensityAnalyzer().polarity_scores(POSITIVE)["compound"]
    assert table.loc[2, "textblob_polarity"] < 0
    assert table.loc[3, "actors"] == "European Union;Armenia" and table.loc[3, "voice"] == "attributed"

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"Headline\n\n{NEGATIVE}\n".encode())))
    assert cli.main(["sentiment", "-"]) == 0
    out, _ = capsys.readouterr()
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table["doc_id"]) == ["stdin", "stdin"] and table.loc[1, "vader_compound"] < 0
