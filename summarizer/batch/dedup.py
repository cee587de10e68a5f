"""Near-duplicate detection: the same story reposted with different boilerplate.

Shared by `batch` (a repost is not sent to the LLM twice) and `compare` (a
repost is grouped with its original). It works on the CLEANED text, so site
chrome does not count, as MinHash signatures over word shingles indexed in
LSH bands: adding a document and asking for its best earlier match costs a few
bucket look-ups, never a comparison with every earlier document, so a corpus
is deduplicated in time linear in its size.

Why these choices:
- Shingles are runs of `SHINGLE_WORDS` normalised words (NFKC, case-folded,
  punctuation dropped), so "U.S." and "US", or a changed quote mark, do not
  break a match, while shared stock phrases ("US bases in Syria") are too short
  to link different stories.
- Hashes are sha1-based and the permutations come from a fixed seed, so the
  same texts give the same signatures, matches and scores in every process
  (Python's own `hash()` is salted per process and would not). The signature is
  datasketch's MinHash ("affine32" scheme, seed 1, bit for bit) computed with
  numpy here: importing datasketch imports scipy (1-2 s of start-up for every
  command that deduplicates) for the one call that picks the band layout, which
  is fixed (`BANDS` x `ROWS`).
- The index (signatures, bands, decisions) lives in SQLite: in memory for
  `compare`, in a file for `batch` (`OUT.dedup`), so a batch's memory does not
  grow with the corpus and a resumed run finds every earlier decision.
- Signatures are a pure function of the text (`sketch`), so a batch computes
  them in its worker processes next to cleaning; the index only files them.
- LSH only proposes candidates; each candidate's similarity is then computed:
  estimated from the two signatures and, when the index keeps shingles (the
  default), exactly from the two shingle sets. The decision uses the exact
  figure when there is one.
- `THRESHOLD` is calibrated on the seed articles: seed 001 (a blog repost of
  000 that lost a headline and one subheading) scores about 0.9 against 000,
  every other pair of the five seeds below 0.05; a rewrite that keeps most
  sentences stays above 0.5, and unrelated stories share almost no 5-word runs.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SHINGLE_WORDS",
    "THRESHOLD",
    "DuplicateIndex",
    "Match",
    "jaccard",
    "shingle_hashes",
    "shingles",
    "signature_of",
    "sketch",
]

#: Words per shingle.
SHINGLE_WORDS = 5
#: MinHash permutations (signature length); 128 keeps the estimate within about +-0.09.
NUM_PERM = 128
#: Jaccard similarity of shingle sets at or above which a text is a near-duplicate.
THRESHOLD = 0.5
#: Fixed seed of the MinHash permutations: same texts, same signatures, in every process.
SEED = 1
#: LSH layout: BANDS bands of ROWS signature values. datasketch's optimum for 128
#: permutations at 0.4 (candidates are proposed a little below THRESHOLD, then scored).
BANDS, ROWS = 32, 4

_WORD = re.compile(r"\w+")


def normalise(text: str) -> list[str]:
    """The words of a text, NFKC-normalised and case-folded, punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    # "U.S." and "US", "al-Hasakah" and "al Hasakah" become the same words
    folded = re.sub(r"(?<=\w)[.'’](?=\w)", "", folded)
    return _WORD.findall(folded)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of k-word shingles of a text (a shorter text is one shingle; empty: none)."""
    words = normalise(text)
    if not words:
        return set()
    if len(words) <= k:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    """Exact Jaccard similarity of two shingle sets (0.0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """The text's shingles as sorted, unique 32-bit hashes (sha1's first 4 bytes, LE)."""
    grams = shingles(text, k)
    values = (struct.unpack_from("<I", hashlib.sha1(g).digest())[0] for g in grams)
    return np.unique(np.fromiter(values, np.uint32, len(grams)))


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for SEED: odd multipliers `a`, offsets `b`."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def signature_of(hashes: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature (num_perm uint32) of a set of 32-bit shingle hashes."""
    hv = hashes.astype(np.uint32).reshape(-1, 1)
    # MurmurHash3's 32-bit finalizer, then a * h + b mod 2^32 per permutation
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    a, b = _permutations(num_perm)
    return np.asarray((hv * a + b).min(axis=0), dtype=np.uint32)


def sketch(text: str) -> bytes | None:
    """The text's signature as bytes (what a worker process hands back), None when empty."""
    hashes = shingle_hashes(text)
    return signature_of(hashes).tobytes() if hashes.size else None


def _band_keys(signature: np.ndarray) -> list[int]:
    """One 63-bit key per LSH band (documents sharing any band are candidates)."""
    rows = signature[: BANDS * ROWS].reshape(BANDS, ROWS)
    return [
        int.from_bytes(hashlib.blake2b(bytes([i]) + row.tobytes(), digest_size=8).digest(), "big")
        >> 1
        for i, row in enumerate(rows)
    ]


@dataclass(frozen=True, slots=True)
class Match:
    """The best earlier near-duplicate of a document, and how similar the two are."""

    key: str  # the earlier document's key (its doc_id)
    estimated: float  # Jaccard estimated from the MinHash signatures
    exact: float | None  # exact Jaccard of the shingle sets (None when shingles are not kept)

    @property
    def similarity(self) -> float:
        """The figure decisions use: exact when known, else the estimate."""
        return self.exact if self.exact is not None else self.estimated


_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    rank INTEGER PRIMARY KEY,  -- insertion order: ties go to the earlier document
    key TEXT NOT NULL UNIQUE,
    signature BLOB,            -- NULL: an empty text, decided but not indexed
    link TEXT,                 -- the decision: the key it is a near-duplicate of
    similarity REAL
);
CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bands_by_key ON bands (band);
"""


class DuplicateIndex:
    """Documents added one at a time; each can be checked against all earlier ones.

    `add(key, text)` returns the best earlier match at or above the threshold (or
    None) and then indexes the text, so reposts of reposts still find a match.
    Each decision is stored with the document (`decision(key)`), so an index
    opened on an existing file answers for what it decided before. With `path`
    the index is a SQLite file and memory stays flat whatever the corpus size;
    with `keep_shingles` (in memory only: `compare`) the shingle hashes are kept
    too (4 bytes per word) for exact scores.
    """

    def __init__(
        self,
        threshold: float = THRESHOLD,
        *,
        keep_shingles: bool = True,
        path: Path | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.keep_shingles = keep_shingles and path is None
        self._db = sqlite3.connect(":memory:" if path is None else str(path))
        if path is not None:  # one commit per decision: the WAL makes it cheap and kill-safe
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()
        #: candidate pairs scored so far (LSH keeps this far below n*(n-1)/2)
        self.comparisons = 0
        self._shingles: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        row = self._db.execute("SELECT count(*) FROM docs WHERE signature IS NOT NULL").fetchone()
        return int(row[0])

    def __contains__(self, key: object) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM docs WHERE key = ? AND signature IS NOT NULL", (key,)
        ).fetchone()
        return found is not None

    def close(self) -> None:
        self._db.close()

    def decision(self, key: str) -> tuple[str | None, float | None] | None:
        """What `add` decided for `key` (its link and similarity), None if never added."""
        row = self._db.execute("SELECT link, similarity FROM docs WHERE key = ?", (key,)).fetchone()
        return None if row is None else (row[0], row[1])

    def query(self, text: str) -> Match | None:
        """The best indexed near-duplicate of `text` at or above the threshold, or None."""
        hashes = shingle_hashes(text)
        if not hashes.size:
            return None
        return self._best(signature_of(hashes), hashes)

    def add(self, key: str, text: str) -> Match | None:
        """Check `text` against the earlier documents, then index it under `key`.

        Adding a key that is already indexed (the same bytes twice) indexes nothing new
        and reports the earlier copy as an exact match.
        """
        if key in self:
            return Match(key, 1.0, 1.0 if self.keep_shingles else None)
        hashes = shingle_hashes(text)
        signature = signature_of(hashes) if hashes.size else None
        return self.add_signature(key, signature, hashes if self.keep_shingles else None)

    def add_signature(
        self, key: str, signature: np.ndarray | bytes | None, hashes: np.ndarray | None = None
    ) -> Match | None:
        """`add` for a signature computed elsewhere (`sketch`, in a worker process).

        None (an empty text) is nobody's duplicate and indexes nothing, but the
        decision is kept. The decision is committed before this returns.
        """
        if key in self:
            return Match(key, 1.0, 1.0 if hashes is not None else None)
        if isinstance(signature, bytes):
            signature = np.frombuffer(signature, dtype=np.uint32)
        match = None if signature is None else self._best(signature, hashes)
        link, sim = (match.key, match.similarity) if match else (None, None)
        blob = None if signature is None else signature.astype(np.uint32).tobytes()
        with self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO docs (key, signature, link, similarity) VALUES (?, ?, ?, ?)",
                (key, blob, link, sim),
            )
            if signature is not None and cursor.rowcount:
                rank = cursor.lastrowid
                self._db.executemany(
                    "INSERT INTO bands (band, doc) VALUES (?, ?)",
                    [(band, rank) for band in _band_keys(signature)],
                )
        if hashes is not None and signature is not None:
            self._shingles[key] = hashes
        return match

    def _best(self, mine: np.ndarray, hashes: np.ndarray | None) -> Match | None:
        keys = _band_keys(mine)
        rows = self._db.execute(
            "SELECT rank, key, signature FROM docs WHERE rank IN (SELECT doc FROM bands "
            f"WHERE band IN ({','.join('?' * len(keys))})) ORDER BY rank",
            keys,
        ).fetchall()
        self.comparisons += len(rows)
        best: Match | None = None
        for _rank, key, blob in rows:  # in insertion order: ties go to the earlier document
            other = np.frombuffer(blob, dtype=np.uint32)
            estimated = float(np.count_nonzero(other == mine)) / mine.size
            exact: float | None = None
            if hashes is not None and key in self._shingles:
                theirs = self._shingles[key]
                common = np.intersect1d(hashes, theirs, assume_unique=True).size
                exact = common / (hashes.size + theirs.size - common)
            match = Match(key, round(estimated, 4), None if exact is None else round(exact, 4))
            if match.similarity >= self.threshold and (
                best is None or match.similarity > best.similarity
            ):
                best = match
        return best

    def signature(self, key: str) -> np.ndarray:
        """The stored MinHash signature of an indexed document."""
        row = self._db.execute("SELECT signature FROM docs WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] is None:
            raise KeyError(key)
        return np.frombuffer(row[0], dtype=np.uint32).copy()
