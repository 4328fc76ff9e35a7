"""Two editors saving at the same moment, on PostgreSQL's real row locks."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data
from images.tests.factories import ImageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locking is PostgreSQL's"
    ),
]


def test_two_simultaneous_saves_of_one_version_let_exactly_one_through():
    article = ArticleFactory(headline_ko="처음 제목")
    url = reverse("admin:articles_article_change", args=[article.pk])
    editors = UserFactory.create_batch(2, superuser=True)
    loaded = form_data(_client(editors[0]).get(url).content.decode(), "article_form")
    results = post_at_once(
        url,
        editors,
        lambda number: {**loaded, "headline_ko": [f"{number}번 편집자의 제목"]},
    )

    statuses = sorted(status for status, _html in results.values())
    assert statuses == [200, 302], results
    (winner,) = [number for number, (status, _html) in results.items() if status == 302]
    (loser_html,) = [html for status, html in results.values() if status == 200]
    assert "after you opened it" in loser_html
    article.refresh_from_db()
    assert article.headline_ko == f"{winner}번 편집자의 제목"
    assert article.version == 2


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (("caption_ko", "caption_ko"), [200, 302]),
        (("caption_ko", "caption_ja"), [302, 302]),
    ],
)
def test_two_simultaneous_saves_of_one_picture_merge_unless_they_change_one_field(
    fields, expected
):
    image = ImageFactory(caption_ko="처음 설명", caption_ja="最初の説明")
    url = reverse("admin:images_image_change", args=[image.pk])
    editors = UserFactory.create_batch(2, superuser=True)
    loaded = form_data(_client(editors[0]).get(url).content.decode(), "image_form")
    results = post_at_once(
        url, editors, lambda number: {**loaded, fields[number]: [f"{number}번 설명"]}
    )

    assert sorted(status for status, _html in results.values()) == expected, results
    image.refresh_from_db()
    saved = {
        fields[number]: f"{number}번 설명"
        for number, (status, _html) in results.items()
        if status == 302
    }
    assert {name: getattr(image, name) for name in saved} == saved
    assert image.version == 1 + len(saved)
    if expected == [200, 302]:
        (loser_html,) = [html for status, html in results.values() if status == 200]
        assert "after you opened it" in loser_html


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_at_once(url: str, editors, data_for) -> dict[int, tuple[int, str]]:
    """Post `data_for(n)` as editor n, all at the same moment, each in a thread.

    Return each editor's status and page (status 0 and the error if it raised).
    """
    start = threading.Barrier(len(editors))
    results: dict[int, tuple[int, str]] = {}

    def save(number: int) -> None:
        try:
            client = _client(editors[number])
            data = {**data_for(number), "_save": ["Save"]}
            start.wait()
            response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
            results[number] = (response.status_code, response.content.decode())
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            results[number] = (0, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(editors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
