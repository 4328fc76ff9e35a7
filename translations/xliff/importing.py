"""The import: read a translated XLIFF file, check it, apply it all or nothing.

Each unit becomes an entry as a PO catalogue's (`article:<id>:<unit>`, its
source and its translation rebuilt as the story stores them, from the
file's text and the original HTML of its inline codes), and from there the
PO import's checks and apply decide: translations/po/importing.py.

What only XLIFF can get wrong is checked here first: the namespace and
version, the target language, ids, and each segment's inline codes against
its source's. A unit is imported when every segment has a target and none
is `initial`; annotations a tool adds (`<mrk>`, notes, other states,
`subState`, pretty printing) change nothing.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from translations.po.checks import CONTEXT_PREFIX
from translations.po.importing import (
    import_entries,
    target_language,
    translation_import,
)
from translations.po.limits import MAX_ENTRIES, MAX_FILE_BYTES, too_big_message
from translations.po.report import EntryResult, EntryStatus, ImportReport
from translations.units import UNITS_BY_KEY
from translations.xliff.export import INITIAL, METADATA_NAMESPACE, NAMESPACE
from translations.xliff.inline import (
    EMPTY,
    END,
    START,
    Code,
    Content,
    Mark,
    Piece,
    Token,
    has_words,
    joined,
)
from translations.xliff.reading import (
    XML_NAMESPACE,
    Node,
    ReadError,
    looks_like_xml,
    read_xml,
)

XLIFF_SUFFIXES = (".xlf", ".xliff")
FILE_ID = re.compile(r"article-(\d{1,18})")
WHITESPACE = re.compile(r"[ \t\r\n]+")
SPACE = f"{{{XML_NAMESPACE}}}space"
# How many bytes tell an XML file from a PO catalogue.
SNIFF_BYTES = 1024


def _x(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


@dataclass
class XliffEntry:
    """A unit read as the PO import's checks read an entry (po.importing.Entry)."""

    msgctxt: str | None  # "article:<id>:<unit>"
    msgid: str
    msgstr: str
    linenum: int
    msgid_plural: str = ""
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False


def translation_file_import(
    *, path: str | Path, user, dry_run: bool = False, file_name: str = ""
) -> ImportReport:
    """Import a translated PO or XLIFF file, whichever it is.

    By its name's suffix (.xlf, .xliff), else by its first bytes: XML is
    read as XLIFF, anything else as PO.
    """
    path = Path(path)
    if is_xliff(path, file_name):
        return xliff_import(path=path, user=user, dry_run=dry_run, file_name=file_name)
    return translation_import(
        path=path, user=user, dry_run=dry_run, file_name=file_name
    )


def is_xliff(path: Path, file_name: str = "") -> bool:
    if Path(file_name or path.name).suffix.lower() in XLIFF_SUFFIXES:
        return True
    try:
        with path.open("rb") as file:
            return looks_like_xml(file.read(SNIFF_BYTES))
    except OSError:
        return False


@transaction.atomic
def xliff_import(
    *, path: str | Path, user, dry_run: bool = False, file_name: str = ""
) -> ImportReport:
    """Check a translated XLIFF 2 file, then apply it in full, or not at all.

    `path` is a file on disk (an upload is first written to a temporary file).
    """
    path = Path(path)
    report = ImportReport(file_name=file_name or path.name, is_dry_run=dry_run)
    data = _read(path, report)
    if data is None:
        return report
    try:
        root = read_xml(data)
    except ReadError as error:
        report.errors.append(str(error))
        return report
    language = _check_root(root, user, report)
    if language is None:
        return report
    pairs = _Reader(report).entries(root)
    if report.errors:
        return report
    ready = [
        (entry, result)
        for entry, result in pairs
        if entry is not None and result.status == EntryStatus.READY
    ]
    if not pairs:
        report.errors.append(gettext("The file holds no entries."))
        return report
    if ready:
        # An error found here stops the apply as the checks' own errors do.
        failed = any(result.status == EntryStatus.ERROR for _entry, result in pairs)
        import_entries(
            entries=ready,
            language=language,
            user=user,
            report=report,
            dry_run=dry_run or failed,
        )
    report.entries = [result for _entry, result in pairs]
    return report


def _read(path: Path, report: ImportReport) -> bytes | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            report.errors.append(too_big_message())
            return None
        data = path.read_bytes()
    except OSError:
        report.errors.append(gettext("The file cannot be read."))
        return None
    if not data.strip():
        report.errors.append(gettext("The file is empty."))
        return None
    return data


