"""WordPress exports (WXR) are read as the importer needs them (imports.wordpress)."""

import hashlib
import os
import subprocess
import sys
import textwrap
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation
from lxml import etree

from imports import wordpress
from imports.posts import PostProblem
from imports.wordpress import body_html, dropped_shortcodes, read_export

SEOUL = ZoneInfo("Asia/Seoul")
FIXTURE = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
SITE = "https://news.harbour.example"
# The fixture's posts, in file order (the last one has no title).
KEYS = [
    f"{SITE}/?p=11",
    f"{SITE}/?p=12",
    f"{SITE}/?p=20",
    "post:30",
    f"{SITE}/?p=31",
    f"{SITE}/?p=60",
]


@pytest.fixture(autouse=True)
def in_english():
    """Match the problems' English wording (the desk's default is Korean)."""
    with translation.override("en"):
        yield


def read(data: bytes | str, **kwargs):
    if isinstance(data, str):
        data = data.encode("utf-8")
    kwargs.setdefault("site_timezone", SEOUL)
    kwargs.setdefault("default_language", "ko")
    return read_export(data, name=kwargs.pop("name", "export.xml"), **kwargs)


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def line_of(needle: str, text: str | None = None) -> int:
    """Return the fixture's line holding `needle` (it must hold it once)."""
    text = fixture_text() if text is None else text
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def posts(**kwargs):
    """Return the fixture's posts by key, read."""
    export = read(FIXTURE.read_bytes(), **kwargs)
    return {
        entry.key: entry.read() for entry in export.entries if entry.key != KEYS[-1]
    }


HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<link>https://port.example</link>
<wp:base_site_url>https://port.example</wp:base_site_url>
"""


# The line of a small export's first item.
FIRST_ITEM = HEAD.count("\n") + 1


def wxr(*items: str) -> str:
    """Return a small export of `items` (each an <item>'s inside)."""
    body = "".join(f"<item>{item}</item>\n" for item in items)
    return f"{HEAD}{body}</channel>\n</rss>\n"


def post_item(
    post_id: int = 1,
    *,
    title: str = "Freight rates fall",
    status: str = "publish",
    post_type: str = "post",
    gmt: str = "2024-07-01 03:00:00",
    date: str = "2024-07-01 12:00:00",
    extra: str = "",
) -> str:
    return (
        f"<title>{title}</title><guid>https://port.example/?p={post_id}</guid>"
        f"<link>https://port.example/freight-{post_id}/</link>"
        "<content:encoded><![CDATA[<p>Rates fell.</p>]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>{date}</wp:post_date>"
        f"<wp:post_date_gmt>{gmt}</wp:post_date_gmt>"
        f"<wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>"
        f"{extra}"
    )


def meta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )


SHIP = "/wp-content/uploads/2024/07/ship.jpg"


def attachment_item(
    post_id: int = 9,
    *,
    url: str = "https://port.example/wp-content/uploads/2024/07/ship.jpg",
    title: str = "Ship at berth",
    caption: str = "",
    alt: str = "",
) -> str:
    return (
        f"<title>{title}</title><guid>{url}</guid>"
        f"<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:status>inherit</wp:status>"
        f"<wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{url}</wp:attachment_url>"
        + (meta("_wp_attachment_image_alt", alt) if alt else "")
    )


# The fixture, item by item.


