"""A reporter finds a picture by its Japanese caption and sees it before choosing."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from images.tests.factories import ImageFactory
from tests.browser.desk import desk_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_feature_picture_is_chosen_by_its_caption_with_a_preview(
    browser, live_server
):
    reporter = UserFactory(username="jiwoo", role="reporter")
    story = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=reporter
    )
    crane = ImageFactory(
        alt_text_ko="저녁 부두의 크레인", caption_ja="夕方の港のクレーン"
    )
    ImageFactory(alt_text_ko="바닷가 모래밭", caption_ja="砂浜")
    context, page = desk_page(browser, live_server, "jiwoo", "ko")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector("#id_feature_image[data-dressed]", state="attached")
    page.locator(".field-feature_image .select2-selection").click()
    page.locator(".select2-search__field").fill("港のクレーン")
    result = page.locator(".select2-results__option .picker-card")
    expect(result).to_have_count(1)
    expect(result.locator("img")).to_have_count(1)
    expect(result).to_contain_text("저녁 부두의 크레인")
    result.click()
    preview = page.locator(".field-feature_image .feature-preview")
    expect(preview).to_contain_text("저녁 부두의 크레인")
    expect(preview).to_have_attribute("aria-label", "고른 사진")
    page.locator(".desk-action-bar input[name=_continue]").click()
    page.wait_for_load_state("load")
    story.refresh_from_db()
    assert story.feature_image == crane
    # Opened again, the chosen picture shows from the start.
    expect(page.locator(".field-feature_image .feature-preview")).to_contain_text(
        "저녁 부두의 크레인"
    )
    context.close()
