"""The Dask path gives exactly the single-process results (2 worker processes)."""
import pandas as pd
import pytest

from analysis import corpus
from analysis.running import aggregate, scale, stages
from analysis.problems import InputError

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        yield client


def _single_process(docs):
    agg = aggregate.Aggregate()
    for position, doc in enumerate(docs):
        agg.add(stages.process_document(doc), (position,))
    return agg


def _assert_same(got, expected):
    pd.testing.assert_frame_equal(got.documents, expected.documents)
    pd.testing.assert_frame_equal(got.terms, expected.terms)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    rows = list(scale.generate_rows(corpus.load_corpus(), 60))
    folder = tmp_path_factory.mktemp("generated")
    return rows, scale.write_jsonl(rows, folder / "corpus.jsonl")


@pytest.mark.integration
def test_shipped_corpus_on_dask_equals_single_process(client):
    shipped = corpus.load_corpus()
    _assert_same(scale.run_on(client, shipped.seeds), _single_process(shipped))


@pytest.mark.integration
def test_generated_jsonl_in_many_partitions_equals_single_process(client, generated):
    rows, path = generated
    parts = scale.read_partitions(path, blocksize=20_000)
    assert len(parts) > 3
    expected = _single_process(scale.frame_documents(pd.DataFrame(rows)))
    got = scale.run_on(client, path, blocksize=20_000)
    _assert_same(got, expected)
    assert got.documents["doc_id"].tolist() == [r["id"] for r in rows]


@pytest.mark.integration
def test_generated_parquet_equals_single_process(client, generated, tmp_path):
    rows, _ = generated
    frame = pd.DataFrame(rows)
    frame.to_parquet(tmp_path / "corpus.parquet", row_group_size=25)
    _assert_same(scale.run_on(client, tmp_path / "corpus.parquet"),
                 _single_process(scale.frame_documents(frame)))


def test_generated_rows_are_deterministic_and_perturbed():
    shipped = corpus.load_corpus()
    first = list(scale.generate_rows(shipped, 5))
    assert first == list(scale.generate_rows(shipped, 5))
    assert first != list(scale.generate_rows(shipped, 5, seed=1))
    originals = set(shipped.sentences["text"])
    body = [s for row in first for s in row["text"].split("\n\n")[1:]]
    assert not any(s.strip() in originals for s in body)


def test_rows_without_text_are_refused():
    with pytest.raises(InputError, match="text"):
        scale.frame_documents(pd.DataFrame({"id": ["a"]}))
    with pytest.raises(InputError, match="not a seeds folder"):
        scale.read_partitions(__file__)
    with pytest.raises(InputError, match="no such file"):
        scale.read_partitions("missing.jsonl")


def test_bad_rows_of_a_jsonl_corpus_are_left_out_with_their_row(tmp_path):
    rows = [{"id": "a", "text": "Title\n\nPeace talks resumed."}, {"id": None, "text": "Title\n\nNo id."},
            {"id": "a", "text": "Title\n\nSame id."}, {"id": "b", "text": None}, {"id": "c", "text": "x \x00 y"}]
    problems = []
    docs = scale.frame_documents(pd.DataFrame(rows), "corpus.jsonl", problems)
    assert [d.doc_id for d in docs] == ["a"]
    assert [(p.file, p.message) for p in problems] == [
        ("corpus.jsonl row 2", "left out: no id"), ("corpus.jsonl row 3", "left out: id 'a' is repeated"),
        ("corpus.jsonl row 4", "left out: no text"),
        ("corpus.jsonl row 5", "left out: the text holds NUL or other control bytes")]


def test_json_lines_blocks_are_rows_and_a_bad_line_is_quoted():
    block = b'{"id": "a", "text": "T"}\n\n{"id": "b", "text": "U", "outlet": "X"}\r\n'
    frame = scale.json_lines(block)
    assert frame["id"].tolist() == ["a", "b"] and frame["text"].tolist() == ["T", "U"]
    assert pd.isna(frame["outlet"][0]) and frame["outlet"][1] == "X"      # a key one row lacks: missing there
    for bad, why in ((b'{"id": "c", "text": ', "Expecting value"), (b'["c", "text"]', "not an object"),
                     (b'{"id": "\xff"}', "utf-8")):
        with pytest.raises(ValueError, match=f"a line that is not one JSON object.*{why}") as caught:
            scale.json_lines(block + bad + b"\n")
        assert repr(bad.decode("utf-8", "replace"))[:20] in str(caught.value)
