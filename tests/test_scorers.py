"""The fast scorers return exactly what TextBlob's pattern scorer and vaderSentiment return.

Every comparison is exact: ``==`` and equal ``repr`` (so -0.0 vs 0.0 and int vs float count
as differences), on the shipped texts, a generated set of sentences, hand-written edge cases and
hypothesis-generated text.
"""
import functools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textblob import TextBlob
from textblob import _text as pattern_text
from textblob.en import sentiment as pattern_sentiment
from vaderSentiment import vaderSentiment as vader

from analysis.measures import scorers, sentiment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GENERATED_SEED = 20231207
GENERATED_SIZE = 20_000


# --- references: the libraries themselves ---------------------------------------------------

@functools.cache
def library_analyzer():
    return vader.SentimentIntensityAnalyzer()


def library_textblob(text):
    score = pattern_sentiment(text)
    return score[0], score[1], score.assessments


def library_valences(text):
    """Per-token valences computed with the library's own ``sentiment_valence`` and ``_but_check``
    (``analysis.measures.sentiment.library_vader_valences``, the library copy kept beside the fast path)."""
    return sentiment.library_vader_valences(text)


def differences(texts, valences=True):
    """(model, text, library, fast) for every text where a fast scorer differs at all."""
    analyzer, found = library_analyzer(), []
    for text in texts:
        pairs = [("textblob", library_textblob(text), scorers.textblob_sentiment(text)),
                 ("vader", analyzer.polarity_scores(text), scorers.vader_polarity_scores(text))]
        if valences:
            pairs.append(("vader_valences", library_valences(text), scorers.vader_valences(text)))
        for model, theirs, ours in pairs:
            if not (theirs == ours and repr(theirs) == repr(ours)):
                found.append((model, text, theirs, ours))
    return found


def assert_identical(texts, valences=True):
    found = differences(texts, valences)
    assert not found, f"{len(found)} differences, first: {found[:3]}"


# --- (a) the shipped texts ------------------------------------------------------------------

def seed_sentences():
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            sentences.extend(s for s in paragraph.split(". ") if s.strip())
    return sentences


def test_seed_sentences_are_identical():
    sentences = seed_sentences()
    assert len(sentences) > 50
    assert_identical(sentences)


def test_seed_texts_whole_are_identical():
    assert_identical([path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))])


def test_seed_sentences_match_textblob_sentiment_assessments():
    for text in seed_sentences()[:200] + EDGE_CASES:
        theirs = TextBlob(text).sentiment_assessments
        ours = scorers.textblob_sentiment(text)
        assert repr(ours) == repr((theirs.polarity, theirs.subjectivity, theirs.assessments)), text


# --- (b) a generated set --------------------------------------------------------------------

def _pools():
    words = [w for path in sorted(SEEDS.glob("*.txt")) for w in path.read_text(encoding="utf-8").split()]
    analyzer = library_analyzer()
    faces = sorted(f for group in pattern_text.EMOTICONS.values() for f in group)
    emoji = sorted(k for k in analyzer.emojis if len(k) == 1)
    return {
        "seed": (3.0, words),
        "textblob": (3.0, sorted(dict.keys(pattern_sentiment))),
        "vader": (3.0, sorted(analyzer.lexicon)),
        "booster": (1.5, sorted(vader.BOOSTER_DICT)),
        "negation": (1.5, sorted(vader.NEGATE) + ["no", "not", "n't", "never", "never so", "never this",
                                                  "without doubt", "without a doubt", "no or", "nor"]),
        "idiom": (1.0, sorted(vader.SPECIAL_CASES) + sorted(vader.SENTIMENT_LADEN_IDIOMS)
                  + ["at least", "very least", "least", "kind of", "sort of", "but", "BUT", "But"]),
        "emoticon": (0.6, faces + [": )", ": - (", "( ! )", "(!)", "(8)", "X D", "xd", ": ' (", "8 )"]),
        "emoji": (0.3, emoji[::7] + ["😀", "💔", "❤", "👍"]),
        "number": (0.4, ["10", "3.5", "100%", "$5", "1,000", "8", "2023-09-19", "1/2", "-3", "12:30"]),
        "punctuation": (1.2, list("!?.,;:()[]{}\"'-") + ["!!!", "???", "?!", "...", "—", "“", "”", "‘", "’"]),
        "misc": (0.4, ["U.S.", "e.g.", "Mr.", "i.e.", "etc.", "END-OF-SENTENCE", "\n\n", "\r\n", "\t", "\xa0",
                       "well-known", "high-quality", "don't", "isn't", "I'd", "it's", "we'll", "they're"]),
    }


def generated_sentences(size=GENERATED_SIZE, seed=GENERATED_SEED):
    """``size`` sentences (fixed ``seed``): shipped sentences with words swapped and inserted,
    and random combinations of shipped words, lexicon words, boosters, negations, idioms,
    emoticons, emoji, numbers and punctuation, with random capitals and attached punctuation."""
    rng = random.Random(seed)
    pools = _pools()
    names = list(pools)
    weights = [pools[n][0] for n in names]
    base = seed_sentences()
    marks = ["!", "!!", "!!!", "?", "??", "???", "?!", ".", ",", "...", ")", '"']

    def pick():
        return rng.choice(pools[rng.choices(names, weights)[0]][1])

    def shape(word):
        r = rng.random()
        if r < 0.08:
            word = word.upper()
        elif r < 0.13:
            word = word.capitalize()
        if rng.random() < 0.08:
            word += rng.choice(marks)
        if rng.random() < 0.03:
            word = rng.choice(["(", '"', "“", "'", "*"]) + word
        return word

    out = []
    for _ in range(size):
        if rng.random() < 0.35:
            words = []
            for word in rng.choice(base).split():
                r = rng.random()
                words.append(pick() if r < 0.3 else word)
                if r > 0.9:
                    words.append(pick())
        else:
            words = [pick() for _ in range(rng.randint(1, 30))]
        words = [shape(w) for w in words]
        seps = rng.choices([" ", "", "  ", "\n", "\n\n"], [90, 4, 3, 2, 1], k=len(words))
        text = "".join(w + s for w, s in zip(words, seps)).strip(" ")
        r = rng.random()
        if r < 0.15:
            text += rng.choice(["!", "!!!", "!!!!!!", "?", "???", "????", "?!?!"])
        elif r < 0.18:
            text = text.upper()
        out.append(text)
    return out


