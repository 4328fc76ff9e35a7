"""The fonts of share cards: which face sets each language, and what it lacks.

Text is set in Noto Sans CJK Bold (Debian's fonts-noto-cjk) in the face of the
story's language: Korean, Japanese and Chinese share code points but not glyph
shapes. A character a font lacks is found by drawing it, so that no card shows
a missing-glyph box.
"""

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont

logger = logging.getLogger(__name__)

# Searched after NEWSROOM_CARD_FONT_DIR: Debian and Ubuntu (fonts-noto-cjk,
# fonts-dejavu-core), then Arch and Fedora's Noto CJK directories.
SYSTEM_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
)
FONT_EXTENSIONS = (".ttc", ".otf", ".ttf")
# (family, style) wanted per language, best first. Every Noto Sans CJK face
# carries the same Latin letters, so English takes one of them too; DejaVu
# Sans has no CJK at all, so it only stands in for English.
FACES = {
    "ko": [("Noto Sans CJK KR", "Bold"), ("Noto Sans KR", "Bold")],
    "ja": [("Noto Sans CJK JP", "Bold"), ("Noto Sans JP", "Bold")],
    "en": [
        ("Noto Sans CJK KR", "Bold"),
        ("Noto Sans CJK JP", "Bold"),
        ("DejaVu Sans", "Bold"),
    ],
}
CJK_LANGUAGES = ("ko", "ja")
# Drawn to find out what a font shows for a character it lacks: a code point
# in Supplementary Private Use Area-A, which no text font maps.
NOTDEF_PROBE = "\U000f0000"


@dataclass(frozen=True)
class Face:
    """One face of a font file; `path` None is Pillow's built-in font."""

    path: str | None
    index: int = 0

    @property
    def key(self) -> str:
        return f"{self.path}#{self.index}" if self.path else "pillow-default"

    def font(self, size: int) -> ImageFont.FreeTypeFont:
        return _load_font(self.path, self.index, size)


PILLOW_DEFAULT = Face(None)


@lru_cache(maxsize=128)
def _load_font(path: str | None, index: int, size: int) -> ImageFont.FreeTypeFont:
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size, index=index)


def font_dirs() -> tuple[str, ...]:
    configured = settings.NEWSROOM_CARD_FONT_DIR
    return (configured, *SYSTEM_FONT_DIRS) if configured else SYSTEM_FONT_DIRS


@lru_cache(maxsize=8)
def installed_faces(dirs: tuple[str, ...]) -> dict[tuple[str, str], Face]:
    """Return the bold faces in `dirs` by (family, style); the first found wins."""
    faces: dict[tuple[str, str], Face] = {}
    for directory in dirs:
        folder = Path(directory)
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in FONT_EXTENSIONS or "Bold" not in path.name:
                continue
            # A collection (.ttc) holds several faces; reading past the last
            # one fails.
            for index in range(32):
                try:
                    name = ImageFont.truetype(str(path), 12, index=index).getname()
                except (OSError, ValueError):
                    break
                faces.setdefault(name, Face(str(path), index))
    return faces


@lru_cache(maxsize=8)
def _warn_no_cjk_font(dirs: tuple[str, ...]) -> None:
    logger.warning(
        "Share cards: no Noto Sans CJK Bold font in %s; Korean and Japanese "
        "cards are drawn without text. Install Debian's fonts-noto-cjk or set "
        "NEWSROOM_CARD_FONT_DIR.",
        ", ".join(dirs) or "no directory",
    )


def font_for(language: str) -> Face | None:
    """Return the face to set `language` in, or None when none can.

    English always gets one: DejaVu Sans, else Pillow's own scalable font.
    """
    dirs = font_dirs()
    faces = installed_faces(dirs)
    for name in FACES.get(language, FACES["en"]):
        if name in faces:
            return faces[name]
    if language in CJK_LANGUAGES:
        _warn_no_cjk_font(dirs)
        return None
    return PILLOW_DEFAULT


def cjk_fonts_missing() -> list[str]:
    """Return the languages whose cards cannot carry text on this machine."""
    faces = installed_faces(font_dirs())
    return [
        language
        for language in CJK_LANGUAGES
        if not any(name in faces for name in FACES[language])
    ]


def _glyph_print(font: ImageFont.FreeTypeFont, char: str) -> tuple:
    left, top, right, bottom = font.getbbox(char)
    canvas = PillowImage.new("L", (max(right - left, 1), max(bottom - top, 1)))
    ImageDraw.Draw(canvas).text((-left, -top), char, font=font, fill=255)
    return canvas.size, canvas.tobytes()


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> set[str]:
    """Return the characters of `text` that `font` draws as its missing glyph.

    A font draws a character it lacks with glyph 0 (.notdef, usually a box,
    sometimes nothing): a character drawn exactly as a probe no font maps is
    missing. Whitespace is never reported.
    """
    notdef = _glyph_print(font, NOTDEF_PROBE)
    return {
        char
        for char in set(text)
        if not char.isspace() and _glyph_print(font, char) == notdef
    }


def has_all_glyphs(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """Whether `font` draws every character of `text` (no missing-glyph box)."""
    return not missing_glyphs(font, text)


def settable(font: ImageFont.FreeTypeFont, text: str) -> str:
    """Return `text` as `font` can draw it, or "" when that would lose words.

    Symbols the font lacks (emoji, dingbats) are left out; a letter or digit it
    lacks means the text cannot be drawn faithfully at all.
    """
    missing = missing_glyphs(font, text)
    if any(unicodedata.category(char)[0] in "LN" for char in missing):
        return ""
    return "".join(char for char in text if char not in missing).strip()
