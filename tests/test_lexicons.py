"""The word-list loader: comments and blanks skipped, tables parsed, errors named."""

from __future__ import annotations

import pytest

from summarizer import lexicons


def test_every_shipped_list_loads_without_empty_or_duplicate_entries() -> None:
    for name in lexicons.available():
        entries = lexicons.words(name)
        assert entries, f"{name}.txt is empty"
        assert all(e for e in entries), f"{name}.txt has an empty entry"
        dupes = {e for e in entries if entries.count(e) > 1}
        assert not dupes, f"{name}.txt repeats {sorted(dupes)}"


def test_a_missing_list_is_a_named_error() -> None:
    with pytest.raises(KeyError, match="no word list 'nope'"):
        lexicons.words("nope")


def test_tables_carry_their_values() -> None:
    numbers = lexicons.table("number_words")
    assert numbers["twenty"] == "20" and numbers["hundred"] == "100"
    assert "number_words" in lexicons.available()
