"""A translator finds an outdated story on the dashboard and brings it up to date."""

import pytest
from playwright.sync_api import expect

from articles import services as article_services
from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from translations.models import TranslationState

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_translator_brings_an_outdated_translation_up_to_date(
    recorded_page, live_server
):
    page = recorded_page.page
    translator = UserFactory(username="yuki", role="translator", languages=("ja",))
    editor = UserFactory(username="mina", role="editor")
    story = ArticleFactory(
        source_language="ko",
        headline_ko="항구 야간 여객선 운항 재개",
        dek_ko="야간 여객선이 석 달 만에 다시 다닌다.",
        headline_ja="港の夜間フェリー運航再開",
        dek_ja="夜間フェリーが3か月ぶりに運航を再開する。",
        without_en=True,
    )
    story = Article.objects.get(pk=story.pk)
    story.dek_ko = "야간 여객선이 넉 달 만에 다시 다닌다."
    article_services.article_save(
        article=story,
        user=editor,
        changed_fields=["dek_ko"],
        loaded_version=story.version,
    )

    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", translator.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/translations/translationstate/")

    # Their language comes first; the story's Japanese cell says what it needs.
    headers = page.locator(".translation-matrix thead th[lang]").all_inner_texts()
    assert headers[0].casefold() == "japanese"
    cell = page.locator(".translation-matrix tbody tr", has_text=story.headline_ko)
    cell = cell.locator("td.translation-outdated")
    expect(cell).to_contain_text("outdated")
    cell.get_by_role("link", name="Translate").click()

    # The workspace marks the one segment whose source changed, with the
    # difference; the story's own form shows the same on its panel.
    changed = page.locator(".segment.seg-changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".segment-diff del")).to_contain_text("석")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    panel = page.locator("#translations")
    expect(panel).to_contain_text("석 달")
    expect(panel).to_contain_text("넉 달")
    expect(panel.locator("del")).to_contain_text("석")
    # The Korean source is read-only for a translator.
    assert page.locator("#id_dek_ko").count() == 0

    dek_tabs = page.locator(".ui-tabs", has=page.locator("#id_dek_ja"))
    dek_tabs.locator(".ui-tabs-nav li", has_text="JA").click()
    page.fill("#id_dek_ja", "夜間フェリーが4か月ぶりに運航を再開する。")
    page.click("input[name=_continue]")
    expect(page.locator("#translations")).to_contain_text("up to date")

    state = TranslationState.objects.get(article=story, language="ja")
    assert (state.status, state.translated_by) == ("up_to_date", translator)
    assert recorded_page.external_requests == []
