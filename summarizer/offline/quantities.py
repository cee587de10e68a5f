"""Counts with what they count and their scope, and casualty counts (killed vs injured).

"about 85 times" after "targeted US bases in Syria" and "Since October 18"
becomes 85 / about / times / "US bases in Syria since October 18"; "at least 70
US soldiers" next to "injury" becomes an injured count with low = best = 70.
A count is a casualty only when a word for killing or injury sits in the same
clause; deaths and injuries are never mixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from summarizer.offline.numbers import (
    NUMBER,
    QUALIFIER,
    Count,
    find_counts,
    parse_number,
    qualifier_of,
)
from summarizer.offline.reporting import REPORTING
from summarizer.offline.text import word_list
from summarizer.records import QuantityQualifier

_TIME_UNITS = frozenset(
    word_list(
        "day days hour hours week weeks month months year years minute minutes second seconds "
        "am pm times-a-day percent per cent km kilometers kilometres miles nautical meters metres "
        "languages"
    )
)
_STOP = frozenset(
    word_list(
        "in on at since to that which who against from by with during after before for over "
        "into near were was are is have has had will would could the a an its their his her "
        "as than across along inside within between around under through toward towards until "
        "while when including such like near via"
    )
)
_PEOPLE = (
    r"soldiers|troops|personnel|people|civilians|persons|members|fighters|militants|guerrillas|"
    r"children|women|men|policemen|police\s+officers|officers|workers|peasants|servicemen|"
    r"service\s+members|marines|Americans|residents|students|journalists|passengers|bodyguards|"
    r"agents|rebels|terrorists|victims|others|(?-i:[A-Z][a-z]+(?:ians|ans|is)|Lebanese|Sudanese)|soldier|civilian|peasant|policeman|child|man|woman|"
    r"journalist|officer|student|person|guard|member|worker|resident"
)
# the words before the noun qualify it ("three Palestinian civilians"); a conjunction, a verb
# of another clause or a second number ends the phrase ("three fatalities and left 30 people")
_NOT_QUALIFIER = r"(?!(?:left|leaving|were|was|had|has|have|killing|wounding|injuring)\b|\d)"
_PEOPLE_RE = re.compile(rf"(?P<who>(?:{_NOT_QUALIFIER}[\w.'’-]+\s+){{0,4}}?(?:{_PEOPLE}))\b", re.I)
# "killing 3 and wounding 5", "the death toll rose to 15": a toll with no noun after it
_BARE_TOLL = re.compile(
    rf"\b(?P<verb>killed|killing|wounded|wounding|injured|injuring|(?:death|casualty)\s+toll"
    rf"(?:\s+\w+){{0,3}}?\s+(?:to|at|of|reached|stood\s+at))\s+(?P<count>(?:(?P<qual>{QUALIFIER})\s+)?"
    rf"(?P<num>{NUMBER}))\b(?!\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE}))(?![\w,]*\s+(?:of|people|percent)\b)",
    re.I,
)
_A_PERSON = re.compile(
    r"\b(?:a|an)\s+(?P<who>(?:[a-z'-]+\s+){0,2}?(?:soldier|civilian|peasant|policeman|child|man|woman|"
    r"journalist|officer|student|person|guard|member|worker|resident|passer-by))\b",
    re.I,
)
_KILLED = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|dead|deaths?|died|fatalit\w+|murder\w*|slain|executed|massacred|"
    r"martyr(?:ed|ing|s)?|"
    r"lost\s+their\s+lives|bodies)\b",
    re.I,
)
_INJURED = re.compile(r"\b(?:injur\w+|wound\w*|hurt|hospitali[sz]ed)\b", re.I)
NONE_REPORTED = re.compile(
    r"\bno\s+(?:[\w-]+\s+)?(?:casualties|injuries|deaths|fatalities)\b|\bwithout\s+(?:casualties|injuries)\b|"
    r"\bno\s+(?:one|body)\s+was\s+(?:hurt|injured|killed|wounded)\b|\bno\s+(?:injuries|casualties)\s+were\b",
    re.I,
)
_SCOPE_STOP = re.compile(
    r",\s*(?:and\s+)?(?=(?:including|resulting|adding|as\s+well|while|which|who|but|after|before|"
    r"in\s+addition|according|with|\d|one|two|three|four|five|six|seven|eight|nine|ten)\b)|;|"
    r"\.(?=\s|$)|[\"”]|\s+and\s+(?=has|have|had|is|was)\b|,\s*$|"
    rf",\s+(?=(?:[\w'-]+\s+){{0,4}}{REPORTING}\b)|"
    r",\s+(?=\w+ing\b)|\s+and\s+(?=\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)"
)
_ABBREV_DOT = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|U\.S|U\.N|Gen|No)\.$")
# "between 10 and 15 fighters", "10 to 15 people", "10-15 civilians": a low and a high figure
_RANGE = re.compile(
    rf"\b(?:between\s+(?P<a>{NUMBER})\s+and\s+(?P<b>{NUMBER})|"
    rf"(?P<c>\d+|{NUMBER})\s*(?:to|-|–|or)\s*(?P<d>\d+|{NUMBER}))(?=\s)",
    re.I,
)


@dataclass(frozen=True)
class QuantityMention:
    """A count with its unit and scope, and the spans of its text and evidence."""

    value: int
    qualifier: QuantityQualifier
    unit: str
    scope: str | None
    start: int  # span of the count as written ("about 85 times")
    end: int
    ev_start: int  # evidence span: the count, its unit and scope
    ev_end: int
    high: int | None = None  # the top of a range ("between 10 and 15 rockets"): value is its low


@dataclass(frozen=True)
class CasualtyMention:
    """A toll: killed or injured, the count (None when vague), who, and its spans."""

    killed: bool
    value: int | None
    qualifier: QuantityQualifier
    who: str
    start: int  # the count as written ("at least 70 US soldiers")
    end: int
    ev_start: int  # evidence: the count plus the killing/injury word
    ev_end: int
    high: int | None = None  # upper end of a range ("between 10 and 15 fighters")


def _unit(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """The words a count counts ("batches of weapons and equipment"), as a span."""
    words = list(re.finditer(r"[A-Za-z][\w'’-]*|\S", text[pos:end]))
    taken: list[re.Match[str]] = []
    after_of = False
    for w in words:
        tok = w.group(0)
        low = tok.lower()
        if not tok[0].isalpha():
            break
        if low == "of" and taken and not after_of:
            after_of = True
            taken.append(w)
            continue
        if low == "and" and after_of and taken[-1].group(0).lower() != "of":
            taken.append(w)
            continue
        if low in _STOP or len(taken) >= 7:
            break
        prev = taken[-1].group(0) if taken else ""
        if prev.endswith("s") and len(prev) > 3 and prev.lower() != "arms" and not after_of:
            break  # a plural noun ends the unit: "three batches | arrived"
        taken.append(w)
    while taken and taken[-1].group(0).lower() in ("of", "and"):
        taken.pop()
    if not taken:
        return None
    return pos + taken[0].start(), pos + taken[-1].end()


def _scope(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """Where and when a count applies: the words after it up to the end of its clause."""
    stop = _SCOPE_STOP.search(text, pos, end)
    # "since Oct. 17" goes on (the look-back is bounded: from 0 it made long inputs quadratic)
    while stop and stop.group(0) == "." and _ABBREV_DOT.search(text, stop.end() - 8, stop.end()):
        stop = _SCOPE_STOP.search(text, stop.end(), end)
    stop_at = stop.start() if stop else end
    stop_at = min(stop_at, pos + 140)
    seg = text[pos:stop_at]
    s = pos + len(seg) - len(seg.lstrip())
    e = pos + len(seg.rstrip(" ,.;"))
    if e - s < 3:
        return None
    while e < stop_at and text[e - 1].isalnum() and e < len(text) and text[e].isalnum():
        e += 1  # do not cut a word
    return s, e


# "two other people were wounded": the count's own predicate decides, however near "killed" is
_PREDICATE = re.compile(
    r"\s+(?:were|was|are|is|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+|also\s+)?(?P<verb>\w+)"
)


def _casualty_class(text: str, c_start: int, c_end: int, lo: int, hi: int) -> bool | None:
    """True killed, False injured, None neither: the count's own predicate ("N people were
    wounded"), else the nearest such word in the same clause."""
    pred = _PREDICATE.match(text, c_end, hi)
    if pred is not None:
        if _KILLED.fullmatch(pred.group("verb")):
            return True
        if _INJURED.fullmatch(pred.group("verb")):
            return False
    left = text.rfind(",", lo, c_start)
    clause_lo = max(lo, left + 1 if left >= 0 else lo, c_start - 80)
    right_m = re.search(r"[,;.]", text[c_end:hi])
    clause_hi = min(hi, c_end + (right_m.start() if right_m else hi - c_end), c_end + 80)
    best: tuple[int, bool] | None = None
    for pat, killed in ((_KILLED, True), (_INJURED, False)):
        for m in pat.finditer(text, clause_lo, clause_hi):
            dist = c_start - m.end() if m.end() <= c_start else m.start() - c_end
            if best is None or dist < best[0]:
                best = (dist, killed)
    return best[1] if best else None


