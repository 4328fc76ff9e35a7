"""The translator's workspace: source beside target, checks before saving."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import UserFactory
from translations.models import GlossaryTerm, TranslationState, WorkspaceDraft
from translations.tests.test_services import edit, state

pytestmark = pytest.mark.django_db

BODY_KO = (
    "<h2>터널 개통</h2>"
    "<p>도시의 새 빗물 터널이 <strong>오늘</strong> 문을 열었다.</p>"
    '<p>자세한 내용은 <a href="https://example.org/tunnel">시청 발표</a>에 있다.</p>'
)
JAPANESE = {
    "headline": "沿岸都市、雨水トンネルが完成",
    "dek": "梅雨の浸水を防ぐトンネルが開通した。",
    "key_points:0": "長さ3キロ",
    "key_points:1": "貯留量20万トン",
    "body:0": "トンネル開通",
    "body:1": "市の新しい雨水トンネルが{1}今日{/1}開通した。",
    "body:2": "詳しくは{1}市の発表{/1}にある。",
    "image.alt_text": "トンネルの内部",
    "image.caption": "完成したトンネルの内部",
    "image.credit": "ニュースルーム写真部",
}


@pytest.fixture
def story(korean_story, editor):
    return edit(korean_story, editor, body_ko=BODY_KO)


def url(article: Article, language: str = "ja") -> str:
    return reverse("admin:articles_article_translate", args=[article.pk, language])


def post(client, article, values, version=None, action="_done", draft_revision=None):
    data = {f"seg-{key}": text for key, text in values.items()}
    data["version"] = version or Article.objects.get(pk=article.pk).version
    data[action] = "1"
    if draft_revision is not None:
        data["draft_revision"] = draft_revision
    return client.post(url(article), data)


def test_the_source_is_text_beside_a_box_per_segment(client, story, translator):
    client.force_login(translator)
    page = client.get(url(story))
    assert page.status_code == 200
    html = page.content.decode()
    # Text, not HTML: the heading and the bold word are marks, not tags.
    assert "&lt;p&gt;" not in html and "<h2>터널 개통</h2>" not in html
    assert '<kbd class="ph"' in html
    keys = [row.segment.key for part in page.context["parts"] for row in part.rows]
    assert keys[:3] == ["headline", "dek", "key_points:0"]
    assert {"body:0", "body:1", "body:2"} <= set(keys)
    assert page.context["counts"] == {
        "new": len(keys),
        "changed": 0,
        "draft": 0,
        "done": 0,
    }


def test_a_saved_translation_keeps_the_sources_structure(client, story, translator):
    client.force_login(translator)
    response = post(client, story, JAPANESE)
    assert response.status_code == 302
    saved = Article.objects.get(pk=story.pk)
    assert saved.body_ja == (
        "<h2>トンネル開通</h2>"
        "<p>市の新しい雨水トンネルが<strong>今日</strong>開通した。</p>"
        '<p>詳しくは<a href="https://example.org/tunnel" rel="noopener noreferrer">'
        "市の発表</a>にある。</p>"
    )
    assert saved.key_points_ja == "長さ3キロ\n貯留量20万トン"
    assert saved.feature_image_caption_ja == "完成したトンネルの内部"
    ja = state(story, "ja")
    assert ja.status == TranslationState.Status.UP_TO_DATE
    assert ja.translated_by == translator


def test_a_dropped_mark_is_refused_and_nothing_is_lost(client, story, translator):
    client.force_login(translator)
    values = {**JAPANESE, "body:2": "詳しくは市の発表にある。"}
    page = post(client, story, values)
    assert page.status_code == 200
    assert page.context["error_count"] == 1
    html = page.content.decode()
    assert 'id="workspace-errors"' in html and "{1} {/1}" in html
    # What was typed is still there, kept as a draft, and readers get nothing.
    assert "詳しくは市の発表にある。</textarea>" in html
    assert not Article.objects.get(pk=story.pk).body_ja
    draft = WorkspaceDraft.objects.get(article=story, language="ja")
    assert draft.segments["body:2"]["target"] == "詳しくは市の発表にある。"


def test_a_draft_is_kept_with_its_problems_and_never_reaches_readers(
    client, story, translator
):
    client.force_login(translator)
    values = {"headline": "沿岸都市", "body:2": "詳しくは市の発表にある。"}
    response = post(client, story, values, action="_draft")
    assert response.status_code == 302
    saved = Article.objects.get(pk=story.pk)
    assert not saved.headline_ja and not saved.body_ja
    assert state(story, "ja").status == TranslationState.Status.MISSING
    page = client.get(url(story))
    rows = {row.segment.key: row for part in page.context["parts"] for row in part.rows}
    assert rows["headline"].target == "沿岸都市"
    assert rows["headline"].status == "draft"
    # The problem is listed on opening, before anyone tries to mark it done.
    assert page.context["error_count"] == 1
    assert page.context["problem_rows"][0].segment.key == "body:2"
    assert 'class="workspace-draft"' in page.content.decode()


def test_marking_done_applies_the_draft_and_drops_it(client, story, translator):
    client.force_login(translator)
    post(client, story, {"headline": "沿岸都市"}, action="_draft")
    revision = WorkspaceDraft.objects.get(article=story).revision
    response = post(client, story, JAPANESE, draft_revision=revision)
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).headline_ja == JAPANESE["headline"]
    assert not WorkspaceDraft.objects.filter(article=story).exists()
    assert state(story, "ja").status == TranslationState.Status.UP_TO_DATE


def test_a_draft_saved_over_another_translators_newer_draft_is_refused(
    client, story, translator
):
    colleague = UserFactory(role="translator", languages=("ja",))
    client.force_login(colleague)
    post(client, story, {"headline": "同僚の見出し"}, action="_draft")
    client.force_login(translator)
    # Opened before the colleague's save: revision 0.
    page = post(client, story, {"headline": "私の見出し"}, action="_draft")
    assert page.status_code == 200
    draft = WorkspaceDraft.objects.get(article=story)
    assert draft.segments["headline"]["target"] == "同僚の見出し"
    assert draft.saved_by == colleague
    assert "私の見出し</textarea>" in page.content.decode()


def test_marking_done_confirms_segments_left_as_they_were(
    client, story, translator, editor
):
    client.force_login(translator)
    post(client, story, JAPANESE)
    # A correction in the source that the Japanese text already reads right.
    edit(story, editor, dek_ko="장마철 침수를 막는 터널이 개통했다 .")
    assert state(story, "ja").status == TranslationState.Status.OUTDATED
    page = client.get(url(story))
    rows = {row.segment.key: row for part in page.context["parts"] for row in part.rows}
    assert rows["dek"].status == "changed"
    response = post(client, story, JAPANESE)
    assert response.status_code == 302
    ja = state(story, "ja")
    assert ja.status == TranslationState.Status.UP_TO_DATE
    assert ja.translated_by == translator


def test_a_changed_source_marks_only_its_segment_with_the_difference(
    client, story, translator, editor
):
    client.force_login(translator)
    post(client, story, JAPANESE)
    edit(story, editor, body_ko=BODY_KO.replace("오늘", "어제"))
    page = client.get(url(story))
    rows = {row.segment.key: row for part in page.context["parts"] for row in part.rows}
    assert rows["body:1"].status == "changed"
    assert "<del>오늘</del>" in rows["body:1"].diff or "오늘" in rows["body:1"].diff
    assert rows["body:0"].status == "done"
    assert rows["body:2"].status == "done"
    assert rows["body:1"].target == "市の新しい雨水トンネルが{1}今日{/1}開通した。"


def test_a_glossary_name_is_shown_and_its_spelling_checked(client, story, translator):
    GlossaryTerm.objects.create(name_ko="빗물 터널", name_ja="雨水トンネル")
    client.force_login(translator)
    page = client.get(url(story))
    rows = {row.segment.key: row for part in page.context["parts"] for row in part.rows}
    assert ("빗물 터널", "雨水トンネル") in rows["body:1"].names
    values = {
        **JAPANESE,
        "image.caption": "完成した雨水トンネルの内部",
        "body:1": "市の新しい雨水路が{1}今日{/1}開通した。",
    }
    page = post(client, story, values)
    assert page.context["error_count"] == 1
    assert page.context["problem_rows"][0].segment.key == "body:1"
    assert "雨水トンネル" in page.content.decode()


def test_only_the_languages_translators_and_editors_may_open_it(
    client, story, en_translator
):
    client.force_login(en_translator)
    assert client.get(url(story, "ja")).status_code == 403
    assert post(client, story, JAPANESE).status_code == 403
    assert client.get(url(story, "ko")).status_code == 404  # the source
    client.force_login(UserFactory(role="reporter"))
    assert client.get(url(story, "ja")).status_code == 403


def test_a_save_over_someone_elses_newer_version_is_refused(
    client, story, translator, editor
):
    client.force_login(translator)
    opened = Article.objects.get(pk=story.pk).version
    edit(story, editor, dek_ko="새 리드")
    response = post(client, story, JAPANESE, version=opened)
    assert response.status_code == 200
    assert not Article.objects.get(pk=story.pk).body_ja


def test_a_machine_suggestion_for_one_segment_keeps_its_marks_and_saves_nothing(
    client, story, translator, settings
):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"
    GlossaryTerm.objects.create(name_ko="빗물 터널", name_ja="雨水トンネル")
    client.force_login(translator)
    assert "segment-suggest" in client.get(url(story)).content.decode()
    response = client.post(url(story), {"suggest": "body:1"})
    assert response.status_code == 200
    suggestion = response.json()["suggestion"]
    # The offline machine marks each run of text; the marks come back in place
    # and the glossary's spelling is used.
    assert suggestion.startswith("[ja] 도시의 새 雨水トンネル이 {1}")
    assert "{1}[ja] 오늘{/1}" in suggestion
    assert not Article.objects.get(pk=story.pk).body_ja
    assert client.post(url(story), {"suggest": "body:99"}).status_code == 404


def test_no_machine_suggestion_when_machine_translation_is_off(
    client, story, translator, settings
):
    settings.NEWSROOM_MACHINE_TRANSLATOR = ""
    client.force_login(translator)
    assert "segment-suggest" not in client.get(url(story)).content.decode()
    assert client.post(url(story), {"suggest": "body:1"}).status_code == 404
    client.force_login(UserFactory(role="reporter"))
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"
    assert client.post(url(story), {"suggest": "body:1"}).status_code == 403
