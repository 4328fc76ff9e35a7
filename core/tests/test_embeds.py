import re

import pytest
from django.utils import translation

from core.embeds import (
    FRAME_ORIGINS,
    PROVIDERS,
    body_embed_errors,
    embed_error,
    find_embed,
    render_embed,
)
from core.richtext import EMBED_PROVIDERS, sanitize_html

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
X_POST = "https://x.com/jack/status/20"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def stored(provider: str, url: str) -> str:
    """Return an embed as the editor writes it into a story body."""
    return f'<figure data-embed="{provider}"><a href="{url}">{url}</a></figure>'


ACCEPTED = [
    # (pasted address, provider, canonical address, frame address)
    (
        YOUTUBE,
        "youtube",
        YOUTUBE,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtube.com/watch?feature=shared&v=dQw4w9WgXcQ&t=42",
        "youtube",
        YOUTUBE,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube",
        YOUTUBE,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ?si=Tr4ck1ng",
        "youtube",
        YOUTUBE,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://www.youtube.com/shorts/a1B2c3D4e_-",
        "youtube",
        "https://www.youtube.com/watch?v=a1B2c3D4e_-",
        "https://www.youtube-nocookie.com/embed/a1B2c3D4e_-",
    ),
    (
        X_POST,
        "x",
        X_POST,
        "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
    ),
    (
        "https://twitter.com/Yonhap_News/status/1790000000000000001?s=20",
        "x",
        "https://x.com/Yonhap_News/status/1790000000000000001",
        "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000001&dnt=true",
    ),
    (
        "https://www.instagram.com/p/C7xYz_1AbCd/",
        "instagram",
        "https://www.instagram.com/p/C7xYz_1AbCd/",
        "https://www.instagram.com/p/C7xYz_1AbCd/embed/",
    ),
    (
        "https://instagram.com/reel/C7xYz-1AbCd?igsh=Tr4ck1ng",
        "instagram",
        "https://www.instagram.com/reel/C7xYz-1AbCd/",
        "https://www.instagram.com/p/C7xYz-1AbCd/embed/",
    ),
    (
        "https://tv.naver.com/v/52345678",
        "navertv",
        "https://tv.naver.com/v/52345678",
        "https://tv.naver.com/embed/52345678",
    ),
    (
        "https://tv.naver.com/embed/52345678",
        "navertv",
        "https://tv.naver.com/v/52345678",
        "https://tv.naver.com/embed/52345678",
    ),
    (
        "https://www.nicovideo.jp/watch/sm9",
        "niconico",
        "https://www.nicovideo.jp/watch/sm9",
        "https://embed.nicovideo.jp/watch/sm9",
    ),
    (
        "https://www.nicovideo.jp/watch/so43210987?ref=share",
        "niconico",
        "https://www.nicovideo.jp/watch/so43210987",
        "https://embed.nicovideo.jp/watch/so43210987",
    ),
    (
        "https://nico.ms/sm9",
        "niconico",
        "https://www.nicovideo.jp/watch/sm9",
        "https://embed.nicovideo.jp/watch/sm9",
    ),
]

