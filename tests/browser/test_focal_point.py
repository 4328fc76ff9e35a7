"""The focal point is set by clicking the picture; the crops follow it."""

import pytest

from articles.tests.factories import UserFactory
from images.tests.factories import ImageFactory, png_bytes
from tests.browser.desk import desk_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_clicking_the_subject_moves_the_focal_point_and_the_crops(browser, live_server):
    image = ImageFactory(file__data=png_bytes(1600, 800))
    UserFactory(username="mina", role="editor")
    context, page = desk_page(
        browser, live_server, "mina", "ja", viewport={"width": 1280, "height": 900}
    )
    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    # The previews are drawn once the page has loaded; the layout is final.
    page.wait_for_function(
        """() => document.querySelector('[data-crop="1:1"]').style.backgroundImage"""
    )
    area = page.locator("[data-focal-area]")
    box = area.bounding_box()
    thumb = page.locator('[data-crop="1:1"]')
    before = thumb.evaluate("element => element.style.backgroundPosition")
    # The subject sits near the right edge, a quarter of the way down.
    area.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.25})
    across = float(page.locator("#id_focal_x").input_value())
    down = float(page.locator("#id_focal_y").input_value())
    assert (across, down) == (
        pytest.approx(0.9, abs=0.01),
        pytest.approx(0.25, abs=0.01),
    )
    assert thumb.evaluate("element => element.style.backgroundPosition") != before
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state("load")
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (across, down)
    context.close()
