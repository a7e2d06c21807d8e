"""Notebook 02, term frequencies and keyness: which words each outlet uses, and uses distinctively."""
from __future__ import annotations

from analysis.measures import collocations, keyness, kwic, lexstats, terms
from analysis.presentation import export, plots
from analysis.presentation.section import Chart, Section, Show, Table, Text

#: Texts drawn in the dispersion plot of a large corpus.
MAX_DISPERSION_TEXTS = 12
KEY_SHOWN = ["group", "term", "n_group", "n_reference", "g2", "log_ratio", "signed_g2"]
TOP_WORDS, TOP_BIGRAMS, TOP_STEMS, HEATMAP_TOP = 8, 6, 3, 8
#: Keywords per outlet in the heat map when there are many outlets (the rows stay bounded).
HEATMAP_TOP_MANY = 4


def top_terms(wb) -> Section:
    """``02_top_terms`` (the most frequent words per outlet) and ``02_bigrams`` (pairs seen twice)."""
    top = terms.top_terms(wb.term_table(1, "outlet"), TOP_WORDS)
    top = top[top["group"].isin(wb.largest_outlets)]
    bigrams = terms.top_terms(wb.term_table(2, "outlet", min_count=2), TOP_BIGRAMS)
    return Section([Chart("02_top_terms", plots.top_terms_by_group(
                        top, title="Most frequent words per outlet (stop words left out)"), top),
                    Table("02_bigrams", bigrams)])


def stems(wb) -> Section:
    """The most frequent Snowball stems per outlet (shown, not written)."""
    return Section([Show(terms.top_terms(terms.term_table(wb.corpus, by="outlet", stem="snowball"), TOP_STEMS))])


def keyness_note() -> str:
    """The heat map's note on its thresholds."""
    return (f"terms seen ≥ {keyness.MIN_FREQ} times; shown if G² ≥ {keyness.THRESHOLD} "
            "(p < 0.05) for some outlet")


def _too_few_outlets(wb) -> Section | None:
    outlets = {doc.outlet for doc in wb.corpus}
    if len(outlets) < 2:
        return Section([Text(f"Keyness needs at least two groups to compare; this corpus has {len(outlets)} outlet.")])
    return None


def keyness_outlet(wb) -> Section:
    """``02_keyness_outlet`` (each outlet against the rest) and its heat map ``02_keyness_heatmap``."""
    if (few := _too_few_outlets(wb)) is not None:
        return few
    key = wb.keyness_outlet
    drawn = key[key["group"].isin(wb.largest_outlets)]
    matrix = keyness.matrix(drawn, top=HEATMAP_TOP if wb.per_text else HEATMAP_TOP_MANY)
    return Section([Table("02_keyness_outlet", key, KEY_SHOWN, view=key[key["significant"]]),
                    Chart("02_keyness_heatmap", plots.keyness_heatmap(
                        matrix, title="Keywords per outlet against the rest (signed G²)", note=keyness_note()), matrix)])


def keyness_pairs(wb) -> Section:
    """``02_keyness_pairwise`` (every pair of outlets) and ``02_keyness_date`` (by date)."""
    if (few := _too_few_outlets(wb)) is not None:
        return few
    return Section([Table("02_keyness_pairwise", keyness.pairwise(wb.corpus, by="outlet", only_significant=True),
                          ["group", "reference", "term", "n_group", "n_reference", "g2", "log_ratio"]),
                    Table("02_keyness_date", keyness.keyness(wb.corpus, by="date", only_significant=True), KEY_SHOWN)])


def concordances(wb) -> Section:
    """``02_kwic_<query>`` for each of the story's concordance queries, sorted by R1, R2."""
    items = []
    for query in wb.parameter("kwic"):
        items.append(Table(f"02_kwic_{export.safe_stem(query.replace('*', ''))}",
                           kwic.sort(kwic.search(wb.corpus, query), ["R1", "R2"])))
    return Section(items)


def collocations_section(wb) -> Section:
    """``02_collocations``: adjacent word pairs seen twice in an outlet, by log-likelihood."""
    return Section([Table("02_collocations", collocations.collocations(wb.corpus, by="outlet"))])


def dispersion(wb) -> Section:
    """``02_dispersion``: where the story's dispersion terms fall in each text."""
    terms_ = wb.parameter("dispersion")
    if not terms_:
        return Section([Text("The story pack names no dispersion terms (parameter `dispersion`): nothing to plot.")])
    spread = kwic.dispersion(wb.corpus, terms_)
    title = "Where the terms occur in each text"
    if not wb.per_text:  # the focus text and the texts with most hits
        hits = spread.dropna(subset=["position"]).groupby("doc_id").size()
        ranked = [wb.focus] + [d for d in hits.sort_values(ascending=False, kind="mergesort").index if d != wb.focus]
        keep = ranked[:MAX_DISPERSION_TEXTS]
        spread = spread[spread["doc_id"].isin(keep)]
        title = f"Where the terms occur: the focus text and the {len(keep) - 1} texts with most hits"
    return Section([Chart("02_dispersion", plots.dispersion_plot(spread, title=title), spread)])


def lexical_stats(wb) -> Section:
    """``02_lexical_stats``: TTR, MATTR, readability per text."""
    return Section([Table("02_lexical_stats", lexstats.lexical_stats(wb.corpus))])


def lexicon_concordance(wb) -> Section:
    """``02_kwic_<concept>``: the concordance of the story's focus concept's hits."""
    concept = wb.parameter("kwic_concept")
    if not concept:
        return Section()
    ev = wb.evidence
    table = kwic.from_spans(wb.corpus, ev[ev["concept"] == concept])
    return Section([Table(f"02_kwic_{export.safe_stem(concept)}", table, kwic.CONCORDANCE_COLUMNS + ["concept", "side"])])


SECTIONS = [top_terms, stems, keyness_outlet, keyness_pairs, concordances, collocations_section, dispersion,
            lexical_stats, lexicon_concordance]
