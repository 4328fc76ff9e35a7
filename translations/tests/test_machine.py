"""Machine translation: backends, the service, its checks and its admin button."""

import importlib.machinery
import re
import sys
import types

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from articles.models import Article
from articles.revisions import note_text
from articles.tests.factories import ArticleFactory
from translations import machine, services
from translations.models import FieldTranslation, TranslationState
from translations.tests.factories import GlossaryTermFactory
from translations.tests.test_services import JAPANESE, edit, state, translate_image

pytestmark = pytest.mark.django_db
Status = TranslationState.Status
TAGS = re.compile(r"<[^>]*>")


@pytest.fixture(autouse=True)
def in_english():
    # Messages are asserted in English, whatever language another test left on.
    with translation.override("en"):
        yield


@pytest.fixture
def offline(settings):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"


def fresh(article: Article) -> Article:
    return Article.objects.select_related("feature_image").get(pk=article.pk)


def texts(article: Article, language: str) -> dict[str, str]:
    """Return what readers of `language` read: the picture's words as shown."""
    article = fresh(article)
    return {
        **{
            field: getattr(article, f"{field}_{language}")
            for field in ("headline", "dek", "feature_text", "key_points", "body")
        },
        **article.feature_words(language),
    }


def machine_url(article: Article, language: str) -> str:
    return reverse(
        "admin:articles_article_translation_machine", args=[article.pk, language]
    )


def log_in(client, user) -> None:
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


# The offline backend


def test_offline_marks_every_line_and_text_run_and_keeps_the_markup():
    translator = machine.OfflineTranslator()
    plain, html = (
        "첫째 줄\n\n둘째 줄",
        '<p>서울시 <a href="https://x.example/서울시">시청</a></p>',
    )
    assert translator.translate([plain], "ko", "ja", False) == [
        "[ja] 첫째 줄\n\n[ja] 둘째 줄"
    ]
    [result] = translator.translate([html], "ko", "ja", True, {"서울시": "ソウル市"})
    assert result == (
        '<p>[ja] ソウル市 <a href="https://x.example/서울시">[ja] 시청</a></p>'
    )
    assert TAGS.findall(result) == TAGS.findall(html)


# The service


def test_machine_output_waits_for_review_and_a_person_publishes_it(
    offline, korean_story, translator
):
    version = korean_story.version
    state_ja = machine.translation_machine_translate(
        article=korean_story, language="ja", user=translator
    )

    assert state_ja.status == Status.NEEDS_REVIEW
    assert state_ja.is_withheld
    assert state_ja.machine_translator == "offline"
    assert state_ja.translated_by == translator
    japanese = texts(korean_story, "ja")
    assert japanese["headline"] == "[ja] 해안 도시, 빗물 저장 터널 완공"
    assert japanese["key_points"] == "[ja] 터널 길이 3킬로미터\n[ja] 저장 용량 20만 톤"
    assert TAGS.findall(japanese["body"]) == TAGS.findall(korean_story.body_ko)
    # The picture's words too, as this story's own; nothing without a source
    # is made up.
    assert japanese["caption"] == "[ja] 완공된 빗물 터널 내부"
    assert japanese["credit"] == "[ja] 뉴스룸 사진부"
    assert japanese["alt"].startswith("[ja] ")
    assert not japanese["feature_text"]
    assert all(record.is_machine for record in state_ja.fields.all())
    story = fresh(korean_story)
    assert story.version == version + 1
    assert story.feature_image_caption_ja == "[ja] 완공된 빗물 터널 내부"
    # The library's picture is not written.
    image = story.feature_image
    assert image.version == korean_story.feature_image.version
    assert (image.caption_ja, image.credit_ja) == (None, "")
    assert story.slug_ja
    comment = Version.objects.get_for_object(story).first().revision.comment
    with translation.override("en"):
        assert note_text(comment) == "Machine translation into Japanese (offline)"
    assert not Article.objects.live("ja").filter(pk=korean_story.pk).exists()
    assert state(korean_story, "en").status == Status.MISSING

    services.translation_review(article=story, language="ja", user=translator)
    assert state(korean_story, "ja").status == Status.UP_TO_DATE
    assert Article.objects.live("ja").filter(pk=korean_story.pk).exists()


