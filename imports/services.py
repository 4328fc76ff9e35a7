"""Bring an archive's posts in as stories: a Jekyll site, a WordPress export, pages.

Each reader (imports.jekyll, imports.wordpress, imports.htmlpage) turns its
source into entries; `archive_import` makes stories of them, the same way
whatever the source.

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
checks as an upload, a file already there reused, flagged AI-generated when
the source labels them so. "Read more at … source: URL" paragraphs become
the story's sources; links to other posts of the archive become related
stories; the source's AI-use label becomes the story's disclosure. Stories
arrive as drafts, or published at their source's time when asked
(`publish`) by someone who may publish; a post the source held unpublished
stays a draft.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles import permissions
from articles.models import Article, Author, Byline, Category, LanguageEdition
from articles.services import article_edition_save, article_publish, article_save
from core.languages import LANGUAGE_CODES
from core.retries import GivenUp, retry_later
from core.users import DeskUser
from images import services as image_services
from images import uploads
from images.models import Image
from imports.blogmarkup import BodyPicture, HouseBody, house_body
from imports.jekyll import post_address, site_entries
from imports.models import ImportedItem, ImportRun, OldAddress, imports_storage
from imports.posts import Citation, Entry, PostProblem, SourcePost
from imports.sites import ArchiveProblem, SiteFiles

if TYPE_CHECKING:
    from imports.wordpress import WordPressExport
from related.models import RelatedArticle, Source

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
# ImportedItem.key's and OldAddress.path's length.
MAX_KEY_CHARS = 500


@dataclass
class PostReport:
    """What became of one post, and what to know about it, line by line."""

    name: str
    outcome: str
    # The file the notes' lines are in.
    file: str = ""
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
    # Every category the posts name, with how many name it.
    categories: Counter[str] = field(default_factory=Counter)
    # What the source holds and was left out on purpose: (file, line, why).
    skipped: list[tuple[str, int | None, str]] = field(default_factory=list)
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
    """Import every post of the Jekyll site in `files`; return what became of each.

    `sections` maps category names to sections. `publish`: stories go live
    at their source's time (needs the right to publish), else drafts.
    """
    _check_editor(user)
    zone, style, url = _site_config(files)
    site_zone = site_timezone or zone
    return archive_import(
        source=ImportedItem.Source.JEKYLL,
        entries=site_entries(
            files, site_timezone=site_zone, default_language=default_language
        ),
        files=files,
        user=user,
        sections=sections,
        dry_run=dry_run,
        publish=publish,
        address=lambda post: post_address(post, style, site_zone),
        site_hosts=_hosts(url),
        progress=progress,
    )


def wordpress_export_import(
    *,
    files: SiteFiles,
    user: DeskUser,
    sections: dict[str, Category],
    dry_run: bool = False,
    publish: bool = False,
    include_pages: bool = False,
    site_timezone: tzinfo | None = None,
    default_language: str = "ko",
    progress: Callable[[int, int, PostReport], None] | None = None,
) -> ImportReport:
    """Import the posts of the WordPress export (WXR) in `files`.

    `files` is the export file alone, or a folder or zip holding it and the
    site's `wp-content/uploads` (its pictures).
    """
    _check_editor(user)
    export = _wordpress_export(
        files,
        site_timezone=site_timezone,
        include_pages=include_pages,
        default_language=default_language,
    )
    name = export.entries[0].file if export.entries else ""
    report = ImportReport()
    for line, reason in export.problems:
        report.posts.append(
            PostReport(name=name, file=name, outcome=FAILED, notes=[(line, reason)])
        )
    report.skipped = [(name, line, reason) for line, reason in export.skipped]
    return archive_import(
        source=ImportedItem.Source.WORDPRESS,
        entries=export.entries,
        files=files,
        user=user,
        sections=sections,
        dry_run=dry_run,
        publish=publish,
        site_hosts=_hosts(export.site_url),
        locate=lambda address, _name: _uploaded_picture(files, address),
        progress=progress,
        report=report,
    )


def _uploaded_picture(files: SiteFiles, address: str) -> str | None:
    """Return the export's copy of a picture a CDN or another host served.

    WordPress keeps every upload under `wp-content/uploads/<year>/<month>/`;
    an offloading plugin serves the same path from its own host.
    """
    path = unquote(urlsplit(address).path)
    tail = path.split("/uploads/", 1)[-1].lstrip("/")
    return files.resolve(f"/wp-content/uploads/{tail}") if tail else None


def _wordpress_export(
    files: SiteFiles,
    *,
    site_timezone: tzinfo | None,
    include_pages: bool,
    default_language: str,
) -> "WordPressExport":
    from imports.wordpress import MAX_EXPORT_BYTES, read_export

    exports = [name for name in files.names() if name.lower().endswith(".xml")]
    if len(exports) != 1:
        raise ArchiveProblem(
            _("The archive holds %(count)s export files (.xml); one is needed.")
            % {"count": len(exports)}
        )
    return read_export(
        files.read(exports[0], limit=MAX_EXPORT_BYTES),
        name=exports[0],
        site_timezone=site_timezone or ZoneInfo("Asia/Seoul"),
        include_pages=include_pages,
        default_language=default_language,
    )


def html_pages_import(
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
    """Import saved article pages: each .html file in `files` is one story.

    Their pictures are in the folder the browser saved beside each page
    (`page_files/`); a picture named by its old address is looked for there.
    """
    _check_editor(user)
    entries, hosts = _page_entries(
        files, site_timezone=site_timezone, default_language=default_language
    )
    return archive_import(
        source=ImportedItem.Source.HTML,
        entries=entries,
        files=files,
        user=user,
        sections=sections,
        dry_run=dry_run,
        publish=publish,
        site_hosts=hosts,
        locate=lambda address, page: _saved_picture(files, address, page),
        progress=progress,
    )


def _page_entries(
    files: SiteFiles, *, site_timezone: tzinfo | None, default_language: str
) -> tuple[list[Entry], set[str]]:
    """Return the saved pages' entries, and the host names of their old site."""
    from imports.htmlpage import MAX_PAGE_BYTES, page_address, read_page

    zone = site_timezone or ZoneInfo("Asia/Seoul")

    def reader(name: str) -> Callable[[], SourcePost]:
        return lambda: read_page(
            name,
            files.read(name, limit=MAX_PAGE_BYTES),
            site_timezone=zone,
            default_language=default_language,
        )

    entries = []
    hosts: set[str] = set()
    for name in files.names():
        if not name.lower().endswith((".html", ".htm")) or "_files/" in name:
            continue
        try:
            content = files.read(name, limit=MAX_PAGE_BYTES)
            key = page_address(content) or name
        except (PostProblem, ArchiveProblem):
            # Read again, and reported, as the import goes.
            key, digest = name, ""
        else:
            digest = hashlib.sha256(content).hexdigest()
            hosts |= _hosts(key)
        entries.append(
            Entry(name=name, file=name, key=key, fingerprint=digest, read=reader(name))
        )
    return entries, hosts


