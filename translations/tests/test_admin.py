"""The translation desk over HTTP: the story's language panel and the dashboard."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import article_withhold
from articles.tests.factories import ArticleFactory, CategoryFactory, UserFactory
from core.tests.formdata import form_data
from related.tests.factories import ExternalLinkFactory
from translations.models import TranslationState, WorkspaceDraft
from translations.tests.test_services import JAPANESE, edit, state, translate_image

pytestmark = pytest.mark.django_db
Status = TranslationState.Status
DASHBOARD = reverse("admin:translations_translationstate_changelist")


def as_user(client, user, language: str = "en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def language_url(article: Article, language: str, action: str) -> str:
    return reverse(
        f"admin:articles_article_translation_{action}", args=[article.pk, language]
    )


@pytest.fixture
def translated_story(korean_story, translator, editor) -> Article:
    translate_image(korean_story, "ja", editor)
    edit(korean_story, translator, **JAPANESE)
    return Article.objects.get(pk=korean_story.pk)


def test_the_story_page_shows_what_changed_in_the_source_since_translation(
    client, translated_story, editor
):
    edit(translated_story, editor, dek_ko="터널이 예정보다 일찍 문을 열었다.")
    html = as_user(client, editor).get(change_url(translated_story)).content.decode()
    panel = html[html.index('id="translations"') :]
    panel = panel[: panel.index("</section>")]
    assert '<td class="translation-outdated">outdated</td>' in panel
    assert "The source changed since the Japanese translation was made" in panel
    assert "장마철 침수를 막기 위한 터널이 문을 열었다." in panel  # translated from
    assert "터널이 예정보다 일찍 문을 열었다." in panel  # the source now
    assert "<del>" in panel and "<ins>" in panel
    # English was never translated: no changes listed for it.
    assert panel.count("translation-diff") == 1


def submit(client, article: Article, **changes):
    url = change_url(article)
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def test_the_minor_edit_tick_keeps_translations_up_to_date(
    client, translated_story, editor
):
    as_user(client, editor)
    submit(
        client,
        translated_story,
        dek_ko="장마철 침수를 막기 위한 터널이 문을 열었다!",
        minor_edit="on",
    )
    assert state(translated_story, "ja").status == Status.UP_TO_DATE
    submit(client, translated_story, dek_ko="완전히 바뀐 요약.")
    assert state(translated_story, "ja").status == Status.OUTDATED


def test_a_translator_sees_no_minor_edit_tick(client, translated_story, translator):
    html = as_user(client, translator).get(change_url(translated_story)).content
    assert b'name="minor_edit"' not in html


def test_an_editor_unpublishes_one_language_from_the_story_page(
    client, translated_story, editor
):
    as_user(client, editor)
    url = language_url(translated_story, "ja", "publish")
    assert client.get(url).status_code == 405
    response = client.post(url, {"is_published": "0"})
    assert response.status_code == 302
    assert response["Location"].endswith("#translations")
    client.logout()
    assert client.get(translated_story.get_absolute_url("ja")).status_code == 404
    assert client.get(translated_story.get_absolute_url("ko")).status_code == 200

    as_user(client, editor)
    html = client.get(change_url(translated_story)).content.decode()
    assert "unpublished in this language" in html
    client.post(url, {"is_published": "1"})
    client.logout()
    assert client.get(translated_story.get_absolute_url("ja")).status_code == 200


def test_a_translator_cannot_unpublish_a_language(client, translated_story, translator):
    as_user(client, translator)
    response = client.post(
        language_url(translated_story, "ja", "publish"), {"is_published": "0"}
    )
    assert response.status_code == 403
    assert state(translated_story, "ja").is_published


def test_a_translator_approves_a_translation_awaiting_review(
    client, translated_story, translator
):
    TranslationState.objects.filter(article=translated_story, language="ja").update(
        status=Status.NEEDS_REVIEW
    )
    article_withhold(article=translated_story, language="ja", withheld=True)
    as_user(client, translator)
    html = client.get(change_url(translated_story)).content.decode()
    assert "Approve translation" in html
    response = client.post(language_url(translated_story, "ja", "review"))
    assert response.status_code == 302
    ja = state(translated_story, "ja")
    assert (ja.status, ja.reviewed_by, ja.is_withheld) == (
        Status.UP_TO_DATE,
        translator,
        False,
    )


def test_the_admin_panel_speaks_japanese(client, translated_story, translator):
    html = as_user(client, translator, "ja").get(change_url(translated_story))
    assert "最新" in html.content.decode()


# --- dashboard ---------------------------------------------------------------


def cells(html: str) -> list[tuple[str, str]]:
    """Return (language, state class) of the matrix's cells, row by row."""
    header = re.search(r'class="translation-matrix">.*?</thead>', html, re.S).group(0)
    languages = re.findall(r'<th scope="col" lang="(\w+)">', header)
    states = re.findall(r'<td class="translation-(\w+)">', html)
    return [(languages[i % len(languages)], s) for i, s in enumerate(states)]


