"""remove_orphan_files: what it reports, what it deletes and what it never touches."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from images.management.commands import remove_orphan_files
from images.models import Rendition
from images.renditions import renditions_generate
from images.sharecards.storage import share_card
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

TWO_HOURS_ON = timedelta(hours=2)


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    # A new in-memory storage per test: other tests' files would be orphans here.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def library() -> list[str]:
    """Store a picture, its renditions and a story's card; return their names."""
    image = ImageFactory()
    renditions = renditions_generate(image)
    assert renditions
    article = ArticleFactory(
        headline_en="Seoul extends late-night subway service to 1:30 a.m.",
        feature_image=image,
    )
    card = share_card(article, "en")
    return [image.file.name, *(r.file.name for r in renditions), card.file.name]


def store(name: str, size: int) -> str:
    """Store `size` bytes as `name`; return the name storage gave it."""
    return default_storage.save(name, ContentFile(b"\x00" * size))


@pytest.fixture
def orphans() -> dict[str, str]:
    """Store files of the library's kinds that no row names; return them by kind."""
    return {
        "original": store("images/2025/03/5f2c0d9e8b7a41c6a3e2f1d0c9b8a7e6.jpg", 1500),
        "rendition": store("renditions/9999/0a1b2c3d4e/fit-320.webp", 2500),
        "card": store("cards/9999/ja-0123456789ab.jpg", 3000),
    }


def run(*args: str) -> str:
    """Run the command as an operator would; return what it printed."""
    out = StringIO()
    call_command("remove_orphan_files", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_library_writes_only_under_the_walked_folders(library):
    # A folder renamed in the library but not here would hide its orphans.
    for name in library:
        assert name.split("/")[0] in remove_orphan_files.FOLDERS, name


def test_files_rows_name_are_kept(library):
    output = run("--delete", "--older-than", "0")
    assert output.strip() == "Deleted 0 orphaned files, 0.00 MB."
    assert all(default_storage.exists(name) for name in library)


def test_a_library_without_orphans_says_so(library):
    assert run("--older-than", "0").strip() == "No orphaned files."


def test_orphans_are_reported_with_their_sizes_and_not_deleted(library, orphans):
    output = run("--older-than", "0")
    lines = output.splitlines()
    assert lines == [
        f"orphan     1.5 kB  {orphans['original']}",
        f"orphan     2.5 kB  {orphans['rendition']}",
        f"orphan     3.0 kB  {orphans['card']}",
        "3 orphaned files, 0.01 MB; nothing deleted: run with --delete to remove them.",
    ]
    assert all(default_storage.exists(name) for name in [*library, *orphans.values()])


def test_delete_removes_the_orphans_and_keeps_the_named(library, orphans):
    output = run("--delete", "--older-than", "0")
    assert f"deleted    2.5 kB  {orphans['rendition']}" in output
    assert output.splitlines()[-1] == "Deleted 3 orphaned files, 0.01 MB."
    assert not any(default_storage.exists(name) for name in orphans.values())
    assert all(default_storage.exists(name) for name in library)
    assert run("--older-than", "0").strip() == "No orphaned files."


def test_a_rendition_whose_row_is_gone_is_an_orphan(library):
    rendition = Rendition.objects.order_by("pk").first()
    rendition.delete()
    output = run("--delete", "--older-than", "0")
    assert output.splitlines()[-1] == "Deleted 1 orphaned file, 0.00 MB."
    assert not default_storage.exists(rendition.file.name)
    assert all(
        default_storage.exists(name) for name in library if name != rendition.file.name
    )


def test_recent_files_are_left_alone_until_old_enough(orphans):
    # Stored a moment ago, as an upload stores its file before its row commits.
    output = run("--delete")
    assert output.splitlines() == [
        "3 files without a row left alone: modified less than 3600 seconds ago, "
        "they may still be uploading.",
        "Deleted 0 orphaned files, 0.00 MB.",
    ]
    assert all(default_storage.exists(name) for name in orphans.values())
    assert "1.5 kB" not in run("--older-than", "86400")
    with time_machine.travel(timezone.now() + TWO_HOURS_ON):
        assert run("--delete").splitlines()[-1] == "Deleted 3 orphaned files, 0.01 MB."
    assert not any(default_storage.exists(name) for name in orphans.values())


def test_a_storage_that_cannot_tell_the_age_counts_files_as_old(monkeypatch, orphans):
    def cannot_tell(storage, name):
        raise NotImplementedError("no modification times here")

    monkeypatch.setattr(InMemoryStorage, "get_modified_time", cannot_tell)
    assert run().splitlines()[-1].startswith("3 orphaned files, 0.01 MB;")


def test_files_outside_the_library_folders_are_never_touched(library):
    outside = [
        store("images.zip", 100),
        store("imagery/2025/03/photo.jpg", 100),
        store("exports/cards/9999/en-0123456789ab.png", 100),
        store("backups/renditions/9999/0a1b2c3d4e/fit-320.webp", 100),
        store("documents/보도자료_2025.pdf", 100),
    ]
    with time_machine.travel(timezone.now() + TWO_HOURS_ON):
        output = run("--delete", "--older-than", "0")
    assert output.strip() == "Deleted 0 orphaned files, 0.00 MB."
    assert all(default_storage.exists(name) for name in [*library, *outside])


def test_a_file_a_row_came_to_name_during_the_walk_is_kept(monkeypatch, library):
    # As if the rows had been read before the library's files were stored.
    monkeypatch.setattr(remove_orphan_files, "named_files", set)
    output = run("--delete", "--older-than", "0")
    assert output.strip() == "Deleted 0 orphaned files, 0.00 MB."
    assert all(default_storage.exists(name) for name in library)


def test_a_failed_deletion_is_reported_and_the_others_go_on(monkeypatch, orphans):
    real_delete = InMemoryStorage.delete

    def refuse_cards(storage, name):
        if name.startswith("cards/"):
            raise PermissionError("read-only bucket")
        real_delete(storage, name)

    monkeypatch.setattr(InMemoryStorage, "delete", refuse_cards)
    errors = StringIO()
    with pytest.raises(CommandError, match="1 file could not be deleted"):
        call_command(
            "remove_orphan_files",
            "--delete",
            "--older-than",
            "0",
            stdout=StringIO(),
            stderr=errors,
        )
    assert errors.getvalue() == (
        f"could not delete {orphans['card']}: read-only bucket\n"
    )
    assert default_storage.exists(orphans["card"])
    assert not default_storage.exists(orphans["original"])


def test_a_negative_age_is_refused():
    with pytest.raises(CommandError, match="cannot be negative"):
        run("--older-than", "-1")
