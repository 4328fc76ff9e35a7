from django.core.management.base import BaseCommand

from articles.services import article_run_live_effects, articles_due_for_live_effects


class Command(BaseCommand):
    help = (
        "Send the going-live signal (article_went_live, once per publication) "
        "for stories whose scheduled time has come. Stories are live from their "
        "time on without this; safe to run twice, late, or from several "
        "machines at once."
    )

    def handle(self, *args, **options):
        ran = sum(
            article_run_live_effects(article_id=article_id)
            for article_id in list(articles_due_for_live_effects())
        )
        self.stdout.write(f"Went live: {ran} stories.")
