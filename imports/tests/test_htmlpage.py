"""Saved news article pages are read as the importer needs them (imports/htmlpage.py).

The two pages under fixtures/html/ are written as Korean and Japanese news
sites lay theirs out, in our own sentences; the Japanese one is saved in
Shift_JIS, as many Japanese sites still serve theirs.
"""

import re
import socket
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from imports.htmlpage import MAX_PAGE_BYTES, read_page, related_links
from imports.posts import PostProblem

FIXTURES = Path(__file__).parent / "fixtures" / "html"
SEOUL = ZoneInfo("Asia/Seoul")
TOKYO = ZoneInfo("Asia/Tokyo")

KOREAN = (FIXTURES / "busan-port-strike.html").read_bytes()
JAPANESE = (FIXTURES / "typhoon-kyushu.html").read_bytes()
KOREAN_TEXT = KOREAN.decode("utf-8")
# What EUC-KR can hold of it ("©" it cannot).
KOREAN_LEGACY_TEXT = KOREAN_TEXT.replace("©", "(C)")
JAPANESE_TEXT = JAPANESE.decode("cp932")


@pytest.fixture(autouse=True)
def in_english():
    """Match the problems' English wording (the desk's default is Korean)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that would reach the network: a saved page is read offline."""

    def refuse(*args, **kwargs):
        raise AssertionError("the reader tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def read(content: bytes | str, **kwargs):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return read_page(
        kwargs.pop("path", "saved/page.html"),
        content,
        site_timezone=kwargs.pop("tz", SEOUL),
        **kwargs,
    )


def without_json_ld(text: str) -> str:
    return re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S
    )


# The Korean page.


def test_the_korean_page_s_fields():
    post = read(KOREAN, path="busan-port-strike.html")
    assert (
        post.key == "https://www.example.org/news/articles/20240912-busan-port-strike"
    )
    assert post.permalink == "/news/articles/20240912-busan-port-strike"
    assert post.title == "부산 신항 하역 노동자 파업 사흘째, 컨테이너 적체 심화"
    # 07:30 in Seoul is 22:30 UTC the day before; the offset is kept.
    assert post.published_at == datetime(2024, 9, 11, 22, 30, tzinfo=UTC)
    assert post.published_at.utcoffset().total_seconds() == 9 * 3600
    assert post.excerpt == (
        "부산 신항 하역 노동자들의 파업이 사흘째 이어지면서 부두에 쌓인 컨테이너가"
        " 늘고 있다."
    )
    assert post.categories == ["경제", "항만"]
    assert post.tags == ["부산항", "파업", "물류"]
    assert post.language == "ko"
    # JSON-LD names the author; the printed byline adds the e-mail.
    assert (post.author, post.author_email) == ("김하늘", "sky@example.org")
    assert post.image == "https://www.example.org/news/photo/202409/crane.jpg"
    assert post.image_alt == "멈춰 선 신항 부두의 갠트리 크레인"
    # The label at the caption's end is read and dropped, its full stop kept.
    assert post.image_caption == "하역이 멈춘 신항 부두에 크레인이 서 있다."
    assert post.image_is_ai is True
    # The badge over the headline; the related stories' labels are theirs.
    assert post.ai_use == "generated"
    assert post.citations == []
    assert post.markup == "html"