REFUSED = [
    # Not https, not a web address at all.
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "http://x.com/jack/status/20",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ",
    "data:text/html,https://youtu.be/dQw4w9WgXcQ",
    "",
    # Hosts that only look like the providers'.
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be.evil.example/dQw4w9WgXcQ",
    "https://www.youtube-nocookie.com.evil.example/embed/dQw4w9WgXcQ",
    "https://x.com.evil.example/jack/status/20",
    "https://notx.com/jack/status/20",
    "https://twitter.com.evil.example/jack/status/20",
    "https://instagram.com.evil.example/p/C7xYz_1AbCd/",
    "https://tv.naver.com.evil.example/v/52345678",
    "https://naver.com/v/52345678",
    "https://nicovideo.jp.evil.example/watch/sm9",
    "https://nico.ms.evil.example/sm9",
    "https://www.yоutube.com/watch?v=dQw4w9WgXcQ",  # a Cyrillic о
    "https://www.youtube.com./watch?v=dQw4w9WgXcQ",
    # A provider's address only in the query or the path of another site.
    "https://evil.example/?u=https://youtu.be/dQw4w9WgXcQ",
    "https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
    # Credentials, ports, backslashes, spaces.
    "https://user@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://user:secret@x.com/jack/status/20",
    "https://www.youtube.com:443/watch?v=dQw4w9WgXcQ",
    "https://x.com:8443/jack/status/20",
    "https://www.youtube.com\\@evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example\\www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ and more",
    # Right host, but not one post or video.
    "https://www.youtube.com/",
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/watch?vv=dQw4w9WgXcQ",
    "https://www.youtube.com/@newsroom",
    "https://www.youtube.com/playlist?list=PL1234567890",
    "https://x.com/jack",
    "https://x.com/jack/status/twenty",
    "https://x.com/a_name_far_too_long/status/20",
    "https://www.instagram.com/newsroom/",
    "https://www.instagram.com/stories/newsroom/1234567890/",
    "https://tv.naver.com/newsroom",
    "https://www.nicovideo.jp/watch/lv123456",
    "https://www.nicovideo.jp/user/12345",
    "https://nico.ms/lv123456",
    # The frame addresses themselves are not what a reporter pastes.
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://platform.twitter.com/embed/Tweet.html?id=20",
]


def test_every_provider_the_sanitiser_keeps_is_one_we_can_show():
    assert [provider.name for provider in PROVIDERS] == list(EMBED_PROVIDERS)


@pytest.mark.parametrize(("url", "provider", "canonical", "frame"), ACCEPTED)
def test_a_providers_address_is_embedded_by_its_canonical_address(
    url, provider, canonical, frame
):
    embed = find_embed(url)
    assert embed is not None
    assert embed.provider.name == provider
    assert embed.url == canonical
    assert embed.frame_url == frame
    assert embed_error(url) is None


def test_every_provider_has_an_address_that_is_accepted():
    assert {provider for _url, provider, _c, _f in ACCEPTED} == set(EMBED_PROVIDERS)


@pytest.mark.parametrize("url", REFUSED)
def test_any_other_address_is_refused_with_the_providers_named(url):
    assert find_embed(url) is None
    message = embed_error(url)
    assert message is not None
    assert url in message
    for label in ["YouTube", "X", "Instagram", "Naver TV", "niconico"]:
        assert label in message


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_the_refusal_names_every_provider_as_the_cards_do(language):
    with translation.override(language):
        message = embed_error("https://vimeo.com/76979871")
        assert message is not None
        for provider in PROVIDERS:
            assert str(provider.label) in message, provider.name


def test_videos_are_framed_wide_and_posts_tall():
    embeds = [find_embed(url) for url, *_rest in ACCEPTED]
    shapes = {embed.provider.name: embed.aspect for embed in embeds if embed}
    assert None not in embeds
    assert shapes == {
        "youtube": "16:9",
        "navertv": "16:9",
        "niconico": "16:9",
        "x": "4:5",
        "instagram": "4:5",
    }


def test_readers_pages_may_frame_exactly_the_providers_frame_hosts():
    assert FRAME_ORIGINS == (
        "https://www.youtube-nocookie.com",
        "https://platform.twitter.com",
        "https://www.instagram.com",
        "https://tv.naver.com",
        "https://embed.nicovideo.jp",
    )
    for url, *_rest in ACCEPTED:
        embed = find_embed(url)
        assert embed is not None
        frame = embed.frame_url
        assert any(frame.startswith(f"{origin}/") for origin in FRAME_ORIGINS)


# --- a story body's embeds -----------------------------------------------------


def test_the_stored_form_survives_the_sanitiser_and_is_accepted():
    body = sanitize_html(
        "<p>영상:</p>" + stored("youtube", YOUTUBE) + stored("x", X_POST)
    )
    assert '<figure data-embed="youtube"><a href="' + YOUTUBE in body
    assert body_embed_errors(body) == []


