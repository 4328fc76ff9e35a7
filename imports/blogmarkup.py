"""Turn a blog editor's HTML into the house body format.

Archives written in Tistory's or Kakao's editor (and most blog editors)
carry their look in the markup: `data-ke-*` attributes on every block,
highlights as `<b><span style="color: …">`, headings sized by attribute,
empty "spacer" paragraphs for space, `<img>` where the house places library
pictures. `house_body()` keeps what the writer meant (sections, emphasis,
highlights, breaks, pictures) and leaves the look to the reader site; the
result goes through the desk's own sanitiser (core.richtext).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.html  # type: ignore[import-untyped]
from lxml.etree import ParserError  # type: ignore[import-untyped]

from core.richtext import sanitize_html

# A colour or background on an inline span: the writer highlighted it.
HIGHLIGHT_STYLE = re.compile(r"(^|;)\s*(background(-color)?|color)\s*:", re.IGNORECASE)
# Headings the house keeps: the page's own title is the only <h1>.
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
# Blocks whose text may be nothing but space (a spacer paragraph).
SPACERS = {"p", "div"}
# Elements dropped with what they hold: code, and what the house never shows.
DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed"}
# Text that is no text: spaces, no-break spaces, zero-width spaces.
BLANK = re.compile(r"^[\s\u00a0\u200b\u3000]*$")


@dataclass(frozen=True)
class BodyPicture:
    """A picture the body showed, to be brought into the image library."""

    src: str
    alt: str
    # Its source line in the post, for the import report (None: unknown).
    line: int | None


@dataclass
class HouseBody:
    """A body in the house format, and what became of its pictures."""

    html: str
    pictures: list[BodyPicture] = field(default_factory=list)
    # Pictures the importer could not bring in: dropped from the body.
    missing: list[BodyPicture] = field(default_factory=list)


def house_body(
    html: str, picture_id: Callable[[BodyPicture], int | None] | None = None
) -> HouseBody:
    """Return `html` in the house body format.

    Each <img> becomes a library picture placeholder (<figure data-image>)
    with the id `picture_id` gives it, or is dropped (and listed as missing)
    when it gives None. Without `picture_id`, pictures are listed and
    dropped.
    """
    result = HouseBody(html="")
    if not html or not html.strip():
        return result
    try:
        blocks = lxml.html.fragments_fromstring(html)
    except (ParserError, ValueError):
        return result
    container = lxml.html.Element("div")
    for block in blocks:
        if isinstance(block, str):
            # Text before the first element.
            paragraph = lxml.html.Element("p")
            paragraph.text = block
            container.append(paragraph)
        else:
            container.append(block)
    # Before the pictures are placed: a placeholder is ours alone, never
    # one the source wrote (it would show any picture of the library).
    for element in list(container.iter()):
        if element is container or not isinstance(element.tag, str):
            continue
        _restyle(element)
    for picture in list(container.iter("img")):
        _place_picture(picture, result, picture_id)
    for element in list(container.iter(*SPACERS)):
        if _is_spacer(element):
            _drop(element)
    # One block a line, whatever space the source left between them.
    container.text = None
    for child in container:
        child.tail = "\n"
    inner = "".join(
        lxml.html.tostring(child, encoding="unicode") for child in container
    )
    result.html = sanitize_html(inner)
    return result


def _place_picture(
    image: lxml.html.HtmlElement,
    result: HouseBody,
    picture_id: Callable[[BodyPicture], int | None] | None,
) -> None:
    """Replace `image` with a placeholder of its library picture, or drop it."""
    picture = BodyPicture(
        src=(image.get("src") or "").strip(),
        alt=(image.get("alt") or "").strip(),
        line=image.sourceline,
    )
    found = picture_id(picture) if picture_id and picture.src else None
    if found is None:
        result.missing.append(picture)
        _drop(image)
        return
    result.pictures.append(picture)
    figure = lxml.html.Element(
        "figure", {"data-image": str(found), "data-size": "full"}
    )
    if picture.alt:
        figure.set("data-alt", picture.alt)
    # A picture stands on its own: out of the paragraph it was put in.
    block = image
    while block.getparent() is not None and block.getparent().tag in {
        "p",
        "span",
        "a",
        "b",
        "strong",
        "em",
        "i",
    }:
        block = block.getparent()
    if block is image:
        image.addnext(figure)
    else:
        block.addprevious(figure)
    _drop(image)


def _restyle(element: lxml.html.HtmlElement) -> None:
    """Say what `element` means in house tags, without its look."""
    tag = element.tag
    if tag in DROPPED:
        _drop(element)
        return
    if tag in HEADINGS:
        element.tag = HEADINGS[tag]
    elif tag in {"b", "strong"}:
        element.tag = "mark" if _highlighted(element) else "strong"
    elif tag == "span":
        if _is_highlight(element) and not _inside(element, {"mark"}):
            element.tag = "mark"
        else:
            element.drop_tag()
            return
    elif tag in {"font", "figure"}:
        element.drop_tag()
        return
    for name in list(element.attrib):
        if name == "style" or name.startswith("data-") or name in {"class", "id"}:
            del element.attrib[name]


def _is_highlight(element: lxml.html.HtmlElement) -> bool:
    return bool(HIGHLIGHT_STYLE.search(element.get("style") or ""))


def _highlighted(element: lxml.html.HtmlElement) -> bool:
    """Whether bold `element` holds nothing but coloured text: a highlight."""
    if _is_highlight(element):
        return True
    children = [child for child in element if isinstance(child.tag, str)]
    outside = (element.text or "") + "".join(child.tail or "" for child in children)
    return (
        bool(children)
        and all(child.tag == "span" and _is_highlight(child) for child in children)
        and not outside.strip()
    )


def _inside(element: lxml.html.HtmlElement, tags: set[str]) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _is_spacer(element: lxml.html.HtmlElement) -> bool:
    """Whether `element` is there only for space: no text, no picture, no rule."""
    if not BLANK.match(element.text_content()):
        return False
    return not any(
        child.tag in {"figure", "hr", "img"} for child in element.iterdescendants()
    )


def _drop(element: lxml.html.HtmlElement) -> None:
    """Remove `element` and what it holds, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