def _check_root(root: Node, user, report: ImportReport) -> str | None:
    if root.name != "xliff":
        report.errors.append(
            gettext("This is not an XLIFF file: its root element is <%(element)s>.")
            % {"element": root.name}
        )
        return None
    version = root.attrib.get("version", "").strip()
    if root.namespace != NAMESPACE:
        report.errors.append(
            gettext(
                "This is not an XLIFF 2 file (version %(version)s, namespace "
                "%(namespace)s): the newsroom reads XLIFF 2.0 and 2.1, in the "
                "namespace %(expected)s."
            )
            % {
                "version": version or "?",
                "namespace": root.namespace or "-",
                "expected": NAMESPACE,
            }
        )
        return None
    if not version.startswith("2."):
        report.errors.append(
            gettext(
                "This is XLIFF version %(version)s: the newsroom reads XLIFF 2.0 "
                "and 2.1."
            )
            % {"version": version or "?"}
        )
        return None
    return target_language(
        root.attrib.get("trgLang", ""),
        user,
        report,
        missing=gettext("The file does not say its target language (trgLang)."),
    )


def _preserves(node: Node, inherited: bool) -> bool:
    space = node.attrib.get(SPACE)
    return inherited if space is None else space == "preserve"


class _Reader:
    """Read the units of a checked root into entries and their results."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.seen: dict[str, int] = {}

    def entries(self, root: Node) -> list[tuple[XliffEntry | None, EntryResult]]:
        preserve = _preserves(root, False)
        files = [node for node in root.elements() if node.tag == _x("file")]
        units = [
            (story, unit, keep)
            for file in self._stories(files)
            for story, unit, keep in self._units(
                file[1], file[0], _preserves(file[1], preserve)
            )
        ]
        if len(units) > MAX_ENTRIES:
            self.report.errors.append(
                gettext(
                    "%(file)s, line %(line)s: a file may hold at most %(limit)s "
                    "entries: export fewer stories at a time."
                )
                % {
                    "file": self.report.file_name,
                    "line": units[MAX_ENTRIES][1].line,
                    "limit": number_format(MAX_ENTRIES, force_grouping=True),
                }
            )
            return []
        return [self._entry(story, unit, keep) for story, unit, keep in units]

    def _stories(self, files: list[Node]) -> list[tuple[int, Node]]:
        stories, first = [], {}
        for file in files:
            name = file.attrib.get("id", "")
            match = FILE_ID.fullmatch(name)
            if match is None:
                self.report.errors.append(
                    gettext(
                        "Line %(line)s: the <file> “%(id)s” names no story of the "
                        "newsroom: its id should read article-<story>, as exported."
                    )
                    % {"line": file.line, "id": name}
                )
                continue
            if name in first:
                self.report.errors.append(
                    gettext(
                        "Line %(line)s: the <file> “%(id)s” is there twice (first "
                        "at line %(first)s)."
                    )
                    % {"line": file.line, "id": name, "first": first[name]}
                )
                continue
            first[name] = file.line
            self.report.export_id = self.report.export_id or _export_id(file)
            stories.append((int(match.group(1)), file))
        return stories

    def _units(self, node: Node, story: int, preserve: bool):
        for child in node.elements():
            if child.tag == _x("unit"):
                yield story, child, _preserves(child, preserve)
            elif child.tag == _x("group"):
                yield from self._units(child, story, _preserves(child, preserve))

    def _entry(
        self, story: int, node: Node, preserve: bool
    ) -> tuple[XliffEntry | None, EntryResult]:
        key = node.attrib.get("id", "")
        context = f"{CONTEXT_PREFIX}:{story}:{key}" if key else ""
        result = EntryResult(line=node.line, context=context)
        if not key:
            result.fail(gettext("This unit has no id: it should name the field."))
            return None, result
        if context in self.seen:
            result.fail(
                gettext("Duplicate entry: line %(line)s already holds %(context)s.")
                % {"line": self.seen[context], "context": context}
            )
            return None, result
        self.seen[context] = node.line
        result.unit_key = key
        # A story's own units are known by key; any other (a row of the
        # story's, or none) is plain text, for the checks to find or refuse.
        unit = UNITS_BY_KEY.get(key)
        is_html = unit is not None and unit.is_html
        content = _UnitReader(node, preserve).read(result)
        if content is None:
            return None, result
        segments = content.segments()
        done = [p for p in segments if p.target is not None and has_words(p.target)]
        if not done:
            result.skip(gettext("Not translated."))
            return None, result
        for piece in done:
            if piece.state != INITIAL:
                for message in code_problems(piece, content):
                    result.fail(message)
        if result.status == EntryStatus.ERROR:
            return None, result
        missing = [p.id or "?" for p in segments if not any(p is d for d in done)]
        if missing:
            result.skip(
                ngettext(
                    "Not imported: segment %(segments)s has no translation.",
                    "Not imported: segments %(segments)s have no translation.",
                    len(missing),
                )
                % {"segments": ", ".join(missing)}
            )
            return None, result
        initial = [p.id or "?" for p in segments if p.state == INITIAL]
        if initial:
            result.skip(
                ngettext(
                    "Not imported: segment %(segments)s is in the state “initial”; "
                    "mark it translated once it is.",
                    "Not imported: segments %(segments)s are in the state "
                    "“initial”; mark them translated once they are.",
                    len(initial),
                )
                % {"segments": ", ".join(initial)}
            )
            return None, result
        entry = XliffEntry(
            msgctxt=context,
            msgid=joined(content, is_html=is_html, target=False),
            msgstr=joined(content, is_html=is_html, target=True, stored=False),
            linenum=node.line,
        )
        return entry, result


def _export_id(file: Node) -> str:
    for node in _descendants(file, f"{{{METADATA_NAMESPACE}}}meta"):
        if node.attrib.get("type") == "export-id":
            return node.text().strip()[:64]
    return ""


def _descendants(node: Node, tag: str):
    for child in node.elements():
        if child.tag == tag:
            yield child
        elif child.tag.startswith(f"{{{METADATA_NAMESPACE}}}"):
            yield from _descendants(child, tag)


class _UnitReader:
    """Read one unit's pieces and the original HTML of its codes."""

    def __init__(self, node: Node, preserve: bool) -> None:
        self.node = node
        self.preserve = preserve
        self.data: dict[str, str] = {}
        self.content = Content()
        self.problems: list[str] = []

    def read(self, result: EntryResult) -> Content | None:
        for child in self.node.elements():
            if child.tag == _x("originalData"):
                self._original_data(child)
        for child in self.node.elements():
            if child.tag in (_x("segment"), _x("ignorable")):
                self._piece(child)
        if not self.content.segments() and not self.problems:
            self.problems.append(gettext("The unit has no segment."))
        for problem in self.problems:
            result.fail(problem)
        return None if self.problems else self.content

    def _problem(self, message: str, **values) -> None:
        self.problems.append(message % values)

    def _original_data(self, node: Node) -> None:
        for data in node.elements():
            if data.tag != _x("data"):
                continue
            name = data.attrib.get("id", "")
            if name in self.data:
                self._problem(
                    gettext(
                        "Line %(line)s: the original data “%(id)s” is there twice."
                    ),
                    line=data.line,
                    id=name,
                )
                continue
            text = []
            for child in data.children:
                if isinstance(child, str):
                    text.append(child)
                elif child.tag == _x("cp"):
                    text.append(self._code_point(child))
            self.data[name] = "".join(text)

    def _piece(self, node: Node) -> None:
        is_segment = node.tag == _x("segment")
        piece = Piece(
            is_segment=is_segment,
            source=[],
            id=node.attrib.get("id", ""),
            # The state a segment has when it names none.
            state=node.attrib.get("state", INITIAL),
            line=node.line,
        )
        source = next((n for n in node.elements() if n.tag == _x("source")), None)
        target = next((n for n in node.elements() if n.tag == _x("target")), None)
        if source is None:
            self._problem(
                gettext("Line %(line)s: segment %(segment)s has no source."),
                line=node.line,
                segment=piece.id or "?",
            )
            return
        piece.source = self._text(source, define=True)
        if is_segment and target is not None:
            piece.target = self._text(target, define=False)
        self.content.pieces.append(piece)

    def _text(self, node: Node, *, define: bool) -> list[Token]:
        tokens: list[Token] = []
        self._inline(node, tokens, define)
        if not _preserves(node, self.preserve):
            tokens = _collapse(tokens)
        return tokens

    def _inline(self, node: Node, tokens: list[Token], define: bool) -> None:
        for child in node.children:
            if isinstance(child, str):
                tokens.append(child)
                continue
            name = child.name if child.namespace == NAMESPACE else ""
            code = child.attrib.get("id", "")
            if name == "pc":
                if define:
                    self._define(
                        child,
                        code,
                        child.attrib.get("dataRefStart"),
                        child.attrib.get("dataRefEnd"),
                    )
                tokens.append(Mark(START, code))
                self._inline(child, tokens, define)
                tokens.append(Mark(END, code))
            elif name == "ph":
                if define:
                    self._define(child, code, child.attrib.get("dataRef"), None)
                tokens.append(Mark(EMPTY, code))
            elif name == "sc":
                if define:
                    self._define(child, code, child.attrib.get("dataRef"), "")
                tokens.append(Mark(START, code))
            elif name == "ec":
                code = child.attrib.get("startRef") or code
                if define and code in self.content.codes:
                    self.content.codes[code].end = self._data(
                        child, child.attrib.get("dataRef")
                    )
                tokens.append(Mark(END, code))
            elif name == "mrk":
                # An annotation (a term, a comment): its text is the text.
                self._inline(child, tokens, define)
            elif name == "cp":
                tokens.append(self._code_point(child))
            elif name not in ("sm", "em"):
                self._problem(
                    gettext(
                        "Line %(line)s: <%(element)s> has no place in a text to "
                        "translate."
                    ),
                    line=child.line,
                    element=child.name,
                )

    def _define(self, node: Node, code: str, start, end) -> None:
        if not code or code in self.content.codes:
            self._problem(
                gettext(
                    "Line %(line)s: each inline code of a unit's source needs an "
                    "id of its own (“%(id)s”)."
                ),
                line=node.line,
                id=code,
            )
            return
        self.content.codes[code] = Code(
            self._data(node, start),
            None if end is None else self._data(node, end) if end else "",
        )

    def _data(self, node: Node, name: str | None) -> str:
        if name is None or name not in self.data:
            self._problem(
                gettext(
                    "Line %(line)s: inline code %(id)s refers to original data "
                    "the unit does not hold."
                ),
                line=node.line,
                id=node.attrib.get("id", "?"),
            )
            return ""
        return self.data[name]

    def _code_point(self, node: Node) -> str:
        try:
            return chr(int(node.attrib.get("hex", ""), 16))
        except (ValueError, OverflowError):
            self._problem(
                gettext("Line %(line)s: <cp> names no character."), line=node.line
            )
            return ""


