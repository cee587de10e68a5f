"""The offline extractor on unseen shapes of conflict reporting (wire copy, tolls, claims).

The texts are short, written for these tests in the style of wire reports; the
assertions are what a careful reader takes from them.
"""

from __future__ import annotations

import random
import time

from summarizer.records import (
    EventStatus,
    EventType,
    QuantityQualifier,
    SourceKind,
)
from tests.offline_support import extract, only

WIRE = """Rockets hit near US embassy in Baghdad
BAGHDAD, Dec 8 (Reuters) - Three rockets struck near the U.S. embassy in Baghdad's Green Zone on \
Sunday, Iraqi security sources said, causing no casualties.
A drone attack on Ain al-Asad air base in western Iraq's Anbar province injured two U.S. service \
members on Tuesday, a U.S. official told Reuters.
The Pentagon said U.S. forces had been attacked at least 66 times in Iraq and Syria since Oct. 17, \
with 62 personnel injured.
Kataib Hezbollah, an Iran-backed militia, threatened to escalate its attacks if Washington did not \
withdraw its troops."""


def test_wire_report() -> None:
    incidents = extract(WIRE, "2023-12-10")
    rockets = only(incidents, EventType.shelling_or_missile)
    assert (
        rockets.date is not None and rockets.date.value == "2023-12-10"
    )  # Sunday, not the dateline
    assert rockets.casualties.none_reported
    assert rockets.attribution[0].kind == SourceKind.anonymous_sources

    drone = only(incidents, EventType.air_or_drone_strike)
    assert drone.date is not None and drone.date.value == "2023-12-05"
    base = next(loc for loc in drone.locations if loc.name == "Ain al-Asad")
    assert base.kind == "base" and base.country == "Iraq"
    assert drone.casualties.injured is not None and drone.casualties.injured.best == 2
    assert drone.attribution[0].kind == SourceKind.anonymous_official
    assert "Reuters" in (drone.attribution[0].via or "")

    tally = only(incidents, EventType.attack)
    (q,) = tally.quantities
    assert (q.value, q.qualifier, q.unit) == (66, QuantityQualifier.at_least, "times")
    assert q.scope is not None and q.scope.endswith("since Oct. 17")
    assert tally.date is not None and tally.date.value == "2023-10-17"
    assert tally.attribution[0].source == "The Pentagon"
    assert not tally.initiators  # the Pentagon reports the attacks, it does not make them

    threat = only(incidents, EventType.threat_or_statement)
    assert threat.status == EventStatus.threatened
    assert threat.attribution[0].source == "Kataib Hezbollah"


def test_tolls_claims_arrests_and_kidnappings() -> None:
    text = (
        "Clashes erupted between the Syrian army and Turkish-backed fighters near the town of "
        "Manbij on Tuesday, killing at least five fighters and wounding 11 others, a monitor "
        "said.\n"
        "Islamic State claimed responsibility for a suicide bombing at a market in the town of "
        "Jalalabad on Thursday that killed 14 people, including three children.\n"
        "Police arrested 23 suspects in connection with the bombing, the interior ministry said.\n"
        "Gunmen kidnapped two aid workers in the Mopti region of central Mali on Sunday, a "
        "security source told AFP."
    )
    incidents = extract(text, "2023-03-18")
    clash = only(incidents, EventType.armed_clash)  # the killing is the clash's toll
    assert clash.casualties.killed is not None and clash.casualties.killed.low == 5
    assert clash.casualties.injured is not None and clash.casualties.injured.best == 11
    assert [loc.name for loc in clash.locations] == ["Manbij"]

    bombing = only(incidents, EventType.bombing)  # records v2: a suicide bombing is a bombing
    assert bombing.status == EventStatus.claimed
    assert [a.name for a in bombing.initiators] == ["Islamic State"]
    assert bombing.casualties.killed is not None and bombing.casualties.killed.best == 14
    assert any(m.category == "explosive" for m in bombing.means)

    arrests = only(incidents, EventType.arrest_or_capture)
    kidnapping = only(incidents, EventType.abduction)  # records v2: kidnappings are abductions
    assert arrests.quantities[0].value == 23
    assert kidnapping.date is not None and kidnapping.date.value == "2023-03-12"
    mopti = next(loc for loc in kidnapping.locations if loc.name == "Mopti")
    assert mopti.country == "Mali"


def test_plans_denials_exercises() -> None:
    text = (
        "The Pentagon will deploy 2,000 additional troops to the Middle East, Defense Secretary "
        "Lloyd Austin announced on Monday.\n"
        "The Houthis denied carrying out the attack on the tanker.\n"
        "Turkey and Azerbaijan began joint military exercises near the Armenian border on "
        "Wednesday, involving some 3,000 troops.\n"
    )
    incidents = extract(text, "2023-10-10")
    deployment = only(incidents, EventType.deployment_or_reinforcement)
    assert deployment.status == EventStatus.planned
    assert deployment.date is None  # "announced on Monday" dates the announcement
    assert deployment.quantities[0].value == 2000
    assert deployment.attribution[0].kind == SourceKind.named_official

    denial = only(incidents, EventType.attack)
    assert denial.status == EventStatus.denied and denial.initiators[0].neutral_name == "Houthis"

    drills = only(incidents, EventType.military_exercise)
    assert drills.status == EventStatus.simulated
    assert {a.name for a in drills.initiators} == {"Turkey", "Azerbaijan"}
    assert drills.quantities[0].qualifier == QuantityQualifier.about
    assert not drills.locations  # "the Armenian border" names no place


