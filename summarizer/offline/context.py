"""Is this sentence about armed conflict at all? Cues, and figurative uses that are not events.

Most event words are ordinary English before they are conflict words: a deal is
struck, a record is hit, an audience is targeted, a company wages a price war, a
heat wave strikes, workers go on strike, a bank's owners "stole $5.5B". A trigger
only reports a conflict event when a conflict cue (armed actors, weapons,
military units, warfare) sits in its sentence or the sentence next to it, and a
figurative phrase never counts, neither as a trigger nor as a cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache

from summarizer.lexicons import words

# Fixed phrases in which an event word is figurative, financial or civilian.
FIGURATIVE = re.compile(
    r"\b(?:"
    r"(?:strike|struck|striking|strikes)\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?"
    r"(?:deal|deals|agreement|balance|chord|note|pose|bargain|partnership|tone|compromise|gold)|"
    r"(?:hit|hits|hitting)\s+(?:a\s+|an\s+|the\s+|new\s+|its\s+|their\s+|record\s+)*"
    r"(?:record|high|highs|low|lows|peak|milestone|target|mark|jackpot|shelves|stores|market|"
    r"headlines|screens|theaters|theatres|snag|wall|road|ground\s+running|home\s+run)|"
    r"(?:hit|hits)\s+(?:hard\s+)?by\s+(?:the\s+)?(?:pandemic|virus|crisis|recession|inflation|"
    r"downturn|slump|tariffs?|sanctions|storm|hurricane|drought|floods?|heat)|"
    r"(?:big|smash|box[-\s]office|chart|surprise)\s+hit|"
    r"target(?:s|ed|ing)?\s+(?:audiences?|markets?|customers?|consumers?|demographics?|groups?\s+of\s+"
    r"(?:consumers|customers|buyers|users)|prices?|rates?|returns?|inflation|date|sales)|"
    r"(?:price|inflation|sales|revenue|growth|earnings|emissions|climate|fiscal|budget|"
    r"production|savings)\s+targets?|on\s+target|"
    r"(?:price|trade|tariff|bidding|talent|culture|currency|console|format|streaming|"
    r"turf|flame|subscription|pricing|patent|browser)\s+wars?|"
    r"war\s+(?:chest|room|of\s+words|on\s+(?:drugs|poverty|cancer|christmas|science|women|"
    r"obesity|inflation|waste|plastic))|"
    r"(?:legal|court|courtroom|custody|uphill|losing|proxy|bidding|ratings|budget|political|"
    r"electoral|election|boardroom|takeover|public\s+relations|PR)\s+(?:battles?|fights?|wars?)|"
    r"battl(?:e|ed|es|ing)\s+(?:with|against)\s+(?:cancer|illness|addiction|depression|covid\w*|"
    r"the\s+virus|the\s+disease|inflation|obesity)|"
    r"fight(?:s|ing)?\s+(?:against\s+)?(?:inflation|poverty|climate|covid\w*|the\s+virus|"
    r"the\s+pandemic|cancer|corruption|fraud|crime|hunger|disease|obesity|piracy|spam|malware)|"
    r"(?:heart|panic|anxiety|asthma|cyber|ransomware|phishing|malware|hacker|hacking|DDoS|"
    r"denial[-\s]of[-\s]service)[-\s]?attacks?|"
    r"attacks?\s+(?:on|against)\s+(?:the\s+)?(?:policy|policies|plan|proposal|bill|reforms?|"
    r"record|press\s+freedom|democracy|his\s+record|her\s+record|the\s+record)|"
    r"(?:shot|shots)\s+(?:to\s+fame|up|down\s+(?:the|a|an)\s+(?:idea|plan|proposal|bill))|"
    r"(?:booster|flu|vaccine|covid|big|long|parting|mug|screen|money)\s+shots?|"
    r"(?:tragedy|disaster|lightning|heat\s+wave|heatwave|pandemic|virus|recession|crisis|storm|"
    r"hurricane|earthquake|quake|inspiration)\s+(?:has\s+|had\s+)?(?:struck|strikes|hit)|"
    r"(?:went|go|going|goes)\s+on\s+strike|(?:general|hunger|labou?r|rail|teachers'?|nurses'?|"
    r"workers'?|union|student|climate|tube|doctors'?)\s+strikes?|strike\s+action|"
    r"industrial\s+action|(?:further|planned|walkout)\s+strikes|"
    r"(?:killed|kills|killing)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|his\s+|her\s+)?"
    r"(?:deal|bill|plan|proposal|idea|project|momentum|socialism|mood|competition|vibe|"
    r"the\s+engine|time|it)\b|"
    r"(?:making|made|make)\s+a\s+killing|shell(?:ed|ing)\s+out|bombed\s+at\s+the\s+box\s+office|"
    r"(?:price|stock|share|market|sales|rating)s?\s+(?:plunged|plummeted|crashed|exploded)|"
    r"(?:deploy|deployed|deploying|deployment)\s+(?:of\s+)?(?:the\s+|a\s+|an\s+|new\s+|its\s+)?"
    r"(?:software|code|update|app|apps|model|models|capital|cash|funds|technology|tech|"
    r"servers?|cloud|systems?|tools?|features?|facial\s+recognition)|"
    r"(?:training|exercise)\s+(?:data|sets?|classes|courses?|programmes?|programs?|sessions?|"
    r"equipment|bikes?|routines?|regimes?|videos?|flights?|jets?|aircraft)|"
    # drills of civilian life: a school's lockdown, a fire or an evacuation drill
    r"(?:lockdown|fire|evacuation|active[-\s]shooter|earthquake|tornado|tsunami|emergency|"
    r"safety|intruder|school|hospital)\s+(?:drills?|exercises?)|"
    # a unit named after its role: "the carrier strike group", "strike fighters"
    r"strike\s+(?:groups?|forces?|fighters?|aircraft|package|capabilit(?:y|ies))|"
    r"(?:physical|aerobic|daily|regular|cardio)\s+exercises?|"
    r"(?:transport|transported|transporting)\s+(?:passengers|commuters|goods|freight|cargo)|"
    r"(?:operations|operation)\s+(?:manager|director|team|costs?|officers?)|"
    r"(?:business|company|corporate|retail|airline|banking|store|day-to-day|daily|normal)\s+"
    r"operations"
    r")\b",
    re.I,
)

# Words that put a sentence in an armed-conflict setting (any case: wire copy may be lower-cased).
CUE = re.compile(
    r"\b(?:"
    r"military(?!\s+(?:officers|veterans?|families|spouses|academy|school|records?|history|"
    r"parade|funeral|honou?rs|service\s+records?))|militaries|army|armies|armed(?!\s+(?:robbery|robberies|with\s+(?:a|an|the|his|her)\s+"
    r"(?:knife|bat|hammer)))|troops?|soldiers?|servicem[ae]n|service\s+members|marines|"
    r"paratroopers|battalions?|brigades?|regiments?|navy|naval|air\s+force|warplanes?|warships?|"
    r"fighter\s+jets?|bombers|battle\s+tanks|helicopters|helicopter\s+gunships?|drones?|UAVs?|rockets?|"
    r"missiles?|mortars?|artillery|shelling|shelled(?!\s+out)|air\s*strikes?|air\s*raids?|"
    r"bomb(?:s|ing|ings)?|bombed(?!\s+at\s+the\s+box)|explosives?|IEDs?|grenades?|landmines?|"
    r"dynamite|munitions|ammunition|weapons?|arms\s+(?:depot|cache|shipments?)|rifles?|"
    r"machine\s+guns?|gunmen|gunfire|armed\s+men|militants?|militias?|militiam[ae]n|"
    r"insurgen\w+|rebels?|guerrill\w+|fighters|jihadi\w*|terror\w*|extremists?|paramilitar\w+|"
    r"mercenar\w+|combatants?|"
    r"(?:security|armed|military|government|enemy|coalition|allied|special|ground|"
    r"rebel|opposition|occupation|pro-government|Russian|Ukrainian|Israeli|"
    r"Syrian|Iraqi|Iranian|Turkish|Kurdish|US|U\.S\.|American|British|French|Indian|"
    r"Pakistani|Afghan|Sudanese|Yemeni|Lebanese|Palestinian|Saudi|Chinese|Taiwanese|"
    r"Korean|Nigerian|Somali|Malian|Ethiopian|Tigrayan|Burmese|Myanmar|Azerbaijani|"
    r"Armenian|Houthi)\s+forces|"
    r"Hamas|Hezbollah|Hizbollah|Houthis?|Taliban|al-Qaeda|al-Qaida|Islamic\s+State|ISIS|ISIL|"
    r"Daesh|al-Shabaab|Boko\s+Haram|IDF|Pentagon|NATO|CENTCOM|Kremlin|Mujahideen|Peshmerga|"
    r"(?:defen[cs]e|war)\s+(?:ministry|minister|secretary|department|officials?)|"
    r"ministry\s+of\s+defen[cs]e|"
    r"war(?:s|time|fare|zone)?|battlefield|front\s*lines?|frontline|"
    r"ceasefire|cease-fire|truce|invasion|invaded|invad(?:e|ing)|occupation\s+forces|"
    r"occupied\s+(?:territor\w+|West\s+Bank|Golan|Crimea|areas|regions?)|"
    r"(?:military|ground|air|major|new|spring|summer|winter)\s+offensive|counter-?offensive|"
    r"offensive\s+(?:against|on|in)|siege|besieged|bombard\w*|incursions?|"
    r"air\s+defen[cs]es?|hostages?|kidnapp\w+|abduct\w+|assassinat\w+|massacre\w*|martyr\w*|"
    r"killed\s+in\s+action|murder\w*|(?:drug\s+)?traffickers|(?:drug\s+)?cartels?|narco-?terror\w*|hit\s*men|assassins|snipers?|confrontations?|riot\s+police|tear\s+gas|rubber\s+bullets|live\s+ammunition|curfew|state\s+of\s+siege|shot\s+(?:to\s+death|dead)|blown\s+up|dynamit\w+|airbase|air\s+base|military\s+base|outposts?|barracks|"
    r"clashes|clashed|firefights?|gun\s*battles?|ambush\w*|skirmish\w*"
    r")\b",
    re.I,
)
# Case matters for a few names that are ordinary words otherwise.
_NAMED_CUE = re.compile(
    r"\b(?:Islamic\s+)?Resistance\b|\bresistance\s+(?:factions|fighters)\b|"
    r"\b[A-Z][\w'-]+\s+(?:[Aa]ir\s+)?[Bb]ase\b"  # "the Qasrak base", "Ain al-Asad air base"
)


@lru_cache(maxsize=16)
def _all_figurative(text: str) -> tuple[tuple[tuple[int, int], ...], list[int], list[int]]:
    """The text's figurative spans (disjoint, in order), with their starts and ends to bisect."""
    spans = tuple((m.start(), m.end()) for m in FIGURATIVE.finditer(text))
    return spans, [a for a, _ in spans], [b for _, b in spans]


