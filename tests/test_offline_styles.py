"""The offline extractor on unseen styles of conflict reporting, and on news that is not about
conflict at all.

Every article here is hand-written for these tests (not scraped), each in a style the
seeds do not cover: AP wire copy with a dateline, a Reuters toll report, a military's
own statement, a think-tank situation update, a partisan outlet's rocket report, and a
round-up of a capture, an arrest, an announced exercise and a denial. The assertions
are what a careful reader takes from each: kinds and statuses of events, killed and
injured kept apart with low/best/high, counts with unit and scope, places, sides with
neutral names, dates resolved against the publication date, and who says so.
"""

from __future__ import annotations

import re

import pytest

from summarizer.records import (
    ActorKind,
    EventStatus,
    EventType,
    IncidentRecord,
    QuantityQualifier,
    SourceKind,
)
from tests.offline_support import extract


def places(rec: IncidentRecord) -> dict[str, str]:
    return {loc.name: loc.kind for loc in rec.locations}


AP = """Russian strikes kill 12 in Dnipro
KYIV, Ukraine (AP) — Russian forces launched a barrage of missiles and drones at Ukraine \
overnight, killing at least 12 people and wounding 30 others in the city of Dnipro, officials \
said Friday.
Ukraine's air force said it shot down 18 of the 22 drones launched by Russia.
The strikes hit an apartment building and a power station in the Dnipropetrovsk region, \
regional governor Serhiy Lysak said on Telegram.
It was the third major attack on the city this month."""


def test_ap_wire_copy_one_attack_told_in_three_sentences() -> None:
    # records v2: the air force's "shot down 18 of the 22 drones" is an interception of its own
    rec, interception = extract(AP, "2024-03-15")
    assert interception.event_type == EventType.interception
    assert [a.name for a in interception.initiators] == ["Ukraine's air force"]
    assert rec.event_type == EventType.shelling_or_missile
    assert rec.status == EventStatus.occurred
    killed, injured = rec.casualties.killed, rec.casualties.injured
    assert killed is not None and (killed.low, killed.high) == (12, None)
    assert killed.who == "people"
    assert injured is not None and (injured.low, injured.best, injured.high) == (30, 30, 30)
    assert places(rec) == {"Dnipro": "city", "Dnipropetrovsk": "province"}  # not the dateline
    assert [a.neutral_name for a in rec.initiators] == ["Russian forces"]
    assert rec.initiators[0].kind == ActorKind.state_military
    assert {m.category for m in rec.means} == {"missile", "drone"}
    assert rec.attribution[0].source == "regional governor Serhiy Lysak"
    assert rec.attribution[0].kind == SourceKind.named_official
    assert rec.date is None  # "said Friday" dates the report, "overnight" names no day
    assert rec.description.startswith("Russian forces carried out")
    assert "killing at least 12 people and injuring 30 others" in rec.description


REUTERS = """BEIRUT, March 3 (Reuters) - An Israeli air strike on a house in the southern \
Lebanese town of Nabatieh killed at least 12 people and wounded 30, Lebanon's health ministry \
said on Sunday.
Between 10 and 15 fighters were killed in clashes with Israeli troops near the border village \
of Kfar Kila on Saturday, a security source told Reuters.
Hezbollah said it fired dozens of rockets at an Israeli army base in the Golan Heights in \
response."""


def test_reuters_toll_report() -> None:
    strike, clash, rockets = extract(REUTERS, "2024-03-03")
    assert strike.event_type == EventType.air_or_drone_strike
    assert strike.status == EventStatus.occurred
    assert [(a.name, a.neutral_name) for a in strike.initiators] == [("Israeli", "Israel")]
    assert strike.casualties.killed is not None and strike.casualties.killed.low == 12
    assert strike.casualties.injured is not None and strike.casualties.injured.best == 30
    (town,) = strike.locations
    assert (town.name, town.kind, town.country) == ("Nabatieh", "town", "Lebanon")
    assert strike.attribution[0].kind == SourceKind.government
    assert strike.date is None  # "said on Sunday" dates the statement

    assert clash.event_type == EventType.armed_clash
    killed = clash.casualties.killed
    assert killed is not None and (killed.low, killed.best, killed.high) == (10, None, 15)
    assert killed.who == "fighters" and clash.casualties.injured is None
    assert clash.date is not None and clash.date.value == "2024-03-02"
    assert places(clash) == {"Kfar Kila": "town"}
    assert clash.attribution[0].via == "told Reuters"
    assert "between 10 and 15 fighters" in clash.description

    assert rockets.event_type == EventType.shelling_or_missile
    assert rockets.status == EventStatus.claimed  # Hezbollah's own word
    assert [a.neutral_name for a in rockets.initiators] == ["Hezbollah"]
    (q,) = rockets.quantities
    assert (q.qualifier, q.unit) == (QuantityQualifier.several, "rockets")
    assert "Golan Heights" in places(rockets)


