"""Who does what to whom: the direction, sense and delegitimised names of marker hits.

Three rules refine the side a hit counts for, from the words around it in the matching form of
the text (``text.matching_form``, the same length as the original). Each looks at most
``WINDOW`` characters on either side of the hit and never past its sentence, so the cost per hit
is bounded and a document is matched in linear time.

* ``direction`` (``resolve``): mirror terms ("occupation", "aggression", "liberated") name a side
  only through their agent and object. An entry's ``direction`` column says how: ``accuses``
  counts the hit for the side opposite to the agent ("occupied by Armenia", "Azerbaijani
  aggression", "aggression against Artsakh" names the victim), ``claims`` for the agent's own side
  ("liberated by the Azerbaijani army", "liberated Khankendi", "liberated from Armenian
  occupation"). Agents and objects are recognised by each side's ``gloss`` words in the story
  ("azerbaijani", "armenia's") and by the story's place and entity names found in the sentence,
  whose side is that of the name. Cues that disagree, or none, leave the entry's own side.
* ``sense``: an entry with a ``requires`` list is partisan only when one of those context words
  (``lands``, ``territor*``) or a hit of a listed category (``@toponym``) is within the window;
  otherwise the word is used in another sense ("liberated the hostages") and counts as ``none``.
* ``delegitimised``: a place, region or entity name of one side preceded by a delegitimiser
  ("so-called", "illegal", "puppet", "fake"; at most two words between) or inside scare quotes
  that hold nothing but the name counts for the other side of a two-sided story. When the
  delegitimiser itself is someone else's words the hit is ``attributed`` (``none``); when it is
  the author's, so are the scare quotes, and the hit's voice becomes ``authorial``.

Nothing here is specific to one story: the words come from the lexicon and the story pack.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict

from analysis.corpus import Document
from analysis.corpus import voice as voicemod
from analysis.framing import patterns
from analysis.framing.packs import Side, Story

#: Characters looked at on either side of a hit.
WINDOW = 60
ACCUSES, CLAIMS = "accuses", "claims"
DIRECTION, SENSE, DELEGITIMISED = "direction", "sense", "delegitimised"
#: Categories whose hits are names of places or entities (agents, objects and delegitimised names).
NAME_CATEGORIES = ("toponym", "region", "entity")
#: Words that cast doubt on the name after them (generic English; "self-proclaimed" and
#: "self-declared" are left out: wires write them before the names of unrecognised states).
DELEGITIMISERS = ("so-called", "so called", "self-styled", "illegal", "illegitimate", "puppet", "fake",
                  "pseudo", "sham", "bogus", "would-be")
#: Most words between a cue and the agent or object it introduces ("by the Azerbaijani army").
MAX_GAP = 3
#: Most words between an agent and the hit after it ("Armenian armed forces occupied").
MAX_GAP_BEFORE = 2
#: Words that end the phrase a cue introduces.
_BREAKERS = frozenset("and or but nor by of from against to in on at with for as than that which who whom while "
                      "after before since until said says say told claims claimed accused accuses".split())
#: Prepositions after a hit that introduce its agent, its object or the party it is taken from.
_AFTER_CUES = {"by": "agent", "of": "of", "against": "object", "on": "object", "upon": "object",
               "towards": "object", "toward": "object", "from": "from"}
#: Nouns after an "of" agent that make it the doer ("aggression of the Azerbaijani army").
AGENT_NOUNS = frozenset("army armies armed forces force troops military soldiers servicemen side government leadership "
                        "regime authorities state units formations".split())
#: Nouns after an "of" agent that make it the owner of a place ("occupation of Azerbaijani lands").
PLACE_NOUNS = frozenset("land lands territory territories region regions district districts area areas town towns "
                        "city cities village villages settlement settlements homeland soil province provinces".split())
_PASSIVE = frozenset("was were is are been being be".split())
#: Words between an agent and a noun hit that put the agent outside the hit's noun phrase
#: ("Yerevan condemned the occupation").
_DETERMINERS = frozenset("the a an this that these those its their his her our".split())
#: Words just before quotation marks that make them scare quotes in the author's own sentence
#: ('the "Nagorno-Karabakh Republic"'); after other words ("which it calls 'X'") the name is a mention.
_HOSTS = frozenset("the a an this that these those its their his her our of in from to by with for so-called".split())
_QUOTES = frozenset("\"'")
_TOKEN_RE = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]")
#: Single words whose ending marks a noun; other words ending like verbs are verbs.
_NOUN_END_RE = re.compile(r"(?:ion|ions|or|ors|er|ers|ment|ments|ance|ence|ism|emy|anda|ity)$")
_VERB_END_RE = re.compile(r"(?:ed|ing|ate|ates|y|ies|e|es|t|ts)$")
_DELEGITIMISER_RE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(d).replace(r"\ ", r"\s+").replace(r"\-", "[-\\s]?")
                                                            for d in DELEGITIMISERS) + r")(?![\w-])")


class _Token:
    __slots__ = ("start", "end", "word", "kind", "side", "possessive")

    def __init__(self, start: int, end: int, word: str, kind: str = "word", side: str | None = None,
                 possessive: bool = False):
        self.start, self.end, self.word, self.kind, self.side, self.possessive = start, end, word, kind, side, possessive


@functools.lru_cache(maxsize=32)
def _gloss_map(sides: tuple[Side, ...]) -> dict[str, str]:
    """Gloss word -> side id (a word two sides share is left out)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for side in sides:
        for word in side.gloss:
            seen[word.lower()].add(side.id)
    return {word: ids.pop() for word, ids in seen.items() if len(ids) == 1}


