"""Several pictures at once in the browser: a result per file, by its name."""

import pytest
from playwright.sync_api import expect

from articles.tests.factories import UserFactory
from images.models import Image
from images.tests.factories import png_bytes
from tests.browser.desk import desk_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_files_one_bad_each_get_their_result(browser, live_server):
    UserFactory(username="jiwoo", role="reporter")
    context, page = desk_page(browser, live_server, "jiwoo", "ko")
    page.goto(f"{live_server.url}/admin/images/image/")
    page.get_by_role("link", name="사진 여러 장 올리기").click()
    page.set_input_files(
        "#image-upload-files",
        [
            {"name": "항만.png", "mimeType": "image/png", "buffer": png_bytes(60, 40)},
            {"name": "메모.png", "mimeType": "image/png", "buffer": b"not a picture"},
            {"name": "시장.png", "mimeType": "image/png", "buffer": png_bytes(80, 50)},
        ],
    )
    results = page.locator(".image-upload-result")
    expect(results).to_have_count(3)
    expect(page.locator(".image-upload-result.is-added")).to_have_count(2)
    refused = page.locator(".image-upload-result.is-refused")
    expect(refused).to_contain_text("메모.png")
    assert Image.objects.count() == 2
    # The same file again: the library offers the picture it has.
    page.set_input_files(
        "#image-upload-files",
        [{"name": "또.png", "mimeType": "image/png", "buffer": png_bytes(60, 40)}],
    )
    same = page.locator(".image-upload-result.is-same")
    expect(same).to_contain_text("이미 라이브러리에 있습니다")
    assert Image.objects.count() == 2
    context.close()


def test_the_grid_counts_the_pictures_picked_for_an_action(browser, live_server):
    from images.tests.factories import ImageFactory

    for _ in range(3):
        ImageFactory()
    UserFactory(username="mina", role="editor")
    context, page = desk_page(browser, live_server, "mina", "ja")
    page.goto(f"{live_server.url}/admin/images/image/")
    counter = page.locator(".action-counter")
    boxes = page.locator(".image-card input.action-select")
    boxes.nth(0).check()
    boxes.nth(2).check()
    expect(counter).to_contain_text("2")
    expect(counter).to_contain_text("3")
    expect(page.locator(".image-card.is-selected")).to_have_count(2)
    context.close()
