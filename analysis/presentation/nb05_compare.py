"""Notebook 05, framing comparison: one profile per text, and what a neutral wire would write."""
from __future__ import annotations

from analysis.framing import compare
from analysis.presentation import plots, prose
from analysis.presentation.section import Chart, Section, Table, Text


def profile(wb) -> Section:
    """``05_profile`` (one row per text) and the chart ``05_framing_profile``."""
    long = compare.profile_long(wb.profile)
    if wb.per_text:
        chart = Chart("05_framing_profile", plots.framing_profile(long, compare.INDICATORS), long,
                      compare.profile_summary(wb.profile))
    else:
        long = (wb.regroup(long).groupby(["doc_id", "indicator"], sort=False, as_index=False)["value"].mean()
                .rename(columns={"doc_id": "outlet"}))
        chart = Chart("05_framing_profile", plots.framing_profile(long, compare.INDICATORS, "outlet"), long)
    view = wb.profile.set_index("doc_id") if wb.per_text else wb.profile.head(SHOWN_TEXTS).set_index("doc_id")
    return Section([Table("05_profile", wb.profile, transpose=True, view=view), chart])


#: Texts whose profile column is shown in the notebook (all are in the CSV).
SHOWN_TEXTS = 12


def neutral_rewrite(wb) -> Section:
    """``05_neutral_rewrite``: each authorial partisan marker of the focus text with its alternative."""
    if wb.focus is None:
        return Section()
    rewrite = compare.neutral_rewrite(wb.corpus, wb.evidence, wb.focus)
    lines = [f"[{row.section} · sentence {row.sentence}]\n{row.suggestion}\n" for row in rewrite.itertuples()]
    return Section([Table("05_neutral_rewrite", rewrite, show=False), Text("\n".join(lines))])


def reading(wb) -> Section:
    """The profile in plain words, generated from the numbers."""
    return Section([Text(prose.profile_reading(wb.profile, wb.side_labels))])


SECTIONS = [profile, neutral_rewrite, reading]
