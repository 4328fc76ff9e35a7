"""Let translators caption library pictures in their own languages.

The permission opens the image form; articles/permissions.py keeps a
translator to the alt text and caption of their languages.
"""

from django.db import migrations


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="translator").first()
    permission = (
        apps.get_model("auth", "Permission")
        .objects.filter(content_type__app_label="articles", codename="change_image")
        .first()
    )
    if group is not None and permission is not None:
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="translator").first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="articles", codename="change_image"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_reader_page_indexes")]

    operations = [migrations.RunPython(grant, revoke)]
