"""Grounding: quote alignment (exact -> normalised -> fuzzy), value checks, drops."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from summarizer.grounding import (
    CONTEXT_KEY,
    align,
    capped_schema,
    ground_extraction,
    ground_summary,
    grounded_model,
    mentions,
    numbers_in,
    offset_problems,
)
from summarizer.records import Alignment, Extraction, NeutralSummary, SummarySentence

TEXT = (
    "Informed sources told Al Mayadeen that the coalition “conducted live ammunition exercises” "
    "at the Qasrak base.\nSince October 18, Resistance factions have targeted US bases in Syria "
    "about 85 times, resulting in the injury of at least 70 US soldiers."
)


def test_align_exact_normalised_fuzzy_and_missing() -> None:
    exact = align("at the Qasrak base", TEXT)
    assert exact is not None and exact[2] is Alignment.exact
    assert TEXT[exact[0] : exact[1]] == "at the Qasrak base"

    # Straight quotes, different case and a line break instead of a space still align.
    norm = align('the coalition "CONDUCTED live ammunition exercises"', TEXT)
    assert norm is not None and norm[2] is Alignment.normalized
    assert TEXT[norm[0] : norm[1]] == "the coalition “conducted live ammunition exercises”"

    fuzzy = align("Resistance factions had targeted US bases in Syria about 85 times", TEXT)
    assert fuzzy is not None and fuzzy[2] is Alignment.fuzzy

    assert align("US forces destroyed 40 rocket launchers near al-Mayadin", TEXT) is None
    assert align("Qasrak", "Qasrak"[:-1]) is None  # short strings are never fuzzy-matched


def test_numbers_in_digits_words_and_other_scripts() -> None:
    assert {70, 85, 1200, 25, 12} <= numbers_in("at least 70, about 85, 1,200, twenty-five, ١٢")
    assert mentions("Qasrak", ["at the qasrak base"])
    assert not mentions("Raqqa", ["at the Qasrak base"])


def _incident(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "event_type": "attack",
        "status": "claimed",
        "description": "Armed groups targeted US bases in Syria about 85 times.",
        "evidence": [
            {"quote": "Resistance factions have targeted US bases in Syria about 85 times"}
        ],
    }
    base.update(extra)
    return base


def test_grounded_values_get_offsets_and_ungrounded_ones_are_dropped_and_listed() -> None:
    def place(name: str, quote: str) -> dict[str, object]:
        return {"name": name, "geo_precision": 1, "evidence": [{"quote": quote}]}

    def hurt(best: int) -> dict[str, object]:
        quote = "the injury of at least 70 US soldiers"
        return {"best": best, "text": "at least 70 US soldiers", "evidence": [{"quote": quote}]}

    first = _incident(
        locations=[
            place("Qasrak", "at the Qasrak base"),
            place("Raqqa", "at the Qasrak base"),
            place("Tanf", "at the al-Tanf garrison"),
        ],
        casualties={"injured": hurt(70), "killed": hurt(7)},
    )
    second = _incident(evidence=[{"quote": "A drone struck the Conoco field"}])
    data = Extraction.model_validate({"incidents": [first, second]})
    grounded, dropped = ground_extraction(data, TEXT)
    assert offset_problems(TEXT, grounded) == []
    assert len(grounded.incidents) == 1
    incident = grounded.incidents[0]
    assert [loc.name for loc in incident.locations] == ["Qasrak"]
    assert incident.casualties.injured is not None and incident.casualties.killed is None
    joined = "\n".join(str(d) for d in dropped)
    assert "'Raqqa' is not in its evidence" in joined
    assert "al-Tanf garrison" in joined
    assert "7 is not in its evidence" in joined
    assert "incidents[1]" in joined


def test_description_numbers_must_be_in_the_evidence() -> None:
    data = Extraction.model_validate(
        {"incidents": [_incident(description="They attacked 300 times.")]}
    )
    grounded, dropped = ground_extraction(data, TEXT)
    assert "300" not in grounded.incidents[0].description
    assert any(d.path == "incidents[0].description" for d in dropped)


def _sentence(text: str, *quotes: str) -> SummarySentence:
    return SummarySentence.model_validate(
        {"text": text, "evidence": [{"quote": q} for q in quotes]}
    )


def test_summary_sentences_are_aligned_and_ungrounded_ones_dropped_and_listed() -> None:
    bases = "Resistance factions have targeted US bases in Syria about 85 times"
    summary = NeutralSummary(
        headline=_sentence("Attacks on US bases in Syria", "targeted US bases in Syria"),
        sentences=[
            _sentence("Armed groups attacked US bases about 85 times.", bases),
            _sentence("Some 400 soldiers died.", "the injury of at least 70 US soldiers"),
            _sentence("US forces withdrew.", "US forces withdrew from al-Tanf"),
        ],
    )
    grounded, dropped = ground_summary(summary, TEXT)
    assert offset_problems(TEXT, grounded) == []
    assert grounded.headline is not None and grounded.headline.evidence[0].start >= 0
    assert [s.text for s in grounded.sentences] == [
        "Armed groups attacked US bases about 85 times."
    ]
    assert grounded.text == "Armed groups attacked US bases about 85 times."
    paths = {d.path: d for d in dropped}
    assert "400 is not in its evidence" in paths["summary.sentences[1]"].reason
    assert paths["summary.sentences[1]"].value == "Some 400 soldiers died."
    assert "summary.sentences[2]" in paths  # its only quote is not in the article


def test_an_ungrounded_headline_becomes_null_and_is_listed() -> None:
    summary = NeutralSummary(
        headline=_sentence("Bases attacked", "US forces withdrew"), sentences=[]
    )
    grounded, dropped = ground_summary(summary, TEXT)
    assert grounded.headline is None
    assert [d.path for d in dropped] == ["summary.headline.evidence[0]", "summary.headline"]


def test_operation_name_must_be_in_the_incident_evidence() -> None:
    named = _incident(
        operation_name="Operation Blue Arrow",
        description="Armed groups targeted US bases.",
        evidence=[{"quote": "Resistance factions have targeted US bases"}],
    )
    grounded, dropped = ground_extraction(Extraction.model_validate({"incidents": [named]}), TEXT)
    assert grounded.incidents[0].operation_name is None
    assert [(d.path, d.value) for d in dropped] == [
        ("incidents[0].operation_name", "Operation Blue Arrow")
    ]
    text = "Operation Blue Arrow hit three bases."
    kept = _incident(
        operation_name="Operation Blue Arrow", evidence=[{"quote": text}], description="x"
    )
    grounded, dropped = ground_extraction(Extraction.model_validate({"incidents": [kept]}), text)
    assert grounded.incidents[0].operation_name == "Operation Blue Arrow" and dropped == []


def test_quantity_range_both_ends_must_be_in_the_evidence() -> None:
    text = "They carried out between 10 and 15 attacks last week."

    def q(high: int) -> dict[str, object]:
        return {"value": 10, "high": high, "unit": "attacks", "text": "between 10 and 15 attacks",
                "evidence": [{"quote": "between 10 and 15 attacks"}]}  # fmt: skip

    base = {"description": "x", "evidence": [{"quote": text}]}
    ok = Extraction.model_validate({"incidents": [_incident(**base, quantities=[q(15)])]})
    grounded, dropped = ground_extraction(ok, text)
    assert grounded.incidents[0].quantities[0].high == 15 and dropped == []
    bad = Extraction.model_validate({"incidents": [_incident(**base, quantities=[q(16)])]})
    grounded, dropped = ground_extraction(bad, text)
    assert grounded.incidents[0].quantities == []
    assert "16 is not in its evidence" in dropped[0].reason


def test_acled_types_are_recomputed_after_grounding_drops_parts() -> None:
    text = "Police fired on the march and killed 3 protesters in the square."
    protest = _incident(
        event_type="protest",
        status="occurred",
        description="x",
        evidence=[{"quote": "Police fired on the march"}],
        casualties={
            "killed": {
                "best": 3,
                "text": "3 protesters",
                "evidence": [{"quote": "were shot dead at dawn"}],
            }
        },
    )
    data = Extraction.model_validate({"incidents": [protest]})
    assert data.incidents[0].acled_sub_event_type == "Excessive force against protesters"
    grounded, _ = ground_extraction(data, text)
    assert grounded.incidents[0].casualties.killed is None
    assert grounded.incidents[0].acled_sub_event_type == "Peaceful protest"


def test_validator_raises_grounding_errors_for_the_reask() -> None:
    model = grounded_model(Extraction)
    assert model.__name__ == "Extraction"
    # The records' schema, with arrays capped (tests/test_llamacpp_grammar.py).
    assert model.model_json_schema() == capped_schema(Extraction.model_json_schema())
    bad = {
        "incidents": [_incident(evidence=[{"quote": "US forces destroyed 40 rocket launchers"}])]
    }
    with pytest.raises(ValidationError) as err:
        model.model_validate(bad, context={CONTEXT_KEY: TEXT})
    assert "quote not found in the article" in str(err.value)
    # Without an article in the context it validates the schema only.
    model.model_validate(bad)