def test_the_export_lists_its_posts_in_file_order_and_what_it_left_out():
    export = read(FIXTURE.read_bytes())
    assert export.site_url == SITE
    assert [entry.key for entry in export.entries] == KEYS
    assert [entry.name for entry in export.entries] == [
        "export.xml: 부산항 물동량, 석 달째 늘어",
        "export.xml: 釜山港の取扱量、3か月連続で増加",
        "export.xml: Rail strike ends — trains back on time",
        "export.xml: 태풍 북상, 남해안 항만 운영 중단",
        "export.xml: 台風10号、九州に接近へ",
        # No title: its GUID names it.
        f"export.xml: {SITE}/?p=60",
    ]
    assert {entry.file for entry in export.entries} == {"export.xml"}
    text = fixture_text()
    item_lines = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().startswith("<item>")
    ]
    page, trash, menu, block, auto_draft = item_lines[5:10]
    assert export.skipped == [
        (
            page,
            "A page, not imported (pages are imported only when asked for): 제보 안내",
        ),
        (trash, "In the trash, not imported: 철도 파업 첫날 (삭제)"),
        (menu, f"A menu item, not a post: {SITE}/?p=52"),
        (block, "Not a post or a page (wp_block), not imported: 기자 서명"),
        (auto_draft, "An automatic draft WordPress kept, not imported: Auto Draft"),
    ]
    # The attachments (the 11th and 12th items) are silent.
    assert export.problems == [
        (
            line_of("unreadable: neither a GUID"),
            "The item has neither a GUID nor a post ID: 철도 노조, 파업 예고",
        )
    ]


def test_a_korean_classic_editor_post_field_by_field():
    post = posts()[f"{SITE}/?p=11"]
    assert post.key == f"{SITE}/?p=11"
    assert post.title == "부산항 물동량, 석 달째 늘어"
    assert post.published_at == datetime(2024, 5, 30, 0, 30, tzinfo=UTC)
    assert post.body_line == line_of("<content:encoded><![CDATA[부산항의")
    assert post.markup == "html"
    # wpautop's paragraphs and break; the [caption] a figure; the form and
    # the highlight shortcodes gone, the highlighted text kept.
    assert post.body_html == (
        "<!-- shortcode dropped: contact-form-7 -->"
        "<!-- shortcode dropped: highlight -->"
        "<p>부산항의 5월 컨테이너 처리량이 석 달 연속 늘었다.<br>\n"
        "환적 화물이 증가를 이끌었다.</p>\n"
        "\n"
        '<figure><img class="size-large wp-image-41" src="https://news.harbour.'
        'example/wp-content/uploads/2024/05/gantry.jpg" alt="신항의 갠트리 크레인"'
        ' width="800" height="533" />'
        "<figcaption>신항 3부두의 갠트리 크레인</figcaption></figure>\n"
        "\n"
        "\n"
        "\n"
        "<ul>\n"
        "<li>환적: 12% 증가</li>\n"
        "<li>수출입: 3% 증가</li>\n"
        "</ul>\n"
        "<p>항만공사는 하반기에도 증가세가 이어질 것으로 본다.</p>"
    )
    assert dropped_shortcodes(post.body_html) == ["contact-form-7", "highlight"]
    assert post.categories == ["경제", "항만"]
    # In order, once; the AI label tag is the label, not a tag.
    assert post.tags == ["부산항", "물류"]
    assert post.ai_use == "assisted"
    assert post.excerpt == "부산항 처리량이 석 달 연속 늘었다."
    assert post.feature_text == ""
    # The attachment comes after the post in the file.
    assert post.image == "/wp-content/uploads/2024/05/야간-신항.jpg"
    assert post.image_alt == "불 켜진 크레인이 늘어선 밤의 부두"
    assert post.image_caption == "밤의 신항을 그린 일러스트"
    assert post.image_credit == ""
    assert post.image_is_ai is True
    assert post.language == "ko"
    assert post.translation_key == "pll_66581c2e9a0b4"
    assert post.author == "박민지"
    assert post.author_email == "minji.park@harbour.example"
    assert post.permalink == "/2024/05/30/부산항-물동량/"
    assert post.is_draft is False
    assert post.citations == []


