from urllib.parse import quote

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory
from core.tests.formdata import form_data

pytestmark = pytest.mark.django_db


def change_slug(client, article: Article, **slugs) -> None:
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in slugs.items()})
    data["_save"] = ["Save"]
    assert client.post(url, data).status_code == 302


def test_a_changed_slug_redirects_the_old_address_permanently(desk, client):
    article = ArticleFactory(headline_ko="처음 제목")
    old_url = article.get_absolute_url("ko")
    change_slug(desk, article, slug_ko="새-주소")
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/ko/stories/" + quote("새-주소") + "/"
    assert client.get(response["Location"]).status_code == 200
    # Other languages keep their own addresses, untouched.
    assert client.get(article.get_absolute_url("ja")).status_code == 200


def test_a_slug_taken_back_is_an_address_again_not_a_redirect(desk, client):
    article = ArticleFactory(headline_en="First headline")
    first = article.slug_en
    change_slug(desk, article, slug_en="second-address")
    change_slug(desk, article, slug_en=first)
    assert client.get(f"/en/stories/{first}/").status_code == 200
    response = client.get("/en/stories/second-address/")
    assert response.status_code == 301
    assert response["Location"] == f"/en/stories/{first}/"


def test_the_old_address_of_an_unpublished_story_is_a_404(desk, client):
    article = ArticleFactory(headline_en="Soon gone")
    old = article.slug_en
    change_slug(desk, article, slug_en="renamed")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)
    assert client.get(f"/en/stories/{old}/").status_code == 404
