"""Near-duplicate detection on cleaned text (summarizer.batch.dedup)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from summarizer.batch.dedup import (
    NUM_PERM,
    THRESHOLD,
    DuplicateIndex,
    jaccard,
    normalise,
    shingle_hashes,
    shingles,
    signature_of,
    sketch,
)
from summarizer.clean import clean

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    """The five seeds' cleaned texts, keyed by their number ('000'...'004')."""
    return {p.name[:3]: clean(p.read_bytes(), p.name).text for p in sorted(ARTICLES.glob("*.txt"))}


def test_seed_001_is_a_repost_of_000_and_no_other_pair_is_linked(seeds: dict[str, str]) -> None:
    index = DuplicateIndex()
    matches = {key: index.add(key, text) for key, text in seeds.items()}
    assert matches["000"] is None
    m = matches["001"]
    assert m is not None and m.key == "000"
    assert m.exact is not None and m.exact > 0.9
    assert abs(m.estimated - m.exact) < 0.1
    assert all(matches[k] is None for k in ("002", "003", "004"))


def test_threshold_separates_every_seed_pair(seeds: dict[str, str]) -> None:
    """Exact Jaccard of all pairs: the repost far above the threshold, the rest far below."""
    sets = {k: shingles(v) for k, v in seeds.items()}
    keys = sorted(sets)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            score = jaccard(sets[a], sets[b])
            if (a, b) == ("000", "001"):
                assert score > THRESHOLD + 0.3
            else:
                assert score < THRESHOLD / 5, (a, b, score)


def _repost(text: str) -> str:
    """A blog repost: other chrome, curly quotes, one paragraph cut, a line in capitals."""
    lines = text.splitlines()
    del lines[5]
    lines[1] = lines[1].upper()
    body = "\n".join(lines).replace('"', "\u201c")
    return f"Reposted from our partners. Share this:\n{body}\nRead more on our blog. Subscribe!"


def _paraphrase() -> str:
    return (
        "American-led coalition troops held several days of training at bases in north-eastern "
        "Syria, local informants said, rehearsing the defence of their posts against possible "
        "ground assaults. The drills, reportedly named Blue Arrow, involved aircraft and "
        "firing practice near Hasakah and in Deir Ezzor province. Groups aligned with Iran have "
        "attacked American positions many times since mid-October, and dozens of soldiers "
        "have been hurt, according to the same report."
    )


def test_hand_made_repost_matches_and_rewrites_and_quotes_do_not(seeds: dict[str, str]) -> None:
    index = DuplicateIndex()
    index.add("original", seeds["000"])
    repost = index.query(_repost(seeds["000"]))
    assert repost is not None and repost.key == "original" and repost.similarity >= 0.7
    # the same facts in other words are a different article, not a near-duplicate
    assert index.query(_paraphrase()) is None
    # another story that quotes one paragraph of the original is not its repost
    paragraph = seeds["000"].splitlines()[13]
    quoting = seeds["002"] + "\n" + paragraph
    assert index.query(quoting) is None
    assert 0.0 < jaccard(shingles(quoting), shingles(seeds["000"])) < THRESHOLD


def test_normalisation_ignores_case_punctuation_and_abbreviation_dots() -> None:
    assert normalise("U.S. forces—in al-Hasakah, SYRIA!") == normalise(
        "US forces in al Hasakah syria"
    )
    assert normalise("The “Blue Arrow” drill") == ["the", "blue", "arrow", "drill"]


