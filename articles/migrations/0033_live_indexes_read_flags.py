from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0032: PostgreSQL builds no index on a table with the row
    # updates of the same transaction still pending.
    dependencies = [
        ('articles', '0032_withheld_flags'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='article',
            name='article_live_ko',
        ),
        migrations.RemoveIndex(
            model_name='article',
            name='article_live_ja',
        ),
        migrations.RemoveIndex(
            model_name='article',
            name='article_live_en',
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('body_ko__gt', ''), ('headline_ko__gt', ''), ('is_withheld_ko', False), ('published_at__isnull', False), ('slug_ko__gt', ''), ('status', 'published')), fields=['-published_at', '-id'], name='article_live_ko'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('body_ja__gt', ''), ('headline_ja__gt', ''), ('is_withheld_ja', False), ('published_at__isnull', False), ('slug_ja__gt', ''), ('status', 'published')), fields=['-published_at', '-id'], name='article_live_ja'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('body_en__gt', ''), ('headline_en__gt', ''), ('is_withheld_en', False), ('published_at__isnull', False), ('slug_en__gt', ''), ('status', 'published')), fields=['-published_at', '-id'], name='article_live_en'),
        ),
        migrations.DeleteModel(
            name='Withholding',
        ),
    ]
