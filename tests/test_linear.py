"""Hostile input shapes run in linear time and give the results of the straightforward algorithm.

Each shape is generated here, at a size (100k-325k characters) where the former quadratic or
worse code took from several seconds to minutes, so a regression makes this file take minutes.
The assertions are about behaviour (results equal to a slow reference on small inputs, the
sentence cap, warnings with file and line), never about timings. The reference functions
below are the former implementations, kept here as executable specifications.
"""
import random
import re
import unicodedata

import pytest

from analysis import text as textmod
from analysis.corpus import Document, Paragraph, Sentence, parse, parse_article
from analysis.corpus import voice
from analysis.framing import markers
from analysis.input import decode
from analysis.measures import kwic

MAX = textmod.MAX_SENTENCE_CHARS


# --- 1. voice: speech verbs look back a bounded number of words --------------------------------

def _slow_is_speech(folded, m):
    before, after = folded[:m.start()], folded[m.end():]
    if voice._ADJECTIVAL_BEFORE_RE.search(before) or re.match(r"\s+by\b", after):
        return False
    if m.group().split()[0] in voice._CALLED:
        return bool(voice._CALLED_FOLLOWERS.match(after) or voice._NAMING_BEFORE_RE.search(before))
    return True


def _slow_regions(text, start, end):
    """``voice.sentence_regions`` as first written: every verb re-searches the whole sentence."""
    original = text[start:end]
    folded = textmod.matching_form(original)
    trailing = voice._TRAILING_RE.search(original)
    if trailing:
        return [voice.Region(start, end, f"attribution:{' '.join(trailing.group('verb').lower().split())}")]
    if voice._LEADING_RE.match(folded):
        return [voice.Region(start, end, "attribution:according to")]
    regions = []
    for m in voice._VERB_RE.finditer(folded):
        if (regions and start + m.start() < regions[-1].end) or not _slow_is_speech(folded, m):
            continue
        stop = voice._CLAUSE_END_RE.search(folded, m.end())
        region_end = stop.start() if stop else len(folded)
        if voice._RELATIVE_RE.search(folded[:m.start()]):
            comma = folded.find(",", m.end())
            region_end = min(region_end, comma) if comma >= 0 else region_end
        if region_end > m.end():
            regions.append(voice.Region(start + m.start(), start + region_end,
                                        f"reported_speech:{' '.join(m.group().split())}"))
    return regions


VOICE_WORDS = ["the", "said", "says", "a", "called", "calling", "it", "what", "which", "who", "that", "somewhat",
               "by", "welcomed", "Michel", "ministry", "on", "Thursday", ",", ", but", ";", " - ", '"', "“", "”",
               "'", "according to", "praised", "\n", "its", "whom", "told", "called on", "reported", "x"]


def test_sentence_regions_equal_the_slow_reference_on_small_sentences():
    rng = random.Random(1)
    for _ in range(1500):
        sentence = "".join(rng.choice(VOICE_WORDS) + rng.choice([" ", " ", "  ", ""]) for _ in range(rng.randint(1, 30)))
        sentence = sentence.strip() + rng.choice([".", "", " said Michel."])
        assert voice.sentence_regions(sentence, 0, len(sentence)) == _slow_regions(sentence, 0, len(sentence)), sentence


def test_an_adjectival_said_repeated_over_300k_characters_is_no_reported_speech():
    body = "the said " * 33_334   # the former code took 189 s
    assert voice.sentence_regions(body, 0, len(body)) == []


@pytest.mark.parametrize("unit", ["x said, which said y; ", "A, which said B, ", "said by ", "what they called "])
def test_long_sentences_of_speech_verbs_give_what_the_reference_gives_per_repetition(unit):
    # Regions grow by the same number per repetition: count(n) = a*n + b, fitted on small n.
    small = [len(_slow_regions(unit * n, 0, len(unit * n))) for n in (10, 20)]
    n = 200_000 // len(unit)
    big = unit * n
    expected = small[0] + (small[1] - small[0]) * (n - 10) // 10
    assert len(voice.sentence_regions(big, 0, len(big))) == expected


# --- 2. voice: look-ups by bisection ---------------------------------------------------------

def _one_sentence_document(text: str) -> Document:
    """A document whose whole text is one paragraph and one sentence (no sentence cap)."""
    return Document("d", text, paragraphs=[Paragraph(0, "lead", 0, len(text))],
                    sentences=[Sentence(0, 0, "lead", 0, len(text))])


