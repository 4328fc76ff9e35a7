"""Time the desk's front page, story list and translation dashboard.

    .venv/bin/python -m bench.admin_list [--runs 30]

Prints, per view, the median and 95th-percentile response time, the number of
SQL queries and the ratio to a reference measured in the same run (Django's
own password-change form: the machine is shared and its speed drifts); run
bench.generate first for a realistic table.
"""

import argparse
import os

from bench.timing import print_timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    user, _created = get_user_model().objects.get_or_create(
        username="bench-desk",
        defaults={"is_staff": True, "is_superuser": True, "email": "b@n.example"},
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    views = {
        "reference: password form": "/admin/password_change/",
        "desk front page": "/admin/",
        "queue: in review": "/admin/articles/article/?queue=review",
        "queue: scheduled": "/admin/articles/article/?queue=scheduled",
        "story list": "/admin/articles/article/",
        "missing Japanese": "/admin/articles/article/?missing=ja",
        "published, section": "/admin/articles/article/?state=live"
        "&category__id__exact="
        + str(Article.objects.values("category").first()["category"]),
        "headline search": "/admin/articles/article/?q=%EA%B8%88%EB%A6%AC",
        "page 50": "/admin/articles/article/?p=50",
        "translation dashboard": "/admin/translations/translationstate/",
        "outdated Japanese": "/admin/translations/translationstate/"
        "?language=ja&state=outdated",
        "dashboard, section": "/admin/translations/translationstate/?section="
        + str(Article.objects.values("category").first()["category"]),
        "dashboard page 50": "/admin/translations/translationstate/?p=50",
    }
    print(f"{Article.objects.count()} stories in {connection.vendor}")
    print_timings(client, views, options.runs, width=24)


if __name__ == "__main__":
    main()
