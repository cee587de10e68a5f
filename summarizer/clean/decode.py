"""Turn raw input bytes into text, or refuse it with a message that says what to do.

Scraped files arrive in every encoding: UTF-8 (most), legacy code pages,
UTF-16 from Windows tools, and UTF-8 files with a few Windows-1252 bytes pasted
in. Decoding is strict where the input is clearly wrong (empty, binary,
enormous) and best effort everywhere else, because a slightly mis-decoded
article is still useful while a crash is not.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from summarizer.errors import InputError

MAX_INPUT_BYTES = 5 * 1024 * 1024
_MIB = 1024 * 1024

# Control characters other than tab, newline, carriage return and form feed:
# real text (any script) has almost none, binary files have many.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MIXED_ERRORS = "summarizer-cp1252-fallback"
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]{2,30})", re.IGNORECASE)
_WESTERN = {"cp1252", "latin_1", "iso8859_15"}
_TIE_CHAOS = 0.1
_TIE_COHERENCE = 0.05


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as Windows-1252 (the usual culprit in mixed files)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error(_MIXED_ERRORS, _cp1252_fallback)


def _too_big(size: int) -> InputError:
    return InputError(
        f"input is {size / _MIB:.1f} MiB, over the {MAX_INPUT_BYTES // _MIB} MiB limit: "
        "pass the article alone, not a whole site dump"
    )


def _check_text(text: str) -> str:
    if not text.strip():
        raise InputError("input is empty: pass a file with article text or HTML")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError("input looks binary (control bytes): pass a text or HTML file")
    return text


def _guess_utf16(data: bytes) -> str | None:
    """Name UTF-16 without a BOM: every other byte is NUL in mostly-Latin text."""
    head = data[:4096]
    evens, odds = head[0::2], head[1::2]
    if odds and odds.count(0) > 0.8 * len(odds) and evens.count(0) < 0.1 * len(evens):
        return "utf-16-le"
    if evens and evens.count(0) > 0.8 * len(evens) and odds.count(0) < 0.1 * len(odds):
        return "utf-16-be"
    return None


def _decode_bytes(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if b"\x00" in data[:8192]:
        codec16 = _guess_utf16(data)
        if codec16 is None:
            raise InputError("input looks binary (NUL bytes): pass a text or HTML file")
        return data.decode(codec16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly valid UTF-8 with a few stray legacy bytes: keep the UTF-8 and read
    # only the stray bytes as cp1252, rather than mis-decoding the whole file.
    lenient = data.decode("utf-8", errors="ignore")
    multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F)
    if multibyte >= 3:
        return data.decode("utf-8", errors=_MIXED_ERRORS)
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # the page lies about its charset: detect instead
    return data.decode(_detect(data), errors="replace")


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its head (`<meta charset=...>`), if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if m is None:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _detect(data: bytes) -> str:
    """Guess a legacy encoding with charset-normalizer, preferring Windows-1252 on near ties.

    Short Western-European texts fit several Latin code pages about equally
    well; Windows-1252 is by far the most common of them on the web, so it
    wins unless another page fits clearly better.
    """
    results = from_bytes(data[:262144])
    best = results.best()
    if best is None:
        raise InputError("cannot tell the text encoding: re-save the file as UTF-8")
    for match in results:
        if (
            match.encoding in _WESTERN
            and match.chaos <= best.chaos + _TIE_CHAOS
            and match.coherence >= best.coherence - _TIE_COHERENCE
        ):
            return str(match.encoding)
    return str(best.encoding)


def decode_input(raw: bytes | str) -> str:
    """Decode input to text; refuse empty, binary, undecodable or oversized input.

    The returned string is what `Article.offset_map` raw offsets index into.
    """
    if isinstance(raw, str):
        # UTF-8 needs at most 4 bytes a character: only long strings need encoding to measure.
        size = (
            len(raw)
            if len(raw) * 4 <= MAX_INPUT_BYTES
            else len(raw.encode("utf-8", "surrogatepass"))
        )
        if size > MAX_INPUT_BYTES:
            raise _too_big(size)
        return _check_text(raw.removeprefix("\ufeff"))
    if len(raw) > MAX_INPUT_BYTES:
        raise _too_big(len(raw))
    if not raw.strip():
        raise InputError("input is empty: pass a file with article text or HTML")
    return _check_text(_decode_bytes(raw))
