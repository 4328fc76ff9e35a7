"""PO catalogues of stories: export for translators, import of their work.

A catalogue holds the stories to translate into one target language: one
entry per translatable unit (`msgctxt "article:<id>:<unit>"`), its source text
as `msgid` and the current translation as `msgstr`.

The modules, each depending only on those above it:

- `permissions`: who may exchange the catalogues of which language;
- `limits`: the limits of a file, checked line by line before polib parses it;
- `report`: what an import found, entry by entry;
- `checks`: the checks of a translated entry against its source and its story;
- `export`: the catalogue of stories for translation into one language;
- `importing`: read a file, check it, apply it all or not at all.

The rest of the newsroom uses the names below.
"""

from translations.po.export import CatalogueExport, catalogue_export
from translations.po.importing import Entry, import_entries, translation_import
from translations.po.limits import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_HEADER_CHARS,
    MAX_LINES,
    MAX_STORIES,
    MAX_STRING_CHARS,
    MAX_STRING_LINES,
    too_big_message,
)
from translations.po.permissions import can_exchange, check_exchange
from translations.po.report import EntryResult, EntryStatus, ImportReport

__all__ = [
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_HEADER_CHARS",
    "MAX_LINES",
    "MAX_STORIES",
    "MAX_STRING_CHARS",
    "MAX_STRING_LINES",
    "CatalogueExport",
    "Entry",
    "EntryResult",
    "EntryStatus",
    "ImportReport",
    "can_exchange",
    "catalogue_export",
    "check_exchange",
    "import_entries",
    "too_big_message",
    "translation_import",
]