def test_the_korean_body_keeps_the_article_and_nothing_around_it():
    body = read(KOREAN).body_html
    for kept in (
        "<h2>장치율 90% 육박</h2>",
        '<h2>선사들 "기항지 바꿀 수도"</h2>',
        "<mark>장치율이 90%를 넘으면 새로 들어오는 화물을 내려놓을 자리가 사실상"
        " 없어진다.</mark>",
        "<p><strong>핵심 요약</strong></p>",
        "<li>신항 하역 노동자 파업이 사흘째 이어졌다.</li>",
        "<li>노사는 주말에 다시 만나기로 했다.</li>",
        "<hr>",
        "<p>자세히 읽기 ⇒ 바다일보: 신항 노사 교섭 일지 출처/이미지: "
        '<a href="https://example.org/harbor/talks-timeline">'
        "https://example.org/harbor/talks-timeline</a></p>",
        "자세히 읽기 ⇒ 물류신문: 장치율이란 무엇인가 출처:",
        # A picture of the story keeps its place and its caption.
        '<figure><img src="./busan-port-strike_files/trucks.jpg"'
        ' alt="부두 입구에 늘어선 화물차"><figcaption>부두 입구에서 반출을 기다리는'
        " 화물차들. <em>사진=한빛뉴스</em></figcaption></figure>",
    ):
        assert kept in body
    # The rule stands between the story and its citations.
    assert body.index("노사는 14일") < body.index("<hr>") < body.index("자세히 읽기")
    for dropped in (
        # The headline, the byline and the labels became fields.
        "<h1",
        "부산 신항 하역 노동자 파업 사흘째, 컨테이너",
        "sky@example.org",
        "AI에 의해",
        # The feature picture and its caption are the post's image.
        "crane.jpg",
        "하역이 멈춘",
        # The site around the article.
        "본문 바로가기",
        "쿠키",
        "모두 허용",
        "로그인",
        "페이스북 공유",
        "카카오톡 공유",
        "링크 복사",
        "댓글",
        "많이 본 뉴스",
        "단풍 절정",
        "추천 기사",
        "새 여객선",
        "관련 기사",
        "하역 노조, 파업 찬반 투표 가결",
        "신항 장치율 하루 새",
        "개인정보처리방침",
        "무단전재",
        "#부산항",
    ):
        assert dropped not in body, dropped
    # Plain tags only: no class, style or id of the site's.
    assert not re.search(r"<\w+ [^>]*(class|style|id)=", body)


def test_the_korean_page_s_related_stories():
    assert related_links(KOREAN) == [
        "https://www.example.org/news/articles/20240910-port-union-vote",
        # Relative, made absolute against the page's canonical address.
        "https://www.example.org/news/articles/20240911-yard-ratio-rises",
        # Without its #fragment; the partner site's link is left out.
        "https://www.example.org/news/articles/20240901-transshipment-record"
        "?utm_source=related",
    ]


# The Japanese page, in Shift_JIS.


def test_the_japanese_fixture_is_really_saved_in_shift_jis():
    with pytest.raises(UnicodeDecodeError):
        JAPANESE.decode("utf-8")
    assert b"charset=Shift_JIS" in JAPANESE


def test_the_japanese_page_s_fields():
    post = read(JAPANESE, path="typhoon-kyushu.html", tz=TOKYO)
    assert post.key == "https://example.jp/articles/2024/08/28/typhoon-kyushu"
    assert post.permalink == "/articles/2024/08/28/typhoon-kyushu"
    # The ideographic space between the headline's halves is the writer's.
    assert post.title == "台風10号、九州南部に接近\u3000鉄道の計画運休相次ぐ"
    assert post.published_at == datetime(2024, 8, 28, 9, 5, tzinfo=UTC)
    assert post.excerpt.startswith("大型で強い台風10号が九州南部に近づき")
    assert post.categories == ["社会"]
    # JSON-LD's keywords as one comma-separated string.
    assert post.tags == ["台風", "九州", "交通", "計画運休"]
    assert post.language == "ja"
    # <meta name="author"> names her; the byline under the story adds the e-mail.
    assert (post.author, post.author_email) == ("山田 花子", "hanako@example.jp")
    # JSON-LD's first picture; no og:image:alt, so the article's <img> alt.
    assert post.image == "https://example.jp/images/2024/08/typhoon-sky.jpg"
    assert post.image_alt == "厚い雲に覆われた鹿児島湾の空"
    assert post.image_caption == "鹿児島湾の上空を覆う厚い雲"
    # The label on its own line after the figure.
    assert post.image_is_ai is True
    # Only the related stories carry "AIによって報告": the article does not.
    assert post.ai_use == ""


