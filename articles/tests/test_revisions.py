import re

import pytest
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from articles.diffs import inline_diff
from articles.models import Article
from articles.revisions import note_text
from articles.services import article_withhold
from articles.signals import article_text_changed
from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="desk", role="editor")
    client.force_login(user)
    return user


def save_form(client, article: Article, **changes) -> None:
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def restore(client, article: Article, version: Version):
    return client.post(
        reverse(
            "admin:articles_article_revisions_restore", args=[article.pk, version.pk]
        )
    )


def story_versions(article: Article):
    return list(Version.objects.get_for_object(article))


def test_inline_diff_marks_removed_and_added_text_by_character_in_korean():
    diff = inline_diff("서울 지하철 연장", "서울 버스 연장 <b>")
    assert diff == "서울 <del>지하철</del><ins>버스</ins> 연장<ins> &lt;b&gt;</ins>"


def test_inline_diff_keeps_english_words_whole():
    assert (
        inline_diff("rates held", "rates raised")
        == "rates <del>held</del><ins>raised</ins>"
    )


def test_every_save_keeps_a_revision_with_who_and_what(client, editor):
    article = ArticleFactory(headline_ko="첫 제목")
    save_form(client, article, headline_ko="둘째 제목")
    save_form(
        client,
        article,
        headline_ko="셋째 제목",
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-0-publisher": "Example Daily",
            "sources-0-url": "https://www.example.org/a",
            "sources-0-role": "source",
            "sources-0-position": "0",
        },
    )
    versions = story_versions(article)
    assert len(versions) == 2
    assert all(version.revision.user == editor for version in versions)
    # Only what the editor changed is named, by its label.
    with translation.override("ko"):
        assert note_text(versions[1].revision.get_comment()) == (
            "변경한 항목: 제목 (한국어)"
        )
    assert versions[0].field_dict["headline_ko"] == "셋째 제목"
    # The inline source is part of the newest revision only.
    assert versions[0].revision.version_set.count() == 3  # story, byline, source
    assert versions[1].revision.version_set.count() == 2


