"""A closed tab loses nothing: the form's changes come back on the next visit."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, WorkingCopy
from articles.tests.factories import ArticleFactory, UserFactory
from tests.browser.desk import desk_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_changes_kept_while_typing_come_back_after_the_tab_closes(browser, live_server):
    story = ArticleFactory(headline_ko="원래 제목")
    UserFactory(username="mina", role="editor")
    context, page = desk_page(browser, live_server, "mina", "ko")
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(url)
    page.fill("#id_headline_ko", "고치던 제목")
    # Kept within a few seconds, without saving the story.
    for _ in range(50):
        if WorkingCopy.objects.filter(article=story).exists():
            break
        page.wait_for_timeout(200)
    assert WorkingCopy.objects.filter(article=story).exists()
    page.close()  # the tab closes

    page = context.new_page()
    page.goto(url)
    notice = page.locator(".desk-working-copy")
    expect(notice).to_contain_text("저장하지 않은 내용")
    expect(page.locator("#id_headline_ko")).to_have_value("원래 제목")
    notice.get_by_role("button", name="그 내용으로 되돌리기").click()
    expect(page.locator("#id_headline_ko")).to_have_value("고치던 제목")
    page.locator(".desk-action-bar input[name=_save]").click()
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    assert Article.objects.get(pk=story.pk).headline_ko == "고치던 제목"
    assert not WorkingCopy.objects.exists()
    context.close()


def test_a_new_story_never_saved_comes_back_after_the_tab_closes(browser, live_server):
    UserFactory(username="jiwoo", role="reporter")
    context, page = desk_page(browser, live_server, "jiwoo", "ko")
    url = f"{live_server.url}/admin/articles/article/add/"
    page.goto(url)
    page.fill("#id_headline_ko", "쓰다 만 새 기사")
    for _ in range(50):
        if WorkingCopy.objects.filter(article=None).exists():
            break
        page.wait_for_timeout(200)
    assert WorkingCopy.objects.filter(article=None).exists()
    page.close()

    page = context.new_page()
    page.goto(url)
    notice = page.locator(".desk-working-copy")
    expect(notice).to_contain_text("새 기사를 쓰다가 저장하지 않았습니다")
    notice.get_by_role("button", name="그 내용으로 되돌리기").click()
    expect(page.locator("#id_headline_ko")).to_have_value("쓰다 만 새 기사")
    page.locator(".desk-action-bar input[name=_save]").click()
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    assert Article.objects.get().headline_ko == "쓰다 만 새 기사"
    assert not WorkingCopy.objects.exists()
    context.close()
