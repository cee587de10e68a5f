"""Unit tests of the offline rules: numbers, dates, places, actors, means, sources, counts."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.offline.actors import defined_acronyms, find_actors
from summarizer.offline.attribution import SourceTracker
from summarizer.offline.dates import find_dates, parse_published
from summarizer.offline.events import find_triggers
from summarizer.offline.incidents import extract_incidents
from summarizer.offline.means import find_means
from summarizer.offline.numbers import find_counts, parse_number
from summarizer.offline.places import find_places
from summarizer.offline.quantities import find_quantities
from summarizer.records import (
    ActorKind,
    DatePrecision,
    EventStatus,
    EventType,
    QuantityQualifier,
    SourceKind,
)
from summarizer.spans import quote_spans, split_sentences

PUB = date(2023, 12, 10)  # a Sunday


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("22", 22),
        ("1,500", 1500),
        ("three", 3),
        ("eleven", 11),
        ("twenty-two", 22),
        ("one hundred and five", 105),
        ("a dozen", 12),
        ("batches", None),
    ],
)
def test_parse_number(words: str, value: int | None) -> None:
    assert parse_number(words) == value


def test_counts_keep_their_qualifier_and_skip_years() -> None:
    counts = find_counts("about 85 times, at least 70, more than 15, several, in 2014, up to 9")
    assert [(c.value, c.qualifier) for c in counts] == [
        (85, QuantityQualifier.about),
        (70, QuantityQualifier.at_least),
        (15, QuantityQualifier.more_than),
        (2, QuantityQualifier.several),
        (9, QuantityQualifier.at_most),
    ]


@pytest.mark.parametrize(
    ("phrase", "value", "end", "precision"),
    [
        ("Friday", "2023-12-08", None, DatePrecision.day),
        ("Sunday", "2023-12-10", None, DatePrecision.day),
        ("last Sunday", "2023-12-03", None, DatePrecision.day),
        ("Saturday afternoon", "2023-12-09", None, DatePrecision.day),
        ("January 5", "2023-01-05", None, DatePrecision.day),
        ("on 10 August", "2023-08-10", None, DatePrecision.day),
        ("Dec. 8, 2021", "2021-12-08", None, DatePrecision.day),
        ("since October 18", "2023-10-18", "2023-12-10", DatePrecision.range),
        ("in the past 10 days", "2023-11-30", "2023-12-10", DatePrecision.range),
        ("last month", "2023-11", None, DatePrecision.month),
        ("October last year", "2022-10", None, DatePrecision.month),
        ("yesterday", "2023-12-09", None, DatePrecision.day),
        ("Earlier today", "2023-12-10", None, DatePrecision.day),
        ("around two years ago", "2021", None, DatePrecision.year),
        ("in 2014", "2014", None, DatePrecision.year),
    ],
)
def test_dates_resolve_against_publication(
    phrase: str, value: str, end: str | None, precision: DatePrecision
) -> None:
    (d,) = find_dates(phrase, PUB)
    assert (d.value, d.end_value, d.precision) == (value, end, precision)
    assert phrase.endswith(d.text) or d.text in phrase


def test_relative_dates_without_publication_stay_unresolved_but_comparable() -> None:
    four, five = find_dates("January 4 and January 5", None)
    assert four.value is None and five.value is None
    assert four.key != five.key
    (iso,) = find_dates("on 2021-12-08", None)
    assert iso.value == "2021-12-08"


def test_may_and_march_as_words_are_not_dates() -> None:
    assert find_dates("Troops may march on.", PUB) == []
    assert [d.value for d in find_dates("It began in May.", PUB)] == ["2023-05"]


def test_parse_published() -> None:
    assert parse_published("2023-12-10T01:00") == PUB
    assert parse_published("December 2023") is None
    assert parse_published(None) is None


def test_sentences_respect_abbreviations_and_lines() -> None:
    text = "Maj. Gen. Smith spoke on Dec. 8. U.S. forces left.\nNew line here"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "Maj. Gen. Smith spoke on Dec. 8.",
        "U.S. forces left.",
        "New line here",
    ]
    assert [s.body for s in sents] == [True, True, False]


def test_quote_spans() -> None:
    text = 'a "b c" d “e” f\n"open to the end'
    spans = quote_spans(text)
    assert [text[a:b] for a, b in spans] == ['"b c"', "“e”", '"open to the end']


def test_places_with_region_and_country() -> None:
    text = (
        "drills at the Qasrak and Tell Baidar bases in the northwestern countryside of al-Hasakah, "
        "a drone attack on the Kharab al-Jir base in northeastern Syria, "
        "near the town of al-Mayadin, "
        "via the Al-Walid crossing with Iraq and the Erbil airport"
    )
    places = {p.name: p for p in find_places(text, 0, len(text))}
    assert places["Qasrak"].kind == "base" and places["Qasrak"].admin_region == "al-Hasakah"
    assert places["Tell Baidar"].geo_precision == 1
    assert places["Kharab al-Jir"].country == "Syria"
    assert places["al-Mayadin"].kind == "town"
    assert places["Al-Walid"].kind == "crossing"
    assert places["Erbil"].kind == "airport"
    assert places["al-Hasakah"].kind == "countryside"
    for p in places.values():
        assert p.name in text[p.start : p.end]


def test_a_continent_is_a_region_not_an_exact_site() -> None:
    # "in Africa" was geo_precision 1 (the exact town) in ACLED's CSV column.
    text = "Sudan is one of the most violent countries in Africa, and in Europe too."
    places = {p.name: (p.kind, p.geo_precision) for p in find_places(text, 0, len(text))}
    assert places == {"Africa": ("region", 3), "Europe": ("region", 3)}


def test_countries_count_as_places_only_where_used_as_places() -> None:
    text = "the United States said attacks on bases in Iraq and Syria continued"
    assert [p.name for p in find_places(text, 0, len(text))] == ["Iraq", "Syria"]


@pytest.mark.parametrize(
    ("text", "name", "neutral", "kind"),
    [
        (
            "US occupation forces left",
            "US occupation forces",
            "US forces",
            ActorKind.state_military,
        ),
        (
            "Resistance factions fired",
            "Resistance factions",
            "armed factions",
            ActorKind.non_state_armed_group,
        ),
        (
            "the Islamic Resistance in Iraq said",
            "the Islamic Resistance in Iraq",
            "Islamic Resistance in Iraq",
            ActorKind.non_state_armed_group,
        ),
        (
            "the US-led coalition struck",
            "US-led coalition",
            "US-led coalition",
            ActorKind.coalition,
        ),
        (
            "Iranian-backed forces",
            "Iranian-backed forces",
            "Iranian-backed forces",
            ActorKind.non_state_armed_group,
        ),
        ("the guerrillas fled", "guerrillas", "guerrillas", ActorKind.non_state_armed_group),
    ],
)
def test_actors(text: str, name: str, neutral: str, kind: ActorKind) -> None:
    (a,) = find_actors(text, 0, len(text))
    assert (a.name, a.neutral, a.kind) == (name, neutral, kind)
    assert text[a.start : a.end] == a.name


def test_an_official_is_not_an_army() -> None:
    text = "A US military official told reporters"
    assert find_actors(text, 0, len(text)) == []


def test_means_skip_what_is_countered() -> None:
    text = (
        "equipment to confront drones; a new cargo plane, helicopters, live ammunition "
        "and an MQ-9 Reaper"
    )
    assert [(m.name, m.category) for m in find_means(text, 0, len(text))] == [
        ("cargo plane", "aircraft"),
        ("helicopters", "helicopter"),
        ("live ammunition", "live_ammunition"),
        ("MQ-9 Reaper", "drone"),
    ]


def test_triggers_drop_hypotheticals_and_let_drills_absorb_attacks() -> None:
    text = "The US fears ground attacks on its bases and the capture of its personnel."
    assert find_triggers(text, 0, len(text)) == []
    text = "They are conducting exercises simulating attacks."
    assert {t.type for t in find_triggers(text, 0, len(text))} == {EventType.military_exercise}
    text = "Early on January 5, a rocket attack targeted the Green Village."
    assert [t.type for t in find_triggers(text, 0, len(text))] == [EventType.shelling_or_missile]
    text = "The army said troops will not withdraw and the troops were not deployed."
    (t,) = find_triggers(text, 0, len(text))
    assert t.status == EventStatus.denied


def test_quantities_and_casualties() -> None:
    text = (
        "Since October 18, factions have targeted US bases in Syria about 85 times, resulting "
        "in the injury of at least 70 US soldiers. Guerrillas killed a peasant and three "
        "batches arrived."
    )
    quants, cas = find_quantities(text, 0, len(text), [])
    assert [(q.value, q.unit) for q in quants] == [(85, "times"), (3, "batches")]
    assert [(c.killed, c.value, c.qualifier, c.who) for c in cas] == [
        (False, 70, QuantityQualifier.at_least, "US soldiers"),
        (True, 1, QuantityQualifier.exact, "peasant"),
    ]


def test_sources_and_their_anaphora() -> None:
    text = (
        "Informed sources told Al Mayadeen that drills began.\n"
        "They added that the drills will last.\n"
        "A senior official, Abu Ali al-Askari, confirmed, in a statement on Telegram, "
        "that talks ended.\n"
        "Al-Akhbar reported on 7 September that planes landed."
    )
    tracker = SourceTracker(text)
    found = [tracker.sources_in(s.start, s.end) for s in split_sentences(text)]
    assert [(x.source, x.kind, x.via) for [x] in found] == [
        ("Informed sources", SourceKind.anonymous_sources, "told Al Mayadeen"),
        ("Informed sources", SourceKind.anonymous_sources, "told Al Mayadeen"),
        ("Abu Ali al-Askari", SourceKind.named_official, "in a statement on Telegram"),
        ("Al-Akhbar", SourceKind.media_outlet, None),
    ]
    assert [text[a:b] for a, b in found[1][0].spans] == [
        "Informed sources told Al Mayadeen",
        "They added",
    ]


def test_body_lines_without_closing_punctuation_fall_back_to_length() -> None:
    text = (
        "Rockets Hit The Base\nThree rockets struck the Ain al-Asad base in western Iraq on Sunday"
    )
    sents = split_sentences(text)
    assert [s.body for s in sents] == [False, True]
    assert [s.body for s in split_sentences(text + ".\nTeaser line")] == [False, True, False]


def test_explicit_ranges_keep_both_ends() -> None:
    (r,) = find_dates("from October 7 to November 24", PUB)
    assert (r.value, r.end_value, r.precision) == ("2023-10-07", "2023-11-24", DatePrecision.range)
    (r,) = find_dates("between May 1 and May 3, 2023", PUB)
    assert (r.text, r.value, r.end_value) == (
        "between May 1 and May 3, 2023",
        "2023-05-01",
        "2023-05-03",
    )
    assert len(find_dates("Friday and Sunday", PUB)) == 2


def test_bare_tolls() -> None:
    text = "The strike killed 3 and wounded 5, officials said. The death toll rose to 15."
    quants, cas = find_quantities(text, 0, len(text), [])
    assert quants == []
    assert [(c.killed, c.value, text[c.start : c.end]) for c in cas] == [
        (True, 3, "killed 3"),
        (False, 5, "wounded 5"),
        (True, 15, "death toll rose to 15"),
    ]
    text = "It killed 3 of them and wounded 20 percent of the crew."
    assert find_quantities(text, 0, len(text), [])[1] == []


def test_lowercase_wire_copy_places_from_constructions_only() -> None:
    text = (
        "rebels killed a farmer in the town of san lucas, in the western huehuetenango "
        "department, in guatemala."
    )
    places = {p.name: p.kind for p in find_places(text, 0, len(text))}
    assert places == {"san lucas": "town", "huehuetenango": "province", "guatemala": "country"}


def test_lowercase_wire_copy_places_from_the_world_gazetteer() -> None:
    # cities and regions nobody listed: found by name in GeoNames / ISO 3166-2, a one-word
    # name only where a locative word makes it a place
    text = (
        "a bomb exploded in cartagena and the mayor of manizales said rebels attacked "
        "puerto montt. the cities of santa ana and chalatenango have no water; "
        "the kidnapping of herrera lozano and the fire department in southern peru."
    )
    places = {p.name: p.kind for p in find_places(text, 0, len(text))}
    assert places == {
        "cartagena": "city",
        "manizales": "city",
        "puerto montt": "city",
        "santa ana": "city",
        "chalatenango": "city",
        "peru": "country",
    }


def test_gazetteer_names_that_are_ordinary_words_are_not_places() -> None:
    text = "in march the union met police in reading and in eastern areas to come to terms."
    assert find_places(text, 0, len(text)) == []


@pytest.mark.parametrize(
    "text", ["The attackers fled", "heavily armed men opened fire", "death squads killed him"]
)
def test_generic_perpetrators_are_armed_groups(text: str) -> None:
    (a,) = find_actors(text, 0, len(text))
    assert a.kind == ActorKind.non_state_armed_group


def test_text_without_sentence_ends_is_cut_into_bounded_sentences() -> None:
    # a lower-cased dump or a page without punctuation must not become one huge sentence
    text = "rockets hit the base near the town, killing 3 soldiers and wounding 12 " * 400
    sentences = split_sentences(text)
    assert len(sentences) > 20
    assert max(len(s.text) for s in sentences) <= 1000
    assert "".join(text[s.start : s.end] for s in sentences).replace(" ", "") == text.replace(
        " ", ""
    )


def test_one_sentence_repeated_is_one_incident() -> None:
    # grouping asks each group for its facts through an index: the same event told 3000 times
    # merges into one record, as it did when every mention was compared with every other
    sentence = (
        "Russian forces fired missiles at Dnipro on Monday, killing three people and injuring "
        "30, Ukrainian officials said. "
    )
    (rec,) = extract_incidents(sentence * 3000, PUB)
    assert rec.event_type == EventType.shelling_or_missile
    assert rec.casualties.killed is not None and rec.casualties.killed.best == 3
    assert len(rec.evidence) == 3000


def test_count_ranges_keep_both_ends_and_operations_their_names() -> None:
    text = (
        "Pakistani forces fired between 10 and 15 rockets at militant hideouts in the Kurram "
        "district on Monday as part of Operation Iron Shield, officials said.\n"
        "Rockets hit the base on Tuesday, 10 days after the launch of Operation Sky Wall.\n"
    )
    first, second = extract_incidents(text, PUB)
    (q,) = first.quantities
    assert (q.value, q.high, q.text) == (10, 15, "between 10 and 15 rockets")
    assert first.operation_name == "Operation Iron Shield"
    assert second.operation_name is None  # another operation dates this event, it is not its name


def test_a_threat_of_an_act_is_threatened_not_occurred() -> None:
    text = (
        "Rebels threatened to attack the army base near the town of Goma on Monday, a local "
        "official said.\n"
    )
    (rec,) = extract_incidents(text, PUB)
    assert rec.status == EventStatus.threatened


@pytest.mark.parametrize(
    ("sentence", "etype"),
    [
        ("the insurgents threatened to kill the vote counters.", EventType.attack),
        ("guerrillas vowed to blow up the power lines.", EventType.bombing),
        ("the rebels announced that they will kidnap the mayor.", EventType.abduction),
        ("the archbishop has received death threats from the death squads.", EventType.attack),
    ],
)
def test_threats_of_an_act_in_wire_copy_are_threatened(sentence: str, etype: EventType) -> None:
    text = "the guerrillas attacked an army post in the north last week. " + sentence + "\n"
    recs = extract_incidents(text, PUB)
    threats = [r for r in recs if r.status == EventStatus.threatened]
    # a party's threat may be read as its statement; either way it is a threat, not an act
    assert len(threats) == 1
    assert threats[0].event_type in (etype, EventType.threat_or_statement)
    # the attack that occurred stays a record of its own, not merged into the threat
    assert any(r.status == EventStatus.occurred for r in recs)


def test_lowercase_wire_copy_defines_its_acronyms() -> None:
    # made-up sentences in the shape of lower-case wire copy (none from the MUCSUM dev set)
    text = (
        "fighters of the tupac amaru revolutionary workers front (tarwf) raided a checkpoint. "
        "the udc (united democratic convergence) councillor escaped (recording unclear)."
    )
    assert dict(defined_acronyms(text)) == {
        "tarwf": "tupac amaru revolutionary workers front",
        "udc": "united democratic convergence",
    }


def test_lowercase_wire_copy_actors_and_roles() -> None:
    text = (
        "fighters of the tupac amaru revolutionary workers front (tarwf) attacked a water "
        "treatment plant in la ceiba.\n"
        "the jose leonardo chirino popular army claimed responsibility for the bombing of a "
        "pharmacy in cochabamba.\n"
        "investigators blamed the north valley cartel for the murder of prosecutor hernan "
        "quiroga in cucuta.\n"
    )
    recs = extract_incidents(text, PUB)
    initiators = {a.name for r in recs for a in r.initiators}
    targets = {a.name for r in recs for a in r.targets}
    assert initiators == {
        "tupac amaru revolutionary workers front (tarwf)",
        "jose leonardo chirino popular army",
        "north valley cartel",
    }
    assert {"water treatment plant", "pharmacy"} <= targets


def test_lowercase_people_by_title_and_victims_in_the_passive() -> None:
    text = (
        "the assassination of mayoral candidate tomas arbelaez rincon was ordered by "
        "major julio cesar montoya, the inquiry found.\n"
        "four franciscan nuns were murdered by hooded men in san pedro sula.\n"
        "a watchman guarding the pumping station was wounded by the rebels.\n"
    )
    recs = extract_incidents(text, PUB)
    targets = {a.name for r in recs for a in r.targets}
    initiators = {a.name for r in recs for a in r.initiators}
    assert "mayoral candidate tomas arbelaez rincon" in targets
    assert "four franciscan nuns" in targets or "franciscan nuns" in targets
    assert "pumping station" not in targets  # cut out of a longer phrase: not a victim
    assert "major julio cesar montoya" in initiators
    # the title makes a person of the words after it, of the title's kind
    people = {a.name: a.kind for a in find_actors(text, 0, text.index("\n"))}
    assert people.get("major julio cesar montoya") == ActorKind.state_military


def test_agents_named_outright_and_objects_listed() -> None:
    text = (
        "the land reform commissioner was killed by terrorists in tegucigalpa.\n"
        "prosecutors attributed the bombing in cucuta to arms smugglers.\n"
        "the ambush on the convoy near la dorada was carried out by paramilitaries.\n"
        "rebel forces attacked the governor's mansion, the continental hotel and the "
        "supreme court in managua.\n"
        "no group claimed responsibility for the attack on the clinic in quito.\n"
    )
    recs = extract_incidents(text, PUB)
    initiators = {a.name for r in recs for a in r.initiators}
    targets = {a.name for r in recs for a in r.targets}
    assert {"terrorists", "arms smugglers", "paramilitaries"} <= initiators
    assert "group" not in initiators  # nobody claimed it
    assert {"governor's mansion", "continental hotel", "supreme court"} <= targets


def test_a_cause_after_by_is_no_agent() -> None:
    """'destroyed by fire', 'killed ... by mistake' (lexicons/not_agents.txt): no initiator."""
    text = (
        "the warehouse was destroyed by fire after the attack on the town hall of mocoa by "
        "guerrillas.\n"
        "the mayor of tulua was killed by mistake by soldiers.\n"
    )
    initiators = {a.name for r in extract_incidents(text, PUB) for a in r.initiators}
    assert "guerrillas" in initiators and "soldiers" in initiators
    assert not initiators & {"fire", "mistake"}


def test_armed_and_united_are_name_words_in_lower_case() -> None:
    """'armed' looks like a verb's participle; inside a name it is a word of the name."""
    text = "members of the popular armed forces attacked a police post in the town of jalapa.\n"
    initiators = {a.name for r in extract_incidents(text, PUB) for a in r.initiators}
    assert "popular armed forces" in initiators


