"""Content-Security-Policy and Permissions-Policy on readers' pages and the desk."""

import base64
import gzip
import hashlib
import importlib
import re
from pathlib import Path

import pytest
import reversion
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from articles.tests.factories import ArticleFactory
from images.tests.factories import ImageFactory
from newsroom.headers import DESK_POLICY, TIPTAP_STYLE_HASH

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"
CSP_REPORT_ONLY = "Content-Security-Policy-Report-Only"

# Inline <script> elements a browser runs (data blocks such as JSON-LD don't).
EXECUTABLE_TYPES = {"", "text/javascript", "module", "importmap"}


def directives(header: str) -> dict[str, list[str]]:
    """Return a policy's directives as {name: [source, ...]}."""
    parsed = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def inline_scripts(html: str) -> list[dict[str, str]]:
    """Return the attributes of each inline script the browser would run."""
    scripts = []
    for attributes in re.findall(r"<script\b([^>]*)>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        if "src" not in attrs and attrs.get("type", "") in EXECUTABLE_TYPES:
            scripts.append(attrs)
    return scripts


def story_url(article, language: str = "ko") -> str:
    with translation.override(language):
        return article.get_absolute_url()


@pytest.fixture
def story():
    return ArticleFactory(feature_image=ImageFactory())


def reader_pages(story) -> list[str]:
    return [
        "/ko/",
        story_url(story, "ko"),
        story_url(story, "ja"),
        "/en/search/?q=port",
        "/ko/no-such-page/",
    ]


def test_reader_pages_allow_only_our_own_scripts_styles_and_pictures(client, story):
    for url in reader_pages(story):
        response = client.get(url)
        policy = directives(response[CSP])
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        # Not production: the test server speaks plain HTTP.
        assert "upgrade-insecure-requests" not in policy, url
        assert CSP_REPORT_ONLY not in response, url


def test_reader_pages_may_frame_only_the_embed_providers(client, story):
    for url in reader_pages(story):
        policy = directives(client.get(url)[CSP])
        assert policy["frame-src"] == [
            "https://www.youtube-nocookie.com",
            "https://platform.twitter.com",
            "https://www.instagram.com",
            "https://tv.naver.com",
            "https://embed.nicovideo.jp",
        ], url
        assert policy["frame-ancestors"] == ["'none'"], url


def test_reader_pages_have_nothing_inline_the_policy_would_block(client, story):
    for url in reader_pages(story):
        html = client.get(url).content.decode()
        assert inline_scripts(html) == [], url
        assert re.findall(r"<style\b|\sstyle=|\son[a-z]+=", html) == [], url


def test_a_story_page_keeps_its_json_ld_which_browsers_do_not_run(client, story):
    html = client.get(story_url(story)).content.decode()
    assert '<script type="application/ld+json">' in html


def test_media_on_another_host_may_be_shown_on_readers_pages(client, story):
    with override_settings(MEDIA_URL="https://media.newsroom.example/files/"):
        policy = directives(client.get("/ko/")[CSP])
    assert policy["img-src"] == [
        "'self'",
        "data:",
        "https://media.newsroom.example",
    ]


def test_the_desk_login_runs_no_inline_script(client):
    response = client.get(reverse("admin:login"))
    policy = directives(response[CSP])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert inline_scripts(response.content.decode()) == []


def test_a_story_form_runs_only_the_editors_import_map_by_its_nonce(desk, story):
    response = desk.get(reverse("admin:articles_article_change", args=[story.pk]))
    policy = directives(response[CSP])
    (nonce_source,) = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert policy["script-src"] == ["'self'", nonce_source]
    assert "'unsafe-eval'" not in response[CSP]
    scripts = inline_scripts(response.content.decode())
    assert [script["type"] for script in scripts] == ["importmap"]
    assert f"'nonce-{scripts[0]['nonce']}'" == nonce_source
    assert policy["frame-ancestors"] == ["'none'"]
    # The editor shows embeds as their addresses, never a provider's frame.
    assert policy["frame-src"] == ["'self'"]


def test_desk_pages_have_nothing_inline_but_the_import_map(desk, story):
    for headline in ["부두 증설", "부두 증설 착공"]:
        story.headline_ko = headline
        with reversion.create_revision():
            story.save()
    newest, oldest = Version.objects.get_for_object(story)
    compare = reverse("admin:articles_article_revisions_compare", args=[story.pk])
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_revisions", args=[story.pk]),
        f"{compare}?from={oldest.pk}&to={newest.pk}",
        reverse("admin:translations_translationstate_changelist"),
        reverse("admin:translations_import"),
    ]:
        response = desk.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert {s["type"] for s in inline_scripts(html)} <= {"importmap"}, url
        assert re.findall(r"<style\b|\sstyle=|\son[a-z]+=", html) == [], url
        assert "'unsafe-inline'" not in response[CSP], url


