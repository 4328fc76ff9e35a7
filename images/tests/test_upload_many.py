"""Several pictures uploaded at once; the same file twice is recognised."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.tests.factories import UserFactory
from core.tests.formdata import form_data
from images.models import Image
from images.tests.factories import png_bytes

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:images_image_upload")


def picture_file(name: str, width: int = 40, height: int = 30) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(width, height), "image/png")


@pytest.fixture
def reporter(client):
    person = UserFactory(role="reporter")
    client.force_login(person)
    return person


def test_three_files_at_once_one_bad_keeps_the_good_ones(client, reporter):
    response = client.post(
        UPLOAD,
        {
            "files": [
                picture_file("harbour.png"),
                SimpleUploadedFile("notes.png", b"not a picture", "image/png"),
                picture_file("market.png", 50, 40),
            ]
        },
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    html = response.content.decode()
    assert Image.objects.count() == 2
    assert set(Image.objects.values_list("uploaded_by", flat=True)) == {reporter.pk}
    for name in ("harbour.png", "notes.png", "market.png"):
        assert name in html
    refused = html.split("is-refused", 1)[1].split("</li>", 1)[0]
    assert "notes.png" in refused and "사진" in refused  # why, in Korean


def test_one_file_a_request_answers_in_json(client, reporter):
    response = client.post(
        UPLOAD,
        {"files": [picture_file("harbour.png")]},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    (result,) = response.json()["results"]
    image = Image.objects.get()
    assert result["status"] == "added"
    assert result["url"] == reverse("admin:images_image_change", args=[image.pk])
    assert image.upload_sha256 and image.file_size


def test_the_same_file_again_offers_the_picture_already_there(client, reporter):
    client.post(UPLOAD, {"files": [picture_file("harbour.png")]})
    first = Image.objects.get()
    response = client.post(
        UPLOAD,
        {"files": [picture_file("harbour-copy.png")]},
        HTTP_ACCEPT="application/json",
    )
    (result,) = response.json()["results"]
    assert result["status"] == "same"
    assert result["url"] == reverse("admin:images_image_change", args=[first.pk])
    assert Image.objects.count() == 1


def test_the_picture_form_refuses_a_file_the_library_has(client, reporter):
    client.post(UPLOAD, {"files": [picture_file("harbour.png")]})
    first = Image.objects.get()
    add = reverse("admin:images_image_add")
    data = form_data(client.get(add).content.decode(), "image_form")
    payload = {name: values[0] for name, values in data.items() if values}
    payload["file"] = picture_file("again.png")
    response = client.post(add, payload, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "This file is in the library already" in html
    assert f'href="{reverse("admin:images_image_change", args=[first.pk])}"' in html
    assert Image.objects.count() == 1


def test_people_who_may_not_add_pictures_upload_nothing(client):
    client.force_login(UserFactory(role="translator", languages=("ja",)))
    response = client.post(UPLOAD, {"files": [picture_file("harbour.png")]})
    assert response.status_code == 403
    assert not Image.objects.exists()
