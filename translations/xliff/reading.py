"""Read an XLIFF file's XML safely, each element with the line it starts on.

The file is parsed by expat through defusedxml with any document type
refused: no DTD, no entity (the "billion laughs"), nothing fetched from
outside. Elements nest at most MAX_DEPTH deep, so a hostile file costs what
its size costs.
"""

from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext

# An export nests eight deep; inline codes in a translation a few more.
MAX_DEPTH = 64
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class ReadError(Exception):
    """The file is not XML the import reads; the message says why and where."""


@dataclass
class Node:
    """An element: its name ("{namespace}local"), attributes, line and content."""

    tag: str
    attrib: dict[str, str]
    line: int
    # Child elements and text, in order.
    children: list["Node | str"] = field(default_factory=list)

    @property
    def namespace(self) -> str:
        return self.tag[1:].split("}", 1)[0] if self.tag.startswith("{") else ""

    @property
    def name(self) -> str:
        return self.tag.rsplit("}", 1)[-1]

    def elements(self) -> list["Node"]:
        return [child for child in self.children if isinstance(child, Node)]

    def text(self) -> str:
        """Return the text directly inside the element."""
        return "".join(child for child in self.children if isinstance(child, str))


class _Builder:
    """The parser's target: builds Nodes, noting the line each one starts on."""

    def __init__(self) -> None:
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.line = lambda: 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise ReadError(
                gettext(
                    "The XML nests more than %(depth)s elements deep at line "
                    "%(line)s: an XLIFF file needs far fewer."
                )
                % {"depth": MAX_DEPTH, "line": self.line()}
            )
        node = Node(tag, dict(attrib), self.line())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if not self.stack:
            return
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += text
        else:
            children.append(text)

    def close(self) -> Node | None:
        return self.root


def looks_like_xml(data: bytes) -> bool:
    """Whether `data` starts as an XML document does: "<" after a BOM and blanks."""
    for bom in BOMS:
        if data.startswith(bom):
            if bom != BOMS[0]:
                # UTF-16: the first character after the mark.
                return data[2:4].replace(b"\x00", b"").lstrip()[:1] == b"<"
            data = data[len(bom) :]
    return data.lstrip()[:1] == b"<"


def read_xml(data: bytes) -> Node:
    """Return the root element of `data`, or raise ReadError saying what is wrong."""
    if not looks_like_xml(data):
        raise ReadError(gettext("This is not an XLIFF file: it is not XML."))
    builder = _Builder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat = parser.parser
    builder.line = lambda: expat.CurrentLineNumber
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise ReadError(
            gettext(
                "The file declares a document type or entities (line %(line)s): an "
                "XLIFF file has none, and they are refused."
            )
            % {"line": expat.CurrentLineNumber}
        ) from None
    except ParseError as error:
        line, column = error.position
        raise ReadError(
            gettext(
                "This is not well-formed XML: the error is at line %(line)s, "
                "column %(column)s."
            )
            % {"line": line, "column": column + 1}
        ) from None
    if root is None:
        raise ReadError(gettext("This is not an XLIFF file: it is not XML."))
    return root
