"""The import of many stories: a few queries whatever their number, the same outcome.

An import writes its stories together (their revisions, states, memory) and
checks them together; the outcome is the one the import had when it wrote
them one at a time, which `apply_one_by_one` below replays with the
single-story services.
"""

import json

import pytest
import reversion
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from reversion.models import Version

from articles import revisions
from articles.models import Article, LanguageEdition
from articles.services import article_save_version
from articles.tests.factories import ArticleFactory, UserFactory
from core.slugs import make_slug
from images.tests.factories import ImageFactory
from related.tests.factories import (
    ExternalLinkFactory,
    RelatedArticleFactory,
    SourceFactory,
)
from tags.tests.factories import TagFactory
from translations import po
from translations.models import (
    LanguagePolicy,
    MemoryEntry,
    TranslationState,
)
from translations.po.report import ready_by_story
from translations.services import translation_refresh, translation_set_published
from translations.tests.test_po import by_context, context, export, save
from translations.tests.test_services import edit, translate_image
from translations.units import UNITS, UNITS_BY_KEY, fingerprint

pytestmark = pytest.mark.django_db
Status = TranslationState.Status
# Queries an import adds for each more story it writes: the story's own
# UPDATE, and the picture records' read (images' post_save receiver).
QUERIES_PER_STORY = 2


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def korean(number: int, **fields) -> Article:
    """A Korean story with the parts a revision records, not in Japanese yet."""
    story = ArticleFactory(
        **{
            "source_language": "ko",
            "headline_ko": f"항만 물동량 {number}개월 연속 증가",
            "dek_ko": f"부산항 컨테이너 처리량이 {number}개월째 늘었다.",
            "body_ko": (
                f"<p>부산항의 처리량이 {number}% 늘었다. 수출이 "
                "<strong>회복</strong>했다.</p><p>항만공사는 기대했다.</p>"
            ),
            "key_points_ko": "처리량 증가\n수출 회복",
            "without_ja": True,
            "without_en": True,
            **fields,
        }
    )
    story.tags.add(TagFactory())
    SourceFactory(article=story)
    RelatedArticleFactory(article=story, related=ArticleFactory())
    return Article.objects.select_related("feature_image").get(pk=story.pk)


def kana(text: str) -> str:
    """A "translation" of `text`: Hangul read as kana, tags and digits kept."""
    return "".join(
        chr(0x30A1 + ord(c) % 0x56) if "\uac00" <= c <= "\ud7a3" else c for c in text
    )


