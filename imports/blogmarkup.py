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
from urllib.parse import urlsplit

import lxml.html  # type: ignore[import-untyped]
from lxml.etree import ParserError  # type: ignore[import-untyped]

from core.richtext import sanitize_html
from imports.labels import is_ai_image_label, split_labels
from imports.posts import Citation

# A colour or background on an inline span: the writer highlighted it.
HIGHLIGHT_STYLE = re.compile(r"(^|;)\s*(background(-color)?|color)\s*:", re.IGNORECASE)
# Headings the house keeps: the page's own title is the only <h1>.
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
# Blocks whose text may be nothing but space (a spacer paragraph).
SPACERS = {"p", "div"}
# Elements dropped with what they hold: code, and what the house never shows.
DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed"}
# A citation paragraph: "자세히 읽기 ⇒ Publisher: what it is 출처/이미지: URL",
# "さらに読む ⇒ …出典/画像元: URL", "Read more at … Source: URL".
READ_MORE = (
    r"(?:자세히\s*읽기|더\s*읽기|관련\s*기사|さらに読む|続きを読む"
    r"|read\s+more(?:\s+at)?)"
)
SOURCE_LABEL = (
    r"(?P<label>출처\s*/\s*이미지|이미지\s*출처|출처|사진\s*출처|出典\s*/\s*画像元"
    r"|画像元|出典|写真|source\s*/\s*image|image\s+source|source|image)"
)
CITATION = re.compile(
    rf"^\s*(?:{READ_MORE}\s*[⇒→>:：]*\s*)?(?P<about>.*?)\s*{SOURCE_LABEL}\s*[:：]\s*"
    r"(?P<url>https?://[^\s<>\"]+)\s*$",
    re.IGNORECASE | re.DOTALL,
)
READ_MORE_ONLY = re.compile(
    rf"^\s*{READ_MORE}\s*[⇒→>:：]*\s*(?P<about>.*?)\s*[:：]?\s*"
    r"(?P<url>https?://[^\s<>\"]+)\s*$",
    re.IGNORECASE | re.DOTALL,
)
IMAGE_ONLY_LABELS = {
    "画像元",
    "写真",
    "image",
    "image source",
    "이미지 출처",
    "사진 출처",
}
# Text that is no text: spaces, no-break spaces, zero-width spaces.
BLANK = re.compile(r"^[\s\u00a0\u200b\u3000]*$")


@dataclass(frozen=True)
class BodyPicture:
    """A picture the body showed, to be brought into the image library."""

    src: str
    alt: str
    # Its source line in the post, for the import report (None: unknown).
    line: int | None
    # Its caption in the body (a <figcaption>, a [caption]), AI label removed.
    caption: str = ""
    # The body labels it AI-generated (in its caption, or a line under it).
    is_ai: bool = False


@dataclass
class HouseBody:
    """A body in the house format, and what became of its pictures."""

    html: str
    pictures: list[BodyPicture] = field(default_factory=list)
    # Pictures the importer could not bring in: dropped from the body.
    missing: list[BodyPicture] = field(default_factory=list)
    # "Read more at … source: URL" paragraphs, taken out of the body.
    citations: list[Citation] = field(default_factory=list)
    # Every link's address, in order (links to other imported posts become
    # related stories).
    links: list[str] = field(default_factory=list)


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
    # Comments (WordPress's <!--more-->, editors' notes) are no content.
    for node in list(container.iter()):
        if not isinstance(node.tag, str):
            drop_element(node)
    captions = _captions(container)
    for block in list(container.iter("p", "div", "blockquote", "li")):
        citation = _citation(block)
        if citation is not None:
            result.citations.append(citation)
            drop_element(block)
    result.links = [
        href.strip() for link in container.iter("a") if (href := link.get("href"))
    ]
    # Before the pictures are placed: a placeholder is ours alone, never
    # one the source wrote (it would show any picture of the library).
    for element in list(container.iter()):
        if element is container or not isinstance(element.tag, str):
            continue
        _restyle(element)
    for picture in list(container.iter("img")):
        _place_picture(picture, result, picture_id, captions.get(picture, ("", False)))
    for element in list(container.iter(*SPACERS)):
        if _is_spacer(element):
            drop_element(element)
    # A rule with nothing after it (the citations it set off are sources
    # now) separates nothing.
    while len(container) and container[-1].tag == "hr":
        drop_element(container[-1])
    # One block a line, whatever space the source left between them.
    container.text = None
    for child in container:
        child.tail = "\n"
    inner = "".join(
        lxml.html.tostring(child, encoding="unicode") for child in container
    )
    result.html = sanitize_html(inner)
    return result