def _slow_voice(regions, start, end):
    best = None
    for region in regions:
        if region.start <= start and region.end >= end and (best is None or region.reason == "quoted"):
            best = region
    return (voice.ATTRIBUTED, best.reason) if best else (voice.AUTHORIAL, "")


def test_voice_look_ups_in_a_sentence_of_25000_quotes_equal_a_scan_of_every_region():
    unit = '"Khankendi " '
    doc = _one_sentence_document(unit * 25_000)   # 25,000 regions in one sentence
    vmap = voice.voice_map(doc)
    assert len(vmap.regions) == 25_000
    for k in range(25_000):   # the former code scanned every region of the sentence per look-up
        start = k * len(unit)
        assert vmap.voice(start + 1, start + 10) == (voice.ATTRIBUTED, "quoted")
        assert vmap.voice(start + 11, start + 13) == (voice.AUTHORIAL, "")
    rng = random.Random(2)
    for _ in range(200):
        start = rng.randrange(len(doc.text))
        end = min(len(doc.text), start + rng.randrange(1, 30))
        assert vmap.voice(start, end) == _slow_voice(vmap.regions, start, end)
    assert voice.sentence_voice(doc, doc.sentences[0]) == (voice.ATTRIBUTED, "quoted")


def test_voice_look_ups_equal_a_scan_when_regions_nest_and_overlap():
    rng = random.Random(3)
    words = ["said", "“", "”", '"', ",", "which", "called", "it", "x", ";", "the", "Armenia", "."]
    for _ in range(300):
        text = "Title\n\n" + " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        doc = parse_article(text)
        vmap = voice.voice_map(doc)
        for _ in range(20):
            start = rng.randrange(len(text))
            end = rng.randrange(start, len(text) + 1)
            assert vmap.voice(start, end) == _slow_voice(vmap._near(start), start, end)


def test_lexicon_hits_in_300k_characters_of_quoted_names_all_lie_in_quotes():
    doc = parse_article("Headline\n\n" + '"Khankendi " ' * 25_000)
    hits = markers.matcher().find(doc.text)   # the hits whose voice markers.match_document looks up
    assert [start for start, _, _ in hits] == [11 + 13 * k for k in range(25_000)]
    vmap = voice.voice_map(doc)
    assert {vmap.voice(start, end) for start, end, _ in hits} == {(voice.ATTRIBUTED, "quoted")}


# --- 3. sentence cap and paragraphs on single lines ---------------------------------------------

def test_a_300_kb_article_on_one_line_has_no_sentence_over_the_cap_and_a_warning():
    data = ("The word " * 33_334).encode()   # one line: the headline, one 300 kB sentence before
    doc, warnings = parse.parse_bytes(data, "one-line.txt", "one")
    assert max(s.end - s.start for s in doc.sentences) <= MAX
    assert "".join(doc.text[s.start:s.end] for s in doc.sentences).replace(" ", "") == doc.text.replace(" ", "")
    [cap] = [w for w in warnings if "split at the bound" in w.message]
    assert cap.severity == "warning" and cap.file == "one-line.txt" and cap.line == 1
    assert cap.message.startswith(f"a sentence longer than {MAX:,} characters was split at the bound")


def test_the_cap_warning_names_the_line_of_the_first_cut_in_the_body():
    text = "Headline\n\nA short lead.\n\n" + "word " * 1_000 + "\n"
    doc, warnings = parse.parse_bytes(text.encode(), "body.txt", "b")
    [cap] = [w for w in warnings if "split at the bound" in w.message]
    assert cap.line == 5


def test_sentence_cap_minimal_pairs():
    exact = "x" * (MAX - 4) + " yyy"
    assert textmod.cap_span(exact, 0, len(exact)) == [(0, MAX)]           # exactly the cap: kept whole
    longer = exact + "z"
    assert textmod.cap_span(longer, 0, len(longer)) == [(0, MAX - 4), (MAX - 3, MAX + 1)]   # cut at the last space
    solid = "x" * (MAX + 1)
    assert textmod.cap_span(solid, 0, len(solid)) == [(0, MAX), (MAX, MAX + 1)]          # no space: hard cut
    spaced = "a" + " " * (MAX + 10) + "b"
    assert textmod.cap_span(spaced, 0, len(spaced)) == [(0, 1), (MAX + 11, MAX + 12)]   # white space dropped
    spans, cuts = textmod.split_sentences(longer, 10)
    assert spans == [(10, MAX + 6), (MAX + 7, MAX + 11)] and cuts == [MAX + 6]