def test_its_japanese_translation_is_block_editor_content():
    post = posts()[f"{SITE}/?p=12"]
    assert post.title == "釜山港の取扱量、3か月連続で増加"
    assert post.published_at == datetime(2024, 5, 30, 1, 0, tzinfo=UTC)
    # The block comments go, their lines stay; no <p> is added.
    assert post.body_html == (
        "<!-- shortcode dropped: gallery -->\n"
        "<p>釜山港の5月のコンテナ取扱量は、3か月連続で増えた。</p>\n"
        "\n"
        "\n"
        "\n"
        '<figure class="wp-block-image size-large"><img src="https://news.harbour.'
        'example/wp-content/uploads/2024/05/gantry.jpg" alt="新港のガントリークレーン"'
        ' class="wp-image-41"/></figure>\n'
        "\n"
        "\n"
        "\n"
        "\n"
    )
    assert dropped_shortcodes(post.body_html) == ["gallery"]
    assert post.body_line == line_of("<content:encoded><![CDATA[<!-- wp:paragraph")
    assert post.categories == ["経済"]
    assert post.tags == ["釜山港"]
    assert post.excerpt == ""
    assert post.language == "ja"
    # Polylang's group: the Korean post's.
    assert post.translation_key == "pll_66581c2e9a0b4"
    assert post.author == "佐藤 健二"
    assert post.author_email == "kenji.sato@harbour.example"
    assert post.permalink == "/ja/2024/05/30/busan-port-cargo/"
    # postmeta ai_use, whatever its case and spaces.
    assert post.ai_use == "assisted"
    assert post.image == "/wp-content/uploads/2024/05/야간-신항.jpg"
    assert post.image_is_ai is True
    assert post.is_draft is False


def test_an_english_post_translated_with_wpml():
    post = posts()[f"{SITE}/?p=20"]
    # WordPress's old the_title_rss escaped the title's entities once more.
    assert post.title == "Rail strike ends — trains back on time"
    assert post.published_at == datetime(2024, 6, 11, 21, 15, tzinfo=UTC)
    # "[Update]" is the newsroom's text; "[[gallery]]" is how WordPress
    # writes "[gallery]"; the [embed] goes with its address.
    assert post.body_html == (
        "<!-- shortcode dropped: embed -->"
        "<p>[Update] The unions and the operator signed the deal at 6 a.m.</p>\n"
        "\n"
        "<p>Commuter lines ran to the timetable by noon. [gallery] is how the old"
        " site wrote a gallery.</p>\n"
    )
    assert (
        post.excerpt == "Unions and the operator agree after four days. Lines reopen."
    )
    # Term names are kept escaped by WordPress; the AI label is no category.
    assert post.categories == ["Transport", "Rail & Road"]
    assert post.tags == []
    assert post.ai_use == "generated"
    assert post.language == "en"
    assert post.translation_key == "wpml:77"
    # dc:creator is no author of the export: the login stands.
    assert (post.author, post.author_email) == ("guest-writer", "")
    # A plain ?p= address cannot be redirected.
    assert post.permalink == ""
    assert (post.image, post.image_alt, post.image_caption) == ("", "", "")
    assert post.image_is_ai is False


def test_a_draft_without_a_gmt_date_is_in_the_site_timezone():
    post = posts()["post:30"]
    # Its GUID is empty: the post ID keys it.
    assert post.key == "post:30"
    assert post.published_at == datetime(2024, 8, 19, 22, 15, tzinfo=SEOUL)
    assert post.published_at == datetime(2024, 8, 19, 13, 15, tzinfo=UTC)
    assert post.is_draft is True
    # No language term, no WPML: the default.
    assert (post.language, post.translation_key) == ("ko", "")
    assert (
        post.body_html
        == "<p>태풍이 밤사이 북상하면서 남해안 항만의 하역 작업이 멈췄다.</p>"
    )
    assert post.categories == ["날씨"]


def test_the_default_language_is_the_callers():
    post = read(FIXTURE.read_bytes(), default_language="en").entries[3].read()
    assert post.language == "en"


def test_a_scheduled_post_keeps_its_future_date_and_is_no_draft():
    post = posts()[f"{SITE}/?p=31"]
    assert post.published_at == datetime(2024, 8, 28, 3, 0, tzinfo=UTC)
    assert post.is_draft is False
    # Polylang's "ja-JP" slug: the region is dropped.
    assert post.language == "ja"
    assert post.permalink == "/ja/2024/08/28/typhoon-kyushu/"