def test_the_desk_compares_two_revisions(client, editor):
    article = ArticleFactory(headline_ko="기준금리 동결")
    save_form(client, article, headline_ko="기준금리 인상")
    save_form(
        client,
        article,
        body_ja="<p>新しい本文。</p>",
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-0-publisher": "Example Daily",
            "sources-0-url": "https://www.example.org/a",
            "sources-0-role": "source",
            "sources-0-position": "0",
        },
    )
    newest, oldest = story_versions(article)
    url = reverse("admin:articles_article_revisions_compare", args=[article.pk])
    html = client.get(
        f"{url}?from={oldest.pk}&to={newest.pk}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert (
        "<del>釜山港のコンテナ取扱量が先月再び増えた</del><ins>新しい本文</ins>。"
        in html
    )
    assert re.search(r"<ins>[^<]*Example Daily[^<]*</ins>", html)
    # The headline did not change between these two revisions.
    assert "기준금리" not in html.split('class="revision-diff"')[1]
    listing = client.get(
        reverse("admin:articles_article_revisions", args=[article.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert listing.count("Restore this version") == 1  # every one but the current


def test_restoring_brings_back_text_and_parts_but_keeps_publication(client, editor):
    article = ArticleFactory(headline_ko="원래 제목")
    save_form(client, article, headline_ko="원래 제목", tags="서울, 교통")
    save_form(
        client,
        article,
        headline_ko="바뀐 제목",
        placement="top",
        tags="부산",
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-0-publisher": "Example Daily",
            "sources-0-url": "https://www.example.org/a",
            "sources-0-role": "source",
            "sources-0-position": "0",
        },
    )
    article.refresh_from_db()
    version_before_restore = article.version
    oldest = story_versions(article)[-1]

    response = restore(client, article, oldest)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline_ko == "원래 제목"
    assert not article.sources.exists()
    assert sorted(tag.name_ko for tag in article.tags.all()) == ["교통", "서울"]
    assert article.status == Article.Status.PUBLISHED
    assert article.placement == "top"
    assert article.version == version_before_restore + 1
    assert len(story_versions(article)) == 3
    assert Article.objects.live("ko").filter(pk=article.pk).exists()


def test_restore_needs_a_post_and_the_right_to_edit(client, editor):
    article = ArticleFactory()
    save_form(client, article, headline_ko="하나")
    save_form(client, article, headline_ko="둘")
    oldest = story_versions(article)[-1]
    url = reverse(
        "admin:articles_article_revisions_restore", args=[article.pk, oldest.pk]
    )
    assert client.get(url).status_code == 405

    client.force_login(UserFactory(username="tr", role="translator"))
    assert client.post(url).status_code == 403
    article.refresh_from_db()
    assert article.headline_ko == "둘"


def test_text_sent_back_unchanged_with_windows_line_ends_is_no_change(client, editor):
    article = ArticleFactory(key_points_ko="하나\n둘")
    save_form(client, article, key_points_ko="하나\r\n둘", headline_ko="새 제목")
    article.refresh_from_db()
    assert article.key_points_ko == "하나\n둘"
    (version,) = story_versions(article)
    with translation.override("ko"):
        assert note_text(version.revision.get_comment()) == "변경한 항목: 제목 (한국어)"


def test_a_revision_note_reads_in_each_persons_desk_language(client, editor):
    article = ArticleFactory()
    translator = UserFactory(role="translator", languages=["ja"])
    client.force_login(translator)
    save_form(client, article, headline_ja="新しい見出し")
    client.force_login(editor)
    url = reverse("admin:articles_article_revisions", args=[article.pk])
    ko = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "변경한 항목: 제목 (일본어)" in ko
    assert "変更" not in ko
    ja = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "見出し（日本語）" in ja or "見出し (日本語)" in ja


TWO_PORTS = "<ul><li>Busan</li><li>Ulsan</li></ul>"


def compare_html(client, article, language="en") -> str:
    newest, oldest = story_versions(article)[:2]
    url = reverse("admin:articles_article_revisions_compare", args=[article.pk])
    html = client.get(
        f"{url}?from={oldest.pk}&to={newest.pk}", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    return html.split('class="revision-diff"', 1)[1].split("</table>", 1)[0]


def test_compare_shows_the_body_as_text_with_its_structure(client, editor):
    article = ArticleFactory(
        body_en="<h2>Port</h2><p>Cargo rose again.</p><ul><li>Busan</li></ul>"
    )
    save_form(client, article, headline_ko="첫 저장")
    save_form(
        client,
        article,
        body_en="<h2>Port</h2><p>Cargo fell again.</p>" + TWO_PORTS,
    )
    diff = compare_html(client, article)
    assert "&lt;p&gt;" not in diff and "&lt;h2&gt;" not in diff
    assert "<h2>Port</h2>" in diff
    assert "<p>Cargo <del>rose</del><ins>fell</ins> again.</p>" in diff
    assert "<li><ins>Ulsan</ins></li>" in diff


def test_each_field_shows_once_labelled_with_its_language(client, editor):
    article = ArticleFactory(headline_ko="기준금리 동결")
    save_form(client, article, headline_ko="첫 저장", dek_ko="첫 부제")
    save_form(client, article, headline_ko="기준금리 인상")
    diff = compare_html(client, article, "ko")
    labels = re.findall(r'<th scope="row">([^<]+)</th>', diff)
    assert labels == ["제목 (한국어)"]


def test_saving_without_touching_the_time_shows_no_time_change(client, editor):
    article = ArticleFactory()
    save_form(client, article, headline_ko="첫 저장")
    save_form(client, article, headline_ko="둘째 저장")
    diff = compare_html(client, article, "en")
    labels = re.findall(r'<th scope="row">([^<]+)</th>', diff)
    assert labels == ["headline (Korean)"]


@pytest.fixture
def without_translations():
    """The articles app on its own: no translations app resyncing its flags."""
    connected = list(article_text_changed.receivers)
    assert article_text_changed.disconnect(
        dispatch_uid="translations_refresh_states_on_text_change"
    )
    yield
    article_text_changed.receivers = connected
    article_text_changed.sender_receivers_cache.clear()


@pytest.mark.usefixtures("without_translations")
def test_restoring_a_revision_keeps_the_languages_withheld_now(client, editor):
    article = ArticleFactory(headline_ko="원래 제목")
    save_form(client, article, headline_ko="원래 제목")
    save_form(client, article, headline_ko="바뀐 제목")
    article_withhold(article=article, language="ja", withheld=True)
    oldest = story_versions(article)[-1]

    response = restore(client, article, oldest)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline_ko == "원래 제목"
    assert article.withheld_languages() == {"ja"}
