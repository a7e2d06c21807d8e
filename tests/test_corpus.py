"""Article structure, sentences and offsets; the shipped seeds."""
import hashlib

import pytest

from analysis import config, corpus, text


def test_headline_caption_paragraphs_and_offsets():
    raw = "Big news today\nA photo of the square, Oct. 2, 2023.\n\n\nFirst paragraph. It has two sentences.\n\nMr. Smith said U.S. officials agreed. Then they left.\n"
    doc = corpus.parse_article(raw, "d")
    assert [p.section for p in doc.paragraphs] == ["headline", "caption", "lead", "body"]
    assert [doc.text[p.start:p.end] for p in doc.paragraphs][:2] == ["Big news today", "A photo of the square, Oct. 2, 2023."]
    sentences = [doc.text[s.start:s.end] for s in doc.sentences]
    assert sentences == ["Big news today", "A photo of the square, Oct. 2, 2023.", "First paragraph.",
                         "It has two sentences.", "Mr. Smith said U.S. officials agreed.", "Then they left."]
    assert [s.paragraph for s in doc.sentences] == [0, 1, 2, 2, 3, 3]


def test_ordinary_words_are_not_abbreviations():
    doc = corpus.parse_article("H\n\nThe cat sat. The dog said no. It ran.\n", "d")
    assert len([s for s in doc.sentences if s.section != "headline"]) == 3


def test_metadata_header_is_not_a_headline():
    raw = "title: A statement\noutlet: Ministry\n\nFirst paragraph.\n\nSecond paragraph.\n"
    doc = corpus.parse_article(raw, "d")
    assert doc.meta["title"] == "A statement"
    assert [p.section for p in doc.paragraphs] == ["lead", "body"]
    assert doc.body_start == raw.index("First")


def test_tokens_keep_offsets_and_normalise_terms():
    source = "Azerbaijan’s decades-long U.S.-brokered talks, 2020."
    toks = text.tokens(source)
    assert all(source[t.start:t.end] == t.text for t in toks)
    assert [t.text for t in toks][:2] == ["Azerbaijan’s", "decades-long"]
    assert text.words(source)[0] == "azerbaijan"
    assert "2020" not in text.words(source)
    assert text.count_words(source) == len(text.words(source))


def test_matching_form_keeps_length():
    source = "“İstanbul” – ‘quoted’ — end"
    folded = text.matching_form(source)
    assert len(folded) == len(source)
    assert folded.startswith('"') and "-" in folded and "'quoted'" in folded


@pytest.mark.integration
def test_shipped_seeds_load_byte_identical_and_valid():
    seeds = corpus.load_corpus(config.DEFAULT_SEEDS)
    assert seeds.problems == []
    docs = seeds.documents
    assert list(docs["doc_id"]) == ["aa-2023-12-07", "joint-2023-12-07", "us-2023-12-07", "eu-2023-09-19"]
    first = (config.DEFAULT_SEEDS / "000_5dd031c112e2ddcb.txt").read_bytes()
    assert hashlib.sha256(first).hexdigest() == docs.iloc[0]["sha256"]
    aa = seeds["aa-2023-12-07"]
    assert aa.text[aa.paragraphs[1].start:aa.paragraphs[1].end].startswith("A view shows Khankendi")
    sentences = seeds.sentences
    for row in sentences.itertuples():
        assert seeds[row.doc_id].text[row.start:row.end] == row.text
    assert set(sentences["section"]) == set(corpus.SECTIONS)