def test_pages_are_read_when_asked_for():
    export = read(FIXTURE.read_bytes(), include_pages=True)
    keys = [entry.key for entry in export.entries]
    assert keys == [*KEYS[:5], f"{SITE}/?page_id=50", KEYS[5]]
    assert not any(reason.startswith("A page") for _line, reason in export.skipped)
    page = export.entries[5].read()
    assert page.title == "제보 안내"
    assert page.body_html == "<p>항만과 날씨 소식을 제보해 주세요.</p>"
    # On www. of the site's host: the site's own address.
    assert page.permalink == "/tips/"
    assert page.published_at == datetime(2024, 1, 3, 0, 0, tzinfo=UTC)
    assert page.language == "ko"


def test_an_item_without_a_title_is_a_problem_on_its_line():
    entry = read(FIXTURE.read_bytes()).entries[-1]
    assert entry.key == f"{SITE}/?p=60"
    with pytest.raises(PostProblem) as raised:
        entry.read()
    assert raised.value.message == "The post has no title."
    assert raised.value.line == line_of("the broken one: no title")


def test_the_fingerprint_is_the_items_bytes():
    export = read(FIXTURE.read_bytes())
    draft = next(entry for entry in export.entries if entry.key == "post:30")
    tree = etree.parse(str(FIXTURE))
    item = tree.xpath(
        "//item[wp:post_id='30']", namespaces={"wp": "http://wordpress.org/export/1.2/"}
    )[0]
    expected = hashlib.sha256(etree.tostring(item, with_tail=False)).hexdigest()
    assert draft.fingerprint == expected
    assert len({entry.fingerprint for entry in export.entries}) == len(KEYS)


def fingerprints(text: str) -> dict[str, str]:
    return {entry.key: entry.fingerprint for entry in read(text).entries}


def test_a_fingerprint_changes_with_the_post_and_its_picture_only():
    text = fixture_text()
    before = fingerprints(text)
    body = fingerprints(text.replace("석 달 연속 늘었다.\n", "석 달 연속 올랐다.\n"))
    assert body[KEYS[0]] != before[KEYS[0]]
    assert {key: body[key] for key in KEYS[1:]} == {
        key: before[key] for key in KEYS[1:]
    }
    # The feature image's alt text is read with the two posts that show it.
    alt = fingerprints(text.replace("늘어선 밤의 부두", "늘어선 새벽의 부두"))
    assert alt[KEYS[0]] != before[KEYS[0]]
    assert alt[KEYS[1]] != before[KEYS[1]]
    assert {key: alt[key] for key in KEYS[2:]} == {key: before[key] for key in KEYS[2:]}
    # A reader's comment is no part of the post.
    comment = fingerprints(text.replace("야간 작업도 늘었습니다.", "주말에도요."))
    assert comment == before


# Items, one thing at a time.


@pytest.mark.parametrize(
    ("status", "is_draft"),
    [
        ("publish", False),
        ("future", False),
        ("draft", True),
        ("pending", True),
        ("private", True),
        ("in-review", True),
    ],
)
def test_only_published_and_scheduled_posts_are_published(status, is_draft):
    export = read(wxr(post_item(status=status)))
    assert export.entries[0].read().is_draft is is_draft


def test_a_post_type_wordpress_plugins_add_is_skipped_by_name():
    export = read(wxr(post_item(1, post_type="product"), post_item(2)))
    assert [entry.key for entry in export.entries] == ["https://port.example/?p=2"]
    assert export.skipped == [
        (
            FIRST_ITEM,
            "Not a post or a page (product), not imported: Freight rates fall",
        )
    ]


def test_a_post_type_left_out_is_a_post():
    item = post_item().replace("<wp:post_type>post</wp:post_type>", "")
    assert read(wxr(item)).entries[0].read().title == "Freight rates fall"


def test_a_guid_given_twice_imports_the_first_item_only():
    export = read(wxr(post_item(1), post_item(1, title="Freight rates rise")))
    assert [entry.name for entry in export.entries] == [
        "export.xml: Freight rates fall"
    ]
    assert export.problems == [
        (
            FIRST_ITEM + 1,
            "The item's GUID https://port.example/?p=1 is also the one of the item on"
            f" line {FIRST_ITEM}; only that one is imported.",
        )
    ]


