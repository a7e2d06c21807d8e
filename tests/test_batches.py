"""Batch entries: a rerun reads each unchanged batch from one entry and gets exactly the
documents, warnings and results of reading them article by article; a changed batch is read
article by article and stored anew; a wrong batch entry is read article by article, with a
warning, and replaced."""
import json
import shutil

import pandas as pd
import pytest

from analysis import config, corpus
from analysis.running import articles, batches, cache, pipeline, stages, workers

#: A scraped page (paragraphs separated by single line breaks: a warning names the file).
SCRAPED = "Talks resume\nThe talks resumed on Monday.\nBoth sides said progress was made.\n"


@pytest.fixture
def seeds(tmp_path, monkeypatch):
    """The shipped articles and a scraped one, read two files to a batch."""
    folder = tmp_path / "seeds"
    shutil.copytree(config.DEFAULT_SEEDS, folder)
    (folder / "scraped.txt").write_text(SCRAPED, encoding="utf-8")
    with (folder / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("scraped-1,scraped.txt,Talks resume,Test Outlet,2024-01-02,,,\n")
    monkeypatch.setattr(workers, "_batches", lambda calls, sizes: [calls[i:i + 2] for i in range(0, len(calls), 2)])
    return folder


@pytest.fixture
def decoded(monkeypatch):
    """Names of the per-article entries read back ("result", "article") and of the batches."""
    calls = []
    for module, label in ((cache, "result"), (articles, "article"), (batches, "batch")):
        real = module.decode
        monkeypatch.setattr(module, "decode", lambda *args, real=real, label=label: calls.append(label) or real(*args))
    return calls


def _entries(out):
    return sorted((out / cache.CACHE_NAME).rglob("*" + batches.SUFFIX))


def _read(seeds, out):
    store = cache.ResultCache(cache.cache_dir(out, seeds), cache.fingerprint())
    loaded, results, cached = pipeline.load_and_analyse(seeds, store)
    return loaded, results, cached, store


def _same_as_fresh(seeds, loaded, results):
    fresh = corpus.load_corpus(seeds)
    assert [(d.doc_id, d.text, d.meta, d.paragraphs, d.sentences, d.n_words, d.sha256, d.normalised_sha256)
            for d in loaded] == [(d.doc_id, d.text, d.meta, d.paragraphs, d.sentences, d.n_words, d.sha256,
                                  d.normalised_sha256) for d in fresh]
    assert [str(p) for p in loaded.problems] == [str(p) for p in fresh.problems]
    for doc in fresh:
        computed, read = stages.process_document(doc), results[doc.doc_id]
        assert (read.doc_id, read.outlet, read.sha256, read.n_paragraphs, read.n_sentences, read.n_words) == (
            computed.doc_id, computed.outlet, computed.sha256, computed.n_paragraphs, computed.n_sentences,
            computed.n_words)
        for name in stages.STAGES:
            pd.testing.assert_frame_equal(read.tables[name], computed.tables[name])


@pytest.mark.integration
def test_a_rerun_reads_each_batch_from_one_entry(seeds, tmp_path, decoded):
    out = tmp_path / "out"
    pipeline.run(seeds, out)
    assert len(_entries(out)) == 3                          # five files, two to a batch
    decoded.clear()
    loaded, results, cached, store = _read(seeds, out)
    assert decoded == ["batch"] * 3 and cached == 5 and store.problems == []
    _same_as_fresh(seeds, loaded, results)
    assert sum("single line breaks" in p.message for p in loaded.problems) == 1   # warnings replayed


@pytest.mark.integration
def test_a_new_article_is_read_with_its_batch_article_by_article(seeds, tmp_path, decoded):
    out = tmp_path / "out"
    pipeline.run(seeds, out)
    before = set(_entries(out))
    (seeds / "added.txt").write_text("Peace talks resume\n\nThe talks on peace resumed today in Vienna.\n",
                                     encoding="utf-8")
    with (seeds / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("added-1,added.txt,Peace talks resume,Test Outlet,2024-01-03,,,\n")
    decoded.clear()
    summary = pipeline.run(seeds, out)
    assert (summary.computed, summary.from_cache) == (1, 5)
    assert decoded.count("batch") == 2 and decoded.count("result") == decoded.count("article") == 1
    assert len(set(_entries(out)) - before) == 1            # the last batch, with the new file, stored anew
    decoded.clear()
    loaded, results, _, _ = _read(seeds, out)
    assert decoded == ["batch"] * 3
    _same_as_fresh(seeds, loaded, results)


def _header(entry: bytes) -> tuple[dict, bytes]:
    head, _, rest = entry.partition(b"\n")
    return json.loads(head), rest


def _with(entry: bytes, change) -> bytes:
    header, rest = _header(entry)
    change(header)
    return json.dumps(header).encode() + b"\n" + rest


@pytest.mark.integration
@pytest.mark.parametrize("damage", [
    lambda entry: entry[: len(entry) - 3],
    lambda entry: entry + b"\x00",
    lambda entry: _with(entry, lambda h: h.update(key="0" * 64)),
    lambda entry: _with(entry, lambda h: h["docs"][0].update(sha256="not a digest")),
    lambda entry: _with(entry, lambda h: h["docs"].pop()),
    lambda entry: _with(entry, lambda h: h["docs"][0]["result"].__setitem__(3, -1)),
    lambda entry: _with(entry, lambda h: h["tables"].pop("sentiment")),
    lambda entry: _with(entry, lambda h: h["tables"]["texts"].update(rows=[2, 0])),
    lambda entry: _with(entry, lambda h: h["tables"]["paragraphs"]["columns"].reverse()),
    lambda entry: _with(entry, lambda h: h["docs"][0]["problems"].append(["f", "one", "m", "", "warning"])),
])
def test_a_wrong_batch_entry_is_read_article_by_article_with_a_warning(seeds, tmp_path, decoded, damage):
    out = tmp_path / "out"
    pipeline.run(seeds, out)
    entry = next(e for e in _entries(out) if len(_header(e.read_bytes())[0]["docs"]) == 2)
    entry.write_bytes(damage(entry.read_bytes()))
    decoded.clear()
    loaded, results, cached, store = _read(seeds, out)
    assert cached == 5 and decoded.count("result") == decoded.count("article") == 2
    [warned] = store.problems
    assert "invalid cache entry" in warned.message and entry.name in warned.file and warned.severity == "warning"
    _same_as_fresh(seeds, loaded, results)
    assert _read(seeds, out)[3].problems == []              # replaced by the read that warned


def test_offsets_outside_the_text_or_its_paragraphs_are_refused():
    doc = corpus.parse_article("Talks resume\n\nThe talks resumed on Monday. Both sides spoke.\n", "d1")
    result = stages.process_document(doc)
    assert batches.decode(batches.encode([(doc, [], result)], "f", "k"), "f", "k", 1)[0][0].sentences == doc.sentences
    for sentences in ([corpus.Sentence(0, 0, "headline", 0, len(doc.text) + 1)],
                      [corpus.Sentence(0, len(doc.paragraphs), "body", 0, 1)]):
        bad = corpus.Document(doc.doc_id, doc.text, doc.meta, doc.paragraphs, sentences)
        with pytest.raises(cache.InvalidEntry, match="not a parse of the text"):
            batches.decode(batches.encode([(bad, [], result)], "f", "k"), "f", "k", 1)
    with pytest.raises(cache.InvalidEntry, match="another"):
        batches.decode(batches.encode([(doc, [], result)], "f", "k"), "f", "other key", 1)


@pytest.mark.integration
def test_a_batch_with_a_file_that_cannot_be_analysed_is_not_stored(seeds, tmp_path):
    out = tmp_path / "out"
    (seeds / "scraped.txt").write_text("", encoding="utf-8")
    first = pipeline.run(seeds, out)
    assert len(_entries(out)) == 2                          # the batch holding the empty file is not kept
    second = pipeline.run(seeds, out)
    empty = [str(p) for p in first.problems if "scraped.txt" in p.file]
    assert empty and [str(p) for p in second.problems if "scraped.txt" in p.file] == empty
