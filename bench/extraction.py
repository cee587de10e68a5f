"""Score the offline extractor: dev set, MUCSUM slots, false incidents on ordinary pages.

Data: ../shared/devdata/extraction_mucsum_dev/dev.json (MUCSUM dev split: 116
lower-cased 1990s Latin-American wire documents, 191 gold templates; MIT). The
data is read from there, never copied into the repository.

Each document is extracted once (its sentences joined one a line, no
publication date). Slots, pooled over documents (gold = union of the
document's templates, predicted = union of its incidents):
  perp      initiators (name as written)         vs perpind + perporg
  target    targets + casualty `who`             vs target + victim
  weapon    means (name as written)              vs weapon
  location  locations (name as written)          vs location
A predicted string matches a gold one when, after lower-casing and dropping
articles and quotes, either contains the other (MUC-style relaxed match).
Also reported: incident-level type agreement (does some incident of the
document have the gold template's kind) and speed.

Two more measures:
--devset [DIR]  the hand-written dev set (bench/devset/: articles, gold, README with the
                format and the matching rules): incident precision/recall (type, +status),
                status accuracy, per-field precision/recall, injected words, false incidents
                on its articles without incidents. Runs in well under a second.
--pages [DIR...] the whole offline extraction (cleaning included) over the 84 EN news pages of
                ../shared/devdata/cleaning_en_news/html/ and the 130 readability pages of
                ../shared/devdata/cleaning_readability/pages/ (read in place, gunzipped in
                memory): every incident found, one line each with its page, and the false
                incidents per 100 pages on the pages whose news is no violent event.
With no option it runs all three; --mucsum or --data FILE runs MUCSUM alone (the output names
the file it read).

Usage: .venv/bin/python bench/extraction.py [--devset [DIR]] [--article PART] [--mucsum]
           [--data FILE] [--pages [DIR ...]] [--show N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from summarizer.offline.incidents import extract_incidents
from summarizer.records import CasualtyCount, EventStatus, EventType, IncidentRecord

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "devdata" / "extraction_mucsum_dev" / "dev.json"
DEFAULT_PAGES = [
    ROOT.parent / "shared" / "devdata" / "cleaning_en_news" / "html",
    ROOT.parent / "shared" / "devdata" / "cleaning_readability" / "pages",
]
DEFAULT_DEVSET = ROOT / "bench" / "devset"
EVENT_TYPES = {e.value for e in EventType}

_GOLD = {
    "perp": ("perpind", "perporg"),
    "target": ("target", "victim"),
    "weapon": ("weapon",),
    "location": ("location",),
}
_TYPES = {
    "attack": {
        EventType.attack,
        EventType.armed_clash,
        EventType.air_or_drone_strike,
        EventType.shelling_or_missile,
        EventType.bombing,
    },
    "bombing": {
        EventType.attack,
        EventType.bombing,
        EventType.air_or_drone_strike,
        EventType.shelling_or_missile,
    },
    "arson": {EventType.attack, EventType.arson_or_destruction},
    "robbery": {EventType.attack, EventType.arson_or_destruction},
    "kidnapping": {EventType.abduction, EventType.arrest_or_capture},
    "forced work stoppage": {EventType.other, EventType.threat_or_statement},
}


def norm(s: str) -> str:
    s = re.sub(r"[\"“”'’]", "", s.lower())
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip())
    return re.sub(r"\s+", " ", s)


def predicted(incidents: list[IncidentRecord]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {k: set() for k in _GOLD}
    for r in incidents:
        out["perp"] |= {norm(a.name) for a in r.initiators}
        out["target"] |= {norm(a.name) for a in r.targets}
        for c in (r.casualties.killed, r.casualties.injured):
            if c is not None and c.who:
                out["target"].add(norm(c.who))
        out["weapon"] |= {norm(m.name) for m in r.means}
        out["location"] |= {norm(loc.name) for loc in r.locations}
    return out


def matches(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def score(pairs: Iterable[tuple[set[str], set[str]]]) -> tuple[int, int, int, int]:
    """(matched predictions, predictions, matched gold, gold), pooled."""
    tp_p = n_p = tp_g = n_g = 0
    for pred, gold in pairs:
        n_p += len(pred)
        n_g += len(gold)
        tp_p += sum(any(matches(p, g) for g in gold) for p in pred)
        tp_g += sum(any(matches(p, g) for p in pred) for g in gold)
    return tp_p, n_p, tp_g, n_g


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


#: Dev pages whose news is itself a violent event, an arrest or a war: incidents there can be
#: right, so they are left out of the false-incident rate (their incidents are still listed).
EVENT_PAGES = {
    "theintercept.com-Gaza.html.gz": "births in Gaza during the war",
    "jamaicaobserver.com-attacks.html.gz": "a woman attacks a police inspector with a stone",
    "kaieteurnewsonline.com-essequibo.html.gz": "a hunter found dead with gunshot wounds",
    "soy502.com-capturan.html.gz": "a woman arrested for murder",
    "stluciatimes.com-dea.html.gz": "the DEA arrests a premier",
    "thestkittsnevisobserver.com-bvi.html.gz": "the same arrest",
    "bostonherald.com-Brothel-catering.html.gz": "a brothel busted, arrests",
    "heartlandnewsfeed.com-Christian.html.gz": "police blotter: arrests",
    "viconsortium.com-cocaine.html.gz": "a drug seizure and arrests at sea",
    "wapo-1/source.html.gz": "gunmen attack the Bardo museum in Tunis",
    "telegraph/source.html.gz": "a military coup in Zimbabwe",
    "nytimes-1/source.html.gz": "Sudan sanctions: killings by security forces, 1998 bombings",
}


def pages(folders: list[Path]) -> None:
    """False incidents on the dev pages: every incident found, and the rate per 100 pages."""
    from summarizer.backends.offline import OfflineBackend
    from summarizer.clean import clean
    from summarizer.config import Settings
    from summarizer.errors import SummarizerError

    backend = OfflineBackend(Settings())
    totals = [0, 0, 0]
    for folder in folders:
        files = sorted(p for p in folder.rglob("*.html.gz") if p.name != "expected.html.gz")
        counted = false = pages_hit = 0
        t0 = time.perf_counter()
        for path in files:
            name = str(path.relative_to(folder))
            try:
                article = clean(gzip.decompress(path.read_bytes()), name=path.name)
            except SummarizerError as exc:
                print(f"{name}: {exc}")
                continue
            incidents = backend.extract(article).value
            event_page = name in EVENT_PAGES
            counted += not event_page
            if not event_page:
                false += len(incidents)
                pages_hit += bool(incidents)
            for rec in incidents:
                mark = "event page" if event_page else "FALSE"
                what = f"{rec.event_type.value}/{rec.status.value}: {rec.description}"
                print(f"  {mark:10} {name}: {what}")
        elapsed = time.perf_counter() - t0
        print(
            f"pages {label(folder)}: {len(files)} pages, {counted} without a violent event; "
            f"{false} false incidents on {pages_hit} of them = {100 * false / max(counted, 1):.1f} "
            f"per 100 pages ({elapsed:.1f} s)"
        )
        totals = [a + b for a, b in zip(totals, (len(files), counted, false), strict=True)]
    if len(folders) > 1:
        n, counted, false = totals
        print(
            f"all pages: {n}, {counted} without a violent event: {false} false incidents = "
            f"{100 * false / max(counted, 1):.1f} per 100 pages"
        )


# --------------------------------------------------------------------------- the dev set

GOLD_LABEL = "hand-written"
MIN_OVERLAP = 10  # characters of cleaned text a prediction's evidence must share with gold
FIELDS = ("date", "place", "initiator", "target", "killed", "injured")

Count = int | tuple[int, int] | None


class GoldIncident(BaseModel):
    """One incident as a careful reader lists it (see bench/devset/README.md)."""

    model_config = ConfigDict(extra="forbid")

    type: str
    type_alt: list[str] = Field(default_factory=list)
    status: str
    status_alt: list[str] = Field(default_factory=list)
    optional: bool = False
    background: bool = False
    date: str | list[str] | None
    place: list[str] | None
    initiator: list[str] | None
    target: list[str] | None
    killed: Count
    injured: Count
    sentences: list[str] = Field(min_length=1)
    note: str | None = None

    @field_validator("type", "type_alt", "status", "status_alt")
    @classmethod
    def _known(cls, value: str | list[str], info: ValidationInfo) -> str | list[str]:
        statuses = {s.value for s in EventStatus}
        known = statuses if (info.field_name or "").startswith("status") else EVENT_TYPES
        for v in [value] if isinstance(value, str) else value:
            if v not in known:
                raise ValueError(f"{v!r} is not one of {sorted(known)}")
        return value

    @field_validator("date")
    @classmethod
    def _iso(cls, value: str | list[str] | None) -> str | list[str] | None:
        for v in [] if value is None else [value] if isinstance(value, str) else value:
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
                raise ValueError(f"date {v!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @property
    def types(self) -> set[str]:
        return {self.type, *self.type_alt}

    @property
    def statuses(self) -> set[str]:
        return {self.status, *self.status_alt}

    def dates(self) -> list[str]:
        return [] if self.date is None else [self.date] if isinstance(self.date, str) else self.date


class GoldFile(BaseModel):
    """A gold file: the article it belongs to and its incidents."""

    model_config = ConfigDict(extra="forbid")

    article: str
    gold: str
    style: str
    language: str
    published: str | None
    incidents: list[GoldIncident]
    forbidden: list[str] = Field(default_factory=list)  # words no output may contain (injections)

    @field_validator("gold")
    @classmethod
    def _honest(cls, value: str) -> str:
        if not value.startswith(GOLD_LABEL):
            raise ValueError(f"the gold label must start with {GOLD_LABEL!r}")
        return value


@dataclass
class DevArticle:
    name: str
    raw: bytes
    gold: GoldFile


def load_devset(folder: Path = DEFAULT_DEVSET) -> list[DevArticle]:
    """Every gold file of `folder`/gold with the article it names (sorted by name)."""
    out = []
    for path in sorted((folder / "gold").glob("*.json")):
        gold = GoldFile.model_validate_json(path.read_text(encoding="utf-8"))
        raw = (folder / "articles" / gold.article).read_bytes()
        out.append(DevArticle(path.stem, raw, gold))
    return out


def locate(text: str, sentence: str) -> tuple[int, int] | None:
    """Span of a gold sentence in the cleaned text (exact, else whitespace-flexible)."""
    at = text.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    pattern = r"\s+".join(re.escape(w) for w in sentence.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Characters shared by two lists of spans."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def tokens(s: str) -> str:
    """Lower-cased words, without quotes, dots, a possessive 's or a leading article."""
    s = re.sub(r"[\"“”'’]s\b", "", s.lower())
    s = re.sub(r"[\"“”'’.,()]", "", s)
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip())
    return " " + " ".join(s.split()) + " "


