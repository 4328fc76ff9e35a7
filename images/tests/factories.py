import factory

from core.languages import LANGUAGE_CODES
from images.models import Image, Rendition


def png_bytes(width: int = 8, height: int = 6) -> bytes:
    """Return a small real PNG."""
    from io import BytesIO

    from PIL import Image as PillowImage

    buffer = BytesIO()
    PillowImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.django.FileField(
        filename="photo.png", data=factory.LazyFunction(png_bytes)
    )
    alt_text_ko = "부산항 부두에 쌓인 컨테이너"
    alt_text_ja = "釜山港の埠頭に積まれたコンテナ"
    alt_text_en = "Containers stacked on a Busan pier"
    credit = "Newsroom photo desk"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # One credit given is every language's, as the migration that made
        # credits per language copied them; `credit_ja=` and the like win.
        if "credit" in kwargs:
            for code in LANGUAGE_CODES:
                kwargs.setdefault(f"credit_{code}", kwargs["credit"])
        return kwargs


class RenditionFactory(factory.django.DjangoModelFactory):
    """A WebP rendition 640 wide, as the worker records it (no file written)."""

    class Meta:
        model = Rendition

    image = factory.SubFactory(ImageFactory)
    spec = "fit-640.webp"
    file = factory.LazyAttribute(lambda r: f"renditions/{r.image.pk}/x/{r.spec}")
    width = 640
    height = 427
    format = "WEBP"