def test_the_japanese_body_keeps_the_article_and_nothing_around_it():
    body = read(JAPANESE, tz=TOKYO).body_html
    for kept in (
        "<h2>鉄道・空の便に影響</h2>",
        "<h2>店舗も臨時休業</h2>",
        "<mark>運転再開は線路の点検を終えてからになり、30日以降にずれ込む"
        "可能性がある。</mark>",
        "<p><strong>この記事のポイント</strong></p>",
        # A character only Windows' Shift_JIS (cp932) has: read as browsers do.
        "<li>①台風10号は29日朝にかけて九州南部に最も近づく見込み</li>",
        "<li>気象台は土砂災害への厳重な警戒を呼びかけている</li>",
        "<hr>",
        "<p>さらに読む ⇒ 湾岸日報：台風の進路と雨の見通し 出典/画像元: "
        '<a href="https://example.jp/wangan/typhoon-course">'
        "https://example.jp/wangan/typhoon-course</a></p>",
    ):
        assert kept in body
    for dropped in (
        "<h1",
        "hanako@example.jp",
        "AI生成画像",
        "typhoon-sky.jpg",
        "鹿児島湾の上空を覆う",
        "本文へスキップ",
        "クッキー",
        "同意する",
        "ログイン",
        "シェア",
        "LINEで送る",
        "はてなブックマーク",
        "コメント",
        "34件",
        "アクセスランキング",
        "休校",
        "おすすめ記事",
        "フェリー",
        "関連記事",
        "進路を東寄りに",
        "AIによって報告",
        "会社案内",
        "無断転載",
    ):
        assert dropped not in body, dropped


def test_the_japanese_page_s_related_stories():
    assert related_links(JAPANESE) == [
        "https://example.jp/articles/2024/08/27/typhoon-course",
        "https://example.jp/articles/2024/08/27/rain-warning",
        "https://example.jp/articles/2024/08/26/evacuation-shelters",
    ]


def test_related_links_resolve_against_the_address_the_page_was_saved_from():
    page = without_json_ld(JAPANESE_TEXT).replace(
        '<meta property="og:url" content="https://example.jp/articles/2024/08/28/'
        'typhoon-kyushu">',
        "",
    )
    links = related_links(
        page.encode("cp932"), "https://example.jp/articles/2024/08/28/typhoon"
    )
    assert "https://example.jp/articles/2024/08/27/rain-warning" in links


def test_a_related_list_named_by_its_aria_label():
    page = JAPANESE_TEXT.replace(
        '<div class="related-articles">\n    <h3>関連記事</h3>',
        '<div class="related-articles" aria-label="関連記事">',
    )
    assert related_links(page.encode("cp932")) == related_links(JAPANESE)


def test_a_page_without_related_stories_has_no_related_links():
    page = KOREAN_TEXT.replace("<h2>관련 기사</h2>", "<h2>지난 기사</h2>")
    assert related_links(page.encode("utf-8")) == []


# Character sets.


def test_an_euc_kr_page_is_read_as_browsers_read_it():
    # "똠" is in Windows' EUC-KR (cp949) only, as browsers read "EUC-KR".
    page = KOREAN_LEGACY_TEXT.replace("charset=UTF-8", "charset=EUC-KR").replace(
        "평소에는 60%대에", "똠방각하도 놀랄 만큼 평소에는 60%대에"
    )
    post = read(page.encode("cp949"))
    assert post.title == "부산 신항 하역 노동자 파업 사흘째, 컨테이너 적체 심화"
    assert "똠방각하도 놀랄 만큼" in post.body_html


def test_a_page_declaring_its_charset_in_meta_charset():
    page = KOREAN_LEGACY_TEXT.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
        '<meta charset="euc-kr">',
    )
    assert read(page.encode("cp949")).author == "김하늘"


@pytest.mark.parametrize("charset", ["x-klingon", "rot13", "unicode_escape"])
def test_an_unknown_charset_is_a_clear_problem(charset):
    page = KOREAN_TEXT.replace("charset=UTF-8", f"charset={charset}")
    with pytest.raises(PostProblem) as problem:
        read(page)
    assert problem.value.message == (
        f"The page declares the character set {charset}, which is not known."
    )
    assert problem.value.line == 3


def test_a_page_that_is_not_the_charset_it_declares():
    page = KOREAN_LEGACY_TEXT.encode("cp949")
    with pytest.raises(PostProblem) as problem:
        read(page)
    assert problem.value.message.startswith(
        "The page is not UTF-8 text, as it declares (byte "
    )
    assert problem.value.line == 5