def _tokens(folded: str, lo: int, hi: int, gloss: dict[str, str], names: list[tuple[int, int, str]]) -> list[_Token]:
    """Tokens of ``folded[lo:hi]``: names (one token each), gloss words, other words, punctuation."""
    spans = sorted((s, e, side) for s, e, side in names if s >= lo and e <= hi)
    out: list[_Token] = []
    k = 0
    for m in _TOKEN_RE.finditer(folded, lo, hi):
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        if k < len(spans) and spans[k][0] <= m.start() < spans[k][1]:
            if not out or out[-1].start != spans[k][0]:
                out.append(_Token(spans[k][0], spans[k][1], folded[spans[k][0]:spans[k][1]], "name", spans[k][2]))
            continue
        word = m.group()
        if not (word[0].isalnum() or word[0] == "_"):
            out.append(_Token(m.start(), m.end(), word, "punct"))
            continue
        possessive = word.endswith("'s")
        base = word[:-2] if possessive else word
        side = gloss.get(base)
        out.append(_Token(m.start(), m.end(), base, "gloss" if side else "word", side, possessive))
    return out


def _is_verb(hit: str) -> bool:
    words = hit.split()
    if len(words) != 1:
        return False
    word = words[0].split("-")[-1]
    return not _NOUN_END_RE.search(word) and bool(_VERB_END_RE.search(word))


def _find(tokens: list[_Token], i: int, max_gap: int) -> tuple[_Token | None, int]:
    """The first gloss or name token from ``tokens[i]`` on, with at most ``max_gap`` words before
    it and no phrase end between: ``(token, index)`` or ``(None, -1)``."""
    gap = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind in ("gloss", "name"):
            return t, i
        if t.kind == "punct":
            if t.word not in _QUOTES:
                break
        elif t.word == "of" and i > 0 and tokens[i - 1].word == "republic":
            pass   # "the Republic of Azerbaijan" is one name
        elif t.word in _BREAKERS or gap >= max_gap:
            break
        else:
            gap += 1
        i += 1
    return None, -1


def _opposite(side: str | None, ids: tuple[str, ...]) -> str | None:
    if side is None or len(ids) != 2 or side not in ids:
        return None
    return ids[1] if side == ids[0] else ids[0]


def _after_cues(after: list[_Token], verb: bool, direction: str, place: bool) -> list[tuple[str, str]]:
    """``(role, side)`` cues after the hit: agent, object (victim or place) or from."""
    cues = []
    if after and after[0].kind in ("gloss", "name"):
        first = after[0]
        role = "object" if verb or first.kind == "name" else "agent"
        cues.append((role, first.side))
    elif verb and after:
        found, _ = _find(after, 0, 2)
        if found is not None:
            cues.append(("object", found.side))
    seen = set()
    for i, t in enumerate(after):
        if t.kind == "punct" and t.word not in _QUOTES and t.word != "-":
            break
        cue = _AFTER_CUES.get(t.word) if t.kind == "word" else None
        if cue is None or cue in seen:
            continue
        seen.add(cue)
        found, j = _find(after, i + 1, MAX_GAP)
        if found is None:
            continue
        if cue == "of":
            following = after[j + 1].word if j + 1 < len(after) else ""
            if found.kind == "name" or following in PLACE_NOUNS or found.possessive:
                cues.append(("object", found.side))
            elif following in AGENT_NOUNS:
                cues.append(("agent", found.side))
            elif direction == CLAIMS or place:
                cues.append(("object", found.side))
        else:
            cues.append((cue, found.side))
    return cues


