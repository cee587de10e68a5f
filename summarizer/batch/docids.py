"""A set of doc_ids that costs 16 bytes an entry, so a run's memory does not grow with the corpus.

A batch remembers every doc_id it has seen (to skip byte-identical copies) and
every doc_id OUT already holds (to resume). As Python strings in a set that is
~150 bytes an article; here each is a 128-bit digest of the doc_id in a sorted
numpy array (binary search), with a small set of recent additions merged in
now and then. 128 bits: two different doc_ids never meet in any corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

#: Recent additions kept as a set before they are merged into the sorted array.
MERGE_EVERY = 4096
_DTYPE = "S16"


def _key(doc_id: str) -> bytes:
    return hashlib.blake2b(doc_id.encode(), digest_size=16).digest()


class DocIds:
    """`add` and `in` for doc_ids; 16 bytes per entry once merged."""

    def __init__(self, doc_ids: Iterable[str] = ()) -> None:
        self._sorted = np.empty(0, dtype=_DTYPE)
        self._recent: set[bytes] = set()
        for doc_id in doc_ids:
            self.add(doc_id)

    def __len__(self) -> int:
        return self._sorted.size + len(self._recent)

    def _merged(self, key: bytes) -> bool:
        # compared as numpy fixed-width bytes on both sides (they drop trailing NULs alike)
        probe = np.array([key], dtype=_DTYPE)
        i = int(np.searchsorted(self._sorted, probe[0]))
        return i < self._sorted.size and bool(self._sorted[i : i + 1] == probe)

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        key = _key(doc_id)
        return key in self._recent or self._merged(key)

    def add(self, doc_id: str) -> None:
        key = _key(doc_id)
        if key in self._recent or self._merged(key):
            return
        self._recent.add(key)
        if len(self._recent) >= MERGE_EVERY:
            recent = np.array(sorted(self._recent), dtype=_DTYPE)
            self._sorted = np.sort(np.concatenate([self._sorted, recent]))
            self._recent.clear()
