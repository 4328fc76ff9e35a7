"""Once gave the desk's groups their rights on tags; see articles/roles.py.

`articles.roles.apply_roles` gives the groups their permissions after every
`migrate`, so this step does nothing. It stays because later migrations
depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_tags"),
        ("tags", "0001_initial"),
    ]

    operations = []
