"""Dates on the reader site: valid machine values, each language's own order."""

import re
from datetime import UTC, datetime

import pytest

from articles.models import Article, Correction
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# HTML's "valid global date and time string": at most three fraction digits.
VALID_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$"
)
# 2026-03-04 19:27:05.123456 UTC is 04:27 on 5 March in Seoul.
PUBLISHED = datetime(2026, 3, 4, 19, 27, 5, 123456, tzinfo=UTC)


@pytest.fixture
def story():
    article = ArticleFactory(published_at=PUBLISHED)
    Correction.objects.create(
        article=article, text_ko="정정", text_ja="訂正", text_en="Fix"
    )
    Article.objects.filter(pk=article.pk).update(updated_at=PUBLISHED.replace(day=6))
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_every_time_element_holds_a_valid_machine_value(client, story, language):
    html = client.get(story.get_absolute_url(language)).content.decode()
    values = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(values) >= 3  # published, updated, corrected
    assert [value for value in values if not VALID_DATETIME.match(value)] == []
    assert "2026-03-05T04:27:05+09:00" in values


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        # Korean puts 오전/오후 before the time.
        ("ko", "2026년 3월 5일 오전 4:27"),
        # Japanese leaves a space between the date and the time.
        ("ja", "2026年3月5日 4:27"),
        # The English edition is read abroad: it names the time zone.
        ("en", "March 5, 2026, 4:27 a.m. KST"),
    ],
)
def test_the_publication_time_reads_as_each_language_writes_it(
    client, story, language, shown
):
    html = client.get(story.get_absolute_url(language)).content.decode()
    assert f'<time datetime="2026-03-05T04:27:05+09:00">{shown}</time>' in html