def archive_categories(
    *, kind: str, path: Path, default_language: str = "ko"
) -> Counter[str]:
    """Return the categories the archive's posts name, with how many name each.

    For the desk's mapping of categories to sections; posts that cannot be
    read are left out (the import reports them).
    """
    files = SiteFiles.open(path, single=SINGLE_FILES[ImportedItem.Source(kind)])
    if kind == ImportedItem.Source.WORDPRESS:
        entries = _wordpress_export(
            files,
            site_timezone=None,
            include_pages=True,
            default_language=default_language,
        ).entries
    elif kind == ImportedItem.Source.HTML:
        entries = _page_entries(
            files, site_timezone=None, default_language=default_language
        )[0]
    else:
        entries = site_entries(
            files, site_timezone=ZoneInfo("UTC"), default_language=default_language
        )
    found: Counter[str] = Counter()
    for entry in entries:
        try:
            found.update(entry.read().categories)
        except (PostProblem, ArchiveProblem):
            continue
    return found


def _saved_picture(files: SiteFiles, address: str, page: str) -> str | None:
    """Return the saved folder's copy of the picture at `address`, or None.

    A browser saves a page's pictures in `<page>_files/` under their own
    names; the page's metadata still names them by their old address.
    """
    base = unquote(urlsplit(address).path).rsplit("/", 1)[-1]
    if not base:
        return None
    stem = page.rsplit(".", 1)[0]
    for folder in (f"{stem}_files", f"{stem}.files"):
        found = files.resolve(f"/{folder}/{base}")
        if found is not None:
            return found
    return None


