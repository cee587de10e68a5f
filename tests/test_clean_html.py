"""The HTML path, and both paths measured on the real pages of the two dev sets.

The dev-set tests read ../shared/devdata/cleaning_en_news/ and cleaning_readability/
and skip when they are absent. They pin F1 floors in the spirit of trafilatura's
evaluation gate: a change that drops below them fails here; lowering a floor is a
reviewed edit. The figures themselves are in bench/RESULTS.md (bench/cleaning.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cleaning import Page, evaluate, load_en_news, load_readability
from summarizer.clean import clean, clean_with_report, decode_input
from summarizer.clean.html import looks_like_html
from summarizer.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
DEVDATA = ROOT.parent / "shared" / "devdata" / "cleaning_en_news"
READABILITY = ROOT.parent / "shared" / "devdata" / "cleaning_readability"
TEXT_F1_FLOOR = 0.90
HTML_F1_FLOOR = 0.90
# readability pages, 4-shingle F1 (trafilatura alone: 0.931, keeping every line 0.839;
# the text and HTML paths score 0.940 and 0.942 now)
READABILITY_TEXT_F1_FLOOR = 0.93
READABILITY_HTML_F1_FLOOR = 0.93
HTML_MAP_FLOOR = 0.80  # share of HTML-path characters the offset map traces (0.889 now)

BODY1 = (
    "The regional council approved the new water plan on Tuesday after a debate that lasted "
    "more than six hours, officials said."
)
BODY2 = (
    "Under the plan, three reservoirs will be expanded by 2027, and farmers will pay a lower "
    "rate during the dry months, according to the council&#8217;s statement."
)
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Water plan passes | Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Water plan passes</h1>
<p>{BODY1}</p>
<p>{BODY2}</p>
<p>Opposition members argued that the cost estimates were too optimistic and asked for an
independent audit before construction begins.</p>
<p>Read more: Drought hits southern farms for the third year</p>
<p>The plan has three parts:</p>
<ul><li>larger reservoirs</li><li>lower dry-season rates</li><li>an audit</li></ul>
<p>Share this article: <a href="#">Facebook</a> <a href="#">Twitter</a></p>
</article>
<footer><p>&copy; 2024 Example Times. All rights reserved.</p></footer></body></html>"""


def test_html_is_detected() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html("<div><p>one</p><p>two</p></div>")
    assert not looks_like_html(f"Water plan passes\n{BODY1}\nUse <b> for bold.")


def test_html_path_keeps_body_drops_furniture_and_reads_metadata() -> None:
    report = clean_with_report(PAGE.encode(), "page.html")
    article = report.article
    assert article.stats is not None and article.stats.method == "html"
    assert BODY1 in article.text
    assert "council’s statement" in article.text
    assert "independent audit" in article.text
    assert "three parts:\n- larger reservoirs\n- lower dry-season rates\n- an audit" in article.text
    for junk in ("Home", "World", "Share this article", "All rights reserved"):
        assert junk not in article.text
    # trafilatura leaves the link inside the article; the line rules do not
    [link] = [d for d in report.dropped if not d.reason.startswith("left out")]
    assert link.reason == "link to another article"
    assert PAGE.splitlines()[link.line - 1] == f"<p>{link.text}</p>"
    # what trafilatura itself left out is listed too, with the region that held it
    left_out = {d.text: d.reason for d in report.dropped if d is not link}
    assert left_out["Home"] == left_out["World"] == "left out by the extractor: navigation"
    assert left_out["© 2024 Example Times. All rights reserved."] == (
        "left out by the extractor: page footer"
    )
    assert PAGE.splitlines()[min(d.line for d in report.dropped) - 1].startswith("<body><nav>")
    assert [d.line for d in report.dropped] == sorted(d.line for d in report.dropped)
    assert article.stats.lines_dropped == len(report.dropped) == 5
    assert article.title == "Water plan passes"
    assert article.outlet == "Example Times"
    assert article.byline == "Jane Doe"
    assert article.published is not None and article.published.startswith("2024-03-05")
    assert article.language == "en"
    decoded = decode_input(PAGE.encode())
    for c, r, n in article.offset_map:
        assert article.text[c : c + n] == decoded[r : r + n]
    # an entity (&#8217;) or a line break in the markup splits a paragraph: its parts map back
    mapped = {c for c, _r, _n in article.offset_map}
    assert article.text.index("Under the plan") in mapped
    opposition = article.text.index("Opposition members")
    assert opposition in mapped
    assert any(c > opposition for c in mapped if c < article.text.index("The plan has"))


