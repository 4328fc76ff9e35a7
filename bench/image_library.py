"""Time the picture library's grid with a newsroom-sized library.

    .venv/bin/python -m bench.image_library [--pictures 10000] [--runs 30]

Adds pictures (rows with their thumbnail renditions; no files are written,
the grid never reads storage) until the library holds --pictures, then
prints, per view, the median and 95th-percentile response time, the number
of SQL queries and the ratio to a reference measured in the same run
(Django's own password-change form: the machine is shared and its speed
drifts). Runs on the configured database (DATABASE_URL).
"""

import argparse
import os
from urllib.parse import quote

from bench.timing import print_timings

BENCH_CREDIT = "bench library"
WORDS_JA = ["港", "クレーン", "夕方", "市場", "選挙", "台風", "地下鉄", "半導体"]
WORDS_KO = ["항만", "크레인", "저녁", "시장", "선거", "태풍", "지하철", "반도체"]


def fill(total: int) -> None:
    from django.db import transaction

    from images.models import Image, Rendition

    have = Image.objects.count()
    batch = 1000
    with transaction.atomic():
        for start in range(have, total, batch):
            rows = []
            for number in range(start, min(start + batch, total)):
                a, b = number % 8, (number // 8) % 8
                rows.append(
                    Image(
                        file=f"images/bench/{number}.jpg",
                        width=4000,
                        height=3000,
                        file_size=2_000_000 + number,
                        alt_text_ko=f"{WORDS_KO[a]} {WORDS_KO[b]} 사진 {number}",
                        alt_text_ja=f"{WORDS_JA[a]}と{WORDS_JA[b]}の写真 {number}",
                        alt_text_en=f"Picture {number}",
                        caption_ja=f"{WORDS_JA[b]}の{WORDS_JA[a]}",
                        credit_ko=BENCH_CREDIT,
                        credit_en=BENCH_CREDIT,
                        licence=("ours", "agency", "CC BY 4.0")[number % 3],
                        is_ai_generated=number % 10 == 0,
                    )
                )
            made = Image.objects.bulk_create(rows)
            Rendition.objects.bulk_create(
                Rendition(
                    image=image,
                    spec=f"thumb-{width}.{ext}",
                    file=f"renditions/{image.pk}/bench/thumb-{width}.{ext}",
                    width=width,
                    height=width,
                    format=fmt,
                )
                for image in made
                for width in (120, 240)
                for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg"))
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from images.models import Image

    fill(options.pictures)
    user, _created = get_user_model().objects.get_or_create(
        username="bench-desk",
        defaults={"is_staff": True, "is_superuser": True, "email": "b@n.example"},
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    library = "/admin/images/image/"
    views = {
        "reference: password form": "/admin/password_change/",
        "library grid": library,
        "Japanese caption search": f"{library}?q={quote('夕方の港')}",
        "Korean alt search": f"{library}?q={quote('크레인 사진')}",
        "unused pictures": f"{library}?use=unused",
        "licence filter": f"{library}?licence=agency",
        "page 100": f"{library}?p=100",
        "chooser: first page": f"{library}choose/",
        "chooser: Japanese caption": f"{library}choose/?q={quote('夕方の港')}",
    }
    print(f"{Image.objects.count()} pictures in {connection.vendor}")
    print_timings(client, views, options.runs, width=26)


if __name__ == "__main__":
    main()