def archive_import(
    *,
    source: str,
    entries: Iterable[Entry],
    files: SiteFiles,
    user: DeskUser,
    sections: dict[str, Category],
    dry_run: bool = False,
    publish: bool = False,
    address: Callable[[SourcePost], str] = lambda post: post.permalink,
    site_hosts: Iterable[str] = (),
    locate: Callable[[str, str], str | None] | None = None,
    progress: Callable[[int, int, PostReport], None] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import `entries` (one archive's posts, from `source`); return the report.

    `files` holds the pictures the posts point to; `site_hosts` are the old
    site's host names (its pictures' and links' absolute addresses are
    files and posts of the archive); `locate(address, post's file)` finds a
    picture's file when the source's addresses need more than `files`'s own
    resolution. `address(post)` is the address the old site gave a post.
    """
    _check_editor(user)
    context = _Context(
        source=source,
        files=files,
        user=user,
        sections=sections,
        publish=publish,
        address=address,
        hosts={host.lower() for host in site_hosts if host},
        locate=locate,
    )
    entries = list(entries)
    report = report or ImportReport()
    report.refused.update(files.refused)
    report.dry_run = dry_run
    # Posts the reader could not even list (a WordPress item without a GUID)
    # are told first.
    earlier = len(report.posts)
    total = earlier + len(entries)
    if progress is not None:
        for number, post_report in enumerate(report.posts, start=1):
            progress(number, total, post_report)
    for number, entry in enumerate(entries, start=earlier + 1):
        post_report = PostReport(name=entry.name, file=entry.file, outcome=FAILED)
        try:
            with uploads.deleted_on_rollback(), transaction.atomic():
                _import_post(context, entry, post_report, report)
                if dry_run:
                    transaction.set_rollback(True)
        except (PostProblem, ArchiveProblem) as problem:
            post_report.notes.append((getattr(problem, "line", None), problem.message))
        except ValidationError as error:
            post_report.notes.extend((None, message) for message in error.messages)
        if dry_run and post_report.outcome == CREATED:
            # Rolled back: the story it would have made has no number.
            post_report.article_id = None
        report.posts.append(post_report)
        if progress is not None:
            progress(number, total, post_report)
    if not dry_run:
        _relate(context)
    return report


@dataclass
class _Context:
    """What every post of one import shares."""

    source: str
    files: SiteFiles
    user: DeskUser
    sections: dict[str, Category]
    publish: bool
    address: Callable[[SourcePost], str]
    hosts: set[str]
    locate: Callable[[str, str], str | None] | None
    # Stories and the old addresses their bodies link to, related at the end
    # (a link may lead to a post imported after it).
    links: dict[int, list[str]] = field(default_factory=dict)


def _check_editor(user: DeskUser) -> None:
    # An archive brings dates and sections with it: an editor's work.
    if not (user.has_perm("articles.add_article") and permissions.can_publish(user)):
        raise PermissionDenied(_("Only editors may import an archive."))


def _hosts(url: str) -> set[str]:
    host = urlsplit(url).hostname if url else None
    if not host:
        return set()
    bare = host.removeprefix("www.")
    return {bare, f"www.{bare}"}


def _site_config(files: SiteFiles) -> tuple[tzinfo, str, str]:
    """Return the site's time zone, permalink style and address, from _config.yml.

    Seoul's time and Jekyll's "date" style when it says nothing.
    """
    try:
        config = yaml.safe_load(files.read("_config.yml")) or {}
        zone = ZoneInfo(str(config.get("timezone") or "Asia/Seoul"))
        style = str(config.get("permalink") or "date")
        return zone, style, str(config.get("url") or "")
    except (ArchiveProblem, yaml.YAMLError, ValueError, AttributeError, KeyError):
        return ZoneInfo("Asia/Seoul"), "date", ""


def _import_post(
    context: _Context, entry: Entry, post_report: PostReport, report: ImportReport
) -> None:
    if len(entry.key) > MAX_KEY_CHARS:
        # A page's address can be longer than the column: its digest is as good.
        entry.key = "sha256:" + hashlib.sha256(entry.key.encode()).hexdigest()
    item = (
        ImportedItem.objects.select_related("article")
        .filter(source=context.source, key=entry.key)
        .first()
    )
    if item is not None and item.fingerprint == entry.fingerprint:
        post_report.outcome = UNCHANGED
        post_report.article_id = item.article_id
        return
    post = entry.read()
    if context.source == ImportedItem.Source.WORDPRESS:
        from imports.wordpress import dropped_shortcodes

        post_report.notes.extend(
            (None, _("Shortcode [%(name)s] left out.") % {"name": name})
            for name in dropped_shortcodes(post.body_html)
        )
    language = post.language
    if language not in LANGUAGE_CODES:
        raise PostProblem(
            _("The post's language (%(language)s) is not one of %(languages)s.")
            % {"language": language or "-", "languages": ", ".join(LANGUAGE_CODES)}
        )
    article = item.article if item is not None else _story_of(context, post, language)
    loaded_version = None if article._state.adding else article.version
    section = None
    report.categories.update(post.categories)
    for category in post.categories:
        if category in context.sections:
            section = section or context.sections[category]
        else:
            report.unmapped[category] += 1
            post_report.notes.append(
                (None, _("No section for the category %(name)s.") % {"name": category})
            )
    # The source language's post gives what all languages share (section,
    # time, picture, tags, byline); a translation gives its own texts.
    shared = language == article.source_language
    # The report speaks the desk's language; the story's fields are saved in
    # the post's (what modeltranslation's plain fields mean).
    links = _fill(context, article, post, language, section, post_report, shared)
    with translation.override(language):
        article_save(
            article=article,
            user=context.user,
            changed_fields=[
                f"{name}_{language}"
                for name in (
                    "headline",
                    "dek",
                    "feature_text",
                    "body",
                    "feature_image_alt",
                    "feature_image_caption",
                    "feature_image_credit",
                )
            ]
            + (
                ["category", "feature_image", "published_at", "ai_use"]
                if shared
                else []
            ),
            loaded_version=loaded_version,
        )
        if shared:
            article.tags.set(post.tags)
    if shared:
        _byline(article, post, post_report)
    _cite(article, language, links.citations)
    context.links.setdefault(article.pk, []).extend(
        path
        for href in [*links.links, *post.related]
        if (path := _site_path(context, href))
    )
    _edition_dated(article, language, post)
    if old := context.address(post):
        _old_address(article, language, old, post_report)
    if context.publish and shared and not post.is_draft:
        if section is None:
            post_report.notes.append(
                (None, _("Left as a draft: a story needs a section to be published."))
            )
        else:
            article_publish(article=article, user=context.user, at=post.published_at)
    ImportedItem.objects.update_or_create(
        source=context.source,
        key=entry.key,
        defaults={
            "article": article,
            "language": language,
            "group": post.translation_key,
            "fingerprint": entry.fingerprint,
        },
    )
    post_report.outcome = UPDATED if item is not None else CREATED
    post_report.article_id = article.pk


def _site_path(context: _Context, address: str) -> str:
    """Return the path on the old site `address` names, or "" for another site's."""
    parts = urlsplit(address.strip())
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return ""
    if parts.netloc and (parts.hostname or "").lower() not in context.hosts:
        return ""
    if not parts.path.startswith("/"):
        return ""
    return unquote(parts.path)


def _cite(article: Article, language: str, citations: list[Citation]) -> None:
    """Add the body's citations to the story's sources, each address once."""
    if not citations:
        return
    known = set(article.sources.values_list("url", flat=True))
    position = article.sources.count()
    for citation in citations:
        if citation.url in known:
            continue
        known.add(citation.url)
        source = Source(
            article=article,
            position=position,
            role=citation.role,
            publisher=citation.publisher[:200],
            title=citation.title[:300],
            url=citation.url,
            language=language,
        )
        source.full_clean()
        source.save()
        position += 1


def _relate(context: _Context) -> None:
    """Make the stories an imported body links to its related stories."""
    for article_id, paths in context.links.items():
        wanted = [
            *dict.fromkeys(
                OldAddress.objects.filter(path__in=paths)
                .exclude(article_id=article_id)
                .values_list("article_id", flat=True)
            )
        ]
        if not wanted:
            continue
        known = set(
            RelatedArticle.objects.filter(article_id=article_id).values_list(
                "related_id", flat=True
            )
        )
        position = len(known)
        for related_id in wanted:
            if related_id in known:
                continue
            RelatedArticle.objects.create(
                article_id=article_id, related_id=related_id, position=position
            )
            position += 1


def _old_address(
    article: Article, language: str, path: str, post_report: PostReport
) -> None:
    """Lead the post's address in the archive to its story from now on."""
    if len(path) > MAX_KEY_CHARS:
        post_report.notes.append(
            (None, _("The old address is too long to keep: %(path)s") % {"path": path})
        )
        return
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


def _edition_dated(article: Article, language: str, post: SourcePost) -> None:
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


def _story_of(context: _Context, post: SourcePost, language: str) -> Article:
    """Return the story `post` is a language of: its translation group's, or new.

    Posts sharing a translation key (a `ref`, a Polylang or WPML group) are
    one story; the first one imported gives its source language.
    """
    if post.translation_key:
        group = ImportedItem.objects.filter(
            source=context.source, group=post.translation_key
        )
        other = group.select_related("article").first()
        if other is not None:
            same = group.filter(language=language).values_list("key", flat=True).first()
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
    context: _Context,
    article: Article,
    post: SourcePost,
    language: str,
    section: Category | None,
    post_report: PostReport,
    shared: bool,
) -> HouseBody:
    """Write the post's texts and pictures into `article`, in `language`.

    `shared`: the section, time, AI use and feature image too (the source
    language's post). Returns the body, with its citations and links.
    """
    if shared:
        if section is not None:
            article.category = section
        if post.image:
            image = _library_image(
                context,
                post.image,
                post.image_alt,
                name=post_report.file,
                is_ai=post.image_is_ai,
                language=language,
            )
            if image is None:
                post_report.notes.append(
                    (None, _("Picture not brought in: %(src)s") % {"src": post.image})
                )
            else:
                article.feature_image = image
        # Kept on a draft too: published later, it keeps its source's date.
        article.published_at = post.published_at
        if post.ai_use:
            article.ai_use = post.ai_use
    if article.feature_image_id:
        for field_name, value in (
            ("feature_image_alt", post.image_alt),
            ("feature_image_caption", post.image_caption),
            ("feature_image_credit", post.image_credit),
        ):
            if value:
                setattr(article, f"{field_name}_{language}", value)

    def picture_id(picture: BodyPicture) -> int | None:
        image = _library_image(
            context,
            picture.src,
            picture.alt,
            name=post_report.file,
            is_ai=picture.is_ai,
            language=language,
        )
        if image is not None and image.pk == article.feature_image_id:
            # Blogs repeat their feature image atop the body; the page shows
            # it once, as the feature image.
            return None
        if image is None:
            if post.markup == "html":
                line = post.body_line + picture.line - 1 if picture.line else None
            else:
                line = post.picture_lines.get(picture.src)
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
    return body


