"""Reposts: a near-duplicate's result is derived from its original's, not asked again.

A repost tells the same story with other boilerplate, so sending it to the LLM
would pay twice for the same answer. Its incidents and summary are copied from
the original's and every evidence quote is aligned again, by the same
grounding walk the live path uses (`grounding.ground_extraction` /
`ground_summary`), to the repost's own cleaned text: offsets index into the
repost, and what its text does not hold is dropped and listed in
`provenance.dropped`. Provenance says it was derived and from which doc_id.

`Originals` keeps the results a run may still need: a future per original
still in flight (bounded by the runner's window) and the most recent finished
ones (bounded LRU), so memory stays flat; an original finished by an earlier run
(a resumed batch) is read back from OUT's journal. A repost's best match can be
another repost (closer to it than their common original): it derives from that
one's derived result, so a chain of reposts costs one LLM answer. When the original is not at
hand (evicted, failed), `derive` returns None and the runner analyses the repost
itself, with a provenance note saying why.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from summarizer.batch.results import Deferred
from summarizer.grounding import ground_extraction, ground_summary
from summarizer.records import Article, ArticleResult, Extraction

#: Finished originals kept for reposts that come later (most recent first out last).
KEEP = 2048
DERIVED_NOTE = "derived from "
NOT_DERIVED_NOTE = "not derived from "


def derive_result(
    original: ArticleResult, article: Article, link: str, similarity: float
) -> ArticleResult:
    """The repost's result: the original's values, re-grounded in the repost's text."""
    text = article.text
    extraction, dropped = ground_extraction(Extraction(incidents=original.incidents), text)
    summary, summary_dropped = ground_summary(original.summary, text)
    note = (
        f"{DERIVED_NOTE}{link} (near-duplicate, similarity {similarity:.2f}): not sent to "
        f"the LLM; evidence re-aligned to this text, {len(dropped) + len(summary_dropped)} "
        "value(s) dropped"
    )
    old = original.provenance
    provenance = old.model_copy(
        update={
            "cache_hit": False,
            "tokens_in": 0,
            "tokens_out": 0,
            "cost_usd": 0.0 if old.cost_usd is not None else None,
            "latency_s": 0.0,
            "validation_retries": 0,
            "transport_retries": 0,
            "dropped": [*dropped, *summary_dropped],
            "notes": [note],
        }
    )
    language = article.language or original.article.language
    return ArticleResult(
        article=article.model_copy(update={"language": language}),
        incidents=extraction.incidents,
        summary=summary,
        provenance=provenance,
    )


class Originals:
    """Results of this run's originals, by doc_id, for the reposts that follow them."""

    def __init__(
        self, keep: int = KEEP, stored: Callable[[str], ArticleResult | None] | None = None
    ) -> None:
        self.keep = keep
        #: Originals finished by an earlier run (resume): read back from OUT's journal.
        self.stored = stored
        self._pending: dict[str, asyncio.Future[ArticleResult | None]] = {}
        #: finished ones as compact JSON without the article text (derive needs the rest)
        self._done: OrderedDict[str, str] = OrderedDict()
        self._deferred: set[str] = set()  # originals a provider batch holds (a later pass)

    def expect(self, doc_id: str) -> None:
        """An original is being analysed: reposts of it will wait for its result."""
        if doc_id not in self._pending and doc_id not in self._done:
            self._pending[doc_id] = asyncio.get_running_loop().create_future()

    def defer(self, doc_id: str) -> None:
        """The original waits on a provider batch: its reposts wait (`Deferred`) with it."""
        self._deferred.add(doc_id)

    def settle(self, doc_id: str, result: ArticleResult | None) -> None:
        """The original finished (None: it failed; its reposts are analysed themselves)."""
        future = self._pending.pop(doc_id, None)
        if future is not None and not future.done():
            future.set_result(result)
        if result is not None:
            slim = result.article.model_copy(update={"text": "", "offset_map": [], "stats": None})
            self._done[doc_id] = result.model_copy(update={"article": slim}).model_dump_json()

            self._done.move_to_end(doc_id)
            while len(self._done) > self.keep:
                self._done.popitem(last=False)

    async def get(self, doc_id: str) -> ArticleResult | None:
        if doc_id in self._done:
            return ArticleResult.model_validate_json(self._done[doc_id])
        future = self._pending.get(doc_id)
        if future is not None:
            return await asyncio.shield(future)
        return self.stored(doc_id) if self.stored is not None else None

    async def derive(self, article: Article, link: str, similarity: float) -> ArticleResult | None:
        """The `Options.derive` plug-in: None when the original is not at hand."""
        original = await self.get(link)
        if original is None:
            if link in self._deferred:
                raise Deferred(f"waiting for {link[:12]}, the original it reposts")
            return None
        return derive_result(original, article, link, similarity)


def not_derived(result: ArticleResult, link: str) -> ArticleResult:
    """Say in provenance why a near-duplicate was analysed itself (the original was not at hand)."""
    note = (
        f"{NOT_DERIVED_NOTE}{link}: its result was not at hand (failed, evicted or from an "
        "earlier run), so this near-duplicate was analysed itself"
    )
    notes: list[Any] = [*result.provenance.notes, note]
    return result.model_copy(
        update={"provenance": result.provenance.model_copy(update={"notes": notes})}
    )
