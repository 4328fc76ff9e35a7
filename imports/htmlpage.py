"""Read a saved news article page ("Save page as…") into a post.

A browser saves a page as one .html file, maybe with a `name_files/` folder
of its pictures beside it. The article's body is found by trafilatura (a
maintained main-content extractor, run offline on the saved text: nothing is
ever fetched), which leaves out the site around it: menus, share buttons,
rankings, recommended and related lists, comments, cookie banners, footers.

What the page says about the article is read from its markup, in this order:
JSON-LD (`NewsArticle`, `Article`, `ReportageNewsArticle`…, also inside
`@graph` or a list; broken JSON-LD is skipped), Open Graph (`og:*`,
`article:*`), `<meta name>` (author, description, keywords) and
`<html lang>`. Dates keep their UTC offset; one without is in the site's
time zone. The byline printed in the article ("Name reporter@example.org",
"Name 기자 reporter@example.org") gives the author's e-mail; the AI labels
printed under the feature picture and on the article give `image_is_ai` and
`ai_use` (imports.labels); what became fields (the headline, the byline,
the labels, the feature picture above the text) is not repeated in the body.

The key is the page's own address: its canonical link, og:url, JSON-LD
`url`/`mainEntityOfPage`, else where it was saved from (`page_url`, else the
browser's "saved from url=" comment), else its path in the archive.

The file is read in the character set it declares (a BOM, <meta charset>,
http-equiv or an XML declaration), as browsers read those names (WHATWG:
"Shift_JIS" is cp932, "EUC-KR" cp949); one that declares none is UTF-8.

Citation paragraphs ("자세히 읽기 ⇒ …", "さらに読む ⇒ …") stay in the body:
another step reads them for every kind of source. The related-stories list
is left out of the body; `related_links()` reads its addresses.

Problems are `PostProblem`s (imports.posts), with the file's line when one
is known.
"""

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from html import unescape
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped]
import trafilatura
from django.utils.translation import gettext as _
from lxml.etree import (  # type: ignore[import-untyped]
    ParserError,
    strip_tags,
    tostring,
)

from imports.blogmarkup import drop_element
from imports.labels import split_labels
from imports.posts import PostProblem, SourcePost

# A page larger than this is refused, not read: an article page with its
# inline scripts and styles is far smaller.
MAX_PAGE_BYTES = 10 * 1024 * 1024
# Where a page declares its character set: browsers look in the first 1024
# bytes (WHATWG); saved pages put a comment and long <head>s before it, so
# further.
CHARSET_SCAN_BYTES = 64 * 1024
META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*(?P<name>[A-Za-z0-9._:+-]+)""",
    re.IGNORECASE,
)
XML_ENCODING = re.compile(
    rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["'](?P<name>[A-Za-z0-9._:+-]+)"""
)
# What pages declare, as browsers read it (the WHATWG Encoding Standard's
# labels): "Shift_JIS" is Windows' superset cp932, "EUC-KR" cp949, Latin-1
# windows-1252, GB2312 GB18030. Other names go to Python's codecs.
WHATWG_ENCODINGS = {
    label: codec
    for codec, labels in (
        ("cp932", "shift_jis shift-jis sjis x-sjis ms_kanji ms932 windows-31j"),
        (
            "cp949",
            "euc-kr euc_kr cseuckr korean ks_c_5601-1987 ks_c_5601-1989 ksc5601"
            " ksc_5601 iso-ir-149 windows-949 x-windows-949",
        ),
        (
            "cp1252",
            "iso-8859-1 iso8859-1 latin1 l1 us-ascii ascii cp819 ibm819 x-cp1252",
        ),
        ("gb18030", "gb2312 gbk x-gbk csgb2312 chinese"),
        ("big5hkscs", "big5 x-x-big5 csbig5 cn-big5"),
        # A page whose <meta> could be read as bytes is not UTF-16.
        ("utf-8", "utf-16 utf-16le utf-16be"),
    )
    for label in labels.split()
}
# Python codecs that decode bytes into text but are no character set.
NOT_CHARSETS = {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Unicode's noncharacters: never text, so they carry through trafilatura
# what its output has no tag for (highlights, rules, captions) and are
# removed from the page first.
NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
HIGHLIGHT_START, HIGHLIGHT_END, RULE, CAPTION = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
# A background behind inline text: the writer highlighted it. (A colour alone
# is not: news editors colour whole paragraphs black.)
HIGHLIGHT_STYLE = re.compile(r"(^|;)\s*background(-color)?\s*:", re.IGNORECASE)

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
}
ORGANIZATION_TYPES = {"Organization", "NewsMediaOrganization", "Corporation"}
# Runs of space, as one; an ideographic space is the writer's (a Japanese
# headline's separator) and kept.
SPACES = re.compile(r"[^\S\u3000]+")
# What ends a sentence: kept when a label after it goes.
# A title's site-name suffix: "Headline | Site", "Headline - Site".
TITLE_SEPARATORS = "|｜-–—:：·"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A printed byline, whole: a name (maybe "기자", "記者"…) and an e-mail.
BYLINE = re.compile(
    rf"(?P<name>[^\s@:：|/<>()]{{1,20}}(?:[ \u3000][^\s@:：|/<>()]{{1,20}}){{0,3}}?)"
    rf"\s*[=:：]?\s*[(<\[（]?(?P<email>{EMAIL})[)>\]）]?"
)
ROLE = re.compile(
    r"\s*(기자|특파원|객원기자|記者|特派員|編集委員|reporter|correspondent)$",
    re.IGNORECASE,
)
MAX_BYLINE_CHARS = 100
MAX_LABEL_CHARS = 60
# Headings of a related-stories list, compared as letters only, case folded.
RELATED_HEADINGS = {
    "관련기사",
    "관련뉴스",
    "관련기사목록",
    "연관기사",
    "関連記事",
    "関連ニュース",
    "関連リンク",
    "related",
    "relatedstories",
    "relatedarticles",
    "relatednews",
    "relatedposts",
    "relatedcoverage",
    "relatedcontent",
}
NOT_LETTERS = re.compile(r"[\W\d_]+")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What surrounds an article, never part of it.
SITE_PARTS = {"nav", "aside", "footer", "form"}
# What a byline or a label may hold inside it.
INLINE_TAGS = {
    "a",
    "span",
    "b",
    "strong",
    "em",
    "i",
    "small",
    "mark",
    "time",
    "br",
    "sup",
    "sub",
    "u",
    "font",
}
# Where pictures hide their address until a script shows them.
IMAGE_SOURCES = ("src", "data-src", "data-original", "data-lazy-src")

