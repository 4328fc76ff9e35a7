"""A story's texts cut into segments a translator translates one by one.

A plain text is one segment (key points: one per line). A body is cut at its
blocks (paragraphs, headings, list items, quotes, a figure's caption and
credit, a picture's alt text); what lies around them (the tags of lists,
figures, galleries, embeds, rules) is the body's skeleton, which the
translation keeps as the source has it. Inline markup inside a segment
(bold, links, highlights, line breaks, ruby) becomes numbered placeholders,
`{1}text{/1}` for a pair and `{2/}` for an empty element, which the translator
keeps and moves; the source's tags are put back for them.

The bodies are sanitised HTML (core/richtext.py): well formed, every "<" and
">" of text escaped, so html.parser reads them exactly and in linear time.
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from translations.units import Unit

# Elements whose text is a segment of its own.
BLOCKS = {"p", "h2", "h3", "li", "figcaption", "small"}
# Elements kept whole as one placeholder: the translator moves, never edits them.
OPAQUE = {"ruby"}
VOID = {"br", "hr"}
PLACEHOLDER = re.compile(r"\{(/?)(\d+)(/?)\}")
MARK = "\x00"


@dataclass
class Segment:
    """One translatable piece: its text with placeholders, and what they stand for."""

    key: str  # "headline", "body:3", "key_points:1"
    text: str  # plain text with {n}…{/n} and {n/} placeholders
    kind: str  # "p", "h2", "li", "figcaption", "alt", "line", "text"…
    tags: dict[int, tuple[str, str]] = field(default_factory=dict)  # n: (open, close)


@dataclass
class Cut:
    """A unit's text cut into segments, with the skeleton that joins them again."""

    segments: list[Segment]
    skeleton: str  # the text with MARK<i>MARK where segment i goes

    def join(self, texts: list[str]) -> str:
        """Return the unit's text with `texts` in place of the segments, in order.

        Placeholders in `texts` become the tags they stand for in the source.
        """
        parts = self.skeleton.split(MARK)
        out = []
        for index, part in enumerate(parts):
            if index % 2 == 0:
                out.append(part)
                continue
            number = int(part)
            segment = self.segments[number]
            text = texts[number]
            if segment.kind == "alt":
                out.append(html.escape(text.strip(), quote=True))
            elif segment.kind in {"text", "line"}:
                out.append(text)
            else:
                out.append(_rebuild(text, segment))
        return "".join(out)


def _rebuild(text: str, segment: Segment) -> str:
    """Return `text` as HTML: escaped, its placeholders turned back into tags."""
    out = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        closing, number, empty = match.groups()
        tags = segment.tags.get(int(number))
        if tags is None:
            out.append(html.escape(match.group(0), quote=False))
        elif empty:
            out.append(tags[0])
        else:
            out.append(tags[1] if closing else tags[0])
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


