from urllib.parse import unquote

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def body_editor(page, language: str):
    """Return the rich-text editing area of the body in `language`."""
    return page.locator(
        ".prose-editor", has=page.locator(f"#id_body_{language}")
    ).get_by_role("textbox")


def log_in(page, base_url: str) -> None:
    UserFactory(username="desk", password="pw-desk-1", superuser=True)
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "pw-desk-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def test_editor_translates_a_headline_in_the_japanese_tab(recorded_page, live_server):
    page = recorded_page.page
    article = ArticleFactory(without_ja=True)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    # modeltranslation groups each field's languages into jQuery UI tabs.
    headline_tabs = page.locator(".ui-tabs", has=page.locator("#id_headline_ja"))
    tab_labels = headline_tabs.locator(".ui-tabs-nav li").all_inner_texts()
    assert [label.lower() for label in tab_labels] == ["ko", "ja", "en"]
    assert page.locator("#id_headline_ja").is_hidden()
    headline_tabs.locator(".ui-tabs-nav li", has_text="JA").click()
    page.fill("#id_headline_ja", "釜山港の貨物量が増加")
    body_tabs = page.locator(".ui-tabs", has=page.locator("#id_body_ja"))
    body_tabs.locator(".ui-tabs-nav li", has_text="JA").click()
    body_editor(page, "ja").click()
    page.keyboard.type("釜山港のコンテナ取扱量が増えた。")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")

    article.refresh_from_db()
    assert article.headline_ja == "釜山港の貨物量が増加"
    assert article.slug_ja == "釜山港の貨物量が増加"
    assert recorded_page.external_requests == []


def test_reader_goes_from_home_to_a_story_and_to_its_translation(
    recorded_page, live_server
):
    page = recorded_page.page
    article = ArticleFactory(headline_ko="남해안 해상풍력 단지 착공")
    ArticleFactory(without_en=True, status=Article.Status.PUBLISHED)

    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/ko/"
    page.click(f"text={article.headline_ko}")
    assert page.locator("h1").inner_text() == article.headline_ko

    page.click(".language-switcher a[lang=en]")
    assert unquote(page.url) == f"{live_server.url}/en/stories/{article.slug_en}/"
    assert page.locator("h1").inner_text() == article.headline_en
    assert page.locator("html").get_attribute("lang") == "en"
    assert recorded_page.external_requests == []


@pytest.mark.parametrize(
    ("language", "word_break"), [("ko", "keep-all"), ("ja", "normal")]
)
def test_the_korean_desk_breaks_lines_between_words_only(
    recorded_page, live_server, language, word_break
):
    page = recorded_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.click("input[name=_save]")
    error = page.locator(".errornote")
    assert page.locator("html").get_attribute("lang") == language
    # Korean wraps at spaces (a word split across lines reads as two words);
    # Japanese has no spaces and wraps between any two characters.
    assert error.evaluate("node => getComputedStyle(node).wordBreak") == word_break
