"""Once gave the desk's groups the glossary and the dashboard; see articles/roles.py.

`articles.roles.apply_roles` gives the groups their permissions after every
`migrate`, so this step does nothing. It stays because later migrations
depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0002_backfill_states"),
        ("articles", "0004_desk_groups"),
    ]

    operations = []
