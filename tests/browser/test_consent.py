import pytest
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_rejecting_sets_no_cookie_and_is_remembered(recorded_page, live_server):
    page = recorded_page.page
    ArticleFactory()
    page.goto(f"{live_server.url}/ja/")
    banner = page.locator("#consent")
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="拒否する").click()
    expect(banner).to_be_hidden()
    page.reload()
    expect(page.locator("h2", has_text="最新")).to_be_visible()
    expect(banner).to_be_hidden()
    assert page.context.cookies() == []


def test_accepting_sets_one_first_party_cookie(recorded_page, live_server):
    page = recorded_page.page
    ArticleFactory()
    page.goto(f"{live_server.url}/en/")
    assert page.context.cookies() == []
    page.locator("#consent").get_by_role("button", name="Accept").click()
    expect(page.locator("#consent")).to_be_hidden()
    (cookie,) = page.context.cookies()
    assert cookie["name"] == "newsroom-consent"
    assert cookie["value"] == "accepted"
    assert cookie["domain"] in ("localhost", "127.0.0.1")
    page.goto(f"{live_server.url}/ko/")
    expect(page.locator("#consent")).to_be_hidden()
