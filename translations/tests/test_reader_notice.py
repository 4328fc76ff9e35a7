"""Readers of a translation behind its original are told so, with its own date."""

import json
import re
from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from articles.models import LanguageEdition
from articles.preview import preview_url
from translations import services
from translations.tests.test_services import JAPANESE, edit, state, translate_image

pytestmark = pytest.mark.django_db

NOTICE_JA = re.compile(
    r"原文（韓国語）は<time datetime=\"[^\"]+\">(.+?)</time>に更新されました。"
    r"この翻訳はそれ以前の版に基づいています。"
)


def page(client, article, language: str) -> str:
    article.refresh_from_db()
    response = client.get(article.get_absolute_url(language))
    assert response.status_code == 200
    return response.content.decode()


def date_modified(html: str) -> str:
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert data is not None
    return json.loads(data.group(1))["dateModified"]


def test_a_translation_behind_its_original_says_so_until_it_catches_up(
    client, korean_story, translator, editor
):
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        edit(korean_story, translator, **JAPANESE)
        translate_image(korean_story, "ja", translator)
    assert state(korean_story, "ja").status == "up_to_date"
    translated_at = start + timedelta(hours=1)
    assert not NOTICE_JA.search(page(client, korean_story, "ja"))

    with time_machine.travel(start + timedelta(days=2), tick=False):
        edit(
            korean_story, editor, body_ko="<p>도시의 빗물 터널이 어제 문을 열었다.</p>"
        )
    japanese = page(client, korean_story, "ja")
    notice = NOTICE_JA.search(japanese)
    assert notice, "no notice on the Japanese page"
    assert "日" in notice.group(1)
    # The Japanese page's time is when the Japanese text last changed.
    assert date_modified(japanese).startswith(translated_at.isoformat()[:16])
    korean = page(client, korean_story, "ko")
    assert "원문" not in korean and 'class="translation-behind"' not in korean
    assert date_modified(korean).startswith(
        (start + timedelta(days=2)).isoformat()[:16]
    )

    with time_machine.travel(start + timedelta(days=3), tick=False):
        edit(
            korean_story, translator, body_ja="<p>市の雨水トンネルが昨日開通した。</p>"
        )
    assert state(korean_story, "ja").status == "up_to_date"
    japanese = page(client, korean_story, "ja")
    assert not NOTICE_JA.search(japanese)
    assert date_modified(japanese).startswith(
        (start + timedelta(days=3)).isoformat()[:16]
    )


def test_the_upgrade_gives_existing_stories_their_editions(
    korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    edit(korean_story, editor, body_ko="<p>도시의 빗물 터널이 어제 문을 열었다.</p>")
    LanguageEdition.objects.all().delete()
    import_module("translations.migrations.0007_fill_language_editions").fill_editions(
        apps, None
    )
    editions = {
        e.language: e for e in LanguageEdition.objects.filter(article=korean_story)
    }
    assert set(editions) == {"ko", "ja"}
    assert editions["ko"].behind_since is None
    assert editions["ja"].behind_since is not None
    assert editions["ja"].text_changed_at == state(korean_story, "ja").translated_at


def test_a_language_readers_cannot_see_can_still_be_previewed(
    client, korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    korean_story.refresh_from_db()
    assert client.get(korean_story.get_absolute_url("ja")).status_code == 200
    services.translation_set_published(
        article=korean_story, language="ja", user=editor, is_published=False
    )
    assert client.get(korean_story.get_absolute_url("ja")).status_code == 404
    response = client.get(preview_url(korean_story, "ja"))
    assert response.status_code == 200
    assert JAPANESE["headline_ja"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
