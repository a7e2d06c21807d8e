"""Chart functions. Each takes the exact table it plots and returns a matplotlib ``Figure``.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never through
pyplot's global state, so nothing leaks between notebook cells and no display is needed.
Write them with ``export.figure(fig, data, name)``.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: the workbook never opens a window
# Labels come from untrusted text (outlets, titles): "$" must never start mathtext.
matplotlib.rcParams["text.parse_math"] = False

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.presentation.labels import clean

#: Colours of the universal sides (colour-blind-safe Okabe–Ito hues); a story pack gives its own
#: sides' colours, and ``side_colours`` merges the two.
UNIVERSAL_COLOURS = {
    "wire": "#999999",  # grey
    "both": "#CC79A7",  # reddish purple
    "none": "#E69F00",  # orange
}
#: Colours of the actor groups every story has besides its sides.
GROUP_COLOURS = {"mediator": "#009E73", "other": "#999999"}


def side_colours(story_colours: dict[str, str] | None = None) -> dict[str, str]:
    """Side id → colour: the story's sides first, then the universal sides."""
    return {**(story_colours or {}), **UNIVERSAL_COLOURS}
#: Default figure size in inches (width, height).
FIGSIZE = (7.0, 4.0)


def new_figure(figsize: tuple[float, float] = FIGSIZE, nrows: int = 1, ncols: int = 1, **kwargs):
    """A fresh Figure and its axes (``layout='constrained'`` so labels never overlap)."""
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def grouped_barh(data: pd.DataFrame, label: str, group: str, value: str, title: str, xlabel: str,
                 colours: dict[str, str] | None = None) -> Figure:
    """Bars of ``value`` per ``label``, one bar per ``group`` side by side (long-format input).

    Labels keep their order of first appearance in ``data``; groups are sorted.
    """
    labels = list(dict.fromkeys(data[label].astype(str)))
    groups = sorted(data[group].astype(str).unique())
    wide = data.assign(**{label: data[label].astype(str), group: data[group].astype(str)}).pivot_table(
        index=label, columns=group, values=value, aggfunc="sum", fill_value=0).reindex(index=labels, columns=groups)
    height = max(2.5, 0.25 * len(labels) * max(1, len(groups)) ** 0.5 + 1.5)
    fig, ax = new_figure((FIGSIZE[0], height))
    bar = 0.8 / max(1, len(groups))
    for i, g in enumerate(groups):
        ys = [len(labels) - 1 - k + (len(groups) - 1 - i) * bar - 0.4 + bar / 2 for k in range(len(labels))]
        ax.barh(ys, wide[g].fillna(0).tolist(), height=bar, label=g, color=(colours or {}).get(g))
    ax.set_yticks([len(labels) - 1 - k for k in range(len(labels))], [clean(x) for x in labels])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize="small", loc="lower right")
    return fig


#: One colour per article section, in reading order.
SECTION_COLOURS = {"headline": "#000000", "caption": "#56B4E9", "lead": "#009E73", "body": "#BBBBBB"}


def words_by_section(data: pd.DataFrame, label: str = "doc_id", xlabel: str = "words") -> Figure:
    """Stacked horizontal bars: words per text (or per outlet, mean per text), split by section
    (``<label>, section, n_words``)."""
    docs = list(dict.fromkeys(data[label]))
    fig, ax = new_figure((FIGSIZE[0], max(2.5, 0.5 * len(docs) + 1.2)))
    left = [0] * len(docs)
    ys = list(range(len(docs)))[::-1]
    for section, colour in SECTION_COLOURS.items():
        part = data[data["section"] == section].set_index(label)["n_words"]
        widths = [float(part.get(d, 0)) for d in docs]
        if any(widths):
            ax.barh(ys, widths, left=left, color=colour, label=section)
            left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(ys, [clean(d) for d in docs])
    ax.set_xlabel(xlabel)
    ax.set_title("Words per text, by section" if label == "doc_id" else "Words per text, by section (mean per outlet)")
    ax.legend(fontsize="small", loc="lower right")
    return fig


