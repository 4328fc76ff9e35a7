import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from articles.services import article_run_live_effects, articles_due_for_live_effects


class Command(BaseCommand):
    help = (
        "Send the going-live signal (article_went_live, once per publication) "
        "for stories whose scheduled time has come. Stories are live from their "
        "time on without this; safe to run twice, late, or from several "
        "machines at once. With --every, keep running, once every so many "
        "seconds (what `make run` starts)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Run again every SECONDS seconds until stopped.",
        )

    def handle(self, *args, every: int = 0, **options):
        while True:
            ran = sum(
                article_run_live_effects(article_id=article_id)
                for article_id in list(articles_due_for_live_effects())
            )
            if not every:
                self.stdout.write(f"Went live: {ran} stories.")
                return
            if ran:
                self.stdout.write(f"Went live: {ran} stories.")
            close_old_connections()
            time.sleep(every)