def _collapse(tokens: list[Token]) -> list[Token]:
    """Return a text whose blanks may be reflowed (xml:space="default") as one line."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, str):
            token = WHITESPACE.sub(" ", token)
            if out and isinstance(out[-1], str):
                out[-1] += token
                continue
        out.append(token)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return [token for token in out if token != ""]


def _label(content: Content, code: str) -> str:
    """Return a code as the messages name it: its id and its HTML."""
    found = content.codes.get(code)
    if found is None:
        return code
    raw = found.start if found.end is None else f"{found.start}…{found.end}"
    if len(raw) > 60:
        raw = raw[:59] + "…"
    return f"{code} {raw}"


def _codes(content: Content, codes: list[str]) -> str:
    return ", ".join(_label(content, code) for code in dict.fromkeys(codes))


def code_problems(piece: Piece, content: Content) -> list[str]:
    """Return what the inline codes of a segment's target lack, add or reorder."""
    source = [(t.kind, t.code) for t in piece.source if isinstance(t, Mark)]
    target = [(t.kind, t.code) for t in piece.target or [] if isinstance(t, Mark)]
    where = {"segment": piece.id or "?", "line": piece.line}
    problems = []
    missing = list(dict.fromkeys(mark[1] for mark in source if mark not in target))
    if missing:
        problems.append(
            ngettext(
                "Segment %(segment)s (line %(line)s): the target lacks the source's "
                "inline code %(codes)s.",
                "Segment %(segment)s (line %(line)s): the target lacks the source's "
                "inline codes %(codes)s.",
                len(missing),
            )
            % {**where, "codes": _codes(content, missing)}
        )
    added = list(dict.fromkeys(mark[1] for mark in target if mark not in source))
    if added:
        problems.append(
            ngettext(
                "Segment %(segment)s (line %(line)s): inline code %(codes)s is not "
                "in the segment's source.",
                "Segment %(segment)s (line %(line)s): inline codes %(codes)s are not "
                "in the segment's source.",
                len(added),
            )
            % {**where, "codes": _codes(content, added)}
        )
    repeated = list(
        dict.fromkeys(
            mark[1]
            for mark in target
            if mark in source and target.count(mark) > source.count(mark)
        )
    )
    if repeated:
        problems.append(
            ngettext(
                "Segment %(segment)s (line %(line)s): the target repeats inline "
                "code %(codes)s.",
                "Segment %(segment)s (line %(line)s): the target repeats inline "
                "codes %(codes)s.",
                len(repeated),
            )
            % {**where, "codes": _codes(content, repeated)}
        )
    if problems:
        return problems
    # Codes of the same HTML may swap places; others keep the source's order.
    for expected, found in zip(source, target, strict=True):
        if _html(content, expected) != _html(content, found):
            return [
                gettext(
                    "Segment %(segment)s (line %(line)s): keep the inline codes in "
                    "the source's order: where the source has code %(source)s, the "
                    "target has code %(found)s."
                )
                % {
                    **where,
                    "source": _label(content, expected[1]),
                    "found": _label(content, found[1]),
                }
            ]
    return []


def _html(content: Content, mark: tuple[str, str]) -> str:
    kind, code = mark
    found = content.codes[code]
    return (found.end or "") if kind == END else found.start
