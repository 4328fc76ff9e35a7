"""Share cards: the Open Graph picture of a story in one language.

A card is the headline in white over the feature image (cropped around its
focal point and darkened where the text sits) or over a plain background, with
the site name and, for an AI-generated picture, its label. Text is set in
Noto Sans CJK Bold (Debian's fonts-noto-cjk) in the face of the story's
language: Korean, Japanese and Chinese share code points but not glyph shapes.

A card is drawn once per look: `ShareCard.fingerprint` names what it was drawn
from, and a card whose story, picture or font changed is drawn again the next
time it is asked for (the card view, on a crawler's visit). Drawing never
produces missing-glyph boxes: text a font cannot set is left out.
"""

import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter, ImageFont, ImageOps, PngImagePlugin

from articles.models import Article, Image, ShareCard
from articles.renditions import crop_box

logger = logging.getLogger(__name__)

# Bump when the drawing changes: every card is drawn again when next asked for.
CARD_VERSION = "1"
CARD_WIDTH, CARD_HEIGHT = 1200, 630
MARGIN = 72
TEXT_WIDTH = CARD_WIDTH - 2 * MARGIN
HEADLINE_SIZES = (72, 66, 60, 54, 48, 44, 40)
# Fewest lines first: three at the largest size that allows it, else four.
HEADLINE_LINES = (3, 4)
LINE_HEIGHT = {"ko": 1.34, "ja": 1.34}
LATIN_LINE_HEIGHT = 1.2
SITE_NAME_SIZE = 34
LABEL_SIZE = 26
PLAIN_TOP, PLAIN_BOTTOM = (11, 79, 138), (6, 40, 72)  # the site's --accent, darker
ELLIPSIS = "…"
EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}
# How long a crawler may keep the redirect to the current card.
CARD_REDIRECT_MAX_AGE = 600

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

# Japanese line breaking (JIS X 4051 "kinsoku", the basics): no line starts
# with closing brackets, stops, small kana or the long-vowel mark, and none
# ends with an opening bracket.
NO_LINE_START = frozenset(
    "、。，．,.:;!?！？：；・…‥ー－-–—〜～%％)）]］}｝〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻ゝゞヽヾ゛゜"
)
NO_LINE_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“｟«")

XMP_AI_COMPOSITE = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
    "<Iptc4xmpExt:DigitalSourceType>"
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    "</Iptc4xmpExt:DigitalSourceType>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


# Fonts


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


# Line breaking


def _is_latin(char: str) -> bool:
    return not char.isspace() and unicodedata.normalize("NFKC", char).isascii()


def _japanese_breakable(before: str, after: str) -> bool:
    return not (
        after in NO_LINE_START
        or before in NO_LINE_END
        # Latin words and numbers inside Japanese keep together: "G7", "2.25%".
        or (_is_latin(before) and _is_latin(after))
    )


def _pieces(text: str, language: str) -> list[tuple[str, str]]:
    """Cut `text` where a line may break: (joint before, piece) pairs.

    Korean breaks at spaces only (CSS `word-break: keep-all`), English at
    spaces (words), Japanese between any two characters kinsoku allows.
    Runs of spaces count as one; Japanese keeps an ideographic space.
    """
    pieces: list[tuple[str, str]] = []
    tokens = re.split(r"(\s+)", text.strip())
    for space, word in zip(["", *tokens[1::2]], tokens[0::2], strict=True):
        if not word:
            continue
        joint = ""
        if space:
            joint = "\u3000" if language == "ja" and "\u3000" in space else " "
        if language != "ja":
            pieces.append((joint, word))
            continue
        clusters = [word[0]]
        for char in word[1:]:
            if _japanese_breakable(clusters[-1][-1], char):
                clusters.append(char)
            else:
                clusters[-1] += char
        pieces.append((joint, clusters[0]))
        pieces += [("", cluster) for cluster in clusters[1:]]
    return pieces


def _longest_prefix(text: str, font, max_width: float) -> str:
    end = 1
    while end < len(text) and font.getlength(text[: end + 1]) <= max_width:
        end += 1
    return text[:end]


