import time

from django.core.management.base import BaseCommand

from articles.models import Article
from search.index import search_index_stories


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of every story (or of --story IDs), in "
        "batches, printing progress. Safe to run while the site serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument(
            "--story", dest="stories", type=int, nargs="+", action="extend"
        )

    def handle(self, *args, batch, stories, **options):
        ids = Article.objects.order_by("pk").values_list("pk", flat=True)
        if stories:
            ids = ids.filter(pk__in=stories)
        ids = list(ids)
        started = time.perf_counter()
        written = 0
        for start in range(0, len(ids), batch):
            written += search_index_stories(ids[start : start + batch])
            done = min(start + batch, len(ids))
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"{done}/{len(ids)} stories, {written} documents, {elapsed:.0f} s"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {len(ids)} stories ({written} documents) in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
