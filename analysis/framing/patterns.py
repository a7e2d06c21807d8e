"""The variant syntax shared by lexicons and actor lists, and the one matcher that finds them.

A variant is a lower-case phrase. A space matches any run of white space, a hyphen matches a
hyphen, a space or nothing ("anti-terror" also finds "anti terror", "antiterror"), curly and
straight quotes and all dashes are alike, and ``*`` at the end of a word matches any word
ending (the LIWC/quanteda dictionary convention: ``liberat*``). Matching runs on
``text.matching_form``, which has the length of the original, so offsets slice the text
exactly; a match never starts or ends inside a word, nor (with ``compound=True``) inside a
hyphenated compound. Where variants overlap, the longest wins.

Actor lists may also give regular expressions; one that could backtrack catastrophically
(a repeated group that itself repeats, e.g. ``(a+)+``) is refused when loaded.
"""
from __future__ import annotations

import re
import re._parser as sre_parse
from typing import Iterable

from analysis import text as textmod

_VARIANT_RE = re.compile(r"^[^\W\d_][\w'.,\- ]*\*?$|^\d[\w'.,\- ]*\*?$")
# A space or hyphen next to another space or hyphen makes several atoms match the same white
# space, which backtracks exponentially on long runs of spaces ("a - - - - b").
_AMBIGUOUS_RE = re.compile(r"[\s-]{2,}")
_KEY_RE = re.compile(r"[\s\-]+")
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT)


def variant_key(variant: str) -> str:
    """The comparison key of a variant or of a matched string: folded, no spaces or hyphens."""
    return _KEY_RE.sub("", textmod.matching_form(variant.strip()))


def variant_problem(variant: str) -> str | None:
    """Why ``variant`` is not a valid pattern, or None when it is."""
    if not variant:
        return "an empty variant (two '|' in a row or a trailing '|')"
    low = variant.lower()
    if not _VARIANT_RE.match(low) or "*" in low[:-1] or _AMBIGUOUS_RE.search(low):
        return f"broken variant pattern {variant!r}"
    return None


def variant_atoms(variant: str) -> list[str]:
    """One regular-expression atom per character of the variant's matching form."""
    return [r"\s+" if ch == " " else r"[-\s]?" if ch == "-" else r"\w*" if ch == "*" else re.escape(ch)
            for ch in textmod.matching_form(variant.strip())]


def variant_regex(variant: str) -> str:
    """Regular expression (on the matching form) for one variant, without word boundaries."""
    return "".join(variant_atoms(variant))


def trie_regex(sequences: Iterable[list[str]]) -> str:
    """One alternation of atom sequences, compressed as a trie (shared prefixes matched once)."""
    trie: dict = {}
    for atoms in sequences:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict) -> str:
        # a "*" (any word ending) is tried last, so that a longer literal variant still wins
        ordered = sorted(node.items(), key=lambda kv: (kv[0] == r"\w*", kv[0]))
        branches = [atom + emit(child) for atom, child in ordered if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?" if len(branches) > 1 or len(branches[0]) > 1 else f"{body}?"
        return body

    return emit(trie)


def _nested_repeat(parsed, inside: bool = False) -> bool:
    for op, arg in parsed:
        if op in _REPEATS:
            low, high, sub = arg
            if inside and high > 1:
                return True
            if _nested_repeat(sub, inside or high > 1):
                return True
        elif op == sre_parse.SUBPATTERN:
            if _nested_repeat(arg[-1], inside):
                return True
        elif op == sre_parse.BRANCH:
            if any(_nested_repeat(branch, inside) for branch in arg[1]):
                return True
    return False


def user_regex(pattern: str) -> tuple[re.Pattern | None, str | None]:
    """Compile a user's regular expression in the form it is used (whole words, any case).

    Returns ``(compiled, None)`` or ``(None, reason)`` for a pattern that does not compile,
    matches empty text, or nests repetitions (catastrophic backtracking).
    """
    try:
        compiled = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        return None, f"bad regular expression {pattern!r}: {exc}"
    if re.fullmatch(pattern, "") is not None:
        return None, f"pattern {pattern!r} matches empty text"
    if _nested_repeat(parsed):
        return None, f"pattern {pattern!r} repeats a group that itself repeats, which can take exponential time"
    return compiled, None


class PhraseMatcher:
    """All variants of a dictionary as one regular expression (plus optional user regexes).

    ``variants``: ``(variant, label)`` pairs in priority order (the first label of a variant
    key wins); ``patterns``: ``(compiled regex, label)``. ``find`` returns non-overlapping
    ``(start, end, label)`` hits, longest first at a position.
    """

    def __init__(self, variants: Iterable[tuple[str, str]], patterns: Iterable[tuple[re.Pattern, str]] = (),
                 compound: bool = True):
        self.literal: dict[str, str] = {}
        self.globs: list[tuple[re.Pattern, str]] = []
        sequences = []
        for variant, label in variants:
            sequences.append(variant_atoms(variant))
            if variant.endswith("*"):
                self.globs.append((re.compile(variant_regex(variant)), label))
            else:
                self.literal.setdefault(variant_key(variant), label)
        before, after = (r"(?<![\w])(?<!\w-)", r"(?![\w])(?!-\w)") if compound else (r"(?<!\w)", r"(?!\w)")
        self.pattern = re.compile(f"{before}(?:{trie_regex(sequences)}){after}") if sequences else None
        self.patterns = list(patterns)

    def label_of(self, matched: str) -> str | None:
        """The label of a matched string (literal variants first, then ``*`` variants)."""
        label = self.literal.get(variant_key(matched))
        if label is None:
            folded = textmod.matching_form(matched)
            for pattern, glob_label in self.globs:
                if pattern.fullmatch(folded):
                    return glob_label
        return label

    def find(self, text: str, start: int = 0, end: int | None = None,
             folded: str | None = None) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` of every hit in ``text[start:end]``, offsets into ``text``."""
        folded = textmod.matching_form(text) if folded is None else folded
        end = len(text) if end is None else end
        hits = []
        if self.pattern is not None:
            for m in self.pattern.finditer(folded, start, end):
                label = self.label_of(m.group())
                if label is not None:
                    hits.append((m.start(), m.end(), label))
        if not self.patterns:
            return hits
        for regex, label in self.patterns:
            hits.extend((m.start(), m.end(), label) for m in regex.finditer(folded, start, end) if m.end() > m.start())
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept, last_end = [], -1
        for hit in hits:
            if hit[0] >= last_end:
                kept.append(hit)
                last_end = hit[1]
        return kept
