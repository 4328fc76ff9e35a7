"""Drawing a card: plan where the text goes, then draw it over the picture.

A card is the headline in white over the feature image (cropped around its
focal point and darkened where the text sits) or over a plain background, with
the site name and, for an AI-generated picture, its label.
"""

import io
import logging
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter, ImageFont, ImageOps, PngImagePlugin

from articles.models import Article
from images.models import Image
from images.renditions import crop_box
from images.sharecards.fonts import Face, font_for, settable
from images.sharecards.linebreak import balanced_wrap, ellipsize, wrap_headline

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
    lines[-1] = ellipsize(lines[-1], font, TEXT_WIDTH)
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


def card_texts(language: str, image: Image | None) -> tuple[str, str | None]:
    """Return the site name and the AI label (None without one) a card shows."""
    with translation.override(language):
        site_name = gettext("Newsroom")
        label = (
            gettext("AI-generated image") if image and image.is_ai_generated else None
        )
    return site_name, label


def card_format(article: Article) -> str:
    """Return JPEG for a card over a picture, PNG for one on the plain background.

    Over a photo a PNG weighs five times the JPEG, and messaging apps drop
    previews that are too heavy; flat colour and text suit PNG.
    """
    return "JPEG" if article.feature_image_id else "PNG"


def render_card(article: Article, language: str) -> bytes:
    """Draw the card of `article` in `language`; return the file's bytes."""
    image = article.feature_image
    site_name, label = card_texts(language, image)
    plan = plan_card(
        getattr(article, f"headline_{language}"),
        language,
        site_name=site_name,
        label=label,
    )
    card = draw_card(plan, card_picture(image))
    return _encode(card, card_format(article), is_ai=label is not None)
