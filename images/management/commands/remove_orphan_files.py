"""Find the picture library's stored files that no row names; remove them on request.

Only the folders the library writes are walked, through the Storage API alone,
so that it works on a local disk and on S3-compatible storage alike.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from images.models import Image, Rendition, ShareCard

# The folders the library writes: originals, named by image_upload_to in
# images/models.py, renditions, named in images/renditions.py, and share
# cards, named in images/sharecards/storage.py.
FOLDERS = ("images", "renditions", "cards")
MODELS = (Image, Rendition, ShareCard)
# Rows read per round trip, and names per `file__in` query: SQLite refuses
# queries with more than 999 parameters before its 3.32.
BATCH = 500


def walk(folder: str) -> Iterator[str]:
    """Yield the name of every file under `folder` in default storage, sorted."""
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            directories, files = default_storage.listdir(current)
        except FileNotFoundError:
            # Nothing was ever stored there (local disk, in-memory storage).
            continue
        for name in sorted(files):
            yield f"{current}/{name}"
        pending.extend(f"{current}/{name}" for name in sorted(directories)[::-1])


def named_files() -> set[str]:
    """Return the name of every file a library row points to."""
    names: set[str] = set()
    for model in MODELS:
        # No ordering: sorting millions of rows buys nothing here.
        rows = model.objects.exclude(file="").order_by().values_list("file", flat=True)
        names.update(rows.iterator(chunk_size=BATCH))
    return names


def still_named(names: list[str]) -> set[str]:
    """Return which of `names` a row points to now."""
    found: set[str] = set()
    for model in MODELS:
        found.update(
            model.objects.filter(file__in=names)
            .order_by()
            .values_list("file", flat=True)
        )
    return found


def aware(moment: datetime) -> datetime:
    """Return `moment` with a time zone: storages without USE_TZ give naive times."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def in_batches(names: Iterable[str]) -> Iterator[list[str]]:
    """Yield `names` in lists of at most BATCH."""
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def size_text(size: int) -> str:
    """Return a file size for people: bytes, kB or MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def files(count: int, kind: str = "") -> str:
    """Return "1 orphaned file", "3 orphaned files", "2 files"…"""
    noun = "file" if count == 1 else "files"
    return " ".join(filter(None, (str(count), kind, noun)))


class Command(BaseCommand):
    help = (
        "List the files under images/, renditions/ and cards/ in storage that no "
        "Image, Rendition or ShareCard row names, with their sizes. Nothing is "
        "deleted unless --delete is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete the orphaned files instead of only listing them.",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=3600,
            metavar="SECONDS",
            help=(
                "Leave alone files modified less than SECONDS ago (default 3600): "
                "an upload stores its file before its row is committed."
            ),
        )

    def handle(self, *args, delete: bool, older_than: int, **options):
        if older_than < 0:
            raise CommandError("--older-than cannot be negative.")
        # Fixed before the rows are read: a file stored before the cutoff has
        # its row committed by then, unless its upload took longer than
        # --older-than.
        self.cutoff = aware(timezone.now()) - timedelta(seconds=older_than)
        self.recent = 0
        named = named_files()
        count = total = failed = 0
        unnamed = (
            name for folder in FOLDERS for name in walk(folder) if name not in named
        )
        for batch in in_batches(name for name in unnamed if self.old_enough(name)):
            # The walk of a large storage takes long: a row may have come to
            # name one of these files since the names were read.
            kept = still_named(batch)
            for name in batch:
                if name in kept:
                    continue
                try:
                    size = default_storage.size(name)
                except FileNotFoundError:
                    continue  # removed meanwhile, by the library or another run
                if delete:
                    # Whatever the storage raises (OSError, botocore's
                    # ClientError…), one file must not stop the others.
                    try:
                        default_storage.delete(name)
                    except Exception as error:
                        failed += 1
                        self.stderr.write(f"could not delete {name}: {error}")
                        continue
                    self.stdout.write(f"deleted {size_text(size):>9}  {name}")
                else:
                    self.stdout.write(f"orphan  {size_text(size):>9}  {name}")
                count += 1
                total += size
        if self.recent:
            self.stdout.write(
                f"{files(self.recent)} without a row left alone: modified less "
                f"than {older_than} seconds ago, they may still be uploading."
            )
        megabytes = f"{total / 1_000_000:.2f} MB"
        if delete:
            self.stdout.write(
                self.style.SUCCESS(f"Deleted {files(count, 'orphaned')}, {megabytes}.")
            )
        elif count:
            self.stdout.write(
                f"{files(count, 'orphaned')}, {megabytes}; nothing "
                "deleted: run with --delete to remove them."
            )
        else:
            self.stdout.write(self.style.SUCCESS("No orphaned files."))
        if failed:
            raise CommandError(f"{files(failed)} could not be deleted (see above).")

    def old_enough(self, name: str) -> bool:
        """Tell whether `name` was last modified before the cutoff."""
        try:
            modified = default_storage.get_modified_time(name)
        except NotImplementedError:
            return True  # the storage cannot tell: nothing to go by
        except FileNotFoundError:
            return False  # removed meanwhile
        if modified is None or aware(modified) <= self.cutoff:
            return True
        self.recent += 1
        return False
