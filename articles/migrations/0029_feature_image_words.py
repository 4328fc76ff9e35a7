"""The feature image's words as each story uses them, in each language."""

import core.richtext
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0028_working_copy_of_new_stories"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="feature_image_alt",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="What the picture shows, for readers who cannot see it. Empty: the library's alt text is used.",
                max_length=300,
                verbose_name="feature image alt text",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_alt_ko",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="What the picture shows, for readers who cannot see it. Empty: the library's alt text is used.",
                max_length=300,
                null=True,
                verbose_name="feature image alt text",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_alt_ja",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="What the picture shows, for readers who cannot see it. Empty: the library's alt text is used.",
                max_length=300,
                null=True,
                verbose_name="feature image alt text",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_alt_en",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="What the picture shows, for readers who cannot see it. Empty: the library's alt text is used.",
                max_length=300,
                null=True,
                verbose_name="feature image alt text",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_caption",
            field=core.richtext.PlainTextField(
                blank=True,
                help_text="Empty: the library's caption is used.",
                verbose_name="feature image caption",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_caption_ko",
            field=core.richtext.PlainTextField(
                blank=True,
                help_text="Empty: the library's caption is used.",
                null=True,
                verbose_name="feature image caption",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_caption_ja",
            field=core.richtext.PlainTextField(
                blank=True,
                help_text="Empty: the library's caption is used.",
                null=True,
                verbose_name="feature image caption",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_caption_en",
            field=core.richtext.PlainTextField(
                blank=True,
                help_text="Empty: the library's caption is used.",
                null=True,
                verbose_name="feature image caption",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_credit",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Empty: the library's credit is used.",
                max_length=200,
                verbose_name="feature image credit",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_credit_ko",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Empty: the library's credit is used.",
                max_length=200,
                null=True,
                verbose_name="feature image credit",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_credit_ja",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Empty: the library's credit is used.",
                max_length=200,
                null=True,
                verbose_name="feature image credit",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="feature_image_credit_en",
            field=core.richtext.PlainCharField(
                blank=True,
                help_text="Empty: the library's credit is used.",
                max_length=200,
                null=True,
                verbose_name="feature image credit",
            ),
        ),
    ]