def _library_image(
    context: _Context,
    address: str,
    alt: str,
    *,
    name: str,
    is_ai: bool,
    language: str,
) -> Image | None:
    """Return the library picture of the archive's file at `address`, or None.

    Through the upload's own checks (kind, size, pixels); a file already in
    the library is that picture. `is_ai`: the source labels it AI-generated.
    """
    files = context.files
    found = files.resolve(_site_path(context, address) or address, relative_to=name)
    if found is None and context.locate is not None:
        found = context.locate(address, name)
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
        if is_ai and not same.is_ai_generated:
            same.is_ai_generated = True
            image_services.image_save(
                image=same, user=context.user, changed_fields=["is_ai_generated"]
            )
        return same
    image = Image(file=normalised, is_ai_generated=is_ai)
    # In the post's language, whatever the desk's.
    setattr(
        image,
        f"alt_text_{language}",
        alt[: Image._meta.get_field("alt_text").max_length],
    )
    image_services.image_save(image=image, user=context.user)
    return image


def _byline(article: Article, post: SourcePost, post_report: PostReport) -> None:
    """Credit the post's author, found by e-mail address, else by name."""
    if not (post.author or post.author_email):
        return
    author = None
    # The e-mail address first: two reporters may share a name.
    if post.author_email:
        author = Author.objects.filter(email__iexact=post.author_email).first()
    if author is None and post.author:
        named = in_any_language("name", "iexact", post.author)
        author = Author.objects.filter(Q(email__iexact=post.author) | named).first()
    if author is None:
        post_report.notes.append(
            (
                None,
                _("No author %(name)s in the desk: no byline.")
                % {"name": post.author_email or post.author},
            )
        )
        return
    Byline.objects.get_or_create(
        article=article, author=author, defaults={"position": 0}
    )


