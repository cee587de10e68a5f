"""The ACLED mapping: one case per documented rule in summarizer/acled.py."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.acled import acled_types
from summarizer.records import IncidentRecord

_EV = [{"quote": "x"}]


def _rec(event_type: str, status: str = "occurred", **extra: Any) -> IncidentRecord:
    return IncidentRecord.model_validate(
        {"event_type": event_type, "status": status, "description": "x", "evidence": _EV, **extra}
    )


def _actor(kind: str) -> dict[str, Any]:
    return {"name": kind, "neutral_name": kind, "kind": kind, "evidence": _EV}


def _means(name: str, category: str) -> dict[str, Any]:
    return {"name": name, "category": category, "evidence": _EV}


def _count(best: int) -> dict[str, Any]:
    return {"best": best, "text": str(best), "evidence": _EV}


SD, ERV, VAC = "Strategic developments", "Explosions/Remote violence", "Violence against civilians"

ROWS: list[tuple[str, IncidentRecord, str, str]] = [
    ("1 threatened attack", _rec("attack", "threatened"), SD, "Other"),
    ("1 planned strike", _rec("air_or_drone_strike", "planned"), SD, "Other"),
    ("1 denied clash", _rec("armed_clash", "denied"), SD, "Other"),
    ("2 drill", _rec("military_exercise", "simulated"), SD, "Other"),
    ("2 deployment", _rec("deployment_or_reinforcement"), SD, "Other"),
    ("2 statement", _rec("threat_or_statement", "threatened"), SD, "Other"),
    ("2 other", _rec("other"), SD, "Other"),
    ("3 arrest", _rec("arrest_or_capture"), SD, "Arrests"),
    ("4 interception", _rec("interception"), SD, "Disrupted weapons use"),
    ("5 arson", _rec("arson_or_destruction"), SD, "Looting/property destruction"),
    ("6 abduction", _rec("abduction"), VAC, "Abduction/forced disappearance"),
    (
        "7 protest with deaths",
        _rec("protest", casualties={"killed": _count(3)}),
        "Protests",
        "Excessive force against protesters",
    ),
    (
        "8 protest with injuries",
        _rec("protest", casualties={"injured": _count(5)}),
        "Protests",
        "Protest with intervention",
    ),
    (
        "8 protest met by police",
        _rec("protest", initiators=[_actor("government_or_official")]),
        "Protests",
        "Protest with intervention",
    ),
    (
        "8 protest with tear gas",
        _rec("protest", means=[_means("tear gas", "other")]),
        "Protests",
        "Protest with intervention",
    ),
    (
        "9 peaceful protest",
        _rec("protest", initiators=[_actor("civilians")]),
        "Protests",
        "Peaceful protest",
    ),
    (
        "9 zero killed",
        _rec("protest", casualties={"killed": _count(0)}),
        "Protests",
        "Peaceful protest",
    ),
    ("10 mob", _rec("riot", targets=[_actor("civilians")]), "Riots", "Mob violence"),
    ("11 riot", _rec("riot"), "Riots", "Violent demonstration"),
    (
        "12 suicide bomb",
        _rec("bombing", means=[_means("suicide vest", "explosive")]),
        ERV,
        "Suicide bomb",
    ),
    ("12 grenade", _rec("bombing", means=[_means("hand grenade", "grenade")]), ERV, "Grenade"),
    (
        "12 chemical",
        _rec("bombing", means=[_means("chemical shells", "other")]),
        ERV,
        "Chemical weapon",
    ),
    (
        "13 IED",
        _rec("bombing", means=[_means("roadside bomb", "explosive")]),
        ERV,
        "Remote explosive/landmine/IED",
    ),
    ("13 bombing, no means", _rec("bombing"), ERV, "Remote explosive/landmine/IED"),
    ("14 air strike", _rec("air_or_drone_strike"), ERV, "Air/drone strike"),
    ("15 shelling", _rec("shelling_or_missile"), ERV, "Shelling/artillery/missile attack"),
    ("16 clash", _rec("armed_clash"), "Battles", "Armed clash"),
    (
        "17 drone attack on a base",
        _rec("attack", "claimed", means=[_means("drones", "drone")]),
        ERV,
        "Air/drone strike",
    ),
    (
        "18 rocket attack",
        _rec("attack", means=[_means("rockets", "rocket")]),
        ERV,
        "Shelling/artillery/missile attack",
    ),
    (
        "19 grenade attack",
        _rec("attack", means=[_means("grenade", "grenade")]),
        ERV,
        "Grenade",
    ),
    (
        "19 explosive attack",
        _rec("attack", means=[_means("explosive device", "explosive")]),
        ERV,
        "Remote explosive/landmine/IED",
    ),
    (
        "20 attack on civilians",
        _rec("attack", targets=[_actor("civilians"), _actor("media")]),
        VAC,
        "Attack",
    ),
    (
        "21 attack on soldiers",
        _rec("attack", targets=[_actor("civilians"), _actor("state_military")]),
        "Battles",
        "Armed clash",
    ),
    ("21 attack, target unknown", _rec("attack"), "Battles", "Armed clash"),
]


@pytest.mark.parametrize(("rec", "event", "sub"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_every_mapping_row(rec: IncidentRecord, event: str, sub: str) -> None:
    assert (rec.acled_event_type, rec.acled_sub_event_type) == (event, sub)
    assert acled_types(rec) == (event, sub)


def test_every_event_type_maps_to_an_acled_pair() -> None:
    from summarizer.records import EventType

    for kind in EventType:
        rec = _rec(kind.value)
        assert rec.acled_event_type and rec.acled_sub_event_type
