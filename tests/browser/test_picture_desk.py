"""Two editors save the same picture from their browsers: neither loses a change."""

import pytest

from articles.tests.factories import UserFactory
from images.models import Image
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_picture(browser, live_server, name: str, image: Image):
    UserFactory(username=name, superuser=True)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    return context, page


def set_value(page, selector: str, value: str) -> None:
    # The language tabs hide the other languages' fields; the form still sends them.
    page.eval_on_selector(selector, "(field, value) => { field.value = value; }", value)


def test_an_older_picture_form_saves_its_change_and_keeps_anothers(
    browser, live_server
):
    image = ImageFactory(caption_ko="첫 줄\n둘째 줄", credit="Photo desk")
    first, mine = open_picture(browser, live_server, "mina", image)
    second, theirs = open_picture(browser, live_server, "joon", image)

    set_value(theirs, "#id_caption_ko", "새 첫 줄\n새 둘째 줄")
    theirs.click("input[name=_save]")
    theirs.wait_for_url("**/admin/images/image/")

    # Mine was opened before their save; it changes the credit only.
    mine.fill("#id_credit_en", "Newsroom photo desk")
    mine.click("input[name=_save]")
    mine.wait_for_url("**/admin/images/image/")

    image.refresh_from_db()
    assert image.caption_ko == "새 첫 줄\n새 둘째 줄"
    assert image.credit_en == "Newsroom photo desk"
    assert image.version == 3

    # Both change the same caption: the later save is refused and says why.
    theirs.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    mine.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    set_value(theirs, "#id_caption_ko", "그들의 설명")
    theirs.click("input[name=_save]")
    theirs.wait_for_url("**/admin/images/image/")
    set_value(mine, "#id_caption_ko", "나의 설명")
    mine.click("input[name=_save]")
    assert (
        "after you opened it" in mine.locator(".errornote + ul.errorlist").inner_text()
    )
    image.refresh_from_db()
    assert image.caption_ko == "그들의 설명"
    first.close()
    second.close()
