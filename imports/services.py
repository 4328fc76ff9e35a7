"""Bring a Jekyll site's posts in as stories.

Each post is imported whole or not at all, in a transaction of its own: a
bad post is reported (its file and line) and the others go on. Importing the
same site again finds each story by its post's path (ImportedItem): a post
whose file changed updates its story, an unchanged one is left alone, and no
story is made twice. A dry run does everything in the same transactions and
rolls each back, so its report is what a real run would do.

Categories become sections through a mapping the desk writes (a category
not in it is reported, never made into a section); tags become the one tag
set (`Tag.objects.resolve`: a tag named so in any language is that tag);
the author is matched by e-mail address or name; pictures (the feature
image and those in the body) go into the image library through the same
checks as an upload, a file already there reused. Stories arrive as drafts,
or published at their source's time when asked (`publish`) by someone who
may publish.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles import permissions
from articles.models import Article, Author, Byline, Category, LanguageEdition
from articles.services import article_edition_save, article_publish, article_save
from core.languages import LANGUAGE_CODES
from core.users import DeskUser
from images import services as image_services
from images import uploads
from images.models import Image
from imports.blogmarkup import BodyPicture, house_body
from imports.jekyll import JekyllPost, PostProblem, post_address, read_post
from imports.models import ImportedItem, OldAddress
from imports.sites import ArchiveProblem, SiteFiles

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


@dataclass
class PostReport:
    """What became of one post, and what to know about it, line by line."""

    name: str
    outcome: str
    article_id: int | None = None
    # (line in the file or None, message), problems and warnings alike.
    notes: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    posts: list[PostReport] = field(default_factory=list)
    # Files of the site that were not read (a name leading out of it...).
    refused: dict[str, str] = field(default_factory=dict)
    # Categories no section is mapped to, with how many posts named them.
    unmapped: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False

    def counts(self) -> Counter[str]:
        return Counter(post.outcome for post in self.posts)


def in_any_language(field: str, lookup: str, value: str) -> Q:
    """Return the condition `<field>_<language>__<lookup>=value` for any language."""
    found = Q()
    for code in LANGUAGE_CODES:
        found |= Q(**{f"{field}_{code}__{lookup}": value})
    return found


def jekyll_site_import(
    *,
    files: SiteFiles,
    user: DeskUser,
    sections: dict[str, Category],
    dry_run: bool = False,
    publish: bool = False,
    site_timezone: tzinfo | None = None,
    default_language: str = "ko",
    progress: Callable[[int, int, PostReport], None] | None = None,
) -> ImportReport:
    """Import every post of the site in `files`; return what became of each.

    `sections` maps category names to sections. `publish`: stories go live
    at their source's time (needs the right to publish), else drafts.
    """
    # An archive brings dates and sections with it: an editor's work.
    if not (user.has_perm("articles.add_article") and permissions.can_publish(user)):
        raise PermissionDenied(_("Only editors may import an archive."))
    zone, style = _site_config(files)
    site_zone = site_timezone or zone
    names = list(files.posts())
    report = ImportReport(refused=dict(files.refused), dry_run=dry_run)
    for number, name in enumerate(names, start=1):
        post_report = PostReport(name=name, outcome=FAILED)
        try:
            with uploads.deleted_on_rollback(), transaction.atomic():
                _import_post(
                    files,
                    name,
                    post_report,
                    report,
                    user,
                    sections,
                    publish,
                    site_zone,
                    default_language,
                    style,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except (PostProblem, ArchiveProblem) as problem:
            post_report.notes.append((getattr(problem, "line", None), problem.message))
        except ValidationError as error:
            post_report.notes.extend((None, message) for message in error.messages)
        if dry_run:
            # Rolled back: the story it would have made has no number.
            post_report.article_id = None
        report.posts.append(post_report)
        if progress is not None:
            progress(number, len(names), post_report)
    return report


def _site_config(files: SiteFiles) -> tuple[tzinfo, str]:
    """Return the site's time zone and permalink style, from its _config.yml.

    Seoul's time and Jekyll's "date" style when it says nothing.
    """
    try:
        config = yaml.safe_load(files.read("_config.yml")) or {}
        zone = ZoneInfo(str(config.get("timezone") or "Asia/Seoul"))
        return zone, str(config.get("permalink") or "date")
    except (ArchiveProblem, yaml.YAMLError, ValueError, AttributeError, KeyError):
        return ZoneInfo("Asia/Seoul"), "date"


def _import_post(
    files: SiteFiles,
    name: str,
    post_report: PostReport,
    report: ImportReport,
    user: DeskUser,
    sections: dict[str, Category],
    publish: bool,
    site_zone: tzinfo,
    default_language: str,
    style: str,
) -> None:
    content = files.read(name)
    post = read_post(
        name, content, site_timezone=site_zone, default_language=default_language
    )
    language = post.language
    if language not in LANGUAGE_CODES:
        raise PostProblem(
            _("The post's language (%(language)s) is not one of %(languages)s.")
            % {"language": language or "-", "languages": ", ".join(LANGUAGE_CODES)}
        )
    fingerprint = hashlib.sha256(content).hexdigest()
    item = (
        ImportedItem.objects.select_related("article")
        .filter(source=ImportedItem.Source.JEKYLL, key=name)
        .first()
    )
    if item is not None and item.fingerprint == fingerprint:
        post_report.outcome = UNCHANGED
        post_report.article_id = item.article_id
        return
    article = item.article if item is not None else _story_of(post, language)
    loaded_version = None if article._state.adding else article.version
    section = None
    for category in post.categories:
        if category in sections:
            section = section or sections[category]
        else:
            report.unmapped[category] += 1
            post_report.notes.append(
                (None, _("No section for the category %(name)s.") % {"name": category})
            )
    # The source language's post gives what all languages share (section,
    # time, picture, tags, byline); a translation gives its own texts.
    shared = language == article.source_language
    with translation.override(language):
        _fill(article, post, language, section, files, user, post_report, shared)
        article_save(
            article=article,
            user=user,
            changed_fields=[
                f"{name}_{language}"
                for name in (
                    "headline",
                    "dek",
                    "feature_text",
                    "body",
                    "feature_image_alt",
                )
            ]
            + (["category", "feature_image", "published_at"] if shared else []),
            loaded_version=loaded_version,
        )
        if shared:
            article.tags.set(post.tags)
    if shared:
        _byline(article, post, post_report)
    _edition_dated(article, language, post)
    _old_address(article, language, post_address(post, style, site_zone), post_report)
    if publish and shared:
        if section is None:
            post_report.notes.append(
                (None, _("Left as a draft: a story needs a section to be published."))
            )
        else:
            article_publish(article=article, user=user, at=post.published_at)
    ImportedItem.objects.update_or_create(
        source=ImportedItem.Source.JEKYLL,
        key=name,
        defaults={
            "article": article,
            "language": language,
            "group": post.translation_key,
            "fingerprint": fingerprint,
        },
    )
    post_report.outcome = UPDATED if item is not None else CREATED
    post_report.article_id = article.pk


def _old_address(
    article: Article, language: str, path: str, post_report: PostReport
) -> None:
    """Lead the post's address in the archive to its story from now on."""
    taken = OldAddress.objects.filter(path=path).exclude(article=article).first()
    if taken is not None:
        post_report.notes.append(
            (
                None,
                _("The address %(path)s already leads to another story (#%(id)s).")
                % {"path": path, "id": taken.article_id},
            )
        )
        return
    OldAddress.objects.update_or_create(
        path=path, defaults={"article": article, "language": language}
    )


