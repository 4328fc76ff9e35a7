"""Every error of a desk form is listed at its top, each a link to its field."""

import re

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory
from core.tests.formdata import form_data
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    found = re.search(r'<ul class="error-summary".*?</ul>', html, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


def test_a_field_error_far_down_the_story_form_is_listed_at_its_top(desk):
    story = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(desk.get(url).content.decode(), "article_form")
    data["tags"] = [", ".join(f"tag{number}" for number in range(30))]
    data["_save"] = ["Save"]
    desk.cookies["django_language"] = "ko"
    html = desk.post(url, data).content.decode()
    listed = summary(html)
    assert '<a href="#id_tags">태그</a>' in listed
    assert "최대 20개" in listed
    # Above the first field of the form.
    assert html.index('class="error-summary"') < html.index('id="id_headline_ko"')


def test_an_inline_row_error_names_the_row(desk):
    story = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(desk.get(url).content.decode(), "article_form")
    data.update(
        {
            "sources-TOTAL_FORMS": ["1"],
            "sources-0-publisher": ["통계청"],
            "sources-0-position": ["0"],
            "sources-0-role": ["source"],
            "sources-0-url": ["not an address"],
            "_save": ["Save"],
        }
    )
    desk.cookies["django_language"] = "en"
    listed = summary(desk.post(url, data).content.decode())
    assert '<a href="#id_sources-0-url">Sources 1, Address</a>' in listed


def test_a_form_without_errors_has_no_summary(desk):
    picture = ImageFactory()
    html = desk.get(reverse("admin:images_image_change", args=[picture.pk]))
    assert "error-summary" not in html.content.decode()
