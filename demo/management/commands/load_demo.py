import json
import re
import secrets
from datetime import timedelta
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Author, Byline, Category, Correction, Series
from articles.services import article_texts_changed
from core.languages import LANGUAGE_CODES
from core.slugs import make_slug
from demo.content.illustrations import draw_illustration
from images.models import Image
from images.services import image_texts_save
from related.models import ExternalLink, RelatedArticle, Source
from tags.models import Tag

DEMO_FILE = Path(__file__).resolve().parent.parent.parent / "content" / "newsroom.json"
ADMIN_USERNAME = "admin"


PLACED_KEY = re.compile(r'data-image="@([a-z-]+)"')


def create(model, **fields):
    """Save a demo row the way a form would: validated first."""
    row = model(**fields)
    row.full_clean()
    row.save()
    return row


# One person per desk role: (username, group, languages they translate into).
DESK_ACCOUNTS = (
    ("reporter", "reporter", ()),
    ("editor", "editor", ()),
    ("translator-ja", "translator", ("ja",)),
    ("translator-en", "translator", ("en",)),
    ("translator-ko", "translator", ("ko",)),
)


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
            self.sections = {
                item["key"]: self.section(item) for item in data["sections"]
            }
            self.authors = {
                item["email"]: self.author(item) for item in data["authors"]
            }
            self.series = {
                item["key"]: self.one_series(item) for item in data["series"]
            }
            self.tags = {item["key"]: self.tag(item) for item in data["tags"]}
            self.images = {item["key"]: self.image(item) for item in data["images"]}
            added = {
                item["key"]: article
                for item in data["stories"]
                if (article := self.story(item))
            }
            # Related stories point at stories added before or now: link them last.
            stories = {
                item["key"]: Article.objects.get(
                    slug_ko=make_slug(item["ko"]["headline"])
                )
                for item in data["stories"]
            }
            for item in data["stories"]:
                if item["key"] in added:
                    self.relate(added[item["key"]], item, stories)
            # Each language's translation state, as a save through the desk;
            # then the source updates made after translation, which leave
            # their translations outdated for the translators to see.
            for article in added.values():
                article_texts_changed(article=article, stored=None)
            for item in data["stories"]:
                if item["key"] in added and "later_source_edit" in item:
                    self.edit_source(added[item["key"]], item["later_source_edit"])
        self.stdout.write(
            f"Demo newsroom: {len(added)} stories added, "
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

    def one_series(self, item: dict) -> Series:
        series = Series.objects.filter(title_en=item["title"]["en"]).first()
        if series is None:
            series = Series(
                **{f"title_{code}": item["title"][code] for code in LANGUAGE_CODES},
                **{
                    f"description_{code}": item["description"][code]
                    for code in LANGUAGE_CODES
                },
            )
            series.full_clean()
            series.save()
        return series

    def tag(self, item: dict) -> Tag:
        names = item["name"]
        for name in names.values():
            if existing := Tag.objects.matching(name).first():
                return existing
        tag = Tag(**{f"name_{code}": names.get(code, "") for code in LANGUAGE_CODES})
        tag.full_clean()
        tag.save()
        return tag

    def image(self, item: dict) -> Image:
        image = Image.objects.filter(alt_text_en=item["alt"]["en"]).first()
        if image is None:
            image = Image(
                source_url=item["source_url"],
                is_ai_generated=item["is_ai_generated"],
            )
            picture = draw_illustration(item["key"], item["palette"])
            image.file.save(f"{item['key']}.jpg", ContentFile(picture), save=False)
            image.full_clean()
            image.save()
            # Its words, as every other write of them: through the images service.
            texts = {}
            for code in LANGUAGE_CODES:
                texts[f"credit_{code}"] = item["credit"][code]
                texts[f"alt_text_{code}"] = item["alt"][code]
                texts[f"caption_{code}"] = item["caption"][code]
            image = image_texts_save(image=image, user=None, texts=texts)
        return image

    def story(self, item: dict) -> Article | None:
        """Add one story unless a story with its Korean address exists already."""
        if Article.objects.filter(slug_ko=make_slug(item["ko"]["headline"])).exists():
            return None
        is_published = item["status"] == Article.Status.PUBLISHED
        article = Article(
            category=self.sections[item["section"]],
            source_language="ko",
            status=item["status"],
            published_at=(
                timezone.now() - timedelta(hours=item["published_hours_ago"])
                if is_published
                else None
            ),
            is_breaking=item.get("is_breaking", False),
            placement=item.get("placement", ""),
            ai_use=item.get("ai_use", Article.AIUse.NONE),
            series=self.series.get(item.get("series")),
            feature_image=self.images.get(item.get("image")),
        )
        for code in LANGUAGE_CODES:
            for field, value in item.get(code, {}).items():
                if field == "key_points":
                    value = "\n".join(value)
                if field == "body":
                    # Pictures in the body name a demo picture by its key.
                    value = PLACED_KEY.sub(
                        lambda m: f'data-image="{self.images[m.group(1)].pk}"', value
                    )
                setattr(article, f"{field}_{code}", value)
        article.full_clean()
        with reversion.create_revision():
            reversion.set_comment("Demo newsroom")
            article.save()
            for position, email in enumerate(item["authors"]):
                Byline.objects.create(
                    article=article, author=self.authors[email], position=position
                )
            article.tags.set([self.tags[key] for key in item.get("tags", [])])
            for position, source in enumerate(item.get("sources", [])):
                create(Source, article=article, position=position, **source)
            for position, link in enumerate(item.get("external_links", [])):
                create(
                    ExternalLink,
                    article=article,
                    position=position,
                    url=link["url"],
                    language=link["language"],
                    **{
                        f"label_{code}": link["label"].get(code, "")
                        for code in LANGUAGE_CODES
                    },
                )
            for correction in item.get("corrections", []) if is_published else []:
                create(
                    Correction,
                    article=article,
                    corrected_at=article.published_at
                    + timedelta(hours=correction["hours_after_publication"]),
                    **{
                        f"text_{code}": text
                        for code, text in correction["text"].items()
                    },
                )
        return article

    def edit_source(self, article: Article, fields: dict) -> None:
        before = Article.objects.select_related("feature_image").get(pk=article.pk)
        for field, value in fields.items():
            setattr(article, f"{field}_{article.source_language}", value)
        article.full_clean()
        with reversion.create_revision():
            reversion.set_comment("Demo newsroom: the source updated")
            article.save()
        article_texts_changed(article=article, stored=before)

    def relate(self, article: Article, item: dict, stories: dict) -> None:
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article=article, related=stories[key], position=position)
            for position, key in enumerate(item.get("related", []))
        )

    def desk_accounts(self, password: str) -> None:
        """Add one person per desk role, to try the desk as each of them sees it.

        They share the admin's generated password. The translators' languages
        by name: the demo does not import the translations app.
        """
        user_model = get_user_model()
        group_model = apps.get_model("auth", "Group")
        translator_language = apps.get_model("translations", "TranslatorLanguage")
        for username, role, languages in DESK_ACCOUNTS:
            if user_model.objects.filter(username=username).exists():
                continue
            user = user_model.objects.create_user(
                username, f"{username}@newsroom.example", password, is_staff=True
            )
            user.groups.add(group_model.objects.get(name=role))
            for language in languages:
                translator_language.objects.create(user=user, language=language)

    def admin_login(self, login_file: Path) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(
                ADMIN_USERNAME, "admin@newsroom.example", password
            )
            self.desk_accounts(password)
            login_file.write_text(password + "\n", encoding="utf-8")
            login_file.chmod(0o600)
        if login_file.exists():
            password = login_file.read_text(encoding="utf-8").strip()
            self.stdout.write(
                f"Admin login: user '{ADMIN_USERNAME}', password '{password}' "
                "(as created; a password changed since is yours)."
            )
            self.stdout.write(
                "Desk accounts with the same password: "
                + ", ".join(
                    f"'{username}' ({' '.join([role, *languages])})"
                    for username, role, languages in DESK_ACCOUNTS
                )
                + "."
            )
        else:
            self.stdout.write(
                f"Admin login: user '{ADMIN_USERNAME}' exists already; its "
                "password was not set by this command."
            )
