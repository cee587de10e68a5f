"""Weapons and means: drones, rockets, missiles, helicopters, live ammunition, laser systems...

A lexicon of general military vocabulary mapped to the record's categories.
Means named as what a system is meant to stop ("equipment to confront ...
drones", "to monitor and target drones") are not means of the event and are
skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEXICON: tuple[tuple[str, str], ...] = (
    (r"MQ-\d+\s+Reaper(?:\s+(?:unmanned\s+aerial\s+vehicles?|drones?))?|MQ-\d+\w*", "drone"),
    (
        r"(?:kamikaze\s+|suicide\s+|armed\s+)?(?:drones?|unmanned\s+aerial\s+vehicles?|UAVs?)",
        "drone",
    ),
    (
        r"(?:(?:ballistic|cruise|hypersonic|anti-tank|guided|surface-to-air|air-to-ground|short-range|"
        r"medium-range|long-range)\s+)?missiles?|projectiles?",
        "missile",
    ),
    (
        r"(?:Katyusha\s+|Grad\s+)?rockets?(?![\s-]propelled)|rocket-propelled\s+grenades?|RPGs?",
        "rocket",
    ),
    (r"mortars?(?:\s+(?:rounds|shells))?|artillery(?:\s+shells?)?|howitzers?", "artillery"),
    (r"(?:Apache\s+|Black\s+Hawk\s+|military\s+)?helicopters?", "helicopter"),
    (
        r"(?:cargo|transport|military|fighter|spy|reconnaissance)\s+(?:planes?|aircraft|jets?)|warplanes?|"
        r"fighter\s+jets?|bombers?|F-\d+s?\b",
        "aircraft",
    ),
    (
        r"Bradley\s+fighting\s+vehicles?|tanks?(?!\s+truck)|armou?red\s+vehicles?",
        "armoured_vehicle",
    ),
    (r"live\s+ammunition|live[\s-]fire", "live_ammunition"),
    (
        r"(?:direct\s+)?gunfire|gunshots?|machine[\s-]guns?|rifles?|firearms?|small\s+arms",
        "firearm",
    ),
    (
        r"(?:suicide|car|truck)\s+bombings?|suicide\s+(?:vests?|belts?)|"
        r"(?:suicide|car|truck)\s+bombings?|suicide\s+(?:vests?|belts?)|"
        r"(?:car\s+|truck\s+|roadside\s+)?bombs?|explosive\s+devices?|explosives?|IEDs?|dynamite|"
        r"(?:hand\s+)?grenades?|landmines?",
        "explosive",
    ),
    (
        r"air\s+defen[cs]e(?:\s+systems?)?|defen[cs]e\s+systems?|anti-aircraft(?:\s+\w+)?",
        "air_defense",
    ),
    (r"laser\s+systems?|lasers?", "laser"),
    (r"machetes?|knives|knife", "other"),
)
_MEANS = re.compile(
    "|".join(f"(?P<g{i}>\\b(?:{pat})\\b)" for i, (pat, _) in enumerate(_LEXICON)), re.I
)
# Words that make a weapon the thing being countered, not the means used.
_COUNTERED = re.compile(
    r"\b(?:confront\w*|counter\w*|intercept\w*|monitor\w*|target(?:s|ing)?|against|shoot\w*\s+down|"
    r"downed|detect\w*|destroy(?:ed|ing|s)?|sounds?\s+of)\b(?:\s+[^\s.;]+){0,5}\s+$",
    re.I,
)


@dataclass(frozen=True)
class MeansMention:
    """A weapon or means as written, its category, and where it is."""

    name: str
    category: str
    start: int
    end: int


def find_means(text: str, start: int, end: int) -> list[MeansMention]:
    """Means in text[start:end], skipping ones the sentence presents as targets to counter."""
    out: list[MeansMention] = []
    for m in _MEANS.finditer(text, start, end):
        if _COUNTERED.search(text[max(start, m.start() - 60) : m.start()]):
            continue
        idx = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        out.append(MeansMention(m.group(0), _LEXICON[idx][1], m.start(), m.end()))
    return out
