"""The story form's feature-image picker: thumbnail, words and size of each picture."""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory, UserFactory
from images.renditions import renditions_generate
from images.tests.factories import ImageFactory, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(client):
    person = UserFactory(role="reporter")
    client.force_login(person)
    return person


def test_search_results_carry_each_pictures_thumbnail_and_facts(client, reporter):
    image = ImageFactory(
        file__data=png_bytes(800, 600),
        caption_ja="夕方の港のクレーン",
        credit="Newsroom photo desk",
    )
    renditions_generate(image)
    ImageFactory(caption_ja="山の朝")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "港のクレーン",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "feature_image",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    (result,) = response.json()["results"]
    assert result["id"] == str(image.pk)
    assert "thumb-240" in result["thumb"]
    assert result["alt"] == image.alt_text_ja
    assert result["caption"] == "夕方の港のクレーン"
    assert result["facts"].startswith("800×600")
    assert "Newsroom photo desk" in result["facts"]


def test_the_story_form_knows_where_to_ask_for_the_chosen_pictures_card(
    client, reporter
):
    story = ArticleFactory(status="draft", published_at=None, created_by=reporter)
    html = client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert 'data-card-url="/admin/images/image/0/card/"' in html
    assert "js/desk_feature_image.js" in html


def test_a_pictures_card_answers_people_who_may_see_it(client, reporter):
    image = ImageFactory()
    url = reverse("admin:images_image_card", args=[image.pk])
    assert client.get(url).json()["alt"] == image.alt_text_ko
    assert client.get(reverse("admin:images_image_card", args=[999])).status_code == (
        404
    )
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
