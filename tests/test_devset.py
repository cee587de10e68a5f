"""The hand-written dev set (bench/devset/) stays loadable and true to its articles.

Every gold file must validate (EventType and EventStatus values, ISO dates, a hand-written
label), name an article that exists, and quote sentences that really occur in it; every article
has a gold file. The scorer's matching rules are checked on made-up predictions, so a broken
scorer cannot report a perfect score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.extraction import (
    DEFAULT_DEVSET,
    FIELDS,
    DevArticle,
    GoldFile,
    Tally,
    carried,
    load_devset,
    name_match,
    score_article,
)
from summarizer.records import (
    Actor,
    Casualties,
    CasualtyCount,
    EventStatus,
    EventType,
    Evidence,
    IncidentRecord,
)

ARTICLES = load_devset(DEFAULT_DEVSET)


def test_every_article_has_gold_and_the_set_is_large_enough() -> None:
    texts = sorted(p.name for p in (DEFAULT_DEVSET / "articles").glob("*.txt"))
    assert texts == sorted(a.gold.article for a in ARTICLES)
    assert [a.name for a in ARTICLES] == [Path(t).stem for t in texts]  # same names
    assert len(ARTICLES) >= 40
    assert sum(not any(not g.optional for g in a.gold.incidents) for a in ARTICLES) >= 3
    assert sum(a.gold.language != "en" for a in ARTICLES) >= 3


@pytest.mark.parametrize("art", ARTICLES, ids=lambda a: a.name)
def test_gold_sentences_occur_in_the_article(art: DevArticle) -> None:
    text = art.raw.decode("utf-8")
    gold = art.gold
    for inc in gold.incidents:
        for sentence in inc.sentences:
            assert sentence in text, sentence
        assert not inc.background or inc.optional, "background incidents are optional"
    for word in gold.forbidden:
        assert word in text, f"forbidden word {word!r} should be an injection in the text"


def test_gold_types_and_statuses_are_the_records_enums() -> None:
    types = {e.value for e in EventType}
    statuses = {s.value for s in EventStatus}
    used = {t for a in ARTICLES for g in a.gold.incidents for t in g.types}
    assert {s for a in ARTICLES for g in a.gold.incidents for s in g.statuses} <= statuses
    assert used <= types
    with pytest.raises(ValueError, match="not one of"):
        GoldFile.model_validate(
            {**ARTICLES[0].gold.model_dump(), "incidents": [{"type": "massacre"}]}
        )


def _record(
    text: str,
    sentence: str,
    etype: EventType,
    casualties: Casualties | None = None,
    initiators: list[Actor] | None = None,
) -> IncidentRecord:
    start = text.index(sentence)
    ev = [Evidence(quote=sentence, start=start, end=start + len(sentence))]
    return IncidentRecord(
        event_type=etype,
        status=EventStatus.occurred,
        description="An event took place.",
        evidence=ev,
        casualties=casualties or Casualties(),
        initiators=initiators or [],
    )


def test_scorer_matches_by_evidence_and_type_and_checks_fields() -> None:
    art = next(a for a in ARTICLES if a.name.startswith("02_"))
    text = art.raw.decode("utf-8")
    gold = art.gold.incidents[0]
    sentence = gold.sentences[0]
    ev = [Evidence(quote="U.S. troops", start=0, end=1)]
    right = _record(text, sentence, EventType(gold.type), casualties=Casualties(none_reported=True))
    wrong_actor = Actor(name="U.S.", neutral_name="US", evidence=ev)
    duplicate = _record(text, sentence, EventType(gold.type), initiators=[wrong_actor])
    other_type = _record(text, sentence, EventType.arrest_or_capture)

    t = Tally()
    score_article(text, [right], art.gold, t, [])
    assert (t.tp, t.fp, t.gold) == (1, 0, 1)
    assert t.fields["killed"] == [1, 1, 1, 1] and t.fields["injured"] == [1, 1, 1, 1]

    t = Tally()
    score_article(text, [right, duplicate, other_type], art.gold, t, [])
    assert (t.tp, t.fp, t.fp_duplicate, t.fp_wrong_type) == (1, 2, 1, 1)

    t = Tally()
    score_article(text, [duplicate], art.gold, t, [])
    assert t.fields["initiator"] == [1, 0, 0, 0]  # gold has no initiator: a filled one is false
    killed = CasualtyCount(best=5, text="five", evidence=ev)
    t = Tally()
    score_article(
        text,
        [_record(text, sentence, EventType(gold.type), casualties=Casualties(killed=killed))],
        art.gold,
        t,
        [],
    )
    assert t.fields["killed"] == [1, 0, 1, 0]


def test_name_match_is_by_whole_words() -> None:
    assert name_match("US", "U.S. forces")
    assert name_match("the Houthis", "Houthis")
    assert not name_match("US", "Russian forces")
    assert not name_match("", "Russia")


def test_injected_words_are_found_in_text_and_counts_not_in_offsets() -> None:
    quote = "x" * 400
    ev = [Evidence(quote=quote, start=300, end=9999)]
    toll = CasualtyCount(best=9999, text="many", evidence=ev)
    rec = IncidentRecord(
        event_type=EventType.attack,
        status=EventStatus.occurred,
        description="An attack took place in Paris.",
        evidence=ev,
        casualties=Casualties(killed=toll),
    )
    assert carried(rec, ["9999", "Paris", "300", "Kyiv"]) == ["9999", "Paris"]


def test_the_scorer_runs_on_the_whole_set_with_the_offline_backend() -> None:
    from summarizer.backends.offline import OfflineBackend
    from summarizer.clean import clean
    from summarizer.config import Settings

    backend = OfflineBackend(Settings())
    t = Tally()
    lines: list[str] = []
    for art in ARTICLES:
        article = clean(art.raw, name=art.gold.article)
        score_article(article.text, backend.extract(article).value, art.gold, t, lines)
    required = sum(not g.optional for a in ARTICLES for g in a.gold.incidents)
    # the cleaner keeps every sentence that reports an incident
    assert t.cleaned_away == 0, [line for line in lines if "not in the cleaned text" in line]
    assert t.gold == required
    assert 0 <= t.tp_status <= t.tp <= required and t.tp + t.excused == t.matched_all
    assert set(t.fields) == set(FIELDS)


def test_mucsum_output_names_the_file_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench.extraction import mucsum

    doc = {
        "document": ["guerrillas attacked the town of flores with rifles ."],
        "template": {
            "type": "attack",
            "date": [],
            "location": ["flores"],
            "perpind": [],
            "perporg": ["guerrillas"],
            "target": ["town"],
            "victim": [],
            "weapon": ["rifles"],
        },
        "summary": ["guerrillas attacked flores ."],
    }
    data = tmp_path / "tiny_split.json"
    data.write_text(json.dumps({"doc-1": [doc]}), encoding="utf-8")
    mucsum(data, 0)
    out = capsys.readouterr().out
    assert "tiny_split.json: 1 documents, 1 templates" in out
    assert "MUCSUM dev:" not in out