def test_the_source_and_the_other_languages_are_never_written(
    offline, korean_story, editor
):
    korean, english = texts(korean_story, "ko"), texts(korean_story, "en")
    machine.translation_machine_translate(
        article=korean_story, language="ja", user=editor
    )
    assert texts(korean_story, "ko") == korean
    assert texts(korean_story, "en") == english


def test_a_second_run_replaces_a_persons_translation(offline, korean_story, editor):
    edit(korean_story, editor, **JAPANESE)
    machine.translation_machine_translate(
        article=korean_story, language="ja", user=editor
    )
    assert fresh(korean_story).headline_ja.startswith("[ja] ")
    assert state(korean_story, "ja").status == Status.NEEDS_REVIEW


def test_only_editors_and_translators_of_that_language_may_run_it(
    offline, korean_story, translator, en_translator, editor
):
    with pytest.raises(PermissionDenied):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=en_translator
        )
    with pytest.raises(ValidationError):
        machine.translation_machine_translate(
            article=korean_story, language="ko", user=editor
        )
    machine.translation_machine_translate(
        article=korean_story, language="en", user=en_translator
    )
    assert state(korean_story, "en").status == Status.NEEDS_REVIEW
    assert fresh(korean_story).headline_ja == ""


def test_off_by_default_it_refuses(settings, korean_story, editor):
    settings.NEWSROOM_MACHINE_TRANSLATOR = ""
    assert not machine.is_enabled()
    with pytest.raises(ValidationError, match="not available"):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=editor
        )
    assert state(korean_story, "ja").status == Status.MISSING


class BrokenTranslator(machine.OfflineTranslator):
    def translate(self, texts, source, target, is_html, glossary=None):
        if is_html:
            raise machine.MachineTranslationError("The service is down.")
        return super().translate(texts, source, target, is_html, glossary)


def test_a_backend_error_leaves_everything_as_it_was(
    offline, korean_story, editor, monkeypatch
):
    monkeypatch.setattr(machine, "get_translator", BrokenTranslator)
    before = texts(korean_story, "ja")
    with pytest.raises(ValidationError, match="The service is down."):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=editor
        )
    assert texts(korean_story, "ja") == before
    assert fresh(korean_story).version == korean_story.version
    assert state(korean_story, "ja").status == Status.MISSING


class LongTranslator(machine.OfflineTranslator):
    def translate(self, texts, source, target, is_html, glossary=None):
        return ["長" * 201 for _text in texts]


def test_a_headline_too_long_for_its_field_writes_nothing(
    offline, korean_story, editor, monkeypatch
):
    monkeypatch.setattr(machine, "get_translator", LongTranslator)
    with pytest.raises(ValidationError, match="longer than 200 characters"):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=editor
        )
    assert fresh(korean_story).headline_ja == ""


def test_a_source_changed_during_translation_writes_nothing(
    offline, korean_story, editor, monkeypatch
):
    class MeanwhileTranslator(machine.OfflineTranslator):
        def translate(self, texts, source, target, is_html, glossary=None):
            Article.objects.filter(pk=korean_story.pk).update(dek_ko="새 요약.")
            return super().translate(texts, source, target, is_html, glossary)

    monkeypatch.setattr(machine, "get_translator", MeanwhileTranslator)
    with pytest.raises(ValidationError, match="changed while"):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=editor
        )
    assert fresh(korean_story).headline_ja == ""


def test_the_glossary_reaches_the_backend(offline, korean_story, editor):
    GlossaryTermFactory(name_ko="빗물 터널", name_ja="雨水トンネル", name_en="")
    machine.translation_machine_translate(
        article=korean_story, language="ja", user=editor
    )
    assert "雨水トンネル" in fresh(korean_story).body_ja


def test_a_picture_another_live_story_shows_is_translated_for_this_story_only(
    offline, korean_story, editor
):
    other = ArticleFactory(feature_image=korean_story.feature_image)
    assert Article.objects.live("ja").filter(pk=other.pk).exists()
    other_state = state(other, "ja")

    machine.translation_machine_translate(
        article=korean_story, language="ja", user=editor
    )

    assert texts(korean_story, "ja")["caption"] == "[ja] 완공된 빗물 터널 내부"
    assert state(korean_story, "ja").status == Status.NEEDS_REVIEW
    # The other story shows what it showed, live and untouched.
    assert texts(other, "ja")["caption"] == ""
    assert Article.objects.live("ja").filter(pk=other.pk).exists()
    after = state(other, "ja")
    assert (after.status, after.has_machine_text) == (
        other_state.status,
        False,
    )
    assert not FieldTranslation.objects.filter(
        state__article=other, is_machine=True
    ).exists()


