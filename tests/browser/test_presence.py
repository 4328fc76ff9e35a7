"""A second editor opening a story sees who has it open; leaving says so."""

import time

import pytest
from playwright.sync_api import expect

from articles.models import StoryPresence
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_story(browser, live_server, username: str, story):
    UserFactory(username=username, role="editor")
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    return context, page


def test_the_second_editor_sees_the_first_and_the_first_leaving(browser, live_server):
    story = ArticleFactory()
    first_context, first = open_story(browser, live_server, "mina", story)
    expect(first.locator(".desk-presence")).to_be_empty()
    second_context, second = open_story(browser, live_server, "joon", story)
    expect(second.locator(".desk-presence")).to_contain_text(
        "mina is editing this story since"
    )
    first.goto(f"{live_server.url}/admin/")  # the page is left: a beacon says so
    deadline = time.monotonic() + 10
    while StoryPresence.objects.filter(user__username="mina").exists():
        assert time.monotonic() < deadline, "leaving the page was not recorded"
        time.sleep(0.2)
    first_context.close()
    second_context.close()
