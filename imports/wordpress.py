"""Read a WordPress export (WXR): its posts, as the importer needs them.

Tools → Export writes one XML file: an RSS 2.0 `<channel>` with the site's
address, its authors, its terms, then one `<item>` a post, page, attachment,
menu item or revision. `read_export()` streams the file once and returns an
`Entry` for each post (and page, when asked), in file order; each entry's
`read()` gives the `SourcePost`. What is left out on purpose (the trash,
auto-drafts, menu items, other post types) is listed in `skipped`, items
that cannot be read at all in `problems`; a file that is not a readable
export raises `PostProblem`.

The file is anyone's upload, so it is read as hostile: lxml's `iterparse`
with entities left unresolved, no network, no DTD and libxml2's size limits
(`huge_tree=False`), and any DOCTYPE refused before parsing (a WordPress
export never has one; it is what billion-laughs and XXE files need).
defusedxml is not used: it guards the standard library's parsers, and lxml
with these settings and the refusal does the same. Each item is cleared once
read, so the tree never holds more than one; what is kept is each post's
few fields.

WordPress keeps classic-editor text without `<p>` (its `wpautop` adds them
when showing a post) and shortcodes (`[caption]`, `[gallery]`) that only its
plugins understand: `body_html()` does what the reader site cannot. A
`[caption]` becomes a `<figure>`; other shortcodes go, named in HTML
comments at the body's start that `dropped_shortcodes()` lists for the
import report (the house sanitiser removes comments). Lines are never added
or removed, so a line of the body is still `body_line + n - 1` in the file.

Languages are Polylang's (`language` and `post_translations` terms on each
item) or WPML's (the Export add-on's `_wpml_import_*` postmeta).
"""

import hashlib
import html
import io
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache, partial
from heapq import heappop, heappush
from urllib.parse import SplitResult, unquote, urlsplit

from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]

from imports.labels import ai_story_label, split_labels
from imports.posts import Entry, PostProblem, SourcePost

# An export larger than this is refused, not read: a newsroom's ten years of
# posts are far smaller (pictures are files beside it, not in it).
MAX_EXPORT_BYTES = 512 * 1024 * 1024

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
# Each WXR version has its own namespaces (1.0, 1.1, 1.2).
WORDPRESS = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")

WP_DATE = "%Y-%m-%d %H:%M:%S"
PUBLISHED = {"publish", "future"}
# The postmeta a post is read with; the rest (page builders' data, often
# large) is never kept.
META_KEYS = {
    "_thumbnail_id",
    "_wp_attachment_image_alt",
    "ai_use",
    "_ai_use",
    "_wpml_import_language_code",
    "_wpml_import_translation_group",
    "_wpml_import_source_language_code",
}
AI_USES = {"generated", "assisted"}

UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
XML_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
XML_SPACE = re.compile(rb"[ \t\r\n]*")
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
ERROR_PLACE = re.compile(r",? line \d+, column \d+$")

# Shortcodes: an ASCII name, then nothing, spaces and attributes, or "/".
# "[서울=연합뉴스]" and "[Update]" are text, not shortcodes: see _shortcodes.
SHORTCODE = re.compile(
    r"(?P<escape>\[?)\[(?P<name>[A-Za-z][A-Za-z0-9_-]*)(?P<attrs>[\s/][^\[\]]*)?\]"
    r"(?P<escape_end>\]?)"
)
CLOSING_SHORTCODE = re.compile(r"\[/([A-Za-z][A-Za-z0-9_-]*)\]")
SHORTCODE_ATTRIBUTE = re.compile(r"[\w-]+\s*=")
CAPTION_SHORTCODES = {"caption", "wp_caption"}
# WordPress's own media shortcodes: what they hold is an address or ids, not
# text, and goes with them.
MEDIA_SHORTCODES = {"embed", "gallery", "audio", "video", "playlist"}
CAPTION_MEDIA = re.compile(
    r"^\s*(?P<media>(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(?P<caption>.*)$",
    re.IGNORECASE | re.DOTALL,
)
CAPTION_ATTRIBUTE = re.compile(r"""\bcaption\s*=\s*(["'])(?P<caption>.*?)\1""")
DROPPED_MARK = "<!-- shortcode dropped: %s -->"
DROPPED = re.compile(r"<!-- shortcode dropped: ([A-Za-z][A-Za-z0-9_-]*) -->")

