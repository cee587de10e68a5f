"""Feeds below an article (comment threads, tickers, teaser lists) found by their shape.

No line of these pages names its section ("Comments", "Related"): the stamps (a date or a
time on a short line, maybe with a name) and the size of the units between them are all
the classifier has, so the rules hold in any language. The layouts are written for the
tests; every `body` line must be kept and every `junk` line dropped with a reason.
"""

from __future__ import annotations

from summarizer.clean import clean_with_report

ARTICLE = [
    "Council approves new water plan",
    "The regional council approved the new water plan on Tuesday after a debate that lasted "
    "more than six hours, officials said.",
    "Under the plan, three reservoirs will be expanded by 2027, and farmers will pay a lower "
    "rate during the dry months, according to the council's statement.",
    "Opposition members argued that the cost estimates were too optimistic and asked for an "
    "independent audit before construction begins.",
]
TAIL = (
    "The council's chair said the audit would be published in the spring, and that public "
    "hearings would be held in each of the affected districts."
)
BLURBS = [
    "A magnitude 6.1 earthquake struck off the northern coast overnight, the geological "
    "survey said, with no immediate reports of damage.",
    "The national railway announced that the strike planned for Friday has been called off "
    "after talks with the unions ended late on Wednesday.",
    "Health officials reported a sharp fall in new flu cases this week, crediting the early "
    "vaccination campaign in schools and care homes.",
    "The football federation confirmed that the cup final will be played in the capital "
    "next May, ending months of speculation over the venue.",
    "Shares in the largest carmaker rose by almost four percent after it reported better "
    "than expected sales in its home market last quarter.",
]


def _check(parts: list[tuple[str, str]]) -> list[str]:
    report = clean_with_report("\n\n".join(line for _label, line in parts))
    assert report.article.text.split("\n") == [line for label, line in parts if label == "body"]
    reasons = {d.text: d.reason for d in report.dropped}
    for label, line in parts:
        if label == "junk":
            assert reasons.get(line), line
    return [reasons[line] for label, line in parts if label == "junk"]


def test_comment_thread_without_a_marker_is_cut_by_its_signed_stamps() -> None:
    names = ["Maria Lopez", "jdoe42", "Ahmed K.", "Tom", "Priya S."]
    parts = [("body", line) for line in ARTICLE]
    for n, (name, blurb) in enumerate(zip(names, BLURBS, strict=True)):
        parts += [("junk", f"{name} · March {n + 10}, 2024 at 9:{n}5 AM"), ("junk", blurb)]
    reasons = _check(parts)
    assert "comment thread below the article" in reasons


def test_ticker_of_timed_blurbs_is_dropped_and_the_article_goes_on_below_it() -> None:
    parts = [("body", line) for line in ARTICLE]
    for n, blurb in enumerate(BLURBS):
        parts += [("junk", f"1{n}:4{n}"), ("junk", blurb)]
    parts.append(("body", TAIL))
    reasons = _check(parts)
    assert "feed of stamped items (ticker, teasers) below the article" in reasons


def test_teasers_with_their_dates_below_the_text_are_dropped() -> None:
    parts = [("body", line) for line in ARTICLE]
    parts.append(("junk", "* * *"))
    for n, blurb in enumerate(BLURBS[:4]):
        parts += [("junk", blurb), ("junk", f"July {n + 2}, 2023")]
    _check(parts)


def test_live_blog_signed_by_its_reporter_is_kept() -> None:
    parts = [("body", line) for line in ARTICLE]
    for n, blurb in enumerate(BLURBS):
        parts += [("body", f"1{n}:0{n} Jane Roe"), ("body", blurb)]
    _check(parts)


def test_timed_entries_from_the_top_of_the_body_are_the_article() -> None:
    parts = [("body", ARTICLE[0])]
    for n, blurb in enumerate(BLURBS):
        parts += [("body", f"1{n}:0{n}"), ("body", blurb)]
    _check(parts)


def test_dates_without_prose_between_them_are_no_feed() -> None:
    """A table of release dates: the rows are dropped as date lines (as any lone date
    line is), but nothing around them is taken for a feed."""
    parts = [("body", line) for line in ARTICLE]
    parts += [("junk", f"4.{n}  {month} 2014") for n, month in enumerate(["May", "June", "July"])]
    parts.append(("body", TAIL))
    assert set(_check(parts)) == {"metadata: date"}


def test_a_lone_paragraph_keeps_the_lines_no_rule_flags_around_it() -> None:
    """One paragraph among labels (a fable in a layout table): no body to tell apart
    from the lines around it, so recall comes first, up to the menu that closes them."""
    parts = [
        ("junk", "Weather warnings for the north this weekend"),
        ("junk", "• Home"),
        ("junk", "• News"),
        ("junk", "• Sport"),
        ("junk", "• Weather"),
        ("body", "Tales of the day"),
        ("body", "The dog and its reflection"),
        ("body", BLURBS[0] + " " + BLURBS[1]),
        ("body", "Flower of the day: pine"),
        ("body", "Born today: a magician"),
        ("junk", "Share"),
    ]
    _check(parts)
