"""Who is named: the story packs' actor dictionaries (``actors.csv``) and where each actor is mentioned.

The dictionary has one row per actor: ``actor, group, variants, pattern, source, notes``.

* ``group`` is one of the story's side ids, or ``mediator`` or ``other``;
* ``variants`` are the spellings to find, separated by ``|``; each is matched as whole words,
  case-insensitively, with curly and straight quotes and all dashes treated alike, and any run
  of spaces inside a variant matching any run of white space;
* ``pattern`` (optional) is a regular expression for spellings a list cannot hold, matched the
  same way (case-insensitive, whole words);
* ``source`` and ``notes`` are for people and are not used by the code.

A seeds folder's ``actors_user.csv`` (optional, same columns) is merged in. Every
problem in either file is reported with file and line: unknown group, empty variant, duplicate
variant (naming both lines), a bad regular expression, an actor put in two groups.

Matching runs on ``text.matching_form`` of each sentence, which has the same length as the
original, so every mention's ``start``/``end`` slice the document text exactly. Where variants
overlap the longest wins ("Ilham Aliyev" is one mention, not two; "Karabakh Armenians" is not
also "Armenians").

Tables:

* ``mentions``: doc_id, outlet, sentence, start, end, text, actor, group (reading order);
* ``first_and_most``: doc_id, outlet, n_mentions, first_actor, first_group, first_start,
  most_actor, most_group, most_n, n_az, n_am, n_mediator, n_other (manifest order).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.framing import packs, patterns
from analysis.measures import sentiment
from analysis.input.tables import read_table
from analysis.corpus import Corpus, Document
from analysis.problems import InputError, Problem

COLUMNS = ("actor", "group", "variants", "pattern", "source", "notes")
REQUIRED = ("actor", "group", "variants")
#: A seeds folder's own additions to the story packs' actor lists (optional, same columns).
USER_FILE = "actors_user.csv"

TABLE_COLUMNS = ["actor", "group", "kind", "variant", "file", "line"]
MENTION_COLUMNS = ["doc_id", "outlet", "sentence", "start", "end", "text", "actor", "group"]
#: Columns of ``first_and_most`` before one ``n_<group>`` column per actor group of the story.
FIRST_MOST_COLUMNS = ["doc_id", "outlet", "n_mentions", "first_actor", "first_group", "first_start",
                      "most_actor", "most_group", "most_n"]



def _where(path: Path, line: int) -> str:
    return f"{path.name}:{line}"


def _read(path: Path, seen: dict, groups_of: dict, problems: list[Problem], groups: list[str]) -> list[dict]:
    table = read_table(path, COLUMNS, REQUIRED, what="actor list")
    problems.extend(table.problems)
    rows = []
    for line, row in table.rows:
        actor, group = row.get("actor", ""), row.get("group", "")
        if not actor:
            problems.append(Problem(str(path), line, "'actor' is empty", "give the actor a name, e.g. Azerbaijan"))
            continue
        if group not in groups:
            problems.append(Problem(str(path), line, f"unknown group {group!r} for {actor!r}",
                                    f"use one of: {', '.join(groups)}"))
            continue
        if actor in groups_of and groups_of[actor][0] != group:
            first_group, where = groups_of[actor]
            problems.append(Problem(str(path), line, f"actor {actor!r} is in group {first_group!r} at {where}",
                                    "keep each actor in one group (or give it another name)"))
            continue
        groups_of.setdefault(actor, (group, _where(path, line)))
        raw = row.get("variants", "")
        variants = [v.strip() for v in raw.split("|")] if raw else []
        pattern = row.get("pattern", "")
        if any(not v for v in variants):
            problems.append(Problem(str(path), line, f"empty variant in {raw!r}",
                                    "remove the extra '|' (variants are separated by a single '|')"))
            variants = [v for v in variants if v]
        if not variants and not pattern:
            problems.append(Problem(str(path), line, f"actor {actor!r} has no variants and no pattern",
                                    "list at least one spelling in 'variants', e.g. Azerbaijan|Republic of Azerbaijan"))
            continue
        for variant in variants:
            reason = patterns.variant_problem(variant.lower())
            if reason:
                problems.append(Problem(str(path), line, reason, "use words, single spaces, hyphens and apostrophes"))
                continue
            key = ("variant", patterns.variant_key(variant))
            if key in seen:
                problems.append(Problem(str(path), line, f"duplicate variant {variant!r}: already listed at {seen[key]}",
                                        "keep each spelling in one row only"))
                continue
            seen[key] = _where(path, line)
            rows.append({"actor": actor, "group": group, "kind": "variant", "variant": variant,
                         "file": str(path), "line": line})
        if pattern:
            _, reason = patterns.user_regex(pattern)
            if reason:
                problems.append(Problem(str(path), line, reason,
                                        "fix the pattern or leave the column empty and list variants instead"))
                continue
            key = ("pattern", pattern)
            if key in seen:
                problems.append(Problem(str(path), line, f"duplicate pattern {pattern!r}: already at {seen[key]}",
                                        "keep each pattern in one row only"))
                continue
            seen[key] = _where(path, line)
            rows.append({"actor": actor, "group": group, "kind": "pattern", "variant": pattern,
                         "file": str(path), "line": line})
    return rows


def load(path: str | Path | None = None, user: str | Path | None = None) -> pd.DataFrame:
    """The validated dictionary: one row per variant or pattern (``TABLE_COLUMNS``).

    ``path`` defaults to the active story's packs' ``actors.csv`` files plus the seeds folder's
    ``actors_user.csv`` when it exists; ``user`` is merged in. Groups are the story's sides,
    ``mediator`` and ``other``. Raises InputError listing every problem in every file.
    """
    story = packs.active()
    if path:
        files = [Path(path)]
    else:
        files = list(story.actors_files)
        extra = packs.active_seeds() / USER_FILE
        files += [extra] if extra.is_file() else []
    files += [Path(user)] if user else []
    problems: list[Problem] = []
    seen: dict = {}
    groups_of: dict = {}
    rows = []
    for file in files:
        rows.extend(_read(file, seen, groups_of, problems, story.groups))
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


_MATCHERS: dict = {}


class Matcher(patterns.PhraseMatcher):
    """Finds actor mentions in text; built once from a dictionary table (``TABLE_COLUMNS``)."""

    def __init__(self, table: pd.DataFrame):
        variants = table[table["kind"] == "variant"]
        regexes = table[table["kind"] == "pattern"]
        super().__init__(zip(variants["variant"].str.lower(), variants["actor"]),
                         [(patterns.user_regex(p)[0], a) for p, a in zip(regexes["variant"], regexes["actor"])],
                         compound=False)
        self.group_of = dict(zip(table["actor"], table["group"]))

    def mentions(self, text: str, offset: int = 0) -> list[tuple[int, int, str, str]]:
        """``(start, end, actor, group)`` of every mention in ``text``, shifted by ``offset``."""
        return [(start + offset, end + offset, actor, self.group_of[actor]) for start, end, actor in self.find(text)]


def matcher(table: pd.DataFrame | None = None) -> Matcher:
    """A Matcher for ``table`` (default: the shipped dictionary plus any user file, cached)."""
    if table is not None:
        return Matcher(table)
    key = packs.active_key()
    if key not in _MATCHERS:
        _MATCHERS.clear()
        _MATCHERS[key] = Matcher(load())
    return _MATCHERS[key]


def document_mentions(doc: Document, match: Matcher | None = None) -> list[dict]:
    """Mentions in one document, sentence by sentence, in reading order."""
    match = match or matcher()
    rows = []
    for s in doc.sentences:
        for start, end, actor, group in match.mentions(doc.text[s.start:s.end], s.start):
            rows.append({"doc_id": doc.doc_id, "outlet": doc.outlet, "sentence": s.index, "start": start,
                         "end": end, "text": doc.text[start:end], "actor": actor, "group": group})
    return rows


def mentions(corpus: Corpus, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every actor mention (``MENTION_COLUMNS``), in manifest then reading order."""
    match = matcher(table)
    rows = [row for doc in corpus for row in document_mentions(doc, match)]
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def first_and_most(corpus: Corpus, found: pd.DataFrame) -> pd.DataFrame:
    """Per document: the actor named first, the actor named most, and mentions per group.

    ``found`` is the ``mentions`` table. Ties for "most" go to the actor named earlier.
    Documents without any mention get empty actor cells and zero counts.
    """
    groups = packs.active().groups
    of_doc: dict[str, list[tuple]] = {}
    for row in zip(found["doc_id"].tolist(), found["start"].tolist(), found["actor"].tolist(), found["group"].tolist()):
        of_doc.setdefault(row[0], []).append(row[1:])
    rows = []
    for doc in corpus:
        part = sorted(of_doc.get(doc.doc_id, []), key=lambda m: m[0])
        row = {"doc_id": doc.doc_id, "outlet": doc.outlet, "n_mentions": len(part),
               "first_actor": "", "first_group": "", "first_start": -1, "most_actor": "", "most_group": "", "most_n": 0}
        if part:
            start, actor, group = part[0]
            row.update(first_actor=actor, first_group=group, first_start=int(start))
            named: dict[str, list] = {}          # actor → [mentions, first start, its group, order first named]
            for start, actor, group in part:
                named.setdefault(actor, [0, start, group, len(named)])[0] += 1
            actor, (n, _, group, _) = min(named.items(), key=lambda kv: (-kv[1][0], kv[1][1], kv[1][3]))
            row.update(most_actor=actor, most_group=group, most_n=int(n))
        per_group = Counter(group for _, _, group in part)
        for g in groups:
            row[f"n_{g}"] = per_group[g]
        rows.append(row)
    return pd.DataFrame(rows, columns=FIRST_MOST_COLUMNS + [f"n_{g}" for g in groups])


def sentence_actors(doc: Document, match: Matcher | None = None) -> dict[int, list[tuple[str, str]]]:
    """Sentence index → distinct ``(actor, group)`` named in it, in order of first mention."""
    out: dict[int, list[tuple[str, str]]] = {}
    for row in document_mentions(doc, match):
        named = out.setdefault(row["sentence"], [])
        if (row["actor"], row["group"]) not in named:
            named.append((row["actor"], row["group"]))
    return out


def sentence_table(corpus: Corpus, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """``sentiment.sentence_table`` with the actors (of ``table``, default the actor list) named
    in each sentence."""
    match = matcher(table)
    return sentiment.sentence_table(corpus, lambda doc: sentence_actors(doc, match))