# The body's headings: the page's title is the only <h1>.
BODY_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
# trafilatura's own tags (its XML), and what they are in HTML.
TRAFILATURA_TAGS = {
    "p": "p",
    "item": "li",
    "quote": "blockquote",
    "lb": "br",
    "row": "p",
}
TRAFILATURA_FORMATTING = {"#b": "strong", "#i": "em"}
# What has no house tag: unwrapped, its text kept.
UNWRAP = "unwrap"
LINK_SCHEMES = {"http", "https", "mailto"}


@dataclass
class _Page:
    """What a page's markup says about its article."""

    article: dict[str, Any] = field(default_factory=dict)
    # JSON-LD nodes by their @id, to follow {"@id": …} references.
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # <meta property|name|itemprop> values by lower-cased key, in page order.
    meta: dict[str, list[str]] = field(default_factory=dict)
    canonical: str = ""
    html_lang: str = ""
    title_tag: str = ""
    # The address in the browser's "saved from url=(NNNN)…" comment.
    saved_from: str = ""

    def first(self, *keys: str) -> str:
        for key in keys:
            for value in self.meta.get(key, []):
                if value:
                    return value
        return ""

    def all(self, key: str) -> list[str]:
        return [value for value in self.meta.get(key, []) if value]


@dataclass
class _Picture:
    """The feature picture as the article shows it."""

    src: str = ""
    alt: str = ""
    caption: str = ""
    is_ai: bool = False


