"""The plain-text classifier: drop reasons, structure rules, metadata, corpus template lines.

The page layouts here are written for the tests (not copied from the seeds) so the
rules are checked on outlets the classifier was not tuned on: each document is a
list of (label, line) pairs and every `body` line must be kept, every `junk` line
dropped.
"""

from __future__ import annotations

import pytest

from summarizer.clean import BoilerplateModel, clean, clean_corpus, clean_with_report, decode_input
from summarizer.clean.metadata import guess_outlet, parse_date
from summarizer.clean.text import Line, line_reason, split_lines
from summarizer.errors import InputError

P1 = (
    "The regional council approved the new water plan on Tuesday after a debate that lasted "
    "more than six hours, officials said."
)
P2 = (
    "Under the plan, three reservoirs will be expanded by 2027, and farmers will pay a lower "
    "rate during the dry months, according to the council's statement."
)
P3 = (
    "Opposition members argued that the cost estimates were too optimistic and asked for an "
    "independent audit before construction begins."
)
P4 = (
    "The council's chair said the audit would be published in the spring, and that public "
    "hearings would be held in each of the affected districts."
)


def _doc(parts: list[tuple[str, str]]) -> str:
    return "\n\n".join(line for _label, line in parts)


def _check(parts: list[tuple[str, str]]) -> None:
    report = clean_with_report(_doc(parts))
    kept = report.article.text.split("\n")
    assert kept == [line.strip() for label, line in parts if label == "body"]
    dropped = {d.text for d in report.dropped}
    for label, line in parts:
        if label == "junk":
            assert line.strip() in dropped
    assert all(d.reason for d in report.dropped)


def _line(text: str) -> Line:
    return split_lines(text)[0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("• Politics", "short list item"),
        ("* Sign up", "button or menu item"),
        ("12 Shares", "counter"),
        ("2,500 $", "donation amount"),
        ("$ 50", "donation amount"),
        ("5 min read", "reading time"),
        ("Reading time: 4 minutes", "reading time"),
        ("© 2024 Example Media. All rights reserved.", "boilerplate phrase"),
        (
            "Follow us on Telegram for more updates and breaking stories from the region.",
            "boilerplate",
        ),
        ("Featured image: Reuters", "caption"),
        ("Troops patrol the border near the crossing on Monday. (AP Photo/Jane Doe)", "caption"),
        ("Read more: Ministers meet over the budget", "link to another article"),
        ("Lea también: El Congreso aprueba la reforma", "link to another article"),
        ("By Jane Doe and John Roe", "byline"),
        ("Published: Tuesday | April 26, 2022 | 9:52 PM", "date"),
        ("Support Example News", "donation appeal"),
        ("***", "separator"),
        ("x", "fragment"),
        ("Leave a Reply", "comment"),
    ],
)
def test_line_rules_give_reasons(text: str, reason: str) -> None:
    got = line_reason(_line(text))
    assert got is not None and reason in got


@pytest.mark.parametrize(
    "text",
    [
        P1,
        "Iraqi Resistance chief: We will resist until the last soldier leaves",
        "The copyright case was heard in Paris, where lawyers for both sides made statements.",
        "He said the share of voters who back the plan has grown to 40 percent.",
        '"Any foolishness will be met with severe measures," he said.',
        # a long paragraph that mentions a notice phrase in passing is prose
        "When you sign up for the service, it asks you to upload your list of contacts so that "
        "the site can find your friends, and it keeps that list on its servers long after you "
        "have left, according to the complaint filed by the group.",
        # a parenthetical aside closing a sentence is not a photo credit
        "We dodged a merge conflict by picking a merge tool that takes her changes over his. "
        "(You might wonder why he would not simply rebase.)",
    ],
)
def test_body_lines_have_no_reason(text: str) -> None:
    assert line_reason(_line(text)) is None


def test_notice_phrases_in_a_long_paragraph_count_where_a_notice_puts_them() -> None:
    prose = (
        "The report was published on Monday and covers the whole of the last year, with "
        "figures from every district and a summary of the hearings held in the spring."
    )
    for notice in (
        "Sign up for our newsletter to get the latest stories every morning.",
        "Please see our Terms of Service for the ownership section.",
        "Copyright 2019 Example Media, reproduction without permission is prohibited.",
    ):
        reason = line_reason(_line(f"{prose} {notice}"))
        assert reason is not None and "boilerplate" in reason, notice
    assert line_reason(_line(prose)) is None


