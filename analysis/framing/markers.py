"""Loaded-language markers: lexicon matches with voice, dual naming and the side they count for.

One pass per document: every variant of the lexicon is compiled into a single trie-shaped
regular expression run once over the document's matching form (``text.matching_form``: lower
case, curly quotes and dashes folded, same length as the original, so offsets slice the
original text exactly). Headline and caption are analysed like the body.

For each hit:

* ``voice`` is ``attributed`` (inside quotation marks, or in an attribution frame, see
  ``voice``) or ``authorial``;
* ``lexicon_side`` is the entry's side; ``side`` is the side the hit counts for, and ``rule``
  says why they differ:
  - ``dual_naming``: a toponym or region name given with its other side's name in the same
    sentence ("Stepanakert (Khankendi)", "known as Stepanakert to Armenians and Khankendi to
    Azerbaijanis") or glossed ("which Armenians call Stepanakert") counts as ``none``;
  - ``attributed``: an ``az`` or ``am`` term in someone else's words counts as ``none`` (the
    outlet reports it; it does not adopt it).

An article's side (``article_sides``) comes from authorial ``az``/``am`` hits; weak entries add to
a side only when a strong entry of that side is present, so they never decide it alone.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict

import pandas as pd

from analysis.measures.rates import rate
from analysis import config, text as textmod
from analysis.framing import lexicon as lexmod, patterns
from analysis.measures import terms
from analysis.corpus import voice as voicemod
from analysis.corpus import SECTIONS, Corpus, Document

EVIDENCE_COLUMNS = ["doc_id", "outlet", "paragraph", "sentence", "section", "start", "end", "text", "concept",
                    "pair", "category", "technique", "lexicon_side", "side", "strength", "voice", "rule",
                    "neutral_alternative", "source", "lexicon_version"]
PARTISAN = ("az", "am")
#: A gloss right before a name: "known to Armenians as X", "which Armenians call X".
_GLOSS_BEFORE_RE = re.compile(r"(?:known|referred\s+to)\s+(?:[\w']+\s+){0,3}?as\s+$"
                              r"|(?:which|what|whom)\s+(?:[\w']+\s+){0,2}calls?\s+(?:it\s+)?$"
                              r"|(?:armenians?|azerbaijanis?|armenia|azerbaijan)\s+calls?\s+(?:it\s+)?$")
#: A gloss right after a name: "X, known to Armenians as …", "X (the Armenian name)", "X in Armenian,".
_GLOSS_AFTER_RE = re.compile(r"^\s*,?\s*(?:as\s+it\s+is\s+)?(?:known|called|referred\s+to)\s+(?:to|by|in)\b"
                             r"|^\s*[,(]?\s*(?:the\s+)?(?:armenian|azerbaijani)\s+name\b"
                             r"|^\s*in\s+(?:armenian|azerbaijani)\s*(?:[,.;:)]|$)")
#: Characters searched before a name for a gloss.
GLOSS_WINDOW = 60
#: Reading-order groups used for rates: what a reader sees first frames the rest.
#: The verdict of a text that takes no side in its own voice.
NO_FRAMING = "no partisan framing"
SECTION_GROUPS = {"headline": "headline+caption", "caption": "headline+caption", "lead": "lead", "body": "body"}


class Matcher(patterns.PhraseMatcher):
    """All variants of a lexicon as one regular expression; ``find`` returns non-overlapping
    ``(start, end, concept)`` hits, the longest variant first at a position."""

    def __init__(self, lex: lexmod.Lexicon):
        super().__init__(lex.variants())
        self.lexicon = lex
        self.entries = {row["concept"]: row for row in lex.entries.to_dict("records")}


_MATCHERS: dict[str, Matcher] = {}


def matcher(lex: lexmod.Lexicon | None = None) -> Matcher:
    """A cached Matcher for ``lex`` (default: the built-in plus user lexicon)."""
    lex = lex or lexmod.load()
    if lex.sha256 not in _MATCHERS:
        _MATCHERS[lex.sha256] = Matcher(lex)
    return _MATCHERS[lex.sha256]


def match_document(doc: Document, lex: lexmod.Lexicon | None = None) -> pd.DataFrame:
    """Evidence rows (EVIDENCE_COLUMNS) of one document, in text order."""
    lex = lex or lexmod.load()
    m = matcher(lex)
    folded = textmod.matching_form(doc.text)
    found = [hit for p in doc.paragraphs for hit in m.find(doc.text, p.start, p.end, folded)]
    entries = m.entries
    vmap = voicemod.voice_map(doc)
    rows = []
    for start, end, concept in found:
        entry = entries[concept]
        sentence = doc.sentence_at(start)
        speaker, _ = vmap.voice(start, end)
        rows.append({
            "doc_id": doc.doc_id, "outlet": doc.outlet,
            "paragraph": sentence.paragraph if sentence else 0, "sentence": sentence.index if sentence else 0,
            "section": sentence.section if sentence else "body", "start": start, "end": end,
            "text": doc.text[start:end], "concept": concept, "pair": entry["pair"], "category": entry["category"],
            "technique": entry["technique"], "lexicon_side": entry["side"], "side": entry["side"],
            "strength": entry["strength"], "voice": speaker, "rule": "",
            "neutral_alternative": entry["neutral_alternative"], "source": " ".join(entry["sources"]),
            "lexicon_version": lex.version,
        })
    _apply_dual_naming(doc, rows, folded)
    for row in rows:
        if not row["rule"] and row["voice"] == voicemod.ATTRIBUTED and row["lexicon_side"] in PARTISAN:
            row["side"], row["rule"] = "none", "attributed"
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def _apply_dual_naming(doc: Document, rows: list[dict], folded: str) -> None:
    """A partisan name counts as ``none`` when another name of its pair is in the same sentence
    ("Stepanakert (Khankendi)", "Shusha (Shushi)", "Stepanakert/Khankendi") or when it is glossed."""
    by_sentence = defaultdict(list)
    for row in rows:
        if row["pair"] and row["category"] in ("toponym", "region", "entity"):
            by_sentence[row["sentence"]].append(row)
    for named in by_sentence.values():
        concepts_by_pair = defaultdict(set)
        for row in named:
            concepts_by_pair[row["pair"]].add(row["concept"])
        for row in named:
            if row["lexicon_side"] not in PARTISAN:
                continue
            paired = len(concepts_by_pair[row["pair"]]) > 1
            before = folded[max(0, row["start"] - GLOSS_WINDOW):row["start"]]
            after = folded[row["end"]:row["end"] + GLOSS_WINDOW]
            if paired or _GLOSS_BEFORE_RE.search(before) or _GLOSS_AFTER_RE.search(after):
                row["side"], row["rule"] = "none", "dual_naming"


@functools.cache
def _default_lexicon() -> lexmod.Lexicon:
    return lexmod.load()


def current_lexicon(corpus: Corpus | None = None) -> lexmod.Lexicon:
    """The lexicon that applies to ``corpus`` (loaded once per process)."""
    return _default_lexicon()


def reset() -> None:
    """Forget the loaded lexicon and matchers (a new run reads the files again)."""
    _default_lexicon.cache_clear()
    _MATCHERS.clear()


def evidence(corpus: Corpus, lex: lexmod.Lexicon | None = None) -> pd.DataFrame:
    """The evidence table of a corpus: one row per hit, documents in manifest order, hits in text order."""
    lex = lex or lexmod.load()
    frames = [match_document(doc, lex) for doc in corpus]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def section_words(corpus: Corpus, by: str = "doc_id") -> pd.DataFrame:
    """Words per group and reading-order section group: ``group, section_group, n_words``."""
    rows = []
    for doc in corpus:
        key = terms.group_of(doc, by)
        for p in doc.paragraphs:
            rows.append({"group": key, "section_group": SECTION_GROUPS[p.section],
                         "n_words": textmod.count_words(doc.text[p.start:p.end])})
    table = pd.DataFrame(rows, columns=["group", "section_group", "n_words"])
    whole = table.groupby("group", sort=False, as_index=False)["n_words"].sum().assign(section_group="all")
    return pd.concat([table.groupby(["group", "section_group"], sort=False, as_index=False)["n_words"].sum(), whole],
                     ignore_index=True)


def rates(ev: pd.DataFrame, corpus: Corpus, by: str = "doc_id") -> pd.DataFrame:
    """Hits per 1,000 words by category, side and voice, per group and section group.

    Columns: ``group, section_group, dimension, value, n, n_words, rate_per_1000`` where
    ``dimension`` is ``category``, ``side`` (the counted side) or ``voice`` and
    ``section_group`` is ``all``, ``headline+caption``, ``lead`` or ``body``. Zero counts are
    included for every value seen anywhere in ``ev``, so groups compare like for like.
    """
    words = section_words(corpus, by)
    ev = ev.assign(group=ev["doc_id"].map({d.doc_id: terms.group_of(d, by) for d in corpus}),
                   section_group=ev["section"].map(SECTION_GROUPS))
    rows = []
    for dimension in ("category", "side", "voice"):
        values = sorted(ev[dimension].unique())
        for w in words.itertuples(index=False):
            part = ev[ev["group"] == w.group]
            if w.section_group != "all":
                part = part[part["section_group"] == w.section_group]
            counts = part[dimension].value_counts()
            for value in values:
                n = int(counts.get(value, 0))
                rows.append({"group": w.group, "section_group": w.section_group, "dimension": dimension, "value": value,
                             "n": n, "n_words": int(w.n_words),
                             "rate_per_1000": rate(n, w.n_words)})
    table = pd.DataFrame(rows, columns=["group", "section_group", "dimension", "value", "n", "n_words", "rate_per_1000"])
    order = {"all": 0, "headline+caption": 1, "lead": 2, "body": 3}
    group_order = {g: i for i, g in enumerate(dict.fromkeys(words["group"]))}
    return (table.assign(_g=table["group"].map(group_order), _s=table["section_group"].map(order))
            .sort_values(["_g", "_s", "dimension", "value"], kind="mergesort").drop(columns=["_g", "_s"])
            .reset_index(drop=True))


def article_sides(ev: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Whose framing each text adopts, from its authorial partisan hits.

    Columns: ``doc_id, outlet, az_strong, az_weak, am_strong, am_weak, az_score, am_score,
    framing``. A side's score is its strong hits plus its weak hits, the weak ones counting only
    when at least one strong hit of that side is present. ``framing`` is ``az`` or ``am`` when
    only that side scores, ``mixed`` when both do, ``no partisan framing`` otherwise.
    """
    rows = []
    for doc in corpus:
        part = ev[(ev["doc_id"] == doc.doc_id) & (ev["voice"] == voicemod.AUTHORIAL)]
        row = {"doc_id": doc.doc_id, "outlet": doc.outlet}
        for side in PARTISAN:
            hits = part[part["side"] == side]
            strong, weak = int((hits["strength"] == "strong").sum()), int((hits["strength"] == "weak").sum())
            row[f"{side}_strong"], row[f"{side}_weak"] = strong, weak
            row[f"{side}_score"] = strong + (weak if strong else 0)
        az, am = row["az_score"], row["am_score"]
        row["framing"] = "mixed" if az and am else "az" if az else "am" if am else NO_FRAMING
        rows.append(row)
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "az_strong", "az_weak", "am_strong", "am_weak",
                                       "az_score", "am_score", "framing"])


