"""Notebook 04, loaded language: whose framing each text adopts, in whose voice."""
from __future__ import annotations

from analysis import files
from analysis.framing import devices, markers, tallies
from analysis.presentation import labels, plots, prose, reading
from analysis.presentation.workbook import GROUP_KEY
from analysis.presentation.section import Chart, Pages, Section, Show, Table, Text

#: Names (pairs) drawn in the naming scorecard; the CSV holds the same rows.
MAX_PAIRS = 20
EVIDENCE_SHOWN = ["doc_id", "section", "text", "concept", "category", "lexicon_side", "side", "voice", "rule"]


def lexicon_info(wb) -> Section:
    """The lexicon in use: version, size and hash."""
    lex = markers.current_lexicon(wb.corpus)
    return Section([Text(f"{wb.story.describe()}\nlexicon {lex.version}: {len(lex)} concepts, "
                         f"{len(lex.variants())} variants, sha256 {lex.sha256[:12]}")])


def evidence(wb) -> Section:
    """``04_evidence``: one row per hit, with offsets, side, voice and rule."""
    return Section([Table("04_evidence", wb.evidence, EVIDENCE_SHOWN),
                    Show(tallies.side_counts(wb.evidence, wb.corpus))])


def article_sides(wb) -> Section:
    """``04_article_sides``: each text's framing verdict from its authorial strong hits."""
    return Section([Table("04_article_sides", tallies.article_sides(wb.evidence, wb.corpus))])


def side_rates_by_section(rate_table):
    """Side rates per section group (not ``all``) with at least one hit: the plotted rows."""
    return rate_table[(rate_table["dimension"] == "side") & (rate_table["section_group"] != "all")
                      & (rate_table["n"] > 0)]


def chart_rates(wb):
    """The rates the charts draw: per text (few texts) or per outlet group."""
    return wb.rates if wb.per_text else tallies.rates(wb.evidence, wb.corpus, by=GROUP_KEY)


def rates(wb) -> Section:
    """``04_rates`` and ``04_side_rates_by_section``: hits per 1,000 words by section."""
    plotted = side_rates_by_section(chart_rates(wb))
    return Section([Table("04_rates", wb.rates, show=False),
                    Chart("04_side_rates_by_section", plots.side_rates_by_section(plotted, wb.colours), plotted)])


def fingerprint_table(rate_table: pd.DataFrame) -> pd.DataFrame:
    """Wide table for the fingerprint figure: rows = groups, columns = ``dimension:value``, whole text."""
    whole = rate_table[(rate_table["section_group"] == "all") & (rate_table["dimension"].isin(["category", "side"]))]
    wide = whole.assign(feature=whole["dimension"] + ":" + whole["value"]).pivot_table(
        index="group", columns="feature", values="rate_per_1000", aggfunc="sum", sort=False)
    order = list(dict.fromkeys(whole["group"]))
    return wide.reindex(order).reset_index().rename_axis(columns=None)


def fingerprint(wb) -> Section:
    """``04_fingerprint``: rates by category and counted side, one row per text."""
    data = fingerprint_table(chart_rates(wb))
    words = {c: labels.feature(c, wb.side_labels) for c in data.columns}
    return Section([Chart("04_fingerprint", plots.framing_fingerprint(data, words), data)])


def naming_scorecard(wb) -> Section:
    """``04_naming_scorecard``: which form of each paired name every outlet uses."""
    data = tallies.naming_scorecard(wb.evidence, wb.corpus, by="outlet" if wb.per_text else GROUP_KEY)
    data = data[data["pair"].isin(sorted(set(data["pair"]))[:MAX_PAIRS])]
    return Section([Chart("04_naming_scorecard", plots.naming_scorecard(data, wb.form_colours), data)])


def framing_devices(wb) -> Section:
    """``04_devices``: agentless passives and scare quotes."""
    hits = devices.devices(wb.corpus)
    return Section([Table("04_devices", hits, ["doc_id", "sentence", "text", "device", "voice"])])


def reading_views(wb) -> Section:
    """``04_reading_<doc_id>`` for every text; the focus text's view is shown."""
    of_text = dict(iter(wb.evidence.groupby("doc_id", sort=False)))
    none = wb.evidence.iloc[0:0]
    views = {f"04_reading_{files.safe_stem(doc.doc_id)}": reading.view(doc, of_text.get(doc.doc_id, none), wb.colours)
             for doc in wb.corpus}
    focus = views.get(f"04_reading_{files.safe_stem(wb.focus)}") if wb.focus else None
    return Section([Pages(views, focus)])


def summary(wb) -> Section:
    """The focus text against the others, in plain words generated from the evidence."""
    if wb.focus is None:
        return Section([Text("No text to summarise.")])
    return Section([Text(prose.framing_summary(wb.evidence, wb.corpus, wb.focus))])


SECTIONS = [lexicon_info, evidence, article_sides, rates, fingerprint, naming_scorecard, framing_devices,
            reading_views, summary]
