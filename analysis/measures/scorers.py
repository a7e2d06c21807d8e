"""TextBlob (PatternAnalyzer) and VADER scores, equal to the libraries' own, computed faster.

* ``textblob_sentiment``: polarity in [-1, 1], subjectivity in [0, 1] and the assessments of
  ``textblob.en.sentiment`` (the numbers of ``TextBlob(text).sentiment_assessments``).
* ``vader_polarity_scores``: ``SentimentIntensityAnalyzer().polarity_scores`` (compound in [-1, 1]).
* ``vader_valences``: what ``analysis.measures.sentiment.vader_valences`` returns.

Each follows the library's code rule by rule on the library's own data (lexicons, emoticon and
emoji tables, constants); only the bookkeeping differs: plain-dict lookups instead of TextBlob's
lazy dictionary, each white-space piece tokenised once and remembered, and VADER's lower-cased
words built once per sentence instead of once per rule. Importing this module with library
versions other than ``VERIFIED`` raises RuntimeError.
"""
from __future__ import annotations

import functools
import re
import string
from importlib import metadata

import textblob._text as pattern_text
from textblob.en import sentiment as pattern_sentiment
from vaderSentiment import vaderSentiment as vader

#: Library versions whose code the fast paths reproduce (and were tested against).
VERIFIED = {"textblob": "0.20.1", "vaderSentiment": "3.3.2"}


def check_versions() -> None:
    """Raise RuntimeError unless the installed textblob and vaderSentiment are ``VERIFIED``."""
    wrong = []
    for package, expected in VERIFIED.items():
        installed = metadata.version(package)
        if installed != expected:
            wrong.append(f"{package} {installed} (verified: {expected})")
    if wrong:
        raise RuntimeError("analysis.measures.scorers reproduces the code of specific library versions; "
                           "installed: " + ", ".join(wrong) + ". Re-verify the scorers (tests/test_scorers.py) "
                           "and update VERIFIED, or install the verified versions.")


check_versions()


# --- TextBlob (pattern) ------------------------------------------------------------------------

len(pattern_sentiment)  # loads the lazy lexicon
#: word -> (polarity, subjectivity, intensity, is a modifier, label), for the words that the
#: library assesses when no part-of-speech tag is given (entries with a ``None`` tag).
_TB_WORDS = {
    word: (*tags[None], any(m in tags for m in pattern_sentiment.modifiers), pattern_sentiment.labeler.get(word))
    for word, tags in dict.items(pattern_sentiment) if None in tags
}
_TB_NEGATIONS = frozenset(pattern_sentiment.negations)
_TB_MODIFIER = pattern_sentiment.modifier

# reversed, so that the first group (in table order) holding a face wins, as in the library's scan
_EMOTICON_POLARITY = {face.lower(): polarity for (_, polarity), faces in reversed(pattern_text.EMOTICONS.items())
                      for face in faces}
_PUNCTUATION = pattern_text.PUNCTUATION
_LEAD = tuple(_PUNCTUATION.replace(".", ""))
_TRAIL = _LEAD + (".",)
_REPLACE = pattern_text.replacements
# each contraction pattern is a literal, so re.sub(a, b, s) == s.replace(a, b)
_REPLACE_ITEMS = tuple(_REPLACE.items())
assert all(re.escape(a) == a and "\\" not in b for a, b in _REPLACE_ITEMS)
_ABBREVIATIONS = pattern_text.ABBREVIATIONS
_ABBR = (pattern_text.RE_ABBR1.match, pattern_text.RE_ABBR2.match, pattern_text.RE_ABBR3.match)
_EOS = pattern_text.EOS
_QUOTES = (("“", " “ "), ("”", " ” "), ("‘", " ‘ "), ("’", " ’ "), ("'", " ' "), ('"', ' " '))
_SARCASM, _SARCASM_SUB = pattern_text.RE_SARCASM.search, pattern_text.RE_SARCASM.sub
_EMOTICONS_RE, _EMOTICONS_SUB = pattern_text.RE_EMOTICONS.search, pattern_text.RE_EMOTICONS.sub
_EOS_MARKS = ("...", ".", "!", "?", _EOS)
_EOS_RUN = ("'", '"', "”", "’", "...", ".", "!", "?", ")", _EOS)
_MOOD, _IRONY = pattern_text.MOOD, pattern_text.IRONY
_PIECES: dict[str, tuple] = {}
_PIECES_MAX = 200_000