@functools.cache
def generated():
    return generated_sentences()


def test_generated_set_covers_the_rules():
    texts = generated()
    assert len(texts) >= 20_000 and len(set(texts)) > 19_000
    joined = " ".join(texts).lower()
    for needle in ["not ", "isn't", "never so", "but", "kind of", "the shit", "least", "!!!", "???", ":)",
                   "<3", "(!)", "😀", "end-of-sentence"]:
        assert needle in joined, needle


def test_generated_set_is_identical():
    assert_identical(generated())


# --- (c) edge cases ------------------------------------------------------------------------

LONG = " ".join(seed_sentences()) * 3
EDGE_CASES = [
    "not good", "isn't bad", "never so great", "It is not good.", "This isn't bad at all.",
    "Never so great a day.", "Never this good!", "no good", "no no no", "nothing bad or good",
    "not very good", "not a good idea", "really not good", "not really good at all",
    "Without a doubt, an excellent idea.", "without doubt good", "at least it works",
    "the very least good", "the least good option", "It was good, but the ending was bad.", "but",
    "BUT it was awful", "good but bad but good", "kind of good", "sort of bad", "kinda nice",
    ":)", ":-(", "<3", "I love it <3", ": )", ": - (", "( ! )", "great (!)", "XD", "X D", "xD", "o.O",
    ":-.", ">.>", "°O°", ":'(", "(8)", "page 8)", "abc8 )",
    "😀", "💔", "I am 😀 happy💔", "😀😀😀", "❤️ it", "👍👍",
    "10", "3.5", "100%", "It rose 10 percent to 3.5 million, or 100%.", "$5,000", "2023-09-19",
    "VERY GOOD", "The deal is VERY GOOD", "GREAT!!!", "The talks were GREAT and HORRIBLE", "ALL CAPS ONLY",
    "What???", "Really?!?!", "Good!!!!!", "Bad!!!", "Good !", "good!!!!!!!!", "??????",
    "", " ", "\n\n\t ", "\r\n\r\n", "a\n\nb", "good\n\nbad", "good :\n\n-) bad", "good :\r\n\r\n-) bad",
    "great :\r\n-) day", "nice :\r\r-) day", "sad :\n\nD", "END-OF-SENTENCE", "good END-OF-SENTENCE bad",
    LONG,
    "Das ist sehr gut, aber nicht schlecht.", "C'est magnifique !", "Это очень хорошо.", "这很好",
    "هذا جيد جدا", "İstanbul ÇOK güzel",
    "“Great,” he said. ‘Not bad’ — she said’s", "He said \"good\" and 'bad'.", "don’t worry",
    "well-known, high-quality, kind-of, sort-of, uh-uh, self-defeating", "U.S. officials said e.g. Mr. Smith",
    "He said... nothing. Good...", "don't can't won't I'd I'm it's we'll they're we've",
    "the shit", "the bomb", "bad ass", "yeah right", "kiss of death", "to die for", "a beating heart",
    "cut the mustard", "in the red", "no or nor bad", "The bus stop was nice",
]


@pytest.mark.parametrize("text", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_edge_case_is_identical(text):
    assert_identical([text])


def test_edge_cases_take_the_expected_paths():
    assert scorers.textblob_sentiment("")[:2] == (0.0, 0.0)
    assert scorers.vader_polarity_scores("   ") == {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    assert scorers.textblob_sentiment("not good")[0] < 0 < scorers.textblob_sentiment("good")[0]
    assert scorers.vader_polarity_scores("😀")["compound"] > 0
    broken = scorers.vader_valences("💔")
    assert broken["tokens"] == ["broken", "heart"] and broken["spans"] is None


# --- (d) hypothesis ------------------------------------------------------------------------

_VOCAB = sorted({w for _, words in _pools().values() for w in words[::3]})
_SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "\t", "\xa0"])
_PHRASES = st.lists(st.tuples(st.sampled_from(_VOCAB), _SEPARATORS), max_size=30).map(
    lambda parts: "".join(w + s for w, s in parts))
_FACES = st.text(alphabet=st.sampled_from(list(":;-()[]<>!?.,'\"DdOoPpXx8=*/\\^3 ")), max_size=40)


@settings(max_examples=500, database=None, deadline=None)
@given(st.one_of(st.text(max_size=200), _PHRASES, _FACES))
def test_hypothesis_text_is_identical(text):
    assert_identical([text])


# --- versions ------------------------------------------------------------------------------

def test_check_versions_passes_on_the_verified_versions():
    scorers.check_versions()


def test_check_versions_raises_on_another_version(monkeypatch):
    real = scorers.metadata.version
    monkeypatch.setattr(scorers.metadata, "version",
                        lambda name: "9.9.9" if name == "vaderSentiment" else real(name))
    with pytest.raises(RuntimeError, match=r"vaderSentiment 9\.9\.9 \(verified: 3\.3\.2\)"):
        scorers.check_versions()