def _captions(container: lxml.html.HtmlElement) -> dict[object, tuple[str, bool]]:
    """Take each picture's caption and AI label out of the body; return them.

    A caption is the <figcaption> of the <figure> the picture is in; a line
    under the picture that is only an AI label ("AI-generated image") says
    so of the picture, and goes.
    """
    found: dict[object, tuple[str, bool]] = {}
    for image in list(container.iter("img")):
        caption, is_ai = "", False
        figure = next((up for up in image.iterancestors() if up.tag == "figure"), None)
        holder = figure if figure is not None else image
        if figure is not None:
            for figcaption in list(figure.iter("figcaption")):
                caption, is_ai, _use = split_labels(figcaption.text_content())
                drop_element(figcaption)
        # Up to the block the picture stands in, then the block after it.
        while holder.getparent() is not None and holder.getparent() is not container:
            if holder.getnext() is not None:
                break
            holder = holder.getparent()
        following = holder.getnext()
        if following is not None and is_ai_image_label(following.text_content()):
            is_ai = True
            drop_element(following)
        elif is_ai_image_label(holder.tail or ""):
            is_ai = True
            holder.tail = None
        found[image] = (caption, is_ai)
    return found


def _citation(block: lxml.html.HtmlElement) -> Citation | None:
    """Return the citation `block` is (and nothing more), or None."""
    if any(child.tag in {"p", "div", "li", "ul", "ol", "img"} for child in block):
        return None
    text = " ".join(block.text_content().split())
    match = CITATION.match(text)
    role = "source"
    if match is not None:
        label = " ".join(match.group("label").split()).lower()
        if label in IMAGE_ONLY_LABELS:
            role = "image_source"
    else:
        match = READ_MORE_ONLY.match(text)
        if match is None:
            return None
        role = "further_reading"
    about = match.group("about").strip(" ⇒→>-–—:：")
    publisher, title, *_rest = re.split(r"\s*[:：]\s*", about, maxsplit=1) + [""]
    url = match.group("url").rstrip(".,、。)")
    return Citation(
        url=url,
        publisher=publisher.strip() or urlsplit(url).hostname or url,
        title=title.strip(),
        role=role,
    )


def _place_picture(
    image: lxml.html.HtmlElement,
    result: HouseBody,
    picture_id: Callable[[BodyPicture], int | None] | None,
    caption: tuple[str, bool],
) -> None:
    """Replace `image` with a placeholder of its library picture, or drop it."""
    picture = BodyPicture(
        src=(image.get("src") or "").strip(),
        alt=(image.get("alt") or "").strip(),
        line=image.sourceline,
        caption=caption[0],
        is_ai=caption[1],
    )
    found = picture_id(picture) if picture_id and picture.src else None
    if found is None:
        result.missing.append(picture)
        drop_element(image)
        return
    result.pictures.append(picture)
    figure = lxml.html.Element(
        "figure", {"data-image": str(found), "data-size": "full"}
    )
    if picture.alt:
        figure.set("data-alt", picture.alt)
    if picture.caption:
        figcaption = lxml.html.Element("figcaption")
        figcaption.text = picture.caption
        figure.append(figcaption)
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
    drop_element(image)


def _restyle(element: lxml.html.HtmlElement) -> None:
    """Say what `element` means in house tags, without its look."""
    tag = element.tag
    if tag in DROPPED:
        drop_element(element)
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


def drop_element(element: lxml.html.HtmlElement) -> None:
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