def _edition_dated(article: Article, language: str, post: JekyllPost) -> None:
    """Date `language`'s text as the archive does, not as the import's time.

    Readers would see a ten-year-old story "updated today" otherwise.
    """
    if post.published_at > timezone.now():
        return
    edition = LanguageEdition.objects.filter(article=article, language=language).first()
    article_edition_save(
        article=article,
        language=language,
        text_changed_at=post.published_at,
        behind_since=edition.behind_since if edition is not None else None,
    )


def _story_of(post: JekyllPost, language: str) -> Article:
    """Return the story `post` is a language of: its translation group's, or new.

    Posts sharing a `ref` or `translation_key` are one story; the first one
    imported gives its source language.
    """
    if post.translation_key:
        other = (
            ImportedItem.objects.select_related("article")
            .filter(source=ImportedItem.Source.JEKYLL, group=post.translation_key)
            .first()
        )
        if other is not None:
            same = (
                ImportedItem.objects.filter(
                    source=ImportedItem.Source.JEKYLL,
                    group=post.translation_key,
                    language=language,
                )
                .values_list("key", flat=True)
                .first()
            )
            if same is not None:
                raise PostProblem(
                    _(
                        "Another post of the translation group %(group)s is in"
                        " this language already: %(post)s."
                    )
                    % {"group": post.translation_key, "post": same},
                )
            return other.article
    return Article(source_language=language)


