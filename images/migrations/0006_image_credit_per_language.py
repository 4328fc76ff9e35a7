"""Credits in each language: every picture's credit is copied into all three.

The base `credit` column keeps its value. Going back, it takes the first
language's credit there is (the default language first).
"""

import core.richtext
from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

LANGUAGES = ("ko", "ja", "en")


def copy_credit_to_languages(apps, schema_editor):
    """Give each language the credit a picture had in one field."""
    Image = apps.get_model("images", "Image")
    Image.objects.update(**{f"credit_{code}": F("credit") for code in LANGUAGES})


def keep_one_credit(apps, schema_editor):
    """Put back one credit per picture: the first language that has one."""
    Image = apps.get_model("images", "Image")
    Image.objects.update(
        credit=Coalesce(
            *(NullIf(f"credit_{code}", Value("")) for code in LANGUAGES),
            F("credit"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0005_image_newest_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="credit_ko",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Photographer or agency, as it should be printed.",
                max_length=200,
                null=True,
                verbose_name="credit",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="credit_ja",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Photographer or agency, as it should be printed.",
                max_length=200,
                null=True,
                verbose_name="credit",
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="credit_en",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Photographer or agency, as it should be printed.",
                max_length=200,
                null=True,
                verbose_name="credit",
            ),
        ),
        migrations.RunPython(copy_credit_to_languages, keep_one_credit),
    ]