def test_inside_a_chosen_container_shape_rules_do_not_apply() -> None:
    """On the HTML path trafilatura has chosen the article: its lists, table rows and
    timelines are body, though the same lines on a bare text page read as menus."""
    for text in ("• Politics", "2 │ -0.757 │ 4084", "Published: Tuesday | April 26, 2022"):
        assert line_reason(_line(text)) is not None
        assert line_reason(_line(text), contained=True) is None
    for junk in ("***", "© 2024 Example Media. All rights reserved.", "12 Shares"):
        assert line_reason(_line(junk), contained=True) is not None


def test_closing_author_bio_is_dropped_but_a_body_sentence_about_a_professor_is_not() -> None:
    professor = "Jane Roe is a professor of hydrology who has studied the region's reservoirs."
    bio = "John Doe is a senior writer for Example News, covering water and farming."
    _check(
        [
            ("body", "Water plan passes"),
            ("body", P1),
            ("body", professor),
            ("body", P2),
            ("junk", bio),
        ]
    )


def test_wire_story_with_related_list_and_signoff() -> None:
    _check(
        [
            ("junk", "Skip to main content"),
            ("junk", "• World"),
            ("junk", "• Business"),
            ("junk", "• Markets"),
            ("body", "Council approves water plan after six-hour debate"),
            ("junk", "By Jane Doe"),
            ("junk", "March 3, 2024 4:05 PM GMT"),
            ("junk", "3 minute read"),
            ("body", P1),
            ("body", P2),
            ("junk", "Related stories"),
            ("junk", "Drought hits southern farms for third year"),
            ("junk", "Reservoir levels fall below average"),
            ("body", "What happens next"),
            ("body", P3),
            ("body", P4),
            ("body", "Reporting by Jane Doe; Editing by John Roe"),
            ("junk", "Our Standards: The Trust Principles."),
            ("junk", "Most Popular"),
            ("junk", "Stocks rally as rate fears ease"),
            ("junk", "Privacy Policy"),
        ]
    )


def test_blog_with_comment_section() -> None:
    _check(
        [
            ("junk", "Example Blog"),
            ("junk", "Home | About | Contact"),
            ("body", "Notes on the new water plan"),
            ("junk", "Posted on March 4, 2024 by admin"),
            ("body", P1),
            ("body", P2),
            ("body", P3),
            ("junk", "Share this:"),
            ("junk", "Twitter"),
            ("junk", "Facebook"),
            ("junk", "3 Responses"),
            ("junk", "Mark T."),
            (
                "junk",
                "I think the council is wasting money on this plan and nobody checks the audit.",
            ),
            ("junk", "Reply"),
            ("junk", "Leave a Reply"),
            ("junk", "Your email address will not be published. Required fields are marked *"),
        ]
    )


def test_standfirst_kept_across_an_appeal_and_a_subheading_kept_inside() -> None:
    _check(
        [
            ("body", "Water plan passes"),
            ("body", "The council has approved a plan that expands three reservoirs by 2027."),
            ("junk", "Subscribe to our daily newsletter to get stories like this one."),
            ("junk", "Please donate to keep this site independent."),
            ("body", P1),
            ("body", "Farmers divided"),
            ("body", P2),
            ("body", P3),
        ]
    )


def test_list_introduced_by_a_colon_is_body() -> None:
    _check(
        [
            ("body", "Water plan passes"),
            ("body", P1),
            ("body", "The plan includes three main measures for the coming years:"),
            ("body", "• larger reservoirs"),
            ("body", "• lower dry-season rates"),
            ("body", "• an audit"),
            ("body", P2),
            ("junk", "• Tags"),
            ("junk", "• water"),
        ]
    )


