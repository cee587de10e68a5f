"""Decoding: clear one-line errors for unusable input, best effort for everything else."""

from __future__ import annotations

import pytest

from summarizer.clean import MAX_INPUT_BYTES, clean, decode_input
from summarizer.errors import InputError

FRENCH = "Café au lait, déjà vu. Les élèves sont arrivés à l'école ce matin."
ARABIC_BODY = (
    "أعلنت وزارة الدفاع اليوم أن القوات أجرت مناورات عسكرية واسعة في المنطقة الشرقية، "
    "وقال مصدر مطلع إن التدريبات ستستمر عدة أيام بمشاركة طائرات مروحية وطائرات مسيرة."
)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        ("   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        (bytes(range(1, 32)) * 64, "binary"),
        (b"a" * (MAX_INPUT_BYTES + 1), "5 MiB limit"),
        ("é" * (MAX_INPUT_BYTES // 2 + 1), "5 MiB limit"),
    ],
    ids=["empty", "blank", "blank-str", "png", "control-bytes", "huge", "huge-str"],
)
def test_unusable_input_is_one_clear_line(raw: bytes | str, words: str) -> None:
    with pytest.raises(InputError) as info:
        clean(raw)
    message = str(info.value)
    assert words in message
    assert "\n" not in message
    assert ":" in message  # problem: what to do
    assert info.value.exit_code == 2


def test_page_of_furniture_only_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no article text left"):
        clean("Subscribe\n• Home\n© 2024 Example Media. All rights reserved.")


def test_utf8_with_bom() -> None:
    assert decode_input("\ufeffhello world".encode()) == "hello world"
    assert decode_input("\ufeffhello world") == "hello world"


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_legacy_western_encodings(codec: str) -> None:
    assert decode_input(FRENCH.encode(codec)) == FRENCH


def test_cyrillic_code_page() -> None:
    text = "Привет, мир! Это тест кодировки windows-1251, довольно длинный текст для определения."
    assert decode_input(text.encode("cp1251")) == text


def test_declared_html_charset_wins_over_guessing() -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{FRENCH}</p></body></html>'
    assert decode_input(page.encode("latin-1")) == page


def test_mixed_utf8_and_cp1252_keeps_both() -> None:
    raw = "“Quoted” café — déjà".encode() + " and naïve ’ text".encode("cp1252")
    assert decode_input(raw) == "“Quoted” café — déjà and naïve ’ text"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom(codec: str) -> None:
    assert decode_input("Hello world, UTF-16 text.".encode(codec)) == "Hello world, UTF-16 text."


def test_rtl_arabic_article_survives_cleaning() -> None:
    text = "\n".join(
        [
            "• الرئيسية",
            "• سياسة",
            "• اقتصاد",
            "مناورات عسكرية في المنطقة الشرقية",
            "10 ديسمبر 2023",
            ARABIC_BODY,
            ARABIC_BODY.replace("اليوم", "أمس"),
            "اقرأ أيضاً: عنوان مقال آخر",
            "جميع الحقوق محفوظة © 2023",
        ]
    )
    for raw in (text, text.encode("utf-8"), text.encode("cp1256")):
        article = clean(raw)
        lines = article.text.split("\n")
        assert lines == [
            "مناورات عسكرية في المنطقة الشرقية",
            ARABIC_BODY,
            ARABIC_BODY.replace("اليوم", "أمس"),
        ]
        assert article.published == "2023-12-10"


def test_undecodable_noise_never_crashes() -> None:
    raw = bytes(range(128, 256)) * 40
    try:
        article = clean(raw)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(article.text, str)
