"""A unit's text as XLIFF sees it: segments and ignorables of text and inline codes.

The export cuts a unit's text as the workspace does (translations/segments.py):
each block of a body is a segment, its inline markup numbered placeholders.
Here a placeholder becomes an inline code (`<pc>` for a pair of tags, `<ph>`
for an empty element) whose original HTML sits in the unit's
`<originalData>`, and the markup between segments (the body's skeleton) an
`<ignorable>` holding it as one `<ph>`. Joined in order, with each code's
HTML in its place, the pieces give back the unit's text: the import rebuilds
the source and the translation that way, from the file alone.
"""

import html
from dataclasses import dataclass, field

from core.richtext import sanitize_html
from translations.po.checks import TAG
from translations.segments import MARK, PLACEHOLDER, Cut, Segment, cut
from translations.units import Unit, fingerprint

START, END, EMPTY = "start", "end", "empty"


@dataclass(frozen=True)
class Mark:
    """Where an inline code stands in a text: its start, its end, or all of it."""

    kind: str  # START, END or EMPTY
    code: str  # the code's id in its unit


Token = str | Mark


@dataclass
class Code:
    """The original HTML of an inline code."""

    start: str  # the opening tag, or the whole of an empty element
    end: str | None = None  # the closing tag of a pair; None for an empty element


@dataclass
class Piece:
    """A segment to translate, or an ignorable: markup or blanks between segments."""

    is_segment: bool
    source: list[Token]
    target: list[Token] | None = None
    id: str = ""
    state: str = ""
    line: int = 0
    # Of a segment the export cut: its number in the cut and its text there.
    index: int = -1
    text: str = ""


@dataclass
class Content:
    """A unit's pieces in order, and the original HTML of their codes by id."""

    pieces: list[Piece] = field(default_factory=list)
    codes: dict[str, Code] = field(default_factory=dict)

    def segments(self) -> list[Piece]:
        return [piece for piece in self.pieces if piece.is_segment]

    def new_code(self, start: str, end: str | None = None) -> str:
        number = str(len(self.codes) + 1)
        self.codes[number] = Code(start, end)
        return number

    def add_ignorable(self, tokens: list[Token]) -> None:
        if not tokens:
            return
        if self.pieces and not self.pieces[-1].is_segment:
            self.pieces[-1].source.extend(tokens)
        else:
            self.pieces.append(Piece(is_segment=False, source=list(tokens)))


def text_of(tokens: list[Token], codes: dict[str, Code], *, is_html: bool) -> str:
    """Return `tokens` as text: text escaped for HTML, codes as their HTML."""
    out = []
    for token in tokens:
        if isinstance(token, str):
            # Quotes too: a segment may be an attribute's value (a picture's alt).
            out.append(html.escape(token, quote=True) if is_html else token)
            continue
        code = codes[token.code]
        out.append((code.end or "") if token.kind == END else code.start)
    return "".join(out)


def joined(
    content: Content, *, is_html: bool, target: bool, stored: bool = True
) -> str:
    """Return the unit's source, or its translation, from the pieces.

    The translation takes each segment's target and each ignorable's source.
    A body is returned as the model stores it (the sanitiser's form: the
    escaping of text may differ from the stored text's, never its meaning),
    unless `stored` is false: the import's checks read a translation as the
    translator wrote it.
    """
    tokens: list[Token] = []
    for piece in content.pieces:
        if target and piece.is_segment:
            tokens.extend(piece.target or [])
        else:
            tokens.extend(piece.source)
    text = text_of(tokens, content.codes, is_html=is_html)
    return sanitize_html(text) if is_html and stored else text


def has_words(tokens: list[Token]) -> bool:
    return any(isinstance(token, str) and token.strip() for token in tokens)


def content_of(unit: Unit, source: str, translation: str = "") -> Content:
    """Return `source` as XLIFF pieces, with `translation` as their targets.

    The translation is given only if it has the source's structure (as the
    workspace pairs them: the same segments, the same tags in each); else no
    segment has a target. A text the segment reader cannot give back as it
    is (braces in a body that read as its placeholders) is one segment, each
    of its tags a code.
    """
    pieces = cut(unit, source)
    found = _cut_content(unit, pieces)
    if found is None or fingerprint(
        joined(found[0], is_html=unit.is_html, target=False)
    ) != (fingerprint(source)):
        fallback = _tag_content(source) if unit.is_html else _plain_content(source)
        return name_pieces(fallback)
    content, slots = found
    if translation.strip():
        _add_targets(unit, content, pieces.segments, slots, translation)
    return name_pieces(content)


