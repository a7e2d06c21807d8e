"""Every notebook's sections, in notebook and reading order: the one definition of what the
notebooks and the batch run write."""
from __future__ import annotations

from analysis.presentation import (nb01_corpus, nb02_terms, nb03_sentiment, nb04_markers, nb05_compare,
                                   nb06_validation, nb07_suggest)

#: Notebook name → its section functions (each ``Workbook -> Section``).
SECTIONS: dict[str, list] = {
    "01_corpus_overview": nb01_corpus.SECTIONS,
    "02_term_frequencies": nb02_terms.SECTIONS,
    "03_sentiment": nb03_sentiment.SECTIONS,
    "04_loaded_language": nb04_markers.SECTIONS,
    "05_framing_comparison": nb05_compare.SECTIONS,
    "06_validation": nb06_validation.SECTIONS,
    "07_candidate_markers": nb07_suggest.SECTIONS,
}