# The low end written before a count: "between 10 and 15 rockets", "20 to 30 strikes".
_LOW_END = re.compile(
    rf"(?:\bbetween\s+(?P<a>{NUMBER})\s+and|\b(?P<b>\d+|{NUMBER})\s*(?:to|-|–|or))\s*$", re.I
)


def _as_range(text: str, q: QuantityMention) -> QuantityMention:
    """The count as a range when the text gives its low end right before it."""
    m = _LOW_END.search(text, max(0, q.start - 40), q.start)
    low = parse_number(m.group("a") or m.group("b")) if m else None
    if m is None or low is None or not low < q.value:
        return q
    return replace(q, value=low, high=q.value, start=m.start(), ev_start=min(q.ev_start, m.start()))


def find_quantities(
    text: str, start: int, end: int, skip: list[tuple[int, int]]
) -> tuple[list[QuantityMention], list[CasualtyMention]]:
    """Counts and casualty counts in text[start:end]; `skip` spans (dates) hold no counts."""
    quants: list[QuantityMention] = []
    cas: list[CasualtyMention] = []
    tolls = _bare_tolls(text, start, end)
    cas.extend(tolls)
    ranges = _ranges(text, start, end)
    cas.extend(ranges)
    for c in find_counts(text[start:end]):
        c = Count(c.value, c.qualifier, c.start + start, c.num_end + start, c.vague)
        if re.search(r"\bincluding\s+$", text[max(0, c.start - 10) : c.start]) and _PEOPLE_RE.match(
            text, c.num_end + 1, end
        ):
            continue  # "14 people, including three children": part of a toll already given
        if text[c.start - 1 : c.start] in ("+", "#", "№") or re.match(
            r" (?:Magazine|News|TV|Radio|FM|Channel)\b", text[c.num_end : c.num_end + 9]
        ):
            continue  # "+972 Magazine", "#3": a name, not a count
        if any(t.start <= c.start < t.end for t in tolls + ranges):  # already read as a toll
            continue
        if any(a <= c.start < b for a, b in skip) or (
            c.qualifier == QuantityQualifier.exact
            and re.search(r"\b(?:the|these|those)\s+$", text[max(0, c.start - 7) : c.start], re.I)
        ):
            continue
        people = _PEOPLE_RE.match(text, c.num_end + 1, end) if c.num_end < end else None
        if (
            people
            and text[c.num_end : c.num_end + 1] == " "
            and not people.group("who").lower().startswith("of ")
        ):
            p_end = people.end()
            killed = _casualty_class(text, c.start, p_end, start, end)
            if killed is not None:
                lo, hi = _evidence_bounds(text, c.start, p_end, killed, start, end)
                who = people.group("who")
                cas.append(
                    CasualtyMention(
                        killed,
                        None if c.vague else c.value,
                        c.qualifier,
                        who,
                        c.start,
                        p_end,
                        lo,
                        hi,
                    )
                )
                if not c.vague:
                    continue
        unit = _unit(text, c.num_end, end)
        if unit is None:
            continue
        u_text = text[unit[0] : unit[1]]
        first = u_text.split()[0].lower()
        bare = _KILLED.fullmatch(first) or _INJURED.fullmatch(first)
        if bare and not c.vague:  # "12 wounded", "three dead"
            cas.append(
                CasualtyMention(
                    bool(_KILLED.fullmatch(first)),
                    c.value,
                    c.qualifier,
                    "",
                    c.start,
                    unit[0] + len(first),
                    c.start,
                    unit[0] + len(first),
                )
            )
            continue
        if first in _TIME_UNITS or first == "of" or (c.value == 1 and not c.vague):
            continue
        scope = _scope(text, unit[1], end)
        ev_end = scope[1] if scope else unit[1]
        quants.append(
            QuantityMention(
                c.value,
                c.qualifier,
                u_text,
                text[scope[0] : scope[1]] if scope else None,
                c.start,
                unit[1],
                c.start,
                ev_end,
            )
        )
    for m in _A_PERSON.finditer(text, start, end):
        killed = _casualty_class(text, m.start(), m.end(), start, end)
        if killed is not None:
            lo, hi = _evidence_bounds(text, m.start(), m.end(), killed, start, end)
            cas.append(
                CasualtyMention(
                    killed, 1, QuantityQualifier.exact, m.group("who"), m.start(), m.end(), lo, hi
                )
            )
    return [_as_range(text, q) for q in quants], cas