# The suffixes of a file that is an archive on its own, by kind.
SINGLE_FILES = {
    ImportedItem.Source.JEKYLL: (),
    ImportedItem.Source.WORDPRESS: (".xml",),
    ImportedItem.Source.HTML: (".html", ".htm"),
}


def archive_path_import(
    *,
    kind: str,
    path: Path,
    user: DeskUser,
    sections: dict[str, Category],
    dry_run: bool = False,
    publish: bool = False,
    include_pages: bool = False,
    default_language: str = "ko",
    progress: Callable[[int, int, PostReport], None] | None = None,
) -> ImportReport:
    """Import the archive of `kind` at `path` (a folder, a zip or one file)."""
    files = SiteFiles.open(path, single=SINGLE_FILES[ImportedItem.Source(kind)])
    options: dict[str, Any] = {
        "files": files,
        "user": user,
        "sections": sections,
        "dry_run": dry_run,
        "publish": publish,
        "default_language": default_language,
        "progress": progress,
    }
    if kind == ImportedItem.Source.WORDPRESS:
        return wordpress_export_import(include_pages=include_pages, **options)
    if kind == ImportedItem.Source.HTML:
        return html_pages_import(**options)
    return jekyll_site_import(**options)


def import_run_start(
    *,
    user: DeskUser,
    upload: UploadedFile,
    kind: str,
    dry_run: bool = True,
    publish: bool = False,
    include_pages: bool = False,
    language: str = "ko",
    sections: dict[str, int] | None = None,
    report_language: str = "ko",
) -> ImportRun:
    """Keep the uploaded archive and have the worker import it, after commit."""
    _check_editor(user)
    run = ImportRun(
        kind=kind,
        upload=upload,
        dry_run=dry_run,
        publish=publish,
        include_pages=include_pages,
        language=language,
        report_language=report_language,
        sections=sections or {},
        created_by=user,
    )
    run.full_clean()
    run.save()
    _enqueue_run(run)
    return run