def test_title_goes_into_the_text_only_when_the_page_shows_it() -> None:
    body = f"<p>{BODY1}</p><p>{BODY2}</p>"
    hidden = clean(
        f"<html><head><title>Water plan | Example</title></head><body>{body}</body></html>"
    )
    assert hidden.title == "Water plan"
    assert hidden.text.startswith("The regional council")
    shown = clean(
        "<html><head><title>Water plan passes</title></head><body><h1>Water plan passes</h1>"
        f"<div>Menu</div>{body}</body></html>"
    )
    assert shown.text.startswith("Water plan passes\n")


def test_prose_the_fast_extraction_skips_next_to_the_article_is_taken_back() -> None:
    """trafilatura's fast pass leaves out a lead paragraph in an odd container and keeps
    one copy of a paragraph the page repeats; both come back, menus and footers do not."""
    lead = (
        "Anchor: After heavy rain on Monday, the council met on Tuesday morning in the town "
        "hall, where the water plan was put to a vote that many had expected to fail."
    )
    body3 = (
        "Opposition members argued that the cost estimates were too optimistic and asked for "
        "an independent audit before construction begins."
    )
    page = (
        "<!DOCTYPE html><html><head><title>Water plan</title></head><body>\n"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav>\n'
        f'<div class="lead-box"><span>{lead}</span></div>\n'
        f"<article><p>{BODY1}</p><p>{BODY2}</p><p>{BODY2}</p><p>{body3}</p></article>\n"
        "<footer><p>About us. Contact. All rights reserved.</p></footer></body></html>"
    )
    report = clean_with_report(page)
    body2 = BODY2.replace("&#8217;", "’")
    assert report.article.text.split("\n") == [lead, BODY1, body2, body2, body3]
    assert {d.text for d in report.dropped} == {
        "Home",
        "World",
        "About us. Contact. All rights reserved.",
    }
    decoded = decode_input(page)
    for c, r, n in report.article.offset_map:
        assert report.article.text[c : c + n] == decoded[r : r + n]


def test_prose_below_the_article_comes_back_only_from_its_container() -> None:
    """Below the last extracted paragraph, a skipped paragraph of the article's own
    container comes back; the author's bio or the next story's teaser beside it does not."""
    closing = (
        "The council's chair said the audit would be published in the spring, and that "
        "public hearings would be held in each of the affected districts."
    )
    bio = (
        "Jane Roe has reported on water and farming for the paper since 2015, and before "
        "that covered the regional parliament for a news agency."
    )
    page = (
        "<!DOCTYPE html><html><head><title>Water plan</title></head><body>\n"
        f"<article><p>{BODY1}</p><p>{BODY2}</p>"
        f'<div class="x-note"><span>{closing}</span></div></article>'
        f'<div class="x-box"><span>{bio}</span></div>\n'
        "</body></html>"
    )
    text = clean(page).text
    assert closing in text
    assert bio not in text


def test_html_without_article_falls_back_to_page_text() -> None:
    article = clean("<html><body><div>Short note only.</div></body></html>")
    assert article.stats is not None and article.stats.method == "html"
    assert "Short note only." in article.text


# --------------------------------------------------------------------------- dev set

needs_devdata = pytest.mark.skipif(
    not (DEVDATA / "evaldata_en_news.json").exists(),
    reason="dev data not present at ../shared/devdata",
)


needs_readability = pytest.mark.skipif(
    not (READABILITY / "pages").is_dir(), reason="dev data not present at ../shared/devdata"
)


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    return load_en_news(DEVDATA)


@pytest.fixture(scope="module")
def readability_pages() -> list[Page]:
    return load_readability(READABILITY)


def _checked(raw: str) -> str:
    """Clean, asserting the offset-map invariant on the way."""
    article = clean(raw)
    decoded = decode_input(raw)
    for c, r, n in article.offset_map:
        assert article.text[c : c + n] == decoded[r : r + n]
    return article.text


