import json
import secrets
from datetime import timedelta
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import LANGUAGE_CODES, Article, Author, Byline, Category
from articles.slugs import make_slug

DEMO_FILE = Path(__file__).resolve().parent.parent.parent / "demo" / "newsroom.json"
ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, authors, stories) and a demo admin "
        "account. Adds only what is missing, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--login-file",
            default=str(Path(settings.BASE_DIR) / ".demo-admin"),
            help="Where the demo admin's generated password is kept (git-ignored).",
        )

    def handle(self, *args, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            sections = {item["key"]: self.section(item) for item in data["sections"]}
            authors = {item["email"]: self.author(item) for item in data["authors"]}
            added = sum(self.story(item, sections, authors) for item in data["stories"])
        self.stdout.write(
            f"Demo newsroom: {added} stories added, "
            f"{Article.objects.count()} stories in the database."
        )
        self.admin_login(Path(options["login_file"]))

    def section(self, item: dict) -> Category:
        section, _created = Category.objects.get_or_create(
            slug_en=item["slug"]["en"],
            defaults={
                **{f"name_{code}": item["name"][code] for code in LANGUAGE_CODES},
                **{f"slug_{code}": item["slug"][code] for code in LANGUAGE_CODES},
                "position": len(Category.objects.all()),
            },
        )
        return section

    def author(self, item: dict) -> Author:
        author, _created = Author.objects.get_or_create(
            email=item["email"],
            defaults={f"name_{code}": item["name"][code] for code in LANGUAGE_CODES},
        )
        return author

    def story(self, item: dict, sections: dict, authors: dict) -> bool:
        """Add one story unless a story with its Korean address exists already."""
        if Article.objects.filter(slug_ko=make_slug(item["ko"]["headline"])).exists():
            return False
        article = Article(
            category=sections[item["section"]],
            source_language="ko",
            status=item["status"],
            published_at=(
                timezone.now() - timedelta(hours=item["published_hours_ago"])
                if item["status"] == Article.Status.PUBLISHED
                else None
            ),
        )
        for code in LANGUAGE_CODES:
            for field, value in item.get(code, {}).items():
                setattr(article, f"{field}_{code}", value)
        article.full_clean()
        with reversion.create_revision():
            reversion.set_comment("Demo newsroom")
            article.save()
            for position, email in enumerate(item["authors"]):
                Byline.objects.create(
                    article=article, author=authors[email], position=position
                )
        return True

    def admin_login(self, login_file: Path) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(
                ADMIN_USERNAME, "admin@newsroom.example", password
            )
            login_file.write_text(password + "\n", encoding="utf-8")
            login_file.chmod(0o600)
        if login_file.exists():
            password = login_file.read_text(encoding="utf-8").strip()
            self.stdout.write(
                f"Admin login: user '{ADMIN_USERNAME}', password '{password}' "
                "(as created; a password changed since is yours)."
            )
        else:
            self.stdout.write(
                f"Admin login: user '{ADMIN_USERNAME}' exists already; its "
                "password was not set by this command."
            )