@pytest.mark.parametrize(
    ("extra", "language", "group"),
    [
        (meta("_wpml_import_language_code", "ko_KR"), "ko", ""),
        (meta("_wpml_import_language_code", "JA"), "ja", ""),
        (
            '<category domain="language" nicename="en"><![CDATA[English]]></category>'
            + meta("_wpml_import_language_code", "ja"),
            "en",
            "",
        ),
        (meta("_wpml_import_translation_group", " 31 "), "ko", "wpml:31"),
        ("", "ko", ""),
    ],
)
def test_the_language_is_polylangs_then_wpmls_then_the_default(extra, language, group):
    post = read(wxr(post_item(extra=extra))).entries[0].read()
    assert (post.language, post.translation_key) == (language, group)


@pytest.mark.parametrize(
    ("extra", "ai_use", "tags"),
    [
        (meta("_ai_use", "generated"), "generated", []),
        (meta("ai_use", "sometimes"), "", []),
        (
            '<category domain="post_tag" nicename="a"><![CDATA[AI作成]]></category>'
            '<category domain="post_tag" nicename="b"><![CDATA[항만]]></category>',
            "generated",
            ["항만"],
        ),
        # The postmeta says it; the label still is no tag.
        (
            meta("ai_use", "assisted")
            + '<category domain="post_tag" nicename="a">Reported by AI</category>',
            "assisted",
            [],
        ),
    ],
)
def test_the_ai_use_is_the_postmetas_or_a_labels(extra, ai_use, tags):
    post = read(wxr(post_item(extra=extra))).entries[0].read()
    assert (post.ai_use, post.tags) == (ai_use, tags)


def test_a_date_that_is_none_falls_back_then_is_a_problem_on_its_line():
    fallback = post_item(gmt="not a date", date="2024-07-01 12:00:00")
    post = read(wxr(fallback)).entries[0].read()
    assert post.published_at == datetime(2024, 7, 1, 3, 0, tzinfo=UTC)
    item = post_item(gmt="0000-00-00 00:00:00", date="0000-00-00 00:00:00").replace(
        "<wp:post_date>", "\n<wp:post_date>"
    )
    with pytest.raises(PostProblem) as raised:
        read(wxr(item)).entries[0].read()
    assert raised.value.line == FIRST_ITEM + 1
    assert "no date" in raised.value.message


@pytest.mark.parametrize(
    ("link", "permalink"),
    [
        ("https://port.example/2024/07/01/freight/", "/2024/07/01/freight/"),
        ("https://WWW.port.example/%ED%99%94%EB%AC%BC/", "/화물/"),
        ("/relative/freight/", "/relative/freight/"),
        ("https://elsewhere.example/2024/07/01/freight/", ""),
        ("https://port.example/?page_id=4", ""),
        ("https://port.example/", ""),
        ("", ""),
    ],
)
def test_the_permalink_is_a_path_of_the_site_that_can_be_redirected(link, permalink):
    item = post_item().replace(
        "<link>https://port.example/freight-1/</link>", f"<link>{link}</link>"
    )
    assert read(wxr(item)).entries[0].read().permalink == permalink


@pytest.mark.parametrize(
    ("attachment", "image", "caption", "is_ai"),
    [
        (attachment_item(caption="Ship at berth"), SHIP, "Ship at berth", False),
        (attachment_item(alt="AI-generated image"), SHIP, "", True),
        (attachment_item(title="AIによって生成された画像"), SHIP, "", True),
        (
            attachment_item(caption="<em>Ship at berth</em> AI生成画像"),
            SHIP,
            "Ship at berth",
            True,
        ),
        (
            attachment_item(url="https://cdn.example/2024/07/ship.jpg"),
            "https://cdn.example/2024/07/ship.jpg",
            "",
            False,
        ),
    ],
)
def test_the_feature_image_is_its_attachments(attachment, image, caption, is_ai):
    export = read(wxr(post_item(extra=meta("_thumbnail_id", "9")), attachment))
    post = export.entries[0].read()
    assert post.image == image
    assert (post.image_caption, post.image_is_ai) == (caption, is_ai)
    assert export.skipped == export.problems == []


