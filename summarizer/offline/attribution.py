"""Who says so: sources of claims ("Informed sources told Al Mayadeen", "Al-Akhbar reported").

A source is found from a reporting verb and the words before it; its kind
(anonymous sources, named or anonymous official, group statement, media,
government) from those words. "They added", "The sources revealed", "he said"
refer back to an earlier source and are resolved to it, so a claim three
sentences into a sources' account is still attributed to the sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarizer.lexicons import words
from summarizer.offline.reporting import REPORTING
from summarizer.offline.text import all_lower
from summarizer.records import SourceKind

# the reporting verbs, and two participles that report too (", confirming that ...")
_VERB = re.compile(rf"\b(?:{REPORTING}|confirming|claiming)\b")
_FOLLOW = re.compile(
    r"\s*(?:that\b|:|,|\"|“|on\s+\d|on\s+[A-Z]|in\s+a\s+statement|in\s+its|to\s+[A-Z]|today|"
    r"yesterday|it\b|the\s|a\s|an\s|$|\.|[A-Z]|(?:its|his|her|their|there|he|she|they|we|I)\b|"
    r"responsibility\b|involvement\b|carrying\s+out\b|"
    r"to\s+\w+)"
)
_ACCORDING = re.compile(
    r"\b[Aa]ccording\s+to\s+(?P<src>[^,.;:\"“]{2,80}?)"
    r"(?=\s*(?:,|\.|;|:|$|\bthat\b|\bwho\b|\bwhich\b))"
)
_VIA = re.compile(
    r"\s*,?\s*(?P<via>(?:in\s+a\s+statement|in\s+remarks|in\s+an\s+interview|in\s+a\s+post)"
    r"(?:\s+(?:on|to|with|via|published\s+on|posted\s+on)\s+[A-Z][\w ]{1,40}?)?(?=\s*[,.]|\s+that)"
    r"|on\s+(?:Telegram|Twitter|X|Facebook|Instagram|social\s+media|state\s+(?:television|TV|media))"
    r"\b)"
)
_TOLD = re.compile(
    r"\s+(?P<via>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}|the\s+[a-z]+\s+[a-z]+)"
)
_SPEAKING = re.compile(r"\s+(?:speaking|talking)\s+(?:with|to)\s+(?P<via>.+)$")
_PRONOUN = re.compile(
    r"^(?:they|he|she|the\s+sources?|these\s+sources|the\s+same\s+sources?)$", re.I
)
_TITLE = re.compile(
    r"\b(?:official|spokes\w+|minister|secretary|commander|chief|officer|president|ambassador|envoy|"
    r"general|colonel|col|leader|head|director|adviser|advisor|senator|mayor|governor|deputy|"
    r"assistant|sheikh|prime)\b",
    re.I,
)
_MEDIA = re.compile(
    r"\b(?:newspaper|agency|magazine|outlet|channel|radio|television|TV|daily|report|publication|"
    r"website|network|media|press|Reuters|AFP|AP|Al\s+Mayadeen|Al\s+Jazeera|Al-Akhbar)\b",
    re.I,
)
_GOV = re.compile(
    r"\b(?:army|ministry|government|military|Pentagon|CENTCOM|White\s+House|State\s+Department|"
    r"police|authorities|coalition|embassy|command|air\s+force|navy|forces|defen[cs]e|"
    r"interior|foreign\s+office)\b",
    re.I,
)
_GROUP = re.compile(
    r"\b(?:resistance|brigades?|hezbollah|hamas|movement|front|group|faction\w*|militia\w*|"
    r"kataib|taliban|houthis?|ansar|islamic\s+state|isis|isil|daesh|al-qaeda|al-shabaab|"
    r"boko\s+haram)\b",
    re.I,
)
_LEAD_JUNK = re.compile(
    r"^(?:(?:and|but|however|moreover|furthermore|meanwhile|also|then|rather|in\s+short|while|"
    r"with|as|when|earlier|later|despite\s+\w+(?:\s+\w+)?)\s+)+",
    re.I,
)
_TAIL_JUNK = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|are|also|then|further|later|had\s+been))+$", re.I
)
# "DUBAI (Reuters) - Yemen's Houthi movement said": the dateline is no part of the source
_DATELINE = re.compile(r"^[A-Z][A-Z .'/-]{2,}(?:,[^()\n]{0,40})?\s*(?:\([^)]{1,30}\))?\s*[-—–]+\s+")
_NAME_TOKS = re.compile(r"(?:(?:al|el)-)?[A-Z][\w'’-]+")


@dataclass(frozen=True)
class Source:
    """A source of claims: as written, its kind, the channel, and its evidence span(s)."""

    source: str
    kind: SourceKind
    via: str | None
    spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)


def _person(name: str) -> bool:
    """A person's name ends the phrase: "Defense Secretary Lloyd Austin", "Ethan Goldrich"."""
    trailing: list[str] = []
    for tok in reversed(name.split()):
        if (
            not _NAME_TOKS.fullmatch(tok)
            or _TITLE.search(tok)
            or _GOV.search(tok)
            or _MEDIA.search(tok)
        ):
            break
        trailing.append(tok)
    return len(trailing) >= 2 or (len(trailing) == 1 and len(name.split()) == 1)


