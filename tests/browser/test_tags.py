import pytest
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory
from tags.models import Tag
from tests.browser.test_admin_and_site import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_a_tags_japanese_name_suggests_it_and_saves_the_same_tag(
    recorded_page, live_server
):
    page = recorded_page.page
    semiconductors = Tag.objects.create(
        name_ko="반도체", name_ja="半導体", name_en="Semiconductors"
    )
    article = ArticleFactory()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    field = page.locator("#id_tags")
    field.click()
    field.press_sequentially("서울、半導")
    option = page.get_by_role("option").filter(has_text="半導体")
    expect(option).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    # The chosen tag is written in the editor's admin language (Korean here).
    expect(field).to_have_value("서울、반도체, ")

    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    tags = set(article.tags.all())
    assert semiconductors in tags
    assert {tag.name_ko for tag in tags} == {"반도체", "서울"}
    assert Tag.objects.count() == 2
    assert recorded_page.external_requests == []