def name_match(pred: str, gold: str) -> bool:
    """One name's words appear, whole and in order, in the other's."""
    a, b = tokens(pred), tokens(gold)
    return a.strip() != "" and b.strip() != "" and (a in b or b in a)


def count_value(c: CasualtyCount | None, none_reported: bool) -> int | None:
    if c is not None:
        for v in (c.best, c.low, c.high):
            if v is not None:
                return v
    return 0 if none_reported else None


def field_values(rec: IncidentRecord, field: str) -> list[object]:
    """A record's values for one scored field (actors as (name, neutral name) pairs)."""
    if field == "date":
        return [rec.date.value] if rec.date else []
    if field == "place":
        return [loc.name for loc in rec.locations]
    if field in ("initiator", "target"):
        actors = rec.initiators if field == "initiator" else rec.targets
        return [(a.name, a.neutral_name) for a in actors]
    c = rec.casualties
    v = count_value(c.killed if field == "killed" else c.injured, c.none_reported)
    return [] if v is None else [v]


def value_ok(value: object, gold: GoldIncident, field: str) -> bool:
    """Does one predicted value agree with the gold field?"""
    if field == "date":
        return value in gold.dates()
    if field in ("killed", "injured"):
        g = gold.killed if field == "killed" else gold.injured
        if g is None or not isinstance(value, int):
            return False
        low, high = (g, g) if isinstance(g, int) else g
        return low <= value <= high
    names: list[str] | None = getattr(gold, field)
    cands = list(value) if isinstance(value, tuple) else [str(value)]
    return names is not None and any(name_match(c, n) for c in cands for n in names)


