"""What every archive's reader gives the importer: posts, read and checked.

A reader (Jekyll's, WordPress's, a saved page's) turns its source into
`Entry`s; an entry's `read()` returns the `SourcePost` the importer makes a
story of, or raises `PostProblem` naming the line of the file it is on.
Readers know nothing of the database: what becomes what is the services'.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


class PostProblem(Exception):
    """What is wrong with a post, and on which line of its file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Citation:
    """A page the post cites ("read more at …, source: URL")."""

    url: str
    publisher: str = ""
    title: str = ""
    # related.Source.Role's values: "source", "image_source", "further_reading".
    role: str = "source"


@dataclass
class SourcePost:
    """One post as its archive holds it, before it becomes a story."""

    # What finds the post again on the next import: a path in the site, a
    # WordPress GUID, a page's address.
    key: str
    title: str
    published_at: datetime
    body_html: str
    # The body's first line in the file: lines in the body are counted from it.
    body_line: int = 1
    # "html", or "markdown" (its HTML's lines are not the file's).
    markup: str = "html"
    # Where the file names each picture, when the body's HTML lines are not
    # the file's (Markdown): address → line.
    picture_lines: dict[str, int] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excerpt: str = ""
    feature_text: str = ""
    # The feature image: an address in the archive (a path, or a URL of the
    # old site), its alt text, caption and credit, and whether the source
    # labels it AI-generated.
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    image_is_ai: bool = False
    language: str = ""
    author: str = ""
    author_email: str = ""
    # The address the old site gave it, when the source says (else the
    # services work it out, as Jekyll's permalink styles do).
    permalink: str = ""
    # Posts sharing one are one story in several languages.
    translation_key: str = ""
    # The source held it unpublished (a WordPress draft): never published
    # by the import.
    is_draft: bool = False
    # The source's AI-use label of the text: "", "assisted" or "generated"
    # (articles.Article.AIUse's values).
    ai_use: str = ""
    citations: list[Citation] = field(default_factory=list)
    # Addresses of the stories the source lists as related (on the old site).
    related: list[str] = field(default_factory=list)


@dataclass
class Entry:
    """One post of an archive, known by its key before it is read."""

    # What the report calls it ("_posts/2024-05-30-port.md",
    # "export.xml: Port talks").
    name: str
    # The file its lines are in ("export.xml"): the report's `file:line`.
    file: str
    key: str
    # Changes whenever what the post is read from changes (its bytes' SHA-256).
    fingerprint: str
    read: Callable[[], SourcePost]
