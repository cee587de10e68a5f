"""Article cleaning: raw bytes or text in, a cleaned `Article` out.

INTERIM: decodes and normalises whitespace only; the real cleaner (issue 3)
replaces this module's internals behind the same `clean()` entry point.
"""

from __future__ import annotations

from summarizer.errors import InputError
from summarizer.records import Article, CleaningStats

MAX_INPUT_BYTES = 5 * 1024 * 1024


def decode_input(raw: bytes | str) -> str:
    """Decode input to text, refusing empty, binary, undecodable or oversized input."""
    if isinstance(raw, str):
        data = raw.encode("utf-8", "surrogatepass")
    else:
        data = raw
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"input is {len(data) / 1e6:.1f} MB, over the 5 MB limit: split it or pass the article alone"
        )
    if b"\x00" in data[:8192]:
        raise InputError("input looks binary (NUL bytes): pass a text or HTML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("input is not UTF-8: re-save it as UTF-8") from None
    if not text.strip():
        raise InputError("input is empty: pass a file with article text or HTML")
    return text


def clean(raw: bytes | str, name: str | None = None) -> Article:
    """Clean one input into an `Article` (interim: strips blank lines only)."""
    text = decode_input(raw)
    out: list[str] = []
    offset_map: list[tuple[int, int, int]] = []
    pos = 0
    clean_len = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        if body:
            raw_start = pos + line.index(body)
            if out:
                clean_len += 1
            offset_map.append((clean_len, raw_start, len(body)))
            out.append(body)
            clean_len += len(body)
        pos += len(line)
    cleaned = "\n".join(out)
    stats = CleaningStats(
        method="text", raw_chars=len(text), clean_chars=len(cleaned), lines_kept=len(out)
    )
    return Article(
        text=cleaned, title=out[0] if out else None, source=name, offset_map=offset_map, stats=stats
    )