#: Scorecard labels for the form a text used for a place or entity.
FORMS = {"az": "Azerbaijani", "am": "Armenian", "dual": "dual", "neutral": "neutral", "mixed": "mixed",
         "quoted": "quoted only", "absent": "not named"}


def naming_scorecard(ev: pd.DataFrame, corpus: Corpus, by: str = "outlet") -> pd.DataFrame:
    """For each group and toponym/entity pair, which form the text used in its own voice.

    Columns: ``group, pair, form, forms_seen, n_hits, n_attributed``. ``form``: ``dual`` if
    any mention was dual-named, ``Azerbaijani``/``Armenian`` if only that side's form was used,
    ``mixed`` if both were used without dual naming, ``neutral`` for wire or shared forms only —
    all judged on authorial mentions; ``quoted only`` if every mention is in someone else's
    words; ``not named`` for a pair some other group names but this one does not.
    """
    key_of = {d.doc_id: terms.group_of(d, by) for d in corpus}
    named = ev.assign(group=ev["doc_id"].map(key_of))
    named = named[named["pair"].fillna("") != ""]
    rows = []
    for (group, pair), part in named.groupby(["group", "pair"], sort=False):
        own = part[part["voice"] == voicemod.AUTHORIAL]
        sides = set(own["lexicon_side"]) & set(PARTISAN)
        if own.empty:
            form = "quoted"
        elif (own["rule"] == "dual_naming").any():
            form = "dual"
        elif sides == {"az", "am"}:
            form = "mixed"
        elif sides:
            form = sides.pop()
        else:
            form = "neutral"
        rows.append({"group": group, "pair": pair, "form": FORMS[form],
                     "forms_seen": ", ".join(sorted(set(part["text"].str.lower()))),
                     "n_hits": len(part), "n_attributed": int((part["voice"] == voicemod.ATTRIBUTED).sum())})
    seen = {(r["group"], r["pair"]) for r in rows}
    for group in dict.fromkeys(key_of.values()):
        for pair in sorted({r["pair"] for r in rows}):
            if (group, pair) not in seen:
                rows.append({"group": group, "pair": pair, "form": FORMS["absent"], "forms_seen": "",
                             "n_hits": 0, "n_attributed": 0})
    table = pd.DataFrame(rows, columns=["group", "pair", "form", "forms_seen", "n_hits", "n_attributed"])
    group_order = {g: i for i, g in enumerate(dict.fromkeys(key_of.values()))}
    return (table.assign(_g=table["group"].map(group_order)).sort_values(["_g", "pair"], kind="mergesort")
            .drop(columns="_g").reset_index(drop=True))