@transaction.atomic
def import_run_repeat(
    *,
    run: ImportRun,
    user: DeskUser,
    sections: dict[str, int],
    dry_run: bool,
    report_language: str = "ko",
) -> ImportRun:
    """Import the same file again: with the desk's mapping, for real or not."""
    _check_editor(user)
    again = ImportRun(
        kind=run.kind,
        upload=run.upload.name,
        dry_run=dry_run,
        publish=run.publish,
        include_pages=run.include_pages,
        language=run.language,
        report_language=report_language,
        sections=sections,
        created_by=user,
    )
    again.save()
    _enqueue_run(again)
    return again


@transaction.atomic
def import_runs_delete(*, runs: Iterable[ImportRun], user: DeskUser) -> int:
    """Forget finished runs, and their uploaded file once no run reads it.

    What they imported stays: the stories are the desk's now. A run at work
    is kept.
    """
    _check_editor(user)
    finished = [run for run in runs if run.is_over()]
    names = {run.upload.name for run in finished}
    ImportRun.objects.filter(pk__in=[run.pk for run in finished]).delete()
    still_read = set(
        ImportRun.objects.filter(upload__in=names).values_list("upload", flat=True)
    )
    storage = imports_storage()
    for name in names - still_read:
        transaction.on_commit(partial(storage.delete, name))
    return len(finished)


