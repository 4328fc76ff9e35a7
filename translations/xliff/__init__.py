"""XLIFF 2.1 files of stories: export for translators' tools, import of their work.

The same exchange as the PO catalogues (translations/po), in the format CAT
tools read: one `<file>` per story, one `<unit>` per unit of the story
(`headline`, `body`, `image.caption`…), its text cut into segments whose
markup is inline codes the tools protect. An import is checked and applied
by the PO import's own checks, all or nothing.

The modules, each depending only on those above it:

- `inline`: a unit's text as segments of text and inline codes, and back;
- `reading`: the safe XML reader (no DTD, no entities), with line numbers;
- `export`: the XLIFF file of stories written in one language;
- `importing`: read a file, check it, hand its units to the PO import's
  checks and apply; and the import of either format, by file.
"""

from translations.xliff.export import (
    MixedSourceLanguages,
    XliffExport,
    xliff_export,
)
from translations.xliff.importing import (
    XLIFF_SUFFIXES,
    XliffEntry,
    is_xliff,
    translation_file_import,
    xliff_import,
)

__all__ = [
    "XLIFF_SUFFIXES",
    "MixedSourceLanguages",
    "XliffEntry",
    "XliffExport",
    "is_xliff",
    "translation_file_import",
    "xliff_export",
    "xliff_import",
]