def test_an_attachment_before_its_post_is_found_too():
    thumbnail = meta("_thumbnail_id", "9")
    export = read(wxr(attachment_item(alt="Berth 3"), post_item(extra=thumbnail)))
    post = export.entries[0].read()
    assert (post.image, post.image_alt) == (SHIP, "Berth 3")


def test_a_feature_image_not_in_the_export_is_none():
    post = read(wxr(post_item(extra=meta("_thumbnail_id", "404")))).entries[0].read()
    assert (post.image, post.image_is_ai) == ("", False)


# Bodies.


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("One line.", "<p>One line.</p>"),
        ("Two\nlines.\n\nThen one.", "<p>Two<br>\nlines.</p>\n\n<p>Then one.</p>"),
        ("Broken<br />\nalready.", "<p>Broken<br />\nalready.</p>"),
        (
            "Intro:\n<ol>\n<li>one</li>\n</ol>",
            "<p>Intro:</p>\n<ol>\n<li>one</li>\n</ol>",
        ),
        ("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>"),
        ("<h2>Wind</h2>\nGusts of 40 m/s.", "<h2>Wind</h2>\n<p>Gusts of 40 m/s.</p>"),
        ("<blockquote>\nQuote\n</blockquote>", "<blockquote>\nQuote\n</blockquote>"),
        ("Teaser\n<!--more-->\nRest", "<p>Teaser</p>\n<!--more-->\n<p>Rest</p>"),
        ("<!-- a\nnote -->\nText", "<!-- a\nnote -->\n<p>Text</p>"),
        ("Win\r\nLines\r\n\r\nEnd", "<p>Win<br>\nLines</p>\n\n<p>End</p>"),
        ("", ""),
    ],
)
def test_classic_editor_text_gets_its_paragraphs(content, expected):
    assert body_html(content) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # A linked picture, and the caption in an attribute (WordPress < 3.4).
        (
            '[caption width="300"]<a href="/big.jpg"><img src="/s.jpg" alt="Pier"'
            " /></a> Pier 4 at dawn[/caption]",
            '<figure><a href="/big.jpg"><img src="/s.jpg" alt="Pier" /></a>'
            "<figcaption>Pier 4 at dawn</figcaption></figure>",
        ),
        (
            '[caption caption="Storm &amp; surge"]<img src="/t.jpg" />[/caption]',
            '<figure><img src="/t.jpg" /><figcaption>Storm &amp; surge'
            "</figcaption></figure>",
        ),
        ('[caption id="x"]No picture[/caption]', "<p>No picture</p>"),
        ("[서울=연합뉴스] 태풍이 온다.", "<p>[서울=연합뉴스] 태풍이 온다.</p>"),
        ("[Photo by the desk] Cranes.", "<p>[Photo by the desk] Cranes.</p>"),
        ("[ad/] after", "<!-- shortcode dropped: ad --><p>after</p>"),
        (
            '[poll id="3"] after [video src="/v.mp4"][/video]',
            "<!-- shortcode dropped: poll --><!-- shortcode dropped: video -->"
            "<p>after</p>",
        ),
        # The inner [note] has no closing tag of its own: it is text.
        (
            "[note]a [note] b[/note] c[/note]",
            "<!-- shortcode dropped: note --><p>a [note] b c[/note]</p>",
        ),
        (
            "[box]\nline one\n\nline two\n[/box]",
            "<!-- shortcode dropped: box -->\n<p>line one</p>\n\n<p>line two</p>\n",
        ),
        # WordPress's escapes; a lone "[" before a shortcode is text.
        (
            "[[caption]]x [[note]y[/note]] [[gallery ids=1]",
            "<!-- shortcode dropped: gallery --><p>[caption]x [note]y[/note] [</p>",
        ),
        (
            "[embed]\nhttps://v.example/1\n[/embed]",
            "<!-- shortcode dropped: embed -->\n\n",
        ),
    ],
)
def test_shortcodes_go_and_captions_become_figures(content, expected):
    assert body_html(content) == expected