# A party to the fighting speaking through its own spokesman or outlet ("a Taliban spokesman",
# "the Houthi movement's military spokesman", "Houthi-run Al Masirah TV") gives the party's
# word, not an independent one; a state body it runs ("the Hamas-run health ministry",
# "Taliban police") speaks as a government.
_PARTY = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in words("armed_groups")) + r")(?:[-\s](?:run|led|"
    r"controlled|backed|affiliated|owned))?\b",
    re.I,
)
_STATE_BODY = re.compile(
    r"\b(?:police|ministry|government|authorities|interior|health|civil\s+defen[cs]e|"
    r"(?:intelligence|security|spy)\s+(?:agency|service))\b",
    re.I,
)
# Rights groups and monitors are no party: "a tally by the rights group Nagorik Forum".
_MONITOR = re.compile(
    r"\b(?:rights\s+(?:group|organi[sz]ation|monitor)|monitor(?:ing)?\s+group|watchdog|"
    r"observatory|NGO|charity|aid\s+(?:group|agency|organi[sz]ation))\b",
    re.I,
)


def _kind(src: str, context: str, verb: str) -> SourceKind:
    """The sort of source, from its words and the verb that introduces it."""
    if re.search(r"\bsources?\b", src, re.I):
        return SourceKind.anonymous_sources
    if _MONITOR.search(src):
        return SourceKind.other
    if _PARTY.search(src):
        return SourceKind.government if _STATE_BODY.search(src) else SourceKind.group_statement
    if re.search(r"\bstatements?\b|communiqu", src, re.I):
        return SourceKind.group_statement
    if _MEDIA.search(src) or (
        verb in ("reported", "published") and src[:1].isupper() and not _TITLE.search(src)
    ):
        return SourceKind.media_outlet
    if _TITLE.search(src) or _TITLE.search(context):
        return SourceKind.named_official if _person(src) else SourceKind.anonymous_official
    if _GROUP.search(src):
        return SourceKind.group_statement
    if _GOV.search(src) or re.search(r"United\s+States|Washington", src):
        return SourceKind.government
    return SourceKind.other


