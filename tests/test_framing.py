"""The loaded-term lexicon: detection, quotation handling, neutral rewriting."""

from __future__ import annotations

import pytest

from summarizer.framing import find_loaded_terms, loaded_share, neutral_phrase, rewrite


@pytest.mark.parametrize(
    ("phrase", "neutral"),
    [
        ("US occupation forces", "US forces"),
        ("Resistance factions", "armed factions"),
        ("Iraqi resistance factions", "Iraqi armed factions"),
        ("its illegal bases in Syria", "its bases in Syria"),
        ("the ongoing Israeli aggression", "the ongoing Israeli military action"),
        ("the martyrs of the attack", "the people killed of the attack"),
        ("the Syrian regime", "the Syrian government"),
        ("valiant operations against the US occupation sites", "operations against the US sites"),
        ("the terror group", "the armed group"),
        ("persistence of the occupation", "persistence of the military presence"),
    ],
)
def test_neutral_phrase(phrase: str, neutral: str) -> None:
    assert neutral_phrase(phrase) == neutral


@pytest.mark.parametrize(
    "name", ["Islamic Resistance in Iraq", "the Axis of Resistance", "National Liberation Front"]
)
def test_proper_names_are_not_rewritten(name: str) -> None:
    assert find_loaded_terms(name) == []
    assert neutral_phrase(name) == name


def test_terms_inside_quotation_marks_are_flagged_not_rewritten() -> None:
    text = 'He said "the occupation forces must leave" while occupation forces stayed.'
    hits = find_loaded_terms(text)
    assert [(h.term, h.in_quotation) for h in hits] == [
        ("occupation forces", True),
        ("occupation forces", False),
    ]
    assert all(text[h.start : h.end] == h.term for h in hits)
    assert rewrite(text) == 'He said "the occupation forces must leave" while forces stayed.'


def test_curly_and_unclosed_quotes() -> None:
    text = 'The sources said “the valiant fighters” won.\nThey added that "the regime fell'
    quoted = {h.term: h.in_quotation for h in find_loaded_terms(text)}
    assert quoted == {"valiant": True, "regime": True}


def test_rewrite_of_a_span_keeps_capitals_and_spacing() -> None:
    text = "First line.\nTerrorists attacked the valiant  village."
    start = text.index("Terrorists")
    assert rewrite(text, start, len(text)) == "Militants attacked the village."


def test_loaded_share_counts_only_own_voice() -> None:
    assert loaded_share('"aggression" was their word') == 0.0
    assert loaded_share("the aggression continued") > 0.0
    assert loaded_share("") == 0.0


@pytest.mark.parametrize(
    "text",
    ["the sanctions regime", "a criminal investigation", "the International Criminal Court"],
)
def test_ordinary_uses_are_not_loaded(text: str) -> None:
    assert find_loaded_terms(text) == []


def test_criminal_as_a_verdict_is_loaded() -> None:
    assert neutral_phrase("the criminal aggression on Gaza") == "the military action on Gaza"


def test_core_modules_do_not_import_the_offline_rules() -> None:
    # framing, spans and the instruction test are shared by every backend and by compare:
    # the offline rules build on them, never the other way round
    import ast
    from pathlib import Path

    import summarizer

    root = Path(summarizer.__file__).parent
    core = ("framing.py", "spans.py", "instructions.py", "language.py", "grounding.py")
    for name in (*core, "summary_check.py", "field_guide.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in imported if m.startswith("summarizer.offline")], name