def figurative_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of text overlapping text[start:end] where event words are used figuratively.

    Found by binary search among the text's spans, so a sentence costs the same in a
    5 MB text full of "struck a deal" as in a short one.
    """
    spans, starts, ends = _all_figurative(text)
    return list(spans[bisect_right(ends, start) : bisect_left(starts, end)])


# Who holds military exercises: armed forces and their hardware. A drill with none of them
# near (a school's lockdown drill run by the police, a fire drill) is no military exercise.
MILITARY = re.compile(
    r"\b(?:military|militar(?:ies)|army|armies|navy|naval|air\s+forces?|troops|soldiers|"
    r"servicem[ae]n|marines|paratroopers|battalions?|brigades?|regiments?|warships?|"
    r"destroyers?|frigates?|carriers?|submarines?|warplanes?|fighter\s+jets?|bombers|tanks|"
    r"artillery|missiles?|rockets?|drones?|NATO|forces|defen[cs]e\s+ministry|"
    r"ministry\s+of\s+defen[cs]e|Pentagon|IDF|PLA|coast\s+guard|national\s+guard|"
    r"militias?|militants|rebels|fighters|bases|(?:air\s*|military\s+|naval\s+)?base|"
    r"helicopters?|jets|garrisons?)\b",
    re.I,
)


# Violence told outright: a story made of such sentences is about violence even without
# military words ("the presidential residence was the target of an attack tonight").
VIOLENCE = re.compile(
    r"\b(?:attack(?:s|ed)?|killed|murdered|assassinated|kidnapped|abducted|bombed|ambushed|"
    r"shot\s+dead|set\s+(?:fire|ablaze)|destroyed\s+by\s+fire|dynamited|wounded)\b",
    re.I,
)


# Deadly force by police or security agents is reported violence too, unless it was a
# road accident ("Police said the driver was killed in a crash").
POLICE = re.compile(r"\b(?:police\w*|security\s+agents|law\s+enforcement|gendarm\w+)\b", re.I)
DEADLY = re.compile(
    r"\b(?:killed|killing|shot|opened\s+fire|gunfire|clash\w*|died|wounded)\b", re.I
)
ACCIDENT = re.compile(
    r"\b(?:crash\w*|accident\w*|collision|collided|drown\w*|overdose\w*|traffic|vehicle|"
    r"driver|motorist|pedestrian|fire\s+broke\s+out|blaze|suicide)\b",
    re.I,
)


def has_violence(text: str, start: int, end: int) -> bool:
    """True when text[start:end] tells of violence outside any figurative phrase."""
    return has_cue(text, start, end, (VIOLENCE,))


def has_cue(text: str, start: int, end: int, patterns: tuple[re.Pattern[str], ...] = ()) -> bool:
    """True when text[start:end] holds a conflict cue outside any figurative phrase."""
    fig = figurative_spans(text, start, end)
    for pat in patterns or (CUE, _NAMED_CUE):
        for m in pat.finditer(text, start, end):
            if not any(a <= m.start() < b for a, b in fig):
                return True
    return False


# Stories written in a genre that borrows war words: sport, culture pages, weather, technology,
# spaceflight, politics, obituaries (one word list each: lexicons/genre_<name>.txt).
GENRES = ("sport", "arts", "weather", "tech", "space", "politics", "obituary")
_GENRE_SHARE = 0.3  # of the sentences, at least, that use the genre's words


@cache
def _genre_pattern(name: str) -> re.Pattern[str]:
    entries = sorted(words(f"genre_{name}"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in entries) + r")\b", re.I)


def story_genre(text: str, spans: list[tuple[int, int]], cued: int) -> tuple[str, int] | None:
    """The genre a story is written in, with how many sentences show it, when it is not conflict.

    A story is sport (or film, weather, technology, spaceflight) when at least three
    sentences and 30% of them use that genre's words, and no fewer than use conflict cues
    (`cued`): "clashed with the Rockets" in a game report is then figurative, as are a film's
    battles and a storm that "battered" a coast.
    """
    best: tuple[str, int] | None = None
    for name in GENRES:
        pattern = _genre_pattern(name)
        hits = sum(1 for a, b in spans if pattern.search(text, a, b))
        if best is None or hits > best[1]:
            best = (name, hits)
    if best is None or best[1] < 3 or best[1] < _GENRE_SHARE * len(spans) or best[1] < cued:
        return None
    return best
