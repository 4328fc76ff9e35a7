"""A translator brings an outdated Japanese translation up to date in the workspace."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.services import article_save
from articles.tests.factories import ArticleFactory, UserFactory
from tests.browser.desk import desk_page
from translations.models import GlossaryTerm, LanguagePolicy, TranslationState

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_outdated_translation_is_brought_up_to_date_reviewed_and_published(
    browser, live_server
):
    """The issue's proof, from the translator's first look to the reader's page."""
    LanguagePolicy.objects.update_or_create(
        language="ja", defaults={"needs_review": True}
    )
    translator = UserFactory(username="yuki", role="translator", languages=("ja",))
    editor = UserFactory(username="mina", role="editor")
    # An older story taught the memory a close sentence, in an older spelling.
    earlier = ArticleFactory(
        source_language="ko",
        headline_ko="배수로 점검",
        dek_ko="",
        body_ko="<p>빗물 터널이 <strong>어제</strong> 모두 열렸다.</p>",
        without_ja=True,
        without_en=True,
    )
    earlier.headline_ja = "排水路の点検"
    earlier.body_ja = "<p>雨水路が<strong>昨日</strong>すべて開いた。</p>"
    article_save(
        article=earlier,
        user=translator,
        changed_fields=["headline_ja", "body_ja"],
        loaded_version=earlier.version,
    )
    GlossaryTerm.objects.create(name_ko="빗물 터널", name_ja="雨水トンネル")
    story = ArticleFactory(
        source_language="ko",
        headline_ko="빗물 터널 개통",
        dek_ko="",
        body_ko="<h2>개통식</h2><p>빗물 터널이 <strong>오늘</strong> 열렸다.</p>",
        headline_ja="雨水トンネルが開通",
        dek_ja="",
        body_ja="<h2>開通式</h2><p>雨水トンネルが<strong>今日</strong>開いた。</p>",
        without_en=True,
    )
    story.body_ko = "<h2>개통식</h2><p>빗물 터널이 <strong>어제</strong> 열렸다.</p>"
    article_save(
        article=story, user=editor, changed_fields=["body_ko"], loaded_version=1
    )
    ja = TranslationState.objects.get(article=story, language="ja")
    assert ja.status == TranslationState.Status.OUTDATED

    context, page = desk_page(browser, live_server, "yuki", "ja")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/translate/ja/")
    # Only the changed segment is marked, with the difference in the source.
    changed = page.locator(".segment.seg-changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".segment-diff")).to_contain_text("어제")
    expect(page.locator(".segment.seg-done")).to_have_count(2)
    # The memory offers the close sentence; the translator takes it.
    changed.locator("textarea").focus()
    # The memory offers its close sentences (the story's own old one too);
    # the translator takes the other story's.
    offered = changed.locator(".segment-matches li").filter(has_text="すべて")
    expect(offered).to_have_count(1)
    offered.get_by_role("button", name="使う").click()
    box = changed.locator("textarea")
    expect(box).to_have_value("雨水路が{1}昨日{/1}すべて開いた。")
    # Marking it done fails the glossary check: the old spelling is named at
    # the top and what was typed is kept.
    page.get_by_role("button", name="完了にする").first.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("雨水トンネル")
    expect(page.locator(".segment.seg-changed textarea")).to_have_value(
        "雨水路が{1}昨日{/1}すべて開いた。"
    )
    page.locator(".segment.seg-changed textarea").fill(
        "雨水トンネルが{1}昨日{/1}開いた。"
    )
    page.get_by_role("button", name="完了にする").first.click()
    expect(page.get_by_role("heading", name="レビュー待ち")).to_be_visible()
    story.refresh_from_db()
    assert story.body_ja == (
        "<h2>開通式</h2><p>雨水トンネルが<strong>昨日</strong>開いた。</p>"
    )
    context.close()

    # The reviewer reads it side by side and approves it.
    context, page = desk_page(browser, live_server, "mina", "ko")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/translate/ja/")
    expect(page.locator("#seg-body\\:1")).to_have_value(
        "雨水トンネルが{1}昨日{/1}開いた。"
    )
    page.get_by_role("button", name="번역 승인").click()
    page.wait_for_load_state("load")
    assert TranslationState.objects.get(article=story, language="ja").status == (
        TranslationState.Status.UP_TO_DATE
    )
    reader = context.new_page()
    reader.goto(
        f"{live_server.url}{Article.objects.get(pk=story.pk).get_absolute_url('ja')}"
    )
    expect(reader.locator(".story-body")).to_contain_text("昨日開いた")
    expect(reader.locator(".translation-behind")).to_have_count(0)
    context.close()


def test_with_review_on_a_reviewer_approves_and_readers_get_it(browser, live_server):
    LanguagePolicy.objects.update_or_create(
        language="ja", defaults={"needs_review": True}
    )
    UserFactory(username="yuki", role="translator", languages=("ja",))
    UserFactory(username="mina", role="editor")
    story = ArticleFactory(
        source_language="ko",
        headline_ko="항구 야경",
        dek_ko="",
        body_ko="<p>항구의 밤이 밝다.</p>",
        without_ja=True,
        without_en=True,
    )
    context, page = desk_page(browser, live_server, "yuki", "ja")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/translate/ja/")
    page.locator("#seg-headline").fill("港の夜景")
    page.locator("#seg-body\\:0").fill("港の夜は明るい。")
    page.get_by_role("button", name="完了にする").first.click()
    expect(page.get_by_role("heading", name="レビュー待ち")).to_be_visible(
        timeout=15_000
    )
    # Not by the one who translated it.
    expect(page.get_by_role("button", name="翻訳を承認")).to_have_count(0)
    reader = context.new_page()
    story_url = Article.objects.get(pk=story.pk).get_absolute_url("ja")
    assert reader.goto(f"{live_server.url}{story_url}").status == 404
    context.close()

    context, page = desk_page(browser, live_server, "mina", "ko")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/translate/ja/")
    # The reviewer reads it side by side and approves it there.
    expect(page.locator("#seg-body\\:0")).to_have_value("港の夜は明るい。")
    page.get_by_role("button", name="번역 승인").click()
    reader = context.new_page()
    assert reader.goto(f"{live_server.url}{story_url}").status == 200
    expect(reader.locator(".story-body")).to_contain_text("港の夜は明るい。")
    context.close()


def test_a_close_match_is_offered_on_reaching_a_segment_and_used(browser, live_server):
    translator = UserFactory(username="yuki", role="translator", languages=("ja",))
    first = ArticleFactory(
        source_language="ko",
        headline_ko="강풍 특보",
        dek_ko="",
        body_ko="<p>기상청은 남해안에 강풍 특보를 내리고 선박 운항을 통제했다.</p>",
        without_ja=True,
        without_en=True,
    )
    first.headline_ja = "強風特報"
    first.body_ja = "<p>気象庁は南海岸に強風特報を出し、船舶の運航を規制した。</p>"
    article_save(
        article=first,
        user=translator,
        changed_fields=["headline_ja", "body_ja"],
        loaded_version=first.version,
    )
    second = ArticleFactory(
        source_language="ko",
        headline_ko="여객선 통제",
        dek_ko="",
        body_ko="<p>기상청은 남해안에 강풍 특보를 내리고 여객선 운항을 통제했다.</p>",
        without_ja=True,
        without_en=True,
    )
    context, page = desk_page(browser, live_server, "yuki", "ja")
    page.goto(f"{live_server.url}/admin/articles/article/{second.pk}/translate/ja/")
    page.locator("#seg-body\\:0").focus()
    offered = page.locator(".segment-matches li")
    expect(offered).to_have_count(1)
    expect(offered).to_contain_text("船舶の運航を規制した")
    offered.get_by_role("button", name="使う").click()
    expect(page.locator("#seg-body\\:0")).to_have_value(
        "気象庁は南海岸に強風特報を出し、船舶の運航を規制した。"
    )
    context.close()