def fingerprint(rate_table: pd.DataFrame) -> pd.DataFrame:
    """Wide table for the fingerprint figure: rows = groups, columns = ``dimension:value``, whole text."""
    whole = rate_table[(rate_table["section_group"] == "all") & (rate_table["dimension"].isin(["category", "side"]))]
    wide = whole.assign(feature=whole["dimension"] + ":" + whole["value"]).pivot_table(
        index="group", columns="feature", values="rate_per_1000", aggfunc="sum", sort=False)
    order = list(dict.fromkeys(whole["group"]))
    return wide.reindex(order).reset_index().rename_axis(columns=None)


def _quoted_list(values) -> str:
    return ", ".join(f"“{v}”" for v in values)


def framing_summary(ev: pd.DataFrame, corpus: Corpus, focus: str) -> str:
    """Plain-language comparison of one text's framing with the others, built from the evidence.

    Lists the focus text's authorial partisan markers with the neutral alternative a wire
    service would use, what it attributes to others, and for every concept it shares with
    another text the words and voice each one used.
    """
    sides = article_sides(ev, corpus).set_index("doc_id")
    names = {"az": "Azerbaijani official", "am": "Armenian official"}
    doc = corpus[focus]
    mine = ev[ev["doc_id"] == focus]
    lines = []
    verdict = sides.loc[focus, "framing"]
    lines.append(f"{focus} ({doc.outlet}): framing = {verdict}.")
    for side in PARTISAN:
        own = mine[(mine["side"] == side) & (mine["voice"] == voicemod.AUTHORIAL)]
        if own.empty:
            continue
        lines.append(f"- In its own voice it uses {len(own)} {names[side]} marker(s) "
                     f"({int((own['strength'] == 'strong').sum())} strong):")
        for concept, part in own.groupby("concept", sort=False):
            where = ", ".join(dict.fromkeys(part["section"]))
            alt = part["neutral_alternative"].iloc[0]
            lines.append(f"  - {_quoted_list(dict.fromkeys(part['text']))} ({where})"
                         + (f"; a neutral wire would write “{alt}”" if alt else ""))
    attributed = mine[(mine["voice"] == voicemod.ATTRIBUTED) & (~mine["category"].str.startswith("attribution"))]
    if not attributed.empty:
        lines.append(f"- It attributes to others (quotes or reported speech): {_quoted_list(dict.fromkeys(attributed['text']))}.")
    for other in corpus:
        if other.doc_id == focus:
            continue
        theirs = ev[(ev["doc_id"] == other.doc_id) & (~ev["category"].str.startswith("attribution"))]
        lines.append(f"{other.doc_id} ({other.outlet}): framing = {sides.loc[other.doc_id, 'framing']}; "
                     f"markers: {_quoted_list(dict.fromkeys(theirs['text'])) or 'none'}.")
        shared = sorted(set(theirs["concept"]) & set(mine["concept"]))
        for concept in shared:
            a, b = mine[mine["concept"] == concept].iloc[0], theirs[theirs["concept"] == concept].iloc[0]
            if a["text"].lower() != b["text"].lower() or a["voice"] != b["voice"]:
                lines.append(f"  - same concept ({concept}): {focus} “{a['text']}” ({a['voice']}) vs "
                             f"{other.doc_id} “{b['text']}” ({b['voice']})")
    return "\n".join(lines)


def side_counts(ev: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Hits per text and counted side (all voices): one row per text, one column per side seen."""
    table = ev.pivot_table(index="doc_id", columns="side", values="start", aggfunc="count", fill_value=0, sort=False)
    return table.reindex([d.doc_id for d in corpus], fill_value=0)