class _Cutter(HTMLParser):
    def __init__(self, key: str) -> None:
        super().__init__(convert_charrefs=True)
        self.key = key
        self.skeleton: list[str] = []
        self.segments: list[Segment] = []
        # The segment being read: its kind, text, placeholders, open inline tags.
        self.current: Segment | None = None
        self.inline: list[tuple[str, int]] = []
        self.opaque: list[str] | None = None
        self.opaque_depth = 0

    # --- writing -------------------------------------------------------------

    def _emit(self, text: str) -> None:
        if self.opaque is not None:
            self.opaque.append(text)
        elif self.current is not None:
            self.current.text += text
        else:
            self.skeleton.append(text)

    def _start_segment(self, kind: str) -> None:
        self.current = Segment(key="", text="", kind=kind)

    def _end_segment(self) -> None:
        segment = self.current
        assert segment is not None  # noqa: S101 - called inside a segment only
        self.current = None
        self.inline = []
        if not PLACEHOLDER.sub("", segment.text).strip():
            # Nothing to translate: the block stays in the skeleton as it was.
            self.skeleton.append(_rebuild(segment.text, segment))
            return
        segment.key = f"{self.key}:{len(self.segments)}"
        self.skeleton.append(f"{MARK}{len(self.segments)}{MARK}")
        self.segments.append(segment)

    def _placeholder(self, open_tag: str, close_tag: str, empty: bool) -> int:
        segment = self.current
        assert segment is not None  # noqa: S101
        number = len(segment.tags) + 1
        segment.tags[number] = (open_tag, close_tag)
        segment.text += f"{{{number}/}}" if empty else f"{{{number}}}"
        return number

    # --- parsing -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if self.opaque is not None:
            self.opaque.append(raw)
            if tag not in VOID:
                self.opaque_depth += 1
            return
        if self.current is not None:
            if tag in OPAQUE:
                self.opaque, self.opaque_depth = [raw], 1
            elif tag in VOID:
                self._placeholder(raw, "", empty=True)
            elif tag in BLOCKS and self.current.kind != tag:
                # A block inside a block (a credit inside a caption): the outer
                # one ends here, the inner one is a segment of its own.
                self._end_segment()
                self.skeleton.append(raw)
                self._start_segment(tag)
            else:
                number = self._placeholder(raw, f"</{tag}>", empty=False)
                self.inline.append((tag, number))
            return
        if tag == "figure":
            alt = dict(attrs).get("data-alt")
            if alt:
                self._attribute_segment(raw, alt)
                return
        self.skeleton.append(raw)
        if tag in BLOCKS:
            self._start_segment(tag)

    def _attribute_segment(self, raw: str, alt: str) -> None:
        """Put a figure's alt text in a segment of its own, inside its tag."""
        quoted = html.escape(alt, quote=True)
        start = raw.find(f'data-alt="{quoted}"')
        if start < 0:
            self.skeleton.append(raw)
            return
        start += len('data-alt="')
        self.skeleton.append(raw[:start])
        segment = Segment(key=f"{self.key}:{len(self.segments)}", text=alt, kind="alt")
        self.skeleton.append(f"{MARK}{len(self.segments)}{MARK}")
        self.segments.append(segment)
        self.skeleton.append(raw[start + len(quoted) :])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.opaque is not None:
            self.opaque.append(f"</{tag}>")
            self.opaque_depth -= 1
            if self.opaque_depth == 0:
                whole, self.opaque = "".join(self.opaque), None
                self._placeholder(whole, "", empty=True)
            return
        if self.current is not None:
            if self.inline and self.inline[-1][0] == tag:
                _tag, number = self.inline.pop()
                self.current.text += f"{{/{number}}}"
                return
            self._end_segment()
            self.skeleton.append(f"</{tag}>")
            return
        self.skeleton.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.opaque is not None:
            self.opaque.append(html.escape(data, quote=False))
        elif self.current is not None:
            self.current.text += data
        else:
            self.skeleton.append(html.escape(data, quote=False))


def cut(unit: Unit, text: str) -> Cut:
    """Cut `unit`'s `text` into segments."""
    if unit.is_html:
        cutter = _Cutter(unit.key)
        cutter.feed(text or "")
        cutter.close()
        if cutter.current is not None:
            cutter._end_segment()
        return Cut(cutter.segments, "".join(cutter.skeleton))
    if unit.key == "key_points":
        lines = (text or "").split("\n")
        segments = [
            Segment(key=f"{unit.key}:{n}", text=line, kind="line")
            for n, line in enumerate(lines)
        ]
        return Cut(segments, "\n".join(f"{MARK}{n}{MARK}" for n in range(len(lines))))
    return Cut([Segment(key=unit.key, text=text or "", kind="text")], f"{MARK}0{MARK}")


def placeholder_problems(source: Segment, target: str) -> list[str]:
    """Return which placeholders of `source` `target` lacks, repeats or adds.

    As the placeholders themselves ("{1}", "{/1}", "{2/}"), for the message.
    """
    wanted = PLACEHOLDER.findall(source.text)
    found = PLACEHOLDER.findall(target)
    as_text = ["{" + a + n + b + "}" for a, n, b in found]
    problems = []
    for closing, number, empty in wanted:
        token = "{" + closing + number + empty + "}"
        if as_text.count(token) != 1:
            problems.append(token)
    extra = sorted(set(as_text) - {"{" + a + n + b + "}" for a, n, b in wanted})
    problems.extend(extra)
    if not problems:
        # Each pair opens before it closes.
        pairs = dict.fromkeys(number for closing, number, _empty in wanted if closing)
        for number in pairs:
            if target.index("{" + number + "}") > target.index("{/" + number + "}"):
                problems.append("{" + number + "}")
    return problems