def test_the_desk_allows_the_editors_own_stylesheet_by_its_hash():
    """Tiptap injects this stylesheet; a new version needs the new hash."""
    bundle = Path(finders.find("django_prose_editor/editor.js")).read_text()
    (stylesheet,) = re.findall(
        r"`(\.ProseMirror \{\n  position: relative;.*?)`", bundle, re.S
    )
    digest = base64.b64encode(hashlib.sha256(stylesheet.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == TIPTAP_STYLE_HASH
    assert DESK_POLICY["style-src"] == ["'self'", TIPTAP_STYLE_HASH]


def test_every_request_gets_a_new_nonce(desk, story):
    url = reverse("admin:articles_article_change", args=[story.pk])
    first, second = (directives(desk.get(url)[CSP])["script-src"] for _ in "12")
    assert first != second


def test_report_only_mode_reports_the_same_policies_and_blocks_nothing(desk, story):
    def without_nonce(header: str) -> str:
        return re.sub(r" 'nonce-[^']+'", "", header)

    for url in [
        "/ko/",
        story_url(story),
        reverse("admin:login"),
        reverse("admin:articles_article_change", args=[story.pk]),
    ]:
        enforced = desk.get(url)[CSP]
        with override_settings(NEWSROOM_CSP_REPORT_ONLY=True):
            response = desk.get(url)
        assert CSP not in response, url
        reported = response[CSP_REPORT_ONLY]
        assert without_nonce(reported) == without_nonce(enforced), url
        assert "report-uri" not in directives(reported), url


@override_settings(
    NEWSROOM_CSP_REPORT_ONLY=True,
    NEWSROOM_CSP_REPORT_URI="https://reports.newsroom.example/csp",
)
def test_report_only_mode_sends_reports_where_the_operator_says(client):
    policy = directives(client.get(reverse("admin:login"))[CSP_REPORT_ONLY])
    assert policy["report-uri"] == ["https://reports.newsroom.example/csp"]


@override_settings(NEWSROOM_CSP_REPORT_URI="https://reports.newsroom.example/csp")
def test_an_enforced_policy_reports_too_when_told_where(client):
    policy = directives(client.get("/ko/")[CSP])
    assert policy["report-uri"] == ["https://reports.newsroom.example/csp"]


def test_production_asks_browsers_to_upgrade_plain_http_requests(client):
    production = importlib.import_module("newsroom.settings.production")
    upgrade = production.NEWSROOM_CSP_UPGRADE_INSECURE_REQUESTS
    with override_settings(NEWSROOM_CSP_UPGRADE_INSECURE_REQUESTS=upgrade):
        assert "upgrade-insecure-requests" in directives(client.get("/ko/")[CSP])
        # Browsers ignore it in a report-only policy (and say so in the console).
        with override_settings(NEWSROOM_CSP_REPORT_ONLY=True):
            report_only = directives(client.get("/ko/")[CSP_REPORT_ONLY])
        assert "upgrade-insecure-requests" not in report_only


@pytest.mark.parametrize(
    "url",
    ["/", "/ko/", "/ko/feeds/rss.xml", "/ko/no-such-page/", "/admin/login/"],
)
def test_every_response_denies_features_a_news_site_never_uses(client, url):
    response = client.get(url)
    features = dict(
        feature.strip().split("=")
        for feature in response["Permissions-Policy"].split(",")
    )
    for feature in [
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "browsing-topics",
        "interest-cohort",
    ]:
        assert features[feature] == "()", feature
    # Share buttons use the system share sheet and the clipboard.
    assert "web-share" not in features
    assert "clipboard-write" not in features


@pytest.mark.django_db
def test_a_reader_page_is_gzipped_for_a_client_that_takes_it(client):
    story = ArticleFactory(headline_ja="港の夜景が戻った")
    plain = client.get(story.get_absolute_url("ja"))
    packed = client.get(story.get_absolute_url("ja"), HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content).decode() == plain.content.decode()
    assert len(packed.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain
