"""Draw the demo newsroom's abstract illustrations (no photographs ship with us)."""

import hashlib
import random
from io import BytesIO

from PIL import Image, ImageDraw

SIZE = (1200, 675)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[index : index + 2], 16) for index in (0, 2, 4))


def draw_illustration(key: str, palette: list[str]) -> bytes:
    """Return a JPEG: a gradient between the palette's colours with soft shapes.

    The same key and palette always give the same picture.
    """
    start, end = _rgb(palette[0]), _rgb(palette[-1])
    width, height = SIZE
    picture = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        share = x / (width - 1)
        colour = tuple(
            round(a + (b - a) * share) for a, b in zip(start, end, strict=True)
        )
        draw.line([(x, 0), (x, height)], fill=colour)
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    shapes = random.Random(seed)  # noqa: S311 - decoration, not security
    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    for _shape in range(7):
        x, y = shapes.randrange(width), shapes.randrange(height)
        radius = shapes.randrange(60, 260)
        tone = (255, 255, 255, shapes.randrange(25, 70))
        if shapes.random() < 0.5:
            shade.ellipse([x - radius, y - radius, x + radius, y + radius], fill=tone)
        else:
            shade.rectangle(
                [x - radius, y - radius // 3, x + radius, y + radius // 3], fill=tone
            )
    picture = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