def test_long_runs_of_capitalised_words_stay_fast() -> None:
    text = (
        " ".join(["Al-Foo Bar Baz Qux"] * 2000)
        + " attacked the base.\n"
        + " ".join(["Attack"] * 3000)
    )
    start = time.perf_counter()
    extract(text)
    assert time.perf_counter() - start < 5.0


def test_partisan_outlet_style() -> None:
    text = (
        "The Islamic Resistance in Iraq announced on Sunday that it targeted the US occupation "
        "base of Ain al-Asad in western Iraq with a swarm of drones.\n"
        "Earlier on Saturday, the Resistance targeted the al-Tanf base at the Syrian-Jordanian "
        "border with two drones.\n"
        "Since the start of the war, US forces in Iraq and Syria have come under attack more "
        "than 120 times, according to the Pentagon.\n"
        "Israeli occupation forces stormed the town of Jenin at dawn on Tuesday, martyring three "
        "Palestinians and injuring 12 others, the Palestinian Health Ministry said."
    )
    first, tanf, tally, raid = extract(text, "2023-12-05")
    assert first.status == EventStatus.claimed
    assert [a.neutral_name for a in first.initiators] == ["Islamic Resistance in Iraq"]
    assert [(loc.name, loc.kind) for loc in first.locations if loc.kind == "base"] == [
        ("Ain al-Asad", "base")
    ]
    assert [a.neutral_name for a in first.targets] == ["US base"]
    assert tanf.date is not None and tanf.date.value == "2023-12-02"
    assert tanf.initiators[0].neutral_name == "armed factions"
    assert [a.name for a in tally.targets] == ["US forces"] and not tally.initiators
    assert tally.quantities[0].qualifier == QuantityQualifier.more_than
    assert raid.date is not None and raid.date.value == "2023-12-05"
    assert raid.casualties.killed is not None and raid.casualties.killed.best == 3
    assert raid.casualties.killed.who == "Palestinians"
    assert raid.initiators[0].neutral_name == "Israeli forces"


def test_shuffled_and_recased_seed_sentences_stay_grounded() -> None:
    """Any mix of real sentences, in any case, yields valid records at exact offsets."""
    from summarizer.clean import clean
    from tests.conftest import SEEDS

    lines = [line for p in SEEDS for line in clean(p.read_bytes(), p.name).text.split("\n")]
    rng = random.Random(7)
    for _ in range(60):
        text = "\n".join(rng.sample(lines, rng.randint(1, 10)))
        text = rng.choice([text, text.lower(), text.upper(), text.replace(".", "")])
        extract(text, rng.choice([None, "2023-12-10", "2024-02-29T10:00:00Z"]))


def test_history_told_as_background_is_no_new_incident_and_is_listed() -> None:
    from summarizer.backends.offline import OfflineBackend
    from summarizer.config import Settings
    from summarizer.records import Article

    text = (
        "Militants attacked an army checkpoint near Kandahar on Thursday, killing four "
        "soldiers, officials said.\n"
        "In April 2023, militants attacked a base in the same province, killing 12 soldiers.\n"
    )
    gen = OfflineBackend(Settings()).extract(Article(text=text, published="2026-11-20"))
    (rec,) = gen.value
    assert rec.date is not None and rec.date.value == "2026-11-19"
    assert any("April 2023" in d.reason and "background" in d.reason for d in gen.usage.dropped)


def test_war_words_in_a_game_report_are_figurative_and_say_so() -> None:
    from summarizer.backends.offline import OfflineBackend
    from summarizer.config import Settings
    from summarizer.records import Article

    text = (
        "Bell scored 34 points as the Thunder beat the Houston Rockets 118-112 in the season "
        "opener on Wednesday.\n"
        "The Thunder clashed with the Rockets repeatedly in the third quarter.\n"
        "Houston launched a 21-4 run, fired up by Moss, who hit four 3-pointers.\n"
        "The Thunder killed Houston's final possession, and the coach praised the defence.\n"
    )
    gen = OfflineBackend(Settings()).extract(Article(text=text, published="2026-10-15"))
    assert gen.value == []
    assert any("about sport" in d.reason for d in gen.usage.dropped)


def test_event_words_inside_names_and_titles_are_no_events() -> None:
    from summarizer.offline.events import find_triggers

    text = "Fans lined up on Friday to see Star Wars: Attack of the Clones at the cinema."
    assert find_triggers(text, 0, len(text)) == []
    text = "The USS Eisenhower Carrier Strike Group arrived in the Red Sea on Monday."
    assert all(text[t.start : t.end] != "Strike" for t in find_triggers(text, 0, len(text)))