def test_the_dashboard_counts_and_filters_states(client, translated_story, editor):
    ArticleFactory(without_en=True)
    edit(translated_story, editor, body_ko="<p>새 본문.</p>")
    html = as_user(client, editor).get(DASHBOARD).content.decode()
    start = html.index('class="translation-counts"')
    counts = html[start : html.index("</table>", start)]
    # Rows: missing, in progress, needs review, up to date, outdated, then the
    # tags with no name in the language; columns ko ja en.
    numbers = [int(n) for n in re.findall(r">(\d+)</a>", counts)]
    assert numbers == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]

    outdated = client.get(DASHBOARD, {"language": "ja", "state": "outdated"})
    assert outdated.context["page"].paginator.count == 1
    assert translated_story.headline_ko in outdated.content.decode()
    assert cells(outdated.content.decode()) == [("ja", "outdated")]


def test_a_translator_sees_their_own_languages_first(
    client, translated_story, translator
):
    html = as_user(client, translator).get(DASHBOARD).content.decode()
    assert cells(html)[:3] == [
        ("ja", "up_to_date"),
        ("ko", "source"),
        ("en", "missing"),
    ]
    assert "Your languages come first." in html


def test_the_dashboard_filters_by_section_and_translator(
    client, translated_story, editor, translator
):
    other = ArticleFactory(category=CategoryFactory())
    as_user(client, editor)
    by_section = client.get(DASHBOARD, {"section": other.category_id})
    assert [row["article"] for row in by_section.context["rows"]] == [other]
    by_translator = client.get(DASHBOARD, {"translator": translator.pk})
    assert [row["article"] for row in by_translator.context["rows"]] == [
        translated_story
    ]


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries
):
    as_user(client, editor)
    ArticleFactory.create_batch(2)
    client.get(DASHBOARD)  # warm the session and permission caches
    # The page (its stories' states, links, corrections and drafts by one
    # query each), and the header's count of unread notifications.
    with django_assert_num_queries(16) as first:
        client.get(DASHBOARD)
    for story in ArticleFactory.create_batch(20):
        ExternalLinkFactory.create_batch(2, article=story)
        Correction.objects.create(article=story, text_ko="날짜를 바로잡았습니다.")
        WorkspaceDraft.objects.create(
            article=story, language="ja", saved_by=editor, saved_at=timezone.now()
        )
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert 'class="translation-draft"' in page.content.decode()


def test_a_reporter_has_no_dashboard(client):
    as_user(client, UserFactory(username="reporter", role="reporter"))
    assert client.get(DASHBOARD).status_code == 403


def test_a_bad_filter_is_ignored_not_a_500(client, editor):
    response = as_user(client, editor).get(
        DASHBOARD, {"language": "xx", "state": "<b>", "section": "abc", "p": "999"}
    )
    assert response.status_code == 200


def test_the_story_form_words_the_picture_for_this_story_and_its_state_counts_it(
    client, korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    assert state(korean_story, "ja").status == Status.IN_PROGRESS
    as_user(client, editor)
    html = client.get(change_url(korean_story)).content.decode()
    # No more sending people to the library to translate the story's picture.
    assert "translate them on the image" not in html
    assert 'name="feature_image_caption_ja"' in html

    submit(
        client,
        korean_story,
        feature_image_caption_ja="完成した雨水トンネルの内部",
        feature_image_credit_ja="ニュースルーム写真部",
        feature_image_alt_ja="雨水トンネルの内部",
    )

    story = Article.objects.get(pk=korean_story.pk)
    assert story.feature_words("ja") == {
        "alt": "雨水トンネルの内部",
        "caption": "完成した雨水トンネルの内部",
        "credit": "ニュースルーム写真部",
    }
    assert state(story, "ja").status == Status.UP_TO_DATE
    image = story.feature_image
    assert (image.caption_ja, image.credit_ja) == (None, "")


def test_a_translator_captions_the_library_picture_in_their_language_only(
    client, korean_story, translator
):
    image = korean_story.feature_image
    as_user(client, translator)
    image_url = reverse("admin:images_image_change", args=[image.pk])
    page = client.get(image_url).content.decode()
    data = form_data(page, "image_form")
    assert "caption_ja" in data and "caption_ko" not in data
    assert 'name="minor_edit"' not in page
    data["caption_ja"] = ["完成した雨水トンネルの内部"]
    data["caption_ko"] = ["번역가가 바꾼 원문"]  # forged: not a field of theirs
    data["_save"] = ["Save"]
    assert client.post(image_url, data).status_code == 302
    image.refresh_from_db()
    assert image.caption_ja == "完成した雨水トンネルの内部"
    assert image.caption_ko == "완공된 빗물 터널 내부"


def test_a_translator_cannot_change_a_source_caption_through_the_service(
    korean_story, translator
):
    from django.core.exceptions import PermissionDenied

    from images.services import image_save

    image = korean_story.feature_image
    image.caption_ko = "바꾼 설명"
    with pytest.raises(PermissionDenied):
        image_save(image=image, user=translator, loaded_version=image.version)


def test_the_story_list_offers_each_person_the_exports_they_may_make(
    client, korean_story, translator, editor
):
    story_list = reverse("admin:articles_article_changelist")
    html = as_user(client, translator).get(story_list).content.decode()
    assert 'value="export_po_ja"' in html
    assert 'value="export_po_en"' not in html
    html = as_user(client, editor).get(story_list).content.decode()
    assert all(f'value="export_po_{code}"' in html for code in ("ko", "ja", "en"))


def test_the_story_list_in_a_popup_offers_no_exports(client, korean_story, editor):
    story_list = reverse("admin:articles_article_changelist") + "?_popup=1"
    html = as_user(client, editor).get(story_list).content.decode()
    assert korean_story.headline_ko in html
    assert "export_po_" not in html
