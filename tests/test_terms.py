"""Term frequencies: counts, rates, groups, stemming and the ``terms`` command."""
import re
from collections import Counter

import pytest

from analysis import cli, corpus, text
from analysis.measures import terms

ALPHA = "Peace talks\n\nThe peaceful talks resumed. Peace talks matter for peace.\n"
BETA = "Border news\n\nTroops moved to the border. The border stayed closed.\n"


def tiny():
    docs = [corpus.parse_article(ALPHA, "a1", {"outlet": "Alpha"}),
            corpus.parse_article(BETA, "b1", {"outlet": "Beta"}),
            corpus.parse_article("Peace again\n\nPeace returned.\n", "a2", {"outlet": "Alpha"})]
    return corpus.Corpus(docs)


def test_unigram_counts_and_rates_per_outlet():
    table = terms.term_table(tiny(), by="outlet")
    alpha = table[table.group == "Alpha"].set_index("term")
    # Alpha: "Peace talks" (2) + "The peaceful talks resumed." (4) + "Peace talks matter for peace." (5)
    # + "Peace again" (2) + "Peace returned." (2) = 15 words; "peace" 5 times.
    assert alpha.loc["peace", "n"] == 5
    assert alpha.loc["peace", "n_words"] == 15
    assert alpha.loc["peace", "rate_per_1000"] == pytest.approx(5 / 15 * 1000)
    assert "the" not in alpha.index and "for" not in alpha.index  # stop words left out of counts
    assert list(table.group.unique()) == ["Alpha", "Beta"]
    assert table.iloc[0].term == "peace"


def test_bigrams_stay_inside_sentences():
    table = terms.term_table(tiny(), ngram=2, by="doc_id")
    a1 = table[table.group == "a1"].set_index("term")
    assert a1.loc["peace talks", "n"] == 2
    assert "talks peaceful" not in a1.index  # "Peace talks" (headline) and "The peaceful…" are two sentences
    assert "talks resumed" in a1.index


@pytest.mark.parametrize("stem, expected", [(None, {"peace": 5, "peaceful": 1}), ("snowball", {"peac": 6}),
                                            ("porter", {"peac": 6})])
def test_stemming_merges_word_forms(stem, expected):
    table = terms.term_table(tiny(), by="outlet", stem=stem)
    alpha = table[table.group == "Alpha"].set_index("term")["n"]
    for term, n in expected.items():
        assert alpha[term] == n
    if stem:
        assert "peaceful" not in alpha.index


def test_stop_words_are_recognised_before_stemming():
    doc = corpus.parse_article("Head\n\nThis was being done.\n", "d")
    assert terms.doc_counts(doc, stem="porter") == {"head": 1, "done": 1}


def test_unknown_stemmer_and_group_are_refused():
    with pytest.raises(ValueError, match="unknown stemmer"):
        terms.term_table(tiny(), stem="lancaster")
    with pytest.raises(ValueError, match="cannot group by 'colour'"):
        terms.check_by(tiny(), "colour")
    assert text.stem_term("peaceful") == "peaceful"


@pytest.mark.integration
def test_shipped_corpus_by_outlet():
    loaded = corpus.load_corpus()
    table = terms.term_table(loaded, by="outlet")
    assert set(table.group) == set(loaded.documents.outlet)
    peace = table[table.term == "peace"].set_index("group")["n"]
    assert peace.sum() == 12  # counted by hand in the four texts (KWIC of "peace" agrees)
    top = terms.top_terms(table, 3)
    assert top.groupby("group").size().max() == 3


def test_cli_terms(tmp_path, capsys):
    path = tmp_path / "alpha.txt"
    path.write_text(ALPHA, encoding="utf-8")
    status = cli.main(["terms", str(path), "--stem", "snowball", "--top", "2"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0] == "group,term,n,n_words,rate_per_1000"
    assert out[1].startswith("alpha,peac,4,11,")
    assert len(out) == 3


def test_cli_terms_reports_missing_file_and_bad_group(tmp_path, capsys):
    path = tmp_path / "alpha.txt"
    path.write_text(ALPHA, encoding="utf-8")
    assert cli.main(["terms", str(path), str(tmp_path / "missing.txt")]) == 1
    captured = capsys.readouterr()
    assert "missing.txt" in captured.err and "peace" in captured.out
    assert cli.main(["terms", str(path), "--by", "colour"]) == 2
    assert "cannot group by" in capsys.readouterr().err



# --- the per-token-type counting against the plain per-token definition --------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

textmod = text

_TRICKY = "U.S.-brokered talks: Azerbaijan’s “liberated” 2020 peace-talks; e.g. ΟΔΟΣ, the İstanbul deal's end."
_ALPHABET = st.sampled_from(list("aZé İß_1. -'’\n\"x.Y") + ["U.S.", "e.g.", "ΟΔΟΣ", "’s"])


def _reference_counts(doc, ngram, stop):
    """The definition in the module docstring, word by word."""
    stops = textmod.stopwords() if stop else frozenset()
    counts = Counter()
    for s in doc.sentences:
        words = textmod.words(doc.text[s.start:s.end])
        if ngram == 1:
            counts.update(w for w in words if w not in stops)
        else:
            counts.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a not in stops and b not in stops)
    return counts


@pytest.mark.integration
@pytest.mark.parametrize("ngram", [1, 2])
@pytest.mark.parametrize("stop", [True, False])
def test_doc_counts_equal_the_word_by_word_definition(ngram, stop):
    docs = list(corpus.load_corpus()) + [corpus.parse_article(_TRICKY, "tricky", {"outlet": "x"})]
    for doc in docs:
        assert terms.doc_counts(doc, ngram, stop) == _reference_counts(doc, ngram, stop), doc.doc_id
        assert terms.doc_word_count(doc) == sum(textmod.count_words(doc.text[p.start:p.end]) for p in doc.paragraphs)


def test_doc_counts_on_literal_text():
    doc = corpus.parse_article("Peace talks\n\nPeace, peace and the talks’ peace. Armenia's peace.", "d")
    counts = terms.doc_counts(doc)
    assert counts["peace"] == 5
    assert counts["armenia"] == 1
    assert "the" not in counts and "and" not in counts
    assert terms.doc_counts(doc, 2)["peace talks"] == 1
    with pytest.raises(ValueError):
        terms.doc_counts(doc, 3)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_token_regex_matches_its_readable_form(sample):
    readable = re.compile(textmod.TOKEN_PATTERN_READABLE)
    assert textmod.TOKEN_RE.findall(sample) == readable.findall(sample)
    for start in range(0, len(sample), 7):
        assert textmod.TOKEN_RE.findall(sample, start, len(sample) - 1) == readable.findall(sample, start, len(sample) - 1)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=60).map("".join))
def test_counts_equal_the_definition_on_generated_text(body):
    doc = corpus.parse_article("Headline words\n\n" + body, "g")
    for ngram in (1, 2):
        assert terms.doc_counts(doc, ngram) == _reference_counts(doc, ngram, True)
