"""Per-document pipeline: stage tables, aggregates, outputs of `run`."""
import pandas as pd
import pytest

from analysis import corpus, text
from analysis.framing import actors, lexicon, markers
from analysis.measures import sentiment, terms
from analysis.presentation import export, nb04_markers, registry
from analysis.running import aggregate, pipeline, stages

@pytest.fixture(scope="module")
def shipped():
    return corpus.load_corpus()


def test_process_document_tables():
    doc = corpus.parse_article("Headline here\n\nFirst lead sentence about peace. Second one.", "d1",
                               {"outlet": "O"})
    result = stages.process_document(doc)
    assert set(result.tables) == set(stages.STAGES)
    for table in result.tables.values():
        assert table.columns[0] == "doc_id"
        assert set(table["doc_id"]) <= {"d1"}
    assert result.n_words == 9
    assert result.tables["terms"].iloc[0].to_dict() == {"doc_id": "d1", "term": "first", "n": 1}
    assert result.sha256 == text.text_sha256(doc.text)


def test_relabel_changes_ids_only():
    doc = corpus.parse_article("A title\n\nSome words here.", "old", {"outlet": "A"})
    moved = corpus.parse_article(doc.text, "new", {"outlet": "B"})
    result = stages.process_document(doc).relabel(moved)
    assert result.doc_id == "new" and result.outlet == "B"
    assert set(result.tables["terms"]["doc_id"]) == {"new"}
    assert result.tables["terms"]["n"].tolist() == stages.process_document(moved).tables["terms"]["n"].tolist()


@pytest.mark.integration
@pytest.mark.parametrize("by,ngram,min_count", [("doc_id", 1, 1), ("outlet", 1, 1), ("doc_id", 2, 1),
                                                ("outlet", 1, 3), ("outlet", 2, 2)])
def test_term_table_from_results_equals_terms_module(shipped, tmp_path, by, ngram, min_count):
    results, _ = pipeline.analyse(shipped)
    table = pipeline.workbook(shipped, results, tmp_path).term_table(ngram, by, min_count)
    pd.testing.assert_frame_equal(table, terms.term_table(shipped, ngram=ngram, by=by, min_count=min_count))
    assert table["n"].min() >= min_count


@pytest.mark.integration
def test_aggregate_terms_are_corpus_totals(shipped):
    results, _ = pipeline.analyse(shipped)
    agg = aggregate.aggregate(shipped, results)
    by_doc = terms.term_table(shipped)
    totals = by_doc.groupby("term")["n"].sum()
    table = agg.terms.set_index("term")
    assert table["n"].to_dict() == totals.to_dict()
    assert table.loc["azerbaijan", "n_docs"] == by_doc[by_doc["term"] == "azerbaijan"]["group"].nunique()
    assert agg.documents["doc_id"].tolist() == [d.doc_id for d in shipped]
    assert agg.documents["n_words"].tolist() == [d.n_words for d in shipped]
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
    charts = [item.name for notebook in registry.SECTIONS.values() for build in notebook
              for item in build(pipeline.workbook(shipped, pipeline.analyse(shipped)[0], tmp_path)).items
              if type(item).__name__ == "Chart"]
    assert figures == charts and {"01_words_by_section", "02_dispersion", "05_framing_profile"} <= set(figures)
    for stem in figures:
        assert all((out / f"{stem}.{fmt}").is_file() for fmt in ("png", "svg", "pdf", "csv")), stem
    assert len(summary.pages) == 4 and all(p.suffix == ".html" and p.parent == out for p in summary.pages)
    assert "4 documents" in str(summary) and "4 pages" in str(summary)


@pytest.mark.integration
def test_shared_tables_are_the_notebooks_tables(shipped, tmp_path):
    data = pipeline.workbook(shipped, pipeline.analyse(shipped)[0], tmp_path)
    pd.testing.assert_frame_equal(data.evidence, markers.evidence(shipped, lexicon.load()))
    pd.testing.assert_frame_equal(data.sentences, actors.sentence_table(shipped, actors.load()))
    pd.testing.assert_frame_equal(data.sentences, actors.sentence_table(shipped))
    assert export.csv_bytes(data.evidence) == export.csv_bytes(markers.evidence(shipped))


def test_side_rates_by_section_keeps_side_rows_with_hits_outside_all():
    rates = pd.DataFrame({"dimension": ["side", "side", "side", "voice"], "section_group": ["lead", "all", "body", "lead"],
                          "n": [2, 5, 0, 1]})
    kept = nb04_markers.side_rates_by_section(rates)
    assert kept.index.tolist() == [0]


@pytest.mark.integration
def test_run_in_parallel_gives_the_same_files(tmp_path, monkeypatch):
    from analysis.running import workers

    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)  # a worker process even for 4 articles
    monkeypatch.setattr(workers, "BATCH_BYTES", 100)
    pipeline.run(out=tmp_path / "one", use_cache=False)
    pipeline.run(out=tmp_path / "two", jobs=2)
    for path in sorted((tmp_path / "one").glob("*.csv")):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
    assert not list(tmp_path.rglob("*.pkl"))
    assert len(list((tmp_path / "two" / ".cache").rglob("*.result"))) == 4
    assert (tmp_path / "two" / ".cache" / "last_run.json").is_file()


def test_run_refuses_the_seeds_folder_as_output_and_a_locked_folder(tmp_path):
    from analysis.problems import InputError
    from analysis.running import guard
    from analysis import config

    with pytest.raises(InputError, match="seeds folder or inside it"):
        pipeline.run(config.DEFAULT_SEEDS, config.DEFAULT_SEEDS / "out")
    out = tmp_path / "out"
    out.mkdir()
    with guard.OutputLock(out):
        with pytest.raises(InputError, match="another run is writing"):
            pipeline.run(config.DEFAULT_SEEDS, out)
    assert sorted(p.name for p in out.iterdir()) == [guard.LOCK_NAME]


def test_tidy_removes_only_what_it_wrote_before(tmp_path):
    from analysis.running import guard

    (tmp_path / "mine.csv").write_text("x")
    (tmp_path / "users_notes.txt").write_text("keep")
    (tmp_path / ".mine.csv.abc123.tmp").write_text("half")
    guard.tidy(tmp_path, [tmp_path / "mine.csv"])
    (tmp_path / "new.csv").write_text("y")
    removed = guard.tidy(tmp_path, [tmp_path / "new.csv"])
    assert [p.message.startswith("removed") for p in removed] == [True]
    assert sorted(p.name for p in tmp_path.iterdir()) == [guard.WRITTEN_NAME, "new.csv", "users_notes.txt"]
