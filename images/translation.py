"""The picture's translated fields, registered with modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from images.models import Image


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt_text", "caption")
    required_languages = {"default": ()}