def test_a_long_list_a_colon_opens_does_not_split_the_article() -> None:
    """A how-to's "What you need:" list of short items sits between its intro and its
    steps: it costs the main body no more than a neutral line, so the steps are kept."""
    items = ["Glass jar", "Pebbles", "Charcoal", "Potting soil", "Moss", "Small plants", "Spoon"]
    _check(
        [
            ("body", "How to build a terrarium"),
            ("body", P1),
            ("body", "What you need:"),
            *[("body", f"• {item}") for item in items],
            ("body", "Step 1"),
            ("body", P2),
            ("body", "Step 2"),
            ("body", P3),
            ("junk", "Share"),
        ]
    )


def test_breaking_ticker_is_dropped_though_it_reads_like_prose() -> None:
    ticker = [
        ("junk", f"Minister: {s}")
        for s in (
            "The government will continue talks with all parties until an agreement is reached.",
            "We reject any interference in the internal affairs of the country and its people.",
            "The new budget will give priority to health, education and housing for families.",
        )
    ]
    raw = "\n".join(
        ["BREAKING", *(line for _, line in ticker), "", "Water plan passes", "", P1, "", P2]
    )
    assert clean(raw).text.split("\n") == ["Water plan passes", P1, P2]


def test_trailing_escape_is_stripped_and_offsets_skip_it() -> None:
    raw = f'Water plan passes\n{P1[:-1]} "in full."\\\n{P2}\n'
    article = clean(raw)
    assert '"in full."' in article.text and "\\" not in article.text
    decoded = decode_input(raw)
    for c, r, n in article.offset_map:
        assert article.text[c : c + n] == decoded[r : r + n]


def test_offsets_with_crlf_and_indentation() -> None:
    raw = f"  Headline of the day here\r\n\r\n\t{P1}\r\n   {P2}   \r\n".encode()
    article = clean(raw)
    decoded = decode_input(raw)
    assert article.text == f"Headline of the day here\n{P1}\n{P2}"
    assert len(article.offset_map) == 3
    for c, r, n in article.offset_map:
        assert article.text[c : c + n] == decoded[r : r + n]


