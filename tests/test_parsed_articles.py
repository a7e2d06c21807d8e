"""Parsed articles kept in the cache: a rerun parses no unchanged file, gives the same documents
and warnings, parses a changed file again, and recomputes a wrong entry with a warning."""
import gc
import json
import pickle
import shutil

import pytest

from analysis import config, corpus
from analysis.corpus import load as loadmod
from analysis.running import articles, batches, cache, pipeline, workers

#: A scraped page: paragraphs separated by single line breaks (a warning names the file).
SCRAPED = ("Talks resume\nThe talks resumed on Monday.\nBoth sides said progress was made.\n"
           "A further round is planned.\n")


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(config.DEFAULT_SEEDS, folder)
    (folder / "scraped.txt").write_text(SCRAPED, encoding="utf-8")
    with (folder / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("scraped-1,scraped.txt,Talks resume,Test Outlet,2024-01-02,,,\n")
    return folder


@pytest.fixture
def parsed(monkeypatch, seeds):
    """Ids of the articles of ``seeds`` parsed (not those of the shipped example the validation
    notebook's section reads)."""
    calls = []
    real = loadmod.parse_bytes

    def counting(data, source, doc_id, meta=None):
        if source.startswith(str(seeds)):
            calls.append(doc_id)
        return real(data, source, doc_id, meta)

    monkeypatch.setattr(loadmod, "parse_bytes", counting)
    return calls


def _documents(loaded):
    return [(d.doc_id, d.text, d.meta, d.paragraphs, d.sentences, d.n_words, d.sha256, d.normalised_sha256)
            for d in loaded]


@pytest.mark.integration
def test_a_rerun_parses_no_unchanged_file_and_gives_the_same_documents(seeds, tmp_path, parsed):
    out = tmp_path / "out"
    first = pipeline.run(seeds, out)
    assert len(parsed) == 5
    parsed.clear()
    second = pipeline.run(seeds, out)
    assert parsed == [] and second.from_cache == 5
    fresh = corpus.load_corpus(seeds)
    store = cache.ResultCache(cache.cache_dir(out, seeds), cache.fingerprint())
    again = corpus.load_corpus(seeds, read_all=lambda calls: loadmod.read_articles(calls, articles.ParsedArticles(store)))
    assert _documents(again) == _documents(fresh)
    warned = [str(p) for p in second.problems if "single line breaks" in p.message]
    assert warned == [str(p) for p in first.problems if "single line breaks" in p.message] and len(warned) == 1
    assert "scraped.txt:2" in warned[0]


@pytest.mark.integration
def test_a_changed_file_or_manifest_row_is_parsed_again(seeds, tmp_path, parsed):
    out = tmp_path / "out"
    pipeline.run(seeds, out)
    parsed.clear()
    (seeds / "scraped.txt").write_text(SCRAPED + "One more line.\n", encoding="utf-8")
    pipeline.run(seeds, out)
    assert parsed == ["scraped-1"]
    parsed.clear()
    manifest = seeds / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Test Outlet", "Other Outlet"), encoding="utf-8")
    summary = pipeline.run(seeds, out)
    assert parsed == ["scraped-1"] and summary.from_cache == 5    # a new outlet: the same text's result
    assert corpus.load_corpus(seeds)["scraped-1"].outlet == "Other Outlet"


@pytest.mark.integration
@pytest.mark.parametrize("damage", [
    lambda entry: entry[: len(entry) // 2],
    lambda entry: json.dumps({**json.loads(entry), "key": "0" * 64}).encode(),
    lambda entry: json.dumps({**json.loads(entry), "sentences": [[0, "body", 5, 10 ** 9]]}).encode(),
    lambda entry: json.dumps({**json.loads(entry), "problems": [["f", "one", "m", "", "warning"]]}).encode(),
    lambda entry: json.dumps({**json.loads(entry), "meta": {"title": ["a list"]}}).encode(),
    lambda entry: json.dumps({**json.loads(entry), "sha256": "not a digest"}).encode(),
])
def test_a_wrong_parsed_article_is_parsed_again_with_a_warning(seeds, tmp_path, parsed, damage):
    out = tmp_path / "out"
    pipeline.run(seeds, out)
    entries = sorted((out / cache.CACHE_NAME).rglob(f"{articles.FOLDER}/*/*.json"))
    assert len(entries) == 5
    shutil.rmtree(next((out / cache.CACHE_NAME).glob(f"*/{batches.FOLDER}")))   # read article by article
    entries[0].write_bytes(damage(entries[0].read_bytes()))
    parsed.clear()
    summary = pipeline.run(seeds, out)
    assert len(parsed) == 1 and summary.from_cache == 5
    warned = [p for p in summary.problems if "invalid cache entry" in p.message]
    assert len(warned) == 1 and warned[0].severity == "warning" and entries[0].name in warned[0].file
    parsed.clear()
    assert not [p for p in pipeline.run(seeds, out).problems if "cache" in p.message] and parsed == []


def test_the_key_covers_the_bytes_the_name_the_id_and_the_metadata():
    key = corpus.parse.article_key(b"text", "a.txt", "a", {"outlet": "X"})
    assert key == corpus.parse.article_key(b"text", "a.txt", "a", {"outlet": "X"})
    assert len({key, corpus.parse.article_key(b"text!", "a.txt", "a", {"outlet": "X"}),
                corpus.parse.article_key(b"text", "b.txt", "a", {"outlet": "X"}),
                corpus.parse.article_key(b"text", "a.txt", "b", {"outlet": "X"}),
                corpus.parse.article_key(b"text", "a.txt", "a", {"outlet": "Y"})}) == 5


def test_a_document_sent_to_another_process_comes_back_equal():
    doc = corpus.parse_article("Talks resume\n\nThe talks resumed on Monday. Both sides spoke.\n\nMore later.", "d1",
                               {"outlet": "X"})
    back = pickle.loads(pickle.dumps(doc))
    assert (back.doc_id, back.text, back.meta, back.paragraphs, back.sentences) == (
        doc.doc_id, doc.text, doc.meta, doc.paragraphs, doc.sentences)
    assert "n_words" not in back.__dict__          # not counted yet: counted when asked, as before
    doc.n_words  # noqa: B018
    assert pickle.loads(pickle.dumps(doc)).__dict__["n_words"] == doc.n_words == 12   # headline 2, lead 8, body 2
    doc.sha256, doc.normalised_sha256  # noqa: B018
    back = pickle.loads(pickle.dumps(doc))
    assert (back.__dict__["sha256"], back.__dict__["normalised_sha256"]) == (doc.sha256, doc.normalised_sha256)


def test_a_documents_digests_are_of_its_text():
    from analysis import text as textmod
    from analysis.input import decode

    doc = corpus.parse_article("Talks  resume\n\nThe talks resumed.\n", "d1")
    twin = corpus.parse_article("Talks resume\n\nThe talks\nresumed.\n", "d2")
    assert doc.sha256 == textmod.text_sha256(doc.text) != twin.sha256
    assert doc.normalised_sha256 == decode.normalised_sha256(doc.text) == twin.normalised_sha256


def test_the_collector_is_paused_only_inside_the_block():
    assert gc.isenabled()
    with workers.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with workers.collector_paused():
            pass
        assert not gc.isenabled()                  # left as it was found
    finally:
        gc.enable()


def test_kept_objects_are_frozen_until_released():
    assert gc.get_freeze_count() == 0
    with workers.collector_paused(keep=True):
        built = [[n] for n in range(1000)]         # alive on leaving: out of the collector's sight
    try:
        assert gc.isenabled() and gc.get_freeze_count() >= len(built)
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
    with workers.collector_paused():
        more = [[n] for n in range(1000)]
    assert gc.get_freeze_count() == 0 and len(more) == 1000   # without keep nothing is frozen


def test_a_run_releases_what_its_load_froze(tmp_path, monkeypatch):
    from analysis.running import pipeline

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Talks resume\n\nThe talks resumed on Monday. Both sides spoke.\n", encoding="utf-8")
    (seeds / "manifest.csv").write_text("id,file,title,outlet,date,url,voice,licence\n"
                                        "a,a.txt,Talks resume,X,2023-12-07,,,\n", encoding="utf-8")
    frozen = []
    load = pipeline.load_and_analyse

    def spy(*args, **kwargs):
        found = load(*args, **kwargs)
        frozen.append(gc.get_freeze_count())
        return found

    monkeypatch.setattr(pipeline, "load_and_analyse", spy)
    monkeypatch.setattr(pipeline, "write_outputs", lambda *args, **kwargs: ([], [], []))
    summary = pipeline.run(seeds, tmp_path / "out")
    assert summary.documents == 1 and frozen and frozen[0] > 0   # frozen while the run used them
    assert gc.get_freeze_count() == 0                              # and given back at its end