def test_a_page_without_a_charset_must_be_utf_8():
    page = KOREAN_LEGACY_TEXT.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">', ""
    )
    assert read(page).language == "ko"
    with pytest.raises(PostProblem) as problem:
        read(page.encode("cp949"))
    assert problem.value.message.startswith(
        "The page declares no character set and is not UTF-8 text (byte "
    )


# Where the metadata comes from.


def test_broken_json_ld_falls_back_to_open_graph_and_meta():
    page = KOREAN_TEXT.replace('"@context": "https://schema.org",', '"@context": ,')
    post = read(page)
    assert post.title == "부산 신항 하역 노동자 파업 사흘째, 컨테이너 적체 심화"
    assert post.published_at == datetime(2024, 9, 11, 22, 30, tzinfo=UTC)
    assert post.categories == ["경제"]
    assert post.tags == ["부산항", "파업"]
    assert post.excerpt == "부두에 쌓인 컨테이너가 늘고 있다."
    assert post.image == "https://www.example.org/news/photo/202409/crane.jpg"
    # <meta name="author"> "김하늘 기자", without the role.
    assert (post.author, post.author_email) == ("김하늘", "sky@example.org")
    assert post.language == "ko"


def test_without_open_graph_the_title_tag_loses_the_site_name():
    page = without_json_ld(KOREAN_TEXT).replace(
        '<meta property="og:title" content="부산 신항 하역 노동자 파업 사흘째,'
        ' 컨테이너 적체 심화">',
        "",
    )
    assert read(page).title == "부산 신항 하역 노동자 파업 사흘째, 컨테이너 적체 심화"


def test_the_japanese_title_tag_loses_its_site_name_too():
    page = without_json_ld(JAPANESE_TEXT)
    page = re.sub(r'<meta property="og:title"[^>]*>', "", page)
    post = read(page.encode("cp932"), tz=TOKYO)
    assert post.title == "台風10号、九州南部に接近\u3000鉄道の計画運休相次ぐ"
    # Then <meta name="keywords">, og:locale and article:section.
    assert post.tags == ["台風", "九州", "交通"]
    assert post.categories == ["社会"]


def test_json_ld_authors_may_be_a_list_referring_to_the_graph():
    page = KOREAN_TEXT.replace(
        '"author": {"@type": "Person", "name": "김하늘"},',
        '"author": [{"@id": "#desk"}, {"@type": "Person", "name": "박바다"}],',
    ).replace(
        '{"@type": "WebSite",',
        '{"@type": "Person", "@id": "#desk", "name": "데스크 편집팀",'
        ' "email": "mailto:desk@example.org"},\n    {"@type": "WebSite",',
    )
    post = read(page)
    assert (post.author, post.author_email) == ("데스크 편집팀", "desk@example.org")


def test_a_site_naming_itself_the_author_names_no_one():
    page = KOREAN_TEXT.replace(
        '"author": {"@type": "Person", "name": "김하늘"},',
        '"author": {"@type": "NewsMediaOrganization", "name": "한빛뉴스"},',
    ).replace('<meta name="author" content="김하늘 기자">', "")
    post = read(page)
    # The printed byline names her.
    assert (post.author, post.author_email) == ("김하늘", "sky@example.org")


def test_a_microdata_date_dates_a_page_without_json_ld_or_open_graph():
    page = without_json_ld(KOREAN_TEXT).replace(
        '<meta property="article:published_time" content="2024-09-12T07:30:00+09:00">',
        '<meta itemprop="datePublished" content="2024-09-12T08:00:00+09:00">',
    )
    assert read(page).published_at == datetime(2024, 9, 11, 23, 0, tzinfo=UTC)


