"""Jekyll posts are read as the importer needs them (imports/jekyll.py)."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from imports.jekyll import post_address, read_post
from imports.posts import PostProblem

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def in_english():
    """Match the problems' English wording (the desk's default is Korean)."""
    with translation.override("en"):
        yield


def read(path: str, text: str, **kwargs):
    return read_post(
        path, text.encode("utf-8"), site_timezone=kwargs.pop("tz", SEOUL), **kwargs
    )


KOREAN_POST = """---
title: 항만 물동량, 석 달째 늘어
date: 2024-05-29 21:00:00 -0400
categories:
  - 경제
  - 항만
tags: [물류, 부산항]
excerpt: >
  부산항의 컨테이너 처리량이 석 달 연속 늘었다.
feature_text: >
  환적 화물이 증가를 이끌었다.
image:
  path: /assets/img/harbour.jpg
  alt: 부두의 크레인
lang: ko
author: reporter@example.org
permalink: /news/harbour-cargo/
ref: harbour-2024-05
---

<h2 data-ke-size="size26">물동량</h2>
<p data-ke-size="size16">처리량이 늘었다.</p>
"""


def test_every_front_matter_key_is_read():
    post = read("_posts/2024-05-29-harbour.html", KOREAN_POST)
    assert post.key == "_posts/2024-05-29-harbour.html"
    assert post.title == "항만 물동량, 석 달째 늘어"
    assert post.categories == ["경제", "항만"]
    assert post.tags == ["물류", "부산항"]
    assert post.excerpt == "부산항의 컨테이너 처리량이 석 달 연속 늘었다."
    assert post.feature_text == "환적 화물이 증가를 이끌었다."
    assert (post.image, post.image_alt) == ("/assets/img/harbour.jpg", "부두의 크레인")
    assert post.language == "ko"
    # An e-mail address for an author is the address: authors are found by it.
    assert (post.author, post.author_email) == ("", "reporter@example.org")
    assert post.permalink == "/news/harbour-cargo/"
    assert post.translation_key == "harbour-2024-05"
    assert post.body_html.lstrip().startswith('<h2 data-ke-size="size26">물동량</h2>')
    # The body starts on the file's 20th line, after the closing ---.
    assert post.body_line == 20


def test_the_front_matter_date_and_its_offset_win_over_the_file_name():
    post = read("_posts/2024-05-29-harbour.html", KOREAN_POST)
    # 21:00 in New York on the 29th is 10:00 in Seoul on the 30th.
    assert post.published_at == datetime(2024, 5, 30, 1, 0, tzinfo=UTC)
    assert post.published_at.astimezone(SEOUL).date().day == 30


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # YAML reads an offset with a colon as a time itself.
        ("2024-05-29 21:00:00 -04:00", datetime(2024, 5, 30, 1, 0, tzinfo=UTC)),
        ("2024-05-29T21:00:00+09:00", datetime(2024, 5, 29, 12, 0, tzinfo=UTC)),
        # No offset: the site's time zone.
        ("2024-05-29 21:00", datetime(2024, 5, 29, 12, 0, tzinfo=UTC)),
        ("2024-05-29", datetime(2024, 5, 28, 15, 0, tzinfo=UTC)),
        ("'2024-05-29 21:00:00 +0900'", datetime(2024, 5, 29, 12, 0, tzinfo=UTC)),
    ],
)
def test_dates_in_every_shape_jekyll_takes(written, expected):
    post = read("_posts/x.md", f"---\ntitle: T\ndate: {written}\n---\nBody\n")
    assert post.published_at == expected


def test_without_a_date_the_file_names_date_in_the_sites_time_zone():
    post = read("_posts/2023-01-02-new-year.md", "---\ntitle: 新年\n---\n本文\n")
    assert post.published_at == datetime(2023, 1, 2, tzinfo=SEOUL)
    tokyo = timezone(timedelta(hours=9))
    post = read("_posts/2023-01-02-new-year.md", "---\ntitle: 新年\n---\n", tz=tokyo)
    assert post.published_at.utcoffset() == timedelta(hours=9)


def test_categories_and_tags_as_space_separated_strings_and_an_image_path():
    post = read(
        "_posts/2024-06-01-rates.markdown",
        "---\ntitle: Rates hold\ncategory: economy markets\ntags: rates  bank rates\n"
        "image: '/assets/img/bank.png'\n---\nThe bank **held** rates.\n",
        default_language="en",
    )
    assert post.categories == ["economy", "markets"]
    assert post.tags == ["rates", "bank"]
    assert (post.image, post.image_alt) == ("/assets/img/bank.png", "")
    assert post.language == "en"


def test_markdown_bodies_become_html_with_their_raw_html_kept():
    post = read(
        "_posts/2024-06-01-minato.md",
        "---\ntitle: 港の貨物\nlang: ja\ntranslation_key: minato\n---\n"
        "## 見出し\n\n貨物が**増えた**。\n\n<hr>\n\n- 一つ目\n- 二つ目\n",
    )
    assert post.body_html == (
        "<h2>見出し</h2>\n<p>貨物が<strong>増えた</strong>。</p>\n<hr>\n"
        "<ul>\n<li>一つ目</li>\n<li>二つ目</li>\n</ul>\n"
    )
    assert post.translation_key == "minato"


@pytest.mark.parametrize(
    ("path", "content", "message", "line"),
    [
        ("_posts/a.txt", "---\ntitle: T\n---\n", "Not a post", None),
        ("_posts/a.md", "title: T\n", "does not start with front matter", 1),
        ("_posts/a.md", "---\ntitle: T\n", "never closed", 1),
        ("_posts/a.md", "---\ntitle: [T\ndate: 2024\n---\n", "not valid YAML", 2),
        ("_posts/a.md", "---\n- a\n- b\n---\n", "not a list of keys", 2),
        ("_posts/a.md", "---\ndate: 2024-01-01\n---\n", "no title", 1),
        ("_posts/a.md", "---\ntitle: T\n---\n", "has no date", 1),
        ("_posts/a.md", "---\ntitle: T\ndate: next monday\n---\n", "not a date", 3),
        (
            "_posts/a.md",
            "---\ntitle: &x T\nexcerpt: *x\n---\n",
            "YAML alias",
            3,
        ),
    ],
)
def test_problems_say_what_and_on_which_line(path, content, message, line):
    with pytest.raises(PostProblem, match=message) as raised:
        read(path, content)
    assert raised.value.line == line


def test_a_billion_laughs_is_refused_before_it_grows():
    laughs = "---\ntitle: T\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        laughs += f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]\n"
    with pytest.raises(PostProblem, match="alias"):
        read("_posts/2024-01-01-lol.md", laughs + "---\n")


def test_oversized_and_undecodable_files_are_refused():
    with pytest.raises(PostProblem, match="larger than 2 MB"):
        read_post(
            "_posts/2024-01-01-big.md",
            b"---\ntitle: T\n---\n" + b"x" * (2 * 1024 * 1024),
            site_timezone=SEOUL,
        )
    with pytest.raises(PostProblem, match="not UTF-8") as raised:
        read_post(
            "_posts/2024-01-01-euc.md",
            "---\ntitle: 항만\n---\n".encode("euc-kr"),
            site_timezone=SEOUL,
        )
    assert raised.value.line == 2


def test_problems_are_told_in_the_desks_language():
    with translation.override("ko"), pytest.raises(PostProblem) as raised:
        read("_posts/a.md", "---\ntitle: T\n---\n")
    assert "YYYY-MM-DD" in raised.value.message
    assert raised.value.message.isascii() is False


@pytest.mark.parametrize(
    ("style", "permalink", "expected"),
    [
        # Jekyll's default: categories downcased, the date in the site's zone.
        ("date", "", "/경제/news/2024/05/30/harbour.html"),
        ("pretty", "", "/경제/news/2024/05/30/harbour/"),
        ("none", "", "/경제/news/harbour.html"),
        ("/:year/:i_month/:title/", "", "/2024/5/harbour/"),
        # The post's own permalink wins, escapes decoded.
        ("date", "/%ED%95%AD%EB%A7%8C/cargo/", "/항만/cargo/"),
        ("date", "/articles/:title.html", "/articles/harbour.html"),
    ],
)
def test_the_address_jekyll_gave_a_post(style, permalink, expected):
    post = read(
        "_posts/2024-05-29-harbour.md",
        "---\ntitle: T\ndate: 2024-05-29 21:00:00 -0400\ncategories: [경제, News]\n"
        + (f"permalink: {permalink}\n" if permalink else "")
        + "---\n",
    )
    assert post_address(post, style, SEOUL) == expected


def test_a_markdown_post_knows_the_line_of_each_picture():
    post = read(
        "_posts/2024-07-04-gulls.md",
        "---\ntitle: 갈매기\ndate: 2024-07-04\n---\n"
        '첫 문단.\n\n![갈매기](/assets/gull.png "바닷새")\n\n'
        '<p><img alt="등대" src="../assets/light.jpg"></p>\n',
    )
    assert post.picture_lines == {"/assets/gull.png": 7, "../assets/light.jpg": 9}
