"""Per-document pipeline: stage tables, aggregates, outputs of `run`."""
import pandas as pd
import pytest

from analysis.framing import actors, lexicon, markers
from analysis import corpus
from analysis.presentation import export
from analysis.running import pipeline
from analysis.measures import sentiment, terms

@pytest.fixture(scope="module")
def shipped():
    return corpus.load_corpus()


def test_process_document_tables():
    doc = corpus.parse_article("Headline here\n\nFirst lead sentence about peace. Second one.", "d1",
                               {"outlet": "O"})
    result = pipeline.process_document(doc)
    assert set(result.tables) == set(pipeline.STAGES)
    for table in result.tables.values():
        assert table.columns[0] == "doc_id"
        assert set(table["doc_id"]) <= {"d1"}
    assert result.n_words == 9
    assert result.tables["terms"].iloc[0].to_dict() == {"doc_id": "d1", "term": "first", "n": 1}
    assert result.sha256 == pipeline.text_sha256(doc.text)


def test_relabel_changes_ids_only():
    doc = corpus.parse_article("A title\n\nSome words here.", "old", {"outlet": "A"})
    moved = corpus.parse_article(doc.text, "new", {"outlet": "B"})
    result = pipeline.process_document(doc).relabel(moved)
    assert result.doc_id == "new" and result.outlet == "B"
    assert set(result.tables["terms"]["doc_id"]) == {"new"}
    assert result.tables["terms"]["n"].tolist() == pipeline.process_document(moved).tables["terms"]["n"].tolist()


@pytest.mark.integration
@pytest.mark.parametrize("by,ngram,stage", [("doc_id", 1, "terms"), ("outlet", 1, "terms"), ("doc_id", 2, "bigrams")])
def test_term_table_from_results_equals_terms_module(shipped, by, ngram, stage):
    results, _ = pipeline.analyse(shipped)
    pd.testing.assert_frame_equal(pipeline.term_table(shipped, results, stage, by),
                                  terms.term_table(shipped, ngram=ngram, by=by))


@pytest.mark.integration
def test_aggregate_terms_are_corpus_totals(shipped):
    results, _ = pipeline.analyse(shipped)
    agg = pipeline.aggregate(shipped, results)
    by_doc = terms.term_table(shipped)
    totals = by_doc.groupby("term")["n"].sum()
    table = agg.terms.set_index("term")
    assert table["n"].to_dict() == totals.to_dict()
    assert table.loc["azerbaijan", "n_docs"] == by_doc[by_doc["term"] == "azerbaijan"]["group"].nunique()
    assert agg.documents["doc_id"].tolist() == [d.doc_id for d in shipped]
    assert agg.documents["n_words"].tolist() == [terms.doc_word_count(d) for d in shipped]
    assert (agg.terms["n"].diff().dropna() <= 0).all()


@pytest.mark.integration
def test_run_writes_tables_figures_methods_and_changes(tmp_path):
    out = tmp_path / "out"
    summary = pipeline.run(out=out)
    assert summary.documents == 4 and summary.computed == 4 and summary.from_cache == 0
    for name in ["01_documents.csv", "01_words_by_section.png", "01_words_by_section.csv", "terms_by_doc.csv",
                 "terms_by_outlet.csv", "bigrams_by_doc.csv", "document_summary.csv", "terms_corpus.csv",
                 "methods.md", "changes.md"]:
        assert (out / name).is_file(), name
    shipped = corpus.load_corpus()
    assert (out / "01_documents.csv").read_bytes() == export.csv_bytes(shipped.documents)
    assert (out / "terms_by_doc.csv").read_bytes() == export.csv_bytes(terms.term_table(shipped))
    figures = [p.stem for p in summary.figures]
    assert len(figures) == 13 and {"01_words_by_section", "02_dispersion", "05_framing_profile"} <= set(figures)
    for stem in figures:
        assert all((out / f"{stem}.{fmt}").is_file() for fmt in ("png", "svg", "pdf", "csv")), stem
    assert len(summary.pages) == 4 and all(p.suffix == ".html" and p.parent == out for p in summary.pages)
    assert "4 documents" in str(summary) and "4 pages" in str(summary)


@pytest.mark.integration
def test_shared_tables_are_the_notebooks_tables(shipped):
    data = pipeline.RunData(shipped, pipeline.analyse(shipped)[0])
    pd.testing.assert_frame_equal(data.evidence, markers.evidence(shipped, lexicon.load()))
    pd.testing.assert_frame_equal(data.sentences, sentiment.sentence_table(shipped, actors.load()))
    pd.testing.assert_frame_equal(data.sentences, sentiment.sentence_table(shipped))
    assert export.csv_bytes(data.evidence) == export.csv_bytes(markers.evidence(shipped))


@pytest.mark.integration
@pytest.mark.parametrize("stage,ngram,min_count", [("terms", 1, 3), ("bigrams", 2, 2)])
def test_term_table_min_count_equals_terms_module(shipped, stage, ngram, min_count):
    results, _ = pipeline.analyse(shipped)
    table = pipeline.term_table(shipped, results, stage, "outlet", min_count=min_count)
    pd.testing.assert_frame_equal(table, terms.term_table(shipped, ngram=ngram, by="outlet", min_count=min_count))
    assert table["n"].min() >= min_count


def test_side_rates_by_section_keeps_side_rows_with_hits_outside_all():
    rates = pd.DataFrame({"dimension": ["side", "side", "side", "voice"], "section_group": ["lead", "all", "body", "lead"],
                          "n": [2, 5, 0, 1]})
    kept = pipeline.side_rates_by_section(rates)
    assert kept.index.tolist() == [0]


def test_plotted_returns_the_figure_and_exactly_its_data():
    data = pd.DataFrame({"x": [1]})
    made = pipeline.plotted(data, lambda table, scale, label="": (len(table) * scale, label), 3, label="a")
    assert made[0] == (3, "a") and made[1] is data


@pytest.mark.integration
def test_run_in_parallel_gives_the_same_files(tmp_path):
    pipeline.run(out=tmp_path / "one", use_cache=False)
    pipeline.run(out=tmp_path / "two", jobs=2, use_cache=False)
    for path in sorted((tmp_path / "one").glob("*.csv")):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
    assert not list((tmp_path / "one").rglob("*.pkl"))
