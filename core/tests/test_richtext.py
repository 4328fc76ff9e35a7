import pytest
from django_prose_editor.config import allowlist_from_extensions
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.editor import BODY_EXTENSIONS
from core.richtext import ALLOWED_TAGS, sanitize_html, strip_markup


def test_the_editor_makes_exactly_the_tags_the_sanitiser_keeps():
    editor_tags = allowlist_from_extensions(BODY_EXTENSIONS)["tags"]
    # <b> and <i> are kept for text pasted or imported from elsewhere.
    assert editor_tags == ALLOWED_TAGS - {"b", "i"}


def test_an_emptied_editor_stores_no_body():
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html("<p> <br></p><p></p>") == ""
    assert sanitize_html("<p>글</p>") == "<p>글</p>"


@pytest.mark.django_db
def test_the_editors_own_buttons_speak_the_admins_language(admin_client):
    import json

    from django.urls import reverse

    catalogue = admin_client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="ja")
    assert json.dumps("読み仮名(ルビ)") in catalogue.content.decode()
    assert json.dumps("ハイライト") in catalogue.content.decode()


# --- idempotence -----------------------------------------------------------------

# Elements the sanitiser drops; those the HTML parser treats specially (inside
# a <select> or <table> a second <a> or <p> nests in the first) make trouble,
# so they are drawn as often as the allowed ones.
SPECIAL_TAGS = ["table", "td", "tr", "select", "option", "svg", "math", "template"]
DROPPED_TAGS = ["div", "span", "script", "style", "img", "textarea", "title"]
TAG_NAMES = st.one_of(
    st.sampled_from(sorted(ALLOWED_TAGS)),
    st.sampled_from(SPECIAL_TAGS),
    st.sampled_from(DROPPED_TAGS),
)
ATTRIBUTE_VALUES = st.sampled_from(
    [
        "https://news.example/a?b=1&c=2",
        "javascript:alert(1)",
        "&#x6a;avascript:x",
        "mailto:desk@news.example",
        "/relative",
        "",
        "<b>",
    ]
)
CHARACTERS = st.sampled_from(
    list("서울東京ニュース ab\n\"'=/;&<>")
    # Decomposed Hangul, a combining accent, zero-width space, Greek question
    # mark (NFC makes it ";"), combining solidus (NFC makes "<" + it "≮").
    + ["\u1100", "\u1161", "\u11ab", "\u0301", "\u200b", "\u037e", "\u0338"]
)
TEXT = st.text(CHARACTERS, max_size=6)
ATTRIBUTE = st.builds(
    "{0}={1}{2}{1}".format,
    st.sampled_from(["href", "title", "onclick", "style", "rel"]),
    st.sampled_from(['"', "'", ""]),
    ATTRIBUTE_VALUES | TEXT,
)
ATTRIBUTES = st.lists(ATTRIBUTE, max_size=2).map(lambda found: " ".join(["", *found]))
START_TAG = st.builds("<{}{}>".format, TAG_NAMES, ATTRIBUTES)
# An element left open, then one the parser treats specially, then another.
MISNESTED = st.builds(
    "<{}{}>{}<{}>{}".format,
    st.sampled_from(sorted(ALLOWED_TAGS)),
    ATTRIBUTES,
    TEXT,
    st.sampled_from(SPECIAL_TAGS),
    START_TAG,
)
PIECES = st.one_of(
    START_TAG,
    MISNESTED,
    st.builds("</{}>".format, TAG_NAMES),
    # Unclosed: "<a href=x" runs into whatever follows.
    st.builds("<{}{}".format, TAG_NAMES, ATTRIBUTES),
    st.sampled_from(
        ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#60;", "&#x3C;", "&#0;"]
        + ["&#x1100;&#x1161;", "&amp", "&lt", "&bogus;", "<", ">", "&", "</"]
        + ["<!--", "-->", "<!-- note -->", "<!", "<?x?>", "<![CDATA[x]]>"]
    ),
    TEXT,
)
MALFORMED_HTML = st.lists(PIECES, max_size=30).map("".join)


@example("<p>x<select><p>y")
@example('<a href="https://a.example/">기사<select><a href="https://b.example/">東京')
@example("<ul><li>a<table><li>b")
@hypothesis_settings(
    max_examples=500,
    database=None,
    # A shared 2-core CI machine: time is no property of these functions.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(MALFORMED_HTML)
def test_sanitising_twice_changes_nothing(value):
    once = sanitize_html(value)
    assert sanitize_html(once) == once


def test_nested_links_a_dropped_element_let_through_are_taken_apart():
    assert sanitize_html('<a href="https://a.example/">기사<select><a>東京') == (
        '<a href="https://a.example/" rel="noopener noreferrer">기사</a>'
        '<a rel="noopener noreferrer">東京</a>'
    )


def test_text_written_as_entities_is_stored_composed():
    assert sanitize_html("<p>&#x1100;&#x1161;&#x11ab;</p>") == "<p>간</p>"
    assert strip_markup("&#x1100;&#x1161;&#x11ab;") == "간"


def test_a_placed_picture_keeps_exactly_the_attributes_the_reader_site_reads():
    stored = sanitize_html(
        '<figure data-image="42" data-size="inset" data-alt="등대 &amp; 배"'
        ' style="float:left" onclick="x()" class="big" data-other="1">'
        "<figcaption>캡션<small>크레디트</small><img src=x></figcaption></figure>"
    )
    assert stored == (
        '<figure data-image="42" data-size="inset" data-alt="등대 &amp; 배">'
        "<figcaption>캡션<small>크레디트</small></figcaption></figure>"
    )


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("data-image", "42x"),
        ("data-image", "-1"),
        ("data-image", "٤٢"),  # digits, but not ASCII ones
        ("data-size", "huge"),
        ("data-embed", "vimeo"),
    ],
)
def test_a_placeholder_value_the_reader_site_would_not_read_is_dropped(
    attribute, value
):
    stored = sanitize_html(f'<p>글</p><figure {attribute}="{value}"></figure>')
    assert attribute not in stored


def test_a_gallery_is_a_div_with_nothing_but_its_mark():
    stored = sanitize_html(
        '<div data-gallery="yes" id="g" style="x">'
        '<figure data-image="1"></figure></div>'
    )
    assert stored == '<div data-gallery=""><figure data-image="1"></figure></div>'
