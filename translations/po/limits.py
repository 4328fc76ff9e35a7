"""The limits of a file to import, and the line-by-line check of its syntax and size.

The check runs before polib parses the file, once: a hostile file is refused
for what its first lines cost.
"""

import io
import re
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext

# Limits of a file to import, checked line by line before polib parses it.
# polib joins the lines of a text, and the comment lines of an entry, one at a
# time, so its work grows with their number times their length: one msgid of
# a million lines held a worker for half a minute. Within these limits the
# worst file parses in about a second (bench/po_import.py). An export stays
# within them and its header states them.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LINES = 200_000
# The stories of a file are checked and applied together: some 1 ms a story
# to check and 4 to 7 to apply, so a full file applies in a few seconds
# (bench/po_import.py). A story has a unit per field and one per link and
# correction: twenty a story leaves room for those.
MAX_STORIES = 500
MAX_ENTRIES = MAX_STORIES * 20
# One text (msgctxt, msgid, msgstr), or the comments of one entry. The body is
# the longest text and the model sets it no limit: a long read is some 100 000
# characters of HTML, which polib wraps on some 1 500 lines.
MAX_STRING_CHARS = 200_000
MAX_STRING_LINES = 4_000
# The header entry (msgid "") holds a dozen short lines of metadata.
MAX_HEADER_CHARS = 10_000
# A line of a PO file outside comments, stripped: a keyword and a string, or
# a string that continues the last one. Possessive, so that a line without its
# closing quote fails in one pass.
PO_LINE = re.compile(
    r"(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?"
    r'"((?:[^"\\]++|\\.)*+)"'
)
# A "#|" line: the source a fuzzy translation was made from, or its continuation.
PREVIOUS_LINE = re.compile(
    r'#\|\s*(?:(msgctxt|msgid_plural|msgid)\s+)?"(?:[^"\\]++|\\.)*+"'
)


class RefusedFile(Exception):
    """A file refused before it is parsed; the message names the file and line."""


@dataclass(slots=True)
class _Run:
    """One text, or one entry's comments, so far: its first line and its size."""

    start: int
    lines: int = 0
    chars: int = 0


def _unescaped_length(content: str) -> int:
    """Return the length of a PO string's content once unescaped ("\\n" is 1)."""
    # Each escape is a backslash and one character; of a run of backslashes,
    # each pair is one escaped backslash.
    return len(content) - content.count("\\") + content.count("\\\\")


def catalogue_lines(text: str, *, file_name: str) -> list[str]:
    """Return the lines of a PO file once its syntax and size are checked.

    Reads the lines as polib will and stops at the first that is not PO
    syntax (RefusedFile: a syntax error) or crosses a limit (RefusedFile
    naming it): a hostile file costs what its first lines cost. Stricter than
    polib where msgfmt is: comments only between entries, and every msgid
    with its msgstr.
    """
    scanner = _Scanner(file_name)
    lines = []
    # Lines end at "\n", "\r\n" or "\r", as in a file opened as text (and
    # not at the other breaks str.splitlines knows).
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        if number > MAX_LINES:
            raise scanner.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: a file may have at most %(limit)s lines."
                ),
                MAX_LINES,
            )
        lines.append(line)
        scanner.read(number, line.removeprefix("\ufeff") if number == 1 else line)
    scanner.finish(len(lines))
    return lines


