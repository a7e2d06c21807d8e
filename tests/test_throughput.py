"""The faster paths give the numbers of the plain ones: columnar per-document results joined once,
the fast scorers in the sentiment stage, worker processes that write their own cache entries."""
import pickle
import subprocess
import sys

import pandas as pd
import pytest

from analysis import corpus
from analysis.corpus import Corpus
from analysis.framing import actors, markers
from analysis.measures import sentiment
from analysis.running import aggregate, cache, pipeline, scale, stages


@pytest.fixture(scope="module")
def generated():
    shipped = corpus.load_corpus()
    docs = list(shipped) + scale.frame_documents(pd.DataFrame(list(scale.generate_rows(shipped, 40))))
    docs.append(corpus.parse_article("Title\n\nNothing to see.", "quiet", {"outlet": "Q"}))
    return Corpus(docs, [], shipped.seeds)


def test_stage_tables_are_the_concatenated_document_tables(generated):
    results = {doc.doc_id: stages.process_document(doc) for doc in generated}
    for name in stages.STAGES:
        tables = [results[doc.doc_id].tables[name] for doc in generated]
        expected = pd.concat([t for t in tables if len(t)], ignore_index=True)
        pd.testing.assert_frame_equal(aggregate.stage_table(generated, results, name), expected)
    docs = list(generated)
    pd.testing.assert_frame_equal(results[docs[0].doc_id].tables["markers"], markers.match_document(docs[0]))
    quiet = results["quiet"].tables["markers"]
    pd.testing.assert_frame_equal(quiet, markers.match_document(docs[-1]))
    pd.testing.assert_frame_equal(results[docs[1].doc_id].tables["sentiment"], pd.DataFrame(
        sentiment.document_sentences(docs[1], actors.sentence_actors(docs[1])), columns=sentiment.SENTENCE_COLUMNS))


def test_document_summaries_from_columns_equal_those_from_tables(generated):
    for doc in list(generated)[:12]:
        result = stages.process_document(doc)
        for name in stages.STAGES:
            assert (stages.stage_summary(name, result.columns[name], result.n_words)
                    == stages.stage_summary(name, result.tables[name], result.n_words))
        means = stages.sentiment_summary(result.tables["sentiment"], result.n_words)
        assert means["vader_compound_mean"] == float(result.tables["sentiment"]["vader_compound"].mean())


def test_sentiment_stage_scores_are_the_libraries(generated):
    from textblob.en import sentiment as pattern_sentiment
    from vaderSentiment import vaderSentiment as vader

    analyzer = vader.SentimentIntensityAnalyzer()
    table = stages.sentiment_table(list(generated)[5])
    for row in table.itertuples(index=False):
        polarity, subjectivity = pattern_sentiment(row.text)
        scores = analyzer.polarity_scores(row.text)
        assert (row.textblob_polarity, row.textblob_subjectivity) == (float(polarity), float(subjectivity))
        assert (row.vader_compound, row.vader_pos, row.vader_neu, row.vader_neg) == (
            scores["compound"], scores["pos"], scores["neu"], scores["neg"])
    text = table["text"].iloc[0]
    assert sentiment.vader_valences(text) == sentiment.library_vader_valences(text)


def test_results_travel_between_processes_as_plain_columns(generated):
    result = stages.process_document(list(generated)[2])
    result.tables  # built DataFrames are not sent along
    state = result.__getstate__()
    assert not any(isinstance(v, pd.DataFrame) for cols in state[-1].values() for v in cols.values())
    copy = pickle.loads(pickle.dumps(result))
    for name in stages.STAGES:
        pd.testing.assert_frame_equal(copy.tables[name], result.tables[name])


def _seeds(docs, folder):
    """``docs`` written as a seeds folder (one file per text, manifest rows with their outlets)."""
    folder.mkdir()
    rows = ["id,file,title,outlet,date,url,voice,licence"]
    for doc in docs:
        (folder / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
        rows.append(f"{doc.doc_id},{doc.doc_id}.txt,A title,{doc.outlet},2023-12-07,,,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.mark.integration
def test_parallel_workers_read_compute_and_store_what_one_process_does(generated, tmp_path, monkeypatch):
    from analysis.running import workers

    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(workers, "BATCH_BYTES", 6_000)
    seeds = _seeds(list(generated), tmp_path / "seeds")
    (seeds / "broken.txt").write_bytes(b"\x00\x01binary")
    with open(seeds / "manifest.csv", "a", encoding="utf-8") as handle:
        handle.write("broken,broken.txt,A title,X,2023-12-07,,,\n")
    store = cache.ResultCache(tmp_path / "cache", cache.fingerprint())
    loaded, parallel, from_cache = pipeline.load_and_analyse(seeds, store, jobs=2)
    serial_corpus, serial, _ = pipeline.load_and_analyse(seeds, None, jobs=1)
    assert from_cache == 0 and [d.doc_id for d in loaded] == [d.doc_id for d in serial_corpus] == [
        d.doc_id for d in generated]
    assert [str(p) for p in loaded.problems] == [str(p) for p in serial_corpus.problems]
    assert any("broken.txt" in str(p) for p in loaded.problems)
    for doc, other in zip(loaded, serial_corpus):
        assert (doc.text, doc.meta, doc.paragraphs, doc.sentences) == (other.text, other.meta, other.paragraphs,
                                                                      other.sentences)
        for name in stages.STAGES:
            pd.testing.assert_frame_equal(parallel[doc.doc_id].tables[name], serial[doc.doc_id].tables[name])
    texts = {d.text for d in loaded}
    assert store.writes >= len(texts) and store.problems == []   # written by the workers and this process
    again, warm, from_cache = pipeline.load_and_analyse(seeds, store, jobs=2)
    assert from_cache == len(again)
    for doc in again:
        pd.testing.assert_frame_equal(warm[doc.doc_id].tables["sentiment"], serial[doc.doc_id].tables["sentiment"])


def test_small_corpora_stay_in_one_process(monkeypatch):
    from analysis.running import workers

    monkeypatch.setattr(workers, "share", None)  # would fail if used
    loaded, results, _ = pipeline.load_and_analyse(corpus.load_corpus().seeds, None, jobs=4)
    assert len(results) == len(loaded) == 4


def test_importing_the_sentiment_module_does_not_import_textblob():
    code = "import sys, analysis.measures.sentiment; print('textblob' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