def test_long_paragraphs_split_in_blocks_give_punkt_s_own_spans():
    rng = random.Random(4)
    words = ["Talks", "resumed", "in", "Baku", "on", "Thursday.", "Mr.", "Aliyev", "said", "U.S.", "officials",
             "(Reuters.)", "\"Yes.\"", "agreed!", "No?", "3.5", "etc."]
    paragraph = " ".join(rng.choice(words) for _ in range(30_000))   # over 200,000 characters
    assert len(paragraph) > 3 * textmod._PUNKT_BLOCK_CHARS
    whole = []
    for start, end in textmod._punkt().span_tokenize(paragraph):
        chunk = paragraph[start:end]
        whole.append((start + len(chunk) - len(chunk.lstrip()), end - len(chunk) + len(chunk.rstrip())))
    assert max(e - s for s, e in whole) <= MAX
    assert textmod.sentence_spans(paragraph) == whole


SCRAPED = ("Leaders agree new steps\nAzerbaijan and Armenia agreed to exchange prisoners.\n"
           "The deal was announced in a joint statement.\nBoth sides called it a step towards peace.\n")


def test_paragraphs_on_single_lines_are_split_with_a_warning():
    doc, warnings = parse.parse_bytes(SCRAPED.encode(), "scraped.txt", "s")
    assert [p.section for p in doc.paragraphs] == ["headline", "lead", "body", "body"]
    [w] = warnings
    assert (w.file, w.line, w.severity) == ("scraped.txt", 2, "warning")
    assert w.message == "paragraphs are separated by single line breaks; each line is taken as a paragraph"


def test_headline_and_caption_with_blank_line_paragraphs_keep_their_layout():
    text = ("Leaders agree new steps\nA view of Baku, Azerbaijan, on Dec. 7, 2023.\n\n"
            "Azerbaijan and Armenia agreed to exchange prisoners.\n\nThe deal was announced on Thursday.\n")
    doc, warnings = parse.parse_bytes(text.encode(), "a.txt", "a")
    assert [p.section for p in doc.paragraphs] == ["headline", "caption", "lead", "body"]
    assert warnings == []


def test_hard_wrapped_paragraphs_stay_one_paragraph_per_block():
    text = ("Leaders agree new steps\n\nAzerbaijan and Armenia agreed on Thursday to exchange\n"
            "prisoners of war and to take new steps towards normalising\nrelations, the two governments said.\n")
    doc, warnings = parse.parse_bytes(text.encode(), "wrapped.txt", "w")
    assert [p.section for p in doc.paragraphs] == ["headline", "lead"]
    assert warnings == []


def test_a_body_block_of_single_line_paragraphs_after_a_header_is_split():
    text = "title: Steps\noutlet: Wire\n\nFirst paragraph.\nSecond paragraph.\nThird paragraph.\n"
    doc, warnings = parse.parse_bytes(text.encode(), "h.txt", "h")
    assert [p.section for p in doc.paragraphs] == ["lead", "body", "body"]
    assert [(w.line, w.message.startswith("paragraphs are separated")) for w in warnings] == [(4, True)]


# --- 4. HTML extraction ---------------------------------------------------------------------

def _slow_html_to_text(html):
    parser = decode._TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip(" \t") for line in "".join(parser.parts).split("\n")]
    return decode._BREAKS_RE.sub("\n\n", "\n".join(lines)).strip("\n")


HTML_PIECES = ["<p>", "</p>", "<a", "<a href='x>y'>", "<b>", "</b>", "<br>", "<script>", "</script>", "<style>",
               "x", "y z", "&amp;", "&lt;", "&am", ">", "<", "<!--", "-->", "<!doctype html>", '<div class="a<b">',
               "</div>", "'", '"', " ", "\n", "<pre>", "</pre>", "&#39;", "<?x", "</", "<a x=", "é", "<![CDATA[ "]


def test_html_extraction_equals_the_parser_s_own_on_small_pages():
    rng = random.Random(5)
    for _ in range(3000):
        page = "".join(rng.choice(HTML_PIECES) for _ in range(rng.randint(1, 40)))
        assert decode.html_to_text(page) == _slow_html_to_text(page), page