# Block-editor posts carry their real markup between these comments.
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
# Blocks wpautop leaves unwrapped; the containers among them are counted
# open across lines (a list's items are not paragraphs).
BLOCKS = (
    "address|article|aside|audio|blockquote|caption|col|colgroup|dd|details|div|dl"
    "|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe"
    "|legend|li|main|map|math|menu|nav|noscript|object|ol|p|pre|script|section"
    "|style|summary|table|tbody|td|tfoot|th|thead|tr|ul|video"
)
CONTAINERS = (
    "address|article|aside|audio|blockquote|details|div|dl|fieldset|figcaption"
    "|figure|footer|form|h[1-6]|header|hgroup|iframe|main|map|math|menu|nav"
    "|noscript|object|ol|p|pre|script|section|style|table|ul|video"
)
STARTS_BLOCK = re.compile(rf"^\s*</?(?:{BLOCKS})\b", re.IGNORECASE)
OPENS_CONTAINER = re.compile(rf"<(?:{CONTAINERS})\b[^>]*(?<!/)>", re.IGNORECASE)
CLOSES_CONTAINER = re.compile(rf"</(?:{CONTAINERS})\s*>", re.IGNORECASE)
LEADING_COMMENTS = re.compile(r"^\s*(?:<!--.*?-->\s*)*", re.DOTALL)
ENDS_WITH_BREAK = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)
# Tags that part words when an excerpt becomes plain text.
PARTING_TAG = re.compile(
    r"</?(?:p|br|div|li|h[1-6]|blockquote|ul|ol|tr|td|th|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
TAG = re.compile(r"<[^>]*>")
COMMENT = re.compile(r"<!--.*?-->")


@dataclass
class WordPressExport:
    """What an export holds: its site, its posts, and what was left out."""

    # wp:base_site_url (else the channel's <link>), no trailing slash.
    site_url: str
    # One a post to import, in file order.
    entries: list[Entry]
    # (line, why) for items left out on purpose: pages not asked for, the
    # trash, auto-drafts, menu items, other post types. Attachments are
    # read for the posts' feature images, never listed.
    skipped: list[tuple[int | None, str]]
    # (line, what) for items that cannot be read at all (no GUID, no ID).
    problems: list[tuple[int | None, str]]


@dataclass
class _Attachment:
    url: str
    alt: str
    caption: str
    title: str
    # Its item's SHA-256: a post's fingerprint changes with its picture's.
    digest: str


@dataclass
class _Item:
    """What a post's item says, kept from the stream until `read()`."""

    line: int
    key: str
    digest: str
    post_type: str
    status: str
    post_id: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    content_line: int | None = None
    excerpt: str = ""
    post_date: str = ""
    post_date_line: int | None = None
    post_date_gmt: str = ""
    post_date_gmt_line: int | None = None
    attachment_url: str = ""
    # (domain, nicename, name) of each <category>, in order.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class _Site:
    """What the whole file says, known once it is read: items' reads need it."""

    site_timezone: tzinfo
    default_language: str
    # Host names the site's own addresses use (www. dropped).
    hosts: set[str] = field(default_factory=set)
    # author_login: (display name, e-mail address).
    authors: dict[str, tuple[str, str]] = field(default_factory=dict)
    # wp:post_id: the attachment.
    attachments: dict[str, _Attachment] = field(default_factory=dict)


def read_export(
    data: bytes,
    *,
    name: str,
    site_timezone: tzinfo,
    include_pages: bool = False,
    default_language: str = "",
) -> WordPressExport:
    """Return the posts of the WordPress export `data`, the file called `name`.

    Raises PostProblem, with the line, when the file is not a readable
    export. Times without an offset (drafts') are in `site_timezone`; posts
    of no language are in `default_language`. Pages are posts too with
    `include_pages`.
    """
    if len(data) > MAX_EXPORT_BYTES:
        raise PostProblem(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_EXPORT_BYTES // (1024 * 1024)}
        )
    _check_prolog(data)
    site = _Site(site_timezone=site_timezone, default_language=default_language)
    export = WordPressExport(site_url="", entries=[], skipped=[], problems=[])
    items = _stream(data, site, export, include_pages)
    for item in items:
        attachment = site.attachments.get(item.meta.get("_thumbnail_id", "").strip())
        fingerprint = item.digest
        if attachment is not None:
            fingerprint = hashlib.sha256(
                f"{item.digest} {attachment.digest}".encode()
            ).hexdigest()
        title = html.unescape(item.title).strip() or item.key
        export.entries.append(
            Entry(
                name=f"{name}: {title}",
                file=name,
                key=item.key,
                fingerprint=fingerprint,
                read=partial(_source_post, item, site),
            )
        )
    return export


def _check_prolog(data: bytes) -> None:
    """Refuse what comes before the root element when a WordPress export has none.

    A DOCTYPE (and with it entity declarations: a billion laughs, a file of
    the server read as an entity) and encodings other than UTF-8.
    """
    if data.startswith(UTF16_STARTS):
        raise PostProblem(_("The file is not UTF-8 text (it is UTF-16)."), 1)
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith(b"<?xml", position):
        # The declaration is one short line: never look further for it.
        end = data.find(b"?>", position, position + 1024)
        found = XML_ENCODING.search(data, position, end if end != -1 else position)
        if found is not None and found.group(1).lower() not in {b"utf-8", b"utf8"}:
            raise PostProblem(
                _("The file says it is %(encoding)s text; an export is UTF-8.")
                % {"encoding": found.group(1).decode("ascii")},
                1,
            )
    while True:
        space = XML_SPACE.match(data, position)
        position = space.end() if space is not None else position
        if data.startswith(b"<?", position):
            end = data.find(b"?>", position)
            position = end + 2
        elif data.startswith(b"<!--", position):
            end = data.find(b"-->", position + 4)
            position = end + 3
        else:
            break
        if end == -1:
            # Never closed: the parser says where.
            return
    if DECLARATION.match(data, position):
        raise _doctype_refused(data.count(b"\n", 0, position) + 1)


def _doctype_refused(line: int) -> PostProblem:
    return PostProblem(
        _(
            "The file declares a document type or entities (<!DOCTYPE>),"
            " which a WordPress export never does; it is not read."
        ),
        line,
    )


def _stream(
    data: bytes, site: _Site, export: WordPressExport, include_pages: bool
) -> list[_Item]:
    """Read the file once, item by item; return the posts' items to import.

    Fills `site` and `export`'s site_url, skipped and problems as it goes.
    """
    items: list[_Item] = []
    keys: dict[str, int] = {}
    channel_link, blog_url = "", ""
    seen_root = seen_channel = False
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            if event == "start":
                if not seen_root:
                    seen_root = True
                    _check_root(element)
                continue
            parent = element.getparent()
            if parent is None:
                continue
            tag, parent_tag = _name(element.tag), _name(parent.tag)
            if parent_tag == "item" and tag == "wp:comment":
                # Readers' comments are not imported: gone as they stream.
                element.clear(keep_tail=True)
                continue
            if parent_tag != "channel" and parent.getparent() is not None:
                # Part of an item (or of the channel's other parts): read with it.
                continue
            text = (element.text or "").strip()
            if tag == "channel":
                seen_channel = True
            elif tag == "item":
                _item(element, site, export, include_pages, items, keys)
            elif tag == "wp:author":
                _author(element, site)
            elif tag == "wp:base_site_url":
                export.site_url = text.rstrip("/")
            elif tag == "wp:base_blog_url":
                blog_url = text
            elif tag == "link":
                channel_link = text
            # Done with it: the tree holds one item at a time (and nothing
            # a hostile file puts beside the channel).
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        # libxml2's words, without the place the report gives anyway.
        said = ERROR_PLACE.sub("", str(error.msg))
        if "UTF-8" in said or "Invalid bytes in character encoding" in said:
            message = _("The file is not UTF-8 text (line %(line)s).") % {
                "line": error.lineno
            }
        else:
            message = _("The file is not valid XML: %(error)s") % {"error": said}
        # An empty file's line is 0.
        raise PostProblem(message, max(error.lineno, 1)) from None
    if not seen_channel:
        raise PostProblem(_("The file has no <channel>: it is not a WordPress export."))
    export.site_url = export.site_url or channel_link.rstrip("/")
    site.hosts = {
        host
        for url in (export.site_url, blog_url, channel_link)
        if (host := _host(url))
    }
    return items


def _check_root(root: etree._Element) -> None:
    """Refuse a document that is not a WordPress export, before reading it on."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # _check_prolog refuses these first; this is in case it ever misses one.
        raise _doctype_refused(1)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "rss":
        raise PostProblem(
            _("The file is not a WordPress export: it is <%(tag)s>, not <rss>.")
            % {"tag": etree.QName(tag).localname if tag else "?"},
            root.sourceline,
        )
    if not any(WORDPRESS.match(uri or "") for uri in root.nsmap.values()):
        raise PostProblem(
            _(
                "The file is an RSS feed, not a WordPress export (WordPress's"
                " Tools → Export writes one)."
            ),
            root.sourceline,
        )


# Bounded: the names are a file's, and a hostile file has millions.
@lru_cache(maxsize=512)
def _name(tag: object) -> str:
    """Return an element's name as WXR writes it ("wp:post_id"), of any version."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if uri == CONTENT:
        prefix = "content"
    elif uri == DUBLIN_CORE:
        prefix = "dc"
    elif WORDPRESS.match(uri):
        prefix = "wp"
    elif EXCERPT.match(uri):
        prefix = "excerpt"
    else:
        return tag
    return f"{prefix}:{local}"


def _author(element: etree._Element, site: _Site) -> None:
    fields = {_name(child.tag): (child.text or "").strip() for child in element}
    login = fields.get("wp:author_login", "")
    if login:
        display = html.unescape(fields.get("wp:author_display_name", "")).strip()
        site.authors[login] = (display or login, fields.get("wp:author_email", ""))


def _item(
    element: etree._Element,
    site: _Site,
    export: WordPressExport,
    include_pages: bool,
    items: list[_Item],
    keys: dict[str, int],
) -> None:
    """Take what is needed of one <item>: its post, its picture, or why not."""
    # Readers' comments are no part of the post: a new one changes nothing.
    for comment in element.findall("{*}comment"):
        if _name(comment.tag) == "wp:comment":
            element.remove(comment)
    serialized = etree.tostring(element, with_tail=False)
    item = _Item(
        line=element.sourceline,
        key="",
        digest=hashlib.sha256(serialized).hexdigest(),
        post_type="post",
        status="",
    )
    for child in element:
        _field(item, child)
    item.key = item.guid or (f"post:{item.post_id}" if item.post_id else "")
    label = html.unescape(item.title).strip() or item.key
    if item.post_type == "attachment":
        if item.post_id:
            site.attachments[item.post_id] = _Attachment(
                url=item.attachment_url or item.guid,
                alt=item.meta.get("_wp_attachment_image_alt", "").strip(),
                caption=item.excerpt.strip(),
                title=html.unescape(item.title).strip(),
                digest=item.digest,
            )
        return
    reason = _skipped(item, label, include_pages)
    if reason:
        export.skipped.append((item.line, reason))
        return
    if not item.key:
        export.problems.append(
            (
                item.line,
                _("The item has neither a GUID nor a post ID: %(title)s")
                % {"title": label or "-"},
            )
        )
        return
    if item.key in keys:
        export.problems.append(
            (
                item.line,
                _(
                    "The item's GUID %(key)s is also the one of the item on line"
                    " %(line)s; only that one is imported."
                )
                % {"key": item.key, "line": keys[item.key]},
            )
        )
        return
    keys[item.key] = item.line
    items.append(item)


def _field(item: _Item, child: etree._Element) -> None:
    """Put what `child` of an <item> says into `item`."""
    tag = _name(child.tag)
    text = child.text or ""
    if tag == "title":
        item.title = text
    elif tag == "link":
        item.link = text.strip()
    elif tag == "guid":
        item.guid = text.strip()
    elif tag == "dc:creator":
        item.creator = text.strip()
    elif tag == "content:encoded":
        item.content, item.content_line = text, child.sourceline
    elif tag == "excerpt:encoded":
        item.excerpt = text
    elif tag == "wp:post_id":
        item.post_id = text.strip()
    elif tag == "wp:post_date":
        item.post_date, item.post_date_line = text.strip(), child.sourceline
    elif tag == "wp:post_date_gmt":
        item.post_date_gmt, item.post_date_gmt_line = text.strip(), child.sourceline
    elif tag == "wp:status":
        item.status = text.strip()
    elif tag == "wp:post_type":
        item.post_type = text.strip() or "post"
    elif tag == "wp:attachment_url":
        item.attachment_url = text.strip()
    elif tag == "category":
        item.terms.append((child.get("domain", ""), child.get("nicename", ""), text))
    elif tag == "wp:postmeta":
        meta = {_name(part.tag): part.text or "" for part in child}
        key = meta.get("wp:meta_key", "").strip()
        if key in META_KEYS and key not in item.meta:
            item.meta[key] = meta.get("wp:meta_value", "")


def _skipped(item: _Item, label: str, include_pages: bool) -> str:
    """Return why `item` is left out on purpose, or "" when it is imported."""
    if item.post_type == "page" and not include_pages:
        return _(
            "A page, not imported (pages are imported only when asked for): %(title)s"
        ) % {"title": label}
    if item.post_type == "nav_menu_item":
        return _("A menu item, not a post: %(title)s") % {"title": label}
    if item.post_type not in {"post", "page"}:
        return _("Not a post or a page (%(type)s), not imported: %(title)s") % {
            "type": item.post_type,
            "title": label,
        }
    if item.status == "trash":
        return _("In the trash, not imported: %(title)s") % {"title": label}
    if item.status == "auto-draft":
        return _("An automatic draft WordPress kept, not imported: %(title)s") % {
            "title": label
        }
    return ""


def _source_post(item: _Item, site: _Site) -> SourcePost:
    """Return the post `item` is; raise PostProblem for what cannot be read."""
    title = html.unescape(item.title).strip()
    if not title:
        raise PostProblem(_("The post has no title."), item.line)
    categories, tags, labelled_use = _terms(item)
    meta_use = (item.meta.get("ai_use") or item.meta.get("_ai_use") or "").strip()
    language, translation_key = _language(item, site.default_language)
    author, author_email = site.authors.get(item.creator, (item.creator, ""))
    image, image_alt, image_caption, image_is_ai = _feature_image(item, site)
    return SourcePost(
        key=item.key,
        title=title,
        published_at=_published_at(item, site.site_timezone),
        body_html=body_html(item.content),
        body_line=item.content_line or item.line,
        markup="html",
        categories=categories,
        tags=tags,
        excerpt=_plain(item.excerpt),
        image=image,
        image_alt=image_alt,
        image_caption=image_caption,
        image_is_ai=image_is_ai,
        language=language,
        author=author,
        author_email=author_email,
        permalink=_permalink(item.link, site),
        translation_key=translation_key,
        is_draft=item.status not in PUBLISHED,
        ai_use=meta_use.lower() if meta_use.lower() in AI_USES else labelled_use,
    )


def _published_at(item: _Item, site_timezone: tzinfo) -> datetime:
    """Return when the post was (or is to be) published.

    wp:post_date_gmt, in UTC; a draft has none ("0000-00-00 00:00:00") and
    its wp:post_date is in the site's time zone.
    """
    found = _wp_date(item.post_date_gmt)
    if found is not None:
        return found.replace(tzinfo=UTC)
    found = _wp_date(item.post_date)
    if found is not None:
        return found.replace(tzinfo=site_timezone)
    raise PostProblem(
        _("The post has no date: neither wp:post_date_gmt nor wp:post_date is one."),
        item.post_date_line or item.post_date_gmt_line or item.line,
    )


def _wp_date(text: str) -> datetime | None:
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(text, WP_DATE)
    except ValueError:
        return None


def _terms(item: _Item) -> tuple[list[str], list[str], str]:
    """Return the post's categories, its tags, and the AI use a label of them says.

    A category or tag that is an AI story label ("Reported by AI") is the
    label, not a category or tag.
    """
    categories: list[str] = []
    tags: list[str] = []
    uses: set[str] = set()
    for domain, _nicename, text in item.terms:
        if domain not in {"category", "post_tag"}:
            continue
        # WordPress keeps term names HTML-escaped ("Rail &amp; Road").
        term = html.unescape(text).strip()
        use = ai_story_label(term)
        if use:
            uses.add(use)
            continue
        names = categories if domain == "category" else tags
        if term and term not in names:
            names.append(term)
    # Two labels: the stronger one says what readers need to know.
    use = "generated" if "generated" in uses else "assisted" if uses else ""
    return categories, tags, use


def _language(item: _Item, default_language: str) -> tuple[str, str]:
    """Return the post's language and translation group: Polylang's, else WPML's."""
    language = group = ""
    for domain, nicename, text in item.terms:
        if domain == "language" and not language:
            language = nicename or text
        elif domain == "post_translations" and not group:
            group = nicename or text.strip()
    if not language:
        language = item.meta.get("_wpml_import_language_code", "")
    if not group and item.meta.get("_wpml_import_translation_group", "").strip():
        group = f"wpml:{item.meta['_wpml_import_translation_group'].strip()}"
    return language_code(language) or default_language, group


def language_code(code: str) -> str:
    """Return `code` as the house writes it: "ja-JP" and "ja_jp" are "ja"."""
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def _feature_image(item: _Item, site: _Site) -> tuple[str, str, str, bool]:
    """Return the feature image's address, alt text, caption and AI label."""
    attachment = site.attachments.get(item.meta.get("_thumbnail_id", "").strip())
    if attachment is None or not attachment.url:
        return "", "", "", False
    caption, caption_is_ai, _use = split_labels(_plain(attachment.caption))
    _alt, alt_is_ai, _use = split_labels(attachment.alt)
    _title, title_is_ai, _use = split_labels(attachment.title)
    return (
        _site_address(attachment.url, site),
        attachment.alt,
        caption,
        caption_is_ai or alt_is_ai or title_is_ai,
    )


def _site_address(url: str, site: _Site) -> str:
    """Return `url` as a path in the site ("/wp-content/…"), decoded, when it is one.

    Another host's address (a CDN's) stays whole: it is no file of the site.
    """
    parts = urlsplit(url.strip())
    if not _on_site(parts, site):
        return url.strip()
    return unquote(parts.path)


def _permalink(link: str, site: _Site) -> str:
    """Return the path the old site showed the post at, or "" if none can move.

    `?p=123` addresses (plain permalinks) cannot be redirected by path, and
    the site's home page ("/") is the home page, never one story.
    """
    if not link:
        return ""
    parts = urlsplit(link)
    if parts.query or not _on_site(parts, site):
        return ""
    path = unquote(parts.path)
    return "" if path.strip("/") == "" else path


def _on_site(parts: SplitResult, site: _Site) -> bool:
    if not parts.netloc:
        return not parts.scheme
    if parts.scheme not in {"http", "https"}:
        return False
    host = (parts.hostname or "").removeprefix("www.")
    return host in site.hosts


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _plain(text: str) -> str:
    """Return HTML `text` as one line of plain text."""
    return " ".join(html.unescape(TAG.sub("", PARTING_TAG.sub(" ", text))).split())


def body_html(content: str) -> str:
    """Return a post's content:encoded as the HTML WordPress showed.

    Block-editor content loses its `<!-- wp:… -->` comments; classic-editor
    content gets its paragraphs and line breaks (wpautop). Shortcodes go
    (see `_shortcodes`). Never adds or removes a line.
    """
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    dropped: list[str] = []
    if "<!-- wp:" in content:
        content = BLOCK_COMMENT.sub(lambda found: _lines(found.group()), content)
        html = _shortcodes(content, dropped)
    else:
        html = _autop(_shortcodes(content, dropped))
    # Said first, on the first line: no line is added, and a comment is
    # never what follows a picture (where captions are looked for).
    return "".join(DROPPED_MARK % name for name in dict.fromkeys(dropped)) + html


def dropped_shortcodes(html: str) -> list[str]:
    """Return the shortcodes `body_html()` dropped from a body, once each, in order.

    `html` is a body the reader made (SourcePost.body_html): it starts with
    a comment for each shortcode dropped, saying which; the services note
    them in the import report ("[gallery] not brought in"). A `[caption]`
    is not dropped: it became a <figure>.
    """
    return list(dict.fromkeys(DROPPED.findall(html)))


def _lines(text: str) -> str:
    """Return as many line breaks as `text` has: what is taken keeps the lines."""
    return "\n" * text.count("\n")


def _shortcodes(text: str, dropped: list[str]) -> str:
    """Return `text` without its shortcodes, each added to `dropped`.

    A [caption] becomes a <figure>, and is not dropped. WordPress's media
    shortcodes ([gallery], [embed], [audio], [video],
    [playlist]) go with what they hold; another enclosing one
    (`[foo]text[/foo]`) keeps its text; a lone one goes when it has
    attributes or ends in "/]". A lone `[word]` is left: WordPress showed
    unknown shortcodes as they are, and newsrooms write "[Update]".
    `[[gallery]]` is WordPress's way to write "[gallery]" as text.
    One pass over the text, whatever it holds.
    """
    closers: dict[str, list[int]] = {}
    for closing in CLOSING_SHORTCODE.finditer(text):
        closers.setdefault(closing.group(1), []).append(closing.start())
    claimed: set[int] = set()
    # (position, length) of enclosing shortcodes' closers still ahead.
    pending: list[tuple[int, int]] = []
    out: list[str] = []
    position = 0
    while True:
        found = SHORTCODE.search(text, position)
        start = found.start() if found is not None else len(text)
        while pending and pending[0][0] < start:
            at, length = heappop(pending)
            if at >= position:
                out.append(text[position:at])
                position = at + length
        if found is None:
            break
        out.append(text[position : found.start()])
        position = found.end()
        name, attrs = found.group("name"), found.group("attrs") or ""
        if found.group("escape") and found.group("escape_end"):
            out.append(found.group()[1:-1])
            continue
        # A lone "[" before or "]" after is text.
        out.append(found.group("escape"))
        if found.group("escape_end"):
            position -= 1
        tag_end = position
        closer = -1
        if not attrs.rstrip().endswith("/"):
            after = closers.get(name, [])
            index = bisect_left(after, tag_end)
            if index < len(after) and after[index] not in claimed:
                closer = after[index]
        closing_length = len(name) + 3
        tag = text[found.start() + len(found.group("escape")) : tag_end]
        closed_at = closer + closing_length
        if (
            found.group("escape")
            and closer != -1
            and text[closed_at : closed_at + 1] == "]"
        ):
            # "[[foo]text[/foo]]" is "[foo]text[/foo]" as text.
            out[-1] = ""
            out.append(text[found.start() + 1 : closed_at])
            position = closed_at + 1
        elif name.lower() in CAPTION_SHORTCODES and closer != -1:
            out.append(_figure(attrs, text[tag_end:closer]))
            out.append(_lines(tag))
            position = closed_at
        elif name.lower() in MEDIA_SHORTCODES:
            end = closed_at if closer != -1 else tag_end
            dropped.append(name)
            out.append(_lines(text[tag_end - len(tag) : end]))
            position = end
        elif closer != -1:
            claimed.add(closer)
            heappush(pending, (closer, closing_length))
            dropped.append(name)
            out.append(_lines(tag))
        elif (
            attrs.rstrip().endswith("/")
            or SHORTCODE_ATTRIBUTE.search(attrs)
            or name.lower() in CAPTION_SHORTCODES
        ):
            dropped.append(name)
            out.append(_lines(tag))
        else:
            out.append(tag)
    out.append(text[position:])
    return "".join(out)


def _figure(attrs: str, inner: str) -> str:
    """Return a [caption]'s picture and caption as a <figure>."""
    found = CAPTION_MEDIA.match(inner)
    if found is None:
        # No picture to caption: its text stays.
        return inner
    media, caption = found.group("media").strip(), found.group("caption").strip()
    if not caption:
        # Before WordPress 3.4 the caption was an attribute.
        in_attribute = CAPTION_ATTRIBUTE.search(attrs)
        caption = in_attribute.group("caption").strip() if in_attribute else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    figure = f"<figure>{media}{figcaption}</figure>"
    return figure + "\n" * (inner.count("\n") - figure.count("\n"))


def _autop(text: str) -> str:
    """Return classic-editor `text` with its paragraphs and line breaks in HTML.

    As WordPress's wpautop, simplified: lines of text between blank lines
    (or blocks) are a <p>, a single line break in one a <br>; a line
    starting with a block tag, or inside a block opened above, is left.
    """
    out: list[str] = []
    paragraph: list[str] = []
    depth = 0
    in_comment = False
    for line in text.split("\n"):
        rest = LEADING_COMMENTS.sub("", line)
        is_text = (
            depth == 0
            and not in_comment
            and bool(rest.strip())
            and not rest.lstrip().startswith("<!--")
            and not STARTS_BLOCK.match(rest)
        )
        if is_text:
            paragraph.append(line)
            continue
        out.extend(_paragraph(paragraph))
        paragraph = []
        out.append(line)
        if in_comment:
            in_comment = "-->" not in line
            continue
        outside = COMMENT.sub("", line)
        if "<!--" in outside:
            in_comment = True
            outside = outside.split("<!--", 1)[0]
        depth = max(
            0,
            depth
            + len(OPENS_CONTAINER.findall(outside))
            - len(CLOSES_CONTAINER.findall(outside)),
        )
    out.extend(_paragraph(paragraph))
    return "\n".join(out)


def _paragraph(lines: list[str]) -> list[str]:
    """Return `lines` of text as one <p>, its line breaks as <br>."""
    if not lines:
        return []
    wrapped = [
        line if ENDS_WITH_BREAK.search(line) else f"{line}<br>" for line in lines[:-1]
    ]
    wrapped.append(lines[-1])
    wrapped[0] = f"<p>{wrapped[0].lstrip()}"
    wrapped[-1] = f"{wrapped[-1].rstrip()}</p>"
    return wrapped