def _before_cue(before: list[_Token], hit: str, verb: bool, place: bool) -> tuple[str, str] | None:
    """The ``(role, side)`` cue of the nearest gloss or name before the hit, if any: a name, the
    owner of a place ("Azerbaijani lands under occupation", "Azerbaijan's occupied territories")
    or the subject of a passive is the object; any other gloss word is the agent."""
    gap, passive, owner = 0, False, place
    for t in reversed(before):
        if t.kind == "name":
            return "object", t.side
        if t.kind == "gloss":
            if owner or (verb and ((passive and hit.endswith("ed")) or (t.possessive and gap == 0))):
                return "object", t.side
            return "agent", t.side
        if t.kind == "punct":
            if t.word in _QUOTES:
                continue
            return None
        if t.word in _BREAKERS or t.word in _DETERMINERS or gap >= MAX_GAP_BEFORE:
            return None
        passive = passive or t.word in _PASSIVE
        owner = owner or t.word in PLACE_NOUNS
        gap += 1
    return None


def resolve(folded: str, start: int, end: int, direction: str, sides: list[Side],
            names: list[tuple[int, int, str]] = (), bounds: tuple[int, int] | None = None) -> str | None:
    """The side id a directed hit ``folded[start:end]`` counts for, or None when no cue (or
    disagreeing cues) says.

    ``direction`` is ``accuses`` or ``claims``; ``sides`` the story's sides (their ``gloss``
    words name agents and objects); ``names``: ``(start, end, side)`` of the story's place and
    entity names around the hit; ``bounds``: the sentence, beyond which nothing is read.
    """
    if direction not in (ACCUSES, CLAIMS):
        return None
    lo, hi = bounds if bounds else (0, len(folded))
    lo, hi = max(lo, start - WINDOW), min(hi, end + WINDOW)
    gloss = _gloss_map(tuple(sides))
    ids = tuple(s.id for s in sides)
    hit = folded[start:end]
    verb, place = _is_verb(hit), hit.split()[-1] in PLACE_NOUNS
    before = _tokens(folded, lo, start, gloss, names)
    after = _tokens(folded, end, hi, gloss, names)
    cues = _after_cues(after, verb, direction, place)
    first = _before_cue(before, hit, verb, place)
    if first:
        cues.append(first)
    counted = set()
    for role, side in cues:
        if role == "agent":
            counted.add(side if direction == CLAIMS else _opposite(side, ids))
        elif role == "object":
            counted.add(side)
        else:   # "from": the party the place is taken from, or the source of the act
            counted.add(_opposite(side, ids))
    counted.discard(None)
    return counted.pop() if len(counted) == 1 else None


@functools.lru_cache(maxsize=256)
def _context_regex(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns.variant_regex(w) for w in words) + r")(?!\w)")


def in_sense(folded: str, start: int, end: int, requires: list[str], hits: list[tuple[int, int, str]] = (),
             bounds: tuple[int, int] | None = None) -> bool:
    """True when a context word of ``requires`` (or a hit of an ``@category`` it lists, from
    ``hits``: ``(start, end, category)``) lies within WINDOW characters of the hit."""
    if not requires:
        return True
    lo, hi = bounds if bounds else (0, len(folded))
    lo, hi = max(lo, start - WINDOW), min(hi, end + WINDOW)
    categories = {r[1:] for r in requires if r.startswith("@")}
    if any(c in categories and s < hi and e > lo and (s, e) != (start, end) for s, e, c in hits):
        return True
    regex = _context_regex(tuple(r for r in requires if not r.startswith("@")))
    return bool(regex and (regex.search(folded, lo, start) or regex.search(folded, end, hi)))


def _near(items: list[tuple], ends: list[int], starts: list[int], lo: int, hi: int) -> list[tuple]:
    """The items (non-overlapping spans in text order) that overlap ``[lo, hi)``."""
    return items[bisect.bisect_right(ends, lo):bisect.bisect_left(starts, hi)]


#: Characters a scare quote may hold besides the name ("the", "so-called", the quote marks).
SCARE_SLACK = 24


