"""The one number parser, shared by grounding and the offline rules."""

from __future__ import annotations

import pytest

from summarizer import grounding
from summarizer.numbers import numbers_in, parse_number
from summarizer.offline import numbers as offline_numbers


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("22", 22),
        ("1,200", 1200),
        ("١٢", 12),
        ("٣٠٠", 300),
        ("three", 3),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("three hundred", 300),
        ("Three Hundred and twenty-five", 325),
        ("one thousand five hundred", 1500),
        ("two hundred thousand", 200000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("8 million", 8_000_000),
        ("1.5 million", 1_500_000),
        ("zero", 0),
    ],
)
def test_parse_number(phrase: str, value: int) -> None:
    assert parse_number(phrase) == value


@pytest.mark.parametrize("phrase", ["ten and fifteen", "hundreds", "several", "", "five twenty"])
def test_parse_number_refuses_what_is_not_one_number(phrase: str) -> None:
    assert parse_number(phrase) is None


def test_three_hundred_is_300_not_3_and_100() -> None:
    assert numbers_in("killed three hundred soldiers") == {300}
    assert grounding.numbers_in is numbers_in  # grounding uses the shared parser
    assert offline_numbers.parse_number is parse_number  # and so do the offline rules


def test_numbers_in_splits_where_english_does() -> None:
    assert numbers_in("between ten and fifteen attacks") == {10, 15}
    assert numbers_in("twenty-two killed, 1,200 displaced, 8 million affected") == {
        22,
        1200,
        8_000_000,
    }
    assert numbers_in("someone, anyone") == set()  # number words inside words do not count


def test_implied_counts_and_ordinals_only_when_asked() -> None:
    assert numbers_in("a soldier died in both attacks, the fifth this week") == {1, 2, 5}
    assert numbers_in("a soldier died in both attacks, the fifth", implied=False) == set()


def test_an_llm_value_of_three_hundred_grounds() -> None:
    from summarizer.grounding import ground_extraction
    from summarizer.records import Extraction

    text = "Rebels killed three hundred soldiers near the border."
    data = Extraction.model_validate(
        {
            "incidents": [
                {
                    "event_type": "attack",
                    "status": "occurred",
                    "description": "Rebels killed 300 soldiers.",
                    "casualties": {
                        "killed": {
                            "best": 300,
                            "text": "three hundred soldiers",
                            "evidence": [{"quote": "killed three hundred soldiers"}],
                        }
                    },
                    "evidence": [{"quote": text}],
                }
            ]
        }
    )
    grounded, dropped = ground_extraction(data, text)
    assert dropped == []
    killed = grounded.incidents[0].casualties.killed
    assert killed is not None and killed.best == 300
