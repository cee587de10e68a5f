"""A set of doc_ids that costs 16 bytes an entry, so a run's memory does not grow with the corpus.

A batch remembers every doc_id it has seen (to skip byte-identical copies) and
every doc_id OUT already holds (to resume, and where in the journal each result
is, so a repost can be derived from an original finished in an earlier run). As
Python strings in a set or dict that is ~150 bytes an article; here each is a
128-bit digest of the doc_id in a sorted numpy array (binary search), with an
optional 64-bit value, and a small dict of recent additions merged in now and
then. 128 bits: two different doc_ids never meet in any corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

#: Recent additions kept in a dict before they are merged into the sorted arrays.
MERGE_EVERY = 4096
_DTYPE = "S16"


def _key(doc_id: str) -> bytes:
    return hashlib.blake2b(doc_id.encode(), digest_size=16).digest()


class DocIds:
    """`add`, `in` and `get` for doc_ids; 16 bytes per entry (24 with a value) once merged."""

    def __init__(self, doc_ids: Iterable[str] = ()) -> None:
        self._keys = np.empty(0, dtype=_DTYPE)
        self._values = np.empty(0, dtype=np.int64)
        self._recent: dict[bytes, int] = {}
        for doc_id in doc_ids:
            self.add(doc_id)

    def __len__(self) -> int:
        return self._keys.size + len(self._recent)

    def _find(self, key: bytes) -> int | None:
        """The entry's value: from the recent dict, else by binary search (-1: none given)."""
        if key in self._recent:
            return self._recent[key]
        # compared as numpy fixed-width bytes on both sides (they drop trailing NULs alike)
        probe = np.array([key], dtype=_DTYPE)
        i = int(np.searchsorted(self._keys, probe[0]))
        if i < self._keys.size and bool(self._keys[i : i + 1] == probe):
            return int(self._values[i])
        return None

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._find(_key(doc_id)) is not None

    def get(self, doc_id: str) -> int | None:
        """The value stored with `doc_id` (None when absent or stored without one)."""
        value = self._find(_key(doc_id))
        return None if value is None or value < 0 else value

    def add(self, doc_id: str, value: int = -1) -> None:
        """Add `doc_id` (with a non-negative `value`, e.g. a file offset); the first add wins."""
        key = _key(doc_id)
        if self._find(key) is not None:
            return
        self._recent[key] = value
        if len(self._recent) >= MERGE_EVERY:
            keys = np.concatenate([self._keys, np.array(list(self._recent), dtype=_DTYPE)])
            values = np.concatenate([self._values, np.fromiter(self._recent.values(), np.int64)])
            order = np.argsort(keys, kind="stable")
            self._keys, self._values = keys[order], values[order]
            self._recent.clear()