def name_pieces(content: Content) -> Content:
    """Give the pieces their ids: s1, s2… for segments, i1, i2… for ignorables."""
    counts = {True: 0, False: 0}
    for piece in content.pieces:
        counts[piece.is_segment] += 1
        piece.id = f"{'s' if piece.is_segment else 'i'}{counts[piece.is_segment]}"
    return content


# One per segment of the cut: its piece (None for a blank line, left in an
# ignorable) and its placeholders' numbers with the ids of their codes.
Slots = list[tuple[Piece | None, dict[int, str]]]


def _cut_content(unit: Unit, pieces: Cut) -> tuple[Content, Slots] | None:
    content = Content()
    slots: Slots = []
    for index, part in enumerate(pieces.skeleton.split(MARK)):
        if index % 2 == 0:
            if part.strip() and unit.is_html:
                content.add_ignorable([Mark(EMPTY, content.new_code(part))])
            else:
                content.add_ignorable([part] if part else [])
            continue
        segment = pieces.segments[int(part)]
        numbers: dict[int, str] = {}
        tokens = _tokens(
            segment,
            numbers,
            lambda _key, tags: content.new_code(tags[0], tags[1] or None),
        )
        if tokens is None:
            return None
        if has_words(tokens):
            piece = Piece(
                is_segment=True, source=tokens, index=int(part), text=segment.text
            )
            content.pieces.append(piece)
            slots.append((piece, numbers))
        else:
            # A blank line of the key points: nothing to translate.
            content.add_ignorable(tokens)
            slots.append((None, numbers))
    return content, slots


def _tokens(segment: Segment, numbers: dict[int, str], code_for) -> list[Token] | None:
    """Return a segment's text as tokens, each placeholder as a code.

    `code_for(number, tags)` gives the id of the code of a placeholder met
    for the first time; `numbers` maps the placeholders' numbers to the ids.
    None when the placeholders do not nest (text that reads as one).
    """
    tokens: list[Token] = []
    position = 0
    open_codes: list[int] = []
    for match in PLACEHOLDER.finditer(segment.text):
        closing, number, empty = match.groups()
        key = int(number)
        tags = segment.tags.get(key)
        if tags is None:
            continue
        if match.start() > position:
            tokens.append(segment.text[position : match.start()])
        position = match.end()
        if empty:
            if key in numbers:
                return None
            numbers[key] = code_for(key, tags)
            tokens.append(Mark(EMPTY, numbers[key]))
        elif not closing:
            if key in numbers:
                return None
            numbers[key] = code_for(key, tags)
            open_codes.append(key)
            tokens.append(Mark(START, numbers[key]))
        else:
            if not open_codes or open_codes.pop() != key:
                return None
            tokens.append(Mark(END, numbers[key]))
    if open_codes:
        return None
    if position < len(segment.text):
        tokens.append(segment.text[position:])
    return tokens


def _add_targets(
    unit: Unit,
    content: Content,
    segments: list[Segment],
    slots: Slots,
    translation: str,
) -> None:
    """Give each segment its target from `translation`, if the structures match.

    A translation's placeholder stands for the source's code of the same
    number only if its tags are the source's; else the structure differs.
    """
    other = cut(unit, translation).segments
    if [s.kind for s in segments] != [s.kind for s in other]:
        return
    for segment, translated, (piece, numbers) in zip(
        segments, other, slots, strict=True
    ):
        if piece is None:
            continue

        def code_for(key, tags, segment=segment, numbers=numbers):
            # Tags are numbered in the order they come: the same tags in the
            # same order have the same numbers.
            if segment.tags.get(key) == tags and key in numbers:
                return numbers[key]
            raise LookupError

        try:
            tokens = _tokens(translated, {}, code_for)
        except LookupError:
            tokens = None
        if tokens is None:
            _clear_targets(content)
            return
        piece.target = tokens
    if fingerprint(joined(content, is_html=unit.is_html, target=True)) != fingerprint(
        translation
    ):
        _clear_targets(content)


def _clear_targets(content: Content) -> None:
    for piece in content.pieces:
        piece.target = None


def _tag_content(source: str) -> Content:
    """Return a body as one segment, each of its tags an empty code."""
    content = Content()
    tokens: list[Token] = []
    position = 0
    for match in TAG.finditer(source):
        if match.start() > position:
            tokens.append(html.unescape(source[position : match.start()]))
        tokens.append(Mark(EMPTY, content.new_code(match.group(0))))
        position = match.end()
    if position < len(source):
        tokens.append(html.unescape(source[position:]))
    content.pieces.append(Piece(is_segment=True, source=tokens))
    return content


def _plain_content(source: str) -> Content:
    return Content(pieces=[Piece(is_segment=True, source=[source])])
