import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_korean_and_japanese_text_round_trips_through_the_database():
    from articles.tests.factories import ArticleFactory

    article = ArticleFactory(
        headline_ko="한글 제목 ㄱㄴㄷ", headline_ja="漢字とかなの見出し"
    )
    article.refresh_from_db()
    assert (article.headline_ko, article.headline_ja) == (
        "한글 제목 ㄱㄴㄷ",
        "漢字とかなの見出し",
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_database_is_utf8_with_a_utf8_ctype():
    # Search (pg_trgm, case folding) misbehaves under LC_CTYPE C.
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
        cursor.execute(
            "SELECT datctype FROM pg_database WHERE datname = current_database()"
        )
        assert cursor.fetchone()[0].replace("-", "").lower().endswith("utf8")
