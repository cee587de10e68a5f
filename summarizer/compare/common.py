"""What every compare stage shares: article identity, outlet labels, name keys, evidence refs.

Comparing outlets means deciding when two differently written names are the
same thing ("al-Hasakah" / "Hasaka", "the United States" / "Washington"):
the keys here are deliberately simple and explainable (alias table, lower
case, no article prefixes), so every link and every cell can say why it matched.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

from summarizer.lexicons import table, words
from summarizer.offline.gazetteer import COUNTRIES, REGIONS
from summarizer.records import ArticleResult, Evidence, EvidenceRef, IncidentRecord


def doc_id(result: ArticleResult) -> str:
    """The article's stable id: its own `doc_id` when the result carries one, else the text's."""
    own = getattr(result.article, "doc_id", None)
    if isinstance(own, str) and own:
        return own
    return hashlib.sha256(result.article.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Doc:
    """One compared article: its result, id, display label and position in the input."""

    result: ArticleResult
    id: str
    label: str
    order: int

    @property
    def text(self) -> str:
        return self.result.article.text

    @property
    def incidents(self) -> list[IncidentRecord]:
        return self.result.incidents


def make_docs(results: Sequence[ArticleResult]) -> list[Doc]:
    """Docs with unique labels: the outlet, else the source file stem; repeats get '#2'..."""
    docs: list[Doc] = []
    seen: dict[str, int] = {}
    ids: set[str] = set()
    for i, r in enumerate(results):
        a = r.article
        stem = re.sub(r"\.[A-Za-z0-9]+$", "", PurePath(a.source).name) if a.source else None
        base = a.outlet or stem
        base = base or (a.title[:40] if a.title else f"article {i + 1}")
        seen[base] = seen.get(base, 0) + 1
        label = base if seen[base] == 1 else f"{base} #{seen[base]}"
        key = doc_id(r)
        if key in ids:  # the same article given twice: keep one id per input
            key = f"{key}~{i}"
        ids.add(key)
        docs.append(Doc(r, key, label, i))
    return docs


def ref(doc: str, ev: Evidence, fact: str | None = None) -> EvidenceRef:
    return EvidenceRef(doc_id=doc, start=ev.start, end=ev.end, quote=ev.quote, field=fact)


def refs(doc: str, evidence: Iterable[Evidence], fact: str | None = None) -> list[EvidenceRef]:
    return [ref(doc, ev, fact) for ev in evidence]


# --------------------------------------------------------------------------- name keys

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_PLACE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[-\s]+", re.I)


def fold(text: str) -> str:
    """Lower case, accents and punctuation folded, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s.'-]", " ", text)).strip()


def actor_key(name: str) -> str:
    """One key per actor however it is written ('the United States' and 'Washington': 'us')."""
    key = _ARTICLE.sub("", fold(name)).strip(" .")
    aliases = table("actor_aliases")
    if key in aliases:
        return aliases[key]
    # "the U.S. military" -> "us military": alias the leading name only
    for alias, canonical in aliases.items():
        if key.startswith(alias + " "):
            return canonical + key[len(alias) :]
    return key.replace("u.s.", "us")


def generic_actor(key: str) -> bool:
    """True for names that fit many events ('US forces', 'armed factions')."""
    return key in _generic()


@cache
def _generic() -> frozenset[str]:
    return frozenset(words("generic_actors"))


def place_key(name: str) -> str:
    """One key per place however transliterated ('al-Hasakah', 'Hasaka' -> 'hasaka')."""
    key = _PLACE_PREFIX.sub("", _ARTICLE.sub("", fold(name)))
    key = re.sub(r"[^a-z0-9]", "", key)
    return key[:-1] if key.endswith("h") and len(key) > 4 else key


_COUNTRY_KEYS = frozenset(place_key(c) for c in COUNTRIES | REGIONS)


def is_country(name: str) -> bool:
    """Countries and large regions: a shared one says little about the event."""
    return place_key(name) in _COUNTRY_KEYS


def unit_family(unit: str) -> str:
    """What a count counts, grouped ('operations', 'times', 'attacks' -> 'attacks')."""
    units = table("count_units")
    for word in reversed(fold(unit).split()):
        if word in units:
            return units[word]
    return fold(unit)


def content_words(text: str) -> list[str]:
    """Lower-case words of 3+ letters that are not stop words (for overlap measures)."""
    stop = _stop()
    return [w for w in re.findall(r"[a-z0-9]{3,}", fold(text)) if w not in stop]


@cache
def _stop() -> frozenset[str]:
    # justext's English stop list (a trafilatura dependency), plus reporting verbs
    import justext

    return frozenset(w.casefold() for w in justext.get_stoplist("English")) | frozenset(
        ("said", "says", "told", "according", "reported", "also", "would", "could")
    )