def _scare_quotes(folded: str, row: dict, quotes: list[tuple[int, int]], qstarts: list[int]) -> tuple[int, int] | None:
    """The quotation marks around nothing but the hit's name (plus "the") set in the author's
    own syntax (after "the", "of" …, not after "calls it"), if any."""
    k = bisect.bisect_right(qstarts, row["start"])
    for qs, qe in reversed(quotes[max(0, k - 3):k]):   # the innermost quotes first (they may nest)
        if not (qs <= row["start"] and row["end"] <= qe):
            continue
        if (qe - qs) - (row["end"] - row["start"]) > SCARE_SLACK:  # more than the name in the quotes
            return None
        lead = re.search(r"([\w-]+)\s*$", folded[max(0, qs - 25):qs])
        if lead is None or lead.group(1) not in _HOSTS:
            return None
        rest = (folded[qs + 1:row["start"]] + " " + folded[row["end"]:qe - 1]).replace('"', " ").replace("'", " ")
        return (qs, qe) if set(rest.split()) <= {"the", "a", "an", "so-called"} else None
    return None


def _delegitimiser(folded: str, row: dict, quotes: list[tuple[int, int]], qstarts: list[int],
                   bounds: tuple[int, int]) -> tuple[int, int] | None:
    """The span whose voice decides a delegitimised name: the delegitimiser word before the name
    (at most MAX_GAP_BEFORE words between), else the character before its scare quotes."""
    start = row["start"]
    last = None
    for m in _DELEGITIMISER_RE.finditer(folded, max(bounds[0], start - WINDOW), start):
        last = m
    if last is not None:
        between = re.findall(r"[\w-]+", folded[last.end():start])
        if len(between) <= MAX_GAP_BEFORE and not any(w in _BREAKERS for w in between) \
                and not re.search(r"[.,;:!?()]", folded[last.end():start]):
            return last.start(), last.end()
    scare = _scare_quotes(folded, row, quotes, qstarts)
    if scare is None or scare[0] <= bounds[0]:
        return None
    return scare[0] - 1, scare[0]


def apply(doc: Document, rows: list[dict], folded: str, entries: dict[str, dict], story: Story,
          vmap: voicemod.VoiceMap) -> None:
    """Apply the sense, direction and delegitimised rules to the evidence ``rows`` of ``doc``
    (rows a rule already decided, such as dual naming, are left alone). Each hit looks only at
    the hits, names and quotation marks within WINDOW characters (found by bisection)."""
    partisan = story.side_ids
    quotes = sorted((r.start, r.end) for r in vmap.regions if r.reason == "quoted")
    qstarts = [q[0] for q in quotes]
    by_sentence: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_sentence[row["sentence"]].append(row)
    for part in by_sentence.values():
        sentence = doc.sentence_at(part[0]["start"])
        bounds = (sentence.start, sentence.end) if sentence else (0, len(folded))
        hits = [(r["start"], r["end"], r["category"]) for r in part]
        h_starts, h_ends = [h[0] for h in hits], [h[1] for h in hits]
        names = [(r["start"], r["end"], r["side"]) for r in part
                 if r["category"] in NAME_CATEGORIES and r["side"] in partisan]
        n_starts, n_ends = [n[0] for n in names], [n[1] for n in names]
        for row in part:
            if row["rule"]:
                continue
            start, end = row["start"], row["end"]
            lo, hi = max(bounds[0], start - WINDOW), min(bounds[1], end + WINDOW)
            entry = entries.get(row["concept"], {})
            if entry.get("requires") and not in_sense(folded, start, end, entry["requires"],
                                                      _near(hits, h_ends, h_starts, lo, hi), bounds):
                row["side"], row["rule"] = "none", SENSE
                continue
            if entry.get("direction"):
                others = [n for n in _near(names, n_ends, n_starts, lo, hi) if n[:2] != (start, end)]
                got = resolve(folded, start, end, entry["direction"], story.sides, others, bounds)
                if got and got != row["side"]:
                    row["side"], row["rule"] = got, DIRECTION
            if row["category"] in NAME_CATEGORIES and row["lexicon_side"] in partisan:
                span = _delegitimiser(folded, row, quotes, qstarts, bounds)
                if span is None:
                    continue
                if vmap.voice(*span)[0] == voicemod.ATTRIBUTED:
                    row["side"], row["rule"] = "none", "attributed"
                else:
                    row["side"] = _opposite(row["lexicon_side"], partisan) or "none"
                    row["rule"], row["voice"] = DELEGITIMISED, voicemod.AUTHORIAL
