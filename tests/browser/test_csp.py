"""The Content-Security-Policy blocks nothing our own pages need, in Chromium."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory
from images.tests.factories import ImageFactory
from tests.browser.test_admin_and_site import body_editor, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Runs in every document before its own scripts: reports each violation to the
# test as it happens, so none is lost when the page navigates.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
    sample: event.sample,
  })
})
"""


class PolicedPage:
    """A browser page that records what the policies blocked or got wrong."""

    def __init__(self, page) -> None:
        self.page = page
        self.violations: list[dict] = []
        self.console: list[str] = []
        page.expose_function("reportCspViolation", self._record)
        page.add_init_script(REPORT_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                self.console.append(message.text)
                if "Content Security Policy" in message.text
                or "Permissions-Policy" in message.text
                else None
            ),
        )

    def _record(self, violation: dict) -> None:
        self.violations.append(violation)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.ok, url
        # The policy is there to be tested at all.
        assert "content-security-policy" in response.headers, url

    def assert_nothing_blocked(self) -> None:
        assert self.violations == [], self.violations
        assert self.console == [], self.console


@pytest.fixture
def policed(browser, live_server):
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield PolicedPage(page)
    context.close()


def test_the_recorder_sees_an_inline_script_the_policy_blocks(policed, live_server):
    policed.goto(f"{live_server.url}/ko/")
    policed.page.evaluate(
        """() => new Promise((resolve) => {
            document.addEventListener("securitypolicyviolation", resolve)
            const script = document.createElement("script")
            script.textContent = "document.title = 'injected'"
            document.head.append(script)
        })"""
    )
    expect(policed.page).not_to_have_title("injected")
    assert [v["directive"] for v in policed.violations] == ["script-src-elem"]
    assert policed.console != []


def test_reader_pages_run_their_scripts_and_block_nothing(policed, live_server):
    page = policed.page
    article = ArticleFactory(
        headline_ko="부산항 물동량 증가", feature_image=ImageFactory()
    )
    with translation.override("ko"):
        story = article.get_absolute_url()

    policed.goto(f"{live_server.url}/ko/")
    # consent.js shows the banner: our own scripts run.
    expect(page.locator("#consent")).to_be_visible()

    # The story page carries JSON-LD, a data block the policy does not apply to.
    with page.expect_request(lambda request: request.method == "POST") as read:
        policed.goto(f"{live_server.url}{story}")
    assert read.value.url.startswith(live_server.url)
    assert page.locator('script[type="application/ld+json"]').count() == 1
    expect(page.locator("h1")).to_have_text("부산항 물동량 증가")
    expect(page.locator("article img").first).to_have_js_property("complete", True)

    policed.goto(f"{live_server.url}/ko/search/?q=부산항")
    expect(page.locator("main")).to_contain_text("부산항 물동량 증가")
    policed.assert_nothing_blocked()


def test_the_desk_edits_a_story_in_two_languages_and_blocks_nothing(
    policed, live_server
):
    page = policed.page
    article = ArticleFactory(body_ko="<p>첫 문단.</p>", body_ja="<p>最初の段落。</p>")

    policed.goto(f"{live_server.url}/admin/login/")
    log_in(page, live_server.url)
    policed.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.locator("#result_list")).to_contain_text(article.headline_ko)
    policed.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    # The editor came up (its import map ran) and takes typing.
    editor = body_editor(page, "ko")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" 둘째 문장.")
    expect(editor).to_have_text("첫 문단. 둘째 문장.")
    # modeltranslation's jQuery UI tabs switch languages.
    body_tabs = page.locator(".ui-tabs", has=page.locator("#id_body_ja"))
    body_tabs.locator(".ui-tabs-nav li", has_text="JA").click()
    expect(body_editor(page, "ja")).to_be_visible()
    expect(body_editor(page, "ko")).to_be_hidden()
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")

    article.refresh_from_db()
    assert article.body_ko == "<p>첫 문단. 둘째 문장.</p>"
    policed.assert_nothing_blocked()