# DeepL, through a stand-in for the `deepl` package


class FakeGlossary:
    def __init__(self, name, glossary_id):
        self.name, self.glossary_id = name, glossary_id


def fake_deepl_module(fail_with: str | None = None) -> types.ModuleType:
    module = types.ModuleType("deepl")
    module.__spec__ = importlib.machinery.ModuleSpec("deepl", None)
    module.calls = []
    module.glossaries = []

    class DeepLException(Exception):
        pass

    class QuotaExceededException(DeepLException):
        pass

    class Result:
        def __init__(self, text):
            self.text = text

    class Translator:
        def __init__(self, auth_key):
            module.calls.append(("auth", auth_key))

        def translate_text(self, texts, **options):
            if fail_with:
                raise getattr(module, fail_with)("nope")
            module.calls.append(("translate", list(texts), options))
            return [Result(text.replace("터널", "トンネル")) for text in texts]

        def list_glossaries(self):
            return list(module.glossaries)

        def create_glossary(self, name, source_lang, target_lang, entries):
            module.calls.append(("create", name, source_lang, target_lang, entries))
            glossary = FakeGlossary(name, f"g{len(module.calls)}")
            module.glossaries.append(glossary)
            return glossary

        def delete_glossary(self, glossary_id):
            module.calls.append(("delete", glossary_id))
            module.glossaries[:] = [
                g for g in module.glossaries if g.glossary_id != glossary_id
            ]

    module.DeepLException = DeepLException
    module.QuotaExceededException = QuotaExceededException
    module.Translator = Translator
    return module


@pytest.fixture
def deepl(settings, monkeypatch):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "deepl"
    settings.DEEPL_AUTH_KEY = "key-from-the-environment"
    module = fake_deepl_module()
    monkeypatch.setitem(sys.modules, "deepl", module)
    return module


def calls(module, kind: str) -> list[tuple]:
    return [call for call in module.calls if call[0] == kind]


def test_deepl_gets_its_language_codes_html_handling_and_the_glossary(
    deepl, korean_story, editor
):
    GlossaryTermFactory(name_ko="빗물 터널", name_ja="雨水トンネル", name_en="")
    machine.translation_machine_translate(
        article=korean_story, language="ja", user=editor
    )
    assert calls(deepl, "auth") == [("auth", "key-from-the-environment")]
    [create] = calls(deepl, "create")
    assert create[2:] == ("KO", "JA", {"빗물 터널": "雨水トンネル"})
    plain, html = calls(deepl, "translate")
    assert plain[2] == {
        "source_lang": "KO",
        "target_lang": "JA",
        "tag_handling": None,
        "glossary": deepl.glossaries[0].glossary_id,
    }
    assert plain[1][0] == korean_story.headline_ko
    assert html[1] == [korean_story.body_ko]
    assert html[2]["tag_handling"] == "html"
    assert fresh(korean_story).body_ja == korean_story.body_ko.replace(
        "터널", "トンネル"
    )
    assert state(korean_story, "ja").machine_translator == "deepl"

    # English is British; no glossary has an English form, so none is sent.
    machine.translation_machine_translate(
        article=korean_story, language="en", user=editor
    )
    english = calls(deepl, "translate")[-1][2]
    assert english["target_lang"] == "EN-GB"
    assert english["glossary"] is None


def test_deepl_glossaries_are_reused_and_replaced_when_the_terms_change(
    deepl, korean_story, editor
):
    term = GlossaryTermFactory(name_ko="빗물 터널", name_ja="雨水トンネル")
    for _run in range(2):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=editor
        )
    assert len(calls(deepl, "create")) == 1

    term.name_ja = "雨水トンネル（新）"
    term.save()
    machine.translation_machine_translate(
        article=korean_story, language="ja", user=editor
    )
    first, second = calls(deepl, "create")
    assert first[1] != second[1]
    assert first[1].startswith("newsroom ko-ja ")
    assert [glossary.name for glossary in deepl.glossaries] == [second[1]]