def _checked_or_empty(raw: str) -> str:
    """`_checked`, with a page the cleaner refuses (no article left) scored as empty."""
    try:
        return _checked(raw)
    except InputError:
        return ""


@needs_devdata
def test_text_path_on_rendered_pages(pages: list[Page]) -> None:
    result = evaluate("en_news", pages, lambda page: _checked(page.render), None)
    assert result.f1 >= TEXT_F1_FLOOR


@needs_devdata
def test_html_path_on_pages(pages: list[Page]) -> None:
    assert evaluate("en_news", pages, lambda page: _checked(page.html), None).f1 >= HTML_F1_FLOOR


@needs_readability
def test_both_paths_on_readability_pages(readability_pages: list[Page]) -> None:
    text = evaluate("readability", readability_pages, lambda p: _checked_or_empty(p.render), None)
    html = evaluate("readability", readability_pages, lambda p: _checked_or_empty(p.html), None)
    assert text.f1 >= READABILITY_TEXT_F1_FLOOR
    assert html.f1 >= READABILITY_HTML_F1_FLOOR


@needs_devdata
def test_html_offset_map_covers_most_of_the_text(pages: list[Page]) -> None:
    text = mapped = 0
    for page in pages:
        article = clean(page.html)
        text += len(article.text) - article.text.count("\n")
        mapped += sum(n for _c, _r, n in article.offset_map)
    assert mapped >= HTML_MAP_FLOOR * text


@needs_devdata
def test_page_metadata_agrees_with_trafilatura(pages: list[Page]) -> None:
    """`page_metadata` runs a subset of trafilatura's metadata steps for speed: on every dev
    page, the fields the cleaner uses must be what trafilatura's own `extract_metadata` says
    (the date differs on purpose: htmldate's extensive search is off)."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    from summarizer.clean.html import page_metadata

    for page in pages:
        ours = page_metadata(load_html(page.html))
        theirs = extract_metadata(load_html(page.html))
        for field in ("title", "author", "sitename", "url"):
            assert getattr(ours, field) == getattr(theirs, field), (page.name, field)


@needs_readability
def test_author_agrees_with_trafilatura_on_readability_pages(readability_pages: list[Page]) -> None:
    """The one-walk author search gives trafilatura's `extract_author` answer on every
    readability page too (many languages and templates; 45 of them name an author so)."""
    from trafilatura.metadata import extract_author

    from summarizer.clean.html import _author, load_tree

    found = 0
    for page in readability_pages:
        tree = load_tree(page.html)
        if tree is not None:
            expected = extract_author(tree)
            found += expected is not None
            assert _author(tree) == expected, page.name
    assert found >= 40


@pytest.mark.parametrize(
    ("body", "author"),
    [
        ('<span class="author-name">Jane Doe</span>', "Jane Doe"),
        ('<div class="byline">By John Smith</div>', "John Smith"),
        ('<p id="zuozhe">Li Wei</p>', "Li Wei"),
        ('<em class="writer">Ann Lee</em>', "Ann Lee"),
        ('<div data-component="Byline">Sam Roe</div>', "Sam Roe"),
        ("<author>Kim Park</author>", "Kim Park"),
        # a commenter or a caption credit is pruned before the search
        (
            '<div class="comments"><span class="author">A Reader</span></div>'
            '<span class="byline">Real Author</span>',
            "Real Author",
        ),
        (
            '<figure><span class="author">Photo Credit</span></figure>'
            '<span class="writer">Real Writer</span>',
            "Real Writer",
        ),
        ('<span class="author">x</span><span class="byline">Long Enough</span>', "Long Enough"),
        ('<p class="lead">No author here.</p>', None),
    ],
)
def test_author_search_is_trafilaturas(body: str, author: str | None) -> None:
    from trafilatura.metadata import extract_author

    from summarizer.clean.html import _author, load_tree

    tree = load_tree(f"<html><head><title>t</title></head><body>{body}<p>Text.</p></body></html>")
    assert _author(tree) == author
    assert extract_author(tree) == author


def test_dropped_line_numbers_count_line_breaks_in_any_order() -> None:
    from summarizer.clean import _line_numbers

    page = "a\nbb\nccc\ndddd\n"
    starts = [page.index("ccc"), page.index("dddd"), -1, page.index("bb"), 0]
    assert _line_numbers(page, starts) == [3, 4, 0, 2, 1]
