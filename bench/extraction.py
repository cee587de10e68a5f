"""Score the offline extractor's slots against MUCSUM templates (string match, P/R/F1).

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

With --pages, it instead runs the whole offline pipeline (cleaning included) over the
84 news pages of ../shared/devdata/cleaning_en_news/html/ (most of them not about
conflict: finance, tech, crime, sport) and prints every incident found, one line
each, with the page it came from: what a reader checks for false positives.

Usage: .venv/bin/python bench/extraction.py [--data FILE] [--show N] [--pages [DIR]]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections.abc import Iterable
from pathlib import Path

from summarizer.offline.incidents import extract_incidents
from summarizer.records import EventType, IncidentRecord

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "devdata" / "extraction_mucsum_dev" / "dev.json"
DEFAULT_PAGES = ROOT.parent / "shared" / "devdata" / "cleaning_en_news" / "html"

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
    },
    "bombing": {EventType.attack, EventType.air_or_drone_strike, EventType.shelling_or_missile},
    "arson": {EventType.attack},
    "robbery": {EventType.attack},
    "kidnapping": {EventType.arrest_or_capture},
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


def pages(folder: Path) -> None:
    """Every incident the offline pipeline finds on the dev pages (read in memory, gunzipped)."""
    from summarizer.config import load_settings
    from summarizer.errors import SummarizerError
    from summarizer.pipeline import summarize_raw

    settings = load_settings(backend="offline")
    files = sorted(folder.glob("*.html.gz"))
    total = with_incidents = 0
    for path in files:
        try:
            result = summarize_raw(
                gzip.decompress(path.read_bytes()), source=path.name, settings=settings
            )
        except SummarizerError as exc:
            print(f"{path.name}: {exc}")
            continue
        total += len(result.incidents)
        with_incidents += bool(result.incidents)
        for rec in result.incidents:
            print(f"{path.name}: {rec.event_type.value}/{rec.status.value}: {rec.description}")
    print(f"dev pages: {len(files)} pages, {total} incidents on {with_incidents} pages")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--show", type=int, default=0, help="print N documents' gold and predictions")
    ap.add_argument(
        "--pages", type=Path, nargs="?", const=DEFAULT_PAGES, help="list incidents on news pages"
    )
    args = ap.parse_args()
    if args.pages is not None:
        pages(args.pages)
        return
    data = json.loads(args.data.read_text(encoding="utf-8"))
    per_slot: dict[str, list[tuple[set[str], set[str]]]] = {k: [] for k in _GOLD}
    type_hits = templates = docs_with_incident = 0
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
        for inst in instances:
            templates += 1
            type_hits += bool(kinds & _TYPES[inst["template"]["type"]])
        if n < args.show:
            print(f"--- {doc_id}")
            for slot, keys in _GOLD.items():
                shown = sorted({x for inst in instances for k in keys for x in inst["template"][k]})
                print(f"  {slot:9} gold={shown}\n  {'':9} pred={sorted(pred[slot])}")
    print(
        f"MUCSUM dev: {len(data)} documents, {templates} templates; "
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
    print(f"speed: {len(data) / elapsed:.0f} documents/s ({elapsed:.2f} s extraction time)")


if __name__ == "__main__":
    main()
