import time

from django.core.management.base import BaseCommand

from images.models import Image
from images.renditions import renditions_generate


class Command(BaseCommand):
    help = (
        "Make the responsive renditions every library image lacks (new images "
        "get theirs when saved); prints progress. Safe to run again."
    )

    def handle(self, *args, **options):
        images = Image.objects.order_by("pk").prefetch_related("renditions")
        total = images.count()
        started = time.perf_counter()
        for number, image in enumerate(images, start=1):
            try:
                made = renditions_generate(image)
            except (OSError, ValueError) as error:
                self.stderr.write(f"image {image.pk}: {error}")
                continue
            self.stdout.write(
                f"{number}/{total} image {image.pk}: {len(made)} renditions"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} images in {time.perf_counter() - started:.1f} s."
            )
        )