def _ranges(text: str, start: int, end: int) -> list[CasualtyMention]:
    """Tolls given as a range of people ("between 10 and 15 fighters were killed")."""
    out: list[CasualtyMention] = []
    for m in _RANGE.finditer(text, start, end):
        low = parse_number(m.group("a") or m.group("c"))
        high = parse_number(m.group("b") or m.group("d"))
        if low is None or high is None or not low < high:
            continue
        people = _PEOPLE_RE.match(text, m.end() + 1, end)
        if people is None or people.group("who").lower().startswith("of "):
            continue
        killed = _casualty_class(text, m.start(), people.end(), start, end)
        if killed is None:
            continue
        lo, hi = _evidence_bounds(text, m.start(), people.end(), killed, start, end)
        out.append(
            CasualtyMention(
                killed,
                low,
                QuantityQualifier.exact,
                people.group("who"),
                m.start(),
                people.end(),
                lo,
                hi,
                high,
            )
        )
    return out


def _bare_tolls(text: str, start: int, end: int) -> list[CasualtyMention]:
    """Tolls given as a bare number after the verb ("wounded 5", "the death toll rose to 15")."""
    out: list[CasualtyMention] = []
    for m in _BARE_TOLL.finditer(text, start, end):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        killed = not _INJURED.match(m.group("verb"))
        qual = qualifier_of(m.group("qual"))
        out.append(CasualtyMention(killed, value, qual, "", m.start(), m.end(), m.start(), m.end()))
    return out


def _evidence_bounds(text: str, s: int, e: int, killed: bool, lo: int, hi: int) -> tuple[int, int]:
    """Smallest span holding the count and its nearest killing/injury word."""
    pat = _KILLED if killed else _INJURED
    best = (s, e)
    best_len = 10**9
    for m in pat.finditer(text, max(lo, s - 80), min(hi, e + 80)):
        a, b = min(s, m.start()), max(e, m.end())
        if b - a < best_len:
            best, best_len = (a, b), b - a
    return best
