"""Read a Jekyll post: its front matter and its body, as the importer needs them.

A post is `_posts/YYYY-MM-DD-name.md|.markdown|.html`: YAML front matter
between two `---` lines, then the body in Markdown or HTML. The front
matter's date, with its UTC offset, is when the story was published; the
file name's date only stands in when the front matter has none (a post dated
the 29th in New York is the 30th in Seoul).

Front-matter keys read: title, date, categories (a list or a space-separated
string; `category` too), tags (likewise; `tag` too), excerpt, feature_text,
image (a path, or a mapping with `path`, `alt`, `caption`, `credit` and
`ai_generated`), lang (or `language`), author (a name or an e-mail
address), permalink, ref or translation_key (posts sharing one are one story
in several languages), published (false: a draft) and ai_use (assisted or
generated; the disclosure readers see).

Problems are `PostProblem`s naming the line of the file they are on.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime, time, tzinfo
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import yaml
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from imports.posts import Entry, PostProblem, SourcePost
from imports.sites import ArchiveProblem, SiteFiles

# A post larger than this is refused, not read: ten years of a newsroom's
# stories are each far smaller.
MAX_POST_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
POST_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A picture's address in Markdown (![alt](src "title")) or raw HTML (src="…").
PICTURE_ADDRESS = re.compile(
    r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)|\bsrc\s*=\s*[\"'](?P<src2>[^\"']+)"
)
FILE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)


# Jekyll's permalink styles, by name (_config.yml `permalink`).
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
PLACEHOLDER = re.compile(
    r":(categories|year|short_year|month|i_month|day|i_day"
    r"|y_day|hour|minute|second|title|slug|output_ext|week|short_day)"
)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: a few lines of them can fill memory."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise PostProblem(
                _("The front matter uses a YAML alias (*name), which is not read."),
                event.start_mark.line + 2,
            )
        return super().compose_node(parent, index)


def site_entries(
    files: SiteFiles, *, site_timezone: tzinfo, default_language: str = ""
) -> list[Entry]:
    """Return the site's posts, each known by its path and its bytes' digest.

    A post is read again when the importer asks for it: ten years of posts
    are not held in memory at once.
    """

    def reader(name: str) -> Callable[[], SourcePost]:
        return lambda: read_post(
            name,
            files.read(name),
            site_timezone=site_timezone,
            default_language=default_language,
        )

    entries = []
    for name in files.posts():
        try:
            digest = hashlib.sha256(files.read(name)).hexdigest()
        except ArchiveProblem as problem:
            # Reported when read.
            digest = f"unreadable:{problem.message}"
        entries.append(
            Entry(name=name, file=name, key=name, fingerprint=digest, read=reader(name))
        )
    return entries


def read_post(
    path: str, content: bytes, *, site_timezone: tzinfo, default_language: str = ""
) -> SourcePost:
    """Return the post at `path` (relative to the site) whose file holds `content`.

    Raises PostProblem for what cannot be read. Times without an offset are
    in `site_timezone` (the site's _config.yml `timezone`).
    """
    name = PurePosixPath(path)
    if name.suffix.lower() not in POST_SUFFIXES:
        raise PostProblem(_("Not a post: only .md, .markdown and .html files are."))
    if len(content) > MAX_POST_BYTES:
        raise PostProblem(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_POST_BYTES // (1024 * 1024)}
        )
    text = _decode(content)
    front, body, body_line = _split(text)
    matter = _front_matter(front)
    title = _text(matter.get("title"))
    if not title:
        raise PostProblem(
            _("The front matter has no title."), _key_line(front, "title")
        )
    try:
        published_at = _published_at(matter.get("date"), name, site_timezone)
    except PostProblem as problem:
        problem.line = _key_line(front, "date")
        raise
    image = _image(matter.get("image"))
    markup = POST_SUFFIXES[name.suffix.lower()]
    picture_lines: dict[str, int] = {}
    if markup == "markdown":
        for number, line in enumerate(body.splitlines(), start=body_line):
            for found in PICTURE_ADDRESS.finditer(line):
                src = found.group("src") or found.group("src2")
                picture_lines.setdefault(src, number)
        body = _markdown().render(body)
    author = _text(matter.get("author"))
    return SourcePost(
        key=path,
        title=title,
        published_at=published_at,
        body_html=body,
        body_line=body_line,
        markup=markup,
        picture_lines=picture_lines,
        categories=_words(matter.get("categories", matter.get("category"))),
        tags=_words(matter.get("tags", matter.get("tag"))),
        excerpt=_text(matter.get("excerpt")),
        feature_text=_text(matter.get("feature_text")),
        image=image["path"],
        image_alt=image["alt"],
        image_caption=image["caption"],
        image_credit=image["credit"],
        image_is_ai=bool(image["ai_generated"]),
        language=_text(matter.get("lang", matter.get("language"))) or default_language,
        author="" if EMAIL.match(author) else author,
        author_email=author if EMAIL.match(author) else "",
        permalink=_text(matter.get("permalink")),
        translation_key=_text(matter.get("ref", matter.get("translation_key"))),
        is_draft=matter.get("published") is False,
        ai_use=_ai_use(matter.get("ai_use")),
    )


def _decode(content: bytes) -> str:
    """Return the file's text: UTF-8 (with or without a BOM), or a clear error."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise PostProblem(
            _("The file is not UTF-8 text (byte %(byte)s cannot be read).")
            % {"byte": error.start + 1},
            line,
        ) from None