IDF = """The IDF said it struck 40 targets in the Gaza Strip overnight, including weapons \
depots and rocket launchers belonging to Hamas.
In a statement on Tuesday, the military said its fighter jets also struck a Hezbollah command \
post near the village of Aita al-Shaab in southern Lebanon.
No Israeli casualties were reported."""


def test_military_statement() -> None:
    gaza, lebanon = extract(IDF, "2024-01-09")
    assert gaza.event_type == EventType.air_or_drone_strike
    assert gaza.status == EventStatus.claimed  # the IDF reports its own strikes
    assert [a.neutral_name for a in gaza.initiators] == ["IDF"]
    (q,) = gaza.quantities
    assert (q.value, q.qualifier, q.unit) == (40, QuantityQualifier.exact, "targets")
    assert q.scope is not None and "Gaza Strip" in q.scope
    assert "Gaza Strip" in places(gaza)
    assert gaza.description == (
        "The IDF claimed air or drone strikes on 40 targets in the Gaza Strip."
    )

    assert lebanon.date is not None and lebanon.date.value == "2024-01-09"
    aita = next(loc for loc in lebanon.locations if loc.name == "Aita al-Shaab")
    assert aita.country == "Lebanon"
    assert [a.name for a in lebanon.targets] == ["Hezbollah"]
    assert {m.category for m in lebanon.means} == {"aircraft"}
    assert lebanon.casualties.none_reported


ISW = """Russian Offensive Campaign Assessment, March 4
Russian forces conducted ground attacks near Avdiivka and Bakhmut on March 2, according to the \
Ukrainian General Staff.
Ukrainian forces repelled 14 Russian assaults in the Kupiansk direction over the past day.
Russian forces have conducted at least 85 attacks in Donetsk Oblast since February 17, the \
General Staff reported.
Geolocated footage published on March 3 indicates that Russian forces recently advanced west of \
Bakhmut."""


def test_think_tank_update() -> None:
    ground, repelled, tally = extract(ISW, "2024-03-04")
    assert ground.event_type == EventType.attack
    assert list(places(ground)) == ["Avdiivka", "Bakhmut"]  # both names of "near A and B"
    assert ground.date is not None and ground.date.value == "2024-03-02"
    assert ground.attribution[0].source == "the Ukrainian General Staff"

    assert [a.neutral_name for a in repelled.initiators] == ["Russia"]
    assert [a.name for a in repelled.targets] == ["Ukrainian forces"]  # they repelled
    assert repelled.quantities[0].value == 14
    assert "Kupiansk" in places(repelled)

    (q,) = tally.quantities
    assert (q.value, q.qualifier, q.unit) == (85, QuantityQualifier.at_least, "attacks")
    assert q.scope == "in Donetsk Oblast since February 17"
    assert tally.date is not None and tally.date.value == "2024-02-17"
    assert tally.date.end == "2024-03-04"
    assert places(tally) == {"Donetsk": "province"}
    assert [a.neutral_name for a in tally.initiators] == ["Russian forces"]


PARTISAN = """The Zionist enemy's terrorist army fired a barrage of rockets at the town of Khiam \
in southern Lebanon on Monday, martyring two civilians and wounding five others, the Islamic \
Resistance said.
In response, the heroic mujahideen of the Islamic Resistance targeted the Zionist occupation's \
Metula settlement with Katyusha rockets, achieving direct hits."""