class SourceTracker:
    """Finds sources sentence by sentence, remembering them to resolve "they" and "the sources"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.history: list[Source] = []

    def _resolve(self, word: str, span: tuple[int, int]) -> Source | None:
        """The earlier source that "they", "he" or "the sources" stands for."""
        low = word.lower()
        for prev in reversed(self.history[-6:]):
            if low in ("he", "she") and prev.kind in (SourceKind.named_official, SourceKind.other):
                return Source(prev.source, prev.kind, prev.via, (*prev.spans[:1], span))
            wanted = (
                (SourceKind.anonymous_sources,)
                if low.startswith("source")
                else (SourceKind.anonymous_sources, SourceKind.group_statement)
            )
            if low not in ("he", "she") and prev.kind in wanted:
                return Source(prev.source, prev.kind, prev.via, (*prev.spans[:1], span))
        return None

    def _same_speaker(self, src: str) -> Source | None:
        """An earlier named speaker this one names again ("Al-Askari" after "Abu Ali al-Askari")."""
        last = src.split()[-1].lower() if src.split() else ""
        for prev in reversed(self.history[-8:]):
            if prev.kind == SourceKind.named_official and prev.source.split()[-1].lower() == last:
                return prev
        return None

    def sources_in(self, start: int, end: int) -> list[Source]:
        """Sources attributed in text[start:end]; remembered for later anaphora."""
        text = self.text
        found: list[Source] = []
        for m in _ACCORDING.finditer(text, start, end):
            src = m.group("src").strip()
            found.append(Source(src, _kind(src, "", "according"), None, ((m.start(), m.end()),)))
        for m in _VERB.finditer(text, start, end):
            verb = m.group(0)
            told_verb = verb in ("told", "tell", "tells", "informed")
            if not (told_verb or _FOLLOW.match(text, m.end(), end)) or re.search(
                r"\b(?:was|were|been|is|are|be)\s+$", text[start : m.start()]
            ):
                continue
            before = text[start : m.start()]
            segs = [s for s in re.split(r",|\bthat\b|;|:|\"|“|”", before) if s.strip()]
            if not segs:
                continue
            raw = segs[-1]
            src = _TAIL_JUNK.sub("", _LEAD_JUNK.sub("", _DATELINE.sub("", raw.strip()))).strip()
            context = segs[-2] if len(segs) > 1 else ""
            if not src or len(src.split()) > 8 or (verb.endswith("ing") and len(src.split()) > 4):
                continue
            if re.match(r"(?:no|nobody|none)\b", src, re.I):
                continue  # "No group claimed the attack": nobody says so
            if (
                src[:1].islower()
                and not all_lower(text)
                and not _PRONOUN.match(src)
                and not re.match(r"(?:the|a|an)\s", src)
                and not re.search(r"\b[A-Z]", src)
            ):
                continue
            s_src = start + before.rindex(raw) + raw.index(src)
            if re.match(r"(?:a|an)\s", src) and re.fullmatch(
                r"\s*(?:[A-Z][\w'-]*\s*){1,5}", context
            ):
                # "Kataib Hezbollah, an Iran-backed militia, threatened": the name speaks
                name = context.strip()
                s_src = start + before.rindex(context) + context.index(name)
                src = name
            span_end = m.end()
            via: str | None = None
            speaking = _SPEAKING.search(src)
            if speaking:
                via = speaking.group(0).strip()
                src = src[: speaking.start()]
            elif told_verb:
                told = _TOLD.match(text, m.end(), end)
                if told:
                    via = text[m.start() : told.end()]
                    span_end = told.end()
            vm = _VIA.match(text, span_end, end)
            if vm:
                via = vm.group("via")
                span_end = vm.end("via")
            span = (s_src, span_end)
            if _PRONOUN.match(src):
                resolved = self._resolve(
                    src.split()[-1] if src.lower().startswith("the") else src, span
                )
                if resolved is not None:
                    found.append(resolved)
                continue
            same = self._same_speaker(src)
            if same is not None and (not _TITLE.search(src) or len(src.split()) <= 2):
                found.append(
                    Source(same.source, same.kind, via or same.via, (*same.spans[:1], span))
                )
                continue
            kind = _kind(src, context, verb)
            if kind == SourceKind.anonymous_official and re.search(
                r"\bchief|leader|head\b", src, re.I
            ):
                prev = next(
                    (p for p in reversed(self.history[-4:]) if p.kind == SourceKind.named_official),
                    None,
                )
                if prev is not None:
                    found.append(Source(prev.source, prev.kind, prev.via, (*prev.spans[:1], span)))
                    continue
            found.append(Source(src, kind, via, (span,)))
        for m in re.finditer(r"\b(?:his|her)\s+statement\b", text[start:end]):
            prev = next(
                (p for p in reversed(self.history[-4:]) if p.kind == SourceKind.named_official),
                None,
            )
            if prev is not None:
                found.append(
                    Source(
                        prev.source,
                        prev.kind,
                        prev.via,
                        (*prev.spans[:1], (start + m.start(), start + m.end())),
                    )
                )
        self.history.extend(found)
        return found