def _enqueue_run(run: ImportRun) -> None:
    from imports.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(run.pk))


def import_run_execute(*, run_id: int, attempt: int = 1) -> str:
    """Import a desk upload for the worker: progress as it goes, then its report.

    An archive the reader refuses fails the run with the reason; an error of
    ours (the database gone) is tried again later. Importing is idempotent:
    a run tried again skips what its first try already imported.
    """
    from imports.tasks import run_import

    run = ImportRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or run.status in {ImportRun.Status.DONE, ImportRun.Status.FAILED}:
        return "gone"
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, heard_at=timezone.now()
    )
    chosen = Category.objects.in_bulk(run.sections.values())
    sections = {
        category: chosen[section_id]
        for category, section_id in run.sections.items()
        if section_id in chosen
    }

    def progress(number: int, total: int, post: PostReport) -> None:
        # Autocommitted, outside the post's transaction: the desk sees it.
        ImportRun.objects.filter(pk=run.pk).update(
            done=number, total=total, heard_at=timezone.now()
        )

    with translation.override(run.report_language):
        try:
            report = archive_path_import(
                kind=run.kind,
                path=Path(run.upload.path),
                user=run.created_by,
                sections=sections,
                dry_run=run.dry_run,
                publish=run.publish,
                include_pages=run.include_pages,
                default_language=run.language,
                progress=progress,
            )
        except (ArchiveProblem, PostProblem, PermissionDenied) as problem:
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportRun.Status.FAILED,
                problem=_problem_text(problem),
                finished_at=timezone.now(),
            )
            return "refused"
        except Exception as error:
            if retry_later(run_import, run.pk, attempt + 1, attempt=attempt) is None:
                ImportRun.objects.filter(pk=run.pk).update(
                    status=ImportRun.Status.FAILED,
                    problem=_("The import failed; the operators were told."),
                    finished_at=timezone.now(),
                )
                raise GivenUp(f"Import run {run.pk} failed {attempt} times.") from error
            ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
            return "retry"
    data = report_data(report)
    if report.counts()[UNCHANGED]:
        # Unchanged posts are not read again: the mapping lists their
        # categories too.
        with suppress(ArchiveProblem, PostProblem):
            data["categories"] = dict(
                archive_categories(
                    kind=run.kind,
                    path=Path(run.upload.path),
                    default_language=run.language,
                )
            )
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE,
        report=data,
        total=len(report.posts),
        done=len(report.posts),
        finished_at=timezone.now(),
    )
    return "done"


def _problem_text(problem: Exception) -> str:
    message = getattr(problem, "message", "") or str(problem)
    name = getattr(problem, "name", "")
    line = getattr(problem, "line", None)
    where = f"{name}:{line}" if name and line else name or (f"{line}" if line else "")
    return f"{where}: {message}" if where else message


def report_data(report: ImportReport) -> dict[str, Any]:
    """Return `report` as the desk keeps it (JSON): counts, then post by post."""
    return {
        "counts": dict(report.counts()),
        "posts": [
            {
                "name": post.name,
                "file": post.file,
                "outcome": post.outcome,
                "article": post.article_id,
                "notes": [[line, message] for line, message in post.notes],
            }
            for post in report.posts
        ],
        "unmapped": dict(report.unmapped),
        "categories": dict(report.categories),
        "refused": report.refused,
        "skipped": [list(row) for row in report.skipped],
    }