def wrap_headline(text: str, language: str, font, max_width: float) -> list[str]:
    """Break `text` into lines no wider than `max_width` in `font`.

    Fills each line greedily at the breaks `language` allows; a piece wider
    than a whole line (a very long word) is broken between characters.
    `font` needs only `getlength()`.
    """
    lines: list[str] = []
    line = ""
    for joint, piece in _pieces(text, language):
        candidate = line + joint + piece if line else piece
        if font.getlength(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = piece
        while font.getlength(line) > max_width:
            head = _longest_prefix(line, font, max_width)
            lines.append(head)
            line = line[len(head) :]
    if line:
        lines.append(line)
    return lines


def balanced_wrap(text: str, language: str, font, max_width: float) -> list[str]:
    """Wrap like `wrap_headline`, in the narrowest width that keeps the line count.

    Lines come out of even length instead of a full line over a lone word
    (CSS `text-wrap: balance`).
    """
    lines = wrap_headline(text, language, font, max_width)
    if len(lines) < 2:
        return lines
    low, high = max_width / 2, max_width
    while high - low > 4:
        middle = (low + high) / 2
        if len(wrap_headline(text, language, font, middle)) == len(lines):
            high = middle
        else:
            low = middle
    return wrap_headline(text, language, font, high)


def _ellipsize(line: str, font, max_width: float) -> str:
    while line and font.getlength(line + ELLIPSIS) > max_width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


# Drawing


@dataclass
class TextRun:
    text: str
    font: ImageFont.FreeTypeFont
    xy: tuple[float, float]
    anchor: str


@dataclass
class CardPlan:
    """What a card shows and where: every run is drawn as planned, in white."""

    runs: list[TextRun] = field(default_factory=list)
    headline_lines: list[str] = field(default_factory=list)
    label_box: tuple[float, float, float, float] | None = None
    headline_top: float | None = None


def fit_headline(
    text: str, language: str, face: Face
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """Return the largest size and lines that hold `text`, shortened if need be."""
    for max_lines in HEADLINE_LINES:
        for size in HEADLINE_SIZES:
            font = face.font(size)
            if len(wrap_headline(text, language, font, TEXT_WIDTH)) <= max_lines:
                return font, balanced_wrap(text, language, font, TEXT_WIDTH)
    font = face.font(HEADLINE_SIZES[-1])
    lines = wrap_headline(text, language, font, TEXT_WIDTH)[: HEADLINE_LINES[-1]]
    lines[-1] = _ellipsize(lines[-1], font, TEXT_WIDTH)
    return font, lines


def plan_card(
    headline: str, language: str, *, site_name: str, label: str | None
) -> CardPlan:
    """Lay out a card's text; leave out what no installed font can set."""
    plan = CardPlan()
    face = font_for(language)
    if face is not None:
        name_font = face.font(SITE_NAME_SIZE)
        if name := settable(name_font, site_name):
            plan.runs.append(TextRun(name, name_font, (MARGIN, MARGIN + 8), "lm"))
        headline = settable(face.font(HEADLINE_SIZES[-1]), headline)
        if headline:
            font, lines = fit_headline(headline, language, face)
            size = font.size
            line_height = round(size * LINE_HEIGHT.get(language, LATIN_LINE_HEIGHT))
            baseline = CARD_HEIGHT - MARGIN - round(size * 0.14)
            first = baseline - (len(lines) - 1) * line_height
            plan.headline_lines = lines
            plan.headline_top = first - size
            plan.runs += [
                TextRun(line, font, (MARGIN, first + i * line_height), "ls")
                for i, line in enumerate(lines)
            ]
    if label is not None:
        run = _label_run(label, face)
        left, top, right, bottom = run.font.getbbox(run.text, anchor=run.anchor)
        x, y = run.xy
        plan.runs.append(run)
        plan.label_box = (x + left - 16, y + top - 10, x + right + 16, y + bottom + 10)
    return plan


def _label_run(label: str, face: Face | None) -> TextRun:
    # The AI label is never dropped: in English, in any font, if need be.
    font = face.font(LABEL_SIZE) if face else None
    if font is None or settable(font, label) != label:
        label = "AI-generated image"
        font = font_for("en").font(LABEL_SIZE)
    return TextRun(label, font, (CARD_WIDTH - MARGIN - 16, MARGIN + 8), "rm")


def _plain_background() -> PillowImage.Image:
    top = PillowImage.new("RGB", (CARD_WIDTH, CARD_HEIGHT), PLAIN_TOP)
    bottom = PillowImage.new("RGB", (CARD_WIDTH, CARD_HEIGHT), PLAIN_BOTTOM)
    ramp = PillowImage.linear_gradient("L").resize((CARD_WIDTH, CARD_HEIGHT))
    return PillowImage.composite(bottom, top, ramp)


def card_picture(image: Image | None) -> PillowImage.Image | None:
    """Return `image` cropped around its focal point to fill a card, or None."""
    if image is None or not image.file:
        return None
    try:
        with image.file.open("rb") as handle:
            picture = PillowImage.open(handle, formats=["JPEG", "PNG", "WEBP", "GIF"])
            if picture.format == "JPEG":
                # Decode at a fraction of a large photo's size: enough for a card.
                picture.draft("RGB", (CARD_WIDTH, CARD_WIDTH))
            picture.load()
    except (OSError, ValueError, PillowImage.DecompressionBombError):
        logger.warning("Share cards: cannot read image %s", image.pk, exc_info=True)
        return None
    picture = ImageOps.exif_transpose(picture)
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        backdrop = PillowImage.new("RGBA", picture.size, PLAIN_BOTTOM)
        picture = PillowImage.alpha_composite(backdrop, picture.convert("RGBA"))
    picture = picture.convert("RGB")
    box = crop_box(
        picture.width,
        picture.height,
        (CARD_WIDTH, CARD_HEIGHT),
        (image.focal_x, image.focal_y),
    )
    return picture.resize((CARD_WIDTH, CARD_HEIGHT), PillowImage.LANCZOS, box=box)


def _shade(picture: PillowImage.Image, headline_top: float | None) -> PillowImage.Image:
    """Darken the top band and, more, the part under the headline."""
    column = []
    for y in range(CARD_HEIGHT):
        top = 0.5 * max(0.0, 1 - y / 190)
        bottom = 0.0
        if headline_top is not None:
            ramp_start = max(0.0, headline_top - 170)
            t = min(1.0, max(0.0, (y - ramp_start) / (CARD_HEIGHT - ramp_start)))
            bottom = 0.84 * t * t * (3 - 2 * t)
        column.append(round(255 * min(0.9, 0.1 + max(top, bottom))))
    mask = PillowImage.new("L", (1, CARD_HEIGHT))
    mask.putdata(column)
    mask = mask.resize((CARD_WIDTH, CARD_HEIGHT))
    black = PillowImage.new("RGB", picture.size, (0, 0, 0))
    return PillowImage.composite(black, picture, mask)


def draw_card(plan: CardPlan, picture: PillowImage.Image | None) -> PillowImage.Image:
    """Draw `plan` over `picture` (or the plain background)."""
    if picture is None:
        card = _plain_background()
    else:
        card = _shade(picture, plan.headline_top)
    if plan.label_box:
        overlay = PillowImage.new("RGBA", card.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rounded_rectangle(
            plan.label_box, radius=8, fill=(0, 0, 0, 170)
        )
        card = PillowImage.alpha_composite(card.convert("RGBA"), overlay).convert("RGB")
    if picture is not None and plan.runs:
        # A soft shadow keeps white text legible over a bright patch.
        shadow = PillowImage.new("L", card.size, 0)
        draw = ImageDraw.Draw(shadow)
        for run in plan.runs:
            draw.text(run.xy, run.text, font=run.font, anchor=run.anchor, fill=140)
        shadow = shadow.filter(ImageFilter.GaussianBlur(6))
        card.paste((0, 0, 0), mask=shadow)
    draw = ImageDraw.Draw(card)
    for run in plan.runs:
        draw.text(run.xy, run.text, font=run.font, anchor=run.anchor, fill="white")
    return card


def _encode(card: PillowImage.Image, fmt: str, *, is_ai: bool) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        # Full-resolution colour (4:4:4) keeps the edges of the letters clean.
        options = {"quality": 90, "subsampling": 0, "optimize": True}
        if is_ai:
            # The card is a composite with an AI picture in it (IPTC's term).
            options["xmp"] = XMP_AI_COMPOSITE.encode()
        card.save(buffer, "JPEG", **options)
    else:
        info = PngImagePlugin.PngInfo()
        if is_ai:
            info.add_itxt("XML:com.adobe.xmp", XMP_AI_COMPOSITE)
        card.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


# Cards in storage


def _card_texts(language: str, image: Image | None) -> tuple[str, str | None]:
    with translation.override(language):
        site_name = gettext("Newsroom")
        label = (
            gettext("AI-generated image") if image and image.is_ai_generated else None
        )
    return site_name, label


def card_fingerprint(article: Article, language: str) -> str:
    """Return a digest of everything a card in `language` is drawn from."""
    image = article.feature_image
    site_name, label = _card_texts(language, image)
    face = font_for(language)
    parts = {
        "version": CARD_VERSION,
        "language": language,
        "headline": getattr(article, f"headline_{language}"),
        "image": image
        and [
            image.pk,
            image.file.name,
            round(image.focal_x, 4),
            round(image.focal_y, 4),
            image.is_ai_generated,
        ],
        "texts": [site_name, label],
        # Fonts installed later redraw the cards drawn without them.
        "font": face.key if face else None,
    }
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def card_format(article: Article) -> str:
    """Return JPEG for a card over a picture, PNG for one on the plain background.

    Over a photo a PNG weighs five times the JPEG, and messaging apps drop
    previews that are too heavy; flat colour and text suit PNG.
    """
    return "JPEG" if article.feature_image_id else "PNG"


def render_card(article: Article, language: str) -> bytes:
    """Draw the card of `article` in `language`; return the file's bytes."""
    image = article.feature_image
    site_name, label = _card_texts(language, image)
    plan = plan_card(
        getattr(article, f"headline_{language}"),
        language,
        site_name=site_name,
        label=label,
    )
    card = draw_card(plan, card_picture(image))
    return _encode(card, card_format(article), is_ai=label is not None)


def share_card(article: Article, language: str) -> ShareCard | None:
    """Return the story's current card in `language`, drawing it if it is stale.

    None when the story has no headline in that language.
    """
    if not getattr(article, f"headline_{language}"):
        return None
    fingerprint = card_fingerprint(article, language)
    card = ShareCard.objects.filter(article=article, language=language).first()
    if (
        card is not None
        and card.fingerprint == fingerprint
        and card.file
        and default_storage.exists(card.file.name)
    ):
        return card
    extension = EXTENSIONS[card_format(article)]
    name = f"cards/{article.pk}/{language}-{fingerprint[:12]}.{extension}"
    # The name says what the file shows: another request may just have drawn it.
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(render_card(article, language)))
    old_name = card.file.name if card is not None and card.file else None
    card, _created = ShareCard.objects.update_or_create(
        article=article,
        language=language,
        defaults={"file": name, "fingerprint": fingerprint},
    )
    if old_name and old_name != name:
        default_storage.delete(old_name)
    return card


@require_safe
def share_card_view(request, slug: str):
    """Send crawlers to the live story's current card (drawn now if stale)."""
    language = translation.get_language()
    article = get_object_or_404(
        Article.objects.live(language).select_related("feature_image"),
        **{f"slug_{language}": slug},
    )
    card = share_card(article, language)
    if card is None:
        raise Http404
    response = HttpResponseRedirect(card.file.url)
    patch_cache_control(response, public=True, max_age=CARD_REDIRECT_MAX_AGE)
    return response
