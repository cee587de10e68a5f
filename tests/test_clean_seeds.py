"""The five seed dumps: every body line kept, every piece of page furniture gone.

Each seed is described by its body range in the raw file and the junk lines
that sit inside that range (captions, "Read more", related lists...). Every
other non-blank raw line inside the range must come out, every raw line outside
it must not; a golden copy of the cleaned text catches any other change
(refresh with `pytest --update-golden` and review the diff).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer.clean import clean, clean_with_report, decode_input

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
GOLDEN = Path(__file__).parent / "fixtures" / "clean"


@dataclass(frozen=True)
class Seed:
    file: str
    title: str
    first: int  # first body line (1-based, the headline)
    last: int  # last body paragraph
    junk_inside: tuple[str, ...]  # substrings of the junk lines inside the body range
    published: str | None
    outlet: str | None
    byline: str | None


SEEDS = [
    Seed(
        "000_d718a8d420a98788.txt",
        "US conducts military drills in Syria after uptick of Resistance ops.",
        75,
        131,
        (
            "By Al Mayadeen English",
            "Source: Al Mayadeen",
            "10 Dec 2023 01:00",
            "2 Shares",
            "4 Min Read",
            "• x",
            "American soldiers drive a Bradley",
            "Related News",
            "Syrian soldier wounded in SDF drone attack",
            "Syria welcomes US decision",
            "Read more:",
        ),
        "2023-12-10T01:00",
        "Al Mayadeen",
        "Al Mayadeen English",
    ),
    Seed(
        "001_e0ed9e276462d8d0.txt",
        "US Conducts Military Drills in Syria After Uptick of Resistance Operations",
        1,
        20,
        ("By Al Mayadeen English",),
        "2023-12-09",
        None,
        "Al Mayadeen English",
    ),
    Seed(
        "002_4e4d4c7bef4f21b3.txt",
        "US reinforces occupation bases in Syria bracing for resistance attacks",
        1,
        18,
        (),
        None,
        None,
        None,
    ),
    Seed(
        "003_ba4eb026513ee872.txt",
        "118 Operations on US Bases in Syria and Iraq, According to U.S. Official",
        1,
        39,
        (
            "All Global Research articles",
            "Daily Newsletter",
            "Click the share button",
            "***",
            "New Year Donation Drive",
            "*",
        ),
        None,
        "Global Research",
        "Al Mayadeen",
    ),
    Seed(
        "004_fca63ceb93ec3f39.txt",
        "US-led Coalition Shares Footage Of Recent Strikes On Iranian-Backed Forces In Syria",
        11,
        25,
        ("A fully armed MQ-9 Reaper",),
        None,
        "SouthFront",
        None,
    ),
]

#: Junk named in the brief, checked as substrings of the cleaned text.
NAMED_JUNK = {
    "000_d718a8d420a98788.txt": [
        "BREAKING",
        "Sheikh Qassem",
        "4 Min Read",
        "Shares",
        "Bradley fighting vehicle",
        "Related News",
        "Read more",
        "Most Read",
        "Read Next",
        "All Rights Reserved",
        "Privacy Policy",
        "US occupation of Iraq\n",
    ],
    "001_e0ed9e276462d8d0.txt": ["No comments", "Post a Comment", "\\", "date 2023-12-09"],
    "002_4e4d4c7bef4f21b3.txt": ["No comments", "Post a Comment"],
    "003_ba4eb026513ee872.txt": [
        "Global Research",
        "Donation",
        "***",
        "Note to readers",
        "Featured image",
        "Articles by",
        "Disclaimer",
        "copyright",
        "media inquiries",
    ],
    "004_fca63ceb93ec3f39.txt": [
        "$",
        "NOVEMBER 2024",
        "Support SouthFront",
        "MQ-9 Reaper",
        "MORE ON THIS TOPIC",
        "Subscribe",
        "Notify of",
        "guest",
        "Comments",
        "Oldest",
        "Newest",
        "JJ345",
        "satanic",
        "Christian J. Chuba",
        "native born Syrians",
        "Would love your thoughts",
    ],
}


def _raw_lines(seed: Seed) -> list[tuple[int, str]]:
    text = (ARTICLES / seed.file).read_text(encoding="utf-8")
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.file[:3])
def test_every_body_line_is_kept(seed: Seed) -> None:
    article = clean((ARTICLES / seed.file).read_bytes(), seed.file)
    kept = article.text.split("\n")
    body = [
        line.removesuffix("\\")
        for n, line in _raw_lines(seed)
        if seed.first < n <= seed.last and not any(j in line for j in seed.junk_inside)
    ]
    assert body, "the seed description selects no body lines"
    missing = [line for line in body if line not in kept]
    assert missing == []
    assert kept[0] == seed.title
    assert kept[1:] == body


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.file[:3])
def test_no_junk_line_survives(seed: Seed) -> None:
    article = clean((ARTICLES / seed.file).read_bytes(), seed.file)
    kept = set(article.text.split("\n"))
    outside = [
        line
        for n, line in _raw_lines(seed)
        if (n < seed.first or n > seed.last) and line != seed.title and line in kept
    ]
    assert outside == []
    for snippet in NAMED_JUNK[seed.file]:
        assert snippet not in article.text, snippet
    assert article.text.count(seed.title) == 1


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.file[:3])
def test_metadata(seed: Seed) -> None:
    article = clean((ARTICLES / seed.file).read_bytes(), seed.file)
    assert article.title == seed.title
    assert article.published == seed.published
    assert article.outlet == seed.outlet
    assert article.byline == seed.byline
    assert article.source == seed.file
    assert article.stats is not None and article.stats.method == "text"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.file[:3])
def test_every_drop_has_a_reason_and_nothing_is_lost(seed: Seed) -> None:
    raw = (ARTICLES / seed.file).read_bytes()
    report = clean_with_report(raw, seed.file)
    assert all(d.reason for d in report.dropped)
    stats = report.article.stats
    assert stats is not None
    assert stats.lines_kept + stats.lines_dropped == len(_raw_lines(seed))
    decoded = decode_input(raw)
    for c, r, n in report.article.offset_map:
        assert report.article.text[c : c + n] == decoded[r : r + n]
    covered = sum(n for _c, _r, n in report.article.offset_map)
    assert covered == len(report.article.text) - report.article.text.count("\n")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.file[:3])
def test_golden(seed: Seed, update_golden: bool) -> None:
    text = clean((ARTICLES / seed.file).read_bytes(), seed.file).text + "\n"
    golden = GOLDEN / seed.file
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run pytest --update-golden and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_doc_id_is_the_sha256_of_the_raw_bytes_and_source_is_kept() -> None:
    import hashlib

    path = ARTICLES / "000_d718a8d420a98788.txt"
    raw = path.read_bytes()
    article = clean(raw, str(path))
    assert article.doc_id == hashlib.sha256(raw).hexdigest()
    assert article.source == str(path)
    assert clean(raw.decode("utf-8"), "-").doc_id == article.doc_id  # str input: its UTF-8
    assert clean(raw + b"\n", None).doc_id != article.doc_id
