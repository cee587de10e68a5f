"""Loaded language: a lexicon of partisan terms, their neutral wording, and rewriting.

Used by the offline summary (neutral rewrite, the `loaded_terms` list) and by
actor naming ("US occupation forces" -> "US forces"); the compare feature
reuses it to measure how differently outlets word the same story.

Principles: a term is loaded when it carries a verdict the reporter has not
shown (legality: "illegal bases"; legitimacy: "occupation forces"; praise:
"valiant", "martyrs"; contempt: "terrorist", "regime", "satanic"). The neutral
wording keeps the fact and drops the verdict. Words inside quotation marks are
someone else's words: they are reported (attributed), never rewritten.
Proper names keep their words ("Islamic Resistance in Iraq" is a group's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.spans import inside, quote_spans

_NOUNS = (
    r"forces|troops|army|soldiers|bases?|helicopters|sites|aircraft|drones|positions|"
    r"authorities|government|presence|personnel|military"
)


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a pattern, its neutral wording (may use \\1), and why it is loaded."""

    pattern: re.Pattern[str]
    neutral: str
    category: str


def _e(pattern: str, neutral: str, category: str) -> Entry:
    return Entry(re.compile(pattern, re.I), neutral, category)


#: Longest, most specific patterns first: the first match at a position wins.
LEXICON: tuple[Entry, ...] = (
    _e(rf"\bZionist\s+occupation\s+({_NOUNS})\b", r"Israeli \1", "pejorative"),
    _e(r"\bZionist\s+(?:enemy|occupation)(?:['’]s)?(?=\s)", "Israeli", "pejorative"),
    _e(rf"\boccupation\s+({_NOUNS})\b", r"\1", "delegitimizing"),
    _e(
        r"\b(US|U\.S\.|American|Israeli|Turkish|Russian|foreign)\s+occupation\b",
        r"\1 military presence",
        "delegitimizing",
    ),
    _e(r"\billegally\s+occupying\b", "deployed in", "delegitimizing"),
    _e(r"\boccupation\b", "military presence", "delegitimizing"),
    _e(r"\billegal\s+(bases?|presence|crossings?|deployment)\b", r"\1", "legal verdict"),
    _e(r"\billegally\b", "", "legal verdict"),
    _e(r"\baggression\b", "military action", "pejorative"),
    _e(r"\bmartyrdom\b", "death", "glorifying"),
    _e(r"\bmartyred\b", "killed", "glorifying"),
    _e(r"\bmartyrs\b", "people killed", "glorifying"),
    _e(r"\bmartyr\b", "person killed", "glorifying"),
    _e(r"\bterror\s+(group|organi[sz]ation)\b", r"armed \1", "pejorative"),
    # a state's armed forces called terrorist: the verdict goes, the army stays
    _e(r"\bterrorist\s+(army|forces|military|soldiers|troops)\b", r"\1", "pejorative"),
    _e(r"\bterrorists\b", "militants", "pejorative"),
    _e(r"\bterrorist\b", "militant", "pejorative"),
    # "the Syrian regime" is a verdict; a "sanctions regime" is a system of rules
    _e(
        r"(?<!sanctions\s)(?<!control\s)(?<!inspection\s)(?<!visa\s)(?<!tax\s)\bregime\b",
        "government",
        "pejorative",
    ),
    _e(r"\bliberating\b", "freeing", "euphemism"),
    _e(r"\bliberated\b", "took control of", "euphemism"),
    _e(r"\bliberate\b", "take control of", "euphemism"),
    _e(r"\bliberation\b", "capture", "euphemism"),
    _e(r"\b(?:valiant|heroic|steadfast|glorious|brave|courageous)\b", "", "glorifying"),
    _e(r"\b(?:satanic|cowardly|barbaric|barbarous|heinous|dastardly)\b", "", "pejorative"),
    _e(
        r"\bcriminal(?=\s+(?:attack|aggression|act|assault|bombing|strike|regime|occupation)s?\b)",
        "",
        "pejorative",
    ),
    _e(r"\bpuppet\b", "", "pejorative"),
    _e(r"\bso-called\b", "", "scare word"),
    _e(r"\bZionist\s+entity\b", "Israel", "pejorative"),
    _e(r"\bZionists\b", "Israelis", "pejorative"),
    _e(r"\bZionist\b", "Israeli", "pejorative"),
    _e(r"\b(American|US|U\.S\.|Israeli)\s+enemy\b", r"\1 side", "pejorative"),
    _e(r"\benemy\b", "opponent", "pejorative"),
    _e(r"\bmercenar(?:y|ies)\b", "fighters", "pejorative"),
    _e(r"\bmujahideen\b", "fighters", "glorifying"),
    _e(r"\bthugs\b", "armed men", "pejorative"),
    _e(r"\bmassacres?\b", "killing", "emotive"),
    _e(r"\bas\s+a\s+pretext\b", "as a reason", "imputing motive"),
    _e(r"\bresistance\s+(factions|groups|fighters|movements?)\b", r"armed \1", "self-designation"),
    _e(r"\bresistance\s+(operations|attacks|ops)\b", r"\1 by armed factions", "self-designation"),
    _e(
        r"\b(?:the\s+)?(Iraqi|Lebanese|Palestinian|Yemeni|Syrian)\s+resistance\b",
        r"\1 armed factions",
        "self-designation",
    ),
    _e(r"\bthe\s+resistance\b", "the armed factions", "self-designation"),
)

