"""ACLED event and sub-event types for a record: a deterministic, documented mapping.

Analysts merge our records with ACLED data, so every incident carries ACLED's
own labels. They are never asked of a model: `IncidentRecord` derives them here,
from its `event_type`, `status`, means, targets and casualties, each time it is
validated (a model's guess or an old file's value is overwritten).

The rules, in the order they are tried (one unit test per row); "SD" is
Strategic developments, "ERV" Explosions/Remote violence, "VAC" Violence
against civilians:

 1. status threatened, planned or denied (ACLED codes only what took place) -> SD / Other
 2. military_exercise, deployment_or_reinforcement, threat_or_statement, other -> SD / Other
 3. arrest_or_capture -> SD / Arrests
 4. interception (air defences down a drone or missile) -> SD / Disrupted weapons use
 5. arson_or_destruction -> SD / Looting/property destruction
 6. abduction -> VAC / Abduction/forced disappearance
 7. protest with people killed -> Protests / Excessive force against protesters
 8. protest with people injured, a security-force initiator (state military, coalition,
    government) or means used against it -> Protests / Protest with intervention
 9. any other protest -> Protests / Peaceful protest
10. riot targeting civilians (a mob attacking people) -> Riots / Mob violence
11. any other riot -> Riots / Violent demonstration
12. bombing whose means' name or category holds a word of `lexicons/acled_means.txt`
    (suicide, grenade, chemical) -> ERV / Suicide bomb, Grenade or Chemical weapon
13. any other bombing -> ERV / Remote explosive/landmine/IED
14. air_or_drone_strike -> ERV / Air/drone strike
15. shelling_or_missile -> ERV / Shelling/artillery/missile attack
16. armed_clash -> Battles / Armed clash
17. attack with drones, aircraft or helicopters (ACLED codes remote violence by its
    weapon, whoever the target) -> ERV / Air/drone strike
18. attack with rockets, missiles or artillery -> ERV / Shelling/artillery/missile attack
19. attack with explosives, grenades or suicide bombs -> as rows 12-13
20. attack whose targets are all civilians or media -> VAC / Attack
21. any other attack (armed or unknown targets) -> Battles / Armed clash

Simulated events are military exercises (row 2); claimed events are mapped as
the event they claim, as ACLED codes claimed events with their source.
"""

from __future__ import annotations

import re

from summarizer import lexicons
from summarizer.records import (
    AcledEventType,
    AcledSubEventType,
    ActorKind,
    EventStatus,
    EventType,
    IncidentRecord,
)

E = AcledEventType
S = AcledSubEventType
Pair = tuple[AcledEventType, AcledSubEventType]

_NOT_TAKEN_PLACE = {EventStatus.threatened, EventStatus.planned, EventStatus.denied}
_FIXED: dict[EventType, Pair] = {
    EventType.military_exercise: (E.strategic_developments, S.other),
    EventType.deployment_or_reinforcement: (E.strategic_developments, S.other),
    EventType.threat_or_statement: (E.strategic_developments, S.other),
    EventType.other: (E.strategic_developments, S.other),
    EventType.arrest_or_capture: (E.strategic_developments, S.arrests),
    EventType.interception: (E.strategic_developments, S.disrupted_weapons_use),
    EventType.arson_or_destruction: (E.strategic_developments, S.looting_property_destruction),
    EventType.abduction: (E.violence_against_civilians, S.abduction_forced_disappearance),
    EventType.air_or_drone_strike: (E.explosions_remote_violence, S.air_drone_strike),
    EventType.shelling_or_missile: (
        E.explosions_remote_violence,
        S.shelling_artillery_missile_attack,
    ),
    EventType.armed_clash: (E.battles, S.armed_clash),
}
#: Means categories that make an `attack` remote violence, and which kind.
_AIR = {"drone", "aircraft", "helicopter"}
_SHELLING = {"rocket", "missile", "artillery"}
_EXPLOSIVE = {"explosive", "grenade", "suicide_bomb"}
#: Actors who count as security forces intervening in a protest.
_SECURITY = {ActorKind.state_military, ActorKind.government_or_official, ActorKind.coalition}
#: Target kinds that are not armed actors.
_UNARMED = {ActorKind.civilians, ActorKind.media}


def _bombing(rec: IncidentRecord) -> Pair:
    """Rows 12-13: a specific explosive sub-event from the means' words, else IED."""
    table = lexicons.table("acled_means")
    for means in rec.means:
        for word in re.findall(r"[\w-]+", f"{means.name} {means.category}".lower()):
            if word in table:
                return E.explosions_remote_violence, S(table[word])
    return E.explosions_remote_violence, S.remote_explosive_landmine_ied


def _killed(rec: IncidentRecord) -> bool:
    k = rec.casualties.killed
    return k is not None and any((n or 0) > 0 for n in (k.low, k.best, k.high))


def acled_types(rec: IncidentRecord) -> Pair:
    """ACLED (event type, sub-event type) for a record, by the rules in the module docstring."""
    kind = rec.event_type
    if rec.status in _NOT_TAKEN_PLACE:
        return E.strategic_developments, S.other
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == EventType.protest:
        if _killed(rec):
            return E.protests, S.excessive_force_against_protesters
        security = any(a.kind in _SECURITY for a in rec.initiators)
        if rec.casualties.injured is not None or security or rec.means:
            return E.protests, S.protest_with_intervention
        return E.protests, S.peaceful_protest
    if kind == EventType.riot:
        if any(a.kind == ActorKind.civilians for a in rec.targets):
            return E.riots, S.mob_violence
        return E.riots, S.violent_demonstration
    if kind == EventType.bombing:
        return _bombing(rec)
    # attack: remote violence by its weapon first, then who was attacked
    categories = {m.category for m in rec.means}
    if categories & _AIR:
        return E.explosions_remote_violence, S.air_drone_strike
    if categories & _SHELLING:
        return E.explosions_remote_violence, S.shelling_artillery_missile_attack
    if categories & _EXPLOSIVE:
        return _bombing(rec)
    if rec.targets and all(a.kind in _UNARMED for a in rec.targets):
        return E.violence_against_civilians, S.attack
    return E.battles, S.armed_clash