def top_terms_by_group(data: pd.DataFrame, value: str = "rate_per_1000",
                       title: str = "Most frequent terms per group", xlabel: str = "per 1,000 words") -> Figure:
    """One panel of horizontal bars per group (``group, term, <value>``; rows already cut and
    sorted, first row of each group on top). Panels keep the groups' order of appearance."""
    groups = list(dict.fromkeys(data["group"].astype(str)))
    ncols = 2 if len(groups) > 1 else 1
    nrows = max(1, -(-len(groups) // ncols))
    per_panel = max([int((data["group"].astype(str) == g).sum()) for g in groups] or [1])
    fig, axes = new_figure((FIGSIZE[0] * (1.3 if ncols > 1 else 1), max(2.5, nrows * (0.22 * per_panel + 0.9))),
                           nrows=nrows, ncols=ncols, squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, group in zip(flat, groups):
        part = data[data["group"].astype(str) == group]
        ys = list(range(len(part)))[::-1]
        ax.barh(ys, part[value].tolist(), color="#0072B2")
        ax.set_yticks(ys, part["term"].astype(str).tolist(), fontsize="small")
        ax.set_title(clean(group), fontsize="medium")
        ax.set_xlabel(xlabel, fontsize="small")
        ax.grid(axis="x", alpha=0.3)
    for ax in flat[len(groups):]:
        ax.set_visible(False)
    fig.suptitle(title)
    return fig


def keyness_heatmap(data: pd.DataFrame, title: str = "Keyness: signed log-likelihood G²",
                    note: str = "") -> Figure:
    """Terms × groups heat map of signed G² (``term`` + one column per group, as
    ``keyness.matrix`` returns). Red = more frequent in the group than in the rest, blue = less;
    every cell is labelled with its value. ``note`` is printed under the chart (e.g. thresholds)."""
    groups = [c for c in data.columns if c != "term"]
    fig, ax = new_figure((max(FIGSIZE[0], 1.6 * len(groups) + 2.5), max(2.5, 0.32 * len(data) + 1.8)))
    if data.empty or not groups:
        ax.text(0.5, 0.5, "no term passes the thresholds", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return fig
    values = data[groups].to_numpy(dtype=float)
    limit = max(1.0, float(abs(values).max()))
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(groups)), [clean(g) for g in groups], rotation=20, ha="right", fontsize="small")
    ax.set_yticks(range(len(data)), data["term"].astype(str).tolist(), fontsize="small")
    for i in range(len(data)):
        for j in range(len(groups)):
            v = values[i][j]
            label = f"{v:.1f}"
            ax.text(j, i, "0.0" if label == "-0.0" else label, ha="center", va="center", fontsize="x-small",
                    color="white" if abs(v) > 0.6 * limit else "black")
    fig.colorbar(image, ax=ax, label="signed G² (+ more, − less frequent than the rest)")
    ax.set_title(title)
    if note:
        ax.set_xlabel(note, fontsize="small")
    return fig


def dispersion_plot(data: pd.DataFrame, title: str = "Where the terms occur") -> Figure:
    """Dispersion ("x-ray") plot: one panel per term, one line per document, a tick per hit at its
    relative position (0 = start, 1 = end of the analysed text). Input: ``term, doc_id,
    position`` (rows with an empty position mark a document without hits)."""
    terms = list(dict.fromkeys(data["term"].astype(str)))
    docs = list(dict.fromkeys(data["doc_id"].astype(str)))
    fig, axes = new_figure((FIGSIZE[0], max(2.5, len(terms) * (0.3 * len(docs) + 0.7) + 0.6)),
                           nrows=max(1, len(terms)), ncols=1, squeeze=False, sharex=True)
    for ax, term in zip([row[0] for row in axes], terms):
        part = data[(data["term"].astype(str) == term) & data["position"].notna()]
        ys = [len(docs) - 1 - docs.index(str(d)) for d in part["doc_id"]]
        ax.scatter(part["position"].astype(float).tolist(), ys, marker="|", s=150, color="#0072B2")
        ax.set_yticks(range(len(docs))[::-1], [clean(d) for d in docs], fontsize="small")
        ax.set_ylim(-0.6, len(docs) - 0.4)
        ax.set_xlim(-0.02, 1.02)
        ax.set_title(f"{term} ({len(part)} hits)", fontsize="medium", loc="left")
        ax.grid(axis="x", alpha=0.3)
    axes[-1][0].set_xlabel("relative position in the text (0 = start, 1 = end)")
    fig.suptitle(title)
    return fig


# --- sentiment ------------------------------------------------------------------------------

#: Disagreeing sentences labelled by name in the agreement scatter (the others are circled only).
MAX_POINT_LABELS = 10
#: One colour per sentiment model.
MODEL_COLOURS = {"textblob": "#009E73", "vader": "#0072B2"}
VOICE_COLOURS = {"authorial": "#000000", "attributed": "#56B4E9"}


def _bar_panels(data: pd.DataFrame, label: str, group: str, values: list[tuple[str, str]], title: str,
                colours: dict[str, str], xlim: tuple[float, float]) -> Figure:
    """One panel per ``(column, panel title)`` in ``values``: bars per ``label``, one per ``group``."""
    labels = list(dict.fromkeys(data[label].astype(str)))
    groups = [g for g in colours if g in set(data[group].astype(str))]
    height = max(2.8, 0.35 * len(labels) * max(1, len(groups)) ** 0.5 + 1.6)
    fig, axes = new_figure((FIGSIZE[0] + 2, height), ncols=len(values), sharey=True, squeeze=False)
    bar = 0.8 / max(1, len(groups))
    for ax, (column, panel) in zip(axes[0], values):
        for i, g in enumerate(groups):
            part = data[data[group].astype(str) == g].set_index(data[label].astype(str)[data[group].astype(str) == g])
            ys, xs = [], []
            for k, lab in enumerate(labels):
                if lab in part.index:
                    ys.append(len(labels) - 1 - k + (len(groups) - 1 - i) * bar - 0.4 + bar / 2)
                    xs.append(float(part.loc[lab, column]))
            ax.barh(ys, xs, height=bar, color=colours[g], label=g)
        ax.axvline(0, color="#000000", linewidth=0.8)
        ax.set_xlim(*xlim)
        ax.set_xticks([xlim[0], xlim[0] / 2, 0, xlim[1] / 2, xlim[1]])
        ax.set_axisbelow(True)
        ax.set_title(panel, fontsize="medium")
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks([len(labels) - 1 - k for k in range(len(labels))], [clean(x) for x in labels])
    axes[0][-1].legend(fontsize="small", loc="lower right")
    fig.suptitle(title)
    return fig


def sentiment_agreement(data: pd.DataFrame, textblob_threshold: float = 0.1, vader_threshold: float = 0.05) -> Figure:
    """Each sentence as a point: TextBlob polarity (x) against VADER compound (y), both [-1, 1].

    ``data``: ``doc_id, sentence, textblob_polarity, vader_compound, disagree``. Dashed lines
    mark the sign thresholds; sentences the models label with opposite signs are circled red.
    """
    fig, ax = new_figure((6.0, 5.0))
    for threshold in (textblob_threshold, -textblob_threshold):
        ax.axvline(threshold, color="#999999", linestyle="--", linewidth=0.8)
    for threshold in (vader_threshold, -vader_threshold):
        ax.axhline(threshold, color="#999999", linestyle="--", linewidth=0.8)
    agree = data[~data["disagree"].astype(bool)]
    flagged = data[data["disagree"].astype(bool)]
    ax.scatter(agree["textblob_polarity"], agree["vader_compound"], s=22, color="#0072B2", alpha=0.7,
               label=f"sentences ({len(agree)})")
    ax.scatter(flagged["textblob_polarity"], flagged["vader_compound"], s=60, facecolors="none",
               edgecolors="#D55E00", linewidths=1.5, label=f"models disagree ({len(flagged)})")
    labels: dict[tuple[float, float], list[str]] = {}
    for row in flagged.itertuples(index=False):  # sentences with the same scores share one label
        labels.setdefault((row.textblob_polarity, row.vader_compound), []).append(f"{row.doc_id} #{row.sentence}")
    for (x, y), names in list(labels.items())[:MAX_POINT_LABELS]:
        shown = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        ax.annotate(clean(shown), (x, y), fontsize="x-small", xytext=(4, 4), textcoords="offset points")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("TextBlob polarity (−1 … +1)")
    ax.set_ylabel("VADER compound (−1 … +1)")
    ax.set_title("Do the two models agree, sentence by sentence?")
    ax.legend(fontsize="small", loc="lower right")
    return fig


def sentiment_arc(data: pd.DataFrame, label: str = "doc_id") -> Figure:
    """Sentiment through each article: one panel per document, score (−1 … +1) against position.

    ``data``: the ``sentiment.arc`` table (``doc_id, outlet, sentence, position, model, score``).
    """
    docs = list(dict.fromkeys(data[label]))
    fig, axes = new_figure((FIGSIZE[0], 1.25 * max(1, len(docs)) + 1.0), nrows=max(1, len(docs)), sharex=True,
                           sharey=True, squeeze=False)
    for ax, doc in zip(axes[:, 0], docs):
        part = data[data[label] == doc]
        for model, colour in MODEL_COLOURS.items():
            line = part[part["model"] == model].sort_values("position")
            ax.plot(line["position"], line["score"], marker="o", markersize=3, color=colour, label=model)
        ax.axhline(0, color="#000000", linewidth=0.6)
        ax.set_ylim(-1.05, 1.05)
        ax.set_title(clean(doc), fontsize="small", loc="left")
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlim(0, 1)
    axes[-1, 0].set_xlabel("position in the article (0 = headline/start, 1 = end)")
    axes[0, 0].legend(fontsize="small", loc="lower right", ncols=2)
    fig.supylabel("sentence score (−1 … +1)")
    fig.suptitle("Sentiment arc: TextBlob polarity and VADER compound per sentence")
    return fig


def actor_sentiment(data: pd.DataFrame, by: str = "doc_id", colours: dict[str, str] | None = None) -> Figure:
    """Mean sentiment of the sentences naming each actor group, per document (or outlet).

    ``data``: ``sentiment.actor_sentiment`` (``by, actor_group, …_mean, …``).
    """
    return _bar_panels(data, by, "actor_group",
                       [("textblob_polarity_mean", "TextBlob polarity, mean"),
                        ("vader_compound_mean", "VADER compound, mean")],
                       "Sentiment of sentences that name each side", {**(colours or {}), **GROUP_COLOURS}, (-1.0, 1.0))


def voice_sentiment(data: pd.DataFrame, by: str = "doc_id") -> Figure:
    """Mean sentiment of authorial vs attributed sentences, per document (or outlet).

    ``data``: ``sentiment.voice_sentiment`` (``by, voice, …_mean, …``).
    """
    return _bar_panels(data, by, "voice",
                       [("textblob_polarity_mean", "TextBlob polarity, mean"),
                        ("vader_compound_mean", "VADER compound, mean")],
                       "Author's own sentences vs quoted or attributed ones", VOICE_COLOURS, (-1.0, 1.0))


def sentiment_shares(data: pd.DataFrame, label: str = "doc_id") -> Figure:
    """Share of positive (right) and negative (left) sentences per document, for each model.

    ``data``: ``sentiment.document_scores`` (``doc_id, …, textblob_share_positive`` etc., 0–1).
    """
    docs = list(dict.fromkeys(data[label]))
    fig, axes = new_figure((FIGSIZE[0] + 2, max(2.8, 0.5 * len(docs) + 1.4)), ncols=2, sharey=True, squeeze=False)
    ys = list(range(len(docs)))[::-1]
    for ax, model in zip(axes[0], ("textblob", "vader")):
        table = data.set_index(label).reindex(docs)
        ax.barh(ys, table[f"{model}_share_positive"].tolist(), color=MODEL_COLOURS[model], label="positive")
        ax.barh(ys, (-table[f"{model}_share_negative"]).tolist(), color="#D55E00", label="negative")
        ax.axvline(0, color="#000000", linewidth=0.8)
        ax.set_xlim(-1, 1)
        ax.set_title(f"{'TextBlob' if model == 'textblob' else 'VADER'}", fontsize="medium")
        ax.set_xlabel("share of sentences (negative ← 0 → positive)")
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize="small", loc="lower right")
    axes[0][0].set_yticks(ys, [clean(d) for d in docs])
    fig.suptitle("Share of positive and negative sentences per " + ("text" if label == "doc_id" else "outlet"))
    return fig


def heatmap(wide: pd.DataFrame, index: str, title: str, colorbar: str, fmt: str = "{:.1f}",
            column_labels: dict[str, str] | None = None) -> Figure:
    """Annotated heat map of a wide table: rows = ``wide[index]``, columns = the other columns
    (shown as ``column_labels`` where given). Every cell is labelled, zeros included."""
    columns = [c for c in wide.columns if c != index]
    values = wide[columns].fillna(0.0).to_numpy(dtype=float)
    fig, ax = new_figure((max(FIGSIZE[0], 0.55 * len(columns) + 3), max(2.5, 0.55 * len(wide) + 2.2)))
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(columns)), [clean((column_labels or {}).get(c, c)) for c in columns], rotation=60,
                  ha="right", fontsize="small")
    ax.set_yticks(range(len(wide)), [clean(x) for x in wide[index].astype(str)])
    peak = values.max() if values.size else 0
    for (i, j), value in np.ndenumerate(values):
        ax.text(j, i, fmt.format(value) if value else "0", ha="center", va="center", fontsize="x-small",
                color="#FFFFFF" if value > 0.6 * peak else "#999999" if not value else "#000000")
    fig.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
    ax.set_title(title)
    return fig


