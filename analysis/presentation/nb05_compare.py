"""Notebook 05, framing comparison: one profile per text, and what a neutral wire would write."""
from __future__ import annotations

from analysis.framing import compare
from analysis.presentation import plots, prose
from analysis.presentation.section import Chart, Section, Table, Text


def profile(wb) -> Section:
    """``05_profile`` (one row per text) and the chart ``05_framing_profile``."""
    long = compare.profile_long(wb.profile)
    return Section([Table("05_profile", wb.profile, transpose=True, view=wb.profile.set_index("doc_id")),
                    Chart("05_framing_profile", plots.framing_profile(long, compare.INDICATORS), long,
                          compare.profile_summary(wb.profile))])


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