@pytest.mark.parametrize("unit", ["<a", "<![CDATA[ >", "<a b='>' ", "</a "])
def test_html_with_300k_characters_of_unclosed_markup_is_extracted_as_the_parser_does(unit):
    assert _slow_html_to_text("<p>x</p>" + unit * 40) == "x\n\n" + (unit * 40).rstrip()   # broken markup is text
    n = 300_000 // len(unit)   # "<a" × 150,000: 46 s before
    assert decode.html_to_text("<p>x</p>" + unit * n) == "x\n\n" + (unit * n).rstrip()


# --- 5. KWIC wildcards ------------------------------------------------------------------------

def _slow_pattern(query):
    """The former translation: every ``*`` a backtracking ``\\w*`` (exponential in the stars)."""
    folded = textmod.matching_form(query.strip())
    parts = [re.escape(part).replace(r"\*", r"\w*") for part in folded.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def test_wildcard_queries_equal_the_former_translation_on_text_with_single_spaces():
    rng = random.Random(6)
    for _ in range(4000):
        body = "".join(rng.choice(["a", "b", "ab", "aab"]) * rng.randint(1, 3) + rng.choice([" ", "-", "'", ", ", ". "])
                       for _ in range(rng.randint(1, 10)))
        doc = parse_article(body.strip() + "x")   # one line: the headline
        query = " ".join(rng.choice(["*", "a", "b", "a*", "*b", "a*b", "*a*", "a**b", "*-a", "b'*"])
                         for _ in range(rng.randint(1, 3)))
        if not query.replace("*", "").strip():
            continue
        form = textmod.matching_form(doc.text)
        expected = [(m.start(), m.end()) for m in
                    _slow_pattern(query).finditer(form, doc.body_start, doc.paragraphs[-1].end) if m.end() > m.start()]
        assert kwic.find(doc, query) == expected, (query, body)


def test_a_star_query_over_1000_letter_words_is_linear():
    doc = parse_article("T\n\n" + " ".join(["a" * 1000] * 3 + ["a" * 999 + "b"]))   # 104 s per word before
    assert kwic.find(doc, "a*a*a*a*b") == [(3 + 3 * 1001, 3 + 4 * 1001 - 1)]
    assert kwic.find(doc, "*a*a*b*") == [(3 + 3 * 1001, 3 + 4 * 1001 - 1)]


def test_a_lone_star_query_over_long_white_space_is_linear():
    doc = parse_article("a" + " " * 200_000 + "b c")   # cubic before: every space a start, each rescanning
    assert kwic.find(doc, "* * b") == [] and kwic.find(doc, "* b") == [(0, 200_002)]


def test_white_space_in_a_phrase_is_matched_whole():
    doc = parse_article("T\n\nx  y and x z y")
    assert kwic.find(doc, "x * y") == [(doc.text.index("x z"), len(doc.text))]   # not "x  y" with an empty "*"


# --- 6. language check on short texts ----------------------------------------------------------

ENGLISH_BRIEFS = [
    "BAKU, Dec 7 (Reuters) - Azerbaijan and Armenia agreed on Thursday to swap prisoners of war, the two "
    "governments said. Baku will release 32 Armenian servicemen; Yerevan will free two Azerbaijani soldiers. "
    "Armenia also dropped its objection to Azerbaijan hosting the COP29 climate summit, ending a months-long "
    "dispute. EU, U.S., Russian, Iranian, Georgian and Turkish officials welcomed the deal.",
    "YEREVAN, Sept 28 (AP) - Nagorno-Karabakh separatist leader Samvel Shahramanyan signed a decree dissolving "
    "all state institutions by January 1, 2024. More than 70,000 ethnic Armenians have fled to Armenia since last "
    "week's Azerbaijani offensive, government spokeswoman Nazeli Baghdasaryan said. Russian peacekeepers, Red "
    "Cross convoys and UN officials reported long queues at the Lachin corridor checkpoint.",
]
SHORT_FOREIGN = {
    "de": "Die Regierung hat am Donnerstag angekündigt, dass die Verhandlungen über den Austausch von Gefangenen "
          "in der nächsten Woche fortgesetzt werden sollen. Beide Seiten sprachen von einem wichtigen Schritt zur "
          "Normalisierung der Beziehungen zwischen den Nachbarstaaten.",
    "fr": "Le gouvernement a annoncé jeudi que les négociations sur l'échange de prisonniers reprendront la semaine "
          "prochaine. Les deux parties ont parlé d'une étape importante vers la normalisation des relations entre "
          "les pays voisins, selon un communiqué publié à Bakou et à Erevan.",
    # German and French with many words that are also English stop words ("in", "am", "was", "a", "on").
    "de-stop": "Die Regierung war am Montag in Baku, und was die Gespräche an der Grenze betrifft, so hieß es, sie "
               "seien in einer guten Phase. Am Dienstag wird der Minister in Eriwan erwartet, wo er mit dem Premier "
               "über die Lage in der Region und den Austausch von Gefangenen sprechen will.",
    "fr-stop": "Le président a dit à la presse qu'il a vu les deux ministres à Bakou, et on a parlé de la paix. Il a "
               "ajouté que les négociations sur la frontière vont reprendre en novembre, selon un communiqué de la "
               "présidence publié mardi soir à Erevan.",
}


@pytest.mark.parametrize("brief", ENGLISH_BRIEFS)
def test_short_english_wire_briefs_pass_the_language_check(brief):
    n_words, stop_share, _ = decode.language_shares(brief)
    assert 40 <= n_words <= 60 and stop_share < decode.MIN_ENGLISH_STOPWORD_SHARE   # flagged before
    assert decode.language_problems(brief, "brief.txt") == []


@pytest.mark.parametrize("name", sorted(SHORT_FOREIGN))
def test_short_german_and_french_texts_are_still_flagged(name):
    sample = SHORT_FOREIGN[name]
    assert decode.language_shares(sample)[0] < decode.SHORT_TEXT_WORDS
    [w] = decode.language_problems(sample, f"{name}.txt")
    assert w.file == f"{name}.txt" and "English-only" in w.message


def test_long_texts_keep_the_long_text_minimum():
    long_text = " ".join(ENGLISH_BRIEFS)   # over SHORT_TEXT_WORDS words, share under 0.20
    assert decode.language_shares(long_text)[0] >= decode.SHORT_TEXT_WORDS
    assert len(decode.language_problems(long_text, "long.txt")) == 1


# --- 7. Unicode NFC and mixed scripts -----------------------------------------------------------

NFC_TEXT = "Talks\n\nThe leaders met in Şuşa on Thursday.\n"


def test_nfd_input_is_normalised_with_a_warning_and_matches_the_lexicon():
    nfd = unicodedata.normalize("NFD", NFC_TEXT)
    assert nfd != NFC_TEXT
    doc, warnings = parse.parse_bytes(nfd.encode("utf-8"), "nfd.txt", "nfd")
    assert doc.text == NFC_TEXT
    [w] = warnings
    assert (w.file, w.line, w.severity) == ("nfd.txt", 3, "warning")
    assert w.message.startswith("the text was not in Unicode NFC form; it was normalised, offsets refer to the "
                                "normalised text")
    assert "shusha" in set(markers.match_document(doc)["concept"])


def test_nfc_input_gives_no_warning():
    assert parse.parse_bytes(NFC_TEXT.encode("utf-8"), "nfc.txt", "nfc")[1] == []


def test_words_mixing_latin_and_cyrillic_letters_are_reported_with_line_and_count():
    text = "Talks\n\nOfficials in Khankendi said.\nThe city of kh\u0430nkendi and \u0410rmenia\n"
    doc, warnings = parse.parse_bytes(text.encode("utf-8"), "mixed.txt", "m")
    [w] = warnings
    assert (w.file, w.line) == ("mixed.txt", 4)
    assert w.message.startswith("2 word(s) mix Latin with Cyrillic or Greek letters") and "kh\u0430nkendi" in w.message


def test_whole_cyrillic_or_greek_words_are_not_mixed():
    assert decode.script_problems("Москва and Αθήνα are capitals; μ-law", "x.txt") == []
    assert textmod.mixed_script_words("Δelta x") == [(0, 5)]


def test_a_quote_left_open_over_many_names_is_not_scanned_once_per_name():
    """An open quotation mark runs to the end of its paragraph: each name inside must not rebuild
    the quoted text (quadratic); the scare-quote rule only looks at quotes about a name's length."""

    doc = parse_article("Title\n\n\"" + "Khankendi " * 30_000, "d")
    hits = markers.match_document(doc)
    assert len(hits) == 30_000 and set(hits["voice"]) == {"attributed"} and set(hits["side"]) == {"none"}