def test_a_deepl_error_is_a_clear_message_and_nothing_changes(
    settings, monkeypatch, korean_story, editor
):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "deepl"
    settings.DEEPL_AUTH_KEY = "key"
    monkeypatch.setitem(
        sys.modules, "deepl", fake_deepl_module(fail_with="QuotaExceededException")
    )
    with pytest.raises(ValidationError, match="quota"):
        machine.translation_machine_translate(
            article=korean_story, language="ja", user=editor
        )
    assert fresh(korean_story).headline_ja == ""
    assert state(korean_story, "ja").status == Status.MISSING


# Configuration checks


def translation_checks(deploy: bool = False) -> list[str]:
    return [
        message.id
        for message in checks.run_checks(
            tags=["translations"], include_deployment_checks=deploy
        )
    ]


def test_checks_are_quiet_when_machine_translation_is_off(settings):
    settings.NEWSROOM_MACHINE_TRANSLATOR = ""
    assert translation_checks(deploy=True) == []


def test_checks_report_a_setting_that_cannot_work(settings, monkeypatch):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "babelfish"
    assert translation_checks() == ["translations.E001"]

    settings.NEWSROOM_MACHINE_TRANSLATOR = "deepl"
    settings.DEEPL_AUTH_KEY = ""
    monkeypatch.delitem(sys.modules, "deepl", raising=False)
    monkeypatch.setattr(machine.importlib.util, "find_spec", lambda name: None)
    assert translation_checks() == ["translations.E002", "translations.E003"]
    with pytest.raises(Exception, match="DEEPL_AUTH_KEY"):
        machine.get_translator()


def test_the_offline_backend_is_a_warning_in_production(settings):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"
    assert translation_checks() == []
    assert translation_checks(deploy=True) == ["translations.W001"]


# The admin button


def test_the_button_translates_over_http(offline, client, korean_story, editor):
    log_in(client, editor)
    page = client.get(change_url(korean_story)).content.decode()
    assert page.count(machine_url(korean_story, "ja")) == 1
    assert page.count(machine_url(korean_story, "en")) == 1
    assert machine_url(korean_story, "ko") not in page

    response = client.post(machine_url(korean_story, "ja"))
    assert response.status_code == 302
    assert response["Location"] == change_url(korean_story) + "#translations"
    assert state(korean_story, "ja").status == Status.NEEDS_REVIEW
    [message] = get_messages(response.wsgi_request)
    assert "fields now have a machine translation into Japanese" in str(message)
    assert "Readers do not see it" in str(message)

    assert client.get(machine_url(korean_story, "ja")).status_code == 405


def test_a_translator_sees_the_button_for_their_language_only(
    offline, client, korean_story, translator
):
    log_in(client, translator)
    page = client.get(change_url(korean_story)).content.decode()
    assert machine_url(korean_story, "ja") in page
    assert machine_url(korean_story, "en") not in page
    assert client.post(machine_url(korean_story, "en")).status_code == 403
    assert state(korean_story, "en").status == Status.MISSING


def test_switched_off_there_is_no_button_and_the_view_refuses(
    settings, client, korean_story, editor
):
    settings.NEWSROOM_MACHINE_TRANSLATOR = ""
    log_in(client, editor)
    page = client.get(change_url(korean_story)).content.decode()
    assert "Machine translate" not in page
    response = client.post(machine_url(korean_story, "ja"))
    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert "Nothing was machine translated" in str(message)
    assert state(korean_story, "ja").status == Status.MISSING


def test_the_button_counts_the_pictures_words_among_the_fields(
    offline, client, korean_story, editor
):
    ArticleFactory(feature_image=korean_story.feature_image)
    translate_image(korean_story, "ja", editor)
    log_in(client, editor)
    response = client.post(machine_url(korean_story, "ja"))
    [success] = (str(m) for m in get_messages(response.wsgi_request))
    # Headline, dek, key points, body, and the picture's alt text, caption
    # and credit.
    assert success.startswith("7 fields now have a machine translation")
