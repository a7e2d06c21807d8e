"""Documents: the manifest, article parsing, the document model and its tables (layer 2 of
input → corpus → measures → framing → presentation → running)."""
from analysis.corpus.load import load_corpus
from analysis.corpus.manifest import read_manifest
from analysis.corpus.model import SECTIONS, Corpus, Document, Paragraph, Sentence
from analysis.corpus.parse import load_article, parse_article, read_article

__all__ = ["SECTIONS", "Corpus", "Document", "Paragraph", "Sentence", "load_article", "load_corpus",
           "parse_article", "read_article", "read_manifest"]