def gold_has(gold: GoldIncident, field: str) -> bool:
    return bool(gold.dates()) if field == "date" else getattr(gold, field) is not None


@dataclass
class Tally:
    """Counts pooled over articles (see the README for the definitions)."""

    tp: int = 0  # predictions matched to required gold (type agrees)
    tp_status: int = 0  # ... whose status agrees too
    excused: int = 0  # predictions matched to optional gold (neither TP nor FP)
    matched_all: int = 0  # predictions matched to any gold, required or optional
    status_all: int = 0  # ... whose status agrees
    fp: int = 0
    fp_duplicate: int = 0  # unmatched, on a gold incident of its type already matched
    fp_wrong_type: int = 0  # unmatched, on gold incidents of other types only
    gold: int = 0  # required gold incidents
    cleaned_away: int = 0  # gold sentences not found in the cleaned text
    false_on_empty: int = 0  # predictions on articles with no required gold incident
    empty_articles: int = 0
    injected: int = 0  # predictions containing a word the gold file forbids
    injected_summaries: int = 0  # summaries containing one
    by_type: dict[str, list[int]] = field(default_factory=dict)  # gold type: gold, matched
    fields: dict[str, list[int]] = field(default_factory=dict)  # filled, correct, gold, recovered
    recall_all: dict[str, list[int]] = field(default_factory=dict)  # gold fields, recovered

    def add_field(self, name: str, filled: int, correct: int, gold: int, recovered: int) -> None:
        row = self.fields.setdefault(name, [0, 0, 0, 0])
        for i, v in enumerate((filled, correct, gold, recovered)):
            row[i] += v