# Names in which a lexicon word is part of a proper name, not a verdict.
_PROPER = re.compile(
    r"Islamic\s+Resistance|Axis\s+of\s+(?:the\s+)?Resistance|Resistance\s+(?:Front|Movement|Committees)|"
    r"Liberation\s+(?:Front|Army|Organi[sz]ation|Movement|Tigers)|National\s+Liberation|"
    r"Criminal\s+Court",
    re.I,
)


@dataclass(frozen=True)
class TermHit:
    """A loaded term found in a text, where it is, and its neutral wording."""

    start: int
    end: int
    term: str
    neutral: str
    category: str
    in_quotation: bool


def find_loaded_terms(text: str, start: int = 0, end: int | None = None) -> list[TermHit]:
    """Loaded terms in text[start:end] (offsets into `text`), flagged when inside quotes."""
    end = len(text) if end is None else end
    quotes = quote_spans(text)  # cached per text: callers ask once per sentence
    proper = [(m.start(), m.end()) for m in _PROPER.finditer(text, start, end)]
    hits: list[TermHit] = []
    taken: list[tuple[int, int]] = []
    for entry in LEXICON:
        for m in entry.pattern.finditer(text, start, end):
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in taken + proper):
                continue
            taken.append((s, e))
            neutral = m.expand(entry.neutral)
            hits.append(TermHit(s, e, m.group(0), neutral, entry.category, inside(quotes, s, e)))
    return sorted(hits, key=lambda h: h.start)


def _tidy(text: str) -> str:
    """Collapse the gaps a dropped adjective leaves ("the  operations", " ,")."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" ([,.;:])", r"\1", text)
    text = re.sub(r"\b(a|an|the) (the) ", r"\2 ", text)
    return text.strip()


def rewrite(text: str, start: int = 0, end: int | None = None) -> str:
    """text[start:end] with loaded terms outside quotation marks replaced by neutral wording."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for hit in find_loaded_terms(text, start, end):
        if hit.in_quotation:
            continue
        neutral = hit.neutral
        if (
            hit.term[:1].isupper()
            and neutral[:1].islower()
            and (hit.start == start or text[hit.start - 2 : hit.start] in (". ", "\n"))
        ):
            neutral = neutral[:1].upper() + neutral[1:]
        out.append(text[pos : hit.start])
        out.append(neutral)
        pos = hit.end
    out.append(text[pos:end])
    return _tidy("".join(out))


def neutral_phrase(phrase: str) -> str:
    """A short phrase (an actor's name, a headline) with every loaded term replaced."""
    out: list[str] = []
    pos = 0
    for hit in find_loaded_terms(phrase):
        out.append(phrase[pos : hit.start])
        out.append(hit.neutral)
        pos = hit.end
    out.append(phrase[pos:])
    return _tidy("".join(out))


def loaded_share(text: str) -> float:
    """Loaded terms outside quotations per 100 words: a crude framing intensity for comparisons."""
    words = len(re.findall(r"\w+", text))
    own = sum(1 for h in find_loaded_terms(text) if not h.in_quotation)
    return 100.0 * own / words if words else 0.0
