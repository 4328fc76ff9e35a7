import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from images.tests.factories import ImageFactory


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="editor")


@pytest.fixture
def translator(db):
    return UserFactory(username="yuki", role="translator", languages=("ja",))


@pytest.fixture
def en_translator(db):
    return UserFactory(username="sam", role="translator", languages=("en",))


@pytest.fixture
def korean_story(db) -> Article:
    """A published Korean story with a picture, not yet translated."""
    return ArticleFactory(
        source_language="ko",
        headline_ko="해안 도시, 빗물 저장 터널 완공",
        dek_ko="장마철 침수를 막기 위한 터널이 문을 열었다.",
        body_ko="<p>도시의 새 빗물 터널이 <strong>오늘</strong> 문을 열었다.</p>",
        key_points_ko="터널 길이 3킬로미터\n저장 용량 20만 톤",
        without_ja=True,
        without_en=True,
        feature_image=ImageFactory(
            alt_text_ja="",
            alt_text_en="",
            caption_ko="완공된 빗물 터널 내부",
            credit_ko="뉴스룸 사진부",
            credit_ja="",
            credit_en="",
        ),
    )
