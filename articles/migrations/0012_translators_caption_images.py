"""Once let translators caption pictures; see articles/roles.py.

`articles.roles.apply_roles` gives the groups their permissions after every
`migrate`, so this step does nothing. It stays because later migrations
depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_reader_page_indexes")]

    operations = []