def _split(text: str) -> tuple[str, str, int]:
    """Return the front matter, the body and the body's first line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise PostProblem(_("The file does not start with front matter (---)."), 1)
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in {"---", "..."}:
            front = "".join(lines[1 : number - 1])
            if len(front.encode()) > MAX_FRONT_MATTER_BYTES:
                raise PostProblem(
                    _("The front matter is longer than %(size)s KB.")
                    % {"size": MAX_FRONT_MATTER_BYTES // 1024},
                    1,
                )
            return front, "".join(lines[number:]), number + 1
    raise PostProblem(_("The front matter is never closed (---)."), 1)


def _front_matter(front: str) -> dict[str, Any]:
    try:
        matter = yaml.load(front, Loader=_FrontMatterLoader)  # noqa: S506 - safe, no aliases
    except yaml.MarkedYAMLError as error:
        # Where what is broken starts (an unclosed "["), else where it broke.
        mark = error.context_mark or error.problem_mark
        raise PostProblem(
            _("The front matter is not valid YAML."),
            mark.line + 2 if mark is not None else 2,
        ) from None
    except yaml.YAMLError:
        raise PostProblem(_("The front matter is not valid YAML."), 2) from None
    if matter is None:
        return {}
    if not isinstance(matter, dict):
        raise PostProblem(_("The front matter is not a list of keys and values."), 2)
    return matter


def _key_line(front: str, key: str) -> int:
    """Return the file's line of the front matter's `key`, or the first line."""
    for number, line in enumerate(front.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _words(value: Any) -> list[str]:
    """Return a list of names given as a YAML list or a space-separated string."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split()
    found: list[str] = []
    for item in items:
        word = _text(item)
        if word and word not in found:
            found.append(word)
    return found


def _image(value: Any) -> dict[str, Any]:
    """Return the feature image's path, alt, caption, credit and AI flag.

    `image` is a path, or a mapping (`path` or `feature`, `alt`, `caption`,
    `credit`, `ai_generated`).
    """
    if not isinstance(value, dict):
        value = {"path": value}
    return {
        "path": _text(value.get("path") or value.get("feature")),
        "alt": _text(value.get("alt")),
        "caption": _text(value.get("caption")),
        "credit": _text(value.get("credit")),
        "ai_generated": value.get("ai_generated") is True,
    }


def _ai_use(value: Any) -> str:
    found = _text(value).lower()
    return found if found in {"assisted", "generated"} else ""


def _published_at(value: Any, name: PurePosixPath, site_timezone: tzinfo) -> datetime:
    """Return when the post was published: its front matter's date, else its name's."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time())
    elif value is not None and _text(value):
        found = _parse_date(_text(value))
    else:
        match = FILE_NAME.match(name.stem)
        if match is None:
            raise PostProblem(
                _(
                    "The post has no date: none in its front matter, and its file"
                    " name does not start with one (YYYY-MM-DD-)."
                ),
                2,
            )
        try:
            year, month, day = (int(part) for part in match.groups()[:3])
            found = datetime(year, month, day)
        except ValueError:
            raise PostProblem(
                _("The date in the file name is not a date."), None
            ) from None
    if found.tzinfo is None:
        found = found.replace(tzinfo=site_timezone)
    return found


def _parse_date(value: str) -> datetime:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise PostProblem(
        _("The date %(date)s is not a date Jekyll reads (YYYY-MM-DD HH:MM:SS +0900).")
        % {"date": value},
        2,
    )


@cache
def _markdown() -> MarkdownIt:
    # CommonMark with raw HTML passed through, as kramdown does; the house
    # sanitiser cleans it after.
    return MarkdownIt("commonmark", {"html": True})


def post_address(post: SourcePost, style: str, site_timezone: tzinfo) -> str:
    """Return the address Jekyll gave `post`: its permalink, else the site's style.

    As a browser asks for it, decoded. `style` is _config.yml's `permalink`
    (a style's name or a pattern of :placeholders; "date" by default).
    """
    pattern = post.permalink or PERMALINK_STYLES.get(style or "date", style or "")
    moment = post.published_at.astimezone(site_timezone)
    stem = PurePosixPath(post.key).stem
    match = FILE_NAME.match(stem)
    title = match.group(4) if match else stem
    values = {
        "categories": "/".join(dict.fromkeys(c.lower() for c in post.categories)),
        "year": f"{moment:%Y}",
        "short_year": f"{moment:%y}",
        "month": f"{moment:%m}",
        "i_month": str(moment.month),
        "day": f"{moment:%d}",
        "i_day": str(moment.day),
        "y_day": f"{moment:%j}",
        "hour": f"{moment:%H}",
        "minute": f"{moment:%M}",
        "second": f"{moment:%S}",
        "title": title,
        "slug": title,
        "output_ext": ".html",
        "week": f"{moment.isocalendar().week:02d}",
        "short_day": f"{moment:%a}",
    }
    path = PLACEHOLDER.sub(lambda found: values[found.group(1)], pattern)
    path = re.sub(r"/{2,}", "/", "/" + unquote(path).lstrip("/"))
    return path
