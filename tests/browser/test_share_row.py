"""The story page's share row: links and buttons drawn alike."""

import pytest

from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_the_share_buttons_line_up_with_the_share_links(
    recorded_page, live_server, language
):
    story = ArticleFactory()
    page = recorded_page.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + story.get_absolute_url(language))
    boxes = [
        control.bounding_box()
        for control in page.locator(".share-links a, .share-links button").all()
    ]
    assert len(boxes) == 6
    # One row at this width: each control as tall as the others, on one line.
    assert {round(box["height"]) for box in boxes} == {round(boxes[0]["height"])}
    assert {round(box["y"]) for box in boxes} == {round(boxes[0]["y"])}