class _Scanner:
    """Check a PO file line by line: its syntax, and what polib would gather."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        # What may come next: "entry" (comments, msgctxt or msgid of an entry),
        # "msgid" (after msgctxt), "msgstr" (after msgid), "plural" (after
        # msgid_plural), "more" (after msgstr: its continuation, or the next
        # entry), "forms" (after msgstr[n]: the same, or msgstr[n+1]).
        self.expect = "entry"
        self.entry_start: int | None = None
        self.entries = 0
        self.has_context = False
        self.is_first = True
        self.is_header = False
        self.comments: _Run | None = None
        self.string: _Run | None = None
        self.string_limit = MAX_STRING_CHARS
        self.previous_open = False

    def refused(self, line: int, message: str, limit: int, **values) -> RefusedFile:
        return RefusedFile(
            message
            % {
                "file": self.file_name,
                "line": line,
                "limit": number_format(limit, force_grouping=True),
                **values,
            }
        )

    def syntax_error(self, line: int) -> RefusedFile:
        return RefusedFile(
            gettext("This is not a valid PO file: syntax error at line %(line)s.")
            % {"line": line}
        )

    def read(self, number: int, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.startswith("#~"):
            rest = text[2:]
            if not rest.startswith("|"):
                # An obsolete entry: the same lines, behind "#~ ".
                text = rest.strip()
                if not text or not rest[0].isspace():
                    raise self.syntax_error(number)
        if text.startswith("#"):
            self.comment(number, text)
            return
        match = PO_LINE.fullmatch(text)
        if match is None:
            raise self.syntax_error(number)
        keyword, content = match.groups()
        self.previous_open = False
        if keyword is None:
            if self.string is None or self.expect == "entry":
                raise self.syntax_error(number)
            self.string.lines += 1
        else:
            self.keyword(number, keyword, content)
            self.string = _Run(number, lines=1)
        self.string.chars += _unescaped_length(content)
        if self.string.lines > MAX_STRING_LINES:
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the text starting at line %(start)s "
                    "runs over more than %(limit)s lines."
                ),
                MAX_STRING_LINES,
                start=self.string.start,
            )
        if self.string.chars > self.string_limit:
            if self.string_limit == MAX_HEADER_CHARS:
                raise self.refused(
                    number,
                    gettext(
                        "%(file)s, line %(line)s: the header is longer than "
                        "%(limit)s characters."
                    ),
                    MAX_HEADER_CHARS,
                )
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the text starting at line %(start)s "
                    "is longer than %(limit)s characters."
                ),
                MAX_STRING_CHARS,
                start=self.string.start,
            )

    def comment(self, number: int, text: str) -> None:
        if self.expect not in ("entry", "more", "forms"):
            raise self.syntax_error(number)
        self.begin_entry(number)
        if self.comments is None:
            self.comments = _Run(number)
        self.comments.lines += 1
        self.comments.chars += len(text)
        if self.comments.lines > MAX_STRING_LINES:
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the comments starting at line "
                    "%(start)s run over more than %(limit)s lines."
                ),
                MAX_STRING_LINES,
                start=self.comments.start,
            )
        if self.comments.chars > MAX_STRING_CHARS:
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the comments starting at line "
                    "%(start)s are longer than %(limit)s characters."
                ),
                MAX_STRING_CHARS,
                start=self.comments.start,
            )
        if text.startswith("#|"):
            match = PREVIOUS_LINE.fullmatch(text)
            if match is None or (match.group(1) is None and not self.previous_open):
                raise self.syntax_error(number)
            self.previous_open = True
        else:
            self.previous_open = False

    def keyword(self, number: int, keyword: str, content: str) -> None:
        allowed = {
            "msgctxt": ("entry", "more", "forms"),
            "msgid": ("entry", "more", "forms", "msgid"),
            "msgid_plural": ("msgstr",),
            "msgstr": ("msgstr",),
        }.get(keyword, ("msgstr", "plural", "forms"))
        if self.expect not in allowed:
            raise self.syntax_error(number)
        self.string_limit = MAX_STRING_CHARS
        if keyword == "msgctxt":
            self.begin_entry(number)
            self.has_context = True
            self.expect = "msgid"
        elif keyword == "msgid":
            self.begin_entry(number)
            # The header is the first entry, without context or msgid.
            self.is_header = self.is_first and not self.has_context and not content
            self.is_first = False
            if not self.is_header:
                self.entries += 1
            if self.entries > MAX_ENTRIES:
                raise self.refused(
                    self.entry_start,
                    gettext(
                        "%(file)s, line %(line)s: a file may hold at most "
                        "%(limit)s entries: export fewer stories at a time."
                    ),
                    MAX_ENTRIES,
                )
            self.expect = "msgstr"
        elif keyword == "msgid_plural":
            self.expect = "plural"
        elif keyword == "msgstr":
            if self.is_header:
                self.string_limit = MAX_HEADER_CHARS
            self.expect = "more"
        else:
            self.expect = "forms"

    def begin_entry(self, number: int) -> None:
        """Start a new entry at `number` if the last one is complete."""
        if self.expect in ("more", "forms"):
            self.expect = "entry"
            self.entry_start = None
            self.comments = None
            self.has_context = False
        if self.entry_start is None:
            self.entry_start = number

    def finish(self, last: int) -> None:
        if self.expect in ("msgid", "msgstr", "plural"):
            raise self.syntax_error(last)


def too_big_message() -> str:
    return gettext("The file is larger than %(size)s MB.") % {
        "size": MAX_FILE_BYTES // (1024 * 1024)
    }
