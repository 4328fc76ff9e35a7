"""The desk's archive imports: an editor uploads, reads the dry run, maps, imports."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import CategoryFactory, UserFactory
from imports.models import ImportRun

pytestmark = pytest.mark.django_db(transaction=True)

POST = """---
title: 철도 파업 끝나
date: 2024-08-01 07:00:00 +0900
categories: [사회]
lang: ko
---
<p>파업이 끝나고 열차가 다시 달린다.</p>
"""

BROKEN = """---
title: 깨진 글
date: 2024-08-02
tags: [하나
---
<p>본문</p>
"""


def site_zip() -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("site/_config.yml", "timezone: Asia/Seoul\n")
        archive.writestr("site/_posts/2024-08-01-strike.html", POST)
        archive.writestr("site/_posts/2024-08-02-broken.html", BROKEN)
    return SimpleUploadedFile("site.zip", out.getvalue(), "application/zip")


def upload(client, **fields):
    data = {
        "kind": "jekyll",
        "upload": site_zip(),
        "language": "ko",
        "dry_run": "on",
        **fields,
    }
    return client.post(reverse("admin:imports_importrun_add"), data)


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="desk", role="editor"))
    return client


def test_a_dry_run_reports_in_the_desk_s_language_and_saves_nothing(
    editor_client, run_tasks
):
    response = upload(editor_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:imports_importrun_change", args=[run.pk]
    )
    waiting = editor_client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    run_tasks()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert not Article.objects.exists()
    page = editor_client.get(response["Location"]).text
    assert "시험 실행: 아무것도 저장하지 않았습니다" in page
    assert "http-equiv" not in page
    # The broken post first, named by file and line, in Korean.
    assert page.index("2024-08-02-broken.html") < page.index("2024-08-01-strike.html")
    assert "_posts/2024-08-02-broken.html:4" in page
    assert "머리말(front matter)이 올바른 YAML이 아닙니다." in page
    assert "사회 (게시물 1건)" in page


def test_the_mapped_import_for_real_makes_the_stories(editor_client, run_tasks):
    society = CategoryFactory(name_ko="사회")
    upload(editor_client)
    run_tasks()
    first = ImportRun.objects.get()
    page = editor_client.get(reverse("admin:imports_importrun_change", args=[first.pk]))
    form = page.context["sections"]
    assert form.categories == ["사회"]
    response = editor_client.post(
        reverse("admin:imports_importrun_change", args=[first.pk]),
        {"section_0": str(society.pk), "_for_real": "1"},
    )
    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse(
        "admin:imports_importrun_change", args=[second.pk]
    )
    assert second.upload.name == first.upload.name
    assert second.sections == {"사회": society.pk}
    assert not second.dry_run
    run_tasks()
    story = Article.objects.get()
    assert story.headline_ko == "철도 파업 끝나"
    assert story.category == society
    assert story.status == Article.Status.DRAFT
    second.refresh_from_db()
    assert second.report["counts"] == {"created": 1, "failed": 1}


def test_a_file_of_the_wrong_kind_is_refused_at_the_top_of_the_form(editor_client):
    response = upload(
        editor_client,
        upload=SimpleUploadedFile("notes.txt", b"hello", "text/plain"),
    )
    assert response.status_code == 200
    page = response.text
    # The error is said at the top, then at the field.
    assert '<p class="errornote" role="alert">아래 오류를 고쳐 주십시오.</p>' in page
    assert page.index("errornote") < page.index("이 종류의 아카이브는 .zip 파일로")
    assert "이 종류의 아카이브는 .zip 파일로 올려 주십시오." in page
    assert not ImportRun.objects.exists()


def test_a_file_that_is_no_archive_fails_the_run_with_its_reason(
    editor_client, run_tasks
):
    upload(
        editor_client,
        upload=SimpleUploadedFile("site.zip", b"not a zip at all", "application/zip"),
    )
    run_tasks()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.problem == "site.zip: 폴더도 zip 파일도 아닙니다."
    page = editor_client.get(reverse("admin:imports_importrun_change", args=[run.pk]))
    assert 'class="errornote" role="alert"' in page.text


@pytest.mark.parametrize("role", ["reporter", "translator"])
def test_only_editors_may_upload_or_read_imports(client, role, run_tasks):
    editor = UserFactory(username="desk", role="editor")
    client.force_login(editor)
    upload(client)
    run = ImportRun.objects.get()
    client.force_login(UserFactory(username="other", role=role))
    assert client.get(reverse("admin:imports_importrun_add")).status_code == 403
    assert upload(client).status_code == 403
    change = reverse("admin:imports_importrun_change", args=[run.pk])
    assert client.get(change).status_code == 403
    run_tasks()
    # A forged "import for real" from someone who may not.
    assert client.post(change, {"_for_real": "1"}).status_code == 403
    delete = reverse("admin:imports_importrun_delete", args=[run.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ImportRun.objects.count() == 1
    assert client.get(reverse("admin:imports_importrun_changelist")).status_code == 403


def test_a_run_the_worker_went_quiet_on_may_be_started_again(editor_client):
    from datetime import timedelta

    from django.utils import timezone

    upload(editor_client)
    run = ImportRun.objects.get()
    change = reverse("admin:imports_importrun_change", args=[run.pk])
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, heard_at=timezone.now()
    )
    # At work: the page waits for it, and nothing starts a second one.
    assert "http-equiv" in editor_client.get(change).text
    assert editor_client.post(change, {"_for_real": "1"}).status_code == 403
    ImportRun.objects.filter(pk=run.pk).update(
        heard_at=timezone.now() - timedelta(minutes=11)
    )
    page = editor_client.get(change).text
    assert "http-equiv" not in page
    assert "이 가져오기 도중 백그라운드 작업이 응답하지 않습니다." in page
    response = editor_client.post(change, {"_dry_run": "1"})
    assert response.status_code == 302
    assert ImportRun.objects.count() == 2


def test_deleting_finished_runs_removes_their_file_once_none_reads_it(
    editor_client, run_tasks
):
    upload(editor_client)
    run_tasks()
    first = ImportRun.objects.get()
    editor_client.post(
        reverse("admin:imports_importrun_change", args=[first.pk]), {"_dry_run": "1"}
    )
    second = ImportRun.objects.exclude(pk=first.pk).get()
    storage = first.upload.storage
    assert storage.exists(first.upload.name)
    # Not while the second run waits for the worker.
    delete_second = reverse("admin:imports_importrun_delete", args=[second.pk])
    assert editor_client.post(delete_second, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:imports_importrun_changelist")
    editor_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
    )
    assert list(ImportRun.objects.all()) == [second]
    # The second run reads the same file.
    assert storage.exists(first.upload.name)
    run_tasks()
    editor_client.post(
        reverse("admin:imports_importrun_delete", args=[second.pk]), {"post": "yes"}
    )
    assert not ImportRun.objects.exists()
    assert not storage.exists(first.upload.name)


def test_a_dry_run_over_imported_posts_still_maps_their_categories(
    editor_client, run_tasks
):
    CategoryFactory(name_ko="사회")
    upload(editor_client, dry_run="")
    run_tasks()
    first = ImportRun.objects.get()
    assert not first.dry_run
    # Again, with no section chosen: the category is still offered.
    editor_client.post(
        reverse("admin:imports_importrun_change", args=[first.pk]),
        {"section_0": "", "_dry_run": "1"},
    )
    run_tasks()
    again = ImportRun.objects.exclude(pk=first.pk).get()
    assert again.report["counts"] == {"unchanged": 1, "failed": 1}
    page = editor_client.get(reverse("admin:imports_importrun_change", args=[again.pk]))
    assert page.context["sections"].categories == ["사회"]
    # The unchanged post links to its story, dry run or not.
    story = Article.objects.get()
    assert f'<a href="/admin/articles/article/{story.pk}/change/">#{story.pk}</a>' in (
        page.text
    )
