"""Cutting texts into segments; joining translations back in the source's structure."""

import pytest

from core.richtext import sanitize_html
from translations.segments import cut, placeholder_problems
from translations.units import UNITS_BY_KEY

BODY = UNITS_BY_KEY["body"]

SOURCE = sanitize_html(
    "<h2>태풍 북상</h2>"
    "<p>기상청은 <strong>오늘</strong> "
    '<a href="https://example.org/a">특보</a>를 냈다.<br>'
    "주의하세요.</p>"
    "<ul><li><p>첫째 항목</p></li><li><p>둘째 항목</p></li></ul>"
    "<blockquote><p>인용한 말</p></blockquote><hr>"
    '<figure data-image="7" data-size="inset" data-alt="붉은 등대">'
    "<figcaption>방파제의 등대<small>뉴스룸 사진부</small></figcaption></figure>"
    '<div data-gallery=""><figure data-image="8"><figcaption>둘째 사진</figcaption>'
    "</figure></div>"
    '<figure data-embed="youtube"><a href="https://www.youtube.com/watch?v=aqz-KE-bpKQ">'
    "https://www.youtube.com/watch?v=aqz-KE-bpKQ</a></figure>"
    "<p><ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>에서</p>"
)


def test_a_body_joins_back_to_itself_byte_for_byte():
    pieces = cut(BODY, SOURCE)
    assert pieces.join([segment.text for segment in pieces.segments]) == SOURCE


def test_blocks_are_segments_and_inline_markup_is_placeholders():
    segments = cut(BODY, SOURCE).segments
    texts = [(segment.kind, segment.text) for segment in segments]
    assert texts[:4] == [
        ("h2", "태풍 북상"),
        ("p", "기상청은 {1}오늘{/1} {2}특보{/2}를 냈다.{3/}주의하세요."),
        ("p", "첫째 항목"),
        ("p", "둘째 항목"),
    ]
    assert ("alt", "붉은 등대") in texts
    assert ("figcaption", "방파제의 등대") in texts
    assert ("small", "뉴스룸 사진부") in texts
    assert ("figcaption", "둘째 사진") in texts
    # The embed's address is structure, not text to translate; ruby is kept whole.
    assert not any("youtube" in text for _kind, text in texts)
    assert texts[-1] == ("p", "{1/}에서")


def test_a_translation_takes_the_sources_structure_and_tags():
    pieces = cut(BODY, SOURCE)
    japanese = {
        "태풍 북상": "台風が北上",
        "기상청은 {1}오늘{/1} {2}특보{/2}를 냈다.{3/}주의하세요.": (
            "気象庁は{1}今日{/1}{2}特報{/2}を出した。{3/}ご注意を。"
        ),
        "붉은 등대": "赤い灯台 & 防波堤",
    }
    joined = pieces.join(
        [japanese.get(segment.text, segment.text) for segment in pieces.segments]
    )
    assert joined.startswith(
        "<h2>台風が北上</h2><p>気象庁は<strong>今日</strong>"
        '<a href="https://example.org/a" rel="noopener noreferrer">特報</a>'
        "を出した。<br>ご注意を。</p><ul>"
    )
    assert 'data-alt="赤い灯台 &amp; 防波堤"' in joined
    assert sanitize_html(joined) == joined


def test_text_typed_by_a_translator_is_text_never_markup():
    pieces = cut(BODY, "<p>본문</p>")
    joined = pieces.join(["<script>alert(1)</script> {9}x{/9} <b>굵게</b>"])
    assert "<script>" not in joined and "<b>" not in joined
    assert "&lt;script&gt;" in joined


def test_key_points_are_one_segment_per_line():
    pieces = cut(UNITS_BY_KEY["key_points"], "첫째\n둘째")
    assert [segment.text for segment in pieces.segments] == ["첫째", "둘째"]
    assert pieces.join(["一つ目", "二つ目"]) == "一つ目\n二つ目"


@pytest.mark.parametrize(
    ("target", "problems"),
    [
        ("気象庁は{1}今日{/1}{2}特報{/2}を出した。{3/}", []),
        ("気象庁は今日{2}特報{/2}を出した。{3/}", ["{1}", "{/1}"]),
        ("{1}今日{/1}{2}特報{/2}{3/}{3/}", ["{3/}"]),
        ("{1}今日{/1}{2}特報{/2}{3/}{4/}", ["{4/}"]),
        ("{/1}今日{1}{2}特報{/2}{3/}", ["{1}"]),
    ],
)
def test_placeholders_must_all_be_kept_once_and_in_order(target, problems):
    segment = cut(BODY, SOURCE).segments[1]
    assert placeholder_problems(segment, target) == problems