def framing_fingerprint(wide: pd.DataFrame, column_labels: dict[str, str] | None = None) -> Figure:
    """Marker rates per 1,000 words by category and counted side, one row per text or outlet."""
    return heatmap(wide, "group", "Framing fingerprint: markers per 1,000 words", "hits per 1,000 words",
                   column_labels=column_labels)


#: Colours of the naming scorecard's forms other than the sides' own.
FORM_COLOURS = {"dual": "#009E73", "neutral": "#BBBBBB", "mixed": "#CC79A7", "quoted only": "#F0E442",
                "not named": "#FFFFFF"}


def naming_scorecard(data: pd.DataFrame, side_forms: dict[str, str] | None = None) -> Figure:
    """Grid of places/entities × texts, each cell coloured and labelled by the form used (``markers.naming_scorecard``)."""
    groups = list(dict.fromkeys(data["group"]))
    pairs = sorted(data["pair"].unique())
    fig, ax = new_figure((max(FIGSIZE[0], 1.9 * len(groups) + 2.5), max(2.2, 0.5 * len(pairs) + 1.6)))
    cells = {(r.group, r.pair): r.form for r in data.itertuples(index=False)}
    colours = {**(side_forms or {}), **FORM_COLOURS}
    for j, group in enumerate(groups):
        for i, pair in enumerate(pairs):
            form = cells.get((group, pair), "not named")
            ax.add_patch(Rectangle((j - 0.48, i - 0.45), 0.96, 0.9, color=colours.get(form, "#FFFFFF"), alpha=0.8))
            ax.text(j, i, form, ha="center", va="center", fontsize="small",
                    color="#999999" if form == "not named" else "#000000")
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.set_ylim(len(pairs) - 0.5, -0.5)
    ax.set_xticks(range(len(groups)), [clean(g) for g in groups], rotation=20, ha="right", fontsize="small")
    ax.set_yticks(range(len(pairs)), [clean(x) for x in pairs])
    ax.set_title("Naming scorecard: which form each text uses")
    return fig