def _split_piece(t: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """One white-space piece as ``textblob._text.find_tokens`` splits it: its tokens, the
    lower-cased tokens without end-of-sentence markers, and those (not lower-cased) joined."""
    tokens, tail = [], []
    while t.startswith(_LEAD) and t not in _REPLACE:
        tokens.append(t[0])
        t = t[1:]
    while t.endswith(_TRAIL) and t not in _REPLACE:
        if t.endswith(_LEAD):
            tail.append(t[-1])
            t = t[:-1]
        if t.endswith("..."):
            tail.append("...")
            t = t[:-3].rstrip(".")
        if t.endswith("."):
            if t in _ABBREVIATIONS or any(match(t) is not None for match in _ABBR):
                break
            tail.append(t[-1])
            t = t[:-1]
    if t != "":
        tokens.append(t)
    tokens.extend(reversed(tail))
    kept = [tok for tok in tokens if tok != _EOS]
    return tuple(tokens), tuple(tok.lower() for tok in kept), " ".join(kept)


def _pieces(s: str) -> list[tuple]:
    cache = _PIECES
    if len(cache) > _PIECES_MAX:
        cache.clear()
    out = []
    for piece in s.split():
        found = cache.get(piece)
        if found is None:
            found = cache[piece] = _split_piece(piece)
        out.append(found)
    return out


def _sentences(tokens: list[str]) -> list[str]:
    """The sentence loop of ``find_tokens``: sarcasm marks and emoticons are re-joined per sentence."""
    sentences, i, j = [[]], 0, 0
    while j < len(tokens):
        if tokens[j] in _EOS_MARKS:
            while j < len(tokens) and tokens[j] in _EOS_RUN:
                if tokens[j] in ("'", '"') and sentences[-1].count(tokens[j]) % 2 == 0:
                    break
                j += 1
            sentences[-1].extend(t for t in tokens[i:j] if t != _EOS)
            sentences.append([])
            i = j
        j += 1
    sentences[-1].extend(tokens[i:j])
    joined = (_SARCASM_SUB("(!)", " ".join(s)) for s in sentences if len(s) > 0)
    return [_EMOTICONS_SUB(lambda m: m.group(1).replace(" ", "") + m.group(2), s) for s in joined]


def _textblob_words(text: str) -> list[str]:
    """The lower-cased words ``textblob.en.sentiment`` assesses for a string."""
    s = str(text)
    if "'" in s:
        for a, b in _REPLACE_ITEMS:
            s = s.replace(a, b)
    for a, b in _QUOTES:
        s = s.replace(a, b)
    pieces = _pieces(s)
    joined = " ".join([p[2] for p in pieces if p[2]])
    if _EMOTICONS_RE(joined) is None and ("!" not in joined or _SARCASM(joined) is None):
        # Neither pattern can change a sentence, so sentence boundaries do not matter either.
        return [w for p in pieces for w in p[1]]
    s = s.replace("\r\n", "\n")
    if "\n\n" in s:
        s = re.sub(r"\n{2,}", " %s " % _EOS, s)
        pieces = _pieces(s)
    return [w.lower() for w in " ".join(_sentences([t for p in pieces for t in p[0]])).split()]


def textblob_sentiment(text: str) -> tuple[float, float, list]:
    """``(polarity, subjectivity, assessments)`` of ``textblob.en.sentiment(text)``.

    Polarity is in [-1, 1], subjectivity in [0, 1]; each assessment is
    ``(words, polarity, subjectivity, label)`` for one scoring word or phrase.
    """
    words = _TB_WORDS
    a = []  # [words, polarity, subjectivity, intensity, sign, label]
    m = None  # preceding modifier
    n = None  # preceding negation
    for w in _textblob_words(text):
        known = words.get(w)
        if known is not None:
            p, s, i, is_modifier, label = known
            if m is None:
                a.append([[w], p, s, i, 1, label])
            else:
                last = a[-1]
                last[0].append(w)
                last[1] = max(-1.0, min(p * last[3], +1.0))
                last[2] = max(-1.0, min(s * last[3], +1.0))
                last[3] = i
                last[5] = label
            if n is not None:
                last = a[-1]
                last[0].insert(0, n)
                last[3] = 1.0 / last[3]
                last[4] = -1
            m = w if is_modifier else None
            n = w if w in _TB_NEGATIONS else None
        else:
            if w in _TB_NEGATIONS:
                n = w
            elif n and len(w.strip("'")) > 1:
                n = None
            if n is not None and m is not None and _TB_MODIFIER(m):
                a[-1][0].append(n)
                a[-1][4] = -1
                n = None
            elif m is not None and len(w) > 2:
                m = None
            if w == "!" and len(a) > 0:
                a[-1][0].append("!")
                a[-1][1] = max(-1.0, min(a[-1][1] * 1.25, +1.0))
            if w == "(!)":
                a.append([[w], 0.0, 1.0, 1.0, 1, _IRONY])
            face = _EMOTICON_POLARITY.get(w)
            if face is not None and w.isalpha() is False and len(w) <= 5 and w not in _PUNCTUATION:
                a.append([[w], face, 1.0, 1.0, 1, _MOOD])
    assessments = [(w, p * -0.5 if n < 0 else p, s, x) for w, p, s, _, n, x in a]
    polarity = subjectivity = 0
    for _, p, s, _ in assessments:
        polarity += p
        subjectivity += s
    count = float(len(assessments) or 1)
    return polarity / count, subjectivity / count, assessments


# --- VADER -------------------------------------------------------------------------------------

_PUNC = string.punctuation
_BOOSTERS, _SPECIAL = vader.BOOSTER_DICT, vader.SPECIAL_CASES
_NEGATE = frozenset(vader.NEGATE)
_N_SCALAR, _C_INCR = vader.N_SCALAR, vader.C_INCR
_SO_THIS = ("so", "this")


class FastAnalyzer(vader.SentimentIntensityAnalyzer):
    """``SentimentIntensityAnalyzer`` (same lexicon files, emoji table and rules) whose token
    loop reads one lower-cased word list instead of rebuilding it for every rule."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)
        self.ascii_emoji = any(k.isascii() for k in self.emoji_chars)

    def replace_emoji(self, text: str) -> str:
        """``text`` with every emoji replaced by its description, as ``polarity_scores`` does."""
        if (text.isascii() and not self.ascii_emoji) or self.emoji_chars.isdisjoint(text):
            return text
        out, prev_space, emojis = [], True, self.emojis
        for ch in text:
            if ch in emojis:
                if not prev_space:
                    out.append(" ")
                out.append(emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def token_valences(self, text: str) -> tuple[list[str], list]:
        """VADER's tokens of ``text`` (emoji already replaced, stripped) and their valences after
        every rule including "but", before normalisation (ints 0 where the library has them)."""
        words = []
        for token in text.split():
            stripped = token.strip(_PUNC)
            words.append(token if len(stripped) <= 2 else stripped)
        lowers = [w.lower() for w in words]
        size = len(words)
        capitals = sum(map(str.isupper, words))
        cap_diff = 0 < size - capitals < size
        lexicon = self.lexicon
        sentiments = [0] * size
        for i, low in enumerate(lowers):
            if low in lexicon and not (low in _BOOSTERS or (i < size - 1 and low == "kind" and lowers[i + 1] == "of")):
                sentiments[i] = self._valence(words, lowers, i, cap_diff)
        if "but" in lowers:
            sentiments = self._but_check(words, sentiments)
        return words, sentiments

    def _valence(self, words, lowers, i, cap_diff):
        """``sentiment_valence`` for the lexicon word at ``i``."""
        lexicon = self.lexicon
        low = lowers[i]
        valence = lexicon[low]
        if low == "no" and i != len(words) - 1 and lowers[i + 1] in lexicon:
            valence = 0.0
        if ((i > 0 and lowers[i - 1] == "no") or (i > 1 and lowers[i - 2] == "no")
                or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ["or", "nor"])):
            valence = lexicon[low] * _N_SCALAR
        if words[i].isupper() and cap_diff:
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        for start_i in range(0, 3):
            j = i - (start_i + 1)
            if i > start_i and lowers[j] not in lexicon:
                s = 0.0  # scalar_inc_dec
                if lowers[j] in _BOOSTERS:
                    s = _BOOSTERS[lowers[j]]
                    if valence < 0:
                        s *= -1
                    if words[j].isupper() and cap_diff:
                        if valence > 0:
                            s += _C_INCR
                        else:
                            s -= _C_INCR
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation(valence, lowers, start_i, i)
                if start_i == 2:
                    valence = _special_idioms(valence, lowers, i)
        if i > 1 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
            if lowers[i - 2] != "at" and lowers[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence

    def polarity_scores(self, text):
        """``{'neg', 'neu', 'pos', 'compound'}``: shares in [0, 1] and compound in [-1, 1]."""
        text = self.replace_emoji(text).strip()
        return self.score_valence(self.token_valences(text)[1], text)


def _negated(low: str) -> bool:
    return low in _NEGATE or "n't" in low


def _negation(valence, lowers, start_i, i):
    """``_negation_check`` on the lower-cased words."""
    if start_i == 0:
        if _negated(lowers[i - 1]):
            valence = valence * _N_SCALAR
    elif start_i == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif not (lowers[i - 2] == "without" and lowers[i - 1] == "doubt") and _negated(lowers[i - 2]):
            valence = valence * _N_SCALAR
    else:
        if (lowers[i - 3] == "never" and lowers[i - 2] in _SO_THIS) or lowers[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif (not (lowers[i - 3] == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"))
              and _negated(lowers[i - 3])):
            valence = valence * _N_SCALAR
    return valence


def _special_idioms(valence, lowers, i):
    """``_special_idioms_check`` on the lower-cased words (called for i >= 3)."""
    w0, w1, w2, w3 = lowers[i], lowers[i - 1], lowers[i - 2], lowers[i - 3]
    twoone, threetwo = f"{w2} {w1}", f"{w3} {w2}"
    threetwoone = f"{w3} {w2} {w1}"
    for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", twoone, threetwoone, threetwo):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    if len(lowers) - 1 > i:
        seq = f"{w0} {lowers[i + 1]}"
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
    if len(lowers) - 1 > i + 1:
        seq = f"{w0} {lowers[i + 1]} {lowers[i + 2]}"
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTERS:
            valence = valence + _BOOSTERS[n_gram]
    return valence


@functools.cache
def fast_analyzer() -> FastAnalyzer:
    """The one FastAnalyzer of the process (loading the lexicons takes time)."""
    return FastAnalyzer()


def vader_polarity_scores(text: str) -> dict:
    """``SentimentIntensityAnalyzer().polarity_scores(text)``: ``neg``, ``neu``, ``pos`` in
    [0, 1] (rounded to 3 places) and ``compound`` in [-1, 1] (rounded to 4)."""
    return fast_analyzer().polarity_scores(text)


def vader_valences(text: str) -> dict:
    """What ``analysis.measures.sentiment.vader_valences`` returns: ``tokens``, ``valences``
    (floats on VADER's -4…+4 scale after its rules), ``spans`` (or None when emoji were
    rewritten), ``punctuation`` (signed "!"/"?" emphasis) and unrounded ``compound`` in [-1, 1]."""
    analyzer, clean = fast_analyzer(), fast_analyzer().replace_emoji(text).strip()
    return valence_details(text, clean, *analyzer.token_valences(clean), analyzer)


def valence_details(text: str, clean: str, tokens: list[str], sentiments: list[float], analyzer) -> dict:
    """``vader_valences``' dict from token valences (``clean``: ``text``, emoji rewritten, stripped)."""
    total = float(sum(sentiments))
    emphasis = analyzer._punctuation_emphasis(clean) if sentiments else 0.0
    punctuation = (emphasis if total > 0 else -emphasis if total < 0 else 0.0) + 0.0  # never -0.0
    spans, pos = None, len(text) - len(text.lstrip())
    if clean == text.strip():
        spans = []
        for raw in clean.split():
            at = text.index(raw, pos)
            inner = vader.SentiText._strip_punc_if_word(raw)
            lead = raw.index(inner)
            spans.append((at + lead, at + lead + len(inner)))
            pos = at + len(raw)
    compound = vader.normalize(total + punctuation) if sentiments else 0.0
    return {"tokens": list(tokens), "valences": [float(v) for v in sentiments], "spans": spans,
            "punctuation": punctuation, "compound": compound}