def _fill(
    article: Article,
    post: JekyllPost,
    language: str,
    section: Category | None,
    files: SiteFiles,
    user: DeskUser,
    post_report: PostReport,
    shared: bool,
) -> None:
    """Write the post's texts and pictures into `article`, in `language`.

    `shared`: the section, time and feature image too (the source's post).
    """
    if shared:
        if section is not None:
            article.category = section
        if post.image:
            image = _library_image(
                files, post.image, post.image_alt, name=post.path, user=user
            )
            if image is None:
                post_report.notes.append(
                    (None, _("Picture not brought in: %(src)s") % {"src": post.image})
                )
            else:
                article.feature_image = image
                if post.image_alt:
                    setattr(article, f"feature_image_alt_{language}", post.image_alt)
        # Kept on a draft too: published later, it keeps its source's date.
        article.published_at = post.published_at
    elif post.image_alt and article.feature_image_id:
        setattr(article, f"feature_image_alt_{language}", post.image_alt)

    def picture_id(picture: BodyPicture) -> int | None:
        image = _library_image(
            files, picture.src, picture.alt, name=post.path, user=user
        )
        if image is not None and image.pk == article.feature_image_id:
            # Blogs repeat their feature image atop the body; the page shows
            # it once, as the feature image.
            return None
        if image is None:
            line = (
                post.body_line + picture.line - 1
                if picture.line and post.markup == "html"
                else None
            )
            post_report.notes.append(
                (line, _("Picture not brought in: %(src)s") % {"src": picture.src})
            )
            return None
        return image.pk

    body = house_body(post.body_html, picture_id)
    setattr(article, f"headline_{language}", post.title)
    setattr(article, f"dek_{language}", post.excerpt)
    setattr(article, f"feature_text_{language}", post.feature_text)
    setattr(article, f"body_{language}", body.html)


def _library_image(
    files: SiteFiles, address: str, alt: str, *, name: str, user: DeskUser
) -> Image | None:
    """Return the library picture of the site's file at `address`, or None.

    Through the upload's own checks (kind, size, pixels); a file already in
    the library is that picture.
    """
    found = files.resolve(address, relative_to=name)
    if found is None:
        return None
    try:
        data = files.read(found)
    except ArchiveProblem:
        return None
    upload = SimpleUploadedFile(found.rsplit("/", 1)[-1], data)
    try:
        normalised = uploads.ImageUploadField().clean(upload)
    except ValidationError:
        return None
    same = image_services.image_same_file(normalised.source_sha256)
    if same is not None:
        return same
    image = Image(
        file=normalised, alt_text=alt[: Image._meta.get_field("alt_text").max_length]
    )
    image_services.image_save(image=image, user=user)
    return image


def _byline(article: Article, post: JekyllPost, post_report: PostReport) -> None:
    """Credit the post's author, found by e-mail address or name."""
    if not post.author:
        return
    author = Author.objects.filter(
        Q(email__iexact=post.author) | in_any_language("name", "iexact", post.author)
    ).first()
    if author is None:
        post_report.notes.append(
            (
                None,
                _("No author %(name)s in the desk: no byline.") % {"name": post.author},
            )
        )
        return
    Byline.objects.get_or_create(
        article=article, author=author, defaults={"position": 0}
    )
