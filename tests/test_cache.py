"""Incremental runs: one new article recomputes one article; changes.md says what changed."""
import shutil

import pandas as pd
import pytest

from analysis.running import cache, pipeline, stages
from analysis import config


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

    monkeypatch.setattr(pipeline, "process_document", counting)
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
    assert "First run" in cache.changes_markdown(None, current)
    previous = pd.DataFrame({"doc_id": ["a", "c"], "sha256": ["1", "3"], "n_words": [10, 5],
                             "terms_per_1000": [100.2, 1.0]})
    kinds, moved = cache.changes(previous, current)
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


def test_unreadable_cache_entry_is_recomputed(tmp_path):
    store = cache.ResultCache(tmp_path, "f" * 64)
    store.path("ab" * 32).parent.mkdir(parents=True)
    store.path("ab" * 32).write_bytes(b"not a pickle")
    assert store.get("ab" * 32) is None
    assert store.get("cd" * 32) is None
    store.put("cd" * 32, {"x": 1})
    assert store.get("cd" * 32) == {"x": 1}
    assert (store.reads, store.writes) == (1, 1)


def test_the_cache_folder_is_gitignored():
    ignored = (config.ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert cache.CACHE_NAME + "/" in ignored
