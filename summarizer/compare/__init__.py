"""Compare how outlets tell the same story: groups, fact matrix, framing, consensus.

`compare(results)` takes `ArticleResult`s (from `summarize`, or a `batch` JSONL)
and returns a `Comparison`: story groups (reposts, same events, same story,
each link with its reasons and score), per group the matched incidents with
their fact rows, the actor labels and framing measures per outlet, and a
consensus account that cites the outlets behind every sentence. Only the
consensus may call an LLM (`summarizer.compare.llm`); everything else is rules
over the grounded records, so it is the same with every backend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from summarizer.compare.common import Doc, make_docs
from summarizer.compare.consensus import rule_consensus
from summarizer.compare.framing import actor_labels, outlet_framing
from summarizer.compare.grouping import group_docs
from summarizer.compare.matrix import matched_incidents
from summarizer.records import (
    ArticleResult,
    ComparedArticle,
    Comparison,
    ConsensusSummary,
    MatchedIncident,
    StoryGroup,
)

__all__ = ["ConsensusWriter", "compare"]

#: Writes a group's consensus from its docs and matched incidents (rules, or an LLM).
ConsensusWriter = Callable[[Sequence[Doc], Sequence[MatchedIncident]], ConsensusSummary]


def compare(
    results: Sequence[ArticleResult], consensus: ConsensusWriter | None = None
) -> Comparison:
    """Group the results into stories and compare the outlets within each."""
    docs = make_docs(results)
    grouping, feats = group_docs(docs)
    write = consensus or rule_consensus
    articles: dict[int, ComparedArticle] = {}
    groups: list[StoryGroup] = []
    for n, members in enumerate(grouping.groups):
        gid = f"s{n + 1}"
        for i in members:
            d = docs[i]
            a = d.result.article
            orig = grouping.reposts.get(i)
            articles[i] = ComparedArticle(
                doc_id=d.id,
                label=d.label,
                outlet=a.outlet,
                title=a.title,
                published=a.published,
                source=a.source,
                url=a.url,
                story=gid,
                repost_of=docs[orig].id if orig is not None else None,
            )
        reps = [docs[i] for i in members if i not in grouping.reposts]
        ids = {docs[i].id for i in members}
        links = [link for link in grouping.links if link.a in ids and link.b in ids]
        incidents = matched_incidents(reps, [feats[d.order] for d in reps], gid)
        summary: ConsensusSummary | None = None
        if len(reps) > 1:
            summary = write(reps, incidents)
        groups.append(
            StoryGroup(
                id=gid,
                doc_ids=[docs[i].id for i in members],
                links=links,
                incidents=incidents,
                actor_labels=actor_labels(reps) if len(reps) > 1 else [],
                framing=[outlet_framing(d) for d in reps],
                consensus=summary,
            )
        )
    return Comparison(
        articles=[articles[i] for i in range(len(docs))],
        groups=groups,
        candidate_pairs=grouping.candidate_pairs,
        notes=grouping.notes,
    )


def docs_of(results: Sequence[ArticleResult]) -> list[Doc]:
    """The docs `compare` builds (ids and labels), for renderers that need the texts."""
    return make_docs(results)
