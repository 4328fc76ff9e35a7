"""A story's links and corrections are translated with it and count in its state."""

import pytest
from django.urls import reverse

from articles.models import Article, Correction
from articles.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from articles.tests.test_admin import article_form_data
from related.models import ExternalLink
from translations import po
from translations.models import TranslationState
from translations.tests.test_services import state
from translations.units import units_for

pytestmark = pytest.mark.django_db

Status = TranslationState.Status


@pytest.fixture
def translated_story(editor):
    """A Korean story whose Japanese translation is up to date."""
    story = ArticleFactory(
        source_language="ko",
        headline_ko="항만 물동량 최대",
        dek_ko="",
        body_ko="<p>올해 항만 물동량이 가장 많았다.</p>",
        headline_ja="港湾の取扱量が最多",
        dek_ja="",
        body_ja="<p>今年の港湾取扱量が最も多かった。</p>",
        without_en=True,
    )
    assert state(story, "ja").status == Status.UP_TO_DATE
    return story


def change_form(client, story, **overrides):
    """Post the story's change form as the desk shows it, with `overrides`."""
    story = Article.objects.get(pk=story.pk)
    data = article_form_data(
        story.category or CategoryFactory(),
        AuthorFactory(),
        headline_ko=story.headline_ko,
        headline_ja=story.headline_ja,
        dek_ko=story.dek_ko,
        body_ko=story.body_ko,
        body_ja=story.body_ja,
        slug_ko=story.slug_ko,
        slug_ja=story.slug_ja,
        loaded_version=story.version,
        published_at_0=story.published_at.strftime("%Y-%m-%d"),
        published_at_1=story.published_at.strftime("%H:%M:%S"),
    )
    data.update(overrides)
    return client.post(reverse("admin:articles_article_change", args=[story.pk]), data)


