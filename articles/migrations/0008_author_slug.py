"""Give authors one address slug, made from their English name."""

from django.db import migrations, models

from core.slugs import make_slug, unique_slug


def fill_slugs(apps, schema_editor):
    taken: set[str] = set()
    for author in apps.get_model("articles", "Author").objects.order_by("pk"):
        base = make_slug(author.name_en or author.name_ko or "", fallback="author")
        author.slug = unique_slug(base, taken)
        taken.add(author.slug)
        author.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_newest_first_index")]

    operations = [
        migrations.AddField(
            model_name="author",
            name="slug",
            # No index yet: making it unique below creates the indexes, and
            # PostgreSQL refuses to create the "_like" index twice.
            field=models.SlugField(
                allow_unicode=True,
                blank=True,
                default="",
                max_length=120,
                db_index=False,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="author",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                blank=True,
                help_text="Part of the author page's address. Left empty, it is made from the name.",
                max_length=120,
                unique=True,
                verbose_name="slug",
            ),
        ),
    ]
