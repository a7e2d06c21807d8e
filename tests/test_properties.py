"""Property-based tests: offsets always slice the original text, for arbitrary Unicode input."""
import html
import re

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from analysis import corpus, text
from analysis.input import decode as inputs
from analysis.framing import markers
from analysis.presentation import reading

# No example database: tests never write into the repository tree.
PROPERTY = settings(database=None, deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow])

# Arbitrary Unicode with a bias towards what breaks text code: line and paragraph breaks of
# every kind, quotes, dashes, combining marks, letters whose case mapping changes length.
TRICKY = st.sampled_from(list("\r\n\u2028\u2029\x0b\x0c\x85 \t.!?'’\"“”-–—\u00ad\u0301İıßﬁẞ#*<>&") + ["\r\n", "\n\n", "U.S.", "Dr. "])
TEXTS = st.lists(st.one_of(st.characters(codec="utf-8"), TRICKY, st.sampled_from(["Armenia ", "Karabakh ", "said "])),
                 max_size=200).map("".join)


@PROPERTY
@given(TEXTS, st.integers(min_value=0, max_value=1000))
def test_tokens_slice_the_text_in_order_without_overlap(source, offset):
    previous_end = offset
    for token in text.tokens(source, offset):
        assert offset <= token.start < token.end <= offset + len(source)
        assert source[token.start - offset:token.end - offset] == token.text
        assert token.start >= previous_end
        previous_end = token.end