def test_a_correction_written_in_korean_makes_the_japanese_outdated(
    client, editor, translated_story
):
    client.force_login(editor)
    response = change_form(
        client,
        translated_story,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-corrected_at_0": "2026-12-06",
            "corrections-0-corrected_at_1": "09:00:00",
            "corrections-0-text_ko": "물동량 단위를 바로잡았습니다.",
            "corrections-0-text_ja": "",
            "corrections-0-text_en": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    correction = Correction.objects.get()
    ja = state(translated_story, "ja")
    # Japanese readers would not see the correction: the desk is told.
    assert ja.status == Status.OUTDATED
    story = Article.objects.get(pk=translated_story.pk)
    keys = [unit.key for unit in units_for(story)]
    assert f"correction.{correction.pk}" in keys


def test_a_translated_link_label_and_correction_bring_it_up_to_date(
    client, translator, translated_story, editor
):
    link = ExternalLink.objects.create(
        article=translated_story, url="https://port.example/", label_ko="항만 통계"
    )
    correction = Correction.objects.create(
        article=translated_story, text_ko="물동량 단위를 바로잡았습니다."
    )
    # As the inlines' save tells the states (see ArticleAdmin.save_related).
    from articles.services import article_texts_changed

    story = Article.objects.get(pk=translated_story.pk)
    stored = Article.objects.get(pk=translated_story.pk)
    stored.__dict__["_text_parts"] = {}
    article_texts_changed(article=story, stored=stored, user=editor)
    assert state(story, "ja").status == Status.OUTDATED

    client.force_login(translator)
    url = reverse("admin:articles_article_translate", args=[story.pk, "ja"])
    page = client.get(url)
    rows = {row.segment.key: row for part in page.context["parts"] for row in part.rows}
    assert rows[f"link.{link.pk}"].status == "new"
    # Each link's part names its address, so several are told apart.
    details = {part.unit.key: part.detail for part in page.context["parts"]}
    assert details[f"link.{link.pk}"] == "https://port.example/"
    assert rows[f"correction.{correction.pk}"].status == "new"
    data = {
        "version": Article.objects.get(pk=story.pk).version,
        "_done": "1",
        f"seg-link.{link.pk}": "港湾統計",
        f"seg-correction.{correction.pk}": "取扱量の単位を訂正しました。",
        **{
            f"seg-{key}": row.target
            for key, row in rows.items()
            if not key.startswith(("link.", "correction."))
        },
    }
    response = client.post(url, data)
    assert response.status_code == 302
    link.refresh_from_db()
    correction.refresh_from_db()
    assert link.label_ja == "港湾統計"
    assert correction.text_ja == "取扱量の単位を訂正しました。"
    ja = state(story, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert ja.translated_by == translator
    # The Japanese page now shows the link and the correction.
    html = client.get(Article.objects.get(pk=story.pk).get_absolute_url("ja"))
    assert "港湾統計" in html.content.decode()
    assert "取扱量の単位を訂正しました。" in html.content.decode()


def test_link_labels_and_corrections_travel_in_the_po_catalogue(
    translator, translated_story, tmp_path
):
    link = ExternalLink.objects.create(
        article=translated_story, url="https://port.example/", label_ko="항만 통계"
    )
    correction = Correction.objects.create(
        article=translated_story, text_ko="물동량 단위를 바로잡았습니다."
    )
    export = po.catalogue_export(
        articles=Article.objects.filter(pk=translated_story.pk), language="ja"
    )
    contexts = {entry.msgctxt: entry for entry in export.catalogue}
    link_entry = contexts[f"article:{translated_story.pk}:link.{link.pk}"]
    correction_entry = contexts[
        f"article:{translated_story.pk}:correction.{correction.pk}"
    ]
    assert link_entry.msgid == "항만 통계"
    link_entry.msgstr = "港湾統計"
    correction_entry.msgstr = "取扱量の単位を訂正しました。"
    path = tmp_path / "ja.po"
    export.catalogue.save(str(path))
    report = po.translation_import(path=path, user=translator)
    assert report.is_applied, [(r.line, r.messages) for r in report.entries]
    link.refresh_from_db()
    correction.refresh_from_db()
    assert link.label_ja == "港湾統計"
    assert correction.text_ja == "取扱量の単位を訂正しました。"
    assert state(translated_story, "ja").status == Status.UP_TO_DATE


def test_an_entry_for_a_link_of_another_story_is_refused(
    translator, translated_story, tmp_path
):
    elsewhere = ExternalLink.objects.create(
        article=ArticleFactory(), url="https://port.example/", label_ko="항만 통계"
    )
    path = tmp_path / "ja.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: ja\\n"\n\n'
        f'msgctxt "article:{translated_story.pk}:link.{elsewhere.pk}"\n'
        'msgid "항만 통계"\nmsgstr "港湾統計"\n',
        encoding="utf-8",
    )
    report = po.translation_import(path=path, user=translator)
    assert not report.is_applied
    assert report.has_errors
    elsewhere.refresh_from_db()
    assert not elsewhere.label_ja


def test_link_labels_and_corrections_travel_in_the_xliff_file(
    translator, translated_story, tmp_path
):
    from translations.tests.test_xliff import fill, import_file, parse, save, unit_of
    from translations.xliff import xliff_export

    link = ExternalLink.objects.create(
        article=translated_story, url="https://port.example/", label_ko="항만 통계"
    )
    correction = Correction.objects.create(
        article=translated_story, text_ko="물동량 단위를 바로잡았습니다."
    )
    root = parse(
        xliff_export(
            articles=Article.objects.filter(pk=translated_story.pk), language="ja"
        )
    )
    assert unit_of(root, translated_story, f"link.{link.pk}") is not None
    fill(
        root,
        translated_story,
        {
            f"link.{link.pk}": "港湾統計",
            f"correction.{correction.pk}": "取扱量の単位を訂正しました。",
        },
    )
    report = import_file(save(root, tmp_path), translator)
    assert report.is_applied, "\n".join(report.lines())
    link.refresh_from_db()
    correction.refresh_from_db()
    assert link.label_ja == "港湾統計"
    assert correction.text_ja == "取扱量の単位を訂正しました。"
    assert state(translated_story, "ja").status == Status.UP_TO_DATE


def test_the_upgrade_counts_existing_links_and_corrections(translated_story):
    from importlib import import_module

    from django.apps import apps

    from translations.models import FieldTranslation

    # Rows written before links and corrections were units: no state heard.
    translated = ExternalLink.objects.create(
        article=translated_story,
        url="https://port.example/",
        label_ko="항만 통계",
        label_ja="港湾統計",
    )
    Correction.objects.create(
        article=translated_story, text_ko="물동량 단위를 바로잡았습니다."
    )
    assert state(translated_story, "ja").status == Status.UP_TO_DATE
    import_module(
        "translations.migrations.0012_count_links_and_corrections"
    ).count_parts(apps, None)
    ja = state(translated_story, "ja")
    # The untranslated correction makes it outdated; the translated label is
    # taken as made from its current source.
    assert ja.status == Status.OUTDATED
    record = FieldTranslation.objects.get(state=ja, unit=f"link.{translated.pk}")
    assert record.source_text == "항만 통계"
    edition = translated_story.editions.get(language="ja")
    assert edition.behind_since is not None