def test_a_body_keeps_its_lines():
    text = fixture_text()
    for entry in read(text).entries[:5]:
        post = entry.read()
        start = post.body_line - 1
        source = "\n".join(text.splitlines()[start : start + 40])
        content = source.split("<![CDATA[", 1)[1].split("]]>", 1)[0]
        assert post.body_html.count("\n") == content.count("\n"), entry.name


def test_dropped_shortcodes_are_listed_once_in_order():
    html = body_html('[gallery ids="1"]\n[poll id="2"]\n[gallery ids="3"]')
    assert dropped_shortcodes(html) == ["gallery", "poll"]
    assert dropped_shortcodes("<p>No shortcode.</p>") == []


def test_a_body_full_of_brackets_is_read_in_one_pass():
    # Thousands of names never closed, closers never opened: no search
    # runs to the end of the body once per name.
    content = "".join(f'[tag{n} id="{n}"] [/other{n}] ' for n in range(20_000))
    started = time.perf_counter()
    html = body_html(content)
    assert time.perf_counter() - started < 5
    assert len(dropped_shortcodes(html)) == 20_000


# Files that are no export, or hostile.

BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<item><title>&lol9;</title><guid>g</guid></item>
</channel></rss>
"""

XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment first -->
<?xml-stylesheet href="feed.xsl"?>
<!DOCTYPE rss [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<item><title>&passwd;</title><guid>g</guid></item>
</channel></rss>
"""

DOCTYPE_REFUSED = (
    "The file declares a document type or entities (<!DOCTYPE>), which a"
    " WordPress export never does; it is not read."
)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (BILLION_LAUGHS.encode(), 2),
        (XXE.encode(), 4),
        # Behind a byte order mark, in capitals or not.
        (b"\xef\xbb\xbf" + XXE.replace("DOCTYPE", "doctype").encode(), 4),
        # An external DTD, which could be fetched.
        (
            b'<?xml version="1.0"?>\n\n<!DOCTYPE rss SYSTEM "http://evil.example/x.dtd">'
            b"<rss/>",
            3,
        ),
    ],
)
def test_a_file_declaring_a_doctype_is_refused_unread(data, line):
    with pytest.raises(PostProblem) as raised:
        read(data)
    assert (raised.value.message, raised.value.line) == (DOCTYPE_REFUSED, line)


def test_a_doctype_the_prolog_check_missed_is_refused_by_the_parser_check(
    monkeypatch,
):
    monkeypatch.setattr(wordpress, "_check_prolog", lambda data: None)
    with pytest.raises(PostProblem) as raised:
        read(XXE)
    assert raised.value.message == DOCTYPE_REFUSED
    assert "root:" not in raised.value.message


