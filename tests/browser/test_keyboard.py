"""A story can be written, saved and published with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, condition: str, limit: int = 250) -> None:
    """Press Tab until `condition` (JavaScript, about document.activeElement) holds."""
    for _press in range(limit):
        if page.evaluate(
            f"() => {{ const e = document.activeElement; return {condition} }}"
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached: {condition}")


def test_an_editor_writes_and_publishes_a_story_without_a_mouse(browser, live_server):
    CategoryFactory(name_ko="사회")
    UserFactory(username="mina", role="editor")
    context = browser.new_context(locale="ko")
    context.add_cookies(
        [{"name": "django_language", "value": "ko", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    tab_to(page, "e && e.id === 'id_username'")
    page.keyboard.type("mina")
    page.keyboard.press("Tab")
    page.keyboard.type("pw")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")

    # From the front page to a new story: the "write a story" link.
    tab_to(page, "e && e.classList.contains('desk-new-story')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/articles/article/add/")
    page.wait_for_function(
        "() => document.querySelector('.prose-editor [contenteditable]')"
    )

    tab_to(page, "e && e.id === 'id_headline_ko'")
    page.keyboard.type("키보드로 쓴 기사")
    tab_to(page, "e && e.closest && e.closest('.prose-editor') && e.isContentEditable")
    page.keyboard.type("마우스 없이 끝까지 썼다.")
    tab_to(page, "e && e.id === 'id_category'")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_category")).not_to_have_value("")

    # Save first, then publish from the action bar at the top.
    tab_to(page, "e && e.name === '_continue'", limit=400)
    page.keyboard.press("Enter")
    page.wait_for_url("**/change/")
    story = Article.objects.get(headline_ko="키보드로 쓴 기사")
    assert story.status == Article.Status.DRAFT
    page.keyboard.press("Tab")
    tab_to(page, "e && e.name === '_workflow' && e.value === 'publish'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.body_ko == "<p>마우스 없이 끝까지 썼다.</p>"
    context.close()
