"""methods.md: deterministic, no absolute paths, constants and versions from the code."""
import importlib.metadata

import pytest

from analysis import config, corpus, text
from analysis.framing import markers
from analysis.running import methods
from analysis.measures import sentiment


@pytest.mark.integration
def test_methods_is_deterministic_and_has_no_absolute_paths(tmp_path):
    shipped = corpus.load_corpus()
    first = methods.markdown(shipped, config.DEFAULT_SEEDS)
    assert first == methods.markdown(corpus.load_corpus(), config.DEFAULT_SEEDS)
    assert str(config.ROOT) not in first and str(tmp_path) not in first
    assert "Seeds folder: `seeds`" in first
    assert "Documents analysed: 4;" in first
    for doc in shipped.documents.itertuples():
        assert f"| {doc.doc_id} |" in first and doc.sha256[:16] in first


def test_methods_lists_word_lists_constants_and_versions():
    shipped = corpus.parse_article("A title\n\nSome words.", "d")
    page = methods.markdown(corpus.Corpus([shipped]), config.DEFAULT_SEEDS)
    assert f"{len(text.stopwords())} words, sha256" in page
    assert text.TOKEN_RE.pattern in page
    assert f"| `config.RATE_PER` | {config.RATE_PER} |" in page
    assert f"| pandas | {importlib.metadata.version('pandas')} |" in page
    lex = markers.current_lexicon()
    assert f"Version `{lex.version}`; sha256 `{lex.sha256}`" in page
    assert f"| `sentiment.VADER_THRESHOLD` | {sentiment.VADER_THRESHOLD} |" in page


def test_constants_read_with_their_comments():
    found = {name: (value, comment) for name, value, comment in methods.constants(config)}
    assert found["config.RATE_PER"][0] == config.RATE_PER
    assert "per 1,000 words" in found["config.RATE_PER"][1]
    assert "config.ROOT" not in found


def test_shown_path_is_never_absolute(tmp_path):
    assert methods.shown_path(config.DEFAULT_SEEDS) == "seeds"
    assert methods.shown_path(tmp_path / "my-seeds") == "my-seeds"