def test_a_date_without_an_offset_is_in_the_site_s_time_zone():
    page = KOREAN_TEXT.replace(
        '"datePublished": "2024-09-12T07:30:00+09:00"',
        '"datePublished": "2024-09-12 07:30:00"',
    )
    assert read(page, tz=SEOUL).published_at == datetime(
        2024, 9, 11, 22, 30, tzinfo=UTC
    )
    assert read(page, tz=TOKYO).published_at == datetime(
        2024, 9, 11, 22, 30, tzinfo=UTC
    )
    new_york = read(page, tz=ZoneInfo("America/New_York")).published_at
    assert new_york == datetime(2024, 9, 12, 11, 30, tzinfo=UTC)


def test_the_article_s_time_element_dates_a_page_without_metadata():
    page = without_json_ld(KOREAN_TEXT).replace(
        '<meta property="article:published_time" content="2024-09-12T07:30:00+09:00">',
        "",
    )
    post = read(page)
    assert post.published_at == datetime(2024, 9, 11, 22, 30, tzinfo=UTC)


def test_a_page_without_a_date_is_a_problem():
    page = without_json_ld(KOREAN_TEXT)
    page = page.replace(
        '<meta property="article:published_time" content="2024-09-12T07:30:00+09:00">',
        "",
    ).replace('<time datetime="2024-09-12T07:30:00+09:00">', "<time>")
    with pytest.raises(PostProblem) as problem:
        read(page)
    assert problem.value.message == "The page has no publication date."


def test_an_unreadable_date_is_named():
    page = without_json_ld(KOREAN_TEXT).replace(
        'content="2024-09-12T07:30:00+09:00">', 'content="2024.09.12 07:30">'
    )
    page = page.replace('<time datetime="2024-09-12T07:30:00+09:00">', "<time>")
    with pytest.raises(PostProblem) as problem:
        read(page)
    assert problem.value.message == (
        "The publication date 2024.09.12 07:30 is not an ISO 8601 date."
    )


def test_the_key_falls_back_to_where_the_page_was_saved_from_then_its_path():
    page = without_json_ld(KOREAN_TEXT)
    page = re.sub(
        r'<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>', "", page
    )
    given = read(page, page_url="https://www.example.org/news/articles/123")
    assert given.key == "https://www.example.org/news/articles/123"
    assert given.permalink == "/news/articles/123"
    # The browser's "saved from url=" comment.
    saved = read(page)
    assert saved.key == (
        "https://www.example.org/news/articles/20240912-busan-port-strike?ref=main"
    )
    page = re.sub(r"<!-- saved from [^>]*-->", "", page)
    bare = read(page, path="pages/strike.html")
    assert (bare.key, bare.permalink) == ("pages/strike.html", "")


def test_without_a_language_the_default_is_used():
    page = without_json_ld(KOREAN_TEXT).replace('<html lang="ko">', "<html>")
    page = page.replace('<meta property="og:locale" content="ko_KR">', "")
    assert read(page, default_language="ja").language == "ja"
    # og:locale "ko_KR" is Korean.
    assert (
        read(
            page.replace("<head>", '<head><meta property="og:locale" content="ko_KR">')
        ).language
        == "ko"
    )


# Problems.


def test_a_page_larger_than_the_limit_is_refused_before_it_is_read():
    content = b"<html>" + b" " * MAX_PAGE_BYTES
    with pytest.raises(PostProblem) as problem:
        read(content)
    assert problem.value.message == "The page is larger than 10 MB."
    with pytest.raises(PostProblem):
        related_links(content)


def test_a_page_without_an_article_is_a_problem():
    page = (
        '<html lang="ko"><head><meta charset="utf-8"><title>한빛뉴스</title>'
        '<meta property="article:published_time" content="2024-09-12T07:30:00+09:00">'
        '</head><body><nav><a href="/">홈</a></nav><footer>한빛뉴스</footer>'
        "</body></html>"
    )
    with pytest.raises(PostProblem) as problem:
        read(page)
    assert problem.value.message == "No article body was found in the page."


def test_a_page_without_a_title_is_a_problem():
    page = without_json_ld(KOREAN_TEXT)
    page = re.sub(r"<title>.*?</title>|<meta property=\"og:title\"[^>]*>", "", page)
    with pytest.raises(PostProblem) as problem:
        read(page)
    assert problem.value.message == "The page has no title."


def test_an_empty_file_is_a_problem():
    with pytest.raises(PostProblem):
        read(b"")
