"""The story body editor: input methods, highlighting and ruby, end to end."""

import re

import pytest
from django.utils import translation
from django.utils.html import strip_tags
from playwright.sync_api import expect
from reversion.models import Version

from articles.revisions import note_text
from articles.tests.factories import ArticleFactory
from tests.browser.test_admin_and_site import body_editor, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def compose(cdp, steps: list[str], result: str) -> None:
    """Type through an input method: show each composition step, then commit."""
    for text in steps:
        cdp.send(
            "Input.imeSetComposition",
            {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
        )
    cdp.send("Input.insertText", {"text": result})


def start_new_paragraph(page, language: str) -> None:
    """Put the caret at the end of the body in `language` and press Enter.

    The caret goes there through the editor's own command: a click's caret
    position races with the tab switch, and where the caret starts is not
    what these tests are about.
    """
    editor = body_editor(page, language)
    editor.evaluate("element => element.editor.commands.focus('end')")
    # Tiptap focuses on the next animation frame: type only once it has.
    expect(editor).to_be_focused()
    page.keyboard.press("Enter")


def select_text(editor, text: str) -> None:
    """Select `text` in a one-paragraph body, as a person would with the mouse.

    Through the editor's command: keyboard selection in a headless browser
    races with ProseMirror reading the selection, and how the text gets
    selected is not what these tests are about.
    """
    editor.evaluate(
        """(element, text) => {
            const offset = element.editor.state.doc.textContent.indexOf(text)
            element.editor.chain().focus().setTextSelection(
                {from: offset + 1, to: offset + 1 + text.length}).run()
        }""",
        text,
    )
    expect(editor).to_be_focused()


def open_story(page, live_server, article) -> None:
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")


def select_body_tab(page, language: str) -> None:
    tabs = page.locator(".ui-tabs", has=page.locator(f"#id_body_{language}"))
    tabs.locator(".ui-tabs-nav li", has_text=language.upper()).click()


def save(page, live_server) -> None:
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")


def test_hangul_and_kana_kanji_typed_through_an_input_method_are_stored(
    recorded_page, live_server
):
    page = recorded_page.page
    article = ArticleFactory(
        body_ko="<p>첫 문단.</p>",
        body_ja="<p>最初の段落。</p>",
        body_en='<p>See <a href="https://www.example.org/">the notice</a>.</p>',
    )
    open_story(page, live_server, article)
    cdp = page.context.new_cdp_session(page)

    start_new_paragraph(page, "ko")
    compose(cdp, ["ㅎ", "하", "한"], "한")
    compose(cdp, ["ㄱ", "구", "국"], "국")
    compose(cdp, ["ㅇ", "어"], "어")

    select_body_tab(page, "ja")
    start_new_paragraph(page, "ja")
    compose(cdp, ["に", "にほ", "にほん", "日本"], "日本")
    compose(cdp, ["ご", "ごの", "語の"], "語の")
    compose(cdp, ["き", "きじ", "記事"], "記事")
    save(page, live_server)

    article.refresh_from_db()
    assert strip_tags(article.body_ko) == "첫 문단.한국어"
    assert article.body_ko == "<p>첫 문단.</p><p>한국어</p>"
    assert article.body_ja == "<p>最初の段落。</p><p>日本語の記事</p>"
    # The English body went through the editor untouched: not a change.
    (version, *_older) = Version.objects.get_for_object(article)
    with translation.override("ko"):
        assert note_text(version.revision.get_comment()) == (
            "변경한 항목: 본문 (한국어), 본문 (일본어)"
        )
    assert recorded_page.external_requests == []


def test_highlight_and_ruby_from_the_toolbar_are_stored_as_mark_and_ruby(
    recorded_page, live_server
):
    page = recorded_page.page
    article = ArticleFactory(body_ja="<p>東京で会議</p>")
    open_story(page, live_server, article)
    select_body_tab(page, "ja")
    editor = body_editor(page, "ja")
    container = page.locator(".prose-editor", has=page.locator("#id_body_ja"))

    # The admin speaks the browser's language (Korean): so do the buttons.
    select_text(editor, "会議")
    container.get_by_title("강조 표시").click()

    select_text(editor, "東京")
    container.get_by_title("읽는 법(루비)").click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input").nth(1).fill("とうきょう")
    dialog.locator("button[type=submit]").click()
    save(page, live_server)

    article.refresh_from_db()
    assert article.body_ja == (
        "<p><ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>"
        "で<mark>会議</mark></p>"
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ko", {"굵게", "기울임", "링크 넣기", "실행 취소", "인용"}),
        ("ja", {"太字", "斜体", "リンクを挿入", "元に戻す", "引用"}),
    ],
)
def test_the_editor_toolbar_speaks_the_desks_language(
    browser, live_server, language, words
):
    context = browser.new_context(locale=language)
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    article = ArticleFactory()
    open_story(page, live_server, article)
    toolbar = page.locator(".field-body_ko .prose-menubar")
    expect(toolbar.locator('[title="bold"]')).to_have_count(0)
    titles = set(
        toolbar.locator("[title]").evaluate_all(
            "buttons => buttons.map(button => button.getAttribute('title'))"
        )
    )
    assert words <= titles
    assert not {title for title in titles if title.isascii() and title.isalpha()}
    # The block menu's arrow is drawn, not a character our fonts lack.
    arrow = toolbar.locator(".prose-menubar__selected").evaluate(
        "element => getComputedStyle(element, '::after').content"
    )
    assert arrow in ('""', "none", "normal")
    context.close()


def test_headline_and_body_counts_show_what_readers_will_see_cut(browser, live_server):
    context = browser.new_context(locale="ko")
    context.add_cookies(
        [{"name": "django_language", "value": "ko", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    article = ArticleFactory(headline_ko="짧은 제목", body_ko="<p>가나다 라마</p>")
    open_story(page, live_server, article)
    counter = page.locator("#id_headline_ko-counter")
    expect(counter).to_have_text("5/40자")
    page.fill("#id_headline_ko", "가" * 45)
    expect(counter).to_contain_text("45/40자")
    expect(counter).to_contain_text("공유 카드")
    expect(counter).to_have_class(re.compile(r"\bis-over\b"))
    expect(page.locator("#id_body_ko-counter")).to_have_text("5자")
    editor = body_editor(page, "ko")
    editor.evaluate("element => element.editor.commands.focus('end')")
    expect(editor).to_be_focused()
    page.keyboard.type("바사")
    expect(page.locator("#id_body_ko-counter")).to_have_text("7자")
    context.close()
