"""The media desk's proof: the chooser dialog, pictures in the body, readers' pages.

A reporter finds a picture in the chooser by its Japanese caption, uploads
one in place, and puts another in the Korean body as a figure with a
caption of this story's own; readers of each language see that language's
caption and credit.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from articles.services import article_texts_changed
from articles.tests.factories import ArticleFactory, UserFactory
from images.models import Image, StoryPicture
from images.tests.factories import ImageFactory, png_bytes
from tests.browser.desk import desk_page
from tests.browser.test_admin_and_site import body_editor

pytestmark = pytest.mark.django_db(transaction=True)


def open_draft(browser, live_server, language="ko", **options):
    reporter = UserFactory(username="jiwoo", role="reporter")
    story = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=reporter
    )
    context, page = desk_page(browser, live_server, "jiwoo", language, **options)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector("#id_feature_image[data-dressed]", state="attached")
    return story, context, page


def test_the_chooser_finds_a_picture_by_its_japanese_caption(browser, live_server):
    crane = ImageFactory(
        alt_text_ko="저녁 부두의 크레인", caption_ja="夕方の港のクレーン"
    )
    ImageFactory(alt_text_ko="바닷가 모래밭", caption_ja="砂浜")
    story, context, page = open_draft(browser, live_server)
    page.get_by_role("button", name="라이브러리에서 고르기").click()
    dialog = page.get_by_role("dialog", name="사진 고르기")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".chooser-item")).to_have_count(2)
    dialog.get_by_label("대체 텍스트, 사진 설명, 크레디트로 찾기").fill("港のクレーン")
    dialog.get_by_label("대체 텍스트, 사진 설명, 크레디트로 찾기").press("Enter")
    expect(dialog.locator(".chooser-item")).to_have_count(1)
    item = dialog.locator(".chooser-item")
    expect(item.locator("img")).to_have_count(1)
    item.click()
    expect(dialog).to_have_count(0)
    preview = page.locator(".field-feature_image .feature-preview")
    expect(preview).to_contain_text("저녁 부두의 크레인")
    page.locator(".desk-action-bar input[name=_continue]").click()
    page.wait_for_load_state("load")
    story.refresh_from_db()
    assert story.feature_image == crane
    context.close()


def test_a_search_answered_before_the_first_page_shows_only_its_matches(
    browser, live_server
):
    ImageFactory(alt_text_ko="저녁 부두의 크레인")
    ImageFactory(alt_text_ko="바닷가 모래밭")
    story, context, page = open_draft(browser, live_server)
    held = []

    def hold_the_first_page(route):
        if "q=&" in route.request.url and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/admin/images/image/choose/**", hold_the_first_page)
    page.get_by_role("button", name="라이브러리에서 고르기").click()
    dialog = page.get_by_role("dialog", name="사진 고르기")
    dialog.get_by_label("대체 텍스트, 사진 설명, 크레디트로 찾기").fill("크레인")
    dialog.get_by_label("대체 텍스트, 사진 설명, 크레디트로 찾기").press("Enter")
    expect(dialog.locator(".chooser-item")).to_have_count(1)
    # The opening page's answer comes late: the search's matches stay alone.
    assert held
    held[0].continue_()
    page.wait_for_timeout(500)
    expect(dialog.locator(".chooser-item")).to_have_count(1)
    expect(dialog.locator(".chooser-item")).to_contain_text("크레인")
    context.close()


def test_a_picture_uploaded_in_the_chooser_is_chosen(browser, live_server, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not a picture at all")
    good = tmp_path / "harbour.png"
    good.write_bytes(png_bytes(40, 30))
    story, context, page = open_draft(browser, live_server)
    page.get_by_role("button", name="라이브러리에서 고르기").click()
    dialog = page.get_by_role("dialog", name="사진 고르기")
    upload = dialog.get_by_label("새 사진 올리기")
    upload.set_input_files(str(bad))
    # The refused file is named with the reason, at the top of the dialog.
    expect(dialog.get_by_role("alert")).to_contain_text("notes.png")
    assert Image.objects.count() == 0
    upload.set_input_files(str(good))
    expect(dialog).to_have_count(0)
    expect(page.locator(".field-feature_image .feature-preview")).to_be_visible()
    page.locator(".desk-action-bar input[name=_continue]").click()
    page.wait_for_load_state("load")
    story.refresh_from_db()
    assert story.feature_image == Image.objects.get()
    context.close()


def test_a_refused_upload_stays_named_when_the_library_answers_after_it(
    browser, live_server, tmp_path
):
    # The library's first page can come back after a quick refusal: its
    # answer must not wipe the refusal off the dialog.
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not a picture at all")
    ImageFactory(alt_text_ko="저녁 부두의 크레인")
    story, context, page = open_draft(browser, live_server)
    held = []
    page.route("**/admin/images/image/choose/**", lambda route: held.append(route))
    page.get_by_role("button", name="라이브러리에서 고르기").click()
    dialog = page.get_by_role("dialog", name="사진 고르기")
    dialog.get_by_label("새 사진 올리기").set_input_files(str(bad))
    expect(dialog.get_by_role("alert")).to_contain_text("notes.png")
    assert len(held) == 1
    held[0].continue_()
    expect(dialog.locator(".chooser-item")).to_have_count(1)
    expect(dialog.get_by_role("alert")).to_contain_text("notes.png")
    context.close()


def test_a_figure_with_a_korean_caption_reaches_readers_in_every_language(
    browser, live_server
):
    lighthouse = ImageFactory(
        alt_text_ko="방파제 끝의 붉은 등대",
        caption_ko="도서관의 기본 설명",
        caption_ja="防波堤の赤い灯台",
        credit_ko="뉴스룸 사진부",
        credit_ja="ニュースルーム写真部",
        credit_en="Newsroom photo desk",
    )
    story, context, page = open_draft(browser, live_server)
    editor = body_editor(page, "ko")
    editor.evaluate("element => element.editor.commands.focus('end')")
    container = page.locator(".prose-editor", has=page.locator("#id_body_ko"))
    container.get_by_title("사진", exact=True).click()
    dialog = page.get_by_role("dialog", name="사진 고르기")
    dialog.get_by_label("대체 텍스트, 사진 설명, 크레디트로 찾기").fill("붉은 등대")
    dialog.get_by_label("대체 텍스트, 사진 설명, 크레디트로 찾기").press("Enter")
    expect(dialog.locator(".chooser-item")).to_have_count(1)
    dialog.locator(".chooser-item").click()
    words = page.locator("dialog[open]")
    # The use starts from the library's Korean words.
    expect(words.get_by_label("사진 설명")).to_have_value("도서관의 기본 설명")
    expect(words.get_by_label("크레디트")).to_have_value("뉴스룸 사진부")
    words.get_by_label("사진 설명").fill("해 질 녘 방파제의 등대")
    words.get_by_label("본문 옆에 작게").check()
    words.locator("button[type=submit]").click()
    expect(container.locator(".desk-figure")).to_contain_text("해 질 녘 방파제의 등대")
    page.locator(".desk-action-bar input[name=_continue]").click()
    page.wait_for_load_state("load")

    story.refresh_from_db()
    assert f'data-image="{lighthouse.pk}"' in story.body_ko
    assert 'data-size="inset"' in story.body_ko
    assert (
        "<figcaption>해 질 녘 방파제의 등대<small>뉴스룸 사진부</small>"
        in story.body_ko
    )
    assert StoryPicture.objects.filter(article=story, image=lighthouse).exists()
    # Translated with the story: Japanese words of its own, English left to
    # the library's words.
    figure = f'<figure data-image="{lighthouse.pk}" data-size="inset">'
    Article.objects.filter(pk=story.pk).update(
        body_ja=f"<p>本文。</p>{figure}<figcaption>夕暮れの防波堤の灯台"
        "<small>ニュースルーム写真部</small></figcaption></figure>",
        body_en=f"<p>Body.</p>{figure}</figure>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    story.refresh_from_db()
    article_texts_changed(article=story, stored=None)
    expected = {
        "ko": ("해 질 녘 방파제의 등대", "뉴스룸 사진부"),
        "ja": ("夕暮れの防波堤の灯台", "ニュースルーム写真部"),
        "en": ("", "Newsroom photo desk"),
    }
    reader = context.new_page()
    for language, (caption, credit) in expected.items():
        reader.goto(f"{live_server.url}{story.get_absolute_url(language)}")
        shown = reader.locator(".story-body figure.story-figure--inset")
        expect(shown).to_have_count(1)
        expect(shown.locator("img")).to_have_attribute("loading", "lazy")
        expect(shown.locator(".credit")).to_have_text(credit)
        if caption:
            expect(shown.locator("figcaption")).to_contain_text(caption)
    context.close()
