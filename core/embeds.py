"""Embeds from a short allow-list of providers: which addresses, shown how.

A story body stores an embed as the provider's address, <figure data-embed=
"youtube"><a href="https://www.youtube.com/watch?v=…">…</a></figure> (the
sanitiser in core/richtext.py keeps exactly that). Readers see a link card;
the provider's frame loads only when the reader asks for it (static/js/
embeds.js), so nothing is requested from the provider before that click.
static/js/editor/embeds.js knows the same addresses, for the editor's refusal;
what is saved is checked here.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.placeholders import embeds

# A pasted address is plain ASCII without spaces; anything else (a look-alike
# letter, a backslash a browser reads as "/") is refused before parsing.
_PRINTABLE_ASCII = re.compile(r"[!-\[\]-~]+")
# What may follow a post's or video's path: a share link's query (?s=20,
# ?igsh=…, ?si=…), which the canonical address leaves out.
_QUERY = r"(?:\?.*)?"


@dataclass(frozen=True)
class Provider:
    """A provider whose posts or videos a story may embed."""

    name: str  # as stored in data-embed, one of core.richtext.EMBED_PROVIDERS
    label: str | Promise
    # Matched against "host/path?query" of an https address without userinfo
    # or port; each has an "id" group and may have a "kind" group.
    patterns: tuple[re.Pattern[str], ...] = field(repr=False)
    canonical_url: str  # formatted with id (and kind)
    frame_url: str  # formatted with id
    frame_title: str | Promise
    load_label: str | Promise
    aspect: str  # width:height of the frame

    @property
    def frame_origin(self) -> str:
        """Return the scheme and host the provider's frame is loaded from."""
        parts = urlsplit(self.frame_url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Embed:
    """A post or video of an allowed provider, as readers get it."""

    provider: Provider
    url: str  # the canonical address, without tracking parameters
    frame_url: str

    @property
    def aspect(self) -> str:
        return self.provider.aspect


def _patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern + _QUERY, re.ASCII) for pattern in patterns)


_YOUTUBE = r"(?:www\.|m\.)?youtube\.com/"
_YOUTUBE_ID = r"(?P<id>[A-Za-z0-9_-]{11})"

PROVIDERS = (
    Provider(
        name="youtube",
        label=_("YouTube"),
        patterns=_patterns(
            _YOUTUBE + r"watch\?(?:.*&)?v=" + _YOUTUBE_ID + r"(?:&.*)?",
            _YOUTUBE + r"(?:shorts|embed|live)/" + _YOUTUBE_ID + "/?",
            r"youtu\.be/" + _YOUTUBE_ID + "/?",
        ),
        canonical_url="https://www.youtube.com/watch?v={id}",
        frame_url="https://www.youtube-nocookie.com/embed/{id}",
        frame_title=_("YouTube video"),
        load_label=_("Load the YouTube video"),
        aspect="16:9",
    ),
    Provider(
        name="x",
        # Translators: the social network formerly called Twitter.
        label=_("X"),
        patterns=_patterns(
            r"(?:www\.|mobile\.)?(?:x|twitter)\.com/(?P<user>[A-Za-z0-9_]{1,15})"
            r"/status/(?P<id>[0-9]{1,20})/?",
        ),
        canonical_url="https://x.com/{user}/status/{id}",
        # dnt: the post is shown without its views counted for personalisation.
        frame_url="https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
        frame_title=_("Post on X"),
        load_label=_("Show the post on X"),
        aspect="4:5",
    ),
    Provider(
        name="instagram",
        label=_("Instagram"),
        patterns=_patterns(
            r"(?:www\.)?instagram\.com/(?P<kind>p|reel)/(?P<id>[A-Za-z0-9_-]{5,40})/?",
        ),
        canonical_url="https://www.instagram.com/{kind}/{id}/",
        frame_url="https://www.instagram.com/p/{id}/embed/",
        frame_title=_("Instagram post"),
        load_label=_("Show the Instagram post"),
        aspect="4:5",
    ),
    Provider(
        name="navertv",
        label=_("Naver TV"),
        patterns=_patterns(r"(?:m\.)?tv\.naver\.com/(?:v|embed)/(?P<id>[0-9]{1,12})/?"),
        canonical_url="https://tv.naver.com/v/{id}",
        frame_url="https://tv.naver.com/embed/{id}",
        frame_title=_("Naver TV video"),
        load_label=_("Load the Naver TV video"),
        aspect="16:9",
    ),
    Provider(
        name="niconico",
        label=_("niconico"),
        patterns=_patterns(
            r"(?:www\.|sp\.)?nicovideo\.jp/watch/(?P<id>s[mo][0-9]{1,12})/?",
            r"nico\.ms/(?P<id>s[mo][0-9]{1,12})/?",
        ),
        canonical_url="https://www.nicovideo.jp/watch/{id}",
        frame_url="https://embed.nicovideo.jp/watch/{id}",
        frame_title=_("niconico video"),
        load_label=_("Load the niconico video"),
        aspect="16:9",
    ),
)
# The only hosts a reader's page may frame (newsroom/headers.py, frame-src).
FRAME_ORIGINS = tuple(dict.fromkeys(provider.frame_origin for provider in PROVIDERS))


def find_embed(url: str) -> Embed | None:
    """Return the embed `url` is the address of, None if no provider allows it."""
    url = url.strip()
    if not _PRINTABLE_ASCII.fullmatch(url):
        return None
    parts = urlsplit(url)
    # The host as typed, so that "user@", ":443" or a trailing dot never pass.
    host = parts.netloc.lower()
    if parts.scheme != "https" or not host or not parts.path.startswith("/"):
        return None
    target = host + parts.path + (f"?{parts.query}" if parts.query else "")
    for provider in PROVIDERS:
        for pattern in provider.patterns:
            if match := pattern.fullmatch(target):
                found = match.groupdict()
                return Embed(
                    provider=provider,
                    url=provider.canonical_url.format(**found),
                    frame_url=provider.frame_url.format(id=found["id"]),
                )
    return None


def embed_error(url: str) -> str | None:
    """Return why `url` cannot be embedded, None if it can."""
    return None if find_embed(url) else _refusal(url)


def _refusal(url: str) -> str:
    return gettext(
        "This address cannot be embedded: %(url)s. Paste the address of a "
        "YouTube video, a post on X, an Instagram post or reel, a Naver TV video "
        "or a niconico video."
    ) % {"url": url}


def body_embed_errors(html: str) -> list[str]:
    """Return a message for each embed in `html` whose address is not allowed."""
    errors = []
    for provider, href in embeds(html):
        if not href:
            errors.append(
                gettext("An embed has no address: remove it or insert it again.")
            )
            continue
        embed = find_embed(href)
        # A provider other than the address's comes only from HTML written by
        # hand (the editor names the address's own): refused all the same.
        if embed is None or embed.provider.name != provider:
            errors.append(_refusal(href))
    return errors


def render_embed(provider: str, url: str) -> SafeString:
    """Return the reader's link card for an embed, "" if `url` is not allowed."""
    embed = find_embed(url)
    if embed is None or embed.provider.name != provider:
        return SafeString("")
    return render_to_string(
        "reader/includes/_embed.html",
        {"embed": embed, "shape": embed.aspect.replace(":", "x")},
    )