def test_short_item_without_prose_keeps_what_no_rule_flags() -> None:
    article = clean("Council meeting moved to Thursday\n• Share\n")
    assert article.text == "Council meeting moved to Thursday"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("10 Dec 2023 01:00", "2023-12-10T01:00"),
        ("date 2023-12-09", "2023-12-09"),
        ("July 30, 2019 1:16 pm", "2019-07-30T13:16"),
        ("Published 3rd March 2024", "2024-03-03"),
        ("Publicado el 21 de abril de 2022 a las 22:04h", "2022-04-21"),
        ("von Diane Veröffentlicht am 1. Mai 2019", "2019-05-01"),
        ("10 ديسمبر 2023", "2023-12-10"),
        ("2024-02-30T10:00", None),
        ("in 1999 things changed", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    found = parse_date(text)
    assert (found[0] if found else None) == iso


def test_date_prefix_on_headline_line() -> None:
    article = clean(f" date 2024-03-04 Council Approves Water Plan\n{P1}\n{P2}\n")
    assert article.published == "2024-03-04"
    assert article.title == "Council Approves Water Plan"
    assert article.text.startswith("Council Approves Water Plan\n")


def test_outlet_guesses() -> None:
    assert guess_outlet(["x"], ["Example Wire"]) == "Example Wire"
    lines = ["Example Times", "Headline", P1, "About", "Example Times"]
    assert guess_outlet(lines, []) == "Example Times"
    assert guess_outlet(["Read Daily Planet stories", "www.dailyplanet.com"], []) == "Daily Planet"
    assert guess_outlet([P1, P2], []) is None


def _outlet_doc(body: list[str]) -> str:
    return "\n".join(
        [
            "Example Times",
            "Headline for this story",
            *body,
            "Example Times is an independent newspaper founded in 1901 in the city of Springfield.",
            "Example Times",
        ]
    )


def test_corpus_drops_lines_an_outlet_repeats() -> None:
    bodies = [[P1, P2], [P2, P3], [P3, P4], [P4, P1], [P1, P3]]
    items: list[tuple[bytes | str, str | None]] = [
        (_outlet_doc(b), f"doc{i}.txt") for i, b in enumerate(bodies)
    ]
    footer = "Example Times is an independent newspaper founded in 1901 in the city of Springfield."
    alone = clean(items[0][0])
    assert footer in alone.text  # one page cannot tell a footer from a closing paragraph
    reports = clean_corpus(items)
    for report in reports:
        assert not isinstance(report, InputError)
        assert footer not in report.article.text
        assert any("repeats in 5 documents" in d.reason for d in report.dropped)
    # two documents sharing their body are two versions of a story, not a template
    pair = clean_corpus(items[:2])
    assert all(not isinstance(r, InputError) and P2 in r.article.text for r in pair)


def test_corpus_reports_bad_inputs_in_place() -> None:
    reports = clean_corpus([(f"Headline here now\n{P1}", "a.txt"), (b"", "b.txt")])
    assert not isinstance(reports[0], InputError)
    assert isinstance(reports[1], InputError)


def test_boilerplate_model_needs_enough_documents() -> None:
    model = BoilerplateModel()
    model.add(["Share this", P1], "Outlet")
    model.add(["Share this", P2], "Outlet")
    assert model.detector("Outlet")("Share this") == 0
    model.add(["Share this", P3], "Outlet")
    assert model.detector("Outlet")("Share this") == 3
    assert model.detector("Other")("Share this") == 0


def test_news_site_with_standfirst_desk_byline_and_photo_credit() -> None:
    _check(
        [
            ("junk", "The Daily Planet"),
            ("junk", "Skip to content"),
            ("junk", "• News"),
            ("junk", "• Analysis"),
            ("junk", "NEWS DESK"),
            ("body", "Council approves water plan after a six-hour debate"),
            (
                "body",
                "The vote is the first major decision of the new council as the drought deepens",
            ),
            ("junk", "News Desk"),
            ("junk", "MAR 5, 2024"),
            (
                "junk",
                "Farmers protest outside the council building. (Photo credit: Example Agency)",
            ),
            ("body", P1),
            ("body", P2),
            ("body", "Audit demanded"),
            ("body", P3),
            ("junk", "Read More"),
            ("junk", "Drought hits southern farms for the third year in a row"),
            ("junk", "Subscribe to our newsletter"),
            ("junk", "© 2024 The Daily Planet. All rights reserved."),
        ]
    )
    article = clean(
        "\n".join(
            ["The Daily Planet", "Council approves water plan", P1, P2, "© 2024 The Daily Planet."]
        )
    )
    assert article.outlet == "The Daily Planet"


def test_alt_text_repeated_as_caption_is_not_the_headline() -> None:
    photo = "A file photo of the council building in the city centre"
    _check(
        [
            ("junk", "Example TV"),
            ("junk", "Tue Mar 5, 2024 10:15AM [Updated: Tue Mar 5, 2024 10:20AM ]"),
            ("body", "Council approves water plan after a six-hour debate"),
            ("junk", photo),
            ("junk", photo),
            ("body", P1),
            ("body", P2),
            ("junk", "SHARE THIS ARTICLE"),
            ("junk", "Related Stories"),
            ("junk", "Drought hits southern farms for the third year in a row"),
        ]
    )


def test_blogspot_repost() -> None:
    parts = [
        ("junk", "Water News Blog"),
        ("junk", "Tuesday, March 5, 2024"),
        ("body", "Council Approves Water Plan"),
        ("body", P1),
        ("body", P2),
        ("junk", "Posted by Admin at 1:02 AM"),
        ("junk", "Email ThisBlogThis!Share to TwitterShare to FacebookShare to Pinterest"),
        ("junk", "Labels: water, council"),
        ("junk", "No comments:"),
        ("junk", "Post a Comment"),
        ("junk", "Newer Post Older Post Home"),
        ("junk", "Subscribe to: Post Comments (Atom)"),
        ("junk", "► 2024 (120)"),
    ]
    _check(parts)
    article = clean(_doc(parts))
    assert article.byline == "Admin"
    assert article.published == "2024-03-05"


def test_long_comment_thread_is_cut_even_when_it_outweighs_the_article() -> None:
    comment = (
        "I have followed this council for years and every plan they pass ends up costing "
        "twice as much as promised, so forgive me if I do not believe the numbers this time."
    )
    parts = [
        ("body", "Council approves water plan"),
        ("body", P1),
        ("body", P2),
        ("junk", "MORE ON THIS TOPIC:"),
        ("junk", "Subscribe"),
        ("junk", "Notify of"),
        ("junk", "guest"),
        ("junk", "12 Comments"),
        ("junk", "Oldest"),
    ]
    for n in range(12):
        parts += [("junk", f"Reader{n}"), ("junk", comment.replace("years", f"{n + 2} years"))]
    parts.append(("junk", "Would love your thoughts, please comment."))
    _check(parts)


ES1 = (
    "El consejo regional aprobó el nuevo plan de agua el martes después de un debate que duró "
    "más de seis horas, según dijeron los funcionarios."
)
ES2 = (
    "Según el plan, tres embalses se ampliarán hasta 2027 y los agricultores pagarán una tarifa "
    "más baja durante los meses secos, según el comunicado."
)


def test_spanish_page_with_ticker_and_sentence_like_headline() -> None:
    raw = "\n".join(
        [
            "Diario Ejemplo",
            "  • Noticias",
            "  • Opinión",
            "ÚLTIMA HORA",
            "Ministro: El gobierno seguirá negociando con todas las partes hasta un acuerdo.",
            "Ministro: Rechazamos cualquier injerencia en los asuntos internos del país.",
            "",
            "El consejo aprueba el plan de agua tras un debate de seis horas en la capital.",
            "",
            "  • Por Redacción",
            "  • Fuente: Diario Ejemplo",
            "  • 10 dic 2023 01:00",
            "  • 2 Compartir",
            "4 Min de lectura",
            "",
            ES1,
            "",
            "Noticias Relacionadas",
            "",
            "Sequía afecta a los agricultores del sur por tercer año consecutivo",
            "",
            "Lea también: Los embalses bajan de su nivel medio",
            "",
            ES2,
            "  • Agua",
            "Lo más leído",
            "Todos los derechos reservados",
        ]
    )
    report = clean_with_report(raw)
    article = report.article
    assert article.text.split("\n") == [
        "El consejo aprueba el plan de agua tras un debate de seis horas en la capital.",
        ES1,
        ES2,
    ]
    assert article.published == "2023-12-10T01:00"
    assert article.outlet == "Diario Ejemplo"
    assert article.byline == "Redacción"


def test_arabic_page_layout() -> None:
    body = [
        "أجرى التحالف الدولي مناورات عسكرية واسعة في عدد من قواعده في ريفي الحسكة ودير الزور، "
        "تحسباً لأي هجمات جديدة.",
        "وقالت مصادر مطلعة إن التحالف أجرى تدريبات بالذخيرة الحية بمشاركة مروحيات وطائرات مسيرة "
        "في قاعدتين.",
        "وأضافت المصادر أن هذه التدريبات تأتي ضمن عملية واسعة أطلقتها واشنطن وتستمر عدة أيام.",
    ]
    raw = "\n".join(
        [
            "الموقع",
            "  • الرئيسية",
            "  • سياسة",
            "عاجل",
            "وزير: الحكومة ستواصل المفاوضات مع جميع الأطراف حتى التوصل إلى اتفاق نهائي قريباً.",
            "وزير: نرفض أي تدخل في الشؤون الداخلية للبلاد ونؤكد حق الشعب في تقرير مصيره.",
            "",
            "مناورات أميركية في سوريا بعد تصاعد العمليات",
            "",
            "  • المصدر: الموقع",
            "  • 10 كانون الأول 2023",
            "4 دقائق",
            "",
            body[0],
            "",
            body[1],
            "",
            "اقرأ أيضاً: عنوان مقال آخر عن المنطقة",
            "",
            body[2],
            "  • سوريا",
            "الأكثر قراءة",
            "جميع الحقوق محفوظة",
        ]
    )
    article = clean(raw.encode("utf-8"))
    assert article.text.split("\n") == ["مناورات أميركية في سوريا بعد تصاعد العمليات", *body]
    assert article.published == "2023-12-10"
    assert article.outlet == "الموقع"


def test_label_above_an_article_without_blank_lines_is_not_a_ticker() -> None:
    """'Advertisement' over a story rendered with no blank lines between paragraphs:
    a header's block is a ticker only while it holds a ticker's few items."""
    story = [
        f"Chapter line {i}: she walked along the river and thought about what the council "
        f"had decided, and about the farmers who would pay less in the dry months."
        for i in range(20)
    ]
    raw = "\n".join(["Menu", "Home", "", "Advertisement", *story, "", "© 2024 Example"])
    kept = clean(raw).text.split("\n")
    assert kept == story


def test_long_list_of_statements_is_content_but_a_menu_is_not() -> None:
    items = [
        f"• Added {thing} to the game, with new recipes and a crafting table"
        for thing in ("marble", "rope bridges", "flags", "scarecrows", "goats", "cider")
    ] + [
        f"• Villagers now {verb} crops and can be traded with in every biome"
        for verb in ("harvest", "plant", "sell", "store", "grow", "water")
    ]
    parts = [
        ("junk", "• Home"),
        ("junk", "• News"),
        ("junk", "• Shop"),
        ("body", "Farmstead 2.3 - The Orchard Update"),
        ("body", P1),
        *(("body", item) for item in items),
        ("body", P2),
    ]
    _check(parts)


def test_unspaced_script_prose_is_judged_by_characters() -> None:
    """Chinese and Japanese blogs space phrases, not words: a line of them is prose by
    its characters, so the article is found (it came out empty before)."""
    body = [
        "一波波 接續性 低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣",
        "玉峰道路一路上雲氣山嵐滯留山頭 順路下切 蜿蜒道路 後不久即抵達 來到玉峰國小",
        "第二次造訪美樹發現到營區變了 印象中以前生冷招牌換成了 原木招牌可謂 匠心獨運",
        "營區內 除了露營、民宿、餐飲、賞楓項目 多了許多原木飾品更有畫龍點睛加乘效果",
    ]
    slogan = (
        "這是我們的共同天地，喜歡碧海藍天，喜歡悠閒生活，"
        "走過美麗的旅遊足跡，品味台灣留下些生活日記。"
    )
    menu = ["* 首頁", "* 部落格", "* 運動", "* 美妝", "* 電影", "* 旅遊", "* 親子", "* 美食"]
    raw = "\n".join([slogan, *menu, "登入", *body, "* 相簿", "* 留言"])
    kept = clean(raw).text.split("\n")
    assert [line for line in kept if line in body] == body
    assert not any(line.startswith("*") or line == "登入" for line in kept)


def test_text_that_quotes_markup_is_not_taken_for_html() -> None:
    """A blog post about web pages quotes <!DOCTYPE html> and <head>: still plain text."""
    from summarizer.clean.html import looks_like_html

    raw = f"Hi, I'm Nicolas.\n\n{P1}\n\nStart every page with <!DOCTYPE html> and a <head>.\n{P2}"
    assert not looks_like_html(raw)
    assert P1 in clean(raw).text


@pytest.mark.parametrize("tail", [[], ["Related News", "Floods in the north", "© 2024 Wire"]])
def test_short_last_sentence_of_a_wire_report_is_kept(tail: list[str]) -> None:
    """A four-line wire report ends on its shortest line: it is the body's, not outside it."""
    body = [
        "Quake hits coastal town",
        "A magnitude 5.8 earthquake struck the coastal town of Ayvalik on Tuesday, damaging "
        "several buildings, the disaster agency said.",
        "Rescue teams were searching two collapsed houses near the harbour, the mayor said.",
        "No deaths were reported.",
    ]
    report = clean_with_report("\n".join(["Home", "World", *body, *tail]))
    assert report.article.text.split("\n") == body
    assert (
        "Our Standards: The Trust Principles."
        not in clean("\n".join([*body, "Our Standards: The Trust Principles."])).text
    )


def test_hard_wrapped_paragraphs_are_judged_whole() -> None:
    """An RFC or a mailing-list post wraps sentences at one width: no single line reads
    as a sentence, the paragraph does."""
    wrapped = [
        "This draft describes a protocol by which client-side applications,",
        "running inside a web browser, can communicate with a data storage",
        "server that is hosted on a different domain name. This way, the",
        "provider of a web application need not also play the role of data",
        "storage provider, and access control is based on bearer tokens.",
    ]
    raw = "\n".join(["[ Docs ] [ txt | pdf ] [ Tracker ]", "", "Abstract", *wrapped, "", P1])
    kept = clean(raw).text.split("\n")
    assert [line for line in kept if line in wrapped] == wrapped
    assert P1 in kept
