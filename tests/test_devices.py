"""Agentless passives and scare quotes on tiny literal texts."""
from analysis import corpus
from analysis.framing import devices


def found(body: str) -> list[tuple[str, str]]:
    doc = corpus.parse_article(f"Headline\n\n{body}\n", "d")
    rows = devices.agentless_passives(doc) + devices.scare_quotes(doc)
    for row in rows:
        assert doc.text[row["start"]:row["end"]] == row["text"]
    return [(r["device"], r["text"]) for r in rows]


def test_agentless_passive_found_and_agentive_one_not():
    assert found("Civilians were killed in the village.") == [("agentless_passive", "were killed")]
    assert found("Civilians were killed by shelling.") == []
    assert found("The houses were hit by a rocket.") == []


def test_time_phrases_with_by_are_not_agents():
    assert found("A deal could be signed by the end of the year.") == [("agentless_passive", "be signed")]
    assert found("The town was taken by marines.") == []


def test_non_participles_are_not_passives():
    assert found("The doors were open and the men were seven.") == []


def test_short_quotes_are_scare_quotes_and_long_ones_are_not():
    assert found("Baku launched what it called 'anti-terrorist activities' in the region.") == [
        ("scare_quotes", "'anti-terrorist activities'")]
    assert found('He said "we will continue to work for peace in the region" today.') == []


def test_more_passives_and_names_that_look_like_participles():
    assert found("Civilians were given 24 hours.") == [("agentless_passive", "were given")]
    assert found("The mines were laid near the road.") == [("agentless_passive", "were laid")]
    assert found("The prisoners were later released.") == [("agentless_passive", "were later released")]
    assert found("The speaker is Armen Sarkissian.") == []
