"""A blog editor's HTML becomes the house body format (imports/blogmarkup.py)."""

from pathlib import Path

from imports.blogmarkup import BodyPicture, house_body

FIXTURES = Path(__file__).parent / "fixtures"

# Written as Tistory's editor writes, in our own sentences.
TISTORY_BODY = (FIXTURES / "tistory_body.html").read_text(encoding="utf-8")


def test_a_tistory_body_keeps_its_sections_highlights_and_breaks():
    body = house_body(TISTORY_BODY)
    assert body.html == (
        "<h2>항만 물동량, 석 달째 늘어</h2>\n"
        '<p>부산항의 컨테이너 처리량이 <mark>"석 달 연속 증가했다"</mark>고 항만공사가'
        " 밝혔다. <mark>환적 화물이 특히 늘었다.</mark></p>\n"
        "<p>공사는 <strong>하반기 전망</strong>도 내놓았다.</p>\n"
        "<hr>\n"
        "<h3>남은 과제</h3>\n"
        "<p><mark>야간 하역 인력</mark>이 부족하다는 지적이 나왔다.</p>\n"
    )
    # No look is left: no style, no data-ke-*, no spacer paragraph.
    assert "style" not in body.html
    assert "data-ke" not in body.html
    assert "&nbsp;" not in body.html and "\u00a0" not in body.html


def test_pictures_become_library_placeholders_out_of_their_paragraphs():
    asked: list[BodyPicture] = []

    def picture_id(picture: BodyPicture) -> int:
        asked.append(picture)
        return 42

    body = house_body(TISTORY_BODY, picture_id)
    assert body.html.startswith(
        '<figure data-image="42" data-size="full" data-alt="부두의 크레인"></figure>'
    )
    assert "<img" not in body.html
    assert [(p.src, p.alt, p.line) for p in asked] == [
        ("/assets/img/harbour.jpg", "부두의 크레인", 1)
    ]
    assert body.pictures == asked
    assert body.missing == []


def test_a_picture_the_importer_cannot_bring_in_is_dropped_and_listed():
    body = house_body(
        '<p>始まり<img src="../../etc/passwd" alt="">終わり</p>', lambda _picture: None
    )
    assert body.html == "<p>始まり終わり</p>\n"
    assert [p.src for p in body.missing] == ["../../etc/passwd"]


def test_headings_step_down_below_the_page_title():
    body = house_body("<h1>Port</h1><h4>Cranes</h4><h2>Ships</h2>")
    assert body.html == "<h2>Port</h2>\n<h3>Cranes</h3>\n<h2>Ships</h2>\n"


def test_entities_become_characters_and_scripts_go():
    body = house_body(
        "<p>R&amp;D &#xAC00;&#xB098; &lt;tag&gt;</p><script>alert(1)</script>"
        '<p onclick="x()">クリック</p>'
    )
    assert body.html == "<p>R&amp;D 가나 &lt;tag&gt;</p>\n<p>クリック</p>\n"


def test_colour_inside_plain_bold_is_a_highlight_within_strong_text():
    body = house_body('<p><b>Rates <span style="color:red">rose</span> again</b></p>')
    assert body.html == "<p><strong>Rates <mark>rose</mark> again</strong></p>\n"


def test_a_placeholder_written_in_the_source_shows_no_library_picture():
    body = house_body('<figure data-image="7" data-size="full"></figure><p>本文</p>')
    assert body.html == "<p>本文</p>\n"


def test_an_empty_or_unparsable_body_is_empty():
    assert house_body("").html == ""
    assert house_body("   \n").html == ""
    assert house_body("<p>&nbsp;</p><p><br></p>").html == ""


def test_text_outside_any_block_is_kept_as_a_paragraph():
    assert house_body("첫 문장.<p>둘째 문단.</p>").html == (
        "<p>첫 문장.</p>\n<p>둘째 문단.</p>\n"
    )


def test_citation_paragraphs_are_taken_out_as_sources_in_each_language():
    body = house_body(
        "<p>本文。</p>"
        "<p>さらに読む ⇒港湾新報:港のニュースサイト出典/画像元: "
        '<a href="https://minato.example.jp/a?k=12">https://minato.example.jp/a?k=12</a>'
        "</p>"
        "<p>Read more at Rail Weekly: strike ends Source: https://rail.example.com/s.</p>"
        "<p>더 읽기 ⇒ https://sea.example.kr/2</p>"
        "<p>出典を確かめる方法は別の記事で書いた。</p>"
    )
    assert [(c.role, c.publisher, c.title, c.url) for c in body.citations] == [
        (
            "source",
            "港湾新報",
            "港のニュースサイト",
            "https://minato.example.jp/a?k=12",
        ),
        ("source", "Rail Weekly", "strike ends", "https://rail.example.com/s"),
        ("further_reading", "sea.example.kr", "", "https://sea.example.kr/2"),
    ]
    # Prose that only mentions sources stays prose.
    assert body.html == "<p>本文。</p>\n<p>出典を確かめる方法は別の記事で書いた。</p>\n"


def test_a_rule_left_last_by_the_citations_goes_with_them():
    body = house_body(
        "<p>본문.</p><hr><p>본문 둘.</p><hr>"
        "<p>자세히 읽기 ⇒ 바다일보: 교섭 일지 출처: https://sea.example.kr/1</p>"
    )
    assert body.html == "<p>본문.</p>\n<hr>\n<p>본문 둘.</p>\n"


def test_an_ai_label_under_a_picture_flags_it_and_leaves_the_body():
    seen = []
    body = house_body(
        '<figure><img src="/a.png" alt="港"><figcaption>夕方の港 AI生成画像'
        "</figcaption></figure><p>AI生成画像は使わない方針だ。</p>"
        '<p><img src="/b.png"></p><p>AI-generated image</p><p>After.</p>',
        lambda picture: seen.append(picture) or 3,
    )
    assert [(p.src, p.caption, p.is_ai) for p in seen] == [
        ("/a.png", "夕方の港", True),
        ("/b.png", "", True),
    ]
    assert "AI-generated image" not in body.html
    # A sentence about AI pictures is not a label.
    assert "<p>AI生成画像は使わない方針だ。</p>" in body.html
    assert "<figcaption>夕方の港</figcaption>" in body.html


def test_a_comment_after_a_picture_is_no_label_and_no_trouble():
    body = house_body(
        '<p><img src="/a.jpg"></p>\n<!--more-->\n<p>AI-generated image</p><p>Rest</p>',
        lambda picture: 5,
    )
    assert (
        body.html == '<figure data-image="5" data-size="full"></figure>\n<p>Rest</p>\n'
    )