def test_partisan_rocket_report() -> None:
    khiam, metula = extract(PARTISAN, "2024-02-13")
    assert khiam.event_type == EventType.shelling_or_missile
    assert khiam.status == EventStatus.claimed  # only an armed party says so
    (army,) = khiam.initiators
    assert (army.neutral_name, army.kind) == ("Israeli army", ActorKind.state_military)
    assert khiam.casualties.killed is not None and khiam.casualties.killed.best == 2
    assert khiam.casualties.killed.who == "civilians"
    assert khiam.casualties.injured is not None and khiam.casualties.injured.best == 5
    assert khiam.date is not None and khiam.date.value == "2024-02-12"
    town = next(loc for loc in khiam.locations if loc.name == "Khiam")
    assert (town.kind, town.country) == ("town", "Lebanon")
    assert khiam.attribution[0].kind == SourceKind.group_statement
    assert "according to the Islamic Resistance" in khiam.description

    assert metula.event_type == EventType.shelling_or_missile  # an attack with rockets
    assert [a.neutral_name for a in metula.initiators] == ["Islamic Resistance"]
    assert list(places(metula)) == ["Metula"]  # "Zionist" is no place
    assert metula.means[0].name == "Katyusha rockets"
    for rec in (khiam, metula):
        assert not re.search(r"Zionist|terrorist|martyr|heroic|mujahideen", rec.description)


ROUNDUP = """Ukrainian troops captured 20 Russian soldiers near the village of Robotyne in the \
Zaporizhzhia region on Wednesday, the Ukrainian military said.
Security forces arrested three suspected militants in the city of Peshawar, Pakistan, police said.
China will hold large-scale military exercises around Taiwan next week, the defence ministry \
announced on Thursday.
Russia's defence ministry denied that its forces had shelled the Zaporizhzhia nuclear power \
plant."""


def test_capture_arrest_planned_exercise_and_denial() -> None:
    capture, arrest, drills, denial = extract(ROUNDUP, "2023-08-18")
    assert capture.event_type == arrest.event_type == EventType.arrest_or_capture
    assert capture.quantities[0].value == 20 and capture.quantities[0].unit == "Russian soldiers"
    robotyne = next(loc for loc in capture.locations if loc.name == "Robotyne")
    assert robotyne.admin_region == "Zaporizhzhia"
    assert capture.date is not None and capture.date.value == "2023-08-16"
    assert [a.neutral_name for a in capture.initiators] == ["Ukrainian troops"]
    assert capture.description.startswith("Ukrainian troops captured 20 Russian soldiers")

    assert arrest.quantities[0].value == 3
    (peshawar,) = arrest.locations
    assert (peshawar.name, peshawar.kind, peshawar.country) == ("Peshawar", "city", "Pakistan")

    assert drills.event_type == EventType.military_exercise
    assert drills.status == EventStatus.planned  # announced for next week
    assert drills.date is not None and drills.date.value == "2023-08-21"
    assert drills.date.precision.value == "week"
    assert [a.name for a in drills.initiators] == ["China"]
    assert "Taiwan" in places(drills)

    assert denial.status == EventStatus.denied
    assert denial.event_type == EventType.shelling_or_missile
    assert denial.attribution[0].source == "Russia's defence ministry"


@pytest.mark.parametrize(
    "text",
    [
        # finance, business, tech, sport, health, politics, crime: no conflict event in any
        "The Chairwoman of the central bank says the two owners stole $5.5B outright, which is "
        "5% of the country's GDP.",
        "The two companies struck a deal on Monday to merge their operations in Texas.",
        "Shares hit a record high on Friday after the bank targeted younger customers.",
        "A price war between the airlines killed the deal, analysts said on Tuesday.",
        "Tragedy struck on Saturday night when a hunter was found dead in the forest.",
        "Teachers went on strike in 12 cities on Wednesday, and further strikes are planned.",
        "The firm was hit by a ransomware attack that targeted its payment systems.",
        "Police said the teenage driver was killed in a crash on the highway on Sunday.",
        "Three people have been arrested for running a fraud network, prosecutors said.",
        "The company will deploy new software to 3,000 stores and begin training staff next month.",
        "The striker fired two shots at goal and the team stormed to victory in the final.",
        "The minister warned that 50,000 jobs are at risk if the lockdown continues.",
    ],
)
def test_no_conflict_event_in_other_news(text: str) -> None:
    assert extract(text, "2024-05-10") == []