def test_best_earlier_match_is_the_most_similar(seeds: dict[str, str]) -> None:
    text = seeds["000"]
    lines = text.splitlines()
    half = "\n".join(lines[: len(lines) * 3 // 4])
    index = DuplicateIndex()
    assert index.add("partial", half) is None
    assert index.add("full", text) is not None  # a longer version of 'partial'
    m = index.add("copy", text)
    assert m is not None and m.key == "full" and m.exact == 1.0
    # the same key twice (the same bytes twice) indexes nothing new
    assert index.add("full", text) == type(m)("full", 1.0, 1.0)
    assert len(index) == 3


def test_empty_and_tiny_texts() -> None:
    index = DuplicateIndex()
    assert index.add("empty", "  ...  ") is None
    assert "empty" not in index
    assert index.add("short", "Rockets hit the base") is None
    m = index.add("short2", "rockets HIT the base.")
    assert m is not None and m.key == "short" and m.similarity == 1.0


def test_without_shingles_the_estimate_decides(seeds: dict[str, str]) -> None:
    index = DuplicateIndex(keep_shingles=False)
    index.add("000", seeds["000"])
    m = index.add("001", seeds["001"])
    assert m is not None and m.exact is None and m.similarity == m.estimated > 0.85
    assert index.add("004", seeds["004"]) is None


def test_lsh_blocks_a_large_corpus_without_comparing_all_pairs() -> None:
    rng = random.Random(7)
    vocab = [f"word{i}" for i in range(3000)]
    docs = [" ".join(rng.choice(vocab) for _ in range(300)) for _ in range(1000)]
    index = DuplicateIndex()
    found = []
    for i, doc in enumerate(docs):
        assert index.add(f"d{i}", doc) is None
        if i % 100 == 99:  # plant a repost of an earlier document with new chrome
            m = index.add(f"r{i}", "Shared from elsewhere. " + docs[i - 50] + " Follow us.")
            found.append(m.key if m else None)
    assert found == [f"d{i - 50}" for i in range(99, 1000, 100)]
    # 1,010 documents: all pairs would be ~510,000 comparisons; the buckets propose a handful
    assert index.comparisons < 100


def test_signatures_are_the_same_in_another_process(seeds: dict[str, str]) -> None:
    code = (
        "import json, sys\n"
        "from summarizer.batch.dedup import DuplicateIndex\n"
        "texts = json.load(sys.stdin)\n"
        "ix = DuplicateIndex(keep_shingles=False)\n"
        "ix.add('a', texts[0])\n"
        "m = ix.add('b', texts[1])\n"
        "print(m.estimated)\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps([seeds["000"], seeds["001"]]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    here = DuplicateIndex(keep_shingles=False)
    here.add("a", seeds["000"])
    m = here.add("b", seeds["001"])
    assert m is not None and float(out.stdout) == m.estimated


def test_signatures_are_datasketch_minhash_bit_for_bit(seeds: dict[str, str]) -> None:
    # Computed with datasketch 1.x/2.x MinHash(num_perm=128, seed=1, scheme="affine32") over
    # the same shingle hashes: a changed signature would relink (or unlink) resumed runs.
    sums = {"000": 799965882, "001": 808909822, "002": 761471106, "003": 1229515248}
    for key, expected in sums.items():
        signature = signature_of(shingle_hashes(seeds[key]))
        assert signature.dtype == np.uint32 and signature.size == NUM_PERM
        assert int(signature.astype(np.uint64).sum()) == expected, key


def test_a_file_index_keeps_its_decisions_and_answers_a_reopen(
    seeds: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "index.sqlite"
    first = DuplicateIndex(keep_shingles=False, path=path)
    assert first.add_signature("a", sketch(seeds["000"])) is None
    m = first.add_signature("b", sketch(seeds["001"]))
    assert m is not None and m.key == "a"
    first.close()
    again = DuplicateIndex(keep_shingles=False, path=path)
    assert again.decision("a") == (None, None)
    assert again.decision("b") == ("a", m.similarity)
    assert again.decision("c") is None
    m2 = again.add_signature("c", sketch(seeds["001"] + " One more line of text here."))
    assert m2 is not None and m2.key in ("a", "b")
    assert len(again) == 3
    again.close()


def test_doc_id_set_answers_like_a_set_across_merges() -> None:
    import hashlib

    from summarizer.batch import docids

    ids = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(docids.MERGE_EVERY * 2 + 7)]
    kept = docids.DocIds(ids[::2])
    assert len(kept) == len(ids[::2])
    assert all(i in kept for i in ids[::2]) and not any(i in kept for i in ids[1::2])
    kept.add(ids[0])  # already there: no second entry
    assert len(kept) == len(ids[::2]) and 42 not in kept