def test_each_embed_of_a_body_with_a_refused_address_gets_its_message():
    body = sanitize_html(
        stored("youtube", YOUTUBE)
        + stored("youtube", "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ")
        + "<p><a href='https://evil.example/'>an ordinary link</a></p>"
        + stored("x", "https://x.com/jack")
    )
    errors = body_embed_errors(body)
    assert len(errors) == 2
    assert "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ" in errors[0]
    assert "https://x.com/jack" in errors[1]


def test_an_address_read_from_the_body_is_unescaped_first():
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42"
    body = sanitize_html(stored("youtube", url.replace("&", "&amp;")))
    assert "&amp;t=42" in body
    assert body_embed_errors(body) == []


def test_an_embed_named_after_another_provider_is_refused():
    errors = body_embed_errors(stored("youtube", X_POST))
    assert len(errors) == 1
    assert X_POST in errors[0]


def test_an_embed_whose_address_the_sanitiser_dropped_is_refused():
    body = sanitize_html(stored("youtube", "javascript:alert(1)"))
    assert "href" not in body
    assert body_embed_errors(body) == [
        "An embed has no address: remove it or insert it again."
    ]


def test_a_body_without_embeds_has_nothing_to_refuse():
    assert body_embed_errors("") == []
    assert body_embed_errors('<p><a href="http://evil.example/">link</a></p>') == []


# --- the reader's card ---------------------------------------------------------


def test_the_card_names_the_provider_and_loads_nothing_until_asked():
    card = render_embed("youtube", "https://youtu.be/dQw4w9WgXcQ?si=Tr4ck1ng")
    assert card.startswith('<figure class="embed embed--youtube embed--16x9">')
    assert '<p class="embed-provider">YouTube</p>' in card
    assert "YouTube may set cookies and will see your IP address." in card
    # The canonical address as a plain link, the share link's tracking left out.
    assert (
        '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener '
        'noreferrer">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a>'
    ) in card
    assert "Tr4ck1ng" not in card
    (button,) = re.findall(r"<button [^>]*>[^<]*</button>", card)
    assert 'type="button"' in button
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in (
        button
    )
    assert 'data-embed-title="YouTube video"' in button
    assert ">Load the YouTube video</button>" in button
    # Nothing the browser would fetch before the reader presses the button.
    assert re.findall(r"\ssrc=|<img|<iframe|<script|<link|\sstyle=", card) == []


@pytest.mark.parametrize(
    ("provider", "url", "label"),
    [
        ("x", X_POST, "Show the post on X"),
        (
            "instagram",
            "https://www.instagram.com/p/C7xYz_1AbCd/",
            "Show the Instagram post",
        ),
        ("navertv", "https://tv.naver.com/v/52345678", "Load the Naver TV video"),
        ("niconico", "https://nico.ms/sm9", "Load the niconico video"),
    ],
)
def test_each_providers_card_says_what_its_button_loads(provider, url, label):
    card = render_embed(provider, url)
    assert f'class="embed embed--{provider} ' in card
    assert f">{label}</button>" in card


def test_the_cards_addresses_are_escaped():
    # A query the card leaves out, and a frame address with an ampersand.
    card = render_embed("youtube", YOUTUBE + '&x="><script>alert(1)</script>')
    assert "<script" not in card
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in card
    x_card = render_embed("x", X_POST)
    assert (
        'data-embed-src="https://platform.twitter.com/embed/Tweet.html?id=20&amp;dnt=true"'
    ) in x_card


@pytest.mark.parametrize(
    ("provider", "url"),
    [
        ("youtube", "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ"),
        ("youtube", "javascript:alert(1)"),
        ("youtube", X_POST),
        ("vimeo", "https://vimeo.com/76979871"),
    ],
)
def test_no_card_for_an_address_its_provider_does_not_own(provider, url):
    assert render_embed(provider, url) == ""