@PROPERTY
@given(TEXTS)
def test_matching_form_keeps_the_length(source):
    folded = text.matching_form(source)
    assert len(folded) == len(source)
    assert text.matching_form(source[:len(source) // 2]) == folded[:len(source) // 2]


@PROPERTY
@given(TEXTS)
def test_parse_article_offsets_slice_the_text(source):
    doc = corpus.parse_article(source)
    assert doc.text == source
    previous_end = 0
    for paragraph in doc.paragraphs:
        assert previous_end <= paragraph.start < paragraph.end <= len(source)
        chunk = source[paragraph.start:paragraph.end]
        assert chunk == chunk.strip() and chunk
        previous_end = paragraph.end
    previous_end = 0
    for sentence in doc.sentences:
        paragraph = doc.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        assert sentence.start >= previous_end
        assert sentence.section == paragraph.section
        previous_end = sentence.end
    assert {s.paragraph for s in doc.sentences} <= {p.index for p in doc.paragraphs}


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_text_or_a_clear_error(data):
    try:
        decoded, _, warnings = inputs.decode_bytes(data, "x.txt")
    except inputs.InputError as exc:
        assert exc.problems and all(p.file == "x.txt" and p.is_error for p in exc.problems)
    else:
        assert isinstance(decoded, str)
        assert all(p.severity == "warning" for p in warnings)


@PROPERTY
@given(TEXTS)
def test_html_extraction_never_fails_and_leaves_no_tags(source):
    extracted = inputs.html_to_text("<html><body><p>" + source + "</p></body></html>")
    assert "<p>" not in extracted and "</body>" not in extracted


@PROPERTY
@given(TEXTS)
def test_marker_hits_slice_the_original_text(source):
    match = markers.matcher()
    folded = text.matching_form(source)
    previous_end = 0
    for start, end, concept in match.find(source):
        assert previous_end <= start < end <= len(source)
        assert text.matching_form(source[start:end]) == folded[start:end]
        assert match.label_of(folded[start:end]) == concept
        previous_end = end


def _strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


@PROPERTY
@given(TEXTS, st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=8))
def test_reading_view_gives_back_the_original_text(source, spans):
    doc = corpus.parse_article(source, "d")
    rows = [{"doc_id": "d", "start": min(s, len(source)), "end": min(s + n, len(source)), "side": "az",
             "voice": "authorial", "concept": "c<script>", "category": "x\"y", "lexicon_side": "az",
             "strength": "strong", "rule": "", "neutral_alternative": "a & b", "source": "s"}
            for s, n in spans]
    hits = pd.DataFrame(rows, columns=["doc_id", "start", "end", "side", "voice", "concept", "category",
                                       "lexicon_side", "strength", "rule", "neutral_alternative", "source"])
    fragment = reading.fragment(doc, hits)
    assert _strip_tags(fragment) == source
    assert "<script" not in fragment


@PROPERTY
@given(TEXTS)
def test_reading_view_of_real_hits_gives_back_the_original_text(source):
    doc = corpus.parse_article("Headline\n\n" + source, "d", {"outlet": "o"})
    hits = markers.match_document(doc)
    fragment = reading.fragment(doc, hits)
    assert _strip_tags(fragment) == doc.text
    assert fragment.count("<mark ") == len(hits)


def _share_by_characters(vmap, doc, start, end):
    """The definition: each non-space character of the span, covered by any attributed region or not."""
    covered = [False] * (end - start)
    for region in vmap.regions:
        for i in range(max(region.start, start), min(region.end, end)):
            covered[i - start] = True
    chars = [c for c, ch in zip(covered, doc.text[start:end]) if not ch.isspace()]
    return sum(chars) / len(chars) if chars else 0.0


QUOTED = st.lists(st.one_of(TRICKY, st.sampled_from(["“Peace”, he said. ", "'a word' ", "« non » ", "she said ",
                                                     "according to officials, ", "x", " "])), max_size=60).map("".join)


@PROPERTY
@given(QUOTED)
def test_attributed_share_counts_each_non_space_character_once(source):
    from analysis.corpus import voice

    doc = corpus.parse_article("Headline\n\n" + source, "p")
    vmap = voice.voice_map(doc)
    for s in doc.sentences:
        assert vmap.attributed_share(s.start, s.end) == _share_by_characters(vmap, doc, s.start, s.end)


def _quote_marks_by_characters(chunk):
    """Every character of the definition's scan that is a double mark, with its position."""
    return [(i, ch) for i, ch in enumerate(chunk) if ch in "“«„”»\""]


@PROPERTY
@given(QUOTED)
def test_quote_spans_open_and_close_on_marks_only(source):
    from analysis.corpus import voice

    spans = voice.quote_spans(source)
    marks = {i for i, _ in _quote_marks_by_characters(source)} | {i for i, ch in enumerate(source) if ch in "'’"}
    for a, b in spans:
        assert 0 <= a < b <= len(source)
        assert a in marks or a == 0                         # a span opens on a mark (or carries over)
        assert b - 1 in marks or b == len(source)           # and closes on one (or runs to the end)


def _is_latin(ch):
    code = ord(ch)
    return (code < 0x250 or 0x1E00 <= code <= 0x1EFF or 0x2C60 <= code <= 0x2C7F or 0xA720 <= code <= 0xA7FF
            or 0xFF21 <= code <= 0xFF5A)


@PROPERTY
@given(st.lists(st.one_of(TEXTS, st.sampled_from(["Москва ", "Ελλάδα ", "Ａｂｃ ", "ǅ ", "Ⅻ ½ ", "the "])),
                max_size=8).map("".join))
def test_language_shares_and_words_follow_their_definitions(source):
    n_words, stop_share, non_latin = inputs.language_shares(source)
    sample = source[:inputs.LANGUAGE_SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    assert non_latin == (sum(not _is_latin(ch) for ch in letters) / len(letters) if letters else 0.0)
    folded = [t.lower().replace("’", "'") for t in (m.group() for m in text.TOKEN_RE.finditer(sample))
              if re.search(r"[^\W\d_]", t)]
    expected = [re.sub(r"'s$", "", term) if len(term) > 2 else term for term in folded]
    assert text.words(sample) == expected and n_words == len(expected)


@PROPERTY
@given(TEXTS)
def test_matching_form_is_the_character_fold_then_lower_case(source):
    table = str.maketrans(text._FOLD)
    expected = source.lower().replace("`", "'") if source.isascii() else source.translate(table).lower()
    assert text.matching_form(source) == expected


VERBISH = st.lists(st.one_of(TRICKY, st.sampled_from(["SAİD", "ſaid", "Said ", "told", "TOLD", "according\u00a0to x,",
                                                      "Accordİng to", "K", ", he ſaid.", ", said Putin.", "“x,” Said"])),
                   max_size=40).map("".join)


@PROPERTY
@given(VERBISH)
def test_a_sentence_without_a_speech_verb_matches_no_attribution_rule(source):
    from analysis.corpus import voice

    folded = text.matching_form(source)
    if not voice._may_attribute(source, folded):
        assert voice._TRAILING_RE.search(source) is None
        assert voice._LEADING_RE.match(folded) is None and voice._VERB_RE.search(folded) is None
