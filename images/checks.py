"""System checks for the picture library.

Registered in `ImagesConfig.ready()`.
"""

from django.core import checks

from images import sharecards


def check_card_fonts(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Warn that share cards in some languages cannot carry text without fonts."""
    missing = sharecards.cjk_fonts_missing()
    if not missing:
        return []
    return [
        checks.Warning(
            f"Share cards cannot set text in {', '.join(missing)}: no Noto Sans "
            "CJK Bold font was found; those cards show the picture or a plain "
            "background only.",
            hint="Install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk), "
            "or set NEWSROOM_CARD_FONT_DIR to a directory holding "
            "NotoSansCJK-Bold.ttc.",
            id="articles.W010",
        )
    ]
