"""An editor brings an archive in from the desk: upload, dry run, map, import."""

import zipfile

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import CategoryFactory, UserFactory
from tests.browser.desk import desk_page
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

POST = """---
title: 항구 야간 하역 재개
date: 2024-09-20 06:00:00 +0900
categories: [항만]
lang: ko
---
<p>야간 하역이 다시 시작됐다.</p>
"""


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_an_editor_dry_runs_then_imports_an_archive(
    browser, live_server, tmp_path, run_tasks, axe_source, language
):
    UserFactory(username="desk", role="editor")
    port = CategoryFactory(name_ko="항만", name_ja="港湾")
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as site:
        site.writestr("site/_config.yml", "timezone: Asia/Seoul\n")
        site.writestr("site/_posts/2024-09-20-night.html", POST)
    words = {
        "ko": ("아카이브 읽기", "파일 고르기", "실제로 가져오기", "새로 만듦"),
        "ja": ("アーカイブを読み込む", "ファイルを選ぶ", "本番でインポート", "新規"),
    }[language]
    read, choose, for_real, created = words
    context, page = desk_page(
        browser, live_server, "desk", language, viewport={"width": 390, "height": 844}
    )
    page.goto(f"{live_server.url}/admin/imports/importrun/add/")
    page.select_option("select[name=kind]", "jekyll")
    page.get_by_label(choose).set_input_files(str(archive))
    # The chosen file is named in the desk's language's place, not the browser's.
    expect(page.locator("[data-import-file-name]")).to_have_text("site.zip")
    page.get_by_role("button", name=read).click()
    expect(page.locator("progress")).to_be_attached()
    run_tasks()
    # The page refreshes itself to the report.
    expect(page.locator(".import-counts")).to_be_visible(timeout=15_000)
    expect(page.locator(".import-created strong")).to_have_text("1")
    assert not Article.objects.exists()
    assert serious_violations(page, axe_source) == []
    button = page.get_by_role("button", name=for_real)
    expect(button).to_be_in_viewport()
    page.get_by_label("항만").select_option(str(port.pk))
    button.click()
    run_tasks()
    expect(page.locator(".import-counts")).to_be_visible(timeout=15_000)
    expect(page.locator("tr.import-created td").first).to_have_text(created)
    story = Article.objects.get()
    assert story.category == port
    assert story.headline_ko == "항구 야간 하역 재개"
    context.close()