def test_no_group_claiming_is_no_source() -> None:
    text = "No group claimed the raid on the tanker."
    assert SourceTracker(text).sources_in(0, len(text)) == []


def test_a_blast_that_struck_is_a_bombing_not_an_air_strike() -> None:
    text = (
        "A bomb exploded at a busy bus station in Multan on Tuesday, officials said. The blast "
        "struck the Bosan Road terminal shortly before 8 a.m., killing four people, officials "
        "said.\n"
    )
    types = {r.event_type for r in extract_incidents(text, PUB)}
    assert types == {EventType.bombing}


def test_a_long_title_cut_at_the_word_limit_does_not_end_on_a_dangling_word() -> None:
    """'... any of its 40 shops after a' is not a headline: the cut end is trimmed."""
    from summarizer.config import Settings
    from summarizer.pipeline import summarize_raw

    title = (
        "Bakery chain stops selling bread to tourists in any of its 40 shops after "
        "a visitor's complaint at its Riverside branch"
    )
    body = (
        "Portland bakery chain Milo's Bakery is refusing to serve tourists after a dispute at "
        "its Riverside branch on Monday, the owner told reporters in a statement.\n"
        "The owner said the chain would reconsider the rule next month after meeting its staff."
    )
    result = summarize_raw(f"{title}\n{body}\n", source="t.txt", settings=Settings())
    head = result.summary.headline
    assert head is not None
    assert head.text == "Bakery chain stops selling bread to tourists in any of its 40 shops"
    assert len(head.text.split()) <= 15
