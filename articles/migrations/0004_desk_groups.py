"""Once created the desk's groups; articles/roles.py declares them now.

`articles.roles.apply_roles` gives the groups their permissions after every
`migrate`, so this step does nothing. It stays because later migrations
depend on it; a database that ran it keeps its groups.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_and_roles"),
        ("related", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
