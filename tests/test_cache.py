"""Incremental runs: one new article recomputes one article; changes.md says what changed; the
cache holds data only, checked when read, and a wrong entry or state file is recomputed."""
import json
import pickle
import shutil

import pandas as pd
import pytest

from analysis.running import aggregate, cache, changes, pipeline, stages
from analysis import config, corpus


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(config.DEFAULT_SEEDS, folder)
    return folder


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = stages.process_document

    def counting(doc, stages=None):
        calls.append(doc.doc_id)
        return real(doc, stages)

    monkeypatch.setattr(stages, "process_document", counting)   # every computation goes through it
    return calls


def _add_article(seeds, doc_id, text):
    (seeds / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    with (seeds / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{doc_id},{doc_id}.txt,A test title,Test Outlet,2024-01-02,,,\n")


@pytest.mark.integration
def test_adding_one_article_recomputes_only_that_article(seeds, tmp_path, counted):
    out = tmp_path / "out"
    first = pipeline.run(seeds, out)
    assert first.computed == 4 and len(counted) == 4
    counted.clear()
    assert pipeline.run(seeds, out).from_cache == 4
    assert counted == []
    _add_article(seeds, "new-2024-01-02", "Peace talks resume\n\nThe talks on peace resumed today in Vienna.\n")
    third = pipeline.run(seeds, out)
    assert counted == ["new-2024-01-02"]
    assert (third.computed, third.from_cache) == (1, 4)
    report = (out / "changes.md").read_text(encoding="utf-8")
    assert "New documents (1): `new-2024-01-02`" in report
    assert "Removed documents (0): none" in report


@pytest.mark.integration
def test_changed_text_is_recomputed_and_its_rates_reported(seeds, tmp_path, counted):
    out = tmp_path / "out"
    pipeline.run(seeds, out)
    counted.clear()
    path = seeds / "us-dos-2023-12-07-welcoming-release.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nPeace, peace, peace and more peace.\n", encoding="utf-8")
    pipeline.run(seeds, out)
    assert counted == ["us-2023-12-07"]
    report = (out / "changes.md").read_text(encoding="utf-8")
    assert "Documents whose text changed (1): `us-2023-12-07`" in report
    assert "| us-2023-12-07 | n_words |" in report
    assert "aa-2023-12-07" not in report
    assert "| us-2023-12-07 | terms_per_1000 |" in report


def test_first_run_and_removed_documents():
    current = pd.DataFrame({"doc_id": ["a", "b"], "sha256": ["1", "2"], "n_words": [10, 20],
                            "terms_per_1000": [100.0, 50.0]})
    assert "First run" in changes.changes_markdown(None, current)
    previous = pd.DataFrame({"doc_id": ["a", "c"], "sha256": ["1", "3"], "n_words": [10, 5],
                             "terms_per_1000": [100.2, 1.0]})
    kinds, moved = changes.changes(previous, current)
    assert kinds == {"new": ["b"], "removed": ["c"], "changed": []}
    assert moved.to_dict("records") == [{"doc_id": "a", "measure": "terms_per_1000", "before": 100.2,
                                         "after": 100.0, "change": pytest.approx(-0.2)}]


def test_cache_refuses_a_folder_inside_seeds(tmp_path):
    with pytest.raises(ValueError, match="inside the seeds folder"):
        cache.cache_dir(tmp_path / "seeds" / "out", tmp_path / "seeds")
    assert cache.cache_dir(tmp_path / "out", tmp_path / "seeds") == tmp_path / "out" / ".cache"


def test_fingerprint_depends_on_the_stages(monkeypatch):
    before = cache.fingerprint()
    assert before == cache.fingerprint()
    monkeypatch.setitem(stages.STAGES, "extra", stages.Stage(stages.unigram_table))
    assert cache.fingerprint() != before


def _shipped_results():
    shipped = corpus.load_corpus()
    return shipped, {doc.doc_id: stages.process_document(doc) for doc in shipped}


def test_cached_results_give_the_tables_of_fresh_computation(tmp_path):
    shipped, fresh = _shipped_results()
    store = cache.ResultCache(tmp_path, cache.fingerprint())
    for result in fresh.values():
        store.put(result.sha256, result)
    read = {doc_id: store.get(r.sha256) for doc_id, r in fresh.items()}
    assert (store.reads, store.writes, store.problems) == (len(fresh), len(fresh), [])
    for doc_id, result in fresh.items():
        assert set(read[doc_id].tables) == set(stages.STAGES)
        for name, table in result.tables.items():
            pd.testing.assert_frame_equal(read[doc_id].tables[name], table)
    mixed = {doc_id: (read if i % 2 else fresh)[doc_id] for i, doc_id in enumerate(fresh)}
    for name in stages.STAGES:
        for results in (read, mixed):
            pd.testing.assert_frame_equal(aggregate.stage_table(shipped, results, name),
                                          aggregate.stage_table(shipped, fresh, name))
    pd.testing.assert_frame_equal(aggregate.aggregate(shipped, read).documents,
                                  aggregate.aggregate(shipped, fresh).documents)
    assert not list(tmp_path.rglob("*.pkl")) and len(list(tmp_path.rglob("*" + cache.SUFFIX))) == len(fresh)


class _Payload:
    """Unpickling this creates ``path``: proof that code from the cache folder ran."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.integration
def test_a_malicious_pickle_in_the_cache_is_never_run(seeds, tmp_path):
    out, proof = tmp_path / "out", tmp_path / "code-ran"
    pipeline.run(seeds, out)
    entries = sorted((out / cache.CACHE_NAME).rglob("*" + cache.SUFFIX))
    assert len(entries) == 4
    bomb = pickle.dumps(_Payload(proof))
    for entry in entries:
        entry.write_bytes(bomb)                          # where the entry is
        entry.with_suffix(".pkl").write_bytes(bomb)      # where the pickle cache kept it
    [batch] = (out / cache.CACHE_NAME).rglob("*.batch")
    batch.write_bytes(bomb)                              # and the batch holding them
    second = pipeline.run(seeds, out)
    assert not proof.exists()
    assert (second.computed, second.from_cache) == (4, 0)
    warned = [p for p in second.problems if "invalid cache entry" in p.message]
    assert len(warned) == 5 and all(p.severity == "warning" for p in warned)
    third = pipeline.run(seeds, out)  # the entries were replaced: no warning again
    assert (third.computed, third.from_cache) == (0, 4)
    assert not [p for p in third.problems if "cache" in p.message] and not proof.exists()


def _changed(result, stage=None, column=None, values=None, **fields):
    """A copy of ``result`` with one column's values replaced (``values=None``: the column left
    out) or other counts (``fields``), or without ``stage`` when ``column`` is None."""
    columns = {name: dict(cols.data) for name, cols in result.columns.items()}
    if stage and column is None:
        del columns[stage]
    elif stage and values is None:
        del columns[stage][column]
    elif stage:
        columns[stage][column] = values
    counts = {f: getattr(result, f) for f in ("doc_id", "outlet", "sha256", "n_paragraphs", "n_sentences", "n_words")}
    return stages.DocResult(**{**counts, **fields}, columns={n: stages.Columns(d) for n, d in columns.items()})


def _foreign(store, result, other) -> dict[str, bytes]:
    """Entries of other shapes, each named by what makes it wrong."""
    good = cache.encode(result, store.key)
    header = json.loads(good.partition(b"\n")[0])
    offset, flag = len(good.partition(b"\n")[0]) + 1, None
    for stage in header["stages"].values():
        for _, kind, size in stage["columns"]:
            flag = offset if kind == "bool" and flag is None else flag
            offset += size if kind != "repeat" else 0
    assert flag is not None                  # the sentiment stage's "disagree" flags
    flags = bytearray(good)
    flags[flag] = 7
    cols = result.columns
    shapes = {
        "another object": {"x": 1}, "a list": [1, 2, 3], "empty object": {},
        "another text's entry": other, "another code version": (result, "0" * 64),
        "a column of strings for numbers": _changed(result, "terms", "n", [str(n) for n in cols["terms"]["n"]]),
        "a missing column": _changed(result, "sentiment", "vader_compound"),
        "columns of different lengths": _changed(result, "markers", "start", cols["markers"]["start"][:-1]),
        "a number for text": _changed(result, "sentiment", "text", [1.5] + cols["sentiment"]["text"][1:]),
        "a missing stage": _changed(result, "markers"),
        "counts that are not numbers": _changed(result, n_words="many"),
    }
    out = {"bytes cut from the columns": good[:-3], "bytes after the columns": good + b"x",
           "a flag that is neither 0 nor 1": bytes(flags),
           "a kind of column that does not exist": good.replace(b'"float"', b'"complex"', 1)}
    for case, shape in shapes.items():
        if isinstance(shape, stages.DocResult):
            out[case] = cache.encode(shape, store.key)
        elif isinstance(shape, tuple):
            out[case] = cache.encode(*shape)
        else:
            out[case] = json.dumps(shape).encode("utf-8") + b"\n"
    return out


@pytest.mark.parametrize("case", ["truncated", "binary", "another object", "a list", "empty object",
                                  "another text's entry", "another code version",
                                  "a column of strings for numbers", "a missing column",
                                  "columns of different lengths", "a number for text", "a missing stage",
                                  "counts that are not numbers", "bytes cut from the columns",
                                  "bytes after the columns", "a flag that is neither 0 nor 1",
                                  "a kind of column that does not exist"])
def test_a_wrong_entry_is_recomputed_with_a_warning(tmp_path, case):
    _, fresh = _shipped_results()
    result, other = list(fresh.values())[:2]
    store = cache.ResultCache(tmp_path, cache.fingerprint())
    store.put(result.sha256, result)
    data = store.path(result.sha256).read_bytes()
    shapes = _foreign(store, result, other)
    bad = {"truncated": data[: len(data) // 2], "binary": b"\x80\x04\x95" + bytes(range(256))}.get(case)
    store.path(result.sha256).write_bytes(bad if bad is not None else shapes[case])
    assert store.get(result.sha256) is None
    assert len(store.problems) == 1 and store.problems[0].severity == "warning"
    assert "invalid cache entry" in store.problems[0].message and "recomputed" in store.problems[0].message
    store.put(result.sha256, result)
    pd.testing.assert_frame_equal(store.get(result.sha256).tables["sentiment"], result.tables["sentiment"])
    assert len(store.problems) == 1


def test_a_result_that_is_not_plain_data_is_not_stored(tmp_path):
    _, fresh = _shipped_results()
    result = next(iter(fresh.values()))
    result.columns["terms"].data["n"][0] = object()
    store = cache.ResultCache(tmp_path, cache.fingerprint())
    store.put(result.sha256, result)
    assert store.writes == 0 and not store.path(result.sha256).exists() and store.problems == []


@pytest.mark.integration
@pytest.mark.parametrize("state", [b'{"documents": [{"doc_id": "a", "sha', b"{}", b"[]", b"",
                                   b'{"documents": {"doc_id": "a"}}', b'{"documents": [{"doc_id": 1, "sha256": "x"}]}',
                                   b'{"documents": [{"doc_id": "a", "sha256": "x", "n_words": "ten"}]}',
                                   b'{"documents": [{"doc_id": "a", "sha256": "x"}, {"doc_id": "a", "sha256": "y"}]}'])
def test_an_unusable_last_run_is_no_previous_run(seeds, tmp_path, state):
    out = tmp_path / "out"
    pipeline.run(seeds, out, use_cache=False)
    (out / cache.CACHE_NAME / changes.STATE_NAME).write_bytes(state)
    summary = pipeline.run(seeds, out)
    warned = [p for p in summary.problems if "previous run's summary is unusable" in p.message]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert "First run in this output folder" in (out / "changes.md").read_text(encoding="utf-8")
    again = pipeline.run(seeds, out)
    assert not [p for p in again.problems if "previous run" in p.message]
    assert "Previous run: 4 documents" in (out / "changes.md").read_text(encoding="utf-8")


def test_load_state_without_a_problem_list_prints_the_warning(tmp_path, capsys):
    (tmp_path / changes.STATE_NAME).write_text("{", encoding="utf-8")
    assert changes.load_state(tmp_path) is None
    assert "previous run's summary is unusable" in capsys.readouterr().err
    assert changes.load_state(tmp_path / "missing") is None


@pytest.mark.integration
def test_a_warm_run_writes_the_files_of_a_cold_run(seeds, tmp_path):
    pipeline.run(seeds, tmp_path / "cold", use_cache=False)
    warm = tmp_path / "warm"
    pipeline.run(seeds, warm)
    assert pipeline.run(seeds, warm).from_cache == 4
    for path in sorted((tmp_path / "cold").glob("*.csv")):
        assert path.read_bytes() == (warm / path.name).read_bytes(), path.name


def test_the_cache_folder_is_gitignored():
    ignored = (config.ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert cache.CACHE_NAME + "/" in ignored


def test_results_read_back_share_their_strings(tmp_path):
    from analysis import corpus as corpusmod
    from analysis.running import stages

    first = stages.process_document(corpusmod.parse_article("Peace talks\n\nPeace talks resumed in Baku.", "a", {"outlet": "O"}))
    second = stages.process_document(corpusmod.parse_article("Peace again\n\nPeace talks ended.", "b", {"outlet": "O"}))
    store = cache.ResultCache(tmp_path, cache.fingerprint())
    for result in (first, second):
        store.put(result.sha256, result)
    a, b = store.get(first.sha256), store.get(second.sha256)
    assert a.columns["terms"].data == first.columns["terms"].data       # the same values
    peace_a = a.columns["terms"]["term"][a.columns["terms"]["term"].index("peace")]
    peace_b = b.columns["terms"]["term"][b.columns["terms"]["term"].index("peace")]
    assert peace_a is peace_b                                          # stored once
    assert a.columns["sentiment"]["text"] == first.columns["sentiment"]["text"]


def test_results_a_run_computes_and_keeps_share_their_strings(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Peace talks\n\nPeace talks resumed in Baku.\n", encoding="utf-8")
    (seeds / "b.txt").write_text("Peace again\n\nPeace talks ended.\n", encoding="utf-8")
    (seeds / "manifest.csv").write_text("id,file,title,outlet,date,url,voice,licence\n"
                                        "a,a.txt,Peace talks,O,2023-12-07,,,\nb,b.txt,Peace again,O,2023-12-08,,,\n",
                                        encoding="utf-8")
    for store in (None, cache.ResultCache(tmp_path / "cache", cache.fingerprint())):
        _, results, cached = pipeline.load_and_analyse(seeds, store)
        assert cached == 0
        for stage, term in (("terms", "peace"), ("bigrams", "peace talks")):
            found = [results[d].columns[stage]["term"] for d in ("a", "b")]
            assert found[0][found[0].index(term)] is found[1][found[1].index(term)], stage
