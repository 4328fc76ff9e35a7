"""The picture's translated fields, registered with modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from images.models import Image


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    # The credit too: an agency or a photographer is written in each
    # language's script ("연합뉴스", "聯合ニュース", "Yonhap").
    fields = ("alt_text", "caption", "credit")
    required_languages = {"default": ()}