def test_deadly_police_force_is_an_event_and_a_road_crash_is_not() -> None:
    text = (
        "Police opened fire on demonstrators in the town of Kasese on Tuesday, killing two "
        "people, witnesses said."
    )
    (rec,) = extract(text, "2024-05-10")
    assert rec.event_type == EventType.attack
    assert rec.casualties.killed is not None and rec.casualties.killed.best == 2
    assert rec.date is not None and rec.date.value == "2024-05-07"
    assert rec.description.startswith("The police carried out an attack against demonstrators")
    assert extract("Police said the driver was killed when his car hit a tree on Sunday.") == []


def test_figurative_words_inside_a_war_story_are_no_events() -> None:
    text = (
        "Russian forces shelled the city of Kharkiv on Monday, killing three civilians, the "
        "regional governor said.\n"
        "Meanwhile, the two governments struck a deal on grain exports, and wheat prices hit a "
        "record high."
    )
    (rec,) = extract(text, "2024-05-10")
    assert rec.event_type == EventType.shelling_or_missile
    assert rec.casualties.killed is not None and rec.casualties.killed.best == 3


def test_unclaimed_bombing_habitual_suspects_and_vague_bounds() -> None:
    text = (
        "More than 100 people were killed and nearly 300 injured when a car bomb exploded in a "
        "crowded market in Mogadishu on Saturday, Somali officials said.\n"
        "No group has claimed responsibility, but al-Shabaab militants frequently carry out "
        "such attacks."
    )
    (rec,) = extract(text, "2017-10-15")
    assert rec.status == EventStatus.occurred  # nobody claimed it
    assert rec.initiators == []  # who "frequently" attacks is no perpetrator of this one
    killed, injured = rec.casualties.killed, rec.casualties.injured
    assert killed is not None and (killed.low, killed.best, killed.high) == (100, None, None)
    assert injured is not None and (injured.low, injured.high) == (None, 300)
    assert rec.date is not None and rec.date.value == "2017-10-14"
    assert "Mogadishu" in places(rec)
    assert any(m.category == "explosive" for m in rec.means)


def test_own_drone_strike_and_roadside_bomb() -> None:
    text = (
        "Ukraine's military said it hit an oil depot in Russia's Bryansk region with drones on "
        "Tuesday night.\n"
        "Two soldiers were killed and five others wounded when their patrol hit a roadside bomb "
        "in Kunar province on Thursday, the Afghan defense ministry said."
    )
    depot, bomb = extract(text, "2024-03-13")
    assert depot.event_type == EventType.air_or_drone_strike
    assert depot.status == EventStatus.claimed
    assert [a.name for a in depot.initiators] == ["Ukraine's military"]
    bryansk = next(loc for loc in depot.locations if loc.name == "Bryansk")
    assert (bryansk.kind, bryansk.country) == ("province", "Russia")
    assert depot.date is not None and depot.date.value == "2024-03-12"

    assert bomb.casualties.killed is not None and bomb.casualties.killed.best == 2
    assert bomb.casualties.injured is not None and bomb.casualties.injured.best == 5
    assert "roadside bomb" not in [a.name for a in bomb.targets]  # the means, not the target
    assert places(bomb) == {"Kunar": "province"}


def test_paramilitary_attack_vague_toll_and_a_tally_in_millions() -> None:
    text = (
        "Sudan's paramilitary Rapid Support Forces (RSF) attacked the city of El Fasher in North "
        "Darfur on Friday, killing dozens of civilians, according to local activists.\n"
        "Fighting between the army and the RSF has displaced more than 8 million people since "
        "April 2023."
    )
    attack, fighting = extract(text, "2024-05-11")
    assert attack.event_type == EventType.attack
    el_fasher = next(loc for loc in attack.locations if loc.name == "El Fasher")
    assert (el_fasher.kind, el_fasher.admin_region) == ("city", "North Darfur")
    assert attack.casualties.killed is not None and attack.casualties.killed.who == "civilians"
    assert "killing dozens of civilians" in attack.description
    assert fighting.event_type == EventType.armed_clash
    (q,) = fighting.quantities
    assert (q.value, q.qualifier, q.unit) == (8_000_000, QuantityQualifier.more_than, "people")
    assert fighting.date is not None and fighting.date.precision.value == "range"
