import time

from django.core.management.base import BaseCommand

from core.retries import GivenUp
from images.models import Image
from images.renditions import renditions_run


class Command(BaseCommand):
    help = (
        "Make the responsive renditions every library image lacks, here and now "
        "(new images get theirs from the worker), and note each file's size where "
        "it is not known yet; prints progress. Safe to run again."
    )

    def handle(self, *args, **options):
        ids = list(Image.objects.order_by("pk").values_list("pk", flat=True))
        started = time.perf_counter()
        outcomes: dict[str, int] = {}
        for number, image_id in enumerate(ids, start=1):
            # As the worker runs it: a failure is retried later, or reported.
            try:
                outcome = renditions_run(image_id=image_id)
            except GivenUp as error:
                self.stderr.write(str(error))
                outcome = "failed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            self.stdout.write(f"{number}/{len(ids)} image {image_id}: {outcome}")
        summary = ", ".join(f"{count} {name}" for name, count in outcomes.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(ids)} images in {time.perf_counter() - started:.1f} s"
                + (f" ({summary})." if summary else ".")
            )
        )
