"""compare: story grouping, fact matrix, framing table and the offline consensus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from summarizer.backends.offline import OfflineBackend
from summarizer.compare import compare
from summarizer.compare.framing import loaded_rate, loaded_terms_of, polarity_strength
from summarizer.config import Settings
from summarizer.grounding import numbers_in
from summarizer.pipeline import summarize_raw
from summarizer.records import (
    Actor,
    Article,
    ArticleResult,
    CellStatus,
    Comparison,
    EventDate,
    EventType,
    Evidence,
    IncidentRecord,
    LinkKind,
    Location,
    NeutralSummary,
    Provenance,
    SummarySentence,
)
from tests.conftest import run_cli

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
SCHEMAS = Path(__file__).parent.parent / "schemas"
SEEDS = sorted(ARTICLES.glob("*.txt"))


def _offline(texts: list[tuple[str, str | bytes]]) -> list[ArticleResult]:
    settings = Settings()
    backend = OfflineBackend(settings)
    return [summarize_raw(t, source=n, settings=settings, backend=backend) for n, t in texts]


@pytest.fixture(scope="module")
def seed_results() -> list[ArticleResult]:
    return _offline([(p.name, p.read_bytes()) for p in SEEDS])


@pytest.fixture(scope="module")
def seeds(seed_results: list[ArticleResult]) -> Comparison:
    return compare(seed_results)


def _ids(c: Comparison) -> dict[str, str]:
    """Seed number ('000') -> doc_id."""
    return {a.source[:3]: a.doc_id for a in c.articles if a.source}


def test_seed_groups_repost_and_same_events_and_unrelated_apart(seeds: Comparison) -> None:
    ids = _ids(seeds)
    groups = {frozenset(g.doc_ids) for g in seeds.groups}
    assert frozenset({ids["000"], ids["001"], ids["003"]}) in groups
    assert frozenset({ids["002"]}) in groups and frozenset({ids["004"]}) in groups
    links = {(link.a, link.b): link for g in seeds.groups for link in g.links}
    repost = links[(ids["000"], ids["001"])]
    assert repost.kind is LinkKind.repost and repost.score > 0.9 and repost.reasons
    same = links[(ids["000"], ids["003"])]
    assert same.kind is LinkKind.same_events and same.reasons
    assert "initiator islamic resistance in iraq" in same.reasons
    by_id = {a.doc_id: a for a in seeds.articles}
    assert by_id[ids["001"]].repost_of == ids["000"]


def test_85_vs_118_is_different_scope_with_scopes_and_evidence(
    seeds: Comparison, seed_results: list[ArticleResult]
) -> None:
    ids = _ids(seeds)
    texts = {r.article.source[:3]: r.article.text for r in seed_results if r.article.source}
    group = next(g for g in seeds.groups if ids["003"] in g.doc_ids)
    rows = [r for inc in group.incidents for r in inc.rows if r.fact == "count of attacks"]
    row = next(r for r in rows if len([c for c in r.cells if c.value]) == 2)
    assert row.status is CellStatus.different_scope
    assert row.note and "not a contradiction" in row.note
    cells = {c.doc_id: c for c in row.cells}
    assert "85" in (cells[ids["000"]].value or "") and "118" in (cells[ids["003"]].value or "")
    assert "October 18" in (cells[ids["000"]].scope or "")
    assert "October 17" in (cells[ids["003"]].scope or "")
    for seed in ("000", "003"):
        cell = cells[ids[seed]]
        assert cell.status is CellStatus.different_scope and cell.evidence
        for ev in cell.evidence:
            assert texts[seed][ev.start : ev.end] == ev.quote


def test_every_cell_and_sentence_points_at_its_own_evidence(
    seeds: Comparison, seed_results: list[ArticleResult]
) -> None:
    texts = {a.doc_id: r.article.text for a, r in zip(seeds.articles, seed_results, strict=True)}
    n = 0
    for g in seeds.groups:
        for inc in g.incidents:
            for row in inc.rows:
                for cell in row.cells:
                    assert (cell.value is None) == (cell.status is CellStatus.absent)
                    for ev in cell.evidence:
                        assert ev.doc_id == cell.doc_id
                        assert texts[ev.doc_id][ev.start : ev.end] == ev.quote
                        n += 1
        for s in g.consensus.sentences if g.consensus else []:
            assert s.outlets and s.evidence
            for ev in s.evidence:
                assert texts[ev.doc_id][ev.start : ev.end] == ev.quote
    assert n > 20


def test_actor_labels_differ_visibly_per_outlet(seeds: Comparison) -> None:
    ids = _ids(seeds)
    group = next(g for g in seeds.groups if ids["003"] in g.doc_ids)
    bases = next(r for r in group.actor_labels if r.actor == "US bases")
    assert bases.labels[ids["000"]] == ["US bases"]
    assert bases.labels[ids["003"]] == ["US occupation bases"]
    framing = {f.doc_id: f for f in group.framing}
    terms = {t.term.casefold() for t in framing[ids["003"]].loaded_terms}
    assert "occupation forces" in terms
    assert ids["001"] not in framing  # a repost is its original's framing, not a new outlet


def test_consensus_cites_outlets_and_names_the_disagreement(
    seeds: Comparison, seed_results: list[ArticleResult]
) -> None:
    ids = _ids(seeds)
    group = next(g for g in seeds.groups if ids["003"] in g.doc_ids)
    assert group.consensus is not None and group.consensus.method == "rules"
    sentences = group.consensus.sentences
    first = sentences[0]
    assert set(first.outlets) == {"Al Mayadeen", "Global Research"}
    disagreement = next(s for s in sentences if s.disagreement)
    assert "85" in disagreement.text and "118" in disagreement.text
    assert "Al Mayadeen" in disagreement.text and "Global Research" in disagreement.text
    texts = {a.doc_id: r.article.text for a, r in zip(seeds.articles, seed_results, strict=True)}
    for s in sentences:
        # agreement: every figure in each cited outlet; disagreement: each in one of them
        have = [numbers_in(texts[doc]) | {2023} for doc in s.doc_ids]
        support = set().union(*have) if s.disagreement else set.intersection(*have)
        assert numbers_in(s.text) <= support, s.text


def test_consensus_is_less_loaded_than_every_source(
    seeds: Comparison, seed_results: list[ArticleResult]
) -> None:
    ids = _ids(seeds)
    group = next(g for g in seeds.groups if ids["003"] in g.doc_ids)
    assert group.consensus is not None
    text = " ".join(s.text for s in group.consensus.sentences)
    sources = [r.article.text for r in seed_results if r.article.source[:3] in ("000", "003")]
    introduced = loaded_terms_of(text) - set().union(*(loaded_terms_of(s) for s in sources))
    assert not introduced
    assert all(loaded_rate(text) < loaded_rate(s) for s in sources)
    assert all(polarity_strength(text) < polarity_strength(s) for s in sources)


HAND_A = """Rockets hit Ain al-Assad base in Iraq
Published: 2024-01-09
Several rockets struck the Ain al-Assad air base in western Iraq on Tuesday, the Islamic Resistance in Iraq said in a statement on Telegram.
Two US soldiers were injured in the attack, a US official told reporters.
"""  # noqa: E501
HAND_B = """Iraqi group claims attack on Ain al-Assad
Published: 2024-01-10
The Islamic Resistance in Iraq claimed a rocket attack on the Ain al-Assad base in Iraq on Tuesday.
The Pentagon said two US service members suffered minor injuries in the attack on the base.
"""
HAND_C = """Drones hit oil depot in Bryansk
Published: 2024-01-09
Ukrainian drones struck an oil depot in the Bryansk region of Russia on Tuesday, the regional governor said.
No one was injured in the attack, he added.
"""  # noqa: E501
HAND_D = """Rockets hit Ain al-Assad base again
Published: 2024-03-20
Rockets struck the Ain al-Assad air base in western Iraq on Wednesday, officials said.
"""


def test_hand_made_same_event_grouped_unrelated_apart() -> None:
    c = compare(
        _offline([("a.txt", HAND_A), ("b.txt", HAND_B), ("c.txt", HAND_C), ("d.txt", HAND_D)])
    )
    ids = {a.source: a.doc_id for a in c.articles}
    groups = {frozenset(g.doc_ids) for g in c.groups}
    assert frozenset({ids["a.txt"], ids["b.txt"]}) in groups
    assert frozenset({ids["c.txt"]}) in groups  # another war, another country
    assert frozenset({ids["d.txt"]}) in groups  # the same base, ten weeks later
    link = next(link for g in c.groups for link in g.links)
    assert link.kind is LinkKind.same_events and "dates within a few days" in link.reasons


def _synthetic(i: int) -> ArticleResult:
    """An article about one attack on its own town by its own group on its own day."""
    town, group = f"Town{i:04d}", f"Brigade{i:04d}"
    text = f"{group} fighters attacked {town} on Monday."
    day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"

    def ev(word: str) -> list[Evidence]:
        s = text.index(word)
        return [Evidence(quote=word, start=s, end=s + len(word))]

    rec = IncidentRecord(
        event_type=EventType.attack,
        status="occurred",
        description=f"{group} attacked {town}.",
        date=EventDate(value=day, precision="day", text="Monday", evidence=ev("Monday")),
        locations=[Location(name=town, geo_precision=1, evidence=ev(town))],
        initiators=[Actor(name=group, neutral_name=group, evidence=ev(group))],
        evidence=ev(text),
    )
    return ArticleResult(
        article=Article(text=text, outlet=f"Outlet{i % 7}", source=f"{i}.txt"),
        incidents=[rec],
        summary=NeutralSummary(
            headline=SummarySentence(text=text, evidence=ev(text)),
            sentences=[SummarySentence(text=text, evidence=ev(text))],
        ),
        provenance=Provenance(backend="offline", model="offline-rules", prompt_version="x"),
    )


def test_blocking_never_compares_all_pairs() -> None:
    results = [_synthetic(i) for i in range(400)]
    c = compare(results)
    assert len(c.groups) == 400  # every attack is its own story
    # all pairs would be 79,800; only attacks in the same week are candidates (~5 a day)
    assert c.candidate_pairs < 79_800 / 20


def test_comparison_json_follows_the_exported_schema(seeds: Comparison) -> None:
    schema = json.loads((SCHEMAS / "Comparison.json").read_text())
    jsonschema.validate(json.loads(seeds.model_dump_json()), schema)


def test_cli_compare_files_and_from_jsonl(
    tmp_path: Path,
    seed_results: list[ArticleResult],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run_cli(["compare", *map(str, SEEDS), "--format", "json"], capsys, monkeypatch)
    assert code == 0, err
    from_files = Comparison.model_validate_json(out)
    assert len(from_files.groups) == 3
    jsonl = tmp_path / "results.jsonl"
    lines = [r.model_dump_json() for r in seed_results]
    jsonl.write_text("\n".join([*lines, '{"not": "a result"}']) + "\n", encoding="utf-8")
    out_md = tmp_path / "cmp.md"
    code, out, err = run_cli(
        ["compare", "--from", str(jsonl), "-f", "markdown", "-o", str(out_md)], capsys, monkeypatch
    )
    assert code == 1  # one bad line: reported, left out, the rest compared
    assert re.search(r"results\.jsonl:6: not an ArticleResult", err) and "Traceback" not in err
    md = out_md.read_text()
    assert "different scope" in md and "| count of attacks |" in md
    code, out, err = run_cli(["compare", "-f", "text", *map(str, SEEDS[:2])], capsys, monkeypatch)
    assert code == 0 and "repost" in out


def test_cli_compare_bad_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_cli(["compare"], capsys, monkeypatch)
    assert code == 2 and "--from" in err
    code, out, err = run_cli(
        ["compare", str(tmp_path / "missing.txt"), str(SEEDS[0])], capsys, monkeypatch
    )
    assert code == 1 and "missing.txt: no such file" in err and out
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, _, err = run_cli(["compare", str(empty)], capsys, monkeypatch)
    assert code == 2 and "nothing left to compare" in err and "Traceback" not in err
    assert err.count("\n") == 1
    code, _, err = run_cli(["compare", "--from", str(SEEDS[0])], capsys, monkeypatch)
    assert code == 2 and "not a JSONL of results" in err and err.count("\n") == 1
    # an empty --from said only "no article to compare", naming neither the file nor the fix
    code, _, err = run_cli(["compare", "--from", str(empty)], capsys, monkeypatch)
    assert code == 2 and f"{empty}: holds no results" in err and "summarizer batch" in err
    assert err.count("\n") == 1


def test_a_duplicate_marked_by_batch_is_a_repost(seed_results: list[ArticleResult]) -> None:
    from summarizer.records import DuplicateLink

    original = seed_results[2]  # 002: no text-level twin among the seeds
    copy = _offline([("copy.txt", original.article.text + "\nShared from elsewhere.")])[0]
    copy = copy.model_copy(
        update={
            "duplicate_of": DuplicateLink(
                doc_id=original.article.doc_id, similarity=0.91, method="minhash"
            )
        }
    )
    c = compare([original, copy, seed_results[4]])
    link = next(link for g in c.groups for link in g.links)
    assert link.kind is LinkKind.repost and link.score == 0.91 and "batch" in link.reasons[0]
    assert {a.doc_id: a.repost_of for a in c.articles}[copy.article.doc_id] == (
        original.article.doc_id
    )


def test_text_view_wraps_under_its_bullet_and_cuts_terms_between_words(seeds: Comparison) -> None:
    """A wrapped consensus or link line stays indented; loaded terms never end mid-word."""
    from summarizer.compare.render import _term_list
    from summarizer.compare.run import render

    lines = render(seeds, [], "text").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  - "))
    cont = lines[at + 1]
    assert cont.startswith("    ") or cont.startswith("  - ") or not cont.strip(), cont
    assert not any(line.startswith("[") for line in lines), "a wrapped line restarted at column 0"
    terms = ["occupation forces", "occupation bases", "Resistance operations"] * 20
    cut = _term_list(terms, limit=60)
    kept = cut.rsplit(" (+", 1)[0].split(", ")
    assert kept == terms[: len(kept)] and len(cut) < 90 and cut.endswith("more)")
    assert _term_list(terms[:2]) == "occupation forces, occupation bases"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_story_of_one_article_says_there_is_nothing_to_compare(
    seeds: Comparison, fmt: str
) -> None:
    """A lone article's story printed only its header, as if the comparison had failed on it."""
    from summarizer.compare.run import render

    alone = [g for g in seeds.groups if len(g.doc_ids) == 1]
    assert alone, "the seeds have stories that one article alone tells"
    shown = render(seeds, [], fmt)
    assert shown.count("No other article given tells this story") == len(alone)
