"""Translation memory: learnt from what people translate, offered where it recurs."""

import pytest
from django.urls import reverse

from articles.services import article_texts_changed
from articles.tests.factories import ArticleFactory
from translations.memory import close_matches, exact_matches
from translations.models import MemoryEntry
from translations.tests.test_services import edit

pytestmark = pytest.mark.django_db

PARAGRAPH_KO = "기상청은 남해안에 강풍 특보를 내리고 선박 운항을 통제했다."
PARAGRAPH_JA = "気象庁は南海岸に強風特報を出し、船舶の運航を規制した。"


def story_with(paragraph: str, **fields):
    return ArticleFactory(
        source_language="ko",
        body_ko=f"<h2>태풍 북상</h2><p>{paragraph}</p>",
        without_ja=True,
        without_en=True,
        **fields,
    )


def test_a_persons_translation_is_learnt_segment_by_segment(translator):
    story = story_with(PARAGRAPH_KO)
    edit(
        story,
        translator,
        headline_ja="台風が北上",
        body_ja=f"<h2>台風北上</h2><p>{PARAGRAPH_JA}</p>",
    )
    learnt = dict(
        MemoryEntry.objects.filter(target_language="ja").values_list(
            "source_text", "target_text"
        )
    )
    assert learnt[PARAGRAPH_KO] == PARAGRAPH_JA
    assert learnt["태풍 북상"] == "台風北上"
    entry = MemoryEntry.objects.get(source_text=PARAGRAPH_KO)
    assert (entry.translated_by, entry.article_id) == (translator, story.pk)


def test_machine_output_is_not_learnt(translator):
    story = story_with(PARAGRAPH_KO)
    before = type(story).objects.get(pk=story.pk)
    story.body_ja = f"<p>{PARAGRAPH_JA}</p>"
    story.headline_ja = "台風"
    story.save()
    article_texts_changed(article=story, stored=before, machine="deepl")
    assert not MemoryEntry.objects.exists()


def test_the_same_paragraph_in_another_story_is_filled_in_to_confirm(
    client, translator
):
    first = story_with(PARAGRAPH_KO)
    edit(first, translator, body_ja=f"<h2>台風北上</h2><p>{PARAGRAPH_JA}</p>")
    second = story_with(PARAGRAPH_KO, headline_ko="다른 기사")
    client.force_login(translator)
    page = client.get(
        reverse("admin:articles_article_translate", args=[second.pk, "ja"])
    )
    rows = {row.segment.key: row for part in page.context["parts"] for row in part.rows}
    assert rows["body:1"].target == PARAGRAPH_JA
    assert rows["body:1"].from_memory
    assert "body:1" in page.content.decode()


def test_a_similar_paragraph_is_offered_with_its_similarity(translator):
    edit(
        story_with(PARAGRAPH_KO),
        translator,
        body_ja=f"<h2>台風北上</h2><p>{PARAGRAPH_JA}</p>",
    )
    similar = "기상청은 남해안에 강풍 특보를 내리고 여객선 운항을 통제했다."
    assert exact_matches("ko", "ja", [similar]) == {}
    (match,) = close_matches("ko", "ja", similar)
    assert match.target_text == PARAGRAPH_JA
    assert 70 <= match.percent < 100
    assert (
        close_matches("ko", "ja", "전혀 다른 문장으로 된 경제 기사의 첫 문단이다.")
        == []
    )
    assert close_matches("ko", "en", similar) == []


def test_the_workspace_answers_a_segments_close_matches_when_asked(client, translator):
    edit(
        story_with(PARAGRAPH_KO),
        translator,
        body_ja=f"<h2>台風北上</h2><p>{PARAGRAPH_JA}</p>",
    )
    similar = story_with("기상청은 남해안에 강풍 특보를 내리고 여객선 운항을 통제했다.")
    client.force_login(translator)
    url = reverse("admin:articles_article_translate", args=[similar.pk, "ja"])
    answer = client.get(url, {"matches": "body:1"}).json()["matches"]
    assert [match["target"] for match in answer] == [PARAGRAPH_JA]
    assert 70 <= answer[0]["percent"] < 100
    assert client.get(url, {"matches": "body:99"}).status_code == 404