def translated(stories, tmp_path, change=None):
    """Export `stories` for Japanese and translate every entry; return the file."""
    catalogue = export(*stories).catalogue
    for entry in catalogue:
        entry.msgstr = entry.msgstr or kana(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    if change:
        change(by_context(catalogue))
    return save(catalogue, tmp_path)


def queries_of_import(count: int, translator, tmp_path) -> int:
    stories = [korean(number) for number in range(count)]
    path = translated(stories, tmp_path)
    with CaptureQueriesContext(connection) as queries:
        report = po.translation_import(path=path, user=translator)
    assert report.is_applied, report.lines()
    assert len(report.changed_stories) == count
    return len(queries.captured_queries)


def test_an_import_costs_a_fixed_number_of_queries_and_two_a_story(
    translator, tmp_path
):
    few = queries_of_import(3, translator, tmp_path)
    many = queries_of_import(30, translator, tmp_path)
    assert many - few <= (30 - 3) * QUERIES_PER_STORY, (few, many)
    # Reading, locking, checking and writing the states, revisions, memory
    # and editions of all the stories, once (the person's rights and the
    # content types read on the way, the first time).
    assert few <= 45 + 3 * QUERIES_PER_STORY, few


def test_the_check_costs_a_fixed_number_of_queries(translator, tmp_path):
    stories = [korean(number) for number in range(12)]
    queries = []
    for count in (2, 2, 12):
        path = translated(stories[:count], tmp_path)
        with CaptureQueriesContext(connection) as captured:
            report = po.translation_import(path=path, user=translator, dry_run=True)
        assert not report.has_errors, report.lines()
        queries.append(len(captured.captured_queries))
    # The first run also reads the person's rights, kept for the next ones.
    assert queries[2] == queries[1] <= 12, queries


# The same outcome as one story at a time


def apply_one_by_one(report: po.ImportReport, language: str, user) -> None:
    """Apply a checked import as it was applied before: one story after another.

    Each story is checked whole (full_clean), its unchanged translations
    confirmed, saved with its revision and its states refreshed, with the
    single-story services.
    """
    now = timezone.now()
    comment = revisions.note("imported", language=language, file=report.file_name)
    for article_id, results in ready_by_story(report).items():
        stored = Article.objects.select_related("feature_image").get(pk=article_id)
        article = Article.objects.select_related("feature_image").get(pk=article_id)
        written = [result for result in results if not result.is_confirmation]
        for result in written:
            UNITS_BY_KEY[result.unit_key].set_text(article, language, result.value)
        if written:
            article.full_clean()
        confirmed = [result for result in results if result.is_confirmation]
        if confirmed:
            state = TranslationState.objects.get(article=article, language=language)
            for result in confirmed:
                unit = UNITS_BY_KEY[result.unit_key]
                source = unit.text(article, article.source_language)
                state.fields.filter(unit=unit.key).update(
                    source_fingerprint=fingerprint(source),
                    source_text=source,
                    is_machine=False,
                    translated_at=now,
                )
            changes = {"translated_by": user, "translated_at": now}
            if not state.fields.filter(is_machine=True).exists():
                changes["machine_translator"] = ""
            TranslationState.objects.filter(pk=state.pk).update(**changes)
        if written:
            article_save_version(article, user, comment)
        translation_refresh(article=article, stored=stored, user=user)


def outcome(stories) -> dict:
    """Return what an import leaves of `stories`, times reduced to whether set."""
    result = {}
    for story in stories:
        story = Article.objects.select_related("feature_image").get(pk=story.pk)
        states = {}
        for state in TranslationState.objects.filter(article=story):
            states[state.language] = (
                state.status,
                state.translated_by_id,
                state.translated_at is not None,
                state.machine_translator,
                state.has_machine_text,
                state.is_published,
                sorted(
                    state.fields.values_list(
                        "unit", "source_fingerprint", "source_text", "is_machine"
                    )
                ),
            )
        versions = []
        for version in Version.objects.get_for_object(story).order_by("pk"):
            data = json.loads(version.serialized_data)
            data[0]["fields"].pop("updated_at")
            others = sorted(
                (other.content_type.model, other.object_id, other.serialized_data)
                for other in version.revision.version_set.exclude(pk=version.pk)
            )
            versions.append(
                (
                    version.revision.user_id,
                    version.revision.comment,
                    version.object_repr,
                    version.format,
                    version.db,
                    data,
                    others,
                )
            )
        result[story.pk] = {
            "texts": {
                f"{unit.key}_{code}": unit.text(story, code)
                for unit in UNITS
                for code in ("ko", "ja", "en")
            },
            "slugs": [story.slug_ko, story.slug_ja, story.slug_en],
            "version": (story.version, story.updated_by_id),
            "states": states,
            "withheld": sorted(story.withheld_languages()),
            "editions": sorted(
                (edition.language, bool(edition.text_changed_at), edition.behind_since)
                for edition in LanguageEdition.objects.filter(article=story)
            ),
            "versions": versions,
        }
    result["memory"] = sorted(
        MemoryEntry.objects.values_list(
            "source_language",
            "target_language",
            "source_key",
            "source_text",
            "target_text",
            "article_id",
            "translated_by_id",
        )
    )
    return result


@pytest.fixture
def newsroom(translator, editor):
    """Stories in every state an import meets, and the file that translates them."""
    other = UserFactory(username="aiko", role="translator", languages=("ja",))
    fresh = korean(1, feature_image=ImageFactory(caption_ko="부두의 크레인"))
    again = korean(2)
    edit(again, other, headline_ja="古い見出し", dek_ja="古い要約")
    edit(again, editor, dek_ko="부산항 처리량이 다시 늘었다.")
    confirmed = korean(3)
    edit(
        confirmed,
        other,
        headline_ja="見出し三",
        dek_ja="要約三",
        body_ja=kana(confirmed.body_ko),
        key_points_ja="増加\n回復",
    )
    edit(confirmed, editor, dek_ko="부산항 처리량이 세 달째 늘었다.")
    machine = korean(4, feature_image=ImageFactory())
    edit(
        machine,
        other,
        headline_ja="見出し四",
        dek_ja="要約四",
        key_points_ja="増加\n回復",
    )
    translate_image(machine, "ja", editor)
    stored = Article.objects.select_related("feature_image").get(pk=machine.pk)
    story = Article.objects.select_related("feature_image").get(pk=machine.pk)
    story.body_ja = "<p>機械の訳。<strong>回復</strong>。</p><p>期待した。</p>"
    story.save()
    translation_refresh(article=story, stored=stored, machine="offline")
    withheld = korean(5)
    translation_set_published(
        article=withheld, language="ja", user=editor, is_published=False
    )
    # Three stories with a sentence in common: the second translates it
    # otherwise than the first, the third as the second did.
    shared = [korean(number, dek_ko="같은 문장이다.") for number in (6, 7, 8)]
    stories = [fresh, again, confirmed, machine, withheld, *shared]

    def change(entries):
        # `confirmed` and the machine's body are left as they read: confirmed
        # as translations of the current source.
        entries[context(again, "dek")].msgstr = kana(again.dek_ko)
        entries[context(machine, "headline")].msgstr = "新しい見出し四"
        for story in shared[1:]:
            entries[context(story, "dek")].msgstr = "別の訳文だ。"

    return stories, change


@pytest.mark.parametrize("needs_review", [False, True])
def test_an_import_leaves_what_one_story_at_a_time_leaves(
    needs_review, newsroom, translator, tmp_path
):
    if needs_review:
        LanguagePolicy.objects.update_or_create(
            language="ja", defaults={"needs_review": True}
        )
    stories, change = newsroom
    path = translated(stories, tmp_path, change)
    checked = po.translation_import(path=path, user=translator, dry_run=True)
    assert not checked.has_errors, checked.lines()
    assert any(entry.is_confirmation for entry in checked.entries)
    with transaction.atomic():
        apply_one_by_one(checked, "ja", translator)
        expected = outcome(stories)
        transaction.set_rollback(True)

    report = po.translation_import(path=path, user=translator)

    assert report.is_applied, report.lines()
    assert outcome(stories) == expected
    states = expected[stories[0].pk]["states"]
    assert states["ja"][:2] == (
        Status.NEEDS_REVIEW if needs_review else Status.UP_TO_DATE,
        translator.pk,
    )
    assert len(expected[stories[0].pk]["versions"]) == 1
    memory = {entry[3]: entry for entry in expected["memory"]}
    assert memory["같은 문장이다."][4:6] == ("別の訳文だ。", stories[-2].pk)
    # Learnt from the desk before the import, which translated it alike.
    assert memory["항만공사는 기대했다."][5] == stories[2].pk
    report_statuses = {entry.status for entry in report.entries}
    assert report_statuses == {po.EntryStatus.APPLIED, po.EntryStatus.UNCHANGED}


def test_an_import_inside_a_revision_block_saves_as_one_story_at_a_time(
    translator, tmp_path
):
    stories = [korean(number) for number in range(2)]
    path = translated(stories, tmp_path)
    with reversion.create_revision():
        report = po.translation_import(path=path, user=translator)
    assert report.is_applied, report.lines()
    for story in stories:
        assert Version.objects.get_for_object(story).count() == 1


def test_a_revision_recorded_for_many_stories_is_the_one_reversion_records(editor):
    story = korean(1, feature_image=ImageFactory())
    SourceFactory(article=story)
    ExternalLinkFactory(article=story)
    story.corrections.create(text_ko="바로잡습니다.")
    story = Article.objects.get(pk=story.pk)
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("one")
        reversion.add_to_revision(story)
    one = Version.objects.get_for_object(story).get()

    revisions.revisions_save([story], user=editor, comment="many")

    many = Version.objects.get_for_object(story).order_by("pk").last()
    assert many.revision.comment == "many"
    assert many.revision.user == editor

    def recorded(version):
        return sorted(
            (v.content_type_id, v.object_id, v.db, v.format, v.serialized_data)
            + (v.object_repr,)
            for v in version.revision.version_set.all()
        )

    assert recorded(many) == recorded(one)
    assert len(recorded(one)) >= 7  # the story, its byline, tag, sources, …


def test_stories_given_the_same_headline_get_different_slugs(translator, tmp_path):
    ArticleFactory(headline_ja="同じ見出し", slug_ja=make_slug("同じ見出し"))
    ArticleFactory(headline_ja="同じ見出し 3", slug_ja=make_slug("同じ見出し") + "-3")
    stories = [korean(number) for number in range(3)]

    def same_headline(entries):
        for story in stories:
            entries[context(story, "headline")].msgstr = "同じ見出し"

    report = po.translation_import(
        path=translated(stories, tmp_path, same_headline), user=translator
    )
    assert report.is_applied, report.lines()
    base = make_slug("同じ見出し")
    assert [Article.objects.get(pk=story.pk).slug_ja for story in stories] == [
        f"{base}-2",
        f"{base}-4",
        f"{base}-5",
    ]


def test_a_story_that_cannot_take_its_text_stops_the_import(
    translator, tmp_path, monkeypatch
):
    stories = [korean(number) for number in range(2)]

    def refuse(value):
        if "禁止" in value:
            raise ValidationError("No.")

    field = Article._meta.get_field("dek_ja")
    monkeypatch.setattr(field, "validators", [*field.validators, refuse])

    def forbidden(entries):
        entries[context(stories[1], "dek")].msgstr = "禁止"

    before = [Article.objects.get(pk=story.pk).version for story in stories]
    report = po.translation_import(
        path=translated(stories, tmp_path, forbidden), user=translator
    )
    assert not report.is_applied
    failed = [entry for entry in report.entries if entry.status == "error"]
    assert [entry.article_id for entry in failed] == [stories[1].pk]
    assert failed[0].messages == ["The story cannot be saved: No."]
    assert [Article.objects.get(pk=story.pk).version for story in stories] == before