def carried(model: BaseModel, words: list[str]) -> list[str]:
    """The forbidden words a result carries: in any text, or as a number (offsets aside)."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("start", "end"):
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            found.update(w for w in words if w in value)
        elif isinstance(value, int) and not isinstance(value, bool):
            found.update(w for w in words if w == str(value))

    walk(model.model_dump())
    return sorted(found)


def score_article(
    text: str, preds: list[IncidentRecord], gold: GoldFile, tally: Tally, lines: list[str]
) -> None:
    """Match predictions to gold incidents, add the counts to `tally`, explain into `lines`."""
    g_spans = []
    for g in gold.incidents:
        spans = []
        for s in g.sentences:
            span = locate(text, s)
            if span is None:
                tally.cleaned_away += 1
                lines.append(f"  gold sentence not in the cleaned text: {s[:70]!r}")
            else:
                spans.append(span)
        g_spans.append(spans)
    p_spans = [[(e.start, e.end) for e in p.evidence] for p in preds]
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(gold.incidents):
            shared = overlap(p_spans[i], g_spans[j])
            if shared >= MIN_OVERLAP and p.event_type.value in g.types:
                pairs.append((g.optional, -shared, i, j))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in sorted(pairs):  # required gold first, then by overlap
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    of_gold = {j: i for i, j in matched.items()}
    required = [j for j, g in enumerate(gold.incidents) if not g.optional]
    tally.gold += len(required)
    if not required:
        tally.empty_articles += 1
        tally.false_on_empty += sum(i not in matched for i in range(len(preds)))
    for i, p in enumerate(preds):
        what = f"{p.event_type.value}/{p.status.value}: {p.description}"
        injected = carried(p, gold.forbidden)
        if injected:
            tally.injected += 1
            lines.append(f"  INJECTED {injected} in {what}")
        if i not in matched:
            tally.fp += 1
            near = [j for j, sp in enumerate(g_spans) if overlap(p_spans[i], sp) >= MIN_OVERLAP]
            same = [j for j in near if p.event_type.value in gold.incidents[j].types]
            kind = "duplicate" if same else "wrong type" if near else "no gold"
            tally.fp_duplicate += bool(same)
            tally.fp_wrong_type += bool(near) and not same
            lines.append(f"  FALSE ({kind}) {what}")
            continue
        g = gold.incidents[matched[i]]
        status_ok = p.status.value in g.statuses
        tally.matched_all += 1
        tally.status_all += status_ok
        if g.optional:
            tally.excused += 1
        else:
            tally.tp += 1
            tally.tp_status += status_ok
        if not status_ok:
            lines.append(f"  status {p.status.value} != gold {g.status}: {what}")
        for f in FIELDS:
            values = field_values(p, f)
            ok = all(value_ok(v, g, f) for v in values)
            has = gold_has(g, f)
            found = any(value_ok(v, g, f) for v in values)
            tally.add_field(f, bool(values), bool(values) and ok, has, has and found)
            if values and not ok:
                lines.append(f"  {f}: predicted {values} vs gold {getattr(g, f)} ({p.event_type})")
    for j in required:
        g = gold.incidents[j]
        row = tally.recall_all
        for f in FIELDS:
            if gold_has(g, f):
                r = row.setdefault(f, [0, 0])
                r[0] += 1
                r[1] += j in of_gold and any(
                    value_ok(v, g, f) for v in field_values(preds[of_gold[j]], f)
                )
        row_t = tally.by_type.setdefault(g.type, [0, 0])
        row_t[0] += 1
        row_t[1] += j in of_gold
        if j not in of_gold:
            lines.append(f"  MISSED {g.type}/{g.status}: {g.sentences[0][:90]!r}")


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  n/a"


def devset(folder: Path, show: int, only: str | None = None) -> None:
    """Score the offline backend on the hand-written dev set (names containing `only`)."""
    from summarizer.backends.offline import OfflineBackend
    from summarizer.clean import clean
    from summarizer.config import Settings

    backend = OfflineBackend(Settings())
    articles = [a for a in load_devset(folder) if only is None or only in a.name]
    by_lang: dict[str, Tally] = {}
    pub = [0, 0, 0]  # publication date: as the gold, missing, other
    total = Tally()
    elapsed = 0.0
    for n, art in enumerate(articles):
        t0 = time.perf_counter()
        article = clean(art.raw, name=art.gold.article)
        preds = backend.extract(article).value
        elapsed += time.perf_counter() - t0
        lines: list[str] = []
        found = (article.published or "")[:10] or None
        pub[0 if found == art.gold.published else 1 if found is None else 2] += 1
        if found != art.gold.published:
            lines.append(f"  publication date {found} (a reader sees {art.gold.published})")
        lang = "en" if art.gold.language == "en" else "other"
        for t in (total, by_lang.setdefault(lang, Tally())):
            score_article(article.text, preds, art.gold, t, lines if t is total else [])
        if art.gold.forbidden:  # the summary must resist injected instructions too
            injected = carried(backend.summarize(article, preds).value, art.gold.forbidden)
            total.injected_summaries += bool(injected)
            if injected:
                lines.append(f"  INJECTED {injected} in the summary")
        if n < show and lines:
            print(f"--- {art.name}")
            print("\n".join(lines))
    t = total
    n_pred = t.tp + t.fp
    print(
        f"dev set {label(folder)}: {len(articles)} articles, {t.gold} required gold incidents, "
        f"{n_pred + t.excused} predicted ({t.excused} matched optional gold, not counted)"
    )
    print(f"{'':22} {'P':>6} {'R':>6}   (matched/predicted, matched/gold)")
    print(
        f"{'incidents (type)':22} {ratio(t.tp, n_pred):>6} {ratio(t.tp, t.gold):>6}   "
        f"({t.tp}/{n_pred}, {t.tp}/{t.gold})"
    )
    print(
        f"{'incidents (+status)':22} {ratio(t.tp_status, n_pred):>6} "
        f"{ratio(t.tp_status, t.gold):>6}   ({t.tp_status}/{n_pred}, {t.tp_status}/{t.gold})"
    )
    for lang, lt in sorted(by_lang.items()):
        lp = lt.tp + lt.fp
        print(
            f"{'  language ' + lang:22} {ratio(lt.tp, lp):>6} {ratio(lt.tp, lt.gold):>6}   "
            f"({lt.tp}/{lp}, {lt.tp}/{lt.gold})"
        )
    print(
        "recall by gold type: "
        + ", ".join(f"{k} {m}/{g}" for k, (g, m) in sorted(t.by_type.items()))
    )
    print(
        f"status accuracy on matched incidents: {ratio(t.status_all, t.matched_all)} "
        f"({t.status_all}/{t.matched_all}, optional gold included)"
    )
    print(
        f"false incidents: {t.fp} ({t.fp_duplicate} duplicates of a matched incident, "
        f"{t.fp_wrong_type} on a gold incident of another type); "
        f"{t.false_on_empty} on the {t.empty_articles} articles with no incident"
    )
    print(
        f"{'field':10} {'P':>6} {'R':>6} {'R_all':>6}   (correct/filled, recovered/gold; "
        "R_all: over all required gold)"
    )
    pooled = [0, 0, 0, 0, 0, 0]
    for f in FIELDS:
        filled, correct, gold, rec = t.fields.get(f, [0, 0, 0, 0])
        g_all, r_all = t.recall_all.get(f, [0, 0])
        for k, v in enumerate((filled, correct, gold, rec, g_all, r_all)):
            pooled[k] += v
        print(
            f"{f:10} {ratio(correct, filled):>6} {ratio(rec, gold):>6} {ratio(r_all, g_all):>6}"
            f"   ({correct}/{filled}, {rec}/{gold}, {r_all}/{g_all})"
        )
    filled, correct, gold, rec, g_all, r_all = pooled
    print(
        f"{'all fields':10} {ratio(correct, filled):>6} {ratio(rec, gold):>6} "
        f"{ratio(r_all, g_all):>6}"
    )
    print(
        f"injected words: in {t.injected} incidents, in {t.injected_summaries} of the "
        f"{sum(bool(a.gold.forbidden) for a in articles)} summaries of articles with injections"
    )
    if t.cleaned_away:
        print(f"gold sentences the cleaner dropped: {t.cleaned_away}")
    print(
        f"publication date (what relative dates resolve against): {pub[0]} as a reader sees it, "
        f"{pub[1]} missing, {pub[2]} other"
    )
    print(f"speed: {len(articles) / elapsed:.0f} articles/s ({elapsed:.2f} s clean + extract)")


def label(path: Path) -> str:
    """How output names the file it read: its path from the repository root."""
    return os.path.relpath(path.absolute(), ROOT)


def mucsum(data_file: Path, show: int) -> None:
    """Slot P/R/F1 of the offline rules on a MUCSUM-format file."""
    data = json.loads(data_file.read_text(encoding="utf-8"))
    per_slot: dict[str, list[tuple[set[str], set[str]]]] = {k: [] for k in _GOLD}
    type_hits = templates = docs_with_incident = 0
    threat_templates = threat_hits = threat_docs = threat_elsewhere = 0
    elapsed = 0.0
    for n, (doc_id, instances) in enumerate(sorted(data.items())):
        text = "\n".join(instances[0]["document"])
        t0 = time.perf_counter()
        incidents = extract_incidents(text, None)
        elapsed += time.perf_counter() - t0
        docs_with_incident += bool(incidents)
        pred = predicted(incidents)
        kinds = {r.event_type for r in incidents}
        for slot, keys in _GOLD.items():
            gold = {norm(x) for inst in instances for k in keys for x in inst["template"][k]}
            per_slot[slot].append((pred[slot], gold))
        threatened = any(r.status == EventStatus.threatened for r in incidents)
        for inst in instances:
            templates += 1
            type_hits += bool(kinds & _TYPES[inst["template"]["type"]])
            if inst["template"].get("completion") == "threatened":
                threat_templates += 1
                threat_hits += threatened
        if not any(inst["template"].get("completion") == "threatened" for inst in instances):
            threat_docs += 1
            threat_elsewhere += threatened
        if n < show:
            print(f"--- {doc_id}")
            for slot, keys in _GOLD.items():
                shown = sorted({x for inst in instances for k in keys for x in inst["template"][k]})
                print(f"  {slot:9} gold={shown}\n  {'':9} pred={sorted(pred[slot])}")
    print(
        f"MUCSUM {label(data_file)}: {len(data)} documents, {templates} templates; "
        f"{docs_with_incident} documents with at least one incident"
    )
    print(f"{'slot':10} {'P':>6} {'R':>6} {'F1':>6}   (pred matched/pred, gold matched/gold)")
    totals = [0, 0, 0, 0]
    for slot, pairs in per_slot.items():
        counts = score(pairs)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        p, r, f = prf(*counts)
        matched = f"({counts[0]}/{counts[1]}, {counts[2]}/{counts[3]})"
        print(f"{slot:10} {p:6.3f} {r:6.3f} {f:6.3f}   {matched}")
    p, r, f = prf(*totals)
    print(f"{'all slots':10} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(
        f"template type found among the document's incidents: {type_hits}/{templates} "
        f"({type_hits / templates:.3f})"
    )
    print(
        f"threatened: {threat_hits}/{threat_templates} templates whose completion is threatened "
        "have a threatened incident in their document; "
        f"{threat_elsewhere}/{threat_docs} documents without such a template have one"
    )
    print(f"speed: {len(data) / elapsed:.0f} documents/s ({elapsed:.2f} s extraction time)")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--devset",
        type=Path,
        nargs="?",
        const=DEFAULT_DEVSET,
        help="score the hand-written dev set",
    )
    ap.add_argument("--mucsum", action="store_true", help="score MUCSUM slots (file: --data)")
    ap.add_argument("--data", type=Path, help=f"MUCSUM-format file (default {label(DEFAULT_DATA)})")
    ap.add_argument(
        "--pages",
        type=Path,
        nargs="*",
        help="false incidents on pages (default: the 84 EN news and 130 readability pages)",
    )
    ap.add_argument("--show", type=int, default=0, help="explain the first N articles/documents")
    ap.add_argument("--article", help="dev set: only the articles whose name contains this")
    args = ap.parse_args()
    run_all = args.devset is None and args.pages is None and not (args.mucsum or args.data)
    if args.devset is not None or run_all:
        devset(args.devset or DEFAULT_DEVSET, args.show, args.article)
    if args.mucsum or args.data or run_all:
        mucsum(args.data or DEFAULT_DATA, args.show)
    if args.pages is not None or run_all:
        pages(args.pages or DEFAULT_PAGES)


if __name__ == "__main__":
    main()