def read_page(
    path: str,
    content: bytes,
    *,
    site_timezone: tzinfo,
    default_language: str = "",
    page_url: str = "",
) -> SourcePost:
    """Return the article of the saved page at `path` whose file holds `content`.

    `page_url` is where the page was saved from, when known: the key when the
    page names no address of its own. Times without an offset are in
    `site_timezone`. Raises PostProblem for what cannot be read.
    """
    tree = _read(content)
    page = _read_markup(tree)
    title = _title(page)
    if not title:
        raise PostProblem(_("The page has no title."))
    address = _address(page, page_url)
    region = _article_region(tree)
    published_at = _published_at(page, region, site_timezone)
    author, author_email, byline = _author(page, region)
    ai_use, story_labels = _story_labels(region)
    image, image_credit, given_caption = _image(page)
    picture = _feature_picture(tree, region, image, address)
    given_alt, alt_is_ai, _story = _without_labels(page.first("og:image:alt"))
    given_caption, caption_is_ai, _story = _without_labels(given_caption)
    # What became fields is not printed twice: the byline and the labels.
    for element in [*([byline] if byline is not None else []), *story_labels]:
        drop_element(element)
    body_html = _body(tree, title=title, picture=picture, base=address)
    if not body_html:
        raise PostProblem(_("No article body was found in the page."))
    return SourcePost(
        key=address or path,
        title=title,
        published_at=published_at,
        body_html=body_html,
        categories=_names(_values(page.article.get("articleSection")))
        or _names(page.all("article:section")),
        tags=_tags(page),
        excerpt=_clean(
            _text(page.article.get("description"))
            or page.first("og:description", "description")
        ),
        image=image,
        image_alt=given_alt or picture.alt,
        image_caption=picture.caption or given_caption,
        image_credit=image_credit,
        image_is_ai=picture.is_ai or alt_is_ai or caption_is_ai,
        language=_language(page) or default_language,
        author=author,
        author_email=author_email,
        permalink=unquote(urlsplit(address).path) if address else "",
        ai_use=ai_use,
        related=related_links(content, page_url),
    )


def page_address(content: bytes, page_url: str = "") -> str:
    """Return the saved page's own address, without extracting its article.

    The import's key: cheap enough to list every page before importing one.
    """
    return _address(_read_markup(_read(content)), page_url)


def related_links(content: bytes, page_url: str = "") -> list[str]:
    """Return the addresses of the page's related stories on its own site.

    The related stories are the links after a heading such as "관련 기사",
    "関連記事" or "Related stories" (an <h1>–<h6>, a role="heading", or any
    short element holding only those words), up to the next heading, within
    the nearest block around it that holds links; or the links of an element
    whose aria-label says so. Addresses are made absolute against `page_url`
    (else the page's own address), without their #fragment; links to other
    hosts ("www." aside) and to the page itself are left out.
    """
    tree = _read(content)
    address = _address(_read_markup(tree), page_url)
    base = page_url or address
    hosts = {_host(page_url), _host(address)} - {""}
    itself = urldefrag(base)[0]
    found: list[str] = []
    for anchor in _related_anchors(tree):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or _host(url) not in hosts:
            continue
        if url != itself and url not in found:
            found.append(url)
    return found


# Reading the file.


def _read(content: bytes) -> lxml.html.HtmlElement:
    """Return the page's document, or a PostProblem saying why it cannot be read."""
    if len(content) > MAX_PAGE_BYTES:
        raise PostProblem(
            _("The page is larger than %(size)s MB.")
            % {"size": MAX_PAGE_BYTES // (1024 * 1024)}
        )
    return _parse(_decode(content))


def _decode(content: bytes) -> str:
    """Return the page's text, read in the character set it declares."""
    encoding, line = "", None
    for bom, name in BOMS:
        if content.startswith(bom):
            encoding = name
            break
    declared = ""
    if not encoding:
        head = content[:CHARSET_SCAN_BYTES]
        match = XML_ENCODING.match(head) or META_CHARSET.search(head)
        if match:
            declared = match.group("name").decode("ascii")
            line = head[: match.start()].count(b"\n") + 1
            encoding = WHATWG_ENCODINGS.get(declared.lower(), declared)
    try:
        if codecs.lookup(encoding or "utf-8").name in NOT_CHARSETS:
            raise LookupError(encoding)
        text = content.decode(encoding or "utf-8")
    except LookupError:
        raise PostProblem(
            _("The page declares the character set %(charset)s, which is not known.")
            % {"charset": declared or encoding},
            line,
        ) from None
    except UnicodeDecodeError as error:
        byte_line = content[: error.start].count(b"\n") + 1
        if declared:
            message = _(
                "The page is not %(charset)s text, as it declares"
                " (byte %(byte)s cannot be read)."
            ) % {"charset": declared, "byte": error.start + 1}
        else:
            message = _(
                "The page declares no character set and is not UTF-8 text"
                " (byte %(byte)s cannot be read)."
            ) % {"byte": error.start + 1}
        raise PostProblem(message, byte_line) from None
    return NONCHARACTERS.sub("", text.lstrip("\ufeff"))


def _parse(text: str) -> lxml.html.HtmlElement:
    """Return the page's document, parsed as browsers parse HTML."""
    # As UTF-8 bytes: lxml refuses text with an encoding declaration, and
    # the page's own <meta charset> no longer holds.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (ParserError, ValueError):
        raise PostProblem(_("No article body was found in the page.")) from None
    return tree


# What the markup says.


def _read_markup(tree: lxml.html.HtmlElement) -> _Page:
    page = _Page(html_lang=(tree.get("lang") or tree.get("xml:lang") or "").strip())
    for comment in tree.xpath("//comment()")[:5]:
        match = re.search(r"saved from url=\(\d+\)(\S+)", comment.text or "")
        if match:
            page.saved_from = match.group(1)
            break
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        key = key.strip().lower()
        if key:
            value = _clean(meta.get("content") or "")
            page.meta.setdefault(key, []).append(value)
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            page.canonical = link.get("href").strip()
            break
    titles = tree.xpath("//title")
    page.title_tag = _clean(titles[0].text_content()) if titles else ""
    for script in tree.iter("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind == "application/ld+json":
            _read_json_ld(script.text or "", page)
    return page


def _read_json_ld(text: str, page: _Page) -> None:
    """Add a JSON-LD script's nodes to `page`; broken JSON-LD is skipped."""
    try:
        # strict=False: CMSs write raw line breaks inside strings.
        data = json.loads(text.strip(), strict=False)
    except (ValueError, RecursionError):
        return
    nodes: list[Any] = data if isinstance(data, list) else [data]
    for node in list(nodes):
        if isinstance(node, dict) and isinstance(node.get("@graph"), list):
            nodes.extend(node["@graph"])
    for node in nodes:
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("@id"), str):
            page.nodes.setdefault(node["@id"], node)
        types = {
            str(kind).rsplit("/", 1)[-1].removeprefix("schema:")
            for kind in _values(node.get("@type"))
        }
        if types & ARTICLE_TYPES and not page.article:
            page.article = node


def _node(page: _Page, value: Any) -> dict[str, Any]:
    """Return the JSON-LD node `value` is or refers to ({"@id": …}), or {}."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        if set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
            return page.nodes.get(value["@id"], value)
        return value
    return {}


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """Return a JSON-LD text value as text (CMSs often HTML-escape it)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, dict | bool):
        return ""
    return _clean(unescape(str(value)))