def side_rates_by_section(data: pd.DataFrame, colours: dict[str, str] | None = None) -> Figure:
    """Counted-side rates per 1,000 words, by text and section group (``markers.rates`` rows of dimension ``side``)."""
    part = data[(data["dimension"] == "side") & (data["section_group"] != "all")]
    part = part.assign(label=part["group"] + " · " + part["section_group"])
    return grouped_barh(part, "label", "value", "rate_per_1000",
                        "Markers by counted side and section",
                        "hits per 1,000 words", side_colours(colours))


def framing_profile(data: pd.DataFrame, labels: dict[str, str], label: str = "doc_id") -> Figure:
    """One panel per indicator, one bar per text (``compare.profile_long``; ``labels``: indicator → axis label)."""
    indicators = list(dict.fromkeys(data["indicator"]))
    docs = list(dict.fromkeys(data[label]))
    fig, axes = new_figure((FIGSIZE[0] + 1, (0.22 * max(1, len(docs)) + 0.45) * len(indicators) + 1.0),
                           nrows=len(indicators), sharey=True, squeeze=False)
    ys = list(range(len(docs)))[::-1]
    for ax, indicator in zip(axes[:, 0], indicators):
        part = data[data["indicator"] == indicator].set_index(label).reindex(docs)
        values = part["value"].fillna(0).tolist()
        ax.barh(ys, values, color=["#D55E00" if v < 0 else "#0072B2" for v in values])
        ax.axvline(0, color="#000000", linewidth=0.6)
        ax.set_yticks(ys, [clean(d) for d in docs], fontsize="small")
        for y, v in zip(ys, values):
            if v == 0:  # a zero is drawn, so that it cannot be taken for missing data
                ax.plot([0], [y], marker="|", color="#000000", markersize=8)
        ax.set_title(labels.get(indicator, indicator), fontsize="small", loc="left")
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Framing profile of each text" if label == "doc_id" else "Framing profile per outlet (mean of its texts)")
    return fig
