"""Embeds on a reader's story page: nothing reaches a provider before a click."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory
from tests.browser.test_admin_and_site import body_editor
from tests.browser.test_editor import open_story, save

pytestmark = pytest.mark.django_db(transaction=True)

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
X_POST = "https://x.com/jack/status/20"
# What the browser asks for without any network: not a request to a host.
LOCAL_SCHEMES = ("data:", "about:", "blob:", "chrome-error:")


def stored(provider: str, url: str) -> str:
    """Return an embed as the editor writes it into a story body."""
    return f'<figure data-embed="{provider}"><a href="{url}">{url}</a></figure>'


@pytest.fixture
def reader(browser, live_server):
    """Return a reader's page and the requests it made to any other host.

    Those requests are recorded, then aborted: the test never reaches YouTube
    or X, whatever the page does.
    """
    context = browser.new_context(locale="ko-KR")
    context.route(
        lambda url: not url.startswith((live_server.url, *LOCAL_SCHEMES)),
        lambda route: route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, *LOCAL_SCHEMES))
            else elsewhere.append(request.url)
        ),
    )
    yield page, elsewhere
    context.close()


def test_a_providers_frame_loads_only_once_the_reader_asks_for_it(reader, live_server):
    page, elsewhere = reader
    article = ArticleFactory(
        body_ko="<p>부산항에서 촬영한 영상.</p>"
        + stored("youtube", YOUTUBE)
        + "<p>해양수산부의 발표.</p>"
        + stored("x", X_POST)
    )
    with translation.override("ko"):
        story = article.get_absolute_url()
        load_video = gettext("Load the YouTube video")
        show_post = gettext("Show the post on X")
        video_title = gettext("YouTube video")
        youtube_label = gettext("YouTube")

    page.goto(f"{live_server.url}{story}")
    page.wait_for_load_state("networkidle")
    youtube = page.locator("figure.embed--youtube")
    x = page.locator("figure.embed--x")
    expect(youtube.locator(".embed-provider")).to_have_text(youtube_label)
    expect(youtube.get_by_role("link", name=YOUTUBE)).to_have_attribute("href", YOUTUBE)
    expect(x.get_by_role("link", name=X_POST)).to_have_attribute("href", X_POST)
    # The cards are all there is: not a single request to another host.
    assert page.locator("iframe").count() == 0
    assert elsewhere == []

    with page.expect_request("https://www.youtube-nocookie.com/**") as frame_request:
        youtube.get_by_role("button", name=load_video).click()
    assert frame_request.value.url == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    frame = youtube.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    expect(frame).to_have_attribute("title", video_title)
    expect(frame).to_have_attribute(
        "sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation"
    )
    expect(frame).to_be_focused()
    expect(youtube.get_by_role("button")).to_have_count(0)
    # The link stays, for readers who would rather watch it on YouTube.
    expect(youtube.get_by_role("link", name=YOUTUBE)).to_be_visible()

    page.wait_for_load_state("networkidle")
    assert elsewhere
    assert all(
        url.startswith("https://www.youtube-nocookie.com/") for url in elsewhere
    ), elsewhere
    expect(x.locator("iframe")).to_have_count(0)

    # The other card's button works from the keyboard too.
    with page.expect_request("https://platform.twitter.com/**"):
        x.get_by_role("button", name=show_post).focus()
        page.keyboard.press("Enter")
    expect(x.locator("iframe")).to_have_attribute(
        "src", "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true"
    )


def test_the_editor_embeds_an_allowed_address_and_refuses_any_other(
    recorded_page, live_server
):
    page = recorded_page.page
    article = ArticleFactory(body_ko="<p>첫 문단.</p>")
    open_story(page, live_server, article)
    editor = body_editor(page, "ko")
    editor.evaluate("element => element.editor.commands.focus('end')")
    expect(editor).to_be_focused()
    container = page.locator(".prose-editor", has=page.locator("#id_body_ko"))
    container.locator('button[data-name="embed"]').click()

    look_alike = "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ"
    page.locator("dialog[open] input").fill(look_alike)
    page.locator("dialog[open] button[type=submit]").click()
    # Asked again, with the refusal and the address as typed.
    expect(page.locator("dialog[open]")).to_contain_text(look_alike)
    expect(page.locator("dialog[open] input")).to_have_value(look_alike)
    expect(editor.locator("figure")).to_have_count(0)

    # Typed without its scheme, as from the address bar's short form.
    page.locator("dialog[open] input").fill("youtu.be/dQw4w9WgXcQ")
    page.locator("dialog[open] button[type=submit]").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    # The desk speaks Korean here: the provider is named as on readers' cards.
    with translation.override("ko"):
        youtube_label = gettext("YouTube")
    expect(editor.locator("figure")).to_have_text(
        f"{youtube_label}: https://youtu.be/dQw4w9WgXcQ"
    )
    save(page, live_server)

    article.refresh_from_db()
    assert article.body_ko == (
        "<p>첫 문단.</p>"
        '<figure data-embed="youtube"><a href="https://youtu.be/dQw4w9WgXcQ"'
        ' rel="noopener noreferrer">https://youtu.be/dQw4w9WgXcQ</a></figure>'
    )
    assert recorded_page.external_requests == []