def _clean(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def _names(values: list[Any]) -> list[str]:
    found: list[str] = []
    for value in values:
        name = _text(value)
        if name and name not in found:
            found.append(name)
    return found


def _tags(page: _Page) -> list[str]:
    keywords = page.article.get("keywords")
    if isinstance(keywords, str):
        keywords = re.split(r"[,，]", keywords)
    found = _names(_values(keywords))
    if found:
        return found
    found = _names(page.all("article:tag"))
    if found:
        return found
    return _names(re.split(r"[,，]", page.first("keywords")))


def _title(page: _Page) -> str:
    headline = _text(page.article.get("headline"))
    if headline:
        return headline
    title = page.first("og:title") or page.title_tag
    site = page.first("og:site_name")
    if site:
        suffix = re.compile(rf"\s*[{re.escape(TITLE_SEPARATORS)}]\s*{re.escape(site)}$")
        title = suffix.sub("", title).strip() or title
    return title


def _address(page: _Page, page_url: str) -> str:
    """Return the page's own address: canonical, og:url, JSON-LD, where saved from."""
    entity = page.article.get("mainEntityOfPage")
    if isinstance(entity, dict):
        entity = entity.get("@id") or entity.get("url")
    for candidate in (
        page.canonical,
        page.first("og:url"),
        _text(page.article.get("url")),
        entity if isinstance(entity, str) else "",
        page_url,
        page.saved_from,
    ):
        candidate = (candidate or "").strip()
        if candidate:
            base = page_url or page.saved_from
            return urljoin(base, candidate) if base else candidate
    return ""


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _language(page: _Page) -> str:
    for code in (
        page.html_lang,
        _text(page.article.get("inLanguage")),
        page.first("og:locale"),
    ):
        primary = re.split(r"[-_]", code.strip())[0].lower()
        if primary:
            return primary
    return ""


def _published_at(
    page: _Page, region: lxml.html.HtmlElement, site_timezone: tzinfo
) -> datetime:
    """Return when the article was published, from the first date that reads."""
    times = region.xpath(".//time[@datetime]")
    marked = [
        element
        for element in times
        if element.get("itemprop") == "datePublished" or element.get("pubdate")
    ]
    candidates = [
        _text(page.article.get("datePublished")),
        page.first("article:published_time"),
        # Microdata: <meta itemprop="datePublished" content="…">.
        page.first("datepublished"),
        *(element.get("datetime").strip() for element in marked or times[:1]),
    ]
    unreadable = ""
    for candidate in candidates:
        if not candidate:
            continue
        found = _parse_date(candidate)
        if found is None:
            unreadable = unreadable or candidate
            continue
        if found.tzinfo is None:
            found = found.replace(tzinfo=site_timezone)
        return found
    if unreadable:
        raise PostProblem(
            _("The publication date %(date)s is not an ISO 8601 date.")
            % {"date": unreadable}
        )
    raise PostProblem(_("The page has no publication date."))


def _parse_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.combine(date.fromisoformat(value), time())
    except ValueError:
        return None


def _person(value: Any) -> tuple[str, str]:
    """Return a name and an e-mail from "Name", "Name 기자", "Name a@b.org"."""
    text = _clean(value)
    match = BYLINE.fullmatch(text)
    if match:
        return ROLE.sub("", match.group("name")).strip(), match.group("email")
    return ROLE.sub("", text).strip(), ""


def _author(
    page: _Page, region: lxml.html.HtmlElement
) -> tuple[str, str, lxml.html.HtmlElement | None]:
    """Return the author's name and e-mail, and the byline printed, if any."""
    name, email = "", ""
    for value in _values(page.article.get("author")):
        person = _node(page, value)
        # A site naming itself the author names no one.
        if ORGANIZATION_TYPES & {str(kind) for kind in _values(person.get("@type"))}:
            continue
        name = _person(_text(person.get("name")) if person else _text(value))[0]
        email = _text(person.get("email")).removeprefix("mailto:")
        if name:
            break
    if not name:
        name, email = _person(page.first("author"))
    byline, printed = None, ("", "")
    for element in _inside(region):
        text = _clean(element.text_content())
        if "@" not in text or len(text) > MAX_BYLINE_CHARS:
            continue
        found = _person(text)
        if not found[1]:
            continue
        if not name or _same_name(found[0], name):
            byline, printed = element, found
            break
    if byline is not None:
        name = name or printed[0]
        email = email or printed[1]
    return name, email, byline


def _same_name(one: str, other: str) -> bool:
    return re.sub(r"\s", "", one).casefold() == re.sub(r"\s", "", other).casefold()


def _image(page: _Page) -> tuple[str, str, str]:
    """Return the feature picture's address, credit and caption, as given.

    The address as the page gives it: a URL, or a path into the saved
    page's folder.
    """
    value = page.article.get("image")
    if isinstance(value, list):
        value = value[0] if value else None
    node = _node(page, value)
    src = _text(node.get("url") or node.get("contentUrl")) if node else _text(value)
    src = src or page.first("og:image", "og:image:url", "og:image:secure_url")
    return src, _text(node.get("creditText")), _text(node.get("caption"))


# The article on the page.


def _article_region(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """Return the element holding the article: its <article>, else <main>, else body.

    Of several <article>s (teasers are some), the one with the headline
    (<h1>) and the most text.
    """
    articles = tree.xpath("//article")
    headed = [element for element in articles if element.xpath(".//h1")]
    if headed or articles:
        return max(headed or articles, key=lambda element: len(element.text_content()))
    main = tree.xpath("//main|//*[@role='main']")
    if main:
        return main[0]
    body = tree.find("body")
    return body if body is not None else tree


def _inside(region: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Return the region's small elements that are the article's, not the site's.

    Small: holding text and inline tags only (a byline, a label). Left out:
    navigation, asides, footers, forms, a page header outside an <article>,
    and links and list items linking elsewhere (rankings, related stories: a
    label there is a teaser's).
    """
    found: list[lxml.html.HtmlElement] = []
    left_out: set[lxml.html.HtmlElement] = set()
    for element in region.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        if (
            element.getparent() in left_out
            or element.tag in SITE_PARTS
            or element.tag == "a"
            or (element.tag == "li" and element.find(".//a[@href]") is not None)
            or (
                element.tag == "header"
                and next(element.iterancestors("article"), None) is None
            )
        ):
            left_out.add(element)
            continue
        if _holds_inline(element):
            found.append(element)
    return found


def _story_labels(
    region: lxml.html.HtmlElement,
) -> tuple[str, list[lxml.html.HtmlElement]]:
    """Return the article's AI-use label and the elements printing it."""
    use, elements = "", []
    for element in _inside(region):
        if any(ancestor in elements for ancestor in element.iterancestors()):
            continue
        text = _clean(element.text_content())
        if not _may_be_label(text):
            continue
        rest, _is_image, story = split_labels(text)
        if story and not rest:
            use = use or story
            elements.append(element)
    return use, elements


def _feature_picture(
    tree: lxml.html.HtmlElement, region: lxml.html.HtmlElement, image: str, base: str
) -> _Picture:
    """Return the feature picture as the page shows it: alt, caption, label.

    The article's <img> of it, else the page's (a banner above the article).
    """
    picture = _Picture()
    if not image:
        return picture
    shown = [
        (element, src)
        for element in [*region.iter("img"), *tree.iter("img")]
        if (src := _image_source(element)) and _same_picture(src, image, base)
    ]
    if not shown:
        return picture
    element, src = shown[0]
    picture.src = src
    picture.alt, alt_ai, _story = _without_labels(element.get("alt") or "")
    figure = next(element.iterancestors("figure"), None)
    caption = figure.find(".//figcaption") if figure is not None else None
    if caption is not None:
        picture.caption, caption_ai, _story = _without_labels(caption.text_content())
    else:
        caption_ai = False
    # A label printed after the picture (or its figure), on its own.
    after_ai = False
    for holder in (element, figure):
        if holder is None:
            continue
        following = holder.getnext()
        if following is not None and following.tag != "figcaption":
            rest, is_ai, _story = _without_labels(following.text_content())
            if is_ai and not rest:
                after_ai = True
                # Kept with the picture: dropped from the body with it.
                following.set("data-feature-label", "")
    picture.is_ai = alt_ai or caption_ai or after_ai
    return picture


def _image_source(element: lxml.html.HtmlElement) -> str:
    for name in IMAGE_SOURCES:
        value = (element.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return ""


def _same_picture(src: str, image: str, base: str) -> bool:
    """Whether `src` shows `image`: the same address, or the same file name.

    A saved page's <img> points into its `_files` folder while og:image
    keeps the site's address; the browser saves the file under its name.
    """
    if urljoin(base, src) == urljoin(base, image):
        return True
    name = PurePosixPath(unquote(urlsplit(src).path)).name
    return bool(name) and name == PurePosixPath(unquote(urlsplit(image).path)).name


def _related_anchors(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Return the links of the page's related-stories lists, in page order."""
    body = tree.find("body")
    if body is None:
        return []
    order = {element: number for number, element in enumerate(body.iter())}
    anchors: list[lxml.html.HtmlElement] = []
    for element in order:
        if not isinstance(element.tag, str):
            continue
        if _is_related_heading(element.get("aria-label") or ""):
            anchors.extend(element.iter("a"))
            continue
        heading = element.tag in HEADINGS or element.get("role") == "heading"
        if not heading and (
            not _holds_inline(element) or element.find(".//a") is not None
        ):
            continue
        if _is_related_heading(element.text_content()):
            anchors.extend(_links_after(element, body, order))
    return list(dict.fromkeys(anchors))


def _links_after(
    heading: lxml.html.HtmlElement,
    body: lxml.html.HtmlElement,
    order: dict[lxml.html.HtmlElement, int],
) -> list[lxml.html.HtmlElement]:
    """Return the links after `heading`, up to the next heading.

    In the nearest block around it that holds links after it: its section,
    not the page.
    """
    start = order[heading]
    block = heading.getparent()
    after: list[lxml.html.HtmlElement] = []
    while block is not None and not after:
        after = [a for a in block.iter("a") if order.get(a, -1) > start]
        if after or block is body:
            break
        block = block.getparent()
    if block is None or not after:
        return []
    end = min(
        (
            order[other]
            for other in block.iter(*HEADINGS)
            if order.get(other, -1) > start and heading not in other.iterancestors()
        ),
        default=len(order),
    )
    return [a for a in after if order[a] < end and heading not in a.iterancestors()]


def _holds_inline(element: lxml.html.HtmlElement) -> bool:
    """Whether `element` holds text and inline tags only (a label, a byline)."""
    return all(
        child.tag in INLINE_TAGS for child in element if isinstance(child.tag, str)
    )


def _is_related_heading(text: str) -> bool:
    if len(text) > MAX_LABEL_CHARS:
        return False
    folded = unicodedata.normalize("NFKC", text).casefold()
    return NOT_LETTERS.sub("", folded) in RELATED_HEADINGS


# The body.


def _body(
    tree: lxml.html.HtmlElement, *, title: str, picture: _Picture, base: str
) -> str:
    """Return the article's body as plain HTML, found by trafilatura."""
    _mark_what_trafilatura_drops(tree)
    # Its XML tree, before serialising (which would drop the marks); "xml"
    # spares it the plain text it would otherwise also write.
    document = trafilatura.bare_extraction(
        tree,
        output_format="xml",
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_formatting=True,
        include_links=True,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return ""
    try:
        container = lxml.html.fragment_fromstring(_as_html(body, base))
    except (ParserError, ValueError):
        return ""
    _restore_marks(container)
    blocks = _without_leading_feature(_blocks(container), title, picture, base)
    # Nothing but links (a menu's, when the page holds no article) is no body.
    if not any(_text_outside_links(block) for block in blocks):
        return ""
    return "".join(
        lxml.html.tostring(block, encoding="unicode", with_tail=False) + "\n"
        for block in blocks
    )


def _as_html(body: Any, base: str) -> str:
    """Return trafilatura's body (its own XML) in plain HTML tags, as one <div>.

    Kept: headings, paragraphs, lists, bold and italics, links (absolute
    against the page's address), pictures (their address as the page gives
    it), quotes and line breaks. A table's rows become paragraphs; what has
    no house tag is unwrapped, its text kept.
    """
    for element in list(body.iter()):
        if element is body or not isinstance(element.tag, str):
            continue
        tag, rend = element.tag, element.get("rend", "")
        attributes = dict(element.attrib)
        element.attrib.clear()
        if tag == "head":
            element.tag = BODY_HEADINGS.get(rend, "h3")
        elif tag == "list":
            element.tag = "ol" if rend == "ol" else "ul"
        elif tag == "hi":
            element.tag = TRAFILATURA_FORMATTING.get(rend, UNWRAP)
        elif tag == "ref":
            href = _link(attributes.get("target", ""), base)
            element.tag = "a" if href else UNWRAP
            if href:
                element.set("href", href)
        elif tag == "graphic":
            element.tag = "img" if attributes.get("src") else UNWRAP
            if attributes.get("src"):
                element.set("src", attributes["src"])
                element.set("alt", attributes.get("alt", ""))
        elif tag == "code":
            element.tag = "p" if element.getparent() is body else UNWRAP
        elif tag == "cell":
            if element.getnext() is not None:
                element.tail = " " + (element.tail or "")
            element.tag = UNWRAP
        else:
            element.tag = TRAFILATURA_TAGS.get(tag, UNWRAP)
    strip_tags(body, UNWRAP)
    body.tag = "div"
    body.attrib.clear()
    return str(tostring(body, method="html", encoding="unicode"))


def _mark_what_trafilatura_drops(tree: lxml.html.HtmlElement) -> None:
    """Carry highlights, rules and captions through trafilatura as text marks.

    Its output has no tag for a highlight or a rule and leaves captions out:
    noncharacters around their text come back out as <mark>, <hr> and
    <figcaption> (`_restore_marks`).
    """
    for element in list(tree.iter("mark", "span", "b", "strong")):
        highlighted = element.tag == "mark" or HIGHLIGHT_STYLE.search(
            element.get("style") or ""
        )
        if highlighted and element.text_content().strip():
            element.tag = "b"
            element.attrib.clear()
            element.text = HIGHLIGHT_START + (element.text or "")
            if len(element):
                element[-1].tail = (element[-1].tail or "") + HIGHLIGHT_END
            else:
                element.text += HIGHLIGHT_END
    for element in list(tree.iter("hr")):
        rule = lxml.html.Element("p")
        rule.text = RULE
        rule.tail = element.tail
        element.getparent().replace(element, rule)
    for element in list(tree.iter("figcaption")):
        if element.getparent() is not None and element.getparent().xpath(".//img"):
            element.tag = "p"
            element.attrib.clear()
            element.text = CAPTION + (element.text or "")
    for element in list(tree.xpath("//*[@data-feature-label]")):
        # The label printed after the feature picture: part of its caption.
        element.tag = "p"
        element.attrib.clear()
        element.text = CAPTION + (element.text or "")


def _restore_marks(container: lxml.html.HtmlElement) -> None:
    """Turn the marks of `_mark_what_trafilatura_drops` back into tags."""
    for element in list(container.iter("p")):
        if _clean(element.text_content()) == RULE:
            rule = lxml.html.Element("hr")
            rule.tail = element.tail
            element.getparent().replace(element, rule)
    for element in list(container.iter("strong", "b")):
        text = element.text_content().strip()
        if text.startswith(HIGHLIGHT_START) and text.endswith(HIGHLIGHT_END):
            element.tag = "mark"
            # <span style="background…"><b>…</b></span>: one highlight.
            children = [child for child in element if isinstance(child.tag, str)]
            inner = children[0] if len(children) == 1 else None
            if (
                inner is not None
                and inner.tag in {"strong", "b"}
                and not (element.text or "").strip(HIGHLIGHT_START + " ")
                and not (inner.tail or "").strip(HIGHLIGHT_END + " ")
            ):
                inner.drop_tag()
    for element in list(container.iter("p")):
        if not (element.text or "").lstrip().startswith(CAPTION):
            continue
        previous = element.getprevious()
        if (
            previous is not None
            and previous.tag == "p"
            and not _clean(previous.text_content())
            and len(previous) == 1
            and previous[0].tag == "img"
        ):
            # A picture trafilatura put in a paragraph of its own.
            picture = previous[0]
            previous.addprevious(picture)
            picture.tail = None
            drop_element(previous)
            previous = picture
        if previous is not None and previous.tag == "figure":
            # A second caption paragraph (the picture's label) joins the first.
            caption = previous.find("figcaption")
            caption.text = (caption.text or "") + " " + (element.text or "")
            for child in list(element):
                caption.append(child)
            element.text = None
            element.drop_tag()
        elif previous is not None and previous.tag == "img":
            figure = lxml.html.Element("figure")
            previous.addprevious(figure)
            figure.tail = previous.tail
            previous.tail = None
            figure.append(previous)
            element.tag = "figcaption"
            figure.append(element)
        else:
            # The caption of a picture trafilatura left out.
            drop_element(element)
    for element in container.iter():
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and NONCHARACTERS.search(value):
                setattr(element, name, NONCHARACTERS.sub("", value))
    for element in container.iter("figcaption"):
        element.text = (element.text or "").lstrip()


def _blocks(container: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Return the body's blocks, without empty ones; loose text becomes a paragraph."""
    blocks: list[lxml.html.HtmlElement] = []
    loose = [container.text] + [child.tail for child in container]
    for text, child in zip(loose, [*container, None], strict=True):
        if text and text.strip():
            paragraph = lxml.html.Element("p")
            paragraph.text = text.strip()
            blocks.append(paragraph)
        if child is None or not isinstance(child.tag, str):
            continue
        child.tail = None
        if child.tag in {"br", "a", "strong", "b", "em", "i", "mark"}:
            paragraph = lxml.html.Element("p")
            paragraph.append(child)
            child = paragraph
        if child.tag == "hr" or _clean(child.text_content()) or child.xpath(".//img"):
            blocks.append(child)
    return blocks


def _text_outside_links(element: lxml.html.HtmlElement) -> bool:
    if element.tag == "a":
        return bool((element.tail or "").strip())
    if (element.text or "").strip() or (element.tail or "").strip():
        return True
    return any(
        _text_outside_links(child) for child in element if isinstance(child.tag, str)
    )


def _link(href: str, base: str) -> str:
    """Return a link's address, absolute against the page's; "" for scripts."""
    href = href.strip()
    if not href:
        return ""
    absolute = urljoin(base, href) if base else href
    scheme = urlsplit(absolute).scheme.lower()
    if scheme and scheme not in LINK_SCHEMES:
        return ""
    return absolute


def _without_leading_feature(
    blocks: list[lxml.html.HtmlElement], title: str, picture: _Picture, base: str
) -> list[lxml.html.HtmlElement]:
    """Drop the headline and the feature picture where the body would repeat them.

    Only before the body's first text: a picture further down is the
    writer's, where they put it.
    """
    kept: list[lxml.html.HtmlElement] = []
    leading = True
    for block in blocks:
        text = _clean(block.text_content())
        if leading and block.tag in {"h2", "h3"} and text == title:
            continue
        if leading and picture.src and block.tag in {"img", "figure", "p"}:
            images = [block] if block.tag == "img" else block.findall(".//img")
            if (
                len(images) == 1
                and (block.tag != "p" or not text)
                and _same_picture(images[0].get("src", ""), picture.src, base)
            ):
                continue
        if text:
            leading = False
        kept.append(block)
    return kept


def _may_be_label(text: str) -> bool:
    """Whether `text` is short and says "AI": most text is no label, read quickly."""
    if not text or len(text) > MAX_LABEL_CHARS:
        return False
    return "ai" in unicodedata.normalize("NFKC", text).casefold()


def _without_labels(text: str) -> tuple[str, bool, str]:
    """Return `text` without its AI labels, and what they said (split_labels)."""
    text = _clean(text)
    if "ai" not in unicodedata.normalize("NFKC", text).casefold():
        return text, False, ""
    return split_labels(text)