def test_broken_xml_is_a_problem_on_lxmls_line():
    text = fixture_text()
    line = line_of("<wp:status><![CDATA[future]]></wp:status>")
    broken = text.replace(
        "<wp:status><![CDATA[future]]></wp:status>",
        "<wp:status><![CDATA[future]]></wp:state>",
    )
    with pytest.raises(PostProblem) as raised:
        read(broken)
    assert raised.value.line == line
    assert raised.value.message.startswith("The file is not valid XML: ")
    assert "mismatch" in raised.value.message


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (
            b"<html>\n<body><p>Not a feed</p></body></html>",
            "The file is not a WordPress export: it is <html>, not <rss>.",
            1,
        ),
        (
            b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
            "The file is not a WordPress export: it is <feed>, not <rss>.",
            2,
        ),
        (
            b'<rss version="2.0"><channel><item><title>Port</title></item>'
            b"</channel></rss>",
            "The file is an RSS feed, not a WordPress export (WordPress's"
            " Tools → Export writes one).",
            1,
        ),
        (
            b'<rss xmlns:wp="http://wordpress.org/export/1.1/"></rss>',
            "The file has no <channel>: it is not a WordPress export.",
            None,
        ),
        (
            b'<?xml version="1.0" encoding="Shift_JIS"?>\n<rss/>',
            "The file says it is Shift_JIS text; an export is UTF-8.",
            1,
        ),
        (
            '<?xml version="1.0"?><rss/>'.encode("utf-16"),
            "The file is not UTF-8 text (it is UTF-16).",
            1,
        ),
        (
            HEAD.encode() + b"<item><title>\n\xb1\xe2\xbb\xe7</title></item>",
            f"The file is not UTF-8 text (line {FIRST_ITEM + 1}).",
            FIRST_ITEM + 1,
        ),
        (b"Harbour freight, not XML", None, 1),
        (b"", None, None),
    ],
)
def test_a_file_that_is_no_wordpress_export_is_refused(data, message, line):
    with pytest.raises(PostProblem) as raised:
        read(data)
    if message is None:
        assert raised.value.message.startswith("The file is not valid XML: ")
    else:
        assert raised.value.message == message
    if line is not None:
        assert raised.value.line == line


def test_an_older_wxr_version_is_read():
    text = wxr(post_item()).replace("export/1.2/", "export/1.0/")
    assert read(text).entries[0].read().title == "Freight rates fall"


def test_a_file_larger_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(wordpress, "MAX_EXPORT_BYTES", 1024)
    data = wxr(*(post_item(n) for n in range(10))).encode()
    assert len(data) > 1024
    with pytest.raises(PostProblem) as raised:
        read(data)
    assert raised.value.message == "The file is larger than 0 MB."


# Memory: a post's fields are kept, never the file's tree nor what it skips.


def large_export(posts: int, body: int, builder_data: int) -> bytes:
    """Return an export of `posts` Korean posts, each with page-builder data.

    The builder data (a postmeta no post is read with) is most of the file.
    """
    sentence = "화물선 입항이 늘었다. "
    text = (sentence * (body // len(sentence) + 1))[:body]
    bulk = ("독자 제보 " * (builder_data // 6 + 1))[:builder_data]
    items = (
        post_item(number, title=f"항만 소식 {number}").replace(
            "<p>Rates fell.</p>", text
        )
        + meta("_builder_data", bulk)
        for number in range(posts)
    )
    return wxr(*items).encode()


def test_600_posts_are_read_keeping_their_fields_only():
    data = large_export(600, 3_000, 12_000)
    tracemalloc.start()
    try:
        export = read(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(export.entries) == 600
    # The bodies kept (3,000 characters a post, 2 bytes each) are a fifth of
    # the file: a copy of the file, its text or each item's bytes is not.
    kept = 600 * 3_000 * 2
    assert kept < len(data) / 4
    assert peak < len(data) / 2
    assert export.entries[599].read().body_html.startswith("<p>화물선 입항이")


PROBE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from zoneinfo import ZoneInfo

    import django

    django.setup()
    from imports.wordpress import read_export


    def high_water():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024


    data = Path(sys.argv[1]).read_bytes()
    before = high_water()
    export = read_export(data, name="x.xml", site_timezone=ZoneInfo("UTC"))
    assert len(export.entries) == 600
    print(high_water() - before)
    """
)


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM"
)
def test_the_parsed_tree_never_holds_more_than_an_item(tmp_path):
    # libxml2's tree is outside Python's allocator (tracemalloc cannot see
    # it): a fresh process's peak resident memory can.
    data = large_export(600, 1_000, 30_000)
    export = tmp_path / "export.xml"
    export.write_bytes(data)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "newsroom.settings.test"
        ),
    }
    growth = int(
        subprocess.run(  # noqa: S603 - this interpreter, this test's script
            [sys.executable, "-c", PROBE, str(export)],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    # Kept whole, the tree would grow it by more than the file (~110%).
    assert growth < len(data) / 4
